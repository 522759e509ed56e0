//! HTTP plumbing shared by every `/api/v2` route: ErrorBody, bearer auth, rate limiting,
//! injected faults, `inin-*` headers, CORS, request logging, query and paging helpers.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::Rng;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tower_http::cors::{AllowOrigin, CorsLayer};
use uuid::Uuid;

use crate::store::Sim;
use crate::store::directory::Role;
use crate::store::rate::RateWindow;
use crate::unconfirmed as uc;

tokio::task_local! {
    /// The `inin-correlation-id` of the request being served (becomes `contextId` in errors).
    static CORRELATION_ID: String;
}

/// An error answered with the standard Genesys `ErrorBody`.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// `code` (e.g. `not.found`).
    pub code: &'static str,
    /// `message`.
    pub message: String,
    /// `Retry-After` seconds (429 only).
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// Any status/code/message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }
    /// 400 `bad.request`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad.request", message)
    }
    /// 404 `not.found` with the reference's example message.
    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not.found",
            "The requested operation failed with status 404",
        )
    }
    /// 403 with a code.
    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, code, message)
    }
    /// 429 with `Retry-After`.
    pub fn too_many(retry_after: u64) -> Self {
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            uc::CODE_TOO_MANY_REQUESTS,
            format!(
                "Rate limit exceeded the maximum. Retry the request in [{retry_after}] seconds"
            ),
        );
        e.retry_after = Some(retry_after);
        e
    }

    /// The `ErrorBody` JSON.
    pub fn body(&self) -> Value {
        let context = CORRELATION_ID
            .try_with(Clone::clone)
            .unwrap_or_else(|_| Uuid::new_v4().to_string());
        json!({
            "message": self.message,
            "code": self.code,
            "status": self.status.as_u16(),
            "contextId": context,
            "details": [],
            "errors": [],
        })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = (self.status, axum::Json(self.body())).into_response();
        if let Some(secs) = self.retry_after {
            res.headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(secs));
        }
        res
    }
}

/// Result type of API handlers.
pub type ApiResult<T = Response> = Result<T, ApiError>;

/// The authenticated caller of an `/api/v2` request (inserted by [`api_middleware`]).
#[derive(Debug, Clone)]
pub struct Caller {
    /// The access token.
    pub token: String,
    /// User id.
    pub user_id: Uuid,
    /// OAuth client id the token was issued to.
    pub client_id: String,
    /// Supervisor or agent.
    pub role: Role,
}

impl Caller {
    /// Whether the caller has supervisor powers (all divisions, other users' topics, all analytics).
    pub fn is_supervisor(&self) -> bool {
        self.role == Role::Supervisor
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        parts.extensions.get::<Caller>().cloned().ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                uc::CODE_AUTH_REQUIRED,
                "No authentication bearer token specified in authorization header.",
            )
        })
    }
}

/// JSON body extractor whose failures are `ErrorBody` 400s (axum's own rejections are plain text).
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::bad_request(e.to_string()))?;
        serde_json::from_slice(&bytes).map(JsonBody).map_err(|e| {
            ApiError::bad_request(format!("The request body could not be parsed: {e}"))
        })
    }
}

/// `inin-ratelimit-*` values for one response.
#[derive(Debug, Clone, Copy)]
struct RateInfo {
    count: u32,
    allowed: u32,
    reset_secs: u64,
}

fn take_rate(
    windows: &mut HashMap<(Uuid, String), RateWindow>,
    key: (Uuid, String),
    allowed: u32,
) -> RateInfo {
    let (count, reset_secs) = windows.entry(key).or_default().count_request();
    RateInfo {
        count,
        allowed,
        reset_secs,
    }
}

