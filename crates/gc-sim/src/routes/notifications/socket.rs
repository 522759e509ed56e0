//! The notification WebSocket at `/channels/{id}`: no auth (the channel id is the secret), one socket
//! per channel, heartbeats every `heartbeat`, `{"message":"ping"}` → pong, and fault hooks
//! (including a channel reported gone on the open socket).

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tokio::sync::mpsc;
use tokio::time::{Instant, MissedTickBehavior};

use crate::clock::now;
use crate::hub;
use crate::store::Sim;
use crate::store::channels::{Outbound, SocketConn};
use crate::unconfirmed as uc;

/// `GET /channels/{id}` upgrade. Unknown, expired or evicted channels are refused with 404 before
/// the handshake. A second connection replaces the first (see `unconfirmed::REPLACED_CLOSE`).
pub async fn upgrade(
    State(sim): State<Arc<Sim>>,
    Path(id): Path<String>,
    ws: WebSocketUpgrade,
) -> Response {
    let (conn_id, rx) = {
        let mut w = sim.lock();
        w.drop_invalid_channels();
        let conn_id = w.next_conn_id;
        let Some(ch) = w.channels.get_mut(&id) else {
            return (StatusCode::NOT_FOUND, "channel not found").into_response();
        };
        let (tx, rx) = mpsc::unbounded_channel();
        let replaced = ch.socket.replace(SocketConn { conn_id, tx });
        ch.last_used = now();
        if let Some(old) = replaced {
            let (code, reason) = uc::REPLACED_CLOSE;
            w.publisher
                .frames(old.tx, vec![Outbound::Close(code, reason)]);
        }
        w.next_conn_id += 1;
        (conn_id, rx)
    };
    ws.on_upgrade(move |socket| run(sim, id, conn_id, socket, rx))
}

/// After the channel-gone frame: nothing more is sent (no heartbeats, no pongs); wait for the
/// client to close, or close ourselves after the grace.
async fn linger_gone(sim: &Sim, ws: &mut WebSocket) {
    let deadline = tokio::time::sleep(sim.cfg.channel_gone_grace);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            _ = sim.clock.cancelled() => return,
            _ = &mut deadline => {
                let (code, reason) = uc::CHANNEL_GONE_CLOSE;
                let _ = ws.send(Message::Close(Some(CloseFrame { code, reason: reason.into() }))).await;
                return;
            }
            incoming = ws.recv() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
        }
    }
}

/// A stalled socket: stays open, reads what the client sends, and delivers nothing (no heartbeats,
/// no pongs; queued frames are counted and discarded) until the client closes or is replaced.
async fn stall(sim: &Sim, ws: &mut WebSocket, rx: &mut mpsc::UnboundedReceiver<Outbound>) {
    loop {
        tokio::select! {
            _ = sim.clock.cancelled() => return,
            out = rx.recv() => match out {
                Some(Outbound::Text(_) | Outbound::Binary(_) | Outbound::Gone(_)) => {
                    sim.stats.frames_lost_to_stalls.fetch_add(1, Ordering::Relaxed);
                }
                Some(Outbound::Stall) => {}
                Some(Outbound::Close(..) | Outbound::Drop) | None => return,
            },
            incoming = ws.recv() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
        }
    }
}

fn is_ping(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text)
        .is_ok_and(|v| v.get("message").and_then(|m| m.as_str()) == Some("ping"))
}

async fn run(
    sim: Arc<Sim>,
    channel_id: String,
    conn_id: u64,
    mut ws: WebSocket,
    mut rx: mpsc::UnboundedReceiver<Outbound>,
) {
    let hb = sim.cfg.heartbeat.max(std::time::Duration::from_millis(10));
    let mut ticker = tokio::time::interval_at(Instant::now() + hb, hb);
    ticker.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let graceful = loop {
        tokio::select! {
            _ = sim.clock.cancelled() => {
                let _ = ws.send(Message::Close(Some(CloseFrame { code: 1001, reason: "gc-sim shutting down".into() }))).await;
                break true;
            }
            out = rx.recv() => match out {
                Some(Outbound::Text(t)) => if ws.send(Message::Text(t.into())).await.is_err() { break true },
                Some(Outbound::Binary(b)) => if ws.send(Message::Binary(b.into())).await.is_err() { break true },
                Some(Outbound::Close(code, reason)) => {
                    let _ = ws.send(Message::Close(Some(CloseFrame { code, reason: reason.into() }))).await;
                    break true;
                }
                // Abrupt: drop the TCP stream without a close frame.
                Some(Outbound::Drop) | None => break false,
                Some(Outbound::Stall) => {
                    stall(&sim, &mut ws, &mut rx).await;
                    break true;
                }
                Some(Outbound::Gone(frame)) => {
                    if ws.send(Message::Text(frame.into())).await.is_ok() {
                        linger_gone(&sim, &mut ws).await;
                    }
                    break true;
                }
            },
            _ = ticker.tick() => {
                if !sim.lock().faults.pause_heartbeats {
                    if ws.send(Message::Text(hub::heartbeat().into())).await.is_err() { break true }
                    sim.stats.heartbeats_sent.fetch_add(1, Ordering::Relaxed);
                }
            }
            incoming = ws.recv() => match incoming {
                Some(Ok(Message::Text(t))) => {
                    if is_ping(t.as_str()) && ws.send(Message::Text(hub::pong().into())).await.is_err() { break true }
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break true,
                Some(Ok(_)) => {}
            },
        }
    };
    {
        let mut w = sim.lock();
        if let Some(ch) = w.channels.get_mut(&channel_id)
            && ch.socket.as_ref().is_some_and(|s| s.conn_id == conn_id)
        {
            ch.socket = None;
            ch.last_used = now();
        }
    }
    if !graceful {
        drop(ws);
    }
}
