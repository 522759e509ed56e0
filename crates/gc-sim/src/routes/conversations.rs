//! Conversations API (reference §7, §5): active conversations, one conversation, a participant's
//! assigned wrap-up and available codes, and `POST /api/v2/conversations/callbacks`.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::clock::{iso, parse_iso};
use crate::routes::http::{ApiError, ApiResult, Caller, JsonBody, Params, paged, parse_id};
use crate::store::conversation::{Conversation, Media, Participant, Purpose};
use crate::store::directory::Role;
use crate::store::{Sim, World};
use crate::traffic::PlanGen;
use crate::unconfirmed as uc;

/// Routes under `/api/v2/conversations`.
pub fn router() -> Router<Arc<Sim>> {
    Router::new()
        .route("/conversations", get(active))
        .route("/conversations/callbacks", post(create_callback))
        .route("/conversations/{id}", get(one))
        .route("/conversations/{id}/participants/{pid}/wrapup", get(wrapup))
        .route(
            "/conversations/{id}/participants/{pid}/wrapupcodes",
            get(wrapup_codes),
        )
        .route(
            "/conversations/{media}/{id}/participants/{pid}/wrapup",
            get(media_wrapup),
        )
        .route(
            "/conversations/{media}/{id}/participants/{pid}/wrapupcodes",
            get(media_wrapup_codes),
        )
}

/// `GET /api/v2/conversations`: conversations where the caller has a leg that is not final yet
/// (alerting, connected or in ACW), newest first.
async fn active(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let params = Params::parse(raw.as_deref());
    let media = match params.get("communicationType") {
        None => None,
        Some(t) => Some(
            Media::from_communication_type(t)
                .ok_or_else(|| ApiError::bad_request(format!("Invalid communicationType {t:?}")))?,
        ),
    };
    let w = sim.lock();
    let list: Vec<Value> = w
        .conversation_order
        .iter()
        .rev()
        .filter_map(|id| w.conversations.get(id))
        .filter(|c| media.is_none_or(|m| m == c.media))
        .filter(|c| {
            c.participants.iter().any(|p| {
                p.purpose == Purpose::Agent
                    && p.user_id == Some(caller.user_id)
                    && p.outcome.is_none()
            })
        })
        .map(|c| c.rest(&w.dir))
        .collect();
    Ok(Json(paged(list, &params, "/api/v2/conversations")?))
}

fn find<'a>(w: &'a World, id: &str) -> ApiResult<&'a Conversation> {
    let id = parse_id(id)?;
    w.conversations.get(&id).ok_or_else(ApiError::not_found)
}

async fn one(
    State(sim): State<Arc<Sim>>,
    _caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let w = sim.lock();
    let c = find(&w, &id)?;
    Ok(Json(c.rest(&w.dir)))
}

/// A participant of a conversation, by the ids in the path; a media segment (`calls`, `emails`, …) that does not
/// match the conversation's medium is a 404, as on the platform.
fn find_participant<'a>(
    w: &'a World,
    id: &str,
    pid: &str,
    media: Option<&str>,
) -> ApiResult<&'a Participant> {
    let c = find(w, id)?;
    if let Some(m) = media
        && Media::from_comm_key(m) != Some(c.media)
    {
        return Err(ApiError::not_found());
    }
    c.participant(parse_id(pid)?)
        .ok_or_else(ApiError::not_found)
}

fn assigned_wrapup(sim: &Sim, id: &str, pid: &str, media: Option<&str>) -> ApiResult<Json<Value>> {
    let w = sim.lock();
    let p = find_participant(&w, id, pid, media)?;
    let wr = p.acw.wrapup.as_ref().ok_or_else(|| {
        ApiError::new(
            axum::http::StatusCode::NOT_FOUND,
            "not.found",
            uc::NO_WRAPUP_MESSAGE,
        )
    })?;
    let mut v = json!({ "code": wr.code, "tags": wr.tags, "durationSeconds": wr.duration_seconds, "endTime": iso(wr.end_time) });
    if let Some(n) = &wr.notes {
        v["notes"] = json!(n);
    }
    Ok(Json(v))
}

