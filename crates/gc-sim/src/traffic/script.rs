//! Admin scripting: the `POST /sim/conversations` body (legs with chosen outcomes, abandonment,
//! durations) and its translation into a validated plan that ends exactly as scripted.

use std::collections::BTreeMap;

use rand::Rng;
use serde::Deserialize;
use uuid::Uuid;

use super::generate::PlanGen;
use super::plan::{Abandon, AcwPlan, LegKind, LegPlan, Pace, Plan};
use crate::store::World;
use crate::store::conversation::{Media, Origin};
use crate::store::directory::QueuePrompt;

/// How a scripted agent leg ends (the `/sim/truth` vocabulary plus `not_answered`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScriptedOutcome {
    /// The agent submits a code.
    #[default]
    Submitted,
    /// Nobody codes; ACW times out.
    TimedOut,
    /// The agent skips ACW.
    Skipped,
    /// The leg has no ACW.
    NotRequired,
    /// The leg alerts and times out unanswered (recorded as `not_required`).
    NotAnswered,
}

/// Where a scripted conversation without agents ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScriptedAbandon {
    /// The customer hangs up in the IVR (voice only).
    Ivr,
    /// The customer hangs up while queued.
    Queue,
}

/// One leg of a scripted conversation (`POST /sim/conversations`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScriptLeg {
    /// Agent (default: the first agent of the queue).
    pub user_id: Option<Uuid>,
    /// How the leg ends (default submitted).
    pub outcome: Option<ScriptedOutcome>,
    /// Code for `submitted` (default: the queue's first visible-to-agents code).
    pub code: Option<Uuid>,
    /// Notes for `submitted`.
    pub notes: Option<String>,
}

/// Body of `POST /sim/conversations`. Durations are simulated seconds (divided by `--speed`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Script {
    /// voice | callback | chat | email | message, any case (default voice).
    pub media_type: Option<String>,
    /// Queue (default: the first queue).
    pub queue_id: Option<Uuid>,
    /// Single-leg shorthand: agent.
    pub user_id: Option<Uuid>,
    /// Single-leg shorthand: outcome.
    pub outcome: Option<ScriptedOutcome>,
    /// Single-leg shorthand: code.
    pub code: Option<Uuid>,
    /// Agent legs in order (answered legs before the last answered one transfer to the next).
    pub legs: Option<Vec<ScriptLeg>>,
    /// `ivr` (IVR-only) or `queue` (abandoned in queue): no agent legs.
    pub abandon: Option<ScriptedAbandon>,
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
    /// The customer's address (voice and callback: the `ani`, e.g. `tel:+15550100`), so several
    /// conversations can come from one customer (default: a generated one).
    pub customer_address: Option<String>,
}

