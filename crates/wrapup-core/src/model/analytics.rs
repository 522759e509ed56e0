//! Analytics conversation detail records (reference §6.2) and the query/job responses that carry them (§6.3–6.4).
//! Participants → sessions → segments + metrics; note the analytics spelling `wrapUpCode` (capital U).
#![warn(missing_docs)]

use serde::{Deserialize, Deserializer, Serialize};

use super::lenient_enum;

/// `AnalyticsConversationWithoutAttributes`: `GET /api/v2/analytics/conversations/{id}/details`, or one element
/// of `conversations[]` of a details query or job result.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Conversation {
    /// Conversation id.
    #[serde(default)]
    pub conversation_id: Option<String>,
    /// When the conversation started (ISO-8601).
    #[serde(default)]
    pub conversation_start: Option<String>,
    /// When it ended; absent while it is ongoing or not yet fully indexed.
    #[serde(default)]
    pub conversation_end: Option<String>,
    /// `inbound` or `outbound`.
    #[serde(default)]
    pub originating_direction: Option<String>,
    /// Every participant (`null` is read as empty).
    #[serde(default, deserialize_with = "null_as_default")]
    pub participants: Vec<Participant>,
}

/// `AnalyticsParticipant(WithoutAttributes)`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Participant {
    /// Participant id.
    #[serde(default)]
    pub participant_id: Option<String>,
    /// Display name (queue, flow or person).
    #[serde(default)]
    pub participant_name: Option<String>,
    /// `agent`/`user` for agent legs; `customer`, `acd`, `ivr`, `external`, … otherwise.
    #[serde(default)]
    pub purpose: Option<String>,
    /// The agent's user id.
    #[serde(default)]
    pub user_id: Option<String>,
    /// Sessions (one per medium/communication).
    #[serde(default, deserialize_with = "null_as_default")]
    pub sessions: Vec<Session>,
}

impl Participant {
    /// Whether this participant is an agent leg (purpose `agent` or `user`, any case).
    pub fn is_agent(&self) -> bool {
        self.purpose.as_deref().is_some_and(super::is_agent_purpose)
    }
}

/// `AnalyticsSession` (the fields wrapup-live reads).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    /// Session id.
    #[serde(default)]
    pub session_id: Option<String>,
    /// `voice`, `callback`, `chat`, `email`, `message`, … (kept as sent).
    #[serde(default)]
    pub media_type: Option<String>,
    /// `inbound` or `outbound`.
    #[serde(default)]
    pub direction: Option<String>,
    /// The caller's address (`tel:+…`) on voice and callback sessions: what the `ani` segment filter matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ani: Option<String>,
    /// "Marker for an agent that skipped after call work".
    #[serde(default)]
    pub acw_skipped: Option<bool>,
    /// Dialer campaign, when the session was placed by a campaign.
    #[serde(default)]
    pub outbound_campaign_id: Option<String>,
    /// Session metrics (`tAcw`, `tHandle`, `tNotResponding`, …; durations in milliseconds).
    #[serde(default, deserialize_with = "null_as_default")]
    pub metrics: Vec<Metric>,
    /// Segments, in whatever order the API sent them (may overlap by a few ms).
    #[serde(default, deserialize_with = "null_as_default")]
    pub segments: Vec<Segment>,
}

impl Session {
    /// The value of the first metric with this name.
    pub fn metric(&self, name: &str) -> Option<i64> {
        self.metrics
            .iter()
            .find(|m| m.name.as_deref() == Some(name))
            .and_then(|m| m.value)
    }
}

/// `AnalyticsSessionMetric`: `{name, value, emitDate}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metric {
    /// Metric name, e.g. `tAcw`.
    #[serde(default)]
    pub name: Option<String>,
    /// Integer value (durations in ms); a fractional value is truncated.
    #[serde(default, deserialize_with = "lenient_integer")]
    pub value: Option<i64>,
    /// When the metric was emitted.
    #[serde(default)]
    pub emit_date: Option<String>,
}

/// `AnalyticsConversationSegment` (the fields wrapup-live reads).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Segment {
    /// Segment start (ISO-8601).
    #[serde(default)]
    pub segment_start: Option<String>,
    /// Segment end; absent while the segment is open.
    #[serde(default)]
    pub segment_end: Option<String>,
    /// `alert`, `interact`, `hold`, `wrapup`, ….
    #[serde(default)]
    pub segment_type: Option<SegmentType>,
    /// How the segment ended (`endpoint`, `client`, `transfer`, `noAnswerTransfer`, …).
    #[serde(default)]
    pub disconnect_type: Option<String>,
    /// Queue of the segment.
    #[serde(default)]
    pub queue_id: Option<String>,
    /// The wrap-up code id or system code (`ININ-WRAP-UP-TIMEOUT`, …).
    #[serde(default)]
    pub wrap_up_code: Option<String>,
    /// Wrap-up notes.
    #[serde(default)]
    pub wrap_up_note: Option<String>,
    /// Wrap-up tags.
    #[serde(default, deserialize_with = "null_as_default")]
    pub wrap_up_tags: Vec<String>,
}

impl Segment {
    /// The wrap-up code when there is a non-blank one.
    pub fn code(&self) -> Option<&str> {
        self.wrap_up_code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
    }
}

