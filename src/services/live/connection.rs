//! The sockets of one connection to a channel: their tagged inputs, their writers and which one is
//! current, so a `socket_closing` hand-over can run two sockets side by side.

use std::pin::Pin;

use futures::StreamExt;
use futures::stream::{SelectAll, Stream};

use super::handover::{SocketId, Sockets};
use crate::services::notify::{self, SocketInput, SocketWriter};

/// One socket's inputs, tagged with the socket they came from.
type TaggedInputs = Pin<Box<dyn Stream<Item = (SocketId, SocketInput)>>>;

/// The open sockets of one connection: their inputs, their writers and which one is current.
pub struct Connection {
    connect_uri: String,
    pub inputs: SelectAll<TaggedInputs>,
    writers: Vec<(SocketId, SocketWriter)>,
    pub sockets: Sockets,
}

impl Connection {
    /// Open the first socket on `connect_uri`.
    pub fn open(connect_uri: String) -> Result<Self, String> {
        let mut connection = Self {
            connect_uri,
            inputs: SelectAll::new(),
            writers: Vec::new(),
            sockets: Sockets::new(0),
        };
        connection.add_socket(0)?;
        Ok(connection)
    }

    /// Open socket `id` on the same channel.
    pub fn add_socket(&mut self, id: SocketId) -> Result<(), String> {
        let (writer, inputs) = notify::open(&self.connect_uri)?;
        self.inputs
            .push(Box::pin(inputs.map(move |input| (id, input))));
        self.writers.push((id, writer));
        Ok(())
    }

    /// Socket `id`'s writer, while open.
    pub fn writer(&mut self, id: SocketId) -> Option<&mut SocketWriter> {
        self.writers
            .iter_mut()
            .find(|(socket, _)| *socket == id)
            .map(|(_, writer)| writer)
    }

    /// Close socket `id` (a retired one).
    pub async fn close_socket(&mut self, id: SocketId) {
        if let Some(index) = self.writers.iter().position(|(socket, _)| *socket == id) {
            self.writers.swap_remove(index).1.close().await;
        }
    }

    /// Close every socket.
    pub async fn close_all(self) {
        for (_, writer) in self.writers {
            writer.close().await;
        }
    }
}
