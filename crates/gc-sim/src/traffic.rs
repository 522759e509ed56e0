//! The traffic model: seeded plans (media, queue, agents, outcomes, durations) and the runner that
//! plays a plan through the world, publishing a whole-conversation snapshot after every change.

use std::collections::BTreeMap;
use std::sync::Arc;

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use crate::clock::{Ts, now};
use crate::conversation::{
    AcwState, CallbackInfo, CommState, Conversation, Disconnect, Media, Origin, Outcome,
    Participant, Purpose, TIMEOUT_CODE, Wrapup,
};
use crate::directory_data::{Directory, QueuePrompt, seeded_uuid};
use crate::world::{Sim, World};

/// What ends a leg's after-call work.
#[derive(Debug, Clone, PartialEq)]
pub enum AcwPlan {
    /// No ACW for this leg (`wrapupRequired: false`).
    NotRequired,
    /// The agent submits `code` after `secs`.
    Submit {
        /// Wrap-up code id.
        code: Uuid,
        /// Notes.
        notes: Option<String>,
        /// Seconds in ACW.
        secs: f64,
    },
    /// The agent skips ACW after `secs` (0 = at once, giving a zero-length wrapup segment).
    Skip {
        /// Seconds in ACW.
        secs: f64,
    },
    /// Nobody codes; after `wrapupTimeoutMs` the system applies `ININ-WRAP-UP-TIMEOUT`.
    Timeout,
}

/// How an agent leg goes.
#[derive(Debug, Clone, PartialEq)]
pub enum LegKind {
    /// Alerts, then times out without being answered.
    NotAnswered,
    /// Answered; talks for `talk` seconds; then transfers away or the customer hangs up.
    Answered {
        /// Talk seconds.
        talk: f64,
        /// Ends with a transfer to the next leg.
        transfer_out: bool,
        /// After-call work.
        acw: AcwPlan,
    },
}

/// One agent leg of a plan.
#[derive(Debug, Clone)]
pub struct LegPlan {
    /// Participant id.
    pub participant_id: Uuid,
    /// Communication id.
    pub comm_id: Uuid,
    /// Agent.
    pub user_id: Uuid,
    /// Seconds alerting.
    pub alert: f64,
    /// Participant-side prompt spelling.
    pub prompt: &'static str,
    /// `wrapupTimeoutMs`.
    pub timeout_ms: Option<u64>,
    /// What happens.
    pub kind: LegKind,
    /// Milliseconds the wrapup segment starts before the interact segment ends (realistic overlap).
    pub overlap_ms: i64,
}

impl LegPlan {
    /// The outcome this leg will end with.
    pub fn outcome(&self) -> Outcome {
        match &self.kind {
            LegKind::NotAnswered => Outcome::NotRequired,
            LegKind::Answered { acw, .. } => match acw {
                AcwPlan::NotRequired => Outcome::NotRequired,
                AcwPlan::Submit { .. } => Outcome::Submitted,
                AcwPlan::Skip { .. } => Outcome::Skipped,
                AcwPlan::Timeout => Outcome::TimedOut,
            },
        }
    }
}

/// Where a conversation without an agent ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Abandon {
    /// Reaches agents.
    No,
    /// Customer hangs up in the IVR (IVR-only conversation).
    InIvr,
    /// Customer hangs up while queued.
    InQueue,
}

/// A complete, seeded script for one conversation.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Conversation id.
    pub conversation_id: Uuid,
    /// Media.
    pub media: Media,
    /// Queue.
    pub queue_id: Uuid,
    /// Origin.
    pub origin: Origin,
    /// Customer participant and communication ids.
    pub customer: (Uuid, Uuid),
    /// Customer display name.
    pub customer_name: String,
    /// Customer address.
    pub customer_address: String,
    /// IVR participant, communication and seconds (voice only).
    pub ivr: Option<(Uuid, Uuid, f64)>,
    /// ACD participant and communication ids.
    pub acd: (Uuid, Uuid),
    /// Seconds waiting in queue before the first alert.
    pub queue_wait: f64,
    /// Abandonment.
    pub abandon: Abandon,
    /// Agent legs in order.
    pub legs: Vec<LegPlan>,
    /// Participant data for the customer and ACD participants.
    pub attributes: BTreeMap<String, String>,
    /// Callback details (callback media).
    pub callback: Option<CallbackInfo>,
    /// Email subject.
    pub subject: Option<String>,
    /// Per-conversation analytics lag factor.
    pub lag_factor: f64,
}

