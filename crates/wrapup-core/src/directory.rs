//! Serde shapes of the REST directory and notification-channel payloads the widget reads
//! (users, queues, wrap-up codes, channels, error bodies): reference §4.1, §5, §8, §9.

use serde::{Deserialize, Serialize};

/// A page of a Genesys entity listing (`…EntityListing`). Only what paging needs is kept.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntityListing<T> {
    /// The entities on this page.
    #[serde(default = "Vec::new")]
    pub entities: Vec<T>,
    /// Page number (1-based), if reported.
    #[serde(default)]
    pub page_number: Option<u32>,
    /// Number of pages, if reported.
    #[serde(default)]
    pub page_count: Option<u32>,
    /// Relative URI of the next page, absent on the last one.
    #[serde(default)]
    pub next_uri: Option<String>,
}

/// A named entity reference: user, queue or wrap-up code (`id`, `name`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct NamedEntity {
    /// The entity id (UUID).
    pub id: String,
    /// Its display name; absent for deleted entities.
    #[serde(default)]
    pub name: Option<String>,
}

/// `GET /api/v2/users/me`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct UserMe {
    /// The signed-in user's id.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Email address, if visible.
    #[serde(default)]
    pub email: Option<String>,
}

/// `POST /api/v2/notifications/channels` response (`Channel`).
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Channel {
    /// The channel id; together with `connect_uri` it is the socket's only secret.
    pub id: String,
    /// The WebSocket address; use verbatim, never construct it.
    pub connect_uri: String,
    /// When the channel expires unless re-subscribed (ISO-8601).
    #[serde(default)]
    pub expires: Option<String>,
}

impl std::fmt::Debug for Channel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The channel id is a bearer secret for the socket: never print it whole.
        let short: String = self.id.chars().take(12).collect();
        f.debug_struct("Channel")
            .field("id", &format!("{short}…"))
            .field("expires", &self.expires)
            .finish()
    }
}

/// One element of a subscriptions request or response (`ChannelTopic`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelTopic {
    /// The topic id, e.g. `v2.users.{id}.conversations`.
    pub id: String,
    /// `Permitted` or `Rejected` (responses with `ignoreErrors=true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Why a topic was rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejection_reason: Option<String>,
}

impl ChannelTopic {
    /// A request element for `topic`.
    pub fn request(topic: impl Into<String>) -> Self {
        Self {
            id: topic.into(),
            state: None,
            rejection_reason: None,
        }
    }

    /// Whether the platform rejected this topic.
    pub fn is_rejected(&self) -> bool {
        self.state
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("rejected"))
    }
}

/// Topic for the signed-in user's own conversations.
pub fn user_conversations_topic(user_id: &str) -> String {
    format!("v2.users.{user_id}.conversations")
}

/// Topic for every conversation of a queue (supervisors, team leads).
pub fn queue_conversations_topic(queue_id: &str) -> String {
    format!("v2.routing.queues.{queue_id}.conversations")
}

/// Longest topic id the platform accepts is under 200 characters (reference §4.2).
pub const MAX_TOPIC_ID_LEN: usize = 199;
/// Most topics one channel may carry (reference §4.2).
pub const MAX_TOPICS_PER_CHANNEL: usize = 1000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_tolerates_missing_and_extra_fields() {
        let page: EntityListing<NamedEntity> = serde_json::from_str(
            r#"{"entities":[{"id":"q1","name":"Billing","memberCount":3},{"id":"q2"}],"pageSize":25,"pageNumber":1,"total":2,"pageCount":1,"selfUri":"/x"}"#,
        )
        .unwrap();
        assert_eq!(page.entities.len(), 2);
        assert_eq!(page.entities[1].name, None);
        assert_eq!(page.next_uri, None);
        let empty: EntityListing<NamedEntity> = serde_json::from_str("{}").unwrap();
        assert!(empty.entities.is_empty());
    }

    #[test]
    fn channel_debug_hides_the_secret_id() {
        let ch: Channel = serde_json::from_str(
            r#"{"connectUri":"wss://streaming.mypurecloud.com/channels/streaming-0-fmtdmf8cdis7jh14udg5p89t6z","id":"streaming-0-fmtdmf8cdis7jh14udg5p89t6z","expires":"2026-11-22T10:00:00.000Z"}"#,
        )
        .unwrap();
        assert!(!format!("{ch:?}").contains("fmtdmf8cdis7jh14udg5p89t6z"));
    }

    #[test]
    fn topics_and_rejections() {
        assert_eq!(user_conversations_topic("u1"), "v2.users.u1.conversations");
        assert_eq!(
            queue_conversations_topic("q1"),
            "v2.routing.queues.q1.conversations"
        );
        let t: ChannelTopic =
            serde_json::from_str(r#"{"id":"x","state":"Rejected","rejectionReason":"no"}"#)
                .unwrap();
        assert!(t.is_rejected());
        assert_eq!(
            serde_json::to_string(&ChannelTopic::request("a")).unwrap(),
            r#"{"id":"a"}"#
        );
    }
}
