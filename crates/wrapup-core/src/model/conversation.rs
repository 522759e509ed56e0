//! A conversation snapshot as the notification topics (reference §4.7) and the Conversations API (§7) send it.
//! One lenient shape serves both; only the fields the tracker reads are parsed, borrowed from the input.
#![warn(missing_docs)]

use serde::Deserialize;

use super::Text;
use super::lenient_enum;

/// A whole conversation: the `eventBody` of `v2.users.{id}.conversations` / `v2.routing.queues.{id}.conversations`
/// (and their per-media variants), or a `Conversation` from `GET /api/v2/conversations/{id}`.
///
/// Every event carries all participants (reference §10.3): a snapshot, not a delta.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "'de: 'a"))]
pub struct Conversation<'a> {
    /// Conversation id.
    #[serde(default)]
    pub id: Option<Text<'a>>,
    /// Conversation end (Conversations API only; the notification topics have no conversation-level times).
    #[serde(default)]
    pub end_time: Option<Text<'a>>,
    /// Every participant, agent legs and others (`null` is read as empty).
    #[serde(default)]
    pub participants: Option<Vec<Participant<'a>>>,
}

impl<'a> Conversation<'a> {
    /// The participants, empty when absent or `null`.
    pub fn participants(&self) -> &[Participant<'a>] {
        self.participants.as_deref().unwrap_or_default()
    }
}

/// One participant of a conversation snapshot.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "'de: 'a"))]
pub struct Participant<'a> {
    /// Participant id: with the conversation id, the key of an agent leg.
    #[serde(default)]
    pub id: Option<Text<'a>>,
    /// `agent`/`user` for agent legs; `customer`, `acd`, `ivr`, `external`, … otherwise.
    #[serde(default)]
    pub purpose: Option<Text<'a>>,
    /// The agent's user id.
    #[serde(default)]
    pub user_id: Option<Text<'a>>,
    /// The queue the leg was routed through.
    #[serde(default)]
    pub queue_id: Option<Text<'a>>,
    /// `{id, selfUri}` reference to the user (per-media topics carry this instead of `userId`).
    #[serde(default)]
    pub user: Option<EntityRef<'a>>,
    /// `{id, selfUri}` reference to the queue (per-media topics).
    #[serde(default)]
    pub queue: Option<EntityRef<'a>>,
    /// Participant-level state: present on per-media topics and the Conversations API, absent on
    /// `v2.users.{id}.conversations` (reference §11.2), where state lives on each communication.
    #[serde(default)]
    pub state: Option<CommunicationState>,
    /// When the participant connected.
    #[serde(default)]
    pub connected_time: Option<Text<'a>>,
    /// When the participant's leg ended.
    #[serde(default)]
    pub end_time: Option<Text<'a>>,
    /// Whether the platform will ask this leg for a wrap-up.
    #[serde(default)]
    pub wrapup_required: Option<bool>,
    /// Whether a wrap-up is expected from this leg (user and queue topics).
    #[serde(default)]
    pub wrapup_expected: Option<bool>,
    /// Set when the agent skipped wrap-up (per-media topics, Conversations API).
    #[serde(default)]
    pub wrapup_skipped: Option<bool>,
    /// The wrap-up the agent (or the platform) applied to the leg.
    #[serde(default)]
    pub wrapup: Option<Box<Wrapup<'a>>>,
    /// When after-call work started.
    #[serde(default)]
    pub start_acw_time: Option<Text<'a>>,
    /// When after-call work ended.
    #[serde(default)]
    pub end_acw_time: Option<Text<'a>>,
    /// Voice communications.
    #[serde(default)]
    pub calls: Option<Vec<Communication<'a>>>,
    /// Callback communications.
    #[serde(default)]
    pub callbacks: Option<Vec<Communication<'a>>>,
    /// Chat communications.
    #[serde(default)]
    pub chats: Option<Vec<Communication<'a>>>,
    /// Email communications.
    #[serde(default)]
    pub emails: Option<Vec<Communication<'a>>>,
    /// Message (SMS, web messaging, …) communications.
    #[serde(default)]
    pub messages: Option<Vec<Communication<'a>>>,
    /// Co-browse sessions (`cobrowsesessions`, all lower case, in the JSON).
    #[serde(default, rename = "cobrowsesessions")]
    pub cobrowse_sessions: Option<Vec<Communication<'a>>>,
    /// Screen shares.
    #[serde(default)]
    pub screenshares: Option<Vec<Communication<'a>>>,
    /// Social expressions.
    #[serde(default)]
    pub social_expressions: Option<Vec<Communication<'a>>>,
    /// Video communications.
    #[serde(default)]
    pub videos: Option<Vec<Communication<'a>>>,
}

