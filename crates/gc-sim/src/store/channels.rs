//! Notification channels as stored: subscriptions, the attached socket's frame queue, expiry.
//! Which subscriptions want a conversation is decided here; frames are built by the hub.

use tokio::sync::mpsc;
use uuid::Uuid;

use super::World;
use super::conversation::{Conversation, Media};
use crate::clock::{Ts, now};
use crate::unconfirmed as uc;

/// What the socket task should do next.
#[derive(Debug, Clone)]
pub enum Outbound {
    /// Send a text frame.
    Text(String),
    /// Send a binary frame (malformed-frame fault).
    Binary(Vec<u8>),
    /// Send a close frame and stop.
    Close(u16, &'static str),
    /// Drop the TCP connection without a close frame (dropped-socket fault).
    Drop,
    /// The channel is gone: send this frame, then stay open and silent until the client closes
    /// (or `unconfirmed::CHANNEL_GONE_MESSAGE_GRACE_SECS` pass).
    Gone(String),
    /// The network path died without either side noticing (stalled-socket fault): from now on
    /// nothing reaches the client (frames, heartbeats and pongs are discarded) until it closes.
    Stall,
}

/// The live WebSocket attached to a channel.
#[derive(Debug)]
pub struct SocketConn {
    /// Connection id (to tell a replaced connection from the current one).
    pub conn_id: u64,
    /// Frames to the socket task.
    pub tx: mpsc::UnboundedSender<Outbound>,
}

/// A parsed, permitted topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    /// `v2.users.{id}.conversations` (media `None`) or a per-media variant.
    UserConversations(Uuid, Option<Media>),
    /// `v2.routing.queues.{id}.conversations` or a per-media variant.
    QueueConversations(Uuid, Option<Media>),
    /// A real topic the simulator accepts but never publishes on (presence, routingStatus, …).
    Quiet,
}

/// A subscription: the id as the client spelled it and what it means.
#[derive(Debug, Clone)]
pub struct Subscription {
    /// Topic id (as subscribed; used as `topicName`).
    pub id: String,
    /// Parsed topic.
    pub topic: Topic,
}

/// A notification channel.
#[derive(Debug)]
pub struct Channel {
    /// `streaming-0-…`.
    pub id: String,
    /// Token that created it; the channel dies with it.
    pub token: String,
    /// Owner.
    pub user_id: Uuid,
    /// OAuth client of the token.
    pub client_id: String,
    /// Expiry (extended by re-subscribing).
    pub expires: Ts,
    /// Last use (eviction order).
    pub last_used: Ts,
    /// Subscriptions.
    pub topics: Vec<Subscription>,
    /// Connected socket, if any.
    pub socket: Option<SocketConn>,
}

/// One frame a conversation change owes one socket: the subscription it matched and which body.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// The socket's frame queue.
    pub socket: mpsc::UnboundedSender<Outbound>,
    /// Topic id as subscribed (becomes `topicName`).
    pub topic_name: String,
    /// A per-media topic (`…conversations.calls`) gets the media-level body.
    pub per_media: bool,
}

/// The deliveries a conversation snapshot owes, once per matching topic of every connected
/// channel (a channel on both the queue and the agent topic gets both, as in Genesys).
pub fn deliveries<'a>(
    channels: impl Iterator<Item = &'a Channel>,
    conv: &Conversation,
) -> Vec<Delivery> {
    let users = conv.user_ids();
    let queues = conv.queue_ids();
    let mut out = Vec::new();
    for ch in channels {
        let Some(sock) = &ch.socket else { continue };
        for sub in &ch.topics {
            let (hit, per_media) = match sub.topic {
                Topic::UserConversations(u, m) => (
                    users.contains(&u) && m.is_none_or(|m| m == conv.media),
                    m.is_some(),
                ),
                Topic::QueueConversations(q, m) => (
                    queues.contains(&q) && m.is_none_or(|m| m == conv.media),
                    m.is_some(),
                ),
                Topic::Quiet => (false, false),
            };
            if hit {
                out.push(Delivery {
                    socket: sock.tx.clone(),
                    topic_name: sub.id.clone(),
                    per_media,
                });
            }
        }
    }
    out
}

impl World {
    /// Removes channels that expired or whose token is no longer valid, closing their sockets.
    pub fn drop_invalid_channels(&mut self) {
        let t = now();
        let dead: Vec<String> = self
            .channels
            .values()
            .filter(|c| {
                c.expires <= t || !self.tokens.get(&c.token).is_some_and(|tok| tok.is_valid())
            })
            .map(|c| c.id.clone())
            .collect();
        for id in dead {
            if let Some(c) = self.channels.remove(&id)
                && let Some(s) = c.socket
            {
                let (code, reason) = uc::CHANNEL_GONE_CLOSE;
                self.publisher
                    .frames(s.tx, vec![Outbound::Close(code, reason)]);
            }
        }
        for c in self.channels.values_mut() {
            if c.socket.as_ref().is_some_and(|s| s.tx.is_closed()) {
                c.socket = None;
            }
        }
    }
}
