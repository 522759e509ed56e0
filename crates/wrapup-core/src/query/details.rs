//! The `POST /api/v2/analytics/conversations/details/query` body (`ConversationQuery`, reference §6.3):
//! filters, order and paging, built without I/O.

use serde::{Serialize, Serializer};
use serde_json::{Value, json};

use super::interval::Interval;

/// `order` of a details query.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// Oldest first (the default).
    #[default]
    Asc,
    /// Newest first.
    Desc,
}

/// Whether a segment filter wants wrap-up codes present or missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodePresence {
    /// Conversations with a segment that has a `wrapUpCode`.
    Exists,
    /// Conversations with a `wrapup` segment that has no `wrapUpCode` (the predicate is paired with
    /// `segmentType = wrapup` in one clause; alone it would match every conversation's non-wrap-up segments).
    NotExists,
}

/// A `POST /api/v2/analytics/conversations/details/query` body (`ConversationQuery`, reference §6.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DetailsQuery {
    /// The interval (sync query: conversations that *started* on a day the interval touches).
    pub interval: Interval,
    /// Sort order on `conversationStart`.
    pub order: SortOrder,
    /// `paging.pageSize` (100 by default: a safe size, the maximum is UNCONFIRMED).
    pub page_size: u32,
    /// `paging.pageNumber`, from 1.
    pub page_number: u32,
    /// Conversation ids (OR).
    pub conversation_ids: Vec<String>,
    /// Agent user ids (OR).
    pub user_ids: Vec<String>,
    /// Queue ids (OR).
    pub queue_ids: Vec<String>,
    /// Media types, analytics spelling (`voice`, `callback`, `chat`, …) (OR).
    pub media_types: Vec<String>,
    /// Caller addresses (`ani`, as analytics writes them: `tel:+…`) (OR).
    pub anis: Vec<String>,
    /// Segment types (`wrapup`, `interact`, …): with a user, "that user had such a segment" (OR).
    pub segment_types: Vec<String>,
    /// Wrap-up code present or missing.
    pub wrap_up_code: Option<CodePresence>,
    /// Specific wrap-up code ids (`wrapUpCode` matches one of them) (OR).
    pub wrap_up_codes: Vec<String>,
    /// Only finished conversations (`conversationEnd` exists), as Genesys recommends for paging.
    pub ended_only: bool,
}

/// The default page size.
pub const DEFAULT_PAGE_SIZE: u32 = 100;

impl DetailsQuery {
    /// A query over an interval, first page, no filters.
    pub fn new(interval: Interval) -> Self {
        Self {
            interval,
            order: SortOrder::Asc,
            page_size: DEFAULT_PAGE_SIZE,
            page_number: 1,
            conversation_ids: Vec::new(),
            user_ids: Vec::new(),
            queue_ids: Vec::new(),
            media_types: Vec::new(),
            anis: Vec::new(),
            segment_types: Vec::new(),
            wrap_up_code: None,
            wrap_up_codes: Vec::new(),
            ended_only: false,
        }
    }

    /// Adds a conversation id.
    pub fn conversation_id(mut self, id: impl Into<String>) -> Self {
        self.conversation_ids.push(id.into());
        self
    }

    /// Adds an agent user id.
    pub fn user(mut self, id: impl Into<String>) -> Self {
        self.user_ids.push(id.into());
        self
    }

    /// Adds a queue id.
    pub fn queue(mut self, id: impl Into<String>) -> Self {
        self.queue_ids.push(id.into());
        self
    }

    /// Adds a media type.
    pub fn media_type(mut self, media: impl Into<String>) -> Self {
        self.media_types.push(media.into());
        self
    }

    /// Adds a caller address (segment dimension `ani`, reference §6.3).
    pub fn ani(mut self, address: impl Into<String>) -> Self {
        self.anis.push(address.into());
        self
    }

    /// Adds a segment type (segment dimension `segmentType`, reference §6.3).
    pub fn segment_type(mut self, kind: impl Into<String>) -> Self {
        self.segment_types.push(kind.into());
        self
    }

    /// Filters on the presence of a wrap-up code.
    pub fn wrap_up_code(mut self, presence: CodePresence) -> Self {
        self.wrap_up_code = Some(presence);
        self
    }

    /// Adds a specific wrap-up code id (or a system code such as `ININ-WRAP-UP-TIMEOUT`).
    pub fn wrap_up_code_id(mut self, code: impl Into<String>) -> Self {
        self.wrap_up_codes.push(code.into());
        self
    }

    /// Keeps only conversations that have ended.
    pub fn ended_only(mut self) -> Self {
        self.ended_only = true;
        self
    }

    /// Sets the sort order.
    pub fn order(mut self, order: SortOrder) -> Self {
        self.order = order;
        self
    }