impl<'a> Participant<'a> {
    /// Whether this participant is an agent leg (purpose `agent` or `user`, any case).
    pub fn is_agent(&self) -> bool {
        self.purpose.as_deref().is_some_and(super::is_agent_purpose)
    }

    /// The user id from `userId`, or from the `user` reference.
    pub fn user_id(&self) -> Option<&str> {
        non_empty(&self.user_id).or_else(|| self.user.as_ref().and_then(|r| non_empty(&r.id)))
    }

    /// The queue id from `queueId`, or from the `queue` reference.
    pub fn queue_id(&self) -> Option<&str> {
        non_empty(&self.queue_id).or_else(|| self.queue.as_ref().and_then(|r| non_empty(&r.id)))
    }

    /// Every communication with the medium of the array that carries it, in [`MediaKind::PRIORITY`] order.
    pub fn communications(&self) -> impl Iterator<Item = (MediaKind, &Communication<'a>)> {
        MediaKind::PRIORITY.iter().flat_map(move |&kind| {
            self.communications_of(kind)
                .iter()
                .map(move |communication| (kind, communication))
        })
    }

    /// The communications of one medium (empty when the array is absent or `null`).
    pub fn communications_of(&self, kind: MediaKind) -> &[Communication<'a>] {
        let array = match kind {
            MediaKind::Callback => &self.callbacks,
            MediaKind::Voice => &self.calls,
            MediaKind::Chat => &self.chats,
            MediaKind::Email => &self.emails,
            MediaKind::Message => &self.messages,
            MediaKind::Cobrowse => &self.cobrowse_sessions,
            MediaKind::Screenshare => &self.screenshares,
            MediaKind::SocialExpression => &self.social_expressions,
            MediaKind::Video => &self.videos,
        };
        array.as_deref().unwrap_or_default()
    }

    /// The medium of the leg: the first array, in [`MediaKind::PRIORITY`] order, that has a communication.
    pub fn media_kind(&self) -> Option<MediaKind> {
        self.communications().next().map(|(kind, _)| kind)
    }
}

/// `{id, selfUri}`: a reference to a user, queue or team.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "'de: 'a"))]
pub struct EntityRef<'a> {
    /// The referenced entity's id.
    #[serde(default)]
    pub id: Option<Text<'a>>,
}

/// One communication (a call, callback, chat, email, message, …) of a participant.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "'de: 'a"))]
pub struct Communication<'a> {
    /// Communication id.
    #[serde(default)]
    pub id: Option<Text<'a>>,
    /// `alerting`, `connected`, `disconnected`, `terminated`, ….
    #[serde(default)]
    pub state: Option<CommunicationState>,
    /// When the communication connected.
    #[serde(default)]
    pub connected_time: Option<Text<'a>>,
    /// When the communication disconnected.
    #[serde(default)]
    pub disconnected_time: Option<Text<'a>>,
    /// A wrap-up applied to this communication (same shape as the participant's).
    #[serde(default)]
    pub wrapup: Option<Box<Wrapup<'a>>>,
    /// After-call work of this communication.
    #[serde(default)]
    pub after_call_work: Option<Box<AfterCallWork<'a>>>,
    /// Whether after-call work is required for this communication.
    #[serde(default)]
    pub after_call_work_required: Option<bool>,
}