/// Seeded plan generator for background traffic.
pub struct PlanGen {
    rng: ChaCha8Rng,
}

const NOTES: [&str; 4] = [
    "Customer will call back",
    "Sent follow-up email",
    "Explained next steps",
    "Escalated per policy",
];

/// Tunables for generated durations (simulated seconds).
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    /// Multiplier on every duration (warm-up uses a small one so the feed fills at once).
    pub scale: f64,
}

impl PlanGen {
    /// A generator for `seed` (independent of the directory stream).
    pub fn new(seed: u64) -> Self {
        Self {
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0x7A_FF1C),
        }
    }

    /// The next inter-arrival gap (simulated seconds).
    pub fn next_gap(&mut self) -> f64 {
        self.rng.random_range(0.6..1.8)
    }

    fn id(&mut self) -> Uuid {
        seeded_uuid(&mut self.rng)
    }

    fn secs(&mut self, lo: f64, hi: f64, pace: Pace) -> f64 {
        self.rng.random_range(lo..hi) * pace.scale
    }

    /// The ACW plan for a leg on a queue with `prompt`, picking codes the queue offers.
    fn acw_for(&mut self, dir: &Directory, w: &World, queue_id: Uuid, pace: Pace) -> AcwPlan {
        let q = dir.queue(queue_id).expect("queue exists");
        let codes: Vec<Uuid> = q
            .code_ids
            .iter()
            .copied()
            .filter(|c| w.code_live(*c))
            .collect();
        let submit = |g: &mut Self| {
            let code = *codes.choose(&mut g.rng).expect("every queue has codes");
            let notes = g
                .rng
                .random_bool(0.3)
                .then(|| NOTES.choose(&mut g.rng).expect("non-empty").to_string());
            AcwPlan::Submit {
                code,
                notes,
                secs: g.secs(3.0, 10.0, pace),
            }
        };
        match q.prompt {
            QueuePrompt::Mandatory => submit(self),
            QueuePrompt::Optional => {
                if self.rng.random_bool(0.25) {
                    let secs = if self.rng.random_bool(0.5) {
                        0.0
                    } else {
                        self.secs(1.0, 4.0, pace)
                    };
                    AcwPlan::Skip { secs }
                } else {
                    submit(self)
                }
            }
            QueuePrompt::MandatoryTimeout | QueuePrompt::MandatoryForcedTimeout => {
                if self.rng.random_bool(0.3) {
                    AcwPlan::Timeout
                } else {
                    submit(self)
                }
            }
            QueuePrompt::AgentRequested => {
                if self.rng.random_bool(0.5) {
                    AcwPlan::NotRequired
                } else if self.rng.random_bool(0.3) {
                    AcwPlan::Timeout
                } else {
                    submit(self)
                }
            }
        }
    }

    /// A background-traffic plan.
    pub fn plan(&mut self, dir: &Directory, w: &World, pace: Pace) -> Plan {
        self.plan_with(dir, w, pace, None, None, false)
    }

    /// A plan with the media and/or queue forced; `reach_agent` rules out abandonment.
    pub fn plan_with(
        &mut self,
        dir: &Directory,
        w: &World,
        pace: Pace,
        media: Option<Media>,
        queue: Option<Uuid>,
        reach_agent: bool,
    ) -> Plan {
        let mix = [
            Media::Voice,
            Media::Voice,
            Media::Voice,
            Media::Callback,
            Media::Chat,
            Media::Chat,
            Media::Email,
            Media::Message,
        ];
        let drawn_media = *mix.choose(&mut self.rng).expect("non-empty");
        let media = media.unwrap_or(drawn_media);
        let drawn_queue = dir
            .queues
            .choose(&mut self.rng)
            .expect("at least one queue")
            .clone();
        let queue = queue
            .and_then(|q| dir.queue(q))
            .cloned()
            .unwrap_or(drawn_queue);
        let agents = dir.queue_agents(queue.id);
        let conversation_id = self.id();
        let customer = (self.id(), self.id());
        let acd = (self.id(), self.id());
        let ivr =
            (media == Media::Voice).then(|| (self.id(), self.id(), self.secs(2.0, 5.0, pace)));
        let roll: f64 = self.rng.random();
        let abandon = if reach_agent {
            Abandon::No
        } else if ivr.is_some() && roll < 0.05 {
            Abandon::InIvr
        } else if roll < 0.10 {
            Abandon::InQueue
        } else {
            Abandon::No
        };
        let timeout_ms = queue.timeout_ms;
        let mut legs = Vec::new();
        if abandon == Abandon::No && !agents.is_empty() {
            let mut last: Option<Uuid> = None;
            for i in 0..3 {
                let user_id = {
                    let others: Vec<Uuid> = agents
                        .iter()
                        .copied()
                        .filter(|a| Some(*a) != last)
                        .collect();
                    *others.choose(&mut self.rng).unwrap_or(&agents[0])
                };
                last = Some(user_id);
                let r: f64 = self.rng.random();
                let is_last = i == 2;
                let (kind, more) = if r < 0.08 && !is_last {
                    (LegKind::NotAnswered, true)
                } else {
                    let transfer_out = r < 0.20 && !is_last;
                    let acw = self.acw_for(dir, w, queue.id, pace);
                    (
                        LegKind::Answered {
                            talk: self.secs(6.0, 22.0, pace),
                            transfer_out,
                            acw,
                        },
                        transfer_out,
                    )
                };
                let overlap_ms = if self.rng.random_bool(0.3) {
                    self.rng.random_range(1..15)
                } else {
                    0
                };
                legs.push(LegPlan {
                    participant_id: self.id(),
                    comm_id: self.id(),
                    user_id,
                    alert: self.secs(1.0, 4.0, pace),
                    prompt: queue.prompt.participant_str(),
                    timeout_ms,
                    kind,
                    overlap_ms,
                });
                if !more {
                    break;
                }
            }
        }
        let n: u32 = self.rng.random_range(100..999);
        let customer_name = format!("Customer {n}");
        let customer_address = match media {
            Media::Voice | Media::Callback => format!("tel:+1555010{n:04}"),
            Media::Email => format!("customer{n}@example.net"),
            Media::Chat | Media::Message => customer_name.clone(),
        };
        let mut attributes = BTreeMap::new();
        attributes.insert(
            "gcsim.segment".into(),
            ["retail", "business", "vip"]
                .choose(&mut self.rng)
                .expect("non-empty")
                .to_string(),
        );
        let callback = (media == Media::Callback).then(|| CallbackInfo {
            numbers: vec![format!("+1555010{n:04}")],
            user_name: Some(customer_name.clone()),
            scheduled: None,
        });
        let subject = (media == Media::Email)
            .then(|| format!("Question about my {} account", queue.name.to_lowercase()));
        Plan {
            conversation_id,
            media,
            queue_id: queue.id,
            origin: Origin::Traffic,
            customer,
            customer_name,
            customer_address,
            ivr,
            acd,
            queue_wait: self.secs(1.0, 4.0, pace),
            abandon,
            legs,
            attributes,
            callback,
            subject,
            lag_factor: self.rng.random_range(0.8..1.2),
        }
    }
}

