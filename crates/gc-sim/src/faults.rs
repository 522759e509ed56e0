//! Fault injection (`POST /sim/faults`): rate limit, forced 429s and 503s (optionally aimed at one path),
//! random 503s, slow responses, dropped sockets, stalled sockets, paused heartbeats, socket_closing,
//! channel/token expiry, a channel reported gone on its
//! open socket, malformed frames, the PKCE refresh-token switch; plus chaos.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use rand::Rng;
use serde::Deserialize;

use crate::clock::now;
use crate::hub;
use crate::store::Sim;
use crate::store::channels::Outbound;
use crate::store::faults::Faults;

/// Body of `POST /sim/faults`: every field optional; switches persist, actions happen once.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultRequest {
    /// Switch: requests per minute before 429.
    pub rate_limit_per_minute: Option<u32>,
    /// Switch: answer the next N requests with 429.
    #[serde(rename = "force429")]
    pub force_429: Option<u32>,
    /// Switch: answer the next N requests with 503.
    #[serde(rename = "force503")]
    pub force_503: Option<u32>,
    /// Switch: `force429`/`force503` only hit requests whose path and query contain this text
    /// (`""` clears it).
    pub fault_path: Option<String>,
    /// Switch: fraction of requests answered 503.
    #[serde(rename = "error503Rate")]
    pub error_503_rate: Option<f64>,
    /// Switch: added latency (ms).
    pub delay_ms: Option<u64>,
    /// Switch: pause heartbeats.
    pub pause_heartbeats: Option<bool>,
    /// Switch: the next N analytics jobs end FAILED.
    pub fail_jobs: Option<u32>,
    /// Switch: PKCE token answers carry a `refresh_token`; off also discards every issued one.
    pub pkce_refresh_tokens: Option<bool>,
    /// Action: drop every socket without a close frame.
    pub drop_sockets: Option<bool>,
    /// Action: every open socket goes silent but stays open, as over a dead network path: no
    /// events, heartbeats or pongs reach the client until it gives up and reconnects.
    pub stall_sockets: Option<bool>,
    /// Action: send `v2.system.socket_closing` to every socket, close them after the grace period.
    pub socket_closing: Option<bool>,
    /// Action: expire a channel now (`"all"` for every channel).
    pub expire_channel: Option<String>,
    /// Action: expire every access token now (401 from then on; their channels die).
    pub expire_tokens: Option<bool>,
    /// Action: expire every refresh token now (the refresh grant answers `invalid_grant`).
    pub expire_refresh_tokens: Option<bool>,
    /// Action: a channel id or `"all"`: the channel is gone (HEAD 404, reconnect refused) and its
    /// open socket gets `{"result":"404",…}` but stays open until the client closes it.
    pub channel_gone_message: Option<String>,
    /// Action: send N malformed frames to every socket.
    pub malformed_frames: Option<u32>,
    /// Action: reset every switch to its default first.
    pub reset: Option<bool>,
}

/// Applies a fault request; returns the switches afterwards.
pub fn apply(sim: &Arc<Sim>, req: FaultRequest) -> Result<Faults, String> {
    if let Some(r) = req.error_503_rate
        && !(0.0..=1.0).contains(&r)
    {
        return Err("error503Rate must be between 0 and 1".into());
    }
    let mut w = sim.lock();
    if req.reset == Some(true) {
        w.faults = Faults::new(&sim.cfg);
    }
    if let Some(v) = req.rate_limit_per_minute {
        w.faults.rate_limit_per_minute = v;
        w.rate.clear();
    }
    if let Some(v) = req.force_429 {
        w.faults.force_429 = v;
    }
    if let Some(v) = req.force_503 {
        w.faults.force_503 = v;
    }
    if let Some(v) = &req.fault_path {
        w.faults.fault_path = Some(v.clone()).filter(|p| !p.is_empty());
    }
    if let Some(v) = req.error_503_rate {
        w.faults.error_503_rate = v;
    }
    if let Some(v) = req.delay_ms {
        w.faults.delay_ms = v;
    }
    if let Some(v) = req.pause_heartbeats {
        w.faults.pause_heartbeats = v;
    }
    if let Some(v) = req.fail_jobs {
        w.faults.fail_jobs = v;
    }
    if let Some(v) = req.pkce_refresh_tokens {
        w.faults.pkce_refresh_tokens = v;
    }
    if !w.faults.pkce_refresh_tokens {
        // "Genesys issues none": tokens handed out while the switch was on stop working too.
        w.refresh_tokens.clear();
    }
    if req.expire_refresh_tokens == Some(true) {
        let t = now();
        for r in w.refresh_tokens.values_mut() {
            r.expires = r.expires.min(t);
        }
    }
    if let Some(which) = &req.channel_gone_message {
        let gone: Vec<String> = w
            .channels
            .keys()
            .filter(|id| which == "all" || *id == which)
            .cloned()
            .collect();
        count(&sim.stats.channels_expired, gone.len());
        for id in gone {
            if let Some(c) = w.channels.remove(&id)
                && let Some(s) = c.socket
            {
                let frame = crate::unconfirmed::channel_gone_message(&c.id).to_string();
                w.publisher.frames(s.tx, vec![Outbound::Gone(frame)]);
            }
        }
    }
    if req.expire_tokens == Some(true) {
        count(&sim.stats.token_expiries, 1);
        let t = now();
        for tok in w.tokens.values_mut() {
            tok.expires = tok.expires.min(t);
        }
    }
    if let Some(which) = &req.expire_channel {
        let t = now();
        let mut expired = 0;
        for c in w
            .channels
            .values_mut()
            .filter(|c| which == "all" || &c.id == which)
        {
            c.expires = t;
            expired += 1;
        }
        count(&sim.stats.channels_expired, expired);
    }
    w.drop_invalid_channels();
    if let Some(n) = req.malformed_frames {
        for c in w.channels.values() {
            let Some(s) = &c.socket else { continue };
            let topic = c.topics.first().map(|t| t.id.as_str());
            let frames = hub::malformed_frames(topic)
                .into_iter()
                .cycle()
                .take(n as usize)
                .collect();
            w.publisher.frames(s.tx.clone(), frames);
        }
    }
    if req.drop_sockets == Some(true) {
        let dropped: Vec<_> = w
            .channels
            .values_mut()
            .filter_map(|c| c.socket.take())
            .collect();
        count(&sim.stats.sockets_dropped, dropped.len());
        for s in dropped {
            w.publisher.frames(s.tx, vec![Outbound::Drop]);
        }
    }
    if req.stall_sockets == Some(true) {
        let open: Vec<_> = w
            .channels
            .values()
            .filter_map(|c| c.socket.as_ref().map(|s| s.tx.clone()))
            .collect();
        count(&sim.stats.sockets_stalled, open.len());
        for tx in open {
            w.publisher.frames(tx, vec![Outbound::Stall]);
        }
    }
    if req.socket_closing == Some(true) {
        let grace = sim.clock.real(sim.cfg.socket_closing_grace);
        for c in w.channels.values() {
            let Some(s) = &c.socket else { continue };
            count(&sim.stats.socket_closings, 1);
            let closing = Outbound::Text(hub::socket_closing(&c.id, c.user_id));
            w.publisher.frames(s.tx.clone(), vec![closing]);
            let (sim, channel_id, conn_id) = (sim.clone(), c.id.clone(), s.conn_id);
            tokio::spawn(async move {
                tokio::select! {
                    _ = sim.clock.cancelled() => {}
                    _ = tokio::time::sleep(grace) => {
                        let w = sim.lock();
                        if let Some(s) = w.channels.get(&channel_id).and_then(|c| c.socket.as_ref()).filter(|s| s.conn_id == conn_id) {
                            let (code, reason) = crate::unconfirmed::SOCKET_CLOSING_CLOSE;
                            w.publisher.frames(s.tx.clone(), vec![Outbound::Close(code, reason)]);
                        }
                    }
                }
            });
        }
    }
    Ok(w.faults.clone())
}

