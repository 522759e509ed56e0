//! The simulator's own conversation model (one struct for all APIs) and its three renderings:
//! the notification snapshot (§4.7), the Conversations API shape (§7) and the per-media topic shape.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::directory::Directory;
use crate::clock::{Ts, iso};

/// The wrap-up system code applied when ACW times out.
pub const TIMEOUT_CODE: &str = "ININ-WRAP-UP-TIMEOUT";

/// Media type of a conversation; serialises as its analytics / truth spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Media {
    /// Phone call (`calls[]`).
    Voice,
    /// Callback (`callbacks[]`).
    Callback,
    /// Web chat (`chats[]`).
    Chat,
    /// Email (`emails[]`).
    Email,
    /// Messaging (`messages[]`).
    Message,
}

impl Media {
    /// All media, in traffic-mix order.
    pub const ALL: [Media; 5] = [
        Media::Voice,
        Media::Callback,
        Media::Chat,
        Media::Email,
        Media::Message,
    ];

    /// Analytics / truth spelling (`voice`, `callback`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Voice => "voice",
            Self::Callback => "callback",
            Self::Chat => "chat",
            Self::Email => "email",
            Self::Message => "message",
        }
    }
    /// Participant array key and per-media topic suffix (`calls`, `callbacks`, …).
    pub fn comm_key(self) -> &'static str {
        match self {
            Self::Voice => "calls",
            Self::Callback => "callbacks",
            Self::Chat => "chats",
            Self::Email => "emails",
            Self::Message => "messages",
        }
    }
    /// Parses the analytics spelling.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s))
    }
    /// Parses a per-media topic suffix.
    pub fn from_comm_key(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.comm_key() == s)
    }
    /// Parses the `communicationType` query value of `GET /api/v2/conversations` (Call, Chat, …).
    pub fn from_communication_type(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "call" | "voice" => Some(Self::Voice),
            "callback" => Some(Self::Callback),
            "chat" => Some(Self::Chat),
            "email" => Some(Self::Email),
            "message" => Some(Self::Message),
            _ => None,
        }
    }
}

/// Participant purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The external party.
    Customer,
    /// The IVR flow (voice only).
    Ivr,
    /// The queue while the interaction waits.
    Acd,
    /// An agent leg.
    Agent,
}

impl Purpose {
    /// Wire spelling (same in every API).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::Ivr => "ivr",
            Self::Acd => "acd",
            Self::Agent => "agent",
        }
    }
}

/// Communication state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommState {
    /// Ringing / offered.
    Alerting,
    /// Connected.
    Connected,
    /// Disconnected.
    Disconnected,
}

impl CommState {
    /// Wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Alerting => "alerting",
            Self::Connected => "connected",
            Self::Disconnected => "disconnected",
        }
    }
}

/// Why a communication ended. Spelled dotted in conversations/notifications, camelCase in analytics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disconnect {
    /// The remote endpoint hung up.
    Endpoint,
    /// The other party disconnected.
    Peer,
    /// Transferred away.
    Transfer,
    /// Not answered in time.
    Timeout,
}

impl Disconnect {
    /// Conversations / notifications spelling.
    pub fn dotted(self) -> &'static str {
        match self {
            Self::Endpoint => "endpoint",
            Self::Peer => "peer",
            Self::Transfer => "transfer",
            Self::Timeout => "timeout",
        }
    }
    /// Analytics spelling (camelCase; identical for the values the simulator uses).
    pub fn camel(self) -> &'static str {
        self.dotted()
    }
}

/// `afterCallWork.state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcwState {
    /// ACW not applicable to this leg.
    NotApplicable,
    /// Agent is in ACW.
    Pending,
    /// ACW finished (code submitted or timed out).
    Complete,
    /// Agent skipped ACW.
    Skipped,
}

impl AcwState {
    /// Wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotApplicable => "notApplicable",
            Self::Pending => "pending",
            Self::Complete => "complete",
            Self::Skipped => "skipped",
        }
    }
}

