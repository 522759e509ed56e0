//! Stored state, plain data below the routes and the traffic engine: the seeded directory and
//! everything that changes at runtime (conversations, truth, tokens, channels, jobs, faults).

pub mod channels;
pub mod conversation;
pub mod directory;
pub mod faults;
pub mod jobs;
pub mod publish;
pub mod rate;
pub mod tokens;

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64};
use std::sync::{Mutex, MutexGuard};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use uuid::Uuid;

use self::channels::{Channel, deliveries};
use self::conversation::{Conversation, Media, Outcome};
use self::directory::Directory;
use self::faults::Faults;
use self::jobs::Job;
use self::publish::Publisher;
use self::rate::{RateWindow, SlidingMinute};
use self::tokens::{AuthCode, RefreshToken, Token};
use crate::clock::{Clock, Ts, iso};
use crate::config::Config;

/// Stream constant of the seeded plan generator, shared so the API's plan stream stays the same
/// whichever module seeds it.
pub const PLAN_STREAM: u64 = 0x7A_FF1C;

/// One final agent-leg outcome, as listed by `GET /sim/truth`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TruthEntry {
    /// Conversation id.
    pub conversation_id: Uuid,
    /// Agent participant id.
    pub participant_id: Uuid,
    /// Agent user id.
    pub user_id: Uuid,
    /// Queue of the leg.
    pub queue_id: Uuid,
    /// voice | callback | chat | email | message
    pub media_type: Media,
    /// submitted | timed_out | skipped | not_required
    pub outcome: Outcome,
    /// Code id, `ININ-WRAP-UP-TIMEOUT`, or null.
    pub code: Option<String>,
    /// When the outcome became final (ISO-8601).
    pub time: String,
}

/// Counters for `/sim/state`.
#[derive(Debug, Default)]
pub struct Stats {
    /// HTTP requests served.
    pub requests: AtomicU64,
    /// Conversation event frames queued to sockets.
    pub events_sent: AtomicU64,
    /// Heartbeats sent.
    pub heartbeats_sent: AtomicU64,
    /// Queued frames (events, injected frames) a stalled socket swallowed.
    pub frames_lost_to_stalls: AtomicU64,
    /// `/api/v2` answers with 429 (forced or over the rate limit).
    pub throttled_responses: AtomicU64,
    /// `/api/v2` answers with 503 (injected).
    pub unavailable_responses: AtomicU64,
    /// Sockets dropped by the `dropSockets` fault.
    pub sockets_dropped: AtomicU64,
    /// Sockets warned by the `socketClosing` fault.
    pub socket_closings: AtomicU64,
    /// Channels expired (`expireChannel`) or reported gone (`channelGoneMessage`).
    pub channels_expired: AtomicU64,
    /// `expireTokens` actions.
    pub token_expiries: AtomicU64,
    /// Sockets stalled by the `stallSockets` fault.
    pub sockets_stalled: AtomicU64,
}

/// Mutable simulator state.
pub struct World {
    /// The seeded org.
    pub dir: Directory,
    /// Wrap-up codes deleted at runtime.
    pub deleted_codes: HashSet<Uuid>,
    /// How often each code has been applied (drives deletion of the doomed code).
    pub code_uses: HashMap<Uuid, u32>,
    /// Conversations by id.
    pub conversations: HashMap<Uuid, Conversation>,
    /// Conversation ids in creation order.
    pub conversation_order: Vec<Uuid>,
    /// Ground truth, in the order outcomes became final.
    pub truth: Vec<TruthEntry>,
    /// Access tokens.
    pub tokens: HashMap<String, Token>,
    /// Refresh tokens (PKCE grant, when `Faults::pkce_refresh_tokens` is on).
    pub refresh_tokens: HashMap<String, RefreshToken>,
    /// Login sessions (cookie value → user).
    pub sessions: HashMap<String, Uuid>,
    /// Unredeemed PKCE authorization codes.
    pub auth_codes: HashMap<String, AuthCode>,
    /// Notification channels by id.
    pub channels: HashMap<String, Channel>,
    /// Rate-limit windows per user + client.
    pub rate: HashMap<(Uuid, String), RateWindow>,
    /// Every request per user + client over a sliding minute (for `maxRequestsPerMinute`).
    pub request_minutes: HashMap<(Uuid, String), SlidingMinute>,
    /// The most requests any user + client made in 60 s.
    pub max_requests_per_minute: usize,
    /// Fault switches.
    pub faults: Faults,
    /// Analytics jobs.
    pub jobs: HashMap<Uuid, Job>,
    /// Source of WebSocket connection ids.
    pub next_conn_id: u64,
    /// RNG for faults and chaos (seeded; separate from the traffic stream).
    pub rng: ChaCha8Rng,
    /// Where every socket-bound frame goes, in the order of the changes.
    pub publisher: Publisher,
}

