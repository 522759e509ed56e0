//! The seeded organisation: divisions, queues (with ACW settings), wrap-up codes and users.
//! Role names only ("Supervisor", "Agent 01"); ids are v4-shaped UUIDs drawn from the seeded RNG.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use crate::clock::{Ts, now};

/// A v4-shaped UUID drawn from a seeded RNG (so ids are stable for a seed).
pub fn seeded_uuid(rng: &mut impl Rng) -> Uuid {
    uuid::Builder::from_random_bytes(rng.random()).into_uuid()
}

/// Division a queue or wrap-up code lives in.
#[derive(Debug, Clone)]
pub struct Division {
    /// Division id.
    pub id: Uuid,
    /// "Home" or "Restricted".
    pub name: &'static str,
}

/// Queue ACW prompt as configured on the queue (`Queue.acwSettings.wrapupPrompt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueuePrompt {
    /// `MANDATORY`
    Mandatory,
    /// `OPTIONAL`
    Optional,
    /// `MANDATORY_TIMEOUT`
    MandatoryTimeout,
    /// `MANDATORY_FORCED_TIMEOUT`
    MandatoryForcedTimeout,
    /// `AGENT_REQUESTED`
    AgentRequested,
}

impl QueuePrompt {
    /// Queue-side spelling (`acwSettings.wrapupPrompt`).
    pub fn queue_str(self) -> &'static str {
        match self {
            Self::Mandatory => "MANDATORY",
            Self::Optional => "OPTIONAL",
            Self::MandatoryTimeout => "MANDATORY_TIMEOUT",
            Self::MandatoryForcedTimeout => "MANDATORY_FORCED_TIMEOUT",
            Self::AgentRequested => "AGENT_REQUESTED",
        }
    }
    /// Participant-side spelling (`participants[].wrapupPrompt`).
    pub fn participant_str(self) -> &'static str {
        match self {
            Self::Mandatory => "mandatory",
            Self::Optional => "optional",
            Self::MandatoryTimeout => "timeout",
            Self::MandatoryForcedTimeout => "forcedTimeout",
            Self::AgentRequested => "agentRequested",
        }
    }
}

/// A routing queue.
#[derive(Debug, Clone)]
pub struct Queue {
    /// Queue id.
    pub id: Uuid,
    /// "Billing", "Sales", …
    pub name: &'static str,
    /// Division (always Home).
    pub division_id: Uuid,
    /// ACW prompt.
    pub prompt: QueuePrompt,
    /// ACW timeout (ms) when the prompt has one.
    pub timeout_ms: Option<u64>,
    /// Wrap-up codes assigned to the queue.
    pub code_ids: Vec<Uuid>,
    /// Users who are members (supervisor and agents).
    pub member_ids: Vec<Uuid>,
    /// Creation date.
    pub created: Ts,
}

/// A wrap-up code.
#[derive(Debug, Clone)]
pub struct WrapCode {
    /// Code id (what `wrapup.code` carries).
    pub id: Uuid,
    /// Display name.
    pub name: String,
    /// Division; codes in Restricted are hidden from agents.
    pub division_id: Uuid,
    /// Creation date.
    pub created: Ts,
    /// Traffic deletes this code after it has been used a few times ("codes later deleted").
    pub doomed: bool,
}

/// Agent or supervisor (`/sim/directory` spells it lowercase).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Member of every queue, sees every division, may watch other users' topics.
    Supervisor,
    /// Member of one or two queues, Home division only.
    Agent,
}

/// A user of the org.
#[derive(Debug, Clone)]
pub struct User {
    /// User id.
    pub id: Uuid,
    /// "Supervisor" or "Agent 01".
    pub name: String,
    /// agent01@example.com
    pub email: String,
    /// Role.
    pub role: Role,
    /// Queue memberships.
    pub queue_ids: Vec<Uuid>,
    /// Home division.
    pub division_id: Uuid,
}

/// The whole seeded organisation. Immutable after generation (code deletion lives in the world state).
#[derive(Debug, Clone)]
pub struct Directory {
    /// Organisation id.
    pub org_id: Uuid,
    /// Organisation name.
    pub org_name: &'static str,
    /// Home division.
    pub home: Division,
    /// Restricted division (codes there are supervisor-only).
    pub restricted: Division,
    /// Users, supervisor first.
    pub users: Vec<User>,
    /// Queues.
    pub queues: Vec<Queue>,
    /// Wrap-up codes.
    pub codes: Vec<WrapCode>,
}

const QUEUE_NAMES: [&str; 8] = [
    "Billing",
    "Sales",
    "Support",
    "Returns",
    "Technical",
    "Retention",
    "Claims",
    "Onboarding",
];
const QUEUE_CODES: [&[&str]; 8] = [
    &["Billing question", "Payment arrangement", "Refund issued"],
    &["Sale completed", "Quote sent", "Not interested"],
    &["Fixed on first contact", "Ticket raised"],
    &["Return authorised", "Exchange arranged"],
    &["Hardware fault", "Configuration issue"],
    &["Customer retained", "Service cancelled"],
    &["Claim opened", "Claim status update"],
    &["Account set up", "Welcome call done"],
];
const SHARED_CODES: [&str; 4] = [
    "Resolved",
    "Follow-up required",
    "Escalated",
    "Wrong number",
];
const RESTRICTED_CODES: [&str; 2] = ["Fraud suspected", "Complaint - regulatory"];
const DOOMED_CODE: &str = "Spring promotion (retired)";

