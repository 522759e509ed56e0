//! The Notification API WebSocket frame (reference §4.4): the envelope, topic routing and the bodies we read.
//! One pass over the frame when `topicName` precedes `eventBody` (as Genesys sends it); two passes otherwise.
#![warn(missing_docs)]

use std::fmt;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::Text;
use super::conversation::{Conversation, MediaKind};

/// The topic carrying heartbeats and pong replies.
pub const CHANNEL_METADATA_TOPIC: &str = "channel.metadata";
/// The maintenance warning: reconnect within about a minute.
pub const SOCKET_CLOSING_TOPIC: &str = "v2.system.socket_closing";
/// `eventBody.message` of a server heartbeat.
pub const HEARTBEAT_MESSAGE: &str = "WebSocket Heartbeat";
/// `eventBody.message` of the reply to the client's `{"message":"ping"}`.
pub const PONG_MESSAGE: &str = "pong";

/// Which conversation topic family a frame came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConversationSource {
    /// `v2.users.{id}.conversations[.{media}]`.
    User,
    /// `v2.routing.queues.{id}.conversations[.{media}]`.
    Queue,
}

/// What a topic name is, compared case-insensitively (reference §10.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TopicKind {
    /// `channel.metadata`: heartbeats and pongs.
    ChannelMetadata,
    /// `v2.system.socket_closing`.
    SocketClosing,
    /// A conversation topic whose body is a whole conversation snapshot.
    Conversation {
        /// User or queue topic.
        source: ConversationSource,
        /// The medium of a per-media topic (`….conversations.calls` → voice); `None` for the combined topic.
        media: Option<MediaKind>,
    },
    /// Any other topic (presence, detail events, …): recognised as a notification, not read further.
    Other,
}

impl TopicKind {
    /// Classifies a `topicName`.
    pub fn of(topic: &str) -> Self {
        if topic.eq_ignore_ascii_case(CHANNEL_METADATA_TOPIC) {
            return Self::ChannelMetadata;
        }
        if topic.eq_ignore_ascii_case(SOCKET_CLOSING_TOPIC) {
            return Self::SocketClosing;
        }
        let mut parts = topic.split('.');
        if !parts.next().is_some_and(|p| p.eq_ignore_ascii_case("v2")) {
            return Self::Other;
        }
        let source = match parts.next() {
            Some(p) if p.eq_ignore_ascii_case("users") => ConversationSource::User,
            Some(p) if p.eq_ignore_ascii_case("routing") => {
                if !parts
                    .next()
                    .is_some_and(|p| p.eq_ignore_ascii_case("queues"))
                {
                    return Self::Other;
                }
                ConversationSource::Queue
            }
            _ => return Self::Other,
        };
        let id = parts.next();
        let family = parts.next();
        let suffix = parts.next();
        if id.is_none_or(str::is_empty) || parts.next().is_some() {
            return Self::Other;
        }
        if !family.is_some_and(|f| f.eq_ignore_ascii_case("conversations")) {
            return Self::Other;
        }
        match suffix {
            None => Self::Conversation {
                source,
                media: None,
            },
            Some(suffix) => match MediaKind::from_topic_suffix(suffix) {
                Some(media) => Self::Conversation {
                    source,
                    media: Some(media),
                },
                None => Self::Other,
            },
        }
    }
}

/// One WebSocket text frame, parsed as far as wrapup-live needs.
#[derive(Clone, Debug)]
pub struct Frame<'a> {
    /// `topicName` as received.
    pub topic_name: Text<'a>,
    /// What the topic is.
    pub topic: TopicKind,
    /// `version` (a string such as `"2"`; a number is accepted too).
    pub version: Option<Text<'a>>,
    /// `metadata.CorrelationId` (capital C).
    pub correlation_id: Option<Text<'a>>,
    /// The body, read according to the topic.
    pub body: FrameBody<'a>,
}

/// The `eventBody` of a frame, read according to its topic.
#[derive(Clone, Debug)]
pub enum FrameBody<'a> {
    /// A conversation snapshot (conversation topics).
    Conversation(Conversation<'a>),
    /// `{message}` of `channel.metadata` (`WebSocket Heartbeat` or `pong`).
    ChannelMessage(Option<Text<'a>>),
    /// Not read: other topics, `v2.system.socket_closing` (its body is UNCONFIRMED), or no `eventBody`.
    Skipped,
}

/// Why a frame is not a usable notification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FrameError {
    /// Not JSON, or a body of the wrong shape for its topic (serde's message, with line/column).
    Json(String),
    /// A JSON object without `topicName`: not a notification (e.g. a subscription reply).
    NoTopic,
    /// A conversation topic whose body has no conversation `id`.
    NoConversationId,
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Json(e) => write!(f, "not a notification frame: {e}"),
            Self::NoTopic => f.write_str("JSON without topicName: not a notification"),
            Self::NoConversationId => f.write_str("conversation event without eventBody.id"),
        }
    }
}