/// Housekeeping every half second: expired channels/tokens lose their sockets, stale codes go.
pub async fn janitor(sim: Arc<Sim>) {
    loop {
        tokio::select! {
            _ = sim.clock.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_millis(500)) => {}
        }
        let mut w = sim.lock();
        w.drop_invalid_channels();
        let t = now();
        w.auth_codes.retain(|_, c| c.is_live(t));
    }
}

/// Add `n` to a fault counter shown in `/sim/state`.
fn count(counter: &AtomicU64, n: usize) {
    counter.fetch_add(n as u64, Ordering::Relaxed);
}

/// The chaos scenario: every 20 simulated seconds one seeded fault, reverted after a while.
/// Mix: 429 burst (3 requests), 503 spell (30% for 10 s), slow responses (1.5 s for 10 s), dropped
/// sockets, 75 s of missed heartbeats (wall-clock, to trip a client watchdog), socket_closing,
/// three malformed frames.
pub async fn chaos_loop(sim: Arc<Sim>) {
    loop {
        if !sim.clock.sleep_secs(20.0).await {
            return;
        }
        let pick = sim.lock().rng.random_range(0..7u32);
        let (name, req, revert, after) = match pick {
            0 => (
                "429 burst",
                FaultRequest {
                    force_429: Some(3),
                    ..Default::default()
                },
                None,
                0.0,
            ),
            1 => (
                "503 spell",
                FaultRequest {
                    error_503_rate: Some(0.3),
                    ..Default::default()
                },
                Some(FaultRequest {
                    error_503_rate: Some(0.0),
                    ..Default::default()
                }),
                10.0,
            ),
            2 => (
                "slow responses",
                FaultRequest {
                    delay_ms: Some(1500),
                    ..Default::default()
                },
                Some(FaultRequest {
                    delay_ms: Some(0),
                    ..Default::default()
                }),
                10.0,
            ),
            3 => (
                "dropped sockets",
                FaultRequest {
                    drop_sockets: Some(true),
                    ..Default::default()
                },
                None,
                0.0,
            ),
            4 => (
                "missed heartbeats",
                FaultRequest {
                    pause_heartbeats: Some(true),
                    ..Default::default()
                },
                Some(FaultRequest {
                    pause_heartbeats: Some(false),
                    ..Default::default()
                }),
                -75.0,
            ),
            5 => (
                "socket_closing",
                FaultRequest {
                    socket_closing: Some(true),
                    ..Default::default()
                },
                None,
                0.0,
            ),
            _ => (
                "malformed frames",
                FaultRequest {
                    malformed_frames: Some(3),
                    ..Default::default()
                },
                None,
                0.0,
            ),
        };
        if sim.cfg.log_requests {
            eprintln!("chaos: {name}");
        }
        let _ = apply(&sim, req);
        if let Some(revert) = revert {
            let sim2 = sim.clone();
            tokio::spawn(async move {
                // Negative = wall-clock seconds (heartbeat faults are about real time).
                let ok = if after < 0.0 {
                    tokio::select! { _ = sim2.clock.cancelled() => false, _ = tokio::time::sleep(Duration::from_secs_f64(-after)) => true }
                } else {
                    sim2.clock.sleep_secs(after).await
                };
                if ok {
                    let _ = apply(&sim2, revert);
                }
            });
        }
    }
}