/// Final outcome of an agent leg (the `/sim/truth` vocabulary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A user wrap-up code was submitted.
    Submitted,
    /// ACW timed out: `ININ-WRAP-UP-TIMEOUT`.
    TimedOut,
    /// The agent skipped ACW.
    Skipped,
    /// No wrap-up was expected (never connected, or no ACW).
    NotRequired,
}

/// An applied wrap-up (`wrapup` object).
#[derive(Debug, Clone)]
pub struct Wrapup {
    /// Code id, or a system code such as `ININ-WRAP-UP-TIMEOUT`.
    pub code: String,
    /// Display name (Conversations API only).
    pub name: String,
    /// Agent notes.
    pub notes: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Seconds spent in ACW.
    pub duration_seconds: i64,
    /// When the wrap-up was applied.
    pub end_time: Ts,
}

/// Wrap-up state of an agent leg.
#[derive(Debug, Clone, Default)]
pub struct AcwInfo {
    /// `wrapupRequired` / `afterCallWorkRequired`.
    pub required: bool,
    /// Participant-side prompt spelling.
    pub prompt: Option<&'static str>,
    /// `wrapupTimeoutMs`.
    pub timeout_ms: Option<u64>,
    /// `afterCallWork.state` once the communication has ended.
    pub state: Option<AcwState>,
    /// ACW start (`startAcwTime`).
    pub start: Option<Ts>,
    /// ACW end (`endAcwTime`).
    pub end: Option<Ts>,
    /// Applied wrap-up.
    pub wrapup: Option<Wrapup>,
    /// `wrapupSkipped`.
    pub skipped: bool,
}

/// An analytics segment as recorded while the conversation ran.
#[derive(Debug, Clone)]
pub struct Segment {
    /// `segmentType`.
    pub kind: &'static str,
    /// `segmentStart`.
    pub start: Ts,
    /// `segmentEnd` (None while open).
    pub end: Option<Ts>,
    /// `disconnectType` on the closing segment.
    pub disconnect: Option<Disconnect>,
    /// `queueId`.
    pub queue_id: Option<Uuid>,
    /// `wrapUpCode`.
    pub wrap_up_code: Option<String>,
    /// `wrapUpNote`.
    pub wrap_up_note: Option<String>,
}

/// An analytics session metric.
#[derive(Debug, Clone)]
pub struct Metric {
    /// Metric name (`tTalk`, `tAcw`, …).
    pub name: &'static str,
    /// Value; milliseconds for durations.
    pub value: i64,
    /// `emitDate`.
    pub emit: Ts,
}

/// One communication (the participant's single session).
#[derive(Debug, Clone)]
pub struct Comm {
    /// Communication / session id.
    pub id: Uuid,
    /// Current state.
    pub state: CommState,
    /// State when created.
    pub initial_state: CommState,
    /// When connected.
    pub connected: Option<Ts>,
    /// When disconnected.
    pub disconnected: Option<Ts>,
    /// Why disconnected.
    pub disconnect: Option<Disconnect>,
}

/// A participant (one leg).
#[derive(Debug, Clone)]
pub struct Participant {
    /// Participant id.
    pub id: Uuid,
    /// Purpose.
    pub purpose: Purpose,
    /// Display name.
    pub name: String,
    /// Agent's user id.
    pub user_id: Option<Uuid>,
    /// Queue the leg belongs to.
    pub queue_id: Option<Uuid>,
    /// Address (phone number, email, …).
    pub address: String,
    /// Participant data (`attributes`).
    pub attributes: BTreeMap<String, String>,
    /// Leg start.
    pub start: Ts,
    /// When connected.
    pub connected: Option<Ts>,
    /// When the leg ended.
    pub end: Option<Ts>,
    /// The communication.
    pub comm: Comm,
    /// ACW / wrap-up (agents only).
    pub acw: AcwInfo,
    /// Analytics segments.
    pub segments: Vec<Segment>,
    /// Analytics metrics.
    pub metrics: Vec<Metric>,
    /// Final outcome (agent legs).
    pub outcome: Option<Outcome>,
}

