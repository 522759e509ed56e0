//! Analytics conversation details (reference §6): GET by id (404 until indexed), multi-get, the
//! synchronous details query and async jobs with availability, all over lagged records.

pub mod query;
pub mod record;

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use uuid::Uuid;

use self::query::{parse_interval, record_matches, validate};
use self::record::{AsOf, details_view, render};
use crate::clock::{iso, now, td};
use crate::routes::http::{ApiError, ApiResult, Caller, JsonBody, Params, no_content, parse_id};
use crate::store::conversation::Conversation;
use crate::store::jobs::{self, Job};
use crate::store::{Sim, World};
use crate::unconfirmed as uc;

/// Routes under `/api/v2/analytics/conversations`.
pub fn router() -> Router<Arc<Sim>> {
    Router::new()
        .route("/analytics/conversations/details", get(multi_get))
        .route("/analytics/conversations/{id}/details", get(by_id))
        .route(
            "/analytics/conversations/details/query",
            post(details_query),
        )
        .route("/analytics/conversations/details/jobs", post(create_job))
        .route(
            "/analytics/conversations/details/jobs/availability",
            get(availability),
        )
        .route(
            "/analytics/conversations/details/jobs/{id}",
            get(job_status).delete(delete_job),
        )
        .route(
            "/analytics/conversations/details/jobs/{id}/results",
            get(job_results),
        )
}

/// Agents hold `analytics:agentConversationDetail:view` (their own conversations); the supervisor
/// holds `analytics:conversationDetail:view` (everything).
fn may_see(caller: &Caller, c: &Conversation) -> bool {
    caller.is_supervisor() || c.user_ids().contains(&caller.user_id)
}

fn forbidden() -> ApiError {
    ApiError::forbidden(
        uc::CODE_MISSING_PERMISSIONS,
        "You are missing the following permission: analytics:conversationDetail:view",
    )
}

async fn by_id(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let id = parse_id(&id)?;
    let w = sim.lock();
    let c = w.conversations.get(&id).ok_or_else(ApiError::not_found)?;
    let at = details_view(&sim, c).ok_or_else(ApiError::not_found)?;
    if !may_see(&caller, c) {
        return Err(forbidden());
    }
    Ok(Json(render(c, at, false)))
}

async fn multi_get(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let ids = Params::parse(raw.as_deref()).all("id");
    if ids.is_empty() {
        return Err(ApiError::bad_request("id is required"));
    }
    if ids.len() > uc::MAX_MULTI_GET_IDS {
        return Err(ApiError::bad_request(format!(
            "At most {} ids per request",
            uc::MAX_MULTI_GET_IDS
        )));
    }
    let w = sim.lock();
    let list: Vec<Value> = ids
        .iter()
        .filter_map(|s| Uuid::parse_str(s).ok())
        .filter_map(|id| w.conversations.get(&id))
        .filter(|c| may_see(&caller, c))
        .filter_map(|c| details_view(&sim, c).map(|at| render(c, at, false)))
        .collect();
    Ok(Json(json!({ "conversations": list })))
}

fn filters(body: &Value, key: &str) -> Result<Vec<Value>, ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(vec![]),
        Some(Value::Array(a)) => {
            validate(a, key)?;
            Ok(a.clone())
        }
        Some(_) => Err(ApiError::bad_request(format!("{key} must be an array"))),
    }
}

fn sort_key(record: &Value, order_by: &str) -> String {
    let field = match order_by {
        "conversationEnd" => "conversationEnd",
        _ => "conversationStart",
    };
    record
        .get(field)
        .and_then(Value::as_str)
        .unwrap_or("9999")
        .to_string()
}