/// Auth, faults and rate limiting for `/api/v2`; adds `inin-*` headers to every response.
pub async fn api_middleware(State(sim): State<Arc<Sim>>, mut req: Request, next: Next) -> Response {
    let correlation = Uuid::new_v4().to_string();
    let fut = async {
        let allowed = sim.lock().faults.rate_limit_per_minute;
        let mut rate = RateInfo {
            count: 0,
            allowed,
            reset_secs: 60,
        };
        // Every request a known caller makes counts toward its busiest minute, whatever the answer.
        if let Ok(caller) = authenticate(&sim, &req) {
            let mut w = sim.lock();
            let busiest = w
                .request_minutes
                .entry((caller.user_id, caller.client_id))
                .or_default()
                .count(Instant::now());
            w.max_requests_per_minute = w.max_requests_per_minute.max(busiest);
        }
        let result: Result<Response, ApiError> = async {
            // Injected faults first: they model the gateway, in front of auth.
            let aimed_at = req
                .uri()
                .path_and_query()
                .map_or("", |pq| pq.as_str())
                .to_owned();
            let (delay, fail_503, forced_429) = {
                let mut w = sim.lock();
                let delay = w.faults.delay_ms;
                let p = w.faults.error_503_rate;
                let aimed = w
                    .faults
                    .fault_path
                    .as_deref()
                    .is_none_or(|text| aimed_at.contains(text));
                // One forced fault per request: a forced 503 does not also use up a forced 429.
                let forced_503 = aimed && w.faults.force_503 > 0;
                if forced_503 {
                    w.faults.force_503 -= 1;
                }
                let forced_429 = aimed && !forced_503 && w.faults.force_429 > 0;
                if forced_429 {
                    w.faults.force_429 -= 1;
                }
                let fail = forced_503 || (p > 0.0 && w.rng.random_bool(p.min(1.0)));
                (delay, fail, forced_429)
            };
            if delay > 0 {
                tokio::time::sleep(Duration::from_millis(delay)).await;
            }
            if fail_503 {
                return Err(ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    uc::CODE_UNAVAILABLE,
                    "The service is currently unavailable",
                ));
            }
            let caller = authenticate(&sim, &req)?;
            {
                let mut w = sim.lock();
                rate = take_rate(
                    &mut w.rate,
                    (caller.user_id, caller.client_id.clone()),
                    allowed,
                );
            }
            if forced_429 {
                rate.count = rate.count.max(allowed + 1);
                return Err(ApiError::too_many(uc::FORCED_429_RETRY_AFTER_SECS));
            }
            if rate.count > rate.allowed {
                return Err(ApiError::too_many(rate.reset_secs));
            }
            req.extensions_mut().insert(caller);
            Ok(next.run(req).await)
        }
        .await;
        let mut res = result.unwrap_or_else(IntoResponse::into_response);
        let refused = match res.status() {
            StatusCode::TOO_MANY_REQUESTS => Some(&sim.stats.throttled_responses),
            StatusCode::SERVICE_UNAVAILABLE => Some(&sim.stats.unavailable_responses),
            _ => None,
        };
        if let Some(counter) = refused {
            counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        let h = res.headers_mut();
        h.insert(
            HeaderName::from_static("inin-ratelimit-count"),
            HeaderValue::from(rate.count),
        );
        h.insert(
            HeaderName::from_static("inin-ratelimit-allowed"),
            HeaderValue::from(rate.allowed),
        );
        h.insert(
            HeaderName::from_static("inin-ratelimit-reset"),
            HeaderValue::from(rate.reset_secs),
        );
        res
    };
    let mut res = CORRELATION_ID.scope(correlation.clone(), fut).await;
    if let Ok(v) = HeaderValue::from_str(&correlation) {
        res.headers_mut()
            .insert(HeaderName::from_static("inin-correlation-id"), v);
    }
    res
}

fn authenticate(sim: &Sim, req: &Request) -> Result<Caller, ApiError> {
    let header = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let Some(token) = header
        .and_then(|h| {
            h.strip_prefix("Bearer ")
                .or_else(|| h.strip_prefix("bearer "))
        })
        .map(str::trim)
    else {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            uc::CODE_AUTH_REQUIRED,
            "No authentication bearer token specified in authorization header.",
        ));
    };
    let w = sim.lock();
    let bad = || {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            uc::CODE_BAD_CREDENTIALS,
            "Invalid login credentials.",
        )
    };
    let t = w.tokens.get(token).ok_or_else(bad)?;
    if !t.is_valid() {
        return Err(bad());
    }
    let role = w.dir.user(t.user_id).map_or(Role::Agent, |u| u.role);
    Ok(Caller {
        token: token.to_string(),
        user_id: t.user_id,
        client_id: t.client_id.clone(),
        role,
    })
}

/// Fallback for unknown `/api/v2` paths.
pub async fn api_not_found() -> ApiError {
    ApiError::not_found()
}