    /// Sets the page size (at least 1).
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = size.max(1);
        self
    }

    /// Sets the page number (from 1).
    pub fn page(mut self, number: u32) -> Self {
        self.page_number = number.max(1);
        self
    }

    /// The `AsyncConversationQuery` body for `POST …/details/jobs` (reference §6.4): the same interval,
    /// filters and order, but no `paging` (results page by `cursor`) and no `aggregations` (not in that
    /// model). Note the job interval's meaning differs: conversations with *activity* in it.
    pub fn to_job_json(&self) -> Value {
        let mut body = self.to_json();
        if let Some(fields) = body.as_object_mut() {
            fields.remove("paging");
            fields.remove("aggregations");
        }
        body
    }

    /// The JSON body, exactly the shape of reference §6.3.
    pub fn to_json(&self) -> Value {
        let mut conversation_predicates: Vec<Value> = self
            .conversation_ids
            .iter()
            .map(|id| json!({"dimension": "conversationId", "value": id}))
            .collect();
        let mut conversation_filters = Vec::new();
        if !conversation_predicates.is_empty() {
            conversation_filters
                .push(json!({"type": "or", "predicates": conversation_predicates.split_off(0)}));
        }
        if self.ended_only {
            conversation_filters
                .push(json!({"type": "and", "predicates": [{"dimension": "conversationEnd", "operator": "exists"}]}));
        }

        let matches = |dimension: &str, values: &[String]| -> Option<Value> {
            (!values.is_empty()).then(|| {
                json!({"type": "or", "predicates": values.iter().map(|value| json!({
                    "type": "dimension", "dimension": dimension, "operator": "matches", "value": value
                })).collect::<Vec<_>>()})
            })
        };
        let mut clauses: Vec<Value> = [
            matches("userId", &self.user_ids),
            matches("queueId", &self.queue_ids),
            matches("mediaType", &self.media_types),
            matches("ani", &self.anis),
            matches("segmentType", &self.segment_types),
            matches("wrapUpCode", &self.wrap_up_codes),
        ]
        .into_iter()
        .flatten()
        .collect();
        match self.wrap_up_code {
            Some(CodePresence::Exists) => clauses.push(json!({"type": "and", "predicates": [
                {"type": "dimension", "dimension": "wrapUpCode", "operator": "exists"}
            ]})),
            Some(CodePresence::NotExists) => clauses.push(json!({"type": "and", "predicates": [
                {"type": "dimension", "dimension": "segmentType", "operator": "matches", "value": "wrapup"},
                {"type": "dimension", "dimension": "wrapUpCode", "operator": "notExists"}
            ]})),
            None => {}
        }
        let segment_filters = if clauses.is_empty() {
            Vec::new()
        } else {
            vec![json!({"type": "and", "clauses": clauses})]
        };

        json!({
            "interval": self.interval.to_string(),
            "order": match self.order { SortOrder::Asc => "asc", SortOrder::Desc => "desc" },
            "orderBy": "conversationStart",
            "paging": {"pageSize": self.page_size, "pageNumber": self.page_number},
            "conversationFilters": conversation_filters,
            "segmentFilters": segment_filters,
            "evaluationFilters": [],
            "surveyFilters": [],
            "resolutionFilters": [],
            "aggregations": []
        })
    }
}

impl Serialize for DetailsQuery {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> Interval {
        Interval::parse("2024-04-29T00:00:00.000Z/2024-04-30T00:00:00.000Z").unwrap()
    }

    #[test]
    fn a_conversation_lookup_body_is_exactly_the_reference_shape() {
        let body = DetailsQuery::new(day())
            .conversation_id("c-1")
            .page_size(25)
            .to_json();
        assert_eq!(
            body,
            json!({
                "interval": "2024-04-29T00:00:00.000Z/2024-04-30T00:00:00.000Z",
                "order": "asc",
                "orderBy": "conversationStart",
                "paging": {"pageSize": 25, "pageNumber": 1},
                "conversationFilters": [{"type": "or", "predicates": [{"dimension": "conversationId", "value": "c-1"}]}],
                "segmentFilters": [],
                "evaluationFilters": [], "surveyFilters": [], "resolutionFilters": [], "aggregations": []
            })
        );
    }

    #[test]
    fn a_job_body_is_the_async_model_without_paging_or_aggregations() {
        let body = DetailsQuery::new(day())
            .wrap_up_code_id("ININ-WRAP-UP-TIMEOUT")
            .order(SortOrder::Desc)
            .to_job_json();
        assert_eq!(
            body,
            json!({
                "interval": "2024-04-29T00:00:00.000Z/2024-04-30T00:00:00.000Z",
                "order": "desc",
                "orderBy": "conversationStart",
                "conversationFilters": [],
                "segmentFilters": [{"type": "and", "clauses": [{"type": "or", "predicates": [
                    {"type": "dimension", "dimension": "wrapUpCode", "operator": "matches", "value": "ININ-WRAP-UP-TIMEOUT"}]}]}],
                "evaluationFilters": [], "surveyFilters": [], "resolutionFilters": []
            })
        );
    }

    #[test]
    fn segment_filters_and_within_or_across() {
        let body = DetailsQuery::new(day())
            .user("u-1")
            .user("u-2")
            .queue("q-1")
            .media_type("voice")
            .wrap_up_code(CodePresence::NotExists)
            .ended_only()
            .order(SortOrder::Desc)
            .page(3)
            .to_json();
        assert_eq!(body["order"], "desc");
        assert_eq!(body["paging"], json!({"pageSize": 100, "pageNumber": 3}));
        assert_eq!(
            body["conversationFilters"],
            json!([{"type": "and", "predicates": [{"dimension": "conversationEnd", "operator": "exists"}]}])
        );
        assert_eq!(
            body["segmentFilters"],
            json!([{"type": "and", "clauses": [
                {"type": "or", "predicates": [
                    {"type": "dimension", "dimension": "userId", "operator": "matches", "value": "u-1"},
                    {"type": "dimension", "dimension": "userId", "operator": "matches", "value": "u-2"}]},
                {"type": "or", "predicates": [{"type": "dimension", "dimension": "queueId", "operator": "matches", "value": "q-1"}]},
                {"type": "or", "predicates": [{"type": "dimension", "dimension": "mediaType", "operator": "matches", "value": "voice"}]},
                {"type": "and", "predicates": [
                    {"type": "dimension", "dimension": "segmentType", "operator": "matches", "value": "wrapup"},
                    {"type": "dimension", "dimension": "wrapUpCode", "operator": "notExists"}]}
            ]}])
        );
        assert_eq!(
            serde_json::to_value(DetailsQuery::new(day())).unwrap(),
            DetailsQuery::new(day()).to_json()
        );
    }
}