/// Applies a change to a stored conversation and publishes the new snapshot. The pause flag is
/// checked under the world lock (and flipped under it by `/sim/pause`), so once a pause request
/// returns no conversation changes until resume. `false` on shutdown.
async fn update(sim: &Sim, id: Uuid, f: impl FnOnce(&mut World, Ts)) -> bool {
    loop {
        {
            let mut w = sim.lock();
            if !sim.clock.is_paused() {
                let t = now();
                f(&mut w, t);
                w.publish(id, &sim.stats);
                return true;
            }
        }
        if !sim.clock.wait_unpaused().await {
            return false;
        }
    }
}

fn conv(w: &mut World, id: Uuid) -> &mut Conversation {
    w.conversations
        .get_mut(&id)
        .expect("conversation stored before its steps run")
}

/// Builds the initial conversation (customer + IVR or ACD).
fn initial(plan: &Plan, dir: &Directory, t: Ts) -> Conversation {
    let q = dir.queue(plan.queue_id).expect("queue exists");
    let mut customer = Participant::new(
        plan.customer.0,
        plan.customer.1,
        Purpose::Customer,
        &plan.customer_name,
        &plan.customer_address,
        t,
        CommState::Connected,
    );
    customer.attributes = plan.attributes.clone();
    customer.open_segment(
        if plan.media == Media::Callback {
            "callback"
        } else {
            "interact"
        },
        t,
    );
    let mut participants = vec![customer];
    match plan.ivr {
        Some((pid, cid, _)) => {
            let mut ivr = Participant::new(
                pid,
                cid,
                Purpose::Ivr,
                "Main IVR",
                "tel:+18005550100",
                t,
                CommState::Connected,
            );
            ivr.open_segment("ivr", t);
            participants.push(ivr);
        }
        None => participants.push(acd_participant(plan, q.name, t)),
    }
    Conversation {
        id: plan.conversation_id,
        media: plan.media,
        queue_id: plan.queue_id,
        division_id: q.division_id,
        start: t,
        end: None,
        address: match plan.media {
            Media::Voice | Media::Callback => "tel:+18005550100".into(),
            Media::Email => "support@example.com".into(),
            Media::Chat | Media::Message => "gc-sim web messaging".into(),
        },
        subject: plan.subject.clone(),
        external_tag: None,
        callback: plan.callback.clone(),
        participants,
        origin: plan.origin,
        lag_factor: plan.lag_factor,
    }
}