/// `POST …/details/query`: conversations that started on a day touched by the interval, as the
/// (lagging) index knows them, filtered, ordered and paged; `totalHits` counts all matches.
async fn details_query(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    JsonBody(body): JsonBody<Value>,
) -> ApiResult<Json<Value>> {
    if !body.is_object() {
        return Err(ApiError::bad_request(
            "The body must be a ConversationQuery object",
        ));
    }
    let interval = parse_interval(body.get("interval").and_then(Value::as_str))?;
    let order = body.get("order").and_then(Value::as_str).unwrap_or("asc");
    if !matches!(order, "asc" | "desc" | "unordered") {
        return Err(ApiError::bad_request(format!("Invalid order {order:?}")));
    }
    let order_by = body
        .get("orderBy")
        .and_then(Value::as_str)
        .unwrap_or("conversationStart");
    if !matches!(
        order_by,
        "conversationStart" | "conversationEnd" | "segmentStart" | "segmentEnd"
    ) {
        return Err(ApiError::bad_request(format!(
            "Invalid orderBy {order_by:?}"
        )));
    }
    let paging = body.get("paging");
    let page_size = paging
        .and_then(|p| p.get("pageSize"))
        .map_or(Some(25), Value::as_u64)
        .filter(|n| (1..=uc::MAX_DETAILS_PAGE_SIZE).contains(n));
    let page_number = paging
        .and_then(|p| p.get("pageNumber"))
        .map_or(Some(1), Value::as_u64)
        .filter(|n| *n >= 1);
    let (Some(page_size), Some(page_number)) = (page_size, page_number) else {
        return Err(ApiError::bad_request(format!(
            "paging.pageSize must be 1..={} and paging.pageNumber >= 1",
            uc::MAX_DETAILS_PAGE_SIZE
        )));
    };
    let cf = filters(&body, "conversationFilters")?;
    let sf = filters(&body, "segmentFilters")?;
    let w = sim.lock();
    let mut hits: Vec<Value> = w
        .conversation_order
        .iter()
        .filter_map(|id| w.conversations.get(id))
        .filter(|c| interval.touches_start_day(c.start) && may_see(&caller, c))
        .filter_map(|c| details_view(&sim, c).map(|at| render(c, at, false)))
        .filter(|r| record_matches(r, &cf, &sf))
        .collect();
    hits.sort_by_key(|r| sort_key(r, order_by));
    if order == "desc" {
        hits.reverse();
    }
    let total = hits.len();
    let page: Vec<Value> = hits
        .into_iter()
        .skip(((page_number - 1) * page_size) as usize)
        .take(page_size as usize)
        .collect();
    let mut v = json!({ "totalHits": total });
    if !(page.is_empty() && uc::OMIT_EMPTY_CONVERSATIONS) {
        v["conversations"] = Value::Array(page);
    }
    Ok(Json(v))
}

fn availability_date(sim: &Sim) -> time::OffsetDateTime {
    now() - td(sim.clock.real(sim.cfg.datalake_lag))
}

async fn availability(State(sim): State<Arc<Sim>>, caller: Caller) -> ApiResult<Json<Value>> {
    if !caller.is_supervisor() {
        return Err(forbidden());
    }
    Ok(Json(
        json!({ "dataAvailabilityDate": iso(availability_date(&sim)) }),
    ))
}

async fn create_job(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    JsonBody(body): JsonBody<Value>,
) -> ApiResult<Json<Value>> {
    if !body.is_object() {
        return Err(ApiError::bad_request(
            "The body must be an AsyncConversationQuery object",
        ));
    }
    let interval = parse_interval(body.get("interval").and_then(Value::as_str))?;
    filters(&body, "conversationFilters")?;
    filters(&body, "segmentFilters")?;
    let id = Uuid::new_v4();
    let mut w = sim.lock();
    let fail = w.faults.fail_jobs > 0;
    if fail {
        w.faults.fail_jobs -= 1;
    }
    let job = Job {
        id,
        owner: caller.user_id,
        sees_all: caller.is_supervisor(),
        submitted: now(),
        query: body,
        interval,
        forced: fail.then_some("FAILED"),
        results: None,
        availability: None,
    };
    w.jobs.insert(id, job);
    Ok(Json(json!({ "jobId": id })))
}