/// A wrap-up: `ConversationEventTopicWrapup` in notifications, `Wrapup` in the Conversations API (reference §5).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "'de: 'a"))]
pub struct Wrapup<'a> {
    /// The wrap-up code id (UUID) or a system string such as `ININ-WRAP-UP-TIMEOUT`.
    #[serde(default)]
    pub code: Option<Text<'a>>,
    /// The code's name (Conversations API only; notifications never carry it).
    #[serde(default)]
    pub name: Option<Text<'a>>,
    /// Notes the agent typed.
    #[serde(default)]
    pub notes: Option<Text<'a>>,
    /// Time spent in wrap-up, seconds.
    #[serde(default)]
    pub duration_seconds: Option<i64>,
    /// When the wrap-up was submitted.
    #[serde(default)]
    pub end_time: Option<Text<'a>>,
    /// Conversations API: a pending save that is not yet the agent's final wrap-up.
    #[serde(default)]
    pub provisional: Option<bool>,
}

impl Wrapup<'_> {
    /// The code, when there is a non-blank one.
    pub fn code(&self) -> Option<&str> {
        non_empty(&self.code)
    }

    /// The notes, when there are non-blank ones.
    pub fn notes(&self) -> Option<&str> {
        non_empty(&self.notes)
    }

    /// Whether this wrap-up is a provisional (not yet final) save.
    pub fn is_provisional(&self) -> bool {
        self.provisional == Some(true)
    }
}

/// `afterCallWork` of a communication: `{state, startTime, endTime}`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "'de: 'a"))]
pub struct AfterCallWork<'a> {
    /// `pending` while the agent wraps up, then `complete` or `skipped`; `notApplicable` without ACW.
    #[serde(default)]
    pub state: Option<AcwState>,
    /// When after-call work started.
    #[serde(default)]
    pub start_time: Option<Text<'a>>,
    /// When after-call work ended.
    #[serde(default)]
    pub end_time: Option<Text<'a>>,
}

lenient_enum! {
    /// State of a communication (or of a participant on per-media topics).
    pub enum CommunicationState {
        /// Ringing at the agent.
        Alerting = "alerting",
        /// Outbound dialing.
        Dialing = "dialing",
        /// Contacting the far end.
        Contacting = "contacting",
        /// Offered to the agent.
        Offering = "offering",
        /// Connected.
        Connected = "connected",
        /// Ended normally.
        Disconnected = "disconnected",
        /// Ended by the system.
        Terminated = "terminated",
        /// A scheduled callback.
        Scheduled = "scheduled",
        /// Uploading (recording/email).
        Uploading = "uploading",
        /// Converting.
        Converting = "converting",
        /// Transmitting (email).
        Transmitting = "transmitting",
        /// Parked (email, message).
        Parked = "parked",
        /// No state.
        None = "none",
    }
}

impl CommunicationState {
    /// Whether the communication is over (`disconnected` or `terminated`).
    pub fn is_ended(&self) -> bool {
        matches!(self, Self::Disconnected | Self::Terminated)
    }
}

lenient_enum! {
    /// `afterCallWork.state`.
    pub enum AcwState {
        /// Not known.
        Unknown = "unknown",
        /// No after-call work for this communication.
        NotApplicable = "notApplicable",
        /// The agent skipped after-call work.
        Skipped = "skipped",
        /// After-call work is in progress.
        Pending = "pending",
        /// After-call work finished.
        Complete = "complete",
    }
}

/// The medium of an agent leg, named after the communication array that carries it. This is the one place
/// that maps arrays and per-media topic suffixes to the `mediaType` the CLI and the feed show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MediaKind {
    /// `callbacks[]` → `callback`.
    Callback,
    /// `calls[]` → `voice`.
    Voice,
    /// `chats[]` → `chat`.
    Chat,
    /// `emails[]` → `email`.
    Email,
    /// `messages[]` → `message`.
    Message,
    /// `cobrowsesessions[]` → `cobrowse`.
    Cobrowse,
    /// `screenshares[]` → `screenshare`.
    Screenshare,
    /// `socialExpressions[]` → `socialExpression`.
    SocialExpression,
    /// `videos[]` → `video`.
    Video,
}

impl MediaKind {
    /// Which array names the leg's medium when a participant carries several: a callback leg also gets a
    /// `calls[]` entry when the callback is dialled, and it is still a callback.
    pub const PRIORITY: [MediaKind; 9] = [
        Self::Callback,
        Self::Voice,
        Self::Chat,
        Self::Email,
        Self::Message,
        Self::Cobrowse,
        Self::Screenshare,
        Self::SocialExpression,
        Self::Video,
    ];

