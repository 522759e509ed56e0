//! Firehose scenario for benchmarks: `firehose_rate` whole-conversation snapshots per second,
//! delivered like real traffic (to every socket subscribed to the queue or agent topic).
//! Each conversation has 4–6 participants (customer, an IVR for voice, one or more queues it
//! overflowed through, the agent), the size of a real routed interaction's snapshot. The rate can be
//! changed while running (`POST /sim/firehose`), so a benchmark can step it without a restart; with
//! `finalOnly` each conversation is published once, already wrapped up (one decided leg per frame), so
//! a benchmark can fill a feed with 100k wrap-ups in a minute.
//! The wrap-up's `endTime` is the instant its snapshot is published: a client's latency from
//! "sent" to "shown" is its clock minus that field.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::clock::{iso, now};
use crate::store::conversation::{
    AcwState, CommState, Conversation, Disconnect, Media, Origin, Outcome, Participant, Purpose,
    TIMEOUT_CODE, Wrapup,
};
use crate::store::directory::seeded_uuid;
use crate::store::{Sim, TruthEntry, World};

/// Conversations in flight at once (so consecutive events belong to different conversations).
const POOL: usize = 64;

struct InFlight {
    conv: Conversation,
    step: u8,
    outcome: Outcome,
    code: Option<String>,
}

/// Emits snapshots at the configured rate until shutdown. Firehose conversations are not stored
/// (memory stays flat over long benchmarks) but their outcomes are recorded in `/sim/truth`.
pub async fn run(sim: Arc<Sim>) {
    let mut rng = ChaCha8Rng::seed_from_u64(sim.cfg.seed ^ 0xF12E);
    let mut pool: VecDeque<InFlight> = VecDeque::new();
    let mut budget = 0.0;
    let tick = Duration::from_millis(10);
    let mut last = tokio::time::Instant::now();
    loop {
        tokio::select! {
            _ = sim.clock.cancelled() => return,
            _ = tokio::time::sleep(tick) => {}
        }
        let t_now = tokio::time::Instant::now();
        let rate = f64::from(sim.firehose_rate.load(Ordering::Relaxed));
        budget += rate * (t_now - last).as_secs_f64();
        last = t_now;
        let mut w = sim.lock();
        if sim.clock.is_paused() || rate == 0.0 {
            budget = 0.0;
            continue;
        }
        while budget >= 1.0 {
            budget -= 1.0;
            let final_only = sim.firehose_final_only.load(Ordering::Relaxed);
            if final_only || pool.len() < POOL || pool.front().is_none() {
                let q = w.dir.queues.choose(&mut rng).expect("queues exist").clone();
                let agents = w.dir.queue_agents(q.id);
                let Some(agent) = agents.choose(&mut rng).copied() else {
                    continue;
                };
                let t = now();
                let media = *Media::ALL.choose(&mut rng).expect("non-empty");
                let mut participants = vec![Participant::new(
                    seeded_uuid(&mut rng),
                    seeded_uuid(&mut rng),
                    Purpose::Customer,
                    "Firehose customer",
                    "tel:+15550100000",
                    t,
                    CommState::Connected,
                )];
                participants[0].open_segment("interact", t);
                // Routing history before the agent: an IVR for voice, then queues it overflowed through.
                let earlier_queues = if media == Media::Voice {
                    let mut ivr = Participant::new(
                        seeded_uuid(&mut rng),
                        seeded_uuid(&mut rng),
                        Purpose::Ivr,
                        "Main IVR",
                        "tel:+18005550100",
                        t,
                        CommState::Connected,
                    );
                    ivr.open_segment("ivr", t);
                    ivr.disconnect(t, Disconnect::Transfer);
                    participants.push(ivr);
                    rng.random_range(0..=2)
                } else {
                    rng.random_range(1..=3)
                };
                for _ in 0..earlier_queues {
                    let overflow = w.dir.queues.choose(&mut rng).expect("queues exist");
                    let mut acd = Participant::new(
                        seeded_uuid(&mut rng),
                        seeded_uuid(&mut rng),
                        Purpose::Acd,
                        overflow.name,
                        "",
                        t,
                        CommState::Connected,
                    );
                    acd.queue_id = Some(overflow.id);
                    acd.disconnect(t, Disconnect::Transfer);
                    participants.push(acd);
                }
                let mut acd = Participant::new(
                    seeded_uuid(&mut rng),
                    seeded_uuid(&mut rng),
                    Purpose::Acd,
                    q.name,
                    "",
                    t,
                    CommState::Connected,
                );
                acd.queue_id = Some(q.id);
                participants.push(acd);
                let mut leg = Participant::new(
                    seeded_uuid(&mut rng),
                    seeded_uuid(&mut rng),
                    Purpose::Agent,
                    w.dir.user(agent).map_or("Agent", |u| u.name.as_str()),
                    "",
                    t,
                    CommState::Alerting,
                );
                leg.user_id = Some(agent);
                leg.queue_id = Some(q.id);
                leg.acw.prompt = Some(q.prompt.participant_str());
                leg.acw.timeout_ms = q.timeout_ms;
                let r: f64 = rng.random();
                let (outcome, code) = if r < 0.7 {
                    (
                        Outcome::Submitted,
                        Some(q.code_ids.choose(&mut rng).expect("codes").to_string()),
                    )
                } else if r < 0.8 {
                    (Outcome::Skipped, None)
                } else if r < 0.9 {
                    (Outcome::TimedOut, Some(TIMEOUT_CODE.to_string()))
                } else {
                    (Outcome::NotRequired, None)
                };
                participants.push(leg);
                let conv = Conversation {
                    id: seeded_uuid(&mut rng),
                    media,
                    queue_id: q.id,
                    division_id: q.division_id,
                    start: t,
                    end: None,
                    address: "tel:+18005550100".into(),
                    subject: None,
                    external_tag: None,
                    callback: None,
                    participants,
                    origin: Origin::Firehose,
                    lag_factor: 1.0,
                };
                let mut f = InFlight {
                    conv,
                    step: 1,
                    outcome,
                    code,
                };
                if final_only {
                    while !advance(&mut f, t) {}
                    w.publish_snapshot(&f.conv);
                    record_truth(&mut w, &f, t);
                } else {
                    w.publish_snapshot(&f.conv);
                    pool.push_back(f);
                }
                continue;
            }
            let Some(mut f) = pool.pop_front() else {
                continue;
            };
            let t = now();
            let done = advance(&mut f, t);
            w.publish_snapshot(&f.conv);
            if done {
                record_truth(&mut w, &f, t);
            } else {
                pool.push_back(f);
            }
        }
    }
}