fn available_codes(
    sim: &Sim,
    caller: &Caller,
    id: &str,
    pid: &str,
    media: Option<&str>,
) -> ApiResult<Json<Value>> {
    let w = sim.lock();
    let p = find_participant(&w, id, pid, media)?;
    let q = p
        .queue_id
        .and_then(|q| w.dir.queue(q))
        .ok_or_else(ApiError::not_found)?;
    let user = w.dir.user(caller.user_id).ok_or_else(ApiError::not_found)?;
    let codes: Vec<Value> = q
        .code_ids
        .iter()
        .filter_map(|id| w.dir.code(*id))
        .filter(|code| w.code_live(code.id) && (user.role == Role::Supervisor || w.dir.can_see_division(user, code.division_id)))
        .map(|code| json!({ "id": code.id, "name": code.name, "selfUri": format!("/api/v2/routing/wrapupcodes/{}", code.id) }))
        .collect();
    Ok(Json(Value::Array(codes)))
}

async fn wrapup(
    State(sim): State<Arc<Sim>>,
    _caller: Caller,
    Path((id, pid)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    Params::parse(raw.as_deref()).flag("provisional", false)?;
    assigned_wrapup(&sim, &id, &pid, None)
}

async fn wrapup_codes(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path((id, pid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    available_codes(&sim, &caller, &id, &pid, None)
}

async fn media_wrapup(
    State(sim): State<Arc<Sim>>,
    _caller: Caller,
    Path((media, id, pid)): Path<(String, String, String)>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    Params::parse(raw.as_deref()).flag("provisional", false)?;
    assigned_wrapup(&sim, &id, &pid, Some(&media))
}

async fn media_wrapup_codes(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path((media, id, pid)): Path<(String, String, String)>,
) -> ApiResult<Json<Value>> {
    available_codes(&sim, &caller, &id, &pid, Some(&media))
}

/// `CreateCallbackCommand` (the fields the simulator uses; the rest are accepted and ignored).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateCallback {
    queue_id: Option<String>,
    routing_data: Option<RoutingData>,
    callback_user_name: Option<String>,
    #[serde(default)]
    callback_numbers: Vec<String>,
    callback_scheduled_time: Option<String>,
    #[serde(default)]
    data: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RoutingData {
    queue_id: Option<String>,
}

async fn create_callback(
    State(sim): State<Arc<Sim>>,
    _caller: Caller,
    JsonBody(body): JsonBody<CreateCallback>,
) -> ApiResult<Json<Value>> {
    let queue = body
        .queue_id
        .clone()
        .or_else(|| body.routing_data.as_ref().and_then(|r| r.queue_id.clone()))
        .ok_or_else(|| ApiError::bad_request("queueId or routingData.queueId is required"))?;
    let queue_id = Uuid::parse_str(&queue)
        .map_err(|_| ApiError::bad_request(format!("Invalid queueId {queue:?}")))?;
    if body.callback_numbers.is_empty() {
        return Err(ApiError::bad_request(
            "callbackNumbers must contain at least one number",
        ));
    }
    let scheduled = match &body.callback_scheduled_time {
        None => None,
        Some(s) => Some(parse_iso(s).ok_or_else(|| {
            ApiError::bad_request(format!("Invalid callbackScheduledTime {s:?}"))
        })?),
    };
    let plan = {
        let w = sim.lock();
        if w.dir.queue(queue_id).is_none() {
            return Err(ApiError::bad_request(format!(
                "Queue {queue_id} does not exist"
            )));
        }
        let mut rng = sim.api_plan_rng.lock().unwrap_or_else(|p| p.into_inner());
        crate::traffic::callback_plan(
            &mut PlanGen::from_rng(&mut *rng),
            &w,
            queue_id,
            body.callback_numbers,
            body.callback_user_name,
            scheduled,
            body.data,
        )
    };
    let (cid, customer, acd) = (plan.conversation_id, plan.customer.0, plan.acd.0);
    crate::traffic::launch(&sim, plan);
    Ok(Json(json!({
        "conversation": { "id": cid, "selfUri": format!("/api/v2/conversations/{cid}") },
        "callbackIdentifiers": uc::callback_identifiers(&customer.to_string(), &acd.to_string()),
    })))
}