fn my_job<'a>(w: &'a mut World, caller: &Caller, id: &str) -> ApiResult<&'a mut Job> {
    let id = parse_id(id)?;
    w.jobs
        .get_mut(&id)
        .filter(|j| j.owner == caller.user_id)
        .ok_or_else(ApiError::not_found)
}

async fn job_status(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut w = sim.lock();
    let job = my_job(&mut w, &caller, &id)?;
    Ok(Json(job.status(&sim)))
}

/// DELETE: a job still QUEUED/PENDING becomes CANCELLED (still readable); any other job is removed.
async fn delete_job(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let mut w = sim.lock();
    let job = my_job(&mut w, &caller, &id)?;
    if matches!(job.state(&sim), "QUEUED" | "PENDING") {
        job.forced = Some("CANCELLED");
    } else {
        let jid = job.id;
        w.jobs.remove(&jid);
    }
    Ok(no_content())
}

/// Computes a job's results once: conversations with activity in the interval that the data lake
/// has (started before `dataAvailabilityDate`), rendered as of that date, with attributes.
fn fulfil(sim: &Sim, w: &World, job: &Job) -> (Vec<Value>, time::OffsetDateTime) {
    let avail = availability_date(sim);
    let at = AsOf {
        data: avail,
        wrapup: avail,
    };
    let cf = job
        .query
        .get("conversationFilters")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let sf = job
        .query
        .get("segmentFilters")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let start_of_day = job
        .query
        .get("startOfDayIntervalMatching")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let limit = job
        .query
        .get("limit")
        .and_then(Value::as_u64)
        .map_or(usize::MAX, |n| n as usize);
    let day_start = job.interval.start.replace_time(time::Time::MIDNIGHT);
    let list = w
        .conversation_order
        .iter()
        .filter_map(|id| w.conversations.get(id))
        .filter(|c| c.start <= avail)
        .filter(|c| job.sees_all || c.user_ids().contains(&job.owner))
        .filter(|c| {
            job.interval
                .has_activity(c.start, c.end.unwrap_or(avail).min(avail))
        })
        .filter(|c| !start_of_day || c.start >= day_start)
        .map(|c| render(c, at, true))
        .filter(|r| record_matches(r, &cf, &sf))
        .take(limit)
        .collect::<Vec<_>>();
    let mut list = list;
    if job.query.get("order").and_then(Value::as_str) == Some("desc") {
        list.reverse();
    }
    (list, avail)
}

async fn job_results(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let params = Params::parse(raw.as_deref());
    let (default_size, max_size) = uc::JOB_RESULTS_PAGE_SIZE;
    let page_size = params.number("pageSize", default_size)?.min(max_size);
    let offset = match params.get("cursor") {
        None => 0,
        Some(c) => jobs::parse_cursor(c).ok_or_else(|| ApiError::bad_request("Invalid cursor"))?,
    };
    let mut w = sim.lock();
    let state = my_job(&mut w, &caller, &id)?.state(&sim);
    if state != "FULFILLED" {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad.request",
            format!("Results are not available: the job is {state}"),
        ));
    }
    let needs = my_job(&mut w, &caller, &id)?.results.is_none();
    if needs {
        let job = my_job(&mut w, &caller, &id)?.clone();
        let (list, avail) = fulfil(&sim, &w, &job);
        let job = my_job(&mut w, &caller, &id)?;
        job.results = Some(list);
        job.availability = Some(avail);
    }
    let job = my_job(&mut w, &caller, &id)?;
    let all = job.results.as_deref().unwrap_or_default();
    let page: Vec<Value> = all.iter().skip(offset).take(page_size).cloned().collect();
    let mut v = json!({ "conversations": page, "dataAvailabilityDate": job.availability.map(iso) });
    if offset + page_size < all.len() {
        v["cursor"] = json!(jobs::cursor(offset + page_size));
    }
    Ok(Json(v))
}