lenient_enum! {
    /// `segmentType` (reference §6.2); new values are added over time.
    pub enum SegmentType {
        /// Offered to the agent, ringing.
        Alert = "alert",
        /// Barging.
        Barging = "barging",
        /// Callback.
        Callback = "callback",
        /// Coaching.
        Coaching = "coaching",
        /// Contacting.
        Contacting = "contacting",
        /// Converting.
        Converting = "converting",
        /// Delay.
        Delay = "delay",
        /// Dialing.
        Dialing = "dialing",
        /// On hold.
        Hold = "hold",
        /// Connected and interacting.
        Interact = "interact",
        /// In an IVR.
        Ivr = "ivr",
        /// Monitoring.
        Monitoring = "monitoring",
        /// Parked.
        Parked = "parked",
        /// Scheduled (callbacks).
        Scheduled = "scheduled",
        /// Screen monitoring.
        Screenmonitoring = "screenmonitoring",
        /// Sharing.
        Sharing = "sharing",
        /// System.
        System = "system",
        /// Transmitting.
        Transmitting = "transmitting",
        /// Unknown.
        Unknown = "unknown",
        /// Uploading.
        Uploading = "uploading",
        /// Voicemail.
        Voicemail = "voicemail",
        /// After-call work: carries `wrapUpCode`/`wrapUpNote`/`wrapUpTags`.
        Wrapup = "wrapup",
    }
}

/// `AnalyticsConversationQueryResponse`: one page of `POST /api/v2/analytics/conversations/details/query`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryResponse {
    /// The records of this page (absent on an empty page).
    #[serde(default, deserialize_with = "null_as_default")]
    pub conversations: Vec<Conversation>,
    /// Approximate total; changes while the interval still receives traffic.
    #[serde(default)]
    pub total_hits: Option<u64>,
}

lenient_enum! {
    /// `AsyncQueryStatus.state` of an analytics details job (no `RUNNING`, reference §11.8).
    pub enum JobState {
        /// Accepted, not started.
        Queued = "QUEUED",
        /// Running.
        Pending = "PENDING",
        /// Results are ready.
        Fulfilled = "FULFILLED",
        /// Failed; see `errorMessage`.
        Failed = "FAILED",
        /// Cancelled (deleted).
        Cancelled = "CANCELLED",
        /// Results expired.
        Expired = "EXPIRED",
    }
}

impl JobState {
    /// Whether the job will not change state any more. An unknown state is not terminal: keep polling
    /// (the poller's deadline still ends the wait).
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            Self::Fulfilled | Self::Failed | Self::Cancelled | Self::Expired
        )
    }
}

/// `AsyncQueryResponse`: the answer to creating a job.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobCreated {
    /// The job id to poll.
    #[serde(default)]
    pub job_id: Option<String>,
}

/// `AsyncQueryStatus`: `GET …/details/jobs/{jobId}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobStatus {
    /// Job state.
    #[serde(default)]
    pub state: Option<JobState>,
    /// Why the job failed.
    #[serde(default)]
    pub error_message: Option<String>,
    /// When the results expire.
    #[serde(default)]
    pub expiration_date: Option<String>,
    /// When the job was submitted.
    #[serde(default)]
    pub submission_date: Option<String>,
    /// When the job completed.
    #[serde(default)]
    pub completion_date: Option<String>,
}

/// `AnalyticsConversationAsyncQueryResponse`: one page of job results.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobResults {
    /// The records of this page.
    #[serde(default, deserialize_with = "null_as_default")]
    pub conversations: Vec<Conversation>,
    /// Cursor of the next page; absent on the last page.
    #[serde(default)]
    pub cursor: Option<String>,
    /// Data before this instant is guaranteed to be in the data lake.
    #[serde(default)]
    pub data_availability_date: Option<String>,
}

/// `DataAvailabilityResponse`: `GET …/details/jobs/availability`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DataAvailability {
    /// Data before this instant is guaranteed to be in the data lake.
    #[serde(default)]
    pub data_availability_date: Option<String>,
}

/// Reads `null` as the type's default (an empty list), so `"segments": null` is not an error.
fn null_as_default<'de, D: Deserializer<'de>, T: Deserialize<'de> + Default>(
    deserializer: D,
) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// Reads an integer that may arrive as `57000`, `57000.0` or `null`.
fn lenient_integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    Ok(
        Option::<serde_json::Number>::deserialize(deserializer)?.and_then(|n| {
            n.as_i64()
                .or_else(|| n.as_f64().filter(|f| f.is_finite()).map(|f| f as i64))
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_analytics_spelling_and_tolerates_nulls() {
        let json = r#"{"conversationId":"c1","participants":[{"purpose":"agent","participantId":"p1","sessions":[
            {"sessionId":"s1","mediaType":"voice","acwSkipped":true,"metrics":[{"name":"tAcw","value":57000.0}],
             "segments":[{"segmentType":"wrapup","segmentStart":"2024-05-01T10:02:03.000Z","wrapUpCode":"ININ-WRAP-UP-TIMEOUT","wrapUpTags":null},
                         {"segmentType":"brandNewType"}]}]}],"mediaStatsMinConversationMos":4.4}"#;
        let record: Conversation = serde_json::from_str(json).unwrap();
        let session = &record.participants[0].sessions[0];
        assert!(record.participants[0].is_agent());
        assert_eq!(session.metric("tAcw"), Some(57000));
        assert_eq!(session.acw_skipped, Some(true));
        assert_eq!(session.segments[0].code(), Some("ININ-WRAP-UP-TIMEOUT"));
        assert_eq!(
            session.segments[1].segment_type,
            Some(SegmentType::Other("brandNewType".into()))
        );
    }

    #[test]
    fn job_states_parse_and_know_when_they_are_final() {
        let status: JobStatus = serde_json::from_str(r#"{"state":"FULFILLED"}"#).unwrap();
        assert_eq!(status.state, Some(JobState::Fulfilled));
        assert!(JobState::parse("expired").is_terminal());
        assert!(!JobState::Pending.is_terminal());
        assert_eq!(
            JobState::parse("RUNNING"),
            JobState::Other("RUNNING".into())
        );
        assert!(!JobState::parse("RUNNING").is_terminal());
    }
}