/// Shortens anything that looks like a secret in a logged path (channel ids are bearer-like secrets).
pub fn redact_path(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            if seg.starts_with("streaming-") && seg.len() > 16 {
                format!("{}…", &seg[..16])
            } else {
                seg.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// One stderr line per request: method, path (no query, secrets shortened), status, milliseconds.
pub async fn log_middleware(State(sim): State<Arc<Sim>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = redact_path(req.uri().path());
    let res = next.run(req).await;
    sim.stats
        .requests
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    if sim.cfg.log_requests {
        eprintln!(
            "{method} {path} {} {}ms",
            res.status().as_u16(),
            started.elapsed().as_millis()
        );
    }
    res
}

/// Whether an `Origin` is a loopback origin (`http(s)://localhost|127.0.0.1|[::1][:port]`).
pub fn is_loopback_origin(origin: &str) -> bool {
    url::Url::parse(origin)
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && is_loopback_host(&u))
}

/// Whether a parsed URL's host is loopback.
pub fn is_loopback_host(u: &url::Url) -> bool {
    match u.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// CORS for loopback origins only, exposing the headers a browser client needs to read.
pub fn cors_layer() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(|origin, _| {
            origin.to_str().is_ok_and(is_loopback_origin)
        }))
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::DELETE,
            Method::HEAD,
            Method::OPTIONS,
        ])
        .allow_headers([AUTHORIZATION, CONTENT_TYPE])
        .expose_headers([
            HeaderName::from_static("inin-ratelimit-count"),
            HeaderName::from_static("inin-ratelimit-allowed"),
            HeaderName::from_static("inin-ratelimit-reset"),
            HeaderName::from_static("inin-correlation-id"),
            RETRY_AFTER,
        ])
        .max_age(Duration::from_secs(600))
}

/// Query parameters with repeated keys (`id=a&id=b`) and comma lists (`id=a,b`), decoded with
/// `form_urlencoded`.
#[derive(Debug, Default, Clone)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Parses a raw query string.
    pub fn parse(raw: Option<&str>) -> Self {
        Self(
            raw.map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .into_owned()
                    .collect()
            })
            .unwrap_or_default(),
        )
    }
    /// First value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
    /// All values of `key`, comma lists split, empties dropped.
    pub fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .flat_map(|(_, v)| {
                v.split(',')
                    .map(|s| s.trim().to_string())
                    .collect::<Vec<_>>()
            })
            .filter(|s| !s.is_empty())
            .collect()
    }
    /// Boolean `key` (`true`/`false`), default when absent.
    pub fn flag(&self, key: &str, default: bool) -> Result<bool, ApiError> {
        match self.get(key) {
            None => Ok(default),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
            Some(v) => Err(ApiError::bad_request(format!(
                "Invalid value {v:?} for {key}"
            ))),
        }
    }
    /// Positive integer `key` with a default.
    pub fn number(&self, key: &str, default: usize) -> Result<usize, ApiError> {
        match self.get(key) {
            None => Ok(default),
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| ApiError::bad_request(format!("Invalid value {v:?} for {key}"))),
        }
    }
    fn with(&self, key: &str, value: String) -> String {
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        let mut replaced = false;
        for (k, v) in &self.0 {
            if k == key {
                if !replaced {
                    ser.append_pair(k, &value);
                    replaced = true;
                }
            } else {
                ser.append_pair(k, v);
            }
        }
        if !replaced {
            ser.append_pair(key, &value);
        }
        ser.finish()
    }
}

/// Builds the standard entity listing (`entities`, `pageSize`, `pageNumber`, `total`, `pageCount`,
/// `firstUri`, `nextUri`, `previousUri`, `lastUri`, `selfUri`) for one page of `all`.
pub fn paged(all: Vec<Value>, params: &Params, path: &str) -> ApiResult<Value> {
    let page_size = params.number("pageSize", 25)?.min(uc::MAX_LIST_PAGE_SIZE);
    let page_number = params.number("pageNumber", 1)?;
    let total = all.len();
    let page_count = total.div_ceil(page_size).max(1);
    let entities: Vec<Value> = all
        .into_iter()
        .skip((page_number - 1) * page_size)
        .take(page_size)
        .collect();
    let sized = Params(
        params
            .0
            .iter()
            .filter(|(k, _)| k != "pageSize")
            .cloned()
            .chain([("pageSize".to_string(), page_size.to_string())])
            .collect(),
    );
    let uri = |n: usize| format!("{path}?{}", sized.with("pageNumber", n.to_string()));
    let mut v = json!({
        "entities": entities,
        "pageSize": page_size,
        "pageNumber": page_number,
        "total": total,
        "pageCount": page_count,
        "firstUri": uri(1),
        "selfUri": uri(page_number),
        "lastUri": uri(page_count),
    });
    let m = v.as_object_mut().expect("object literal");
    if page_number < page_count {
        m.insert("nextUri".into(), json!(uri(page_number + 1)));
    }
    if page_number > 1 {
        m.insert("previousUri".into(), json!(uri(page_number - 1)));
    }
    Ok(v)
}

/// A bare 204.
pub fn no_content() -> Response {
    (StatusCode::NO_CONTENT, Body::empty()).into_response()
}

/// Parses a UUID path segment or answers 404 (real Genesys answers 404 for malformed ids too).
pub fn parse_id(s: &str) -> ApiResult<Uuid> {
    Uuid::parse_str(s).map_err(|_| ApiError::not_found())
}
