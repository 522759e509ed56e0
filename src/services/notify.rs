//! The Notification API WebSocket: opens `connectUri` verbatim (no token on it) and yields its frames;
//! a separate one-second tick lets the caller watch for silence and send keep-alive pings.

use std::pin::Pin;
use std::time::Duration;

use futures::SinkExt;
use futures::stream::{self, SplitSink, Stream, StreamExt};
use gloo_net::websocket::futures::WebSocket;
use gloo_net::websocket::{Message, WebSocketError};
use gloo_timers::future::IntervalStream;

/// The client keep-alive text frame; the platform answers with a `pong` on `channel.metadata`.
pub const PING_FRAME: &str = r#"{"message":"ping"}"#;
/// Genesys' streaming client pings every 14 s (design notes).
pub const PING_EVERY: Duration = Duration::from_secs(14);
/// Heartbeats come every 30 s; this much silence means the socket is dead (streaming client uses 35 s).
pub const SILENCE_LIMIT: Duration = Duration::from_secs(35);

/// What the socket loop sees next.
#[derive(Debug)]
pub enum SocketInput {
    /// A text frame, exactly as received.
    Frame(String),
    /// The socket closed or failed; reconnect.
    Closed(String),
}

/// The write half, used for pings.
pub struct SocketWriter(SplitSink<WebSocket, Message>);

impl SocketWriter {
    /// Send the keep-alive ping.
    pub async fn ping(&mut self) -> Result<(), String> {
        self.0
            .send(Message::Text(PING_FRAME.to_owned()))
            .await
            .map_err(|e| e.to_string())
    }

    /// Close the socket politely.
    pub async fn close(mut self) {
        let _ = self.0.close().await;
    }
}

/// A stream of [`SocketInput`]s.
pub type SocketInputs = Pin<Box<dyn Stream<Item = SocketInput>>>;

/// Open the channel's socket. The caller has already checked that `connect_uri` is a platform host.
pub fn open(connect_uri: &str) -> Result<(SocketWriter, SocketInputs), String> {
    let socket = WebSocket::open(connect_uri).map_err(|e| e.to_string())?;
    let (writer, reader) = socket.split();
    let frames = reader
        .map(|message| match message {
            Ok(Message::Text(text)) => SocketInput::Frame(text),
            // The platform only sends text; keep a binary frame visible to the parser as malformed.
            Ok(Message::Bytes(bytes)) => {
                SocketInput::Frame(String::from_utf8_lossy(&bytes).into_owned())
            }
            Err(WebSocketError::ConnectionClose(close)) => SocketInput::Closed(format!(
                "closed by the server (code {}{})",
                close.code,
                reason_suffix(&close.reason)
            )),
            Err(other) => SocketInput::Closed(other.to_string()),
        })
        .chain(stream::once(async {
            SocketInput::Closed("the connection ended".to_owned())
        }));
    Ok((SocketWriter(writer), Box::pin(frames)))
}

/// One item a second, for silence and ping bookkeeping across however many sockets are open.
pub fn ticks() -> impl Stream<Item = ()> {
    IntervalStream::new(1_000)
}

fn reason_suffix(reason: &str) -> String {
    if reason.is_empty() {
        String::new()
    } else {
        format!(": {reason}")
    }
}