impl Directory {
    /// Generates the org for `seed` with `agents` agents and `queues` queues (clamped to 1..=8).
    pub fn generate(seed: u64, agents: usize, queues: usize) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let created = now() - time::Duration::days(400);
        let org_id = seeded_uuid(&mut rng);
        let home = Division {
            id: seeded_uuid(&mut rng),
            name: "Home",
        };
        let restricted = Division {
            id: seeded_uuid(&mut rng),
            name: "Restricted",
        };
        let nq = queues.clamp(1, QUEUE_NAMES.len());
        let agents = agents.max(1);

        let mut codes = Vec::new();
        let code = |rng: &mut ChaCha8Rng,
                    name: &str,
                    division: Uuid,
                    doomed: bool,
                    codes: &mut Vec<WrapCode>| {
            let c = WrapCode {
                id: seeded_uuid(rng),
                name: name.to_string(),
                division_id: division,
                created,
                doomed,
            };
            let id = c.id;
            codes.push(c);
            id
        };
        let shared: Vec<Uuid> = SHARED_CODES
            .iter()
            .map(|n| code(&mut rng, n, home.id, false, &mut codes))
            .collect();
        let restricted_ids: Vec<Uuid> = RESTRICTED_CODES
            .iter()
            .map(|n| code(&mut rng, n, restricted.id, false, &mut codes))
            .collect();
        let doomed = code(&mut rng, DOOMED_CODE, home.id, true, &mut codes);

        let prompts = [
            (QueuePrompt::Mandatory, None),
            (QueuePrompt::Optional, None),
            (QueuePrompt::MandatoryTimeout, Some(20_000)),
            (QueuePrompt::AgentRequested, Some(15_000)),
            (QueuePrompt::MandatoryForcedTimeout, Some(30_000)),
        ];
        let mut qs = Vec::new();
        for (i, name) in QUEUE_NAMES.iter().take(nq).enumerate() {
            let id = seeded_uuid(&mut rng);
            let mut code_ids = shared.clone();
            for n in QUEUE_CODES[i] {
                code_ids.push(code(&mut rng, n, home.id, false, &mut codes));
            }
            code_ids.push(restricted_ids[i % restricted_ids.len()]);
            if i == 1 % nq {
                code_ids.push(doomed);
            }
            let (prompt, timeout_ms) = prompts[i % prompts.len()];
            qs.push(Queue {
                id,
                name,
                division_id: home.id,
                prompt,
                timeout_ms,
                code_ids,
                member_ids: vec![],
                created,
            });
        }

        let mut users = vec![User {
            id: seeded_uuid(&mut rng),
            name: "Supervisor".into(),
            email: "supervisor@example.com".into(),
            role: Role::Supervisor,
            queue_ids: qs.iter().map(|q| q.id).collect(),
            division_id: home.id,
        }];
        let width = if agents > 99 { 3 } else { 2 };
        for i in 0..agents {
            let primary = i % nq;
            let mut queue_ids = vec![qs[primary].id];
            if nq > 1 && rng.random_bool(0.5) {
                let other = (primary + 1 + rng.random_range(0..nq - 1)) % nq;
                queue_ids.push(qs[other].id);
            }
            queue_ids.sort_by_key(|id| qs.iter().position(|q| q.id == *id));
            users.push(User {
                id: seeded_uuid(&mut rng),
                name: format!("Agent {:0width$}", i + 1),
                email: format!("agent{:0width$}@example.com", i + 1),
                role: Role::Agent,
                queue_ids,
                division_id: home.id,
            });
        }
        for q in &mut qs {
            q.member_ids = users
                .iter()
                .filter(|u| u.queue_ids.contains(&q.id))
                .map(|u| u.id)
                .collect();
        }
        Self {
            org_id,
            org_name: "gc-sim Demo Org",
            home,
            restricted,
            users,
            queues: qs,
            codes,
        }
    }

    /// The user with this id.
    pub fn user(&self, id: Uuid) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }
    /// The queue with this id.
    pub fn queue(&self, id: Uuid) -> Option<&Queue> {
        self.queues.iter().find(|q| q.id == id)
    }
    /// The wrap-up code with this id (deleted or not).
    pub fn code(&self, id: Uuid) -> Option<&WrapCode> {
        self.codes.iter().find(|c| c.id == id)
    }
    /// The supervisor.
    pub fn supervisor(&self) -> &User {
        &self.users[0]
    }
    /// Division name for an id.
    pub fn division_name(&self, id: Uuid) -> &'static str {
        if id == self.restricted.id {
            self.restricted.name
        } else {
            self.home.name
        }
    }
    /// Agents (non-supervisor members) of a queue.
    pub fn queue_agents(&self, queue_id: Uuid) -> Vec<Uuid> {
        self.users
            .iter()
            .filter(|u| u.role == Role::Agent && u.queue_ids.contains(&queue_id))
            .map(|u| u.id)
            .collect()
    }
    /// Whether `user` can see objects in `division_id`.
    pub fn can_see_division(&self, user: &User, division_id: Uuid) -> bool {
        user.role == Role::Supervisor || division_id == self.home.id
    }
}
