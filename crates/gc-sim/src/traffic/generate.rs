//! Seeded plan generation: the background traffic mix (media, queues, agents, abandonment,
//! ACW outcomes by queue prompt) and API callbacks, reproducible from a seed.

use std::collections::BTreeMap;

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use super::plan::{Abandon, AcwPlan, LegKind, LegPlan, Pace, Plan};
use crate::clock::Ts;
use crate::store::conversation::{CallbackInfo, Media, Origin};
use crate::store::directory::{Directory, QueuePrompt, seeded_uuid};
use crate::store::{PLAN_STREAM, World};

/// Seeded plan generator: owns its random stream for background traffic, or borrows the
/// simulator's API stream (`PlanGen<&mut ChaCha8Rng>`) for scripted and callback plans.
pub struct PlanGen<R: Rng = ChaCha8Rng> {
    rng: R,
}

const NOTES: [&str; 4] = [
    "Customer will call back",
    "Sent follow-up email",
    "Explained next steps",
    "Escalated per policy",
];

impl PlanGen {
    /// A generator for `seed` (independent of the directory stream).
    pub fn new(seed: u64) -> Self {
        Self {
            rng: ChaCha8Rng::seed_from_u64(seed ^ PLAN_STREAM),
        }
    }
}

impl<R: Rng> PlanGen<R> {
    /// A generator drawing from `rng` (already seeded with [`PLAN_STREAM`]).
    pub fn from_rng(rng: R) -> Self {
        Self { rng }
    }

    /// The next inter-arrival gap (simulated seconds).
    pub fn next_gap(&mut self) -> f64 {
        self.rng.random_range(0.6..1.8)
    }

    pub(super) fn id(&mut self) -> Uuid {
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
    pub(super) fn plan_with(
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
                    prompt: queue.prompt,
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

/// `POST /api/v2/conversations/callbacks`: a callback conversation routed to `queue_id`, whose
/// `data` becomes participant attributes; outcome drawn like background traffic.
pub fn callback_plan<R: Rng>(
    g: &mut PlanGen<R>,
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::config::Config;
    use crate::store::conversation::Outcome;
    use crate::store::publish::Publisher;

    fn world(seed: u64) -> World {
        let cfg = Config {
            seed,
            ..Config::default()
        };
        World::new(&cfg, Publisher::channel().0)
    }

    fn plans(seed: u64, n: usize) -> Vec<String> {
        let w = world(seed);
        let mut g = PlanGen::new(seed);
        (0..n)
            .map(|_| format!("{:?}", g.plan(&w.dir, &w, Pace { scale: 1.0 })))
            .collect()
    }

    #[test]
    fn the_same_seed_generates_the_same_plans() {
        assert_eq!(plans(7, 40), plans(7, 40));
        assert_ne!(plans(7, 40), plans(8, 40));
    }

    #[test]
    fn the_background_mix_covers_every_outcome_media_and_abandonment() {
        let w = world(42);
        let mut g = PlanGen::new(42);
        let mut outcomes = BTreeSet::new();
        let mut media = BTreeSet::new();
        let mut abandons = BTreeSet::new();
        let mut unanswered = false;
        for _ in 0..600 {
            let plan = g.plan(&w.dir, &w, Pace { scale: 1.0 });
            media.insert(format!("{:?}", plan.media));
            abandons.insert(format!("{:?}", plan.abandon));
            for leg in &plan.legs {
                outcomes.insert(format!("{:?}", leg.outcome()));
                unanswered |= leg.kind == LegKind::NotAnswered;
            }
        }
        let all_outcomes: BTreeSet<String> = [
            Outcome::Submitted,
            Outcome::TimedOut,
            Outcome::Skipped,
            Outcome::NotRequired,
        ]
        .iter()
        .map(|o| format!("{o:?}"))
        .collect();
        assert_eq!(outcomes, all_outcomes);
        assert_eq!(media.len(), Media::ALL.len(), "{media:?}");
        assert_eq!(abandons.len(), 3, "{abandons:?}");
        assert!(unanswered, "some legs go unanswered");
    }

    #[test]
    fn generated_submissions_use_live_codes_the_queue_offers() {
        let mut w = world(3);
        let doomed = w.dir.queues[0].code_ids[0];
        w.deleted_codes.insert(doomed);
        let mut g = PlanGen::new(3);
        for _ in 0..300 {
            let plan = g.plan(&w.dir, &w, Pace { scale: 1.0 });
            let offered = &w.dir.queue(plan.queue_id).expect("queue").code_ids;
            for leg in &plan.legs {
                if let LegKind::Answered {
                    acw: AcwPlan::Submit { code, .. },
                    ..
                } = &leg.kind
                {
                    assert!(offered.contains(code));
                    assert_ne!(*code, doomed, "a deleted code was drawn");
                }
            }
        }
    }

    #[test]
    fn a_callback_plan_reaches_an_agent_on_the_requested_queue() {
        let w = world(5);
        let queue = w.dir.queues[1].id;
        let mut rng = ChaCha8Rng::seed_from_u64(5 ^ PLAN_STREAM);
        let plan = callback_plan(
            &mut PlanGen::from_rng(&mut rng),
            &w,
            queue,
            vec!["+15550100".into()],
            Some("Ada".into()),
            None,
            BTreeMap::from([("k".to_string(), "v".to_string())]),
        );
        assert_eq!(plan.media, Media::Callback);
        assert_eq!(plan.queue_id, queue);
        assert_eq!(plan.origin, Origin::ApiCallback);
        assert_eq!(plan.abandon, Abandon::No);
        assert!(!plan.legs.is_empty());
        assert_eq!(plan.customer_name, "Ada");
        assert_eq!(plan.customer_address, "tel:+15550100");
        assert_eq!(plan.attributes["k"], "v");
    }
}
