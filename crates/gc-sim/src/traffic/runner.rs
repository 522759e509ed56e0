//! The async runner: plays a plan through the world step by step (speed-scaled, pausable
//! sleeps), publishing a snapshot after every change; plus the background traffic loop.

use std::sync::Arc;

use uuid::Uuid;

use super::generate::PlanGen;
use super::plan::{Abandon, AcwPlan, LegKind, LegPlan, Pace, Plan};
use crate::clock::{Ts, now};
use crate::store::conversation::{
    AcwState, CommState, Conversation, Disconnect, Media, Outcome, Participant, Purpose,
    TIMEOUT_CODE, Wrapup,
};
use crate::store::directory::Directory;
use crate::store::{Sim, World};

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
                w.publish(id);
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
    start(&mut sim.lock(), &plan);
    tokio::spawn(run(sim.clone(), plan));
}

fn start(w: &mut World, plan: &Plan) {
    let id = plan.conversation_id;
    let c = initial(plan, &w.dir, now());
    w.conversation_order.push(id);
    w.conversations.insert(id, c);
    w.publish(id);
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
            p.acw.prompt = Some(leg.prompt.participant_str());
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
                start(&mut w, &plan);
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