fn acd_participant(plan: &Plan, queue_name: &str, t: Ts) -> Participant {
    let mut acd = Participant::new(
        plan.acd.0,
        plan.acd.1,
        Purpose::Acd,
        queue_name,
        "",
        t,
        CommState::Connected,
    );
    acd.queue_id = Some(plan.queue_id);
    acd.attributes = plan.attributes.clone();
    acd.open_segment("interact", t);
    acd.metric("nOffered", 1, t);
    acd
}

fn ms(a: Ts, b: Ts) -> i64 {
    (b - a).whole_milliseconds().max(0) as i64
}

/// Customer gives up: everyone still connected disconnects and the conversation ends.
fn abandon_now(c: &mut Conversation, t: Ts) {
    for p in &mut c.participants {
        if p.is_disconnected() {
            continue;
        }
        let why = if p.purpose == Purpose::Customer {
            Disconnect::Endpoint
        } else {
            Disconnect::Peer
        };
        if p.purpose == Purpose::Acd {
            let waited = ms(p.start, t);
            p.metric("tAbandon", waited, t);
        }
        p.close_segment(t, Some(why));
        p.disconnect(t, why);
    }
    c.end_if_all_disconnected(t);
}

/// Starts ACW (or records `not_required`) for a leg whose communication just ended.
fn begin_acw(w: &mut World, conv_id: Uuid, leg: &LegPlan, acw: &AcwPlan, t: Ts) {
    let c = conv(w, conv_id);
    let p = c.participant_mut(leg.participant_id).expect("leg exists");
    let talk_ms = p.connected.map_or(0, |c0| ms(c0, t));
    if *acw == AcwPlan::NotRequired {
        p.acw.state = Some(AcwState::NotApplicable);
        p.metric("tHandle", talk_ms, t);
        w.record_outcome(conv_id, leg.participant_id, Outcome::NotRequired, None, t);
        return;
    }
    p.acw.state = Some(AcwState::Pending);
    p.acw.start = Some(t);
    p.open_segment("wrapup", t - time::Duration::milliseconds(leg.overlap_ms));
}

/// Ends ACW per plan: code, skip or timeout; records the outcome.
fn finish_acw(w: &mut World, conv_id: Uuid, leg: &LegPlan, acw: &AcwPlan, t: Ts) {
    let (code, name, notes, outcome, state) = match acw {
        AcwPlan::NotRequired => return,
        AcwPlan::Submit { code, notes, .. } => {
            let name = w
                .dir
                .code(*code)
                .map_or_else(|| code.to_string(), |c| c.name.clone());
            *w.code_uses.entry(*code).or_default() += 1;
            (
                Some(code.to_string()),
                name,
                notes.clone(),
                Outcome::Submitted,
                AcwState::Complete,
            )
        }
        AcwPlan::Skip { .. } => (
            None,
            String::new(),
            None,
            Outcome::Skipped,
            AcwState::Skipped,
        ),
        AcwPlan::Timeout => (
            Some(TIMEOUT_CODE.to_string()),
            TIMEOUT_CODE.to_string(),
            None,
            Outcome::TimedOut,
            AcwState::Complete,
        ),
    };
    let c = conv(w, conv_id);
    let p = c.participant_mut(leg.participant_id).expect("leg exists");
    let start = p.acw.start.unwrap_or(t);
    let acw_ms = ms(start, t);
    let talk_ms = match (p.connected, p.comm.disconnected) {
        (Some(a), Some(b)) => ms(a, b),
        _ => 0,
    };
    p.acw.state = Some(state);
    p.acw.end = Some(t);
    if let Some(code) = &code {
        p.acw.wrapup = Some(Wrapup {
            code: code.clone(),
            name,
            notes: notes.clone(),
            tags: vec![],
            duration_seconds: acw_ms / 1000,
            end_time: t,
        });
    }
    p.acw.skipped = outcome == Outcome::Skipped;
    if let Some(s) = p.segments.iter_mut().rev().find(|s| s.kind == "wrapup") {
        // An instant skip leaves a zero-length wrapup segment, as real records do.
        s.end = Some(if acw_ms == 0 { s.start } else { t });
        s.wrap_up_code = code.clone();
        s.wrap_up_note = notes;
    }
    p.metric("tAcw", acw_ms, t);
    p.metric("tHandle", talk_ms + acw_ms, t);
    w.record_outcome(conv_id, leg.participant_id, outcome, code, t);
    retire_doomed_codes(w);
}

