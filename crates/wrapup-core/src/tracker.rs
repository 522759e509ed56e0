//! Turns notification frames (whole-conversation snapshots) into one wrap-up outcome per agent leg.
//! Each outcome is emitted exactly once, when it becomes known, whatever the order or repetition of events.
//!
//! # How a leg is judged (one snapshot at a time, see [`assess`])
//! An agent leg is a participant with purpose `agent` or `user`. In order:
//! 1. a non-provisional wrap-up code (the participant's `wrapup`, else any communication's) decides the leg unless
//!    the leg is visibly still live without after-call work (a code picked mid-call is provisional):
//!    `ININ-WRAP-UP-TIMEOUT` → [`Outcome::TimedOut`], `ININ-WRAP-UP-SKIPPED` → [`Outcome::Skipped`], any other
//!    code → [`Outcome::Submitted`];
//! 2. `wrapupSkipped: true` or `afterCallWork.state: skipped` → [`Outcome::Skipped`];
//! 3. ACW open (`startAcwTime` without `endAcwTime`, or `afterCallWork.state: pending`) → wrapping up;
//! 4. ACW closed (`endAcwTime`, or `afterCallWork.state: complete`) without a code → [`Outcome::Submitted`] with
//!    no code;
//! 5. leg ended (communications `disconnected`/`terminated`, or participant `endTime`/`state`) with no wrap-up
//!    expected (`wrapupRequired: false`, `wrapupExpected: false`, `afterCallWork` `notApplicable`,
//!    `afterCallWorkRequired: false`, or never connected) → [`Outcome::NotRequired`]; otherwise the leg is
//!    waiting for its wrap-up (reported as pending).
//!
//! # Exactly once, in any order
//! A decided leg is never re-emitted: its key stays in a bounded memory of decided legs
//! ([`Limits::remembered_legs`]) even after its conversation is evicted. A leg once seen wrapping up stays so
//! until decided, so stale snapshots do not change what [`Tracker::finish`] reports.
//!
//! # Bounded memory
//! Only undecided agent legs are kept (a few ids each), not the snapshots. A conversation is evicted once all its
//! agent legs are decided and every communication has ended; its id is then remembered
//! ([`Limits::remembered_conversations`]) so late duplicates are ignored cheaply. At most
//! [`Limits::max_conversations`] conversations are tracked; beyond that the least recently updated eighth is
//! dropped (counted in [`TrackerStats::evicted_undecided_legs`]).
#![warn(missing_docs)]

use std::collections::VecDeque;
use std::hash::BuildHasher;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use serde::{Deserialize, Serialize};

use crate::model::conversation::{AcwState, Conversation, MediaKind, Participant, Wrapup};
use crate::model::notification::{self, FrameBody, TopicKind};
use crate::model::{Text, WrapUpCodeKind, parse_instant};

/// The outcome of an agent leg's wrap-up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The agent (or an API call) submitted a wrap-up, normally with a code.
    Submitted,
    /// After-call work timed out: the platform applied `ININ-WRAP-UP-TIMEOUT`.
    TimedOut,
    /// The agent skipped after-call work.
    Skipped,
    /// The leg ended and no wrap-up was expected (no ACW configured, never answered, …).
    NotRequired,
    /// The leg is in after-call work: no outcome yet (only from [`Tracker::pending`] and [`Tracker::finish`]).
    Pending,
}

impl Outcome {
    /// The snake_case name used in the CLI output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::TimedOut => "timed_out",
            Self::Skipped => "skipped",
            Self::NotRequired => "not_required",
            Self::Pending => "pending",
        }
    }
}

/// One agent leg's wrap-up outcome: a line of `wrapup replay`, a row of the live feed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WrapUpOutcome {
    /// Conversation id.
    pub conversation_id: String,
    /// The agent participant's id.
    pub participant_id: String,
    /// The agent's user id.
    pub user_id: Option<String>,
    /// The queue of the leg.
    pub queue_id: Option<String>,
    /// `voice`, `callback`, `chat`, `email`, `message`, `cobrowse`, `screenshare`, `socialExpression`, `video`
    /// (see [`MediaKind`]).
    pub media_type: Option<String>,
    /// What happened.
    pub outcome: Outcome,
    /// The wrap-up code id or system code (`ININ-WRAP-UP-TIMEOUT`, …).
    pub code: Option<String>,
    /// Wrap-up notes.
    pub notes: Option<String>,
    /// Time in wrap-up, seconds: `wrapup.durationSeconds`, else computed from the ACW start and end.
    pub duration_seconds: Option<i64>,
    /// When the outcome happened: `wrapup.endTime`, else the end of ACW, else (not required) the end of the leg.
    pub end_time: Option<String>,
}

/// One agent leg's identity, written `conversationId/participantId`: unique across conversations, so
/// the feed, the after-call-work list and exports key rows by it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LegKey(String);