/// Turns a script into a plan (ids from `g`), validating every reference.
pub fn scripted_plan<R: Rng>(g: &mut PlanGen<R>, w: &World, s: &Script) -> Result<Plan, String> {
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
    let abandon = match s.abandon {
        None => Abandon::No,
        Some(ScriptedAbandon::Ivr) => Abandon::InIvr,
        Some(ScriptedAbandon::Queue) => Abandon::InQueue,
    };
    let legs_in: Vec<ScriptLeg> = match (&s.legs, abandon) {
        (_, Abandon::InIvr | Abandon::InQueue) => vec![],
        (Some(l), _) => l.clone(),
        (None, _) => vec![ScriptLeg {
            user_id: s.user_id,
            outcome: s.outcome,
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
        .filter(|(_, l)| l.outcome != Some(ScriptedOutcome::NotAnswered))
        .map(|(i, _)| i)
        .collect();
    let last_answered = answered.last().copied();
    let mut legs = Vec::new();
    for (i, l) in legs_in.iter().enumerate() {
        let user_id = l.user_id.unwrap_or(default_agent);
        if dir.user(user_id).is_none() {
            return Err(format!("unknown userId {user_id}"));
        }
        let outcome = l.outcome.unwrap_or_default();
        let queue_timeout = queue.timeout_ms;
        let (prompt, timeout_ms, acw) = match outcome {
            ScriptedOutcome::Submitted | ScriptedOutcome::NotAnswered => {
                let code = l.code.unwrap_or(default_code);
                if dir.code(code).is_none() {
                    return Err(format!("unknown code {code}"));
                }
                (
                    queue.prompt,
                    queue_timeout,
                    AcwPlan::Submit {
                        code,
                        notes: l.notes.clone(),
                        secs: acw_secs,
                    },
                )
            }
            ScriptedOutcome::Skipped => (
                QueuePrompt::Optional,
                None,
                AcwPlan::Skip { secs: acw_secs },
            ),
            ScriptedOutcome::TimedOut => {
                let prompt = match queue.prompt {
                    QueuePrompt::MandatoryTimeout | QueuePrompt::MandatoryForcedTimeout => {
                        queue.prompt
                    }
                    _ => QueuePrompt::MandatoryTimeout,
                };
                (
                    prompt,
                    Some((acw_secs * 1000.0).round() as u64),
                    AcwPlan::Timeout,
                )
            }
            ScriptedOutcome::NotRequired => (
                QueuePrompt::AgentRequested,
                Some(queue_timeout.unwrap_or(15_000)),
                AcwPlan::NotRequired,
            ),
        };
        let kind = if outcome == ScriptedOutcome::NotAnswered {
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
    if let Some(address) = &s.customer_address {
        if address.trim().is_empty() {
            return Err("customerAddress must not be blank".into());
        }
        plan.customer_address = address.trim().to_owned();
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use serde_json::json;

    use super::*;
    use crate::config::Config;
    use crate::store::conversation::Outcome;
    use crate::store::publish::Publisher;

    fn world() -> World {
        World::new(&Config::default(), Publisher::channel().0)
    }

    fn parse(body: serde_json::Value) -> Result<Script, String> {
        serde_json::from_value(body).map_err(|e| e.to_string())
    }

    fn plan(w: &World, body: serde_json::Value) -> Result<Plan, String> {
        let script = parse(body)?;
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        scripted_plan(&mut PlanGen::from_rng(&mut rng), w, &script)
    }

    #[test]
    fn script_json_parses_into_typed_fields() {
        let s = parse(json!({
            "mediaType": "chat",
            "legs": [{ "outcome": "not_answered" }, { "outcome": "timed_out", "notes": "n" }],
            "abandon": "queue",
            "acwSecs": 2.5,
            "attributes": { "a": "b" },
        }))
        .expect("valid script");
        assert_eq!(s.media_type.as_deref(), Some("chat"));
        let legs = s.legs.expect("legs");
        assert_eq!(legs[0].outcome, Some(ScriptedOutcome::NotAnswered));
        assert_eq!(legs[1].outcome, Some(ScriptedOutcome::TimedOut));
        assert_eq!(s.abandon, Some(ScriptedAbandon::Queue));
        assert_eq!(s.acw_secs, Some(2.5));
        assert_eq!(parse(json!({})).expect("empty").outcome, None);
    }

    #[test]
    fn malformed_scripts_are_rejected_naming_the_problem() {
        let unknown_outcome = parse(json!({ "outcome": "abandoned" })).unwrap_err();
        assert!(
            unknown_outcome.contains("abandoned") && unknown_outcome.contains("timed_out"),
            "{unknown_outcome}"
        );
        let unknown_abandon = parse(json!({ "abandon": "hold" })).unwrap_err();
        assert!(
            unknown_abandon.contains("hold") && unknown_abandon.contains("ivr"),
            "{unknown_abandon}"
        );
        let unknown_field = parse(json!({ "outcomes": "submitted" })).unwrap_err();
        assert!(unknown_field.contains("outcomes"), "{unknown_field}");
        let bad_leg = parse(json!({ "legs": [{ "code": "not-a-uuid" }] })).unwrap_err();
        assert!(bad_leg.contains("UUID"), "{bad_leg}");
    }

    #[test]
    fn scripts_naming_unknown_things_are_rejected_with_a_clear_error() {
        let w = world();
        let nobody = Uuid::nil();
        assert_eq!(
            plan(&w, json!({ "mediaType": "fax" })).unwrap_err(),
            "unknown mediaType \"fax\""
        );
        assert_eq!(
            plan(&w, json!({ "queueId": nobody })).unwrap_err(),
            format!("unknown queueId {nobody}")
        );
        assert_eq!(
            plan(&w, json!({ "userId": nobody })).unwrap_err(),
            format!("unknown userId {nobody}")
        );
        assert_eq!(
            plan(&w, json!({ "code": nobody })).unwrap_err(),
            format!("unknown code {nobody}")
        );
        assert_eq!(
            plan(&w, json!({ "mediaType": "chat", "abandon": "ivr" })).unwrap_err(),
            "abandon=ivr needs mediaType voice"
        );
    }

    #[test]
    fn scripted_legs_end_with_the_scripted_outcomes() {
        let w = world();
        let p = plan(
            &w,
            json!({ "legs": [
                { "outcome": "not_answered" },
                { "outcome": "submitted" },
                { "outcome": "skipped" },
                { "outcome": "not_required" },
                { "outcome": "timed_out" },
                { "outcome": "not_answered" },
            ] }),
        )
        .expect("valid script");
        let outcomes: Vec<Outcome> = p.legs.iter().map(LegPlan::outcome).collect();
        assert_eq!(
            outcomes,
            [
                Outcome::NotRequired,
                Outcome::Submitted,
                Outcome::Skipped,
                Outcome::NotRequired,
                Outcome::TimedOut,
                Outcome::NotRequired,
            ]
        );
        let transfers: Vec<Option<bool>> = p
            .legs
            .iter()
            .map(|l| match l.kind {
                LegKind::Answered { transfer_out, .. } => Some(transfer_out),
                LegKind::NotAnswered => None,
            })
            .collect();
        // Answered legs transfer onwards until the last answered one.
        assert_eq!(
            transfers,
            [None, Some(true), Some(true), Some(true), Some(false), None]
        );
        assert_eq!(p.origin, Origin::Scripted);
        assert_eq!(p.abandon, Abandon::No);
    }

    #[test]
    fn the_single_leg_shorthand_and_abandonment_shape_the_plan() {
        let w = world();
        let code = w.dir.queues[0].code_ids[0];
        let p = plan(
            &w,
            json!({ "outcome": "submitted", "code": code, "acwSecs": 3.0 }),
        )
        .expect("valid");
        assert_eq!(p.legs.len(), 1);
        assert!(matches!(
            &p.legs[0].kind,
            LegKind::Answered { acw: AcwPlan::Submit { code: c, secs, .. }, transfer_out: false, .. }
                if *c == code && *secs == 3.0
        ));
        let timed_out = plan(&w, json!({ "outcome": "timed_out", "acwSecs": 2.0 })).expect("valid");
        assert_eq!(timed_out.legs[0].timeout_ms, Some(2000));
        let in_ivr = plan(&w, json!({ "abandon": "ivr" })).expect("valid");
        assert_eq!(in_ivr.abandon, Abandon::InIvr);
        assert!(in_ivr.legs.is_empty() && in_ivr.ivr.is_some());
        let same_customer =
            plan(&w, json!({ "customerAddress": "tel:+15559990001" })).expect("valid");
        assert_eq!(same_customer.customer_address, "tel:+15559990001");
        assert_eq!(
            plan(&w, json!({ "customerAddress": " " })).unwrap_err(),
            "customerAddress must not be blank"
        );
        let in_queue =
            plan(&w, json!({ "mediaType": "EMAIL", "abandon": "queue" })).expect("valid");
        assert_eq!(in_queue.media, Media::Email);
        assert!(in_queue.legs.is_empty() && in_queue.ivr.is_none());
    }
}