/// "Codes later deleted": the doomed code disappears from the directory after three uses.
fn retire_doomed_codes(w: &mut World) {
    let doomed: Vec<Uuid> = w
        .dir
        .codes
        .iter()
        .filter(|c| c.doomed && w.code_uses.get(&c.id).copied().unwrap_or(0) >= 3)
        .map(|c| c.id)
        .collect();
    w.deleted_codes.extend(doomed);
}

fn acw_secs(leg: &LegPlan, acw: &AcwPlan) -> f64 {
    match acw {
        AcwPlan::NotRequired => 0.0,
        AcwPlan::Submit { secs, .. } | AcwPlan::Skip { secs } => *secs,
        AcwPlan::Timeout => leg.timeout_ms.unwrap_or(20_000) as f64 / 1000.0,
    }
}

/// Runs ACW to its end (after the leg's communication ended).
async fn run_acw(sim: Arc<Sim>, conv_id: Uuid, leg: LegPlan, acw: AcwPlan) {
    let secs = acw_secs(&leg, &acw);
    if secs > 0.0 && !sim.clock.sleep_secs(secs).await {
        return;
    }
    update(&sim, conv_id, |w, t| finish_acw(w, conv_id, &leg, &acw, t)).await;
}

/// Stores the conversation's first snapshot now (so its id resolves as soon as the caller has it)
/// and plays the rest of `plan` in the background.
pub fn launch(sim: &Arc<Sim>, plan: Plan) {
    start(sim, &mut sim.lock(), &plan);
    tokio::spawn(run(sim.clone(), plan));
}

fn start(sim: &Sim, w: &mut World, plan: &Plan) {
    let id = plan.conversation_id;
    let c = initial(plan, &w.dir, now());
    w.conversation_order.push(id);
    w.conversations.insert(id, c);
    w.publish(id, &sim.stats);
}

