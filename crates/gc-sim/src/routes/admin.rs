//! The simulator's own admin API under `/sim` (never `/api/v2`): ground truth, state counters,
//! fault switches, scripted conversations, pause/resume, directory ids, test tokens, code deletion.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::faults::{self, FaultRequest};
use crate::store::Sim;
use crate::store::conversation::{Origin, Purpose, TIMEOUT_CODE};
use crate::traffic::{AcwPlan, LegKind, PlanGen, Script, scripted_plan};

/// `/sim/*` routes.
pub fn router() -> Router<Arc<Sim>> {
    Router::new()
        .route("/truth", get(truth))
        .route("/state", get(state))
        .route("/faults", get(get_faults).post(post_faults))
        .route("/conversations", post(start_conversation))
        .route("/pause", post(pause))
        .route("/resume", post(resume))
        .route("/directory", get(directory))
        .route("/tokens", post(token))
        .route("/wrapupcodes/{id}", delete(delete_code))
        .route("/firehose", get(get_firehose).post(post_firehose))
}

fn bad(status: StatusCode, msg: impl Into<String>) -> Response {
    (status, Json(json!({ "error": msg.into() }))).into_response()
}

/// Parses a JSON body leniently: an empty body is the default value.
fn body<T: for<'de> Deserialize<'de> + Default>(bytes: &[u8]) -> Result<T, Box<Response>> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(bytes)
        .map_err(|e| Box::new(bad(StatusCode::BAD_REQUEST, format!("invalid body: {e}"))))
}

async fn truth(State(sim): State<Arc<Sim>>) -> Json<Value> {
    let w = sim.lock();
    Json(json!({ "outcomes": w.truth }))
}

async fn state(State(sim): State<Arc<Sim>>) -> Json<Value> {
    let w = sim.lock();
    let active = w.conversations.values().filter(|c| c.end.is_none()).count();
    let open_legs = w
        .conversations
        .values()
        .map(|c| {
            c.participants
                .iter()
                .filter(|p| p.purpose == Purpose::Agent && p.outcome.is_none())
                .count()
        })
        .sum::<usize>();
    let sockets = w.channels.values().filter(|c| c.socket.is_some()).count();
    let valid_tokens = w.tokens.values().filter(|t| t.is_valid()).count();
    let by_origin = |o: Origin| w.conversations.values().filter(|c| c.origin == o).count();
    Json(json!({
        "conversations": w.conversations.len(),
        "scriptedConversations": by_origin(Origin::Scripted),
        "apiCallbacks": by_origin(Origin::ApiCallback),
        "activeConversations": active,
        "openAgentLegs": open_legs,
        "truth": w.truth.len(),
        "channels": w.channels.len(),
        "sockets": sockets,
        "tokens": valid_tokens,
        "jobs": w.jobs.len(),
        "deletedCodes": w.deleted_codes.iter().collect::<Vec<_>>(),
        "paused": sim.clock.is_paused(),
        "speed": sim.clock.speed(),
        "requests": sim.stats.requests.load(Ordering::Relaxed),
        "eventsSent": sim.stats.events_sent.load(Ordering::Relaxed),
        "heartbeatsSent": sim.stats.heartbeats_sent.load(Ordering::Relaxed),
        "framesLostToStalls": sim.stats.frames_lost_to_stalls.load(Ordering::Relaxed),
        "throttledResponses": sim.stats.throttled_responses.load(Ordering::Relaxed),
        "unavailableResponses": sim.stats.unavailable_responses.load(Ordering::Relaxed),
        "socketsDropped": sim.stats.sockets_dropped.load(Ordering::Relaxed),
        "socketClosings": sim.stats.socket_closings.load(Ordering::Relaxed),
        "channelsExpired": sim.stats.channels_expired.load(Ordering::Relaxed),
        "tokenExpiries": sim.stats.token_expiries.load(Ordering::Relaxed),
        "socketsStalled": sim.stats.sockets_stalled.load(Ordering::Relaxed),
        "maxRequestsPerMinute": w.max_requests_per_minute,
        "faults": w.faults,
    }))
}

async fn get_faults(State(sim): State<Arc<Sim>>) -> Json<Value> {
    Json(json!(sim.lock().faults))
}

async fn post_faults(State(sim): State<Arc<Sim>>, bytes: axum::body::Bytes) -> Response {
    let req: FaultRequest = match body(&bytes) {
        Ok(r) => r,
        Err(e) => return *e,
    };
    match faults::apply(&sim, req) {
        Ok(f) => Json(json!(f)).into_response(),
        Err(e) => bad(StatusCode::BAD_REQUEST, e),
    }
}

async fn start_conversation(State(sim): State<Arc<Sim>>, bytes: axum::body::Bytes) -> Response {
    let script: Script = match body(&bytes) {
        Ok(s) => s,
        Err(e) => return *e,
    };
    let plan = {
        let w = sim.lock();
        let mut rng = sim.api_plan_rng.lock().unwrap_or_else(|p| p.into_inner());
        match scripted_plan(&mut PlanGen::from_rng(&mut *rng), &w, &script) {
            Ok(p) => p,
            Err(e) => return bad(StatusCode::BAD_REQUEST, e),
        }
    };
    let legs: Vec<Value> = plan
        .legs
        .iter()
        .map(|l| {
            let code = match &l.kind {
                LegKind::Answered { acw: AcwPlan::Submit { code, .. }, .. } => Some(code.to_string()),
                LegKind::Answered { acw: AcwPlan::Timeout, .. } => Some(TIMEOUT_CODE.to_string()),
                _ => None,
            };
            json!({ "participantId": l.participant_id, "userId": l.user_id, "outcome": l.outcome(), "code": code })
        })
        .collect();
    let res = json!({
        "conversationId": plan.conversation_id,
        "queueId": plan.queue_id,
        "mediaType": plan.media,
        "customerParticipantId": plan.customer.0,
        "acdParticipantId": plan.acd.0,
        "ivrParticipantId": plan.ivr.map(|i| i.0),
        "legs": legs,
    });
    crate::traffic::launch(&sim, plan);
    (StatusCode::CREATED, Json(res)).into_response()
}