impl LegKey {
    /// The key of participant `participant_id` in conversation `conversation_id`.
    pub fn new(conversation_id: &str, participant_id: &str) -> Self {
        Self(format!("{conversation_id}/{participant_id}"))
    }

    /// `conversationId/participantId`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for LegKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl WrapUpOutcome {
    /// The leg this outcome is about.
    pub fn leg_key(&self) -> LegKey {
        LegKey::new(&self.conversation_id, &self.participant_id)
    }
}

/// What one WebSocket frame was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FrameKind {
    /// `channel.metadata` "WebSocket Heartbeat".
    Heartbeat,
    /// `channel.metadata` "pong" (reply to `{"message":"ping"}`).
    Pong,
    /// `v2.system.socket_closing`: reconnect within about a minute.
    SocketClosing,
    /// A conversation snapshot from a user or queue conversation topic.
    Conversation {
        /// `topicName` as received.
        topic: String,
    },
    /// A notification on any other topic (or another `channel.metadata` message); not used.
    Other {
        /// `topicName` as received.
        topic: String,
    },
    /// Not a notification: not JSON, no `topicName`, or a conversation body of the wrong shape.
    Malformed {
        /// What was wrong, for a log line.
        reason: String,
    },
}

/// The result of [`Tracker::ingest_frame`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameReport {
    /// What the frame was.
    pub kind: FrameKind,
    /// Outcomes that became known with this frame, in participant order.
    pub outcomes: Vec<WrapUpOutcome>,
}

/// How much the tracker remembers. The defaults hold a busy contact centre's day in tens of megabytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Conversations tracked at once (those with undecided agent legs or live communications).
    pub max_conversations: usize,
    /// Decided leg keys remembered (64-bit hashes, ~24 bytes each) so late duplicates are not re-emitted.
    pub remembered_legs: usize,
    /// Finished conversation ids remembered (64-bit hashes) so their late snapshots are ignored.
    pub remembered_conversations: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_conversations: 100_000,
            remembered_legs: 1_000_000,
            remembered_conversations: 500_000,
        }
    }
}

/// Counters for a summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TrackerStats {
    /// Conversations tracked right now.
    pub tracked_conversations: usize,
    /// Outcomes emitted so far (pending ones not included).
    pub decided_legs: u64,
    /// Undecided legs dropped because more than [`Limits::max_conversations`] conversations were live.
    pub evicted_undecided_legs: u64,
}

/// The wrap-up tracker: feed it frames (or REST snapshots), get each agent leg's outcome once.
#[derive(Debug)]
pub struct Tracker {
    conversations: HashMap<String, TrackedConversation>,
    decided_legs: RecentSet,
    finished_conversations: RecentSet,
    limits: Limits,
    /// Monotonic counter: orders legs by first sight and conversations by last update.
    tick: u64,
    decided_count: u64,
    evicted_undecided_legs: u64,
}

#[derive(Debug)]
struct TrackedConversation {
    last_update: u64,
    /// Undecided agent legs only.
    legs: Vec<TrackedLeg>,
}

#[derive(Debug)]
struct TrackedLeg {
    participant_id: String,
    first_seen: u64,
    user_id: Option<String>,
    queue_id: Option<String>,
    media: Option<MediaKind>,
    /// Seen connected in some snapshot (a later snapshot may drop `connectedTime`).
    was_connected: bool,
    /// Seen in (or waiting for) after-call work; never goes back, so stale snapshots don't undo it.
    wrapping_up: bool,
}

impl Default for Tracker {
    fn default() -> Self {
        Self::new()
    }
}

impl Tracker {
    /// A tracker with the default [`Limits`].
    pub fn new() -> Self {
        Self::with_limits(Limits::default())
    }

    /// A tracker with explicit memory bounds.
    pub fn with_limits(limits: Limits) -> Self {
        Self {
            conversations: HashMap::new(),
            decided_legs: RecentSet::new(limits.remembered_legs),
            finished_conversations: RecentSet::new(limits.remembered_conversations),
            limits,
            tick: 0,
            decided_count: 0,
            evicted_undecided_legs: 0,
        }
    }

    /// One raw WebSocket text frame in; what it was and any outcomes that became known.
    pub fn ingest_frame(&mut self, frame: &str) -> FrameReport {
        self.ingest_digest(FrameDigest::of(frame))
    }

    /// A frame already reduced by [`FrameDigest::of`] (possibly on another thread); digests must be ingested in
    /// the order the frames arrived.
    pub fn ingest_digest(&mut self, digest: FrameDigest) -> FrameReport {
        let mut outcomes = Vec::new();
        if let Some(snapshot) = digest.snapshot {
            self.apply(snapshot, &mut outcomes);
        }
        FrameReport {
            kind: digest.kind,
            outcomes,
        }
    }