/// Plays `plan` after its first snapshot. Each step sleeps (speed-scaled, pausable) and then
/// publishes a snapshot.
async fn run(sim: Arc<Sim>, plan: Plan) {
    let id = plan.conversation_id;
    let clock = &sim.clock;
    if let Some((ivr_pid, _, secs)) = plan.ivr {
        if !clock.sleep_secs(secs).await {
            return;
        }
        let abandon = plan.abandon == Abandon::InIvr;
        update(&sim, id, |w, t| {
            let qname = w.dir.queue(plan.queue_id).map_or("", |q| q.name);
            let acd = acd_participant(&plan, qname, t);
            let c = conv(w, id);
            if abandon {
                abandon_now(c, t);
                return;
            }
            let ivr = c.participant_mut(ivr_pid).expect("ivr exists");
            let ivr_ms = ms(ivr.start, t);
            ivr.metric("tIvr", ivr_ms, t);
            ivr.close_segment(t, Some(Disconnect::Transfer));
            ivr.disconnect(t, Disconnect::Transfer);
            c.participants.push(acd);
        })
        .await;
        if abandon {
            return;
        }
    }
    if !clock.sleep_secs(plan.queue_wait).await {
        return;
    }
    if plan.abandon != Abandon::No || plan.legs.is_empty() {
        update(&sim, id, |w, t| abandon_now(conv(w, id), t)).await;
        return;
    }
    let mut answered_any = false;
    let mut ended = false;
    for leg in &plan.legs {
        update(&sim, id, |w, t| {
            let name = w
                .dir
                .user(leg.user_id)
                .map_or_else(|| "Agent".to_string(), |u| u.name.clone());
            let mut p = Participant::new(
                leg.participant_id,
                leg.comm_id,
                Purpose::Agent,
                name,
                "",
                t,
                CommState::Alerting,
            );
            p.user_id = Some(leg.user_id);
            p.queue_id = Some(plan.queue_id);
            p.acw.prompt = Some(leg.prompt);
            p.acw.timeout_ms = leg.timeout_ms;
            p.open_segment("alert", t);
            conv(w, id).participants.push(p);
        })
        .await;
        if !clock.sleep_secs(leg.alert).await {
            return;
        }
        let LegKind::Answered {
            talk,
            transfer_out,
            acw,
        } = &leg.kind
        else {
            update(&sim, id, |w, t| {
                let p = conv(w, id)
                    .participant_mut(leg.participant_id)
                    .expect("leg exists");
                let alert_ms = ms(p.start, t);
                p.close_segment(t, Some(Disconnect::Timeout));
                p.disconnect(t, Disconnect::Timeout);
                p.acw.state = Some(AcwState::NotApplicable);
                p.metric("tAlert", alert_ms, t);
                p.metric("tNotResponding", alert_ms, t);
                w.record_outcome(id, leg.participant_id, Outcome::NotRequired, None, t);
            })
            .await;
            continue;
        };
        let first = !answered_any;
        answered_any = true;
        update(&sim, id, |w, t| {
            let c = conv(w, id);
            if first
                && let Some(acd) = c
                    .participants
                    .iter_mut()
                    .find(|p| p.purpose == Purpose::Acd && !p.is_disconnected())
            {
                let waited = ms(acd.start, t);
                acd.metric("tAcd", waited, t);
                acd.metric("tAnswered", waited, t);
                acd.close_segment(t, Some(Disconnect::Transfer));
                acd.disconnect(t, Disconnect::Transfer);
            }
            let p = c.participant_mut(leg.participant_id).expect("leg exists");
            let alert_ms = ms(p.start, t);
            p.close_segment(t, None);
            p.connect(t);
            p.open_segment("interact", t);
            p.acw.required = *acw != AcwPlan::NotRequired;
            p.metric("tAlert", alert_ms, t);
        })
        .await;
        if !clock.sleep_secs(*talk).await {
            return;
        }
        let transfer = *transfer_out;
        let instant = matches!(acw, AcwPlan::Skip { secs } if *secs == 0.0);
        update(&sim, id, |w, t| {
            let media = w.conversations[&id].media;
            let c = conv(w, id);
            let p = c.participant_mut(leg.participant_id).expect("leg exists");
            let talk_ms = ms(p.connected.unwrap_or(t), t);
            let why = if transfer {
                Disconnect::Transfer
            } else {
                Disconnect::Peer
            };
            p.close_segment(t, Some(why));
            p.disconnect(t, why);
            if matches!(media, Media::Voice | Media::Callback) {
                p.metric("tTalk", talk_ms, t);
                p.metric("tTalkComplete", talk_ms, t);
            }
            p.metric("tConnected", talk_ms, t);
            if !transfer {
                if let Some(cust) = c
                    .participants
                    .iter_mut()
                    .find(|p| p.purpose == Purpose::Customer)
                {
                    cust.close_segment(t, Some(Disconnect::Endpoint));
                    cust.disconnect(t, Disconnect::Endpoint);
                }
                c.end_if_all_disconnected(t);
            }
            let mut leg = leg.clone();
            if instant {
                leg.overlap_ms = 0;
            }
            begin_acw(w, id, &leg, acw, t);
            if instant {
                finish_acw(w, id, &leg, acw, t);
            }
        })
        .await;
        if *acw != AcwPlan::NotRequired && !instant {
            let fut = run_acw(sim.clone(), id, leg.clone(), acw.clone());
            if transfer {
                tokio::spawn(fut);
            } else {
                fut.await;
            }
        }
        if !transfer {
            ended = true;
            break;
        }
    }
    if !ended {
        // Every remaining leg failed to answer: the customer gives up in queue.
        update(&sim, id, |w, t| abandon_now(conv(w, id), t)).await;
    }
}