    /// The `mediaType` string shown for the leg (analytics spelling where one exists).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Callback => "callback",
            Self::Voice => "voice",
            Self::Chat => "chat",
            Self::Email => "email",
            Self::Message => "message",
            Self::Cobrowse => "cobrowse",
            Self::Screenshare => "screenshare",
            Self::SocialExpression => "socialExpression",
            Self::Video => "video",
        }
    }

    /// The medium of a per-media topic suffix (`calls`, `callbacks`, `chats`, `emails`, `messages`,
    /// `cobrowseSessions`, `screenshares`, `socialexpressions`, `videos`), ignoring case.
    pub fn from_topic_suffix(suffix: &str) -> Option<Self> {
        const SUFFIXES: [(&str, MediaKind); 9] = [
            ("calls", MediaKind::Voice),
            ("callbacks", MediaKind::Callback),
            ("chats", MediaKind::Chat),
            ("emails", MediaKind::Email),
            ("messages", MediaKind::Message),
            ("cobrowsesessions", MediaKind::Cobrowse),
            ("screenshares", MediaKind::Screenshare),
            ("socialexpressions", MediaKind::SocialExpression),
            ("videos", MediaKind::Video),
        ];
        SUFFIXES
            .iter()
            .find(|(name, _)| suffix.eq_ignore_ascii_case(name))
            .map(|&(_, kind)| kind)
    }
}

fn non_empty<'s>(text: &'s Option<Text<'_>>) -> Option<&'s str> {
    text.as_ref().and_then(Text::non_empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_state_from_communications_and_media_from_the_array() {
        let json = r#"{"id":"c1","participants":[{"id":"p1","purpose":"agent","userId":"u1",
            "callbacks":[{"state":"disconnected"}],"calls":[{"state":"connected","afterCallWork":{"state":"pending"}}]}]}"#;
        let conversation: Conversation<'_> = serde_json::from_str(json).unwrap();
        let agent = &conversation.participants()[0];
        assert!(agent.is_agent());
        assert_eq!(agent.media_kind(), Some(MediaKind::Callback));
        let states: Vec<_> = agent
            .communications()
            .map(|(_, c)| c.state.clone().unwrap())
            .collect();
        assert_eq!(
            states,
            [
                CommunicationState::Disconnected,
                CommunicationState::Connected
            ]
        );
        assert_eq!(
            agent.calls.as_ref().unwrap()[0]
                .after_call_work
                .as_ref()
                .unwrap()
                .state,
            Some(AcwState::Pending)
        );
    }

    #[test]
    fn nulls_unknown_fields_and_unknown_enum_values_are_tolerated() {
        let json = r#"{"id":"c1","participants":[{"id":"p1","purpose":"User","calls":null,"wrapup":null,
            "user":{"id":"u9","selfUri":"/x"},"state":"hibernating","brandNewField":{"a":[1,2]},
            "emails":[{"state":"disconnected","afterCallWork":{"state":"deferred"}}]}],"extra":true}"#;
        let conversation: Conversation<'_> = serde_json::from_str(json).unwrap();
        let agent = &conversation.participants()[0];
        assert_eq!(agent.user_id(), Some("u9"));
        assert_eq!(
            agent.state,
            Some(CommunicationState::Other("hibernating".into()))
        );
        assert_eq!(agent.media_kind(), Some(MediaKind::Email));
        let acw = agent.emails.as_ref().unwrap()[0]
            .after_call_work
            .as_ref()
            .unwrap();
        assert_eq!(acw.state, Some(AcwState::Other("deferred".into())));
    }

    #[test]
    fn topic_suffixes_map_to_media_ignoring_case() {
        assert_eq!(
            MediaKind::from_topic_suffix("cobrowseSessions"),
            Some(MediaKind::Cobrowse)
        );
        assert_eq!(
            MediaKind::from_topic_suffix("CALLS"),
            Some(MediaKind::Voice)
        );
        assert_eq!(MediaKind::from_topic_suffix("conversationsummary"), None);
    }

    #[test]
    fn acw_state_parses_case_insensitively() {
        assert_eq!(AcwState::parse("NOTAPPLICABLE"), AcwState::NotApplicable);
        assert_eq!(AcwState::NotApplicable.as_str(), "notApplicable");
    }
}