    /// A conversation snapshot from REST (`GET /api/v2/conversations/{id}`, or the whole `GET /api/v2/conversations`
    /// listing with its `entities`), Conversations-API shape, for backfill after a gap. Provisional wrap-ups are
    /// not final and are ignored.
    pub fn ingest_conversation_json(
        &mut self,
        json: &str,
    ) -> Result<Vec<WrapUpOutcome>, serde_json::Error> {
        let mut outcomes = Vec::new();
        let single: Conversation<'_> = serde_json::from_str(json)?;
        if let Some(snapshot) = SnapshotDigest::of(&single, None) {
            self.apply(snapshot, &mut outcomes);
            return Ok(outcomes);
        }
        #[derive(Deserialize)]
        #[serde(bound(deserialize = "'de: 'a"))]
        struct Listing<'a> {
            #[serde(default)]
            entities: Option<Vec<Conversation<'a>>>,
        }
        let listing: Listing<'_> = serde_json::from_str(json)?;
        let Some(entities) = listing.entities else {
            return Err(serde::de::Error::custom(
                "neither a conversation (no \"id\") nor a conversation listing (no \"entities\")",
            ));
        };
        for snapshot in entities.iter().filter_map(|c| SnapshotDigest::of(c, None)) {
            self.apply(snapshot, &mut outcomes);
        }
        Ok(outcomes)
    }

    /// Legs currently in (or waiting for) after-call work, as [`Outcome::Pending`], in order of first sight.
    pub fn pending(&self) -> Vec<WrapUpOutcome> {
        let mut legs: Vec<(&str, &TrackedLeg)> = self
            .conversations
            .iter()
            .flat_map(|(id, conversation)| {
                conversation.legs.iter().map(move |leg| (id.as_str(), leg))
            })
            .filter(|(_, leg)| leg.wrapping_up)
            .collect();
        legs.sort_by_key(|(_, leg)| leg.first_seen);
        legs.into_iter()
            .map(|(id, leg)| leg.outcome(id, Outcome::Pending))
            .collect()
    }

    /// End of input: legs still in after-call work as [`Outcome::Pending`] (used by `wrapup replay`).
    /// Forgets every tracked conversation; the memory of decided legs is kept.
    pub fn finish(&mut self) -> Vec<WrapUpOutcome> {
        let pending = self.pending();
        self.conversations.clear();
        pending
    }

    /// Counters for a summary line.
    pub fn stats(&self) -> TrackerStats {
        TrackerStats {
            tracked_conversations: self.conversations.len(),
            decided_legs: self.decided_count,
            evicted_undecided_legs: self.evicted_undecided_legs,
        }
    }

    /// Legs tracked but not yet decided and not in after-call work (still talking, ringing, …).
    pub fn active_leg_count(&self) -> usize {
        self.conversations
            .values()
            .flat_map(|c| &c.legs)
            .filter(|leg| !leg.wrapping_up)
            .count()
    }

    /// Conversations tracked right now (an agent leg undecided or a communication live): after a gap in
    /// the socket these are read again by id, since their ends may have been missed.
    pub fn open_conversation_ids(&self) -> Vec<String> {
        let mut ids: Vec<(&String, u64)> = self
            .conversations
            .iter()
            .map(|(id, c)| (id, c.last_update))
            .collect();
        ids.sort_by_key(|(_, update)| *update);
        ids.into_iter().map(|(id, _)| id.clone()).collect()
    }

    /// Whether `conversation_id` is tracked now or finished earlier: a gap search skips it, since reading
    /// it again can teach nothing the socket did not already say (tracked ones are read as open ones).
    pub fn has_seen(&self, conversation_id: &str) -> bool {
        self.conversations.contains_key(conversation_id)
            || self
                .finished_conversations
                .contains(hash_key(conversation_id, ""))
    }

    fn apply(&mut self, snapshot: SnapshotDigest, outcomes: &mut Vec<WrapUpOutcome>) {
        let SnapshotDigest {
            conversation_id,
            is_over,
            legs,
        } = snapshot;
        let conversation_key = hash_key(&conversation_id, "");
        if self.finished_conversations.contains(conversation_key) {
            return;
        }
        self.tick += 1;
        let tick = self.tick;
        // Look up before inserting so a known conversation costs no allocation.
        if !self.conversations.contains_key(&conversation_id) {
            self.conversations.insert(
                conversation_id.clone(),
                TrackedConversation {
                    last_update: tick,
                    legs: Vec::new(),
                },
            );
        }
        let Some(tracked) = self.conversations.get_mut(&conversation_id) else {
            return;
        };
        tracked.last_update = tick;

        for digest in legs {
            let leg_key = hash_key(&conversation_id, &digest.participant_id);
            if self.decided_legs.contains(leg_key) {
                continue;
            }
            let index = match tracked
                .legs
                .iter()
                .position(|leg| leg.participant_id == digest.participant_id)
            {
                Some(index) => index,
                None => {
                    tracked
                        .legs
                        .push(TrackedLeg::new(digest.participant_id.clone(), tick));
                    tracked.legs.len() - 1
                }
            };
            let leg = &mut tracked.legs[index];
            leg.refresh(&digest);
            let assessment = match digest.assessment {
                Assessment::Unanswered(_) if leg.was_connected => Assessment::WrappingUp,
                Assessment::Unanswered(decision) => Assessment::Decided(decision),
                other => other,
            };
            match assessment {
                Assessment::Decided(decision) => {
                    let leg = tracked.legs.remove(index);
                    self.decided_legs.insert(leg_key);
                    self.decided_count += 1;
                    outcomes.push(leg.decided_outcome(&conversation_id, decision));
                }
                Assessment::WrappingUp => leg.wrapping_up = true,
                Assessment::Active | Assessment::Unanswered(_) => {}
            }
        }

        if tracked.legs.is_empty() && is_over {
            self.conversations.remove(&conversation_id);
            self.finished_conversations.insert(conversation_key);
        } else if self.conversations.len() > self.limits.max_conversations {
            self.evict_least_recently_updated();
        }
    }

    /// Drops the least recently updated eighth of the tracked conversations (amortised O(1) per snapshot).
    fn evict_least_recently_updated(&mut self) {
        let excess = (self.conversations.len() - self.limits.max_conversations)
            .max(self.limits.max_conversations / 8)
            .max(1);
        let mut updates: Vec<u64> = self.conversations.values().map(|c| c.last_update).collect();
        let cut = excess.min(updates.len()) - 1;
        let (_, &mut threshold, _) = updates.select_nth_unstable(cut);
        let mut dropped_legs = 0;
        self.conversations.retain(|_, c| {
            let keep = c.last_update > threshold;
            if !keep {
                dropped_legs += c.legs.len() as u64;
            }
            keep
        });
        self.evicted_undecided_legs += dropped_legs;
    }
}