/// Background traffic: a seeded stream of plans, paced for the demo (an arrival every 0.6–1.8 s,
/// handle times of tens of seconds). Early conversations are shortened so wrap-ups flow at once.
pub async fn generator(sim: Arc<Sim>) {
    let mut g = PlanGen::new(sim.cfg.seed);
    let mut elapsed = 0.0;
    loop {
        if !sim.clock.wait_unpaused().await {
            return;
        }
        // Ramp from 20% to full-length conversations over the first ~36 s: completions start
        // within seconds and never pause while the longer conversations catch up.
        let pace = Pace {
            scale: f64::min(0.2 + elapsed / 45.0, 1.0),
        };
        let launched = {
            let mut w = sim.lock();
            // Checked under the lock, like `update`: nothing starts once a pause has returned.
            if sim.clock.is_paused() {
                false
            } else {
                let plan = g.plan(&w.dir, &w, pace);
                start(&sim, &mut w, &plan);
                tokio::spawn(run(sim.clone(), plan));
                true
            }
        };
        if !launched {
            continue;
        }
        let gap = g.next_gap();
        elapsed += gap;
        if !sim.clock.sleep_secs(gap).await {
            return;
        }
    }
}

/// One leg of a scripted conversation (`POST /sim/conversations`).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScriptLeg {
    /// Agent (default: the first agent of the queue).
    pub user_id: Option<Uuid>,
    /// submitted | timed_out | skipped | not_required | not_answered (default submitted).
    pub outcome: Option<String>,
    /// Code for `submitted` (default: the queue's first visible-to-agents code).
    pub code: Option<Uuid>,
    /// Notes for `submitted`.
    pub notes: Option<String>,
}

/// Body of `POST /sim/conversations`. Durations are simulated seconds (divided by `--speed`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Script {
    /// voice | callback | chat | email | message (default voice).
    pub media_type: Option<String>,
    /// Queue (default: the first queue).
    pub queue_id: Option<Uuid>,
    /// Single-leg shorthand: agent.
    pub user_id: Option<Uuid>,
    /// Single-leg shorthand: outcome.
    pub outcome: Option<String>,
    /// Single-leg shorthand: code.
    pub code: Option<Uuid>,
    /// Agent legs in order (answered legs before the last answered one transfer to the next).
    pub legs: Option<Vec<ScriptLeg>>,
    /// `ivr` (IVR-only) or `queue` (abandoned in queue): no agent legs.
    pub abandon: Option<String>,
    /// Seconds in the IVR (voice; default none).
    pub ivr_secs: Option<f64>,
    /// Seconds queued (default 0.5).
    pub queue_secs: Option<f64>,
    /// Seconds alerting per leg (default 0.5).
    pub alert_secs: Option<f64>,
    /// Seconds talking per leg (default 1).
    pub talk_secs: Option<f64>,
    /// Seconds in ACW (default 1; for timed_out this becomes `wrapupTimeoutMs`).
    pub acw_secs: Option<f64>,
    /// Participant data for the customer and ACD participants.
    pub attributes: Option<BTreeMap<String, String>>,
}

