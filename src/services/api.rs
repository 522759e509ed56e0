//! Typed calls to the Genesys Cloud REST API (or gc-sim) with the bearer token, paced by one shared
//! [`RequestBudget`]. Retries 429, 502/503/504 and network failures with [`Backoff::request`], honouring `Retry-After`.

mod analytics_jobs;
pub mod budget;

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;
use std::time::Duration;

use gloo_net::http::{Method, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;
use wrapup_core::directory::{Channel, ChannelTopic, EntityListing, NamedEntity, UserMe};
use wrapup_core::lookup::crosscheck::RealtimeConversation;
use wrapup_core::model::ErrorBody;
use wrapup_core::model::analytics::{Conversation, QueryResponse};
use wrapup_core::platform::Platform;
use wrapup_core::query::DetailsQuery;
use wrapup_core::retry::{Backoff, parse_retry_after};

use self::budget::RequestBudget;
use crate::types::error::ApiError;

/// The largest page the directory endpoints are asked for.
const PAGE_SIZE: u32 = 100;

/// An authenticated client for one platform. Cloning shares the token and the request budget.
#[derive(Clone, PartialEq)]
pub struct Api {
    platform: Platform,
    token: SharedToken,
    retry: Backoff,
    budget: SharedBudget,
}

/// The bearer token every clone sends; replaced in place when the sign-in is refreshed, so a running
/// engine carries on with the new token instead of starting over.
#[derive(Clone)]
struct SharedToken(Rc<RefCell<Rc<str>>>);

impl PartialEq for SharedToken {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// One budget for every clone of a client: the platform counts requests per user and client.
#[derive(Clone, Default)]
struct SharedBudget(Rc<RefCell<RequestBudget>>);

impl PartialEq for SharedBudget {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl fmt::Debug for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Api")
            .field("platform", &self.platform.label())
            .field("token", &"<redacted>")
            .field("retry", &self.retry)
            .finish()
    }
}

impl Api {
    /// A client that sends `token` to `platform`'s API host only.
    pub fn new(platform: Platform, token: impl Into<Rc<str>>) -> Self {
        Self {
            platform,
            token: SharedToken(Rc::new(RefCell::new(token.into()))),
            retry: Backoff::request(),
            budget: SharedBudget::default(),
        }
    }

    /// Send `token` from now on, from this client and every clone of it (a refreshed sign-in).
    pub fn set_token(&self, token: impl Into<Rc<str>>) {
        *self.token.0.borrow_mut() = token.into();
    }

    /// Whether this client already sends `token`.
    pub fn sends(&self, token: &str) -> bool {
        &**self.token.0.borrow() == token
    }

    /// The same client paced by `budget` instead of the default (tests use a small one to see the pacing).
    pub fn with_budget(self, budget: RequestBudget) -> Self {
        Self {
            budget: SharedBudget(Rc::new(RefCell::new(budget))),
            ..self
        }
    }

    /// The same client retrying failed requests on `retry` instead of [`Backoff::request`] (tests use
    /// a zero deadline to see the first failure).
    pub fn with_retry(self, retry: Backoff) -> Self {
        Self { retry, ..self }
    }

    /// The platform this client talks to.
    pub fn platform(&self) -> &Platform {
        &self.platform
    }

    /// `GET /api/v2/users/me`.
    pub async fn me(&self) -> Result<UserMe, ApiError> {
        self.get("api/v2/users/me").await
    }

    /// Every queue the signed-in user is a member of (`GET /api/v2/routing/queues/me`, all pages).
    pub async fn my_queues(&self) -> Result<Vec<NamedEntity>, ApiError> {
        self.all_pages("api/v2/routing/queues/me", &[]).await
    }

    /// Every queue the person may see (`GET /api/v2/routing/queues`, all pages), for picking.
    pub async fn all_queues(&self) -> Result<Vec<NamedEntity>, ApiError> {
        self.all_pages("api/v2/routing/queues", &[]).await
    }

    /// Every active user the person may see (`GET /api/v2/users`, all pages), for picking agents.
    pub async fn all_users(&self) -> Result<Vec<NamedEntity>, ApiError> {
        self.all_pages("api/v2/users", &[]).await
    }

    /// Names for wrap-up code ids (`GET /api/v2/routing/wrapupcodes?id=…`, bulk).
    pub async fn wrapup_codes(&self, ids: &[String]) -> Result<Vec<NamedEntity>, ApiError> {
        self.bulk_by_id("api/v2/routing/wrapupcodes", ids).await
    }

    /// Names for user ids (`GET /api/v2/users?id=…`, bulk).
    pub async fn users(&self, ids: &[String]) -> Result<Vec<NamedEntity>, ApiError> {
        self.bulk_by_id("api/v2/users", ids).await
    }

    /// Names for queue ids (`GET /api/v2/routing/queues?id=…`, bulk).
    pub async fn queues(&self, ids: &[String]) -> Result<Vec<NamedEntity>, ApiError> {
        self.bulk_by_id("api/v2/routing/queues", ids).await
    }

    /// `POST /api/v2/notifications/channels`. The `connectUri` must be one of the platform's hosts.
    pub async fn create_channel(&self) -> Result<Channel, ApiError> {
        let channel: Channel = self
            .send(
                Method::POST,
                "api/v2/notifications/channels",
                &[],
                None::<&()>,
            )
            .await?;
        let uri = Url::parse(&channel.connect_uri)
            .map_err(|e| ApiError::Decode(format!("connectUri: {e}")))?;
        if !self.platform.allows(&uri) {
            return Err(ApiError::ForeignHost(
                uri.host_str().unwrap_or_default().to_owned(),
            ));
        }
        Ok(channel)
    }

    /// `HEAD /api/v2/notifications/channels/{id}`: whether the channel still exists.
    pub async fn channel_exists(&self, channel_id: &str) -> Result<bool, ApiError> {
        let path = format!("api/v2/notifications/channels/{channel_id}");
        match self.raw(Method::HEAD, &path, &[], None::<&()>).await {
            Ok(_) => Ok(true),
            Err(ApiError::NotFound { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// `PUT /api/v2/notifications/channels/{id}/subscriptions?ignoreErrors=true`: replace the
    /// channel's topics; returns the per-topic result so rejected topics can be shown.
    pub async fn subscribe(
        &self,
        channel_id: &str,
        topics: &[String],
    ) -> Result<Vec<ChannelTopic>, ApiError> {
        let body: Vec<ChannelTopic> = topics.iter().map(ChannelTopic::request).collect();
        let path = format!("api/v2/notifications/channels/{channel_id}/subscriptions");
        let listing: EntityListing<ChannelTopic> = self
            .send(Method::PUT, &path, &[("ignoreErrors", "true")], Some(&body))
            .await?;
        Ok(listing.entities)
    }

    /// `GET /api/v2/conversations`: the user's active conversations, raw JSON per entity, for
    /// backfilling the tracker after a gap in the socket.
    pub async fn active_conversations(&self) -> Result<Vec<serde_json::Value>, ApiError> {
        let page: EntityListing<serde_json::Value> = self.get("api/v2/conversations").await?;
        Ok(page.entities)
    }

    /// `GET /api/v2/conversations/{id}`: one conversation, raw JSON, for the tracker after a gap;
    /// `None` when the platform no longer has it.
    pub async fn conversation(&self, id: &str) -> Result<Option<serde_json::Value>, ApiError> {
        match self.get(&format!("api/v2/conversations/{id}")).await {
            Ok(conversation) => Ok(Some(conversation)),
            Err(ApiError::NotFound { .. }) => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// `GET /api/v2/analytics/conversations/{id}/details`: the record, or `None` while analytics has not
    /// indexed it (404, or a record without participants).
    pub async fn analytics_details(&self, id: &str) -> Result<Option<Conversation>, ApiError> {
        let path = format!("api/v2/analytics/conversations/{id}/details");
        match self.get::<Conversation>(&path).await {
            Ok(record) if record.participants.is_empty() => Ok(None),
            Ok(record) => Ok(Some(record)),
            Err(ApiError::NotFound { .. }) => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// `GET /api/v2/conversations/{id}`, read for the lookup's side-by-side view (participants' `wrapup` and
    /// `attributes`); `None` when the platform does not have it.
    pub async fn realtime_conversation(
        &self,
        id: &str,
    ) -> Result<Option<RealtimeConversation>, ApiError> {
        match self.get(&format!("api/v2/conversations/{id}")).await {
            Ok(conversation) => Ok(Some(conversation)),
            Err(ApiError::NotFound { .. }) => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// `POST /api/v2/analytics/conversations/details/query`: one page of records.
    pub async fn details_query(&self, query: &DetailsQuery) -> Result<QueryResponse, ApiError> {
        self.send(
            Method::POST,
            "api/v2/analytics/conversations/details/query",
            &[],
            Some(query),
        )
        .await
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        self.send(Method::GET, path, &[], None::<&()>).await
    }

    async fn bulk_by_id(&self, path: &str, ids: &[String]) -> Result<Vec<NamedEntity>, ApiError> {
        let mut found = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(PAGE_SIZE as usize) {
            let mut query: Vec<(&str, &str)> = chunk.iter().map(|id| ("id", id.as_str())).collect();
            let size = PAGE_SIZE.to_string();
            query.push(("pageSize", &size));
            let page: EntityListing<NamedEntity> =
                self.send(Method::GET, path, &query, None::<&()>).await?;
            found.extend(page.entities);
        }
        Ok(found)
    }

    async fn all_pages(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<Vec<NamedEntity>, ApiError> {
        let mut all = Vec::new();
        let size = PAGE_SIZE.to_string();
        for page_number in 1u32.. {
            let number = page_number.to_string();
            let mut q = query.to_vec();
            q.extend([("pageSize", size.as_str()), ("pageNumber", number.as_str())]);
            let page: EntityListing<NamedEntity> =
                self.send(Method::GET, path, &q, None::<&()>).await?;
            let last = page.entities.is_empty()
                || page.page_count.is_some_and(|count| page_number >= count)
                || (page.page_count.is_none() && page.next_uri.is_none());
            all.extend(page.entities);
            if last {
                break;
            }
        }
        Ok(all)
    }

    async fn send<T: DeserializeOwned, B: Serialize>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&B>,
    ) -> Result<T, ApiError> {
        let response = self.raw(method, path, query, body).await?;
        response
            .json::<T>()
            .await
            .map_err(|e| ApiError::Decode(e.to_string()))
    }

    /// One request with the retry policy; success means a 2xx response.
    async fn raw<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&B>,
    ) -> Result<Response, ApiError> {
        let mut url = self
            .platform
            .api_base()
            .join(path)
            .map_err(|e| ApiError::Decode(e.to_string()))?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let started_ms = js_sys::Date::now();
        let mut attempt = 0;
        loop {
            let wait = self.budget.0.borrow_mut().reserve(js_sys::Date::now());
            if !wait.is_zero() {
                gloo_timers::future::sleep(wait).await;
            }
            let builder = RequestBuilder::new(url.as_str())
                .method(method.clone())
                .header(
                    "Authorization",
                    &format!("Bearer {}", self.token.0.borrow()),
                )
                .header("Accept", "application/json");
            let request = match body {
                Some(b) => builder
                    .json(b)
                    .map_err(|e| ApiError::Decode(e.to_string()))?,
                None => builder
                    .build()
                    .map_err(|e| ApiError::Network(e.to_string()))?,
            };
            let failure = match request.send().await {
                Ok(response) if (200..300).contains(&response.status()) => return Ok(response),
                Ok(response) => error_for(response).await,
                Err(e) => ApiError::Network(e.to_string()),
            };
            if !failure.is_transient() {
                return Err(failure);
            }
            if let ApiError::RateLimited {
                retry_after: Some(retry_after),
            } = &failure
            {
                // Every request of this user and client is refused until then, not only this one.
                self.budget
                    .0
                    .borrow_mut()
                    .hold(js_sys::Date::now(), *retry_after);
            }
            let elapsed =
                Duration::from_secs_f64(((js_sys::Date::now() - started_ms) / 1000.0).max(0.0));
            let wait = self.retry.next_delay(
                attempt,
                failure.retry_after(),
                elapsed,
                &mut js_sys::Math::random,
            );
            match wait {
                Some(wait) => {
                    attempt += 1;
                    gloo_timers::future::sleep(wait).await;
                }
                None => return Err(failure),
            }
        }
    }
}

async fn error_for(response: Response) -> ApiError {
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .as_deref()
        .and_then(parse_retry_after);
    let body: ErrorBody = response.json().await.unwrap_or_default();
    let message = body.message.unwrap_or_else(|| response.status_text());
    match status {
        401 => ApiError::Unauthorized,
        403 => ApiError::Forbidden { message },
        404 => ApiError::NotFound { message },
        429 => ApiError::RateLimited { retry_after },
        502..=504 => ApiError::Unavailable { status },
        _ => ApiError::Http { status, message },
    }
}