/// A frame reduced to what the tracker needs. Computed from the frame alone, so it can be made on any thread
/// (the CLI parses on two cores) and then given to [`Tracker::ingest_digest`] in arrival order.
#[derive(Clone, Debug)]
pub struct FrameDigest {
    kind: FrameKind,
    snapshot: Option<SnapshotDigest>,
}

impl FrameDigest {
    /// Parses one raw WebSocket text frame.
    pub fn of(frame: &str) -> Self {
        let parsed = match notification::parse_frame(frame) {
            Ok(parsed) => parsed,
            Err(error) => {
                return Self {
                    kind: FrameKind::Malformed {
                        reason: error.to_string(),
                    },
                    snapshot: None,
                };
            }
        };
        let (kind, snapshot) = match (parsed.topic, parsed.body) {
            (TopicKind::ChannelMetadata, FrameBody::ChannelMessage(Some(message)))
                if notification::is_heartbeat(&message) =>
            {
                (FrameKind::Heartbeat, None)
            }
            (TopicKind::ChannelMetadata, FrameBody::ChannelMessage(Some(message)))
                if notification::is_pong(&message) =>
            {
                (FrameKind::Pong, None)
            }
            (TopicKind::SocketClosing, _) => (FrameKind::SocketClosing, None),
            (TopicKind::Conversation { media, .. }, FrameBody::Conversation(conversation)) => (
                FrameKind::Conversation {
                    topic: parsed.topic_name.into_owned(),
                },
                SnapshotDigest::of(&conversation, media),
            ),
            _ => (
                FrameKind::Other {
                    topic: parsed.topic_name.into_owned(),
                },
                None,
            ),
        };
        Self { kind, snapshot }
    }

    /// What the frame was.
    pub fn kind(&self) -> &FrameKind {
        &self.kind
    }
}

/// One conversation snapshot, reduced to its agent legs.
#[derive(Clone, Debug)]
struct SnapshotDigest {
    conversation_id: String,
    /// Every communication of every participant has ended.
    is_over: bool,
    legs: Vec<LegDigest>,
}

/// One agent leg of one snapshot.
#[derive(Clone, Debug)]
struct LegDigest {
    participant_id: String,
    user_id: Option<String>,
    queue_id: Option<String>,
    media: Option<MediaKind>,
    connected: bool,
    assessment: Assessment,
}

impl SnapshotDigest {
    /// `None` when the conversation has no id.
    fn of(conversation: &Conversation<'_>, topic_media: Option<MediaKind>) -> Option<Self> {
        let conversation_id = conversation
            .id
            .as_ref()
            .and_then(Text::non_empty)?
            .to_owned();
        let legs = conversation
            .participants()
            .iter()
            .filter(|p| p.is_agent())
            .filter_map(|participant| {
                Some(LegDigest {
                    participant_id: participant
                        .id
                        .as_ref()
                        .and_then(Text::non_empty)?
                        .to_owned(),
                    user_id: participant.user_id().map(str::to_owned),
                    queue_id: participant.queue_id().map(str::to_owned),
                    media: participant.media_kind().or(topic_media),
                    connected: has_connected(participant),
                    assessment: assess(participant),
                })
            })
            .collect();
        Some(Self {
            conversation_id,
            is_over: conversation_is_over(conversation),
            legs,
        })
    }
}