impl Participant {
    /// A new leg starting at `at` in `state`.
    pub fn new(
        id: Uuid,
        comm_id: Uuid,
        purpose: Purpose,
        name: impl Into<String>,
        address: impl Into<String>,
        at: Ts,
        state: CommState,
    ) -> Self {
        let connected = (state == CommState::Connected).then_some(at);
        Self {
            id,
            purpose,
            name: name.into(),
            user_id: None,
            queue_id: None,
            address: address.into(),
            attributes: BTreeMap::new(),
            start: at,
            connected,
            end: None,
            comm: Comm {
                id: comm_id,
                state,
                initial_state: state,
                connected,
                disconnected: None,
                disconnect: None,
            },
            acw: AcwInfo::default(),
            segments: Vec::new(),
            metrics: Vec::new(),
            outcome: None,
        }
    }

    /// Marks the communication connected.
    pub fn connect(&mut self, at: Ts) {
        self.comm.state = CommState::Connected;
        self.comm.connected = Some(at);
        self.connected = Some(at);
    }

    /// Marks the communication disconnected (idempotent).
    pub fn disconnect(&mut self, at: Ts, why: Disconnect) {
        if self.comm.state == CommState::Disconnected {
            return;
        }
        self.comm.state = CommState::Disconnected;
        self.comm.disconnected = Some(at);
        self.comm.disconnect = Some(why);
        self.end = Some(at);
    }

    /// Whether the communication has ended.
    pub fn is_disconnected(&self) -> bool {
        self.comm.state == CommState::Disconnected
    }

    /// Opens an analytics segment.
    pub fn open_segment(&mut self, kind: &'static str, at: Ts) {
        let queue_id = self.queue_id;
        self.segments.push(Segment {
            kind,
            start: at,
            end: None,
            disconnect: None,
            queue_id,
            wrap_up_code: None,
            wrap_up_note: None,
        });
    }

    /// Closes the open segment (if any), optionally with a disconnect type.
    pub fn close_segment(&mut self, at: Ts, why: Option<Disconnect>) {
        if let Some(s) = self.segments.iter_mut().rev().find(|s| s.end.is_none()) {
            s.end = Some(at.max(s.start));
            s.disconnect = why;
        }
    }

    /// Records a metric.
    pub fn metric(&mut self, name: &'static str, value: i64, emit: Ts) {
        self.metrics.push(Metric { name, value, emit });
    }
}

/// How a conversation came to exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Background traffic.
    Traffic,
    /// `POST /sim/conversations`.
    Scripted,
    /// `POST /api/v2/conversations/callbacks`.
    ApiCallback,
    /// Firehose (not stored).
    Firehose,
}

/// A conversation.
#[derive(Debug, Clone)]
pub struct Conversation {
    /// Conversation id.
    pub id: Uuid,
    /// Media type.
    pub media: Media,
    /// Queue it was routed to.
    pub queue_id: Uuid,
    /// Division.
    pub division_id: Uuid,
    /// Start.
    pub start: Ts,
    /// End (all communications disconnected).
    pub end: Option<Ts>,
    /// The address the customer contacted (DNIS / mailbox / widget deployment).
    pub address: String,
    /// Subject (email).
    pub subject: Option<String>,
    /// External tag.
    pub external_tag: Option<String>,
    /// Callback details.
    pub callback: Option<CallbackInfo>,
    /// Participants in join order.
    pub participants: Vec<Participant>,
    /// Origin.
    pub origin: Origin,
    /// Per-conversation analytics lag factor (0.8..1.2), seeded.
    pub lag_factor: f64,
}

/// Callback specifics.
#[derive(Debug, Clone)]
pub struct CallbackInfo {
    /// Numbers to call back.
    pub numbers: Vec<String>,
    /// Name given for the callback.
    pub user_name: Option<String>,
    /// Requested time.
    pub scheduled: Option<Ts>,
}