/// The agent leg's outcome goes to `/sim/truth`.
fn record_truth(w: &mut World, f: &InFlight, t: time::OffsetDateTime) {
    let p = f.conv.participants.last().expect("the agent leg is last");
    w.truth.push(TruthEntry {
        conversation_id: f.conv.id,
        participant_id: p.id,
        user_id: p.user_id.expect("agent leg"),
        queue_id: f.conv.queue_id,
        media_type: f.conv.media,
        outcome: f.outcome,
        code: f.code.clone(),
        time: iso(t),
    });
}

/// Moves a firehose conversation one step; `true` when the agent leg became final.
fn advance(f: &mut InFlight, t: time::OffsetDateTime) -> bool {
    let required = f.outcome != Outcome::NotRequired;
    let (leg, head) = f
        .conv
        .participants
        .split_last_mut()
        .expect("a firehose conversation has participants");
    match f.step {
        1 => {
            // The queue that held the interaction hands it to the agent.
            if let Some(acd) = head.last_mut() {
                acd.disconnect(t, Disconnect::Transfer);
            }
            leg.connect(t);
            leg.acw.required = required;
            f.step = 2;
            false
        }
        2 => {
            head[0].disconnect(t, Disconnect::Endpoint);
            leg.disconnect(t, Disconnect::Peer);
            f.conv.end = Some(t);
            if !required {
                leg.acw.state = Some(AcwState::NotApplicable);
                return true;
            }
            leg.acw.state = Some(AcwState::Pending);
            leg.acw.start = Some(t);
            f.step = 3;
            false
        }
        _ => {
            leg.acw.end = Some(t);
            match f.outcome {
                Outcome::Skipped => {
                    leg.acw.state = Some(AcwState::Skipped);
                    leg.acw.skipped = true;
                }
                _ => {
                    leg.acw.state = Some(AcwState::Complete);
                    let code = f.code.clone().unwrap_or_default();
                    leg.acw.wrapup = Some(Wrapup {
                        name: code.clone(),
                        code,
                        notes: None,
                        tags: vec![],
                        duration_seconds: 0,
                        end_time: t,
                    });
                }
            }
            true
        }
    }
}