impl TrackedLeg {
    fn new(participant_id: String, tick: u64) -> Self {
        Self {
            participant_id,
            first_seen: tick,
            user_id: None,
            queue_id: None,
            media: None,
            was_connected: false,
            wrapping_up: false,
        }
    }

    /// Takes the latest ids from the snapshot, keeping earlier ones where the snapshot has none.
    fn refresh(&mut self, digest: &LegDigest) {
        refresh_id(&mut self.user_id, digest.user_id.as_deref());
        refresh_id(&mut self.queue_id, digest.queue_id.as_deref());
        if digest.media.is_some() {
            self.media = digest.media;
        }
        self.was_connected |= digest.connected;
    }

    fn outcome(&self, conversation_id: &str, outcome: Outcome) -> WrapUpOutcome {
        WrapUpOutcome {
            conversation_id: conversation_id.to_owned(),
            participant_id: self.participant_id.clone(),
            user_id: self.user_id.clone(),
            queue_id: self.queue_id.clone(),
            media_type: self.media.map(|m| m.as_str().to_owned()),
            outcome,
            code: None,
            notes: None,
            duration_seconds: None,
            end_time: None,
        }
    }

    fn decided_outcome(self, conversation_id: &str, decision: Decision) -> WrapUpOutcome {
        WrapUpOutcome {
            code: decision.code,
            notes: decision.notes,
            duration_seconds: decision.duration_seconds,
            end_time: decision.end_time,
            ..self.outcome(conversation_id, decision.outcome)
        }
    }
}

fn refresh_id(slot: &mut Option<String>, latest: Option<&str>) {
    if let Some(latest) = latest
        && slot.as_deref() != Some(latest)
    {
        *slot = Some(latest.to_owned());
    }
}

/// What one snapshot says about an agent leg.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Assessment {
    /// The leg's final outcome is known.
    Decided(Decision),
    /// In after-call work, or ended and waiting for a required wrap-up.
    WrappingUp,
    /// Ringing, talking, or not enough information yet.
    Active,
    /// Ended, no wrap-up, and this snapshot shows no sign the leg ever connected: the decision
    /// ([`Outcome::NotRequired`]) holds unless an earlier snapshot showed it connected (then: waiting for wrap-up).
    Unanswered(Decision),
}

/// A leg's final outcome with the wrap-up details that prove it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// Never [`Outcome::Pending`].
    pub outcome: Outcome,
    /// The wrap-up code, when there is one.
    pub code: Option<String>,
    /// Wrap-up notes.
    pub notes: Option<String>,
    /// Seconds in wrap-up.
    pub duration_seconds: Option<i64>,
    /// When the outcome happened.
    pub end_time: Option<String>,
}

/// Judges one agent participant of one snapshot (rules in the module docs).
pub fn assess(participant: &Participant<'_>) -> Assessment {
    let ended = leg_has_ended(participant);
    let live = !ended
        && (participant.state.as_ref().is_some_and(|s| !s.is_ended())
            || participant
                .communications()
                .any(|(_, c)| c.state.as_ref().is_some_and(|s| !s.is_ended())));
    let acw_states = || {
        participant
            .communications()
            .filter_map(|(_, c)| c.after_call_work.as_ref()?.state.as_ref())
    };
    let acw_pending = acw_states().any(|s| *s == AcwState::Pending);
    let acw_complete = acw_states().any(|s| *s == AcwState::Complete);
    let acw_skipped = acw_states().any(|s| *s == AcwState::Skipped);
    let acw_started =
        participant.start_acw_time.is_some() || acw_pending || acw_complete || acw_skipped;

    let wrapup = final_wrapup(participant);
    if let Some((wrapup, code)) = wrapup.and_then(|w| Some((w, w.code()?)))
        && (!live || acw_started)
    {
        let outcome = match WrapUpCodeKind::of(code) {
            WrapUpCodeKind::Timeout => Outcome::TimedOut,
            WrapUpCodeKind::Skipped => Outcome::Skipped,
            WrapUpCodeKind::Configured | WrapUpCodeKind::System => Outcome::Submitted,
        };
        return Assessment::Decided(decision(participant, outcome, Some(wrapup)));
    }
    if participant.wrapup_skipped == Some(true) || acw_skipped {
        return Assessment::Decided(decision(participant, Outcome::Skipped, wrapup));
    }
    let acw_open =
        (participant.start_acw_time.is_some() && participant.end_acw_time.is_none()) || acw_pending;
    if acw_open {
        return Assessment::WrappingUp;
    }
    if participant.end_acw_time.is_some() || acw_complete {
        return Assessment::Decided(decision(participant, Outcome::Submitted, wrapup));
    }
    if ended {
        if wrapup_not_expected(participant) {
            return Assessment::Decided(decision(participant, Outcome::NotRequired, None));
        }
        if !has_connected(participant) {
            return Assessment::Unanswered(decision(participant, Outcome::NotRequired, None));
        }
        return Assessment::WrappingUp;
    }
    Assessment::Active
}