/// Turns a script into a plan (ids from `g`), validating every reference.
pub fn scripted_plan(g: &mut PlanGen, w: &World, s: &Script) -> Result<Plan, String> {
    let dir = &w.dir;
    let media = match s.media_type.as_deref() {
        None => Media::Voice,
        Some(m) => Media::parse(m).ok_or_else(|| format!("unknown mediaType {m:?}"))?,
    };
    let queue = match s.queue_id {
        None => dir.queues[0].clone(),
        Some(q) => dir
            .queue(q)
            .cloned()
            .ok_or_else(|| format!("unknown queueId {q}"))?,
    };
    let abandon = match s.abandon.as_deref() {
        None => Abandon::No,
        Some("ivr") => Abandon::InIvr,
        Some("queue") => Abandon::InQueue,
        Some(o) => return Err(format!("abandon must be ivr or queue, not {o:?}")),
    };
    let legs_in: Vec<ScriptLeg> = match (&s.legs, abandon) {
        (_, Abandon::InIvr | Abandon::InQueue) => vec![],
        (Some(l), _) => l.clone(),
        (None, _) => vec![ScriptLeg {
            user_id: s.user_id,
            outcome: s.outcome.clone(),
            code: s.code,
            notes: None,
        }],
    };
    let default_agent = dir
        .queue_agents(queue.id)
        .first()
        .copied()
        .unwrap_or(dir.supervisor().id);
    let default_code = queue
        .code_ids
        .iter()
        .copied()
        .find(|c| w.code_live(*c) && dir.code(*c).is_some_and(|c| c.division_id == dir.home.id))
        .ok_or("queue has no live codes")?;
    let acw_secs = s.acw_secs.unwrap_or(1.0);
    let answered: Vec<usize> = legs_in
        .iter()
        .enumerate()
        .filter(|(_, l)| l.outcome.as_deref() != Some("not_answered"))
        .map(|(i, _)| i)
        .collect();
    let last_answered = answered.last().copied();
    let mut legs = Vec::new();
    for (i, l) in legs_in.iter().enumerate() {
        let user_id = l.user_id.unwrap_or(default_agent);
        if dir.user(user_id).is_none() {
            return Err(format!("unknown userId {user_id}"));
        }
        let outcome = l.outcome.as_deref().unwrap_or("submitted");
        let queue_timeout = queue.timeout_ms;
        let (prompt, timeout_ms, acw) = match outcome {
            "submitted" | "not_answered" => {
                let code = l.code.unwrap_or(default_code);
                if dir.code(code).is_none() {
                    return Err(format!("unknown code {code}"));
                }
                (
                    queue.prompt.participant_str(),
                    queue_timeout,
                    AcwPlan::Submit {
                        code,
                        notes: l.notes.clone(),
                        secs: acw_secs,
                    },
                )
            }
            "skipped" => ("optional", None, AcwPlan::Skip { secs: acw_secs }),
            "timed_out" => {
                let prompt = match queue.prompt {
                    QueuePrompt::MandatoryTimeout | QueuePrompt::MandatoryForcedTimeout => {
                        queue.prompt.participant_str()
                    }
                    _ => "timeout",
                };
                (
                    prompt,
                    Some((acw_secs * 1000.0).round() as u64),
                    AcwPlan::Timeout,
                )
            }
            "not_required" => (
                "agentRequested",
                Some(queue_timeout.unwrap_or(15_000)),
                AcwPlan::NotRequired,
            ),
            other => return Err(format!("unknown outcome {other:?}")),
        };
        let kind = if outcome == "not_answered" {
            LegKind::NotAnswered
        } else {
            LegKind::Answered {
                talk: s.talk_secs.unwrap_or(1.0),
                transfer_out: Some(i) != last_answered,
                acw,
            }
        };
        legs.push(LegPlan {
            participant_id: g.id(),
            comm_id: g.id(),
            user_id,
            alert: s.alert_secs.unwrap_or(0.5),
            prompt,
            timeout_ms,
            kind,
            overlap_ms: 0,
        });
    }
    let mut plan = g.plan_with(
        dir,
        w,
        Pace { scale: 1.0 },
        Some(media),
        Some(queue.id),
        true,
    );
    plan.origin = Origin::Scripted;
    plan.abandon = abandon;
    plan.legs = legs;
    plan.queue_wait = s.queue_secs.unwrap_or(0.5);
    plan.ivr = match (media, s.ivr_secs, abandon) {
        (Media::Voice, Some(secs), _) => Some((g.id(), g.id(), secs)),
        (Media::Voice, None, Abandon::InIvr) => Some((g.id(), g.id(), 0.5)),
        _ => None,
    };
    if abandon == Abandon::InIvr && plan.ivr.is_none() {
        return Err("abandon=ivr needs mediaType voice".into());
    }
    if let Some(a) = &s.attributes {
        plan.attributes = a.clone();
    }
    Ok(plan)
}

/// `POST /api/v2/conversations/callbacks`: a callback conversation routed to `queue_id`, whose
/// `data` becomes participant attributes; outcome drawn like background traffic.
pub fn callback_plan(
    g: &mut PlanGen,
    w: &World,
    queue_id: Uuid,
    numbers: Vec<String>,
    user_name: Option<String>,
    scheduled: Option<Ts>,
    data: BTreeMap<String, String>,
) -> Plan {
    let mut plan = g.plan_with(
        &w.dir,
        w,
        Pace { scale: 0.5 },
        Some(Media::Callback),
        Some(queue_id),
        true,
    );
    plan.origin = Origin::ApiCallback;
    plan.attributes = data;
    if let Some(n) = &user_name {
        plan.customer_name = n.clone();
    }
    plan.customer_address = numbers
        .first()
        .map(|n| format!("tel:{n}"))
        .unwrap_or_default();
    plan.callback = Some(CallbackInfo {
        numbers,
        user_name,
        scheduled,
    });
    plan
}