impl std::error::Error for FrameError {}

/// Parses one WebSocket text frame.
pub fn parse_frame(frame: &str) -> Result<Frame<'_>, FrameError> {
    let mut parsed = read_envelope(frame, None)?;
    let topic_name = parsed.topic_name.take().ok_or(FrameError::NoTopic)?;
    let topic = parsed.topic.unwrap_or_else(|| TopicKind::of(&topic_name));
    if parsed.body_skipped {
        // `eventBody` came before `topicName`: read the frame again, now knowing how to read the body.
        parsed = read_envelope(frame, Some(topic))?;
    }
    let body = parsed.body.unwrap_or(FrameBody::Skipped);
    if let FrameBody::Conversation(conversation) = &body
        && conversation.id.as_ref().and_then(Text::non_empty).is_none()
    {
        return Err(FrameError::NoConversationId);
    }
    Ok(Frame {
        topic_name,
        topic,
        version: parsed.version.and_then(|v| v.0),
        correlation_id: parsed.correlation_id,
        body,
    })
}

fn read_envelope(frame: &str, topic: Option<TopicKind>) -> Result<Envelope<'_>, FrameError> {
    let json_error = |e: serde_json::Error| FrameError::Json(e.to_string());
    let mut deserializer = serde_json::Deserializer::from_str(frame);
    let envelope = EnvelopeSeed { topic }
        .deserialize(&mut deserializer)
        .map_err(json_error)?;
    deserializer.end().map_err(json_error)?;
    Ok(envelope)
}

/// The envelope as read in one pass.
struct Envelope<'a> {
    topic_name: Option<Text<'a>>,
    version: Option<Version<'a>>,
    correlation_id: Option<Text<'a>>,
    body: Option<FrameBody<'a>>,
    /// What `topicName` is (classified once).
    topic: Option<TopicKind>,
    /// `eventBody` arrived before the topic was known and was skipped.
    body_skipped: bool,
}

/// Reads the envelope; the body is read on the spot when the topic is known (given, or seen earlier in the frame).
struct EnvelopeSeed {
    topic: Option<TopicKind>,
}

impl<'de> DeserializeSeed<'de> for EnvelopeSeed {
    type Value = Envelope<'de>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Envelope<'de>, D::Error> {
        struct Visit(Option<TopicKind>);
        impl<'de> Visitor<'de> for Visit {
            type Value = Envelope<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a notification object {topicName, eventBody, …}")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Envelope<'de>, M::Error> {
                let mut envelope = Envelope {
                    topic_name: None,
                    version: None,
                    correlation_id: None,
                    body: None,
                    topic: self.0,
                    body_skipped: false,
                };
                while let Some(key) = map.next_key::<Text<'de>>()? {
                    match &*key {
                        "topicName" => {
                            envelope.topic_name = map.next_value()?;
                            envelope.topic = envelope
                                .topic
                                .or_else(|| envelope.topic_name.as_deref().map(TopicKind::of));
                        }
                        "version" => envelope.version = map.next_value()?,
                        "metadata" => {
                            envelope.correlation_id = map
                                .next_value::<Option<Metadata<'_>>>()?
                                .and_then(|m| m.correlation_id)
                        }
                        "eventBody" => match envelope.topic {
                            Some(topic) => {
                                envelope.body = Some(map.next_value_seed(BodySeed(topic))?)
                            }
                            None => {
                                map.next_value::<IgnoredAny>()?;
                                envelope.body_skipped = true;
                            }
                        },
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(envelope)
            }
        }
        deserializer.deserialize_map(Visit(self.topic))
    }
}

/// Reads an `eventBody` according to the topic.
struct BodySeed(TopicKind);

impl<'de> DeserializeSeed<'de> for BodySeed {
    type Value = FrameBody<'de>;
    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<FrameBody<'de>, D::Error> {
        match self.0 {
            TopicKind::Conversation { .. } => {
                Conversation::deserialize(deserializer).map(FrameBody::Conversation)
            }
            TopicKind::ChannelMetadata => Option::<ChannelMessage<'_>>::deserialize(deserializer)
                .map(|body| FrameBody::ChannelMessage(body.and_then(|b| b.message))),
            TopicKind::SocketClosing | TopicKind::Other => {
                IgnoredAny::deserialize(deserializer).map(|_| FrameBody::Skipped)
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(bound(deserialize = "'de: 'a"))]
struct ChannelMessage<'a> {
    #[serde(default)]
    message: Option<Text<'a>>,
}

#[derive(Deserialize)]
#[serde(bound(deserialize = "'de: 'a"))]
struct Metadata<'a> {
    #[serde(default, rename = "CorrelationId", alias = "correlationId")]
    correlation_id: Option<Text<'a>>,
}

/// `version` is `"2"` in real frames; accept a number and ignore anything else rather than fail the frame.
struct Version<'a>(Option<Text<'a>>);