/// The wrap-up to report: the participant's when it has a code, else the first communication's with a code,
/// else any non-provisional one without a code (its notes are still worth showing).
fn final_wrapup<'p, 'a>(participant: &'p Participant<'a>) -> Option<&'p Wrapup<'a>> {
    let candidates = || {
        participant
            .wrapup
            .as_deref()
            .into_iter()
            .chain(
                participant
                    .communications()
                    .filter_map(|(_, c)| c.wrapup.as_deref()),
            )
            .filter(|w| !w.is_provisional())
    };
    candidates()
        .find(|w| w.code().is_some())
        .or_else(|| candidates().find(|w| w.notes().is_some() || w.end_time.is_some()))
}

fn leg_has_ended(participant: &Participant<'_>) -> bool {
    if participant.end_time.is_some() || participant.state.as_ref().is_some_and(|s| s.is_ended()) {
        return true;
    }
    let mut states = participant
        .communications()
        .map(|(_, c)| c.state.as_ref())
        .peekable();
    states.peek().is_some() && states.all(|s| s.is_some_and(|s| s.is_ended()))
}

fn has_connected(participant: &Participant<'_>) -> bool {
    use crate::model::conversation::CommunicationState::Connected;
    participant.connected_time.is_some()
        || participant.state == Some(Connected)
        || participant
            .communications()
            .any(|(_, c)| c.connected_time.is_some() || c.state == Some(Connected))
}

/// The snapshot says outright that no wrap-up is expected from this leg.
fn wrapup_not_expected(participant: &Participant<'_>) -> bool {
    participant.wrapup_required == Some(false)
        || participant.wrapup_expected == Some(false)
        || participant.communications().any(|(_, c)| {
            c.after_call_work_required == Some(false)
                || c.after_call_work
                    .as_ref()
                    .is_some_and(|acw| acw.state == Some(AcwState::NotApplicable))
        })
}

/// A whole conversation is over when every participant's communications have ended (participants without any
/// communication or state do not hold it open).
fn conversation_is_over(conversation: &Conversation<'_>) -> bool {
    conversation.participants().iter().all(|p| {
        let has_media = p.state.is_some() || p.communications().next().is_some();
        !has_media || leg_has_ended(p)
    })
}

fn decision(
    participant: &Participant<'_>,
    outcome: Outcome,
    wrapup: Option<&Wrapup<'_>>,
) -> Decision {
    let acw = participant
        .communications()
        .find_map(|(_, c)| c.after_call_work.as_deref());
    let acw_start = participant
        .start_acw_time
        .as_deref()
        .or_else(|| acw.and_then(|a| a.start_time.as_deref()));
    let acw_end = participant
        .end_acw_time
        .as_deref()
        .or_else(|| acw.and_then(|a| a.end_time.as_deref()));
    let duration_seconds = wrapup
        .and_then(|w| w.duration_seconds)
        .or_else(|| seconds_between(acw_start?, acw_end?));
    let leg_end = || {
        participant.end_time.as_deref().or_else(|| {
            participant
                .communications()
                .filter_map(|(_, c)| c.disconnected_time.as_deref())
                .max_by(later)
        })
    };
    let end_time = wrapup
        .and_then(|w| w.end_time.as_deref())
        .or(acw_end)
        .or_else(|| match outcome {
            Outcome::NotRequired => leg_end(),
            _ => None,
        });
    Decision {
        outcome,
        code: wrapup.and_then(Wrapup::code).map(str::to_owned),
        notes: wrapup.and_then(Wrapup::notes).map(str::to_owned),
        duration_seconds,
        end_time: end_time.map(str::to_owned),
    }
}

fn seconds_between(start: &str, end: &str) -> Option<i64> {
    let seconds = (parse_instant(end)? - parse_instant(start)?).whole_seconds();
    (seconds >= 0).then_some(seconds)
}