impl World {
    /// A fresh world for `cfg`: the seeded directory and nothing else yet.
    pub fn new(cfg: &Config, publisher: Publisher) -> Self {
        Self {
            dir: Directory::generate(cfg.seed, cfg.agents, cfg.queues),
            deleted_codes: HashSet::new(),
            code_uses: HashMap::new(),
            conversations: HashMap::new(),
            conversation_order: Vec::new(),
            truth: Vec::new(),
            tokens: HashMap::new(),
            refresh_tokens: HashMap::new(),
            sessions: HashMap::new(),
            auth_codes: HashMap::new(),
            channels: HashMap::new(),
            rate: HashMap::new(),
            request_minutes: HashMap::new(),
            max_requests_per_minute: 0,
            faults: Faults::new(cfg),
            jobs: HashMap::new(),
            next_conn_id: 1,
            rng: ChaCha8Rng::seed_from_u64(cfg.seed ^ 0xFA17),
            publisher,
        }
    }

    /// Whether a wrap-up code exists and has not been deleted.
    pub fn code_live(&self, id: Uuid) -> bool {
        self.dir.code(id).is_some() && !self.deleted_codes.contains(&id)
    }

    /// Records a final outcome for an agent leg (once) in the conversation and in the truth list.
    pub fn record_outcome(
        &mut self,
        conversation_id: Uuid,
        participant_id: Uuid,
        outcome: Outcome,
        code: Option<String>,
        at: Ts,
    ) {
        let Some(c) = self.conversations.get_mut(&conversation_id) else {
            return;
        };
        let media = c.media;
        let Some(p) = c.participant_mut(participant_id) else {
            return;
        };
        if p.outcome.is_some() {
            return;
        }
        p.outcome = Some(outcome);
        let (Some(user_id), Some(queue_id)) = (p.user_id, p.queue_id) else {
            return;
        };
        self.truth.push(TruthEntry {
            conversation_id,
            participant_id,
            user_id,
            queue_id,
            media_type: media,
            outcome,
            code,
            time: iso(at),
        });
    }

    /// Publishes the current snapshot of a stored conversation to every matching subscription.
    pub fn publish(&self, conversation_id: Uuid) {
        if let Some(c) = self.conversations.get(&conversation_id) {
            self.publish_snapshot(c);
        }
    }

    /// Publishes a snapshot of any conversation, stored or not (the firehose keeps its own).
    pub fn publish_snapshot(&self, conversation: &Conversation) {
        let to = deliveries(self.channels.values(), conversation);
        self.publisher.snapshot(conversation, to);
    }
}

/// The running simulator: configuration, clock, state and counters.
pub struct Sim {
    /// Configuration.
    pub cfg: Config,
    /// Speed, pause, shutdown.
    pub clock: Clock,
    /// Bound address.
    pub addr: SocketAddr,
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// Counters.
    pub stats: Stats,
    /// Random stream for plans of API-created callbacks and scripted conversations (seeded).
    pub api_plan_rng: Mutex<ChaCha8Rng>,
    /// Firehose snapshots per second now (starts at `cfg.firehose_rate`; `POST /sim/firehose` changes it).
    pub firehose_rate: AtomicU32,
    /// Firehose publishes each conversation once, already wrapped up (`POST /sim/firehose`).
    pub firehose_final_only: AtomicBool,
    world: Mutex<World>,
}

impl Sim {
    /// Builds the simulator state for `cfg` bound at `addr`; frames leave through `publisher`.
    pub fn new(cfg: Config, clock: Clock, addr: SocketAddr, publisher: Publisher) -> Self {
        let world = World::new(&cfg, publisher);
        let base_url = format!("http://{addr}");
        let api_plan_rng = Mutex::new(ChaCha8Rng::seed_from_u64(cfg.seed ^ 0xCA11 ^ PLAN_STREAM));
        let firehose_rate = AtomicU32::new(cfg.firehose_rate);
        Self {
            firehose_rate,
            firehose_final_only: AtomicBool::new(false),
            cfg,
            clock,
            addr,
            base_url,
            stats: Stats::default(),
            api_plan_rng,
            world: Mutex::new(world),
        }
    }

    /// Locks the state. Never held across an await.
    pub fn lock(&self) -> MutexGuard<'_, World> {
        self.world
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `ws://HOST:PORT` for `connectUri`.
    pub fn ws_base(&self) -> String {
        format!("ws://{}", self.addr)
    }
}