impl<'de> Deserialize<'de> for Version<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Any<'a> {
            #[serde(borrow)]
            Text(Text<'a>),
            Number(serde_json::Number),
            Other(IgnoredAny),
        }
        Ok(Version(match Any::deserialize(deserializer)? {
            Any::Text(text) => Some(text),
            Any::Number(n) => Some(Text::from(n.to_string())),
            Any::Other(_) => None,
        }))
    }
}

/// Whether a `channel.metadata` message is a heartbeat (compared ignoring case and surrounding space).
pub fn is_heartbeat(message: &str) -> bool {
    message.trim().eq_ignore_ascii_case(HEARTBEAT_MESSAGE)
}

/// Whether a `channel.metadata` message is the reply to a client ping.
pub fn is_pong(message: &str) -> bool {
    message.trim().eq_ignore_ascii_case(PONG_MESSAGE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_topics_ignoring_case() {
        let user = TopicKind::Conversation {
            source: ConversationSource::User,
            media: None,
        };
        assert_eq!(TopicKind::of("v2.users.8a1e.conversations"), user);
        assert_eq!(TopicKind::of("V2.Users.8a1e.Conversations"), user);
        assert_eq!(
            TopicKind::of("v2.routing.queues.q1.conversations.calls"),
            TopicKind::Conversation {
                source: ConversationSource::Queue,
                media: Some(MediaKind::Voice)
            }
        );
        assert_eq!(
            TopicKind::of("v2.users.u1.conversations.cobrowseSessions"),
            TopicKind::Conversation {
                source: ConversationSource::User,
                media: Some(MediaKind::Cobrowse)
            }
        );
        assert_eq!(
            TopicKind::of("CHANNEL.METADATA"),
            TopicKind::ChannelMetadata
        );
        assert_eq!(
            TopicKind::of("v2.system.socket_closing"),
            TopicKind::SocketClosing
        );
        for other in [
            "v2.users.u1.conversationsummary",
            "v2.users.u1.presence",
            "v2.users..conversations",
            "v2.users.u1.conversations.calls.extra",
            "v2.users.u1.conversations.faxes",
            "v2.routing.queues.q1",
            "v2.detail.events.conversation.c1.wrapup",
            "",
        ] {
            assert_eq!(TopicKind::of(other), TopicKind::Other, "{other}");
        }
    }

    #[test]
    fn parses_the_body_in_either_key_order() {
        let first = r#"{"topicName":"v2.users.u1.conversations","version":"2","eventBody":{"id":"c1","participants":[]},"metadata":{"CorrelationId":"k"}}"#;
        let last = r#"{"eventBody":{"id":"c1","participants":[]},"metadata":{"CorrelationId":"k"},"version":2,"topicName":"v2.users.u1.conversations"}"#;
        for text in [first, last] {
            let frame = parse_frame(text).unwrap();
            assert_eq!(frame.correlation_id.as_deref(), Some("k"));
            assert_eq!(frame.version.as_deref(), Some("2"));
            match frame.body {
                FrameBody::Conversation(c) => assert_eq!(c.id.as_deref(), Some("c1")),
                other => panic!("expected a conversation, got {other:?}"),
            }
        }
    }

    #[test]
    fn reads_heartbeat_and_pong_messages() {
        let frame = parse_frame(
            r#"{"topicName":"channel.metadata","eventBody":{"message":"WebSocket Heartbeat"}}"#,
        )
        .unwrap();
        assert!(matches!(frame.body, FrameBody::ChannelMessage(Some(ref m)) if is_heartbeat(m)));
        let frame =
            parse_frame(r#"{"topicName":"channel.metadata","eventBody":{"message":"pong"}}"#)
                .unwrap();
        assert!(matches!(frame.body, FrameBody::ChannelMessage(Some(ref m)) if is_pong(m)));
    }

    #[test]
    fn reports_what_is_wrong_with_a_frame() {
        assert!(matches!(parse_frame("not json"), Err(FrameError::Json(_))));
        assert_eq!(
            parse_frame(r#"{"result":"404","message":"channel not found"}"#).unwrap_err(),
            FrameError::NoTopic
        );
        assert_eq!(
            parse_frame(
                r#"{"topicName":"v2.users.u1.conversations","eventBody":{"participants":[]}}"#
            )
            .unwrap_err(),
            FrameError::NoConversationId
        );
        assert!(matches!(
            parse_frame(
                r#"{"topicName":"v2.users.u1.conversations","eventBody":{"id":"c","participants":"x"}}"#
            ),
            Err(FrameError::Json(_))
        ));
        // Another topic's body is never read, so its shape cannot make the frame malformed.
        assert!(
            parse_frame(r#"{"topicName":"v2.users.u1.presence","eventBody":{"participants":"x"}}"#)
                .is_ok()
        );
    }
}