fn later(a: &&str, b: &&str) -> std::cmp::Ordering {
    match (parse_instant(a), parse_instant(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

/// A 64-bit key for a leg (`conversation`, `participant`) or a conversation (`participant` empty).
/// The hasher's seed is fixed, so keys are stable for the life of the process (and across runs).
fn hash_key(conversation: &str, participant: &str) -> u64 {
    foldhash::fast::FixedState::default().hash_one((conversation, participant))
}

/// A set that remembers the most recent `capacity` keys (first in, first out).
#[derive(Debug, Default)]
struct RecentSet {
    keys: HashSet<u64>,
    order: VecDeque<u64>,
    capacity: usize,
}

impl RecentSet {
    fn new(capacity: usize) -> Self {
        Self {
            keys: HashSet::new(),
            order: VecDeque::new(),
            capacity,
        }
    }

    fn contains(&self, key: u64) -> bool {
        self.keys.contains(&key)
    }

    fn insert(&mut self, key: u64) {
        if self.capacity == 0 || !self.keys.insert(key) {
            return;
        }
        self.order.push_back(key);
        if self.order.len() > self.capacity
            && let Some(oldest) = self.order.pop_front()
        {
            self.keys.remove(&oldest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leg_key_is_conversation_slash_participant() {
        let key = LegKey::new("c-1", "p-2");
        assert_eq!(key.as_str(), "c-1/p-2");
        assert_eq!(key.to_string(), "c-1/p-2");
        assert_ne!(key, LegKey::new("c-1", "p-3"));
    }

    fn frame(body: &str) -> String {
        format!(r#"{{"topicName":"v2.users.u1.conversations","version":"2","eventBody":{body}}}"#)
    }

    #[test]
    fn routes_frames_by_topic() {
        let mut tracker = Tracker::new();
        let kind = |t: &mut Tracker, f: &str| t.ingest_frame(f).kind;
        assert_eq!(
            kind(
                &mut tracker,
                r#"{"topicName":"channel.metadata","eventBody":{"message":"WebSocket Heartbeat"}}"#
            ),
            FrameKind::Heartbeat
        );
        assert_eq!(
            kind(
                &mut tracker,
                r#"{"topicName":"channel.metadata","eventBody":{"message":"pong"}}"#
            ),
            FrameKind::Pong
        );
        assert_eq!(
            kind(
                &mut tracker,
                r#"{"topicName":"channel.metadata","eventBody":{"message":"something new"}}"#
            ),
            FrameKind::Other {
                topic: "channel.metadata".into()
            }
        );
        assert_eq!(
            kind(
                &mut tracker,
                r#"{"topicName":"V2.SYSTEM.SOCKET_CLOSING","eventBody":{}}"#
            ),
            FrameKind::SocketClosing
        );
        assert_eq!(
            kind(&mut tracker, &frame(r#"{"id":"c1","participants":[]}"#)),
            FrameKind::Conversation {
                topic: "v2.users.u1.conversations".into()
            }
        );
        assert_eq!(
            kind(
                &mut tracker,
                r#"{"topicName":"v2.users.u1.presence","eventBody":{}}"#
            ),
            FrameKind::Other {
                topic: "v2.users.u1.presence".into()
            }
        );
        assert!(matches!(
            kind(&mut tracker, "{"),
            FrameKind::Malformed { .. }
        ));
    }

    const IN_ACW: &str = r#"{"id":"c1","participants":[{"id":"a1","purpose":"agent","userId":"u1","startAcwTime":"2024-05-01T10:00:00Z",
        "calls":[{"state":"disconnected","connectedTime":"2024-05-01T09:58:00Z","afterCallWork":{"state":"pending"}}]}]}"#;

    #[test]
    fn pending_reports_legs_in_acw_until_they_are_decided() {
        let mut tracker = Tracker::new();
        assert!(tracker.ingest_frame(&frame(IN_ACW)).outcomes.is_empty());
        let pending = tracker.pending();
        assert_eq!(pending.len(), 1);
        assert_eq!(
            (pending[0].participant_id.as_str(), pending[0].outcome),
            ("a1", Outcome::Pending)
        );
        let done = IN_ACW.replace(
            r#""afterCallWork":{"state":"pending"}"#,
            r#""wrapup":{"code":"X"},"afterCallWork":{"state":"complete"}"#,
        );
        let outcomes = tracker.ingest_frame(&frame(&done)).outcomes;
        assert_eq!(outcomes.len(), 1);
        assert_eq!(outcomes[0].code.as_deref(), Some("X"));
        assert!(tracker.pending().is_empty());
        assert!(tracker.finish().is_empty());
    }

    #[test]
    fn a_code_picked_while_the_call_is_live_is_not_final() {
        let live = r#"{"id":"c1","participants":[{"id":"a1","purpose":"agent","wrapup":{"code":"X"},"calls":[{"state":"connected"}]}]}"#;
        let mut tracker = Tracker::new();
        assert!(tracker.ingest_frame(&frame(live)).outcomes.is_empty());
        let ended = live.replace(r#""state":"connected""#, r#""state":"disconnected""#);
        assert_eq!(
            tracker.ingest_frame(&frame(&ended)).outcomes[0].outcome,
            Outcome::Submitted
        );
    }

    #[test]
    fn acw_ended_without_a_code_is_a_submission_without_a_code() {
        let json = r#"{"id":"c1","participants":[{"id":"a1","purpose":"agent","startAcwTime":"2024-05-01T10:00:00Z",
            "endAcwTime":"2024-05-01T10:00:30Z","wrapup":{"notes":"no code needed"},"calls":[{"state":"disconnected"}]}]}"#;
        let outcome = &Tracker::new().ingest_frame(&frame(json)).outcomes[0];
        assert_eq!(
            (outcome.outcome, outcome.code.as_deref()),
            (Outcome::Submitted, None)
        );
        assert_eq!(outcome.notes.as_deref(), Some("no code needed"));
        assert_eq!(outcome.duration_seconds, Some(30));
    }

    #[test]
    fn rest_snapshots_backfill_and_ignore_provisional_wrap_ups() {
        let mut tracker = Tracker::new();
        let provisional = r#"{"id":"c9","endTime":"2024-05-01T10:05:00Z","participants":[{"id":"a9","purpose":"agent","state":"disconnected",
            "connectedTime":"2024-05-01T10:00:00Z","wrapupRequired":true,"startAcwTime":"2024-05-01T10:04:00Z",
            "wrapup":{"code":"X","name":"Billing","provisional":true}}]}"#;
        assert!(
            tracker
                .ingest_conversation_json(provisional)
                .unwrap()
                .is_empty()
        );
        assert_eq!(tracker.pending().len(), 1);
        let listing = format!(
            r#"{{"entities":[{}],"pageSize":25}}"#,
            provisional.replace(r#""provisional":true"#, r#""provisional":false"#)
        );
        let outcomes = tracker.ingest_conversation_json(&listing).unwrap();
        assert_eq!(outcomes.len(), 1);
        assert_eq!(
            (outcomes[0].outcome, outcomes[0].code.as_deref()),
            (Outcome::Submitted, Some("X"))
        );
        assert!(
            tracker
                .ingest_conversation_json(r#"{"pageSize":25}"#)
                .is_err()
        );
        assert!(tracker.ingest_conversation_json("nope").is_err());
    }

    #[test]
    fn open_conversations_are_listed_for_a_gap_and_finished_ones_are_remembered() {
        let mut tracker = Tracker::new();
        tracker.ingest_frame(&frame(IN_ACW));
        tracker.ingest_frame(&finished(7));
        assert_eq!(tracker.open_conversation_ids(), ["c1"]);
        assert!(tracker.has_seen("c1"), "tracked");
        assert!(tracker.has_seen("c7"), "finished");
        assert!(!tracker.has_seen("c8"));
    }

    fn finished(n: usize) -> String {
        frame(&format!(
            r#"{{"id":"c{n}","participants":[{{"id":"a","purpose":"agent","wrapupRequired":false,"calls":[{{"state":"disconnected","connectedTime":"2024-05-01T10:00:00Z"}}]}}]}}"#
        ))
    }

    #[test]
    fn finished_conversations_are_evicted_and_late_duplicates_ignored() {
        let mut tracker = Tracker::new();
        assert_eq!(tracker.ingest_frame(&finished(1)).outcomes.len(), 1);
        assert_eq!(tracker.stats().tracked_conversations, 0);
        assert!(tracker.ingest_frame(&finished(1)).outcomes.is_empty());
        assert_eq!(tracker.stats().tracked_conversations, 0);
        assert_eq!(tracker.stats().decided_legs, 1);
    }

    #[test]
    fn the_decided_leg_memory_is_bounded_and_still_prevents_re_emission_after_a_cap_eviction() {
        let limits = Limits {
            max_conversations: 8,
            remembered_legs: 4,
            remembered_conversations: 0,
        };
        let mut tracker = Tracker::with_limits(limits);
        // Live conversations beyond the cap: the oldest are dropped and counted.
        for n in 0..20 {
            tracker.ingest_frame(&frame(&format!(
                r#"{{"id":"live{n}","participants":[{{"id":"a","purpose":"agent","calls":[{{"state":"connected"}}]}}]}}"#
            )));
        }
        assert!(tracker.stats().tracked_conversations <= 8);
        assert!(tracker.stats().evicted_undecided_legs >= 12);
        // Without the finished-conversation memory, only the decided-leg memory stops a repeat…
        assert_eq!(tracker.ingest_frame(&finished(1)).outcomes.len(), 1);
        assert!(tracker.ingest_frame(&finished(1)).outcomes.is_empty());
        // …and it forgets beyond its bound.
        for n in 2..7 {
            tracker.ingest_frame(&finished(n));
        }
        assert_eq!(tracker.ingest_frame(&finished(1)).outcomes.len(), 1);
    }

    #[test]
    fn pending_legs_are_listed_in_order_of_first_sight() {
        let mut tracker = Tracker::new();
        for id in ["c3", "c1", "c2"] {
            tracker.ingest_frame(&frame(
                &IN_ACW.replace(r#""id":"c1""#, &format!(r#""id":"{id}""#)),
            ));
        }
        let order: Vec<String> = tracker
            .finish()
            .into_iter()
            .map(|o| o.conversation_id)
            .collect();
        assert_eq!(order, ["c3", "c1", "c2"]);
        assert!(tracker.pending().is_empty());
    }
}
