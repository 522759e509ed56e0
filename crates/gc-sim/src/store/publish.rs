//! The publication channel: every frame bound for a socket leaves the world through it, in the
//! order the world changed; the hub task drains it into the sockets' queues.

use tokio::sync::{mpsc, oneshot};

use super::channels::{Delivery, Outbound};
use super::conversation::Conversation;

/// One item on the publication channel.
#[derive(Debug)]
pub enum Publication {
    /// A conversation changed: its snapshot and the deliveries resolved at that moment.
    Snapshot {
        /// The conversation as it was right after the change.
        conversation: Box<Conversation>,
        /// Who gets it.
        deliveries: Vec<Delivery>,
    },
    /// Control or fault frames for one socket, kept in order with the snapshots around them.
    Frames {
        /// The socket's frame queue.
        socket: mpsc::UnboundedSender<Outbound>,
        /// Frames in sending order.
        frames: Vec<Outbound>,
    },
    /// Answered once everything queued before it has reached the sockets' queues.
    Flush(oneshot::Sender<()>),
}

/// The sending half of the publication channel, kept in the world so that sends happen under
/// the world lock and therefore in the order of the changes they report.
#[derive(Debug, Clone)]
pub struct Publisher {
    tx: mpsc::UnboundedSender<Publication>,
}

impl Publisher {
    /// A publisher and the receiver the hub task drains.
    pub fn channel() -> (Self, mpsc::UnboundedReceiver<Publication>) {
        let (tx, rx) = mpsc::unbounded_channel();
        (Self { tx }, rx)
    }

    /// Queues a snapshot for its deliveries (nothing when nobody is subscribed).
    pub fn snapshot(&self, conversation: &Conversation, deliveries: Vec<Delivery>) {
        if deliveries.is_empty() {
            return;
        }
        // A closed channel means the simulator is shutting down; nothing is left to deliver to.
        let _ = self.tx.send(Publication::Snapshot {
            conversation: Box::new(conversation.clone()),
            deliveries,
        });
    }

    /// Queues frames for one socket.
    pub fn frames(&self, socket: mpsc::UnboundedSender<Outbound>, frames: Vec<Outbound>) {
        let _ = self.tx.send(Publication::Frames { socket, frames });
    }

    /// Resolves once everything published before this call has reached the sockets' queues.
    pub async fn flushed(&self) {
        let (done, wait) = oneshot::channel();
        if self.tx.send(Publication::Flush(done)).is_ok() {
            let _ = wait.await;
        }
    }
}