impl Conversation {
    /// The participant with this id.
    pub fn participant(&self, id: Uuid) -> Option<&Participant> {
        self.participants.iter().find(|p| p.id == id)
    }
    /// Mutable access to the participant with this id.
    pub fn participant_mut(&mut self, id: Uuid) -> Option<&mut Participant> {
        self.participants.iter_mut().find(|p| p.id == id)
    }
    /// Users with an agent leg.
    pub fn user_ids(&self) -> Vec<Uuid> {
        let mut v: Vec<Uuid> = self.participants.iter().filter_map(|p| p.user_id).collect();
        v.dedup();
        v
    }
    /// Queues touched by the conversation.
    pub fn queue_ids(&self) -> Vec<Uuid> {
        let mut v: Vec<Uuid> = self
            .participants
            .iter()
            .filter_map(|p| p.queue_id)
            .collect();
        v.sort();
        v.dedup();
        v
    }
    /// Ends the conversation when every communication has disconnected.
    pub fn end_if_all_disconnected(&mut self, at: Ts) {
        if self.end.is_none() && self.participants.iter().all(Participant::is_disconnected) {
            self.end = Some(at);
        }
    }

    fn self_address(&self) -> &'static str {
        match self.media {
            Media::Voice | Media::Callback => "tel:+18005550100",
            Media::Chat | Media::Message => "gc-sim web messaging",
            Media::Email => "support@example.com",
        }
    }

    /// The `ConversationEventTopicConversation` snapshot (§4.7): no conversation-level state/start/end,
    /// no participant `state`; state lives on the communications.
    pub fn event_body(&self) -> Value {
        let participants: Vec<Value> = self
            .participants
            .iter()
            .map(|p| self.participant_json(p, Shape::Event))
            .collect();
        strip_nulls(json!({
            "id": self.id,
            "maxParticipants": self.participants.len(),
            "participants": participants,
            "recentTransfers": [],
            "recordingState": "none",
            "address": self.address,
            "externalTag": self.external_tag,
            "securePause": false,
            "divisions": [{ "division": { "id": self.division_id }, "entities": [] }],
        }))
    }

    /// The Conversations API `Conversation` (§7).
    pub fn rest(&self, dir: &Directory) -> Value {
        let participants: Vec<Value> = self
            .participants
            .iter()
            .map(|p| self.participant_json(p, Shape::Rest(dir)))
            .collect();
        strip_nulls(json!({
            "id": self.id,
            "startTime": iso(self.start),
            "endTime": self.end.map(iso),
            "address": self.address,
            "externalTag": self.external_tag,
            "participants": participants,
            "conversationIds": [],
            "maxParticipants": self.participants.len(),
            "recordingState": "NONE",
            "divisions": [{ "division": { "id": self.division_id, "selfUri": format!("/api/v2/authorization/divisions/{}", self.division_id) }, "entities": [] }],
            "recentTransfers": [],
            "securePause": false,
            "selfUri": format!("/api/v2/conversations/{}", self.id),
        }))
    }

    /// The flatter per-media topic body (`v2.users.{id}.conversations.calls` and friends):
    /// participants carry `state`, `user`/`queue` references and `wrapupSkipped`.
    pub fn media_event_body(&self) -> Value {
        let participants: Vec<Value> = self
            .participants
            .iter()
            .map(|p| {
                let c = &p.comm;
                strip_nulls(json!({
                    "id": p.id,
                    "name": p.name,
                    "address": p.address,
                    "startTime": iso(p.start),
                    "connectedTime": p.connected.map(iso),
                    "endTime": p.end.map(iso),
                    "purpose": p.purpose.as_str(),
                    "state": c.state.as_str(),
                    "initialState": c.initial_state.as_str(),
                    "direction": "inbound",
                    "disconnectType": c.disconnect.map(Disconnect::dotted),
                    "held": false,
                    "wrapupRequired": p.acw.required,
                    "wrapupPrompt": p.acw.prompt,
                    "wrapupTimeoutMs": p.acw.timeout_ms,
                    "wrapupSkipped": (p.purpose == Purpose::Agent).then_some(p.acw.skipped),
                    "wrapup": p.acw.wrapup.as_ref().map(|w| wrapup_json(w, None)),
                    "startAcwTime": p.acw.start.map(iso),
                    "endAcwTime": p.acw.end.map(iso),
                    // `*MediaParticipant` has no afterCallWork(Required); its refs are `{id, name}`.
                    "user": p.user_id.map(|id| json!({ "id": id })),
                    "queue": p.queue_id.map(|id| json!({ "id": id })),
                    "attributes": p.attributes,
                }))
            })
            .collect();
        json!({ "id": self.id, "participants": participants })
    }

    fn acw_json(&self, p: &Participant) -> Value {
        match p.acw.state {
            Some(state) => strip_nulls(json!({
                "state": state.as_str(),
                "startTime": p.acw.start.map(iso),
                "endTime": p.acw.end.map(iso),
            })),
            None => Value::Null,
        }
    }

    fn comm_json(&self, p: &Participant, shape: Shape<'_>) -> Value {
        let c = &p.comm;
        let agent = p.purpose == Purpose::Agent;
        let mut v = json!({
            "id": c.id,
            "state": c.state.as_str(),
            "initialState": c.initial_state.as_str(),
            "direction": "inbound",
            "held": false,
            "disconnectType": c.disconnect.map(Disconnect::dotted),
            "connectedTime": c.connected.map(iso),
            "disconnectedTime": c.disconnected.map(iso),
        });
        let m = v.as_object_mut().expect("object literal");
        match self.media {
            Media::Voice => {
                m.insert("recording".into(), json!(false));
                m.insert("recordingState".into(), json!("none"));
                m.insert("muted".into(), json!(false));
                m.insert("confined".into(), json!(false));
                m.insert("securePause".into(), json!(false));
                m.insert("provider".into(), json!("Edge"));
                m.insert("self".into(), json!({ "addressNormalized": if p.purpose == Purpose::Customer { p.address.as_str() } else { self.self_address() } }));
                m.insert("other".into(), json!({ "addressNormalized": if p.purpose == Purpose::Customer { self.self_address() } else { self.customer_address() } }));
                m.insert("disconnectReasons".into(), json!([]));
            }
            Media::Callback => {
                if let Some(cb) = &self.callback {
                    m.insert("callbackNumbers".into(), json!(cb.numbers));
                    m.insert("callbackUserName".into(), json!(cb.user_name));
                    m.insert("callbackScheduledTime".into(), json!(cb.scheduled.map(iso)));
                }
                m.insert("skipEnabled".into(), json!(true));
                m.insert("timeoutSeconds".into(), json!(0));
            }
            Media::Chat => {
                m.insert(
                    "roomId".into(),
                    json!(format!("{}@conference.example.com", self.id)),
                );
            }
            Media::Email => {
                m.insert("subject".into(), json!(self.subject));
                m.insert("messagesSent".into(), json!(if agent { 1 } else { 0 }));
            }
            Media::Message => {
                m.insert("type".into(), json!("webmessaging"));
            }
        }
        // `ConversationEventTopicChat` (notifications) has no direction; the REST `ConversationChat` has.
        if self.media == Media::Chat && matches!(shape, Shape::Event) {
            m.remove("direction");
        }
        if agent {
            m.insert("afterCallWorkRequired".into(), json!(p.acw.required));
            m.insert("afterCallWork".into(), self.acw_json(p));
            let name = match shape {
                Shape::Rest(_) => Some(()),
                Shape::Event => None,
            };
            m.insert(
                "wrapup".into(),
                p.acw
                    .wrapup
                    .as_ref()
                    .map_or(Value::Null, |w| wrapup_json(w, name)),
            );
        }
        strip_nulls(v)
    }

    fn customer_address(&self) -> &str {
        self.participants
            .iter()
            .find(|p| p.purpose == Purpose::Customer)
            .map_or("", |p| p.address.as_str())
    }

    fn participant_json(&self, p: &Participant, shape: Shape<'_>) -> Value {
        let agent = p.purpose == Purpose::Agent;
        let mut comms: BTreeMap<&str, Vec<Value>> = [
            "calls",
            "callbacks",
            "chats",
            "cobrowsesessions",
            "emails",
            "messages",
            "screenshares",
            "socialExpressions",
            "videos",
        ]
        .into_iter()
        .map(|k| (k, Vec::new()))
        .collect();
        comms
            .entry(self.media.comm_key())
            .or_default()
            .push(self.comm_json(p, shape));
        let routing = p.queue_id.map(
            |q| json!({ "queue": { "id": q }, "priority": 0, "skills": [], "scoredAgents": [] }),
        );
        let mut v = json!({
            "id": p.id,
            "connectedTime": p.connected.map(iso),
            "endTime": p.end.map(iso),
            "userId": p.user_id,
            "name": p.name,
            "queueId": p.queue_id,
            "purpose": p.purpose.as_str(),
            "address": p.address,
            "wrapupRequired": p.acw.required,
            "wrapupPrompt": p.acw.prompt,
            "wrapupTimeoutMs": p.acw.timeout_ms,
            "wrapup": p.acw.wrapup.as_ref().map(|w| wrapup_json(w, matches!(shape, Shape::Rest(_)).then_some(()))),
            "startAcwTime": p.acw.start.map(iso),
            "endAcwTime": p.acw.end.map(iso),
            "conversationRoutingData": routing,
            "alertingTimeoutMs": agent.then_some(8000),
            "mediaRoles": [],
            "attributes": p.attributes,
        });
        let m = v.as_object_mut().expect("object literal");
        for (k, list) in comms {
            m.insert(k.into(), Value::Array(list));
        }
        match shape {
            Shape::Event => {
                if agent {
                    m.insert("wrapupExpected".into(), json!(p.acw.required));
                }
            }
            Shape::Rest(dir) => {
                m.insert("startTime".into(), json!(iso(p.start)));
                if let Some(uid) = p.user_id {
                    m.insert("userUri".into(), json!(format!("/api/v2/users/{uid}")));
                }
                if let Some(q) = p.queue_id.and_then(|q| dir.queue(q)) {
                    m.insert("queueName".into(), json!(q.name));
                }
                if agent {
                    m.insert("wrapupSkipped".into(), json!(p.acw.skipped));
                }
                if matches!(self.media, Media::Voice | Media::Callback) {
                    m.insert("ani".into(), json!(self.customer_address()));
                    m.insert("dnis".into(), json!(self.self_address()));
                }
            }
        }
        strip_nulls(v)
    }
}

#[derive(Clone, Copy)]
enum Shape<'a> {
    Event,
    Rest(&'a Directory),
}

/// The `wrapup` object; with `Some(())` adds the Conversations-API-only `name` and `provisional`.
fn wrapup_json(w: &Wrapup, rest: Option<()>) -> Value {
    let mut v = json!({
        "code": w.code,
        "notes": w.notes,
        "tags": w.tags,
        "durationSeconds": w.duration_seconds,
        "endTime": iso(w.end_time),
    });
    if rest.is_some() {
        let m = v.as_object_mut().expect("object literal");
        m.insert("name".into(), json!(w.name));
        m.insert("provisional".into(), json!(false));
    }
    strip_nulls(v)
}

/// Removes `null` members from objects, recursively: Genesys omits absent fields rather than sending null.
pub fn strip_nulls(mut v: Value) -> Value {
    fn walk(v: &mut Value) {
        match v {
            Value::Object(m) => {
                m.retain(|_, x| !x.is_null());
                m.values_mut().for_each(walk);
            }
            Value::Array(a) => a.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut v);
    v
}