/// Freezes traffic. Flipped under the world lock so that, once this returns, no conversation
/// changes until `/sim/resume`; and the publication channel is flushed first, so every snapshot
/// published before the pause is already in its socket's queue (tests rely on that barrier).
async fn pause(State(sim): State<Arc<Sim>>) -> Json<Value> {
    let publisher = {
        let w = sim.lock();
        sim.clock.set_paused(true);
        w.publisher.clone()
    };
    publisher.flushed().await;
    Json(json!({ "paused": true }))
}

async fn resume(State(sim): State<Arc<Sim>>) -> Json<Value> {
    sim.clock.set_paused(false);
    Json(json!({ "paused": false }))
}

async fn directory(State(sim): State<Arc<Sim>>) -> Json<Value> {
    let w = sim.lock();
    let d = &w.dir;
    Json(json!({
        "organization": { "id": d.org_id, "name": d.org_name },
        "divisions": [{ "id": d.home.id, "name": d.home.name }, { "id": d.restricted.id, "name": d.restricted.name }],
        "users": d.users.iter().map(|u| json!({
            "id": u.id, "name": u.name, "email": u.email,
            "role": u.role,
            "queueIds": u.queue_ids,
        })).collect::<Vec<_>>(),
        "queues": d.queues.iter().map(|q| json!({
            "id": q.id, "name": q.name, "wrapupPrompt": q.prompt.queue_str(), "timeoutMs": q.timeout_ms,
            "codeIds": q.code_ids, "memberIds": q.member_ids,
        })).collect::<Vec<_>>(),
        "wrapupCodes": d.codes.iter().map(|c| json!({
            "id": c.id, "name": c.name, "divisionId": c.division_id, "deleted": w.deleted_codes.contains(&c.id),
            "retiresAfterUses": c.doomed.then_some(3),
        })).collect::<Vec<_>>(),
    }))
}

/// Body of `POST /sim/tokens`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TokenRequest {
    user_id: Option<Uuid>,
    client_id: Option<String>,
    /// Lifetime in wall-clock seconds (default `--token-lifetime`).
    expires_in: Option<u64>,
}

/// Issues a token without the browser flow (tests, benchmarks). Defaults: the supervisor, the first
/// client, `--token-lifetime`.
async fn token(State(sim): State<Arc<Sim>>, bytes: axum::body::Bytes) -> Response {
    let req: TokenRequest = match body(&bytes) {
        Ok(r) => r,
        Err(e) => return *e,
    };
    let client = req
        .client_id
        .unwrap_or_else(|| sim.cfg.client_ids[0].clone());
    if !sim.cfg.client_ids.contains(&client) {
        return bad(
            StatusCode::BAD_REQUEST,
            format!("unknown client {client:?}"),
        );
    }
    let mut w = sim.lock();
    let user = req.user_id.unwrap_or_else(|| w.dir.supervisor().id);
    if w.dir.user(user).is_none() {
        return bad(StatusCode::BAD_REQUEST, format!("unknown user {user}"));
    }
    if req.expires_in == Some(0) {
        return bad(StatusCode::BAD_REQUEST, "expiresIn must be at least 1");
    }
    let lifetime = req
        .expires_in
        .map_or(sim.cfg.token_lifetime, std::time::Duration::from_secs);
    let (token, expires_in) = w.issue_token(user, &client, lifetime);
    Json(json!({ "access_token": token, "token_type": "bearer", "expires_in": expires_in, "userId": user })).into_response()
}

async fn delete_code(State(sim): State<Arc<Sim>>, Path(id): Path<String>) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else {
        return bad(StatusCode::NOT_FOUND, "unknown code");
    };
    let mut w = sim.lock();
    if w.dir.code(id).is_none() {
        return bad(StatusCode::NOT_FOUND, "unknown code");
    }
    w.deleted_codes.insert(id);
    StatusCode::NO_CONTENT.into_response()
}

/// `POST /sim/firehose` body: the new rate (snapshots per second; 0 stops the stream) and whether
/// each conversation is published once, already wrapped up (default: every step).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FirehoseRequest {
    rate: u32,
    #[serde(default)]
    final_only: bool,
}

/// The firehose's rate now, and how many conversation frames went to sockets so far.
async fn get_firehose(State(sim): State<Arc<Sim>>) -> Json<Value> {
    Json(json!({
        "rate": sim.firehose_rate.load(Ordering::Relaxed),
        "finalOnly": sim.firehose_final_only.load(Ordering::Relaxed),
        "eventsSent": sim.stats.events_sent.load(Ordering::Relaxed),
        "truth": sim.lock().truth.len(),
    }))
}

/// Sets the firehose's rate (only the firehose scenario reads it).
async fn post_firehose(State(sim): State<Arc<Sim>>, bytes: axum::body::Bytes) -> Response {
    let req: FirehoseRequest = match body(&bytes) {
        Ok(r) => r,
        Err(e) => return *e,
    };
    sim.firehose_final_only
        .store(req.final_only, Ordering::Relaxed);
    sim.firehose_rate.store(req.rate, Ordering::Relaxed);
    get_firehose(State(sim)).await.into_response()
}
