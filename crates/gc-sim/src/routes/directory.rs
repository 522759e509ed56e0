//! Directory endpoints (reference §5, §8): users (me, bulk, by id, queues), routing queues and
//! wrap-up codes, with division visibility (Restricted codes are supervisor-only) and deletions.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::clock::iso;
use crate::routes::http::{ApiError, ApiResult, Caller, Params, paged, parse_id};
use crate::store::directory::{Directory, Queue, Role, User, WrapCode};
use crate::store::{Sim, World};
use crate::unconfirmed as uc;

/// Routes under `/api/v2` for users, queues and wrap-up codes.
pub fn router() -> Router<Arc<Sim>> {
    Router::new()
        .route("/users/me", get(users_me))
        .route("/users", get(users_list))
        .route("/users/{id}", get(user_by_id))
        .route("/users/{id}/queues", get(user_queues))
        .route("/routing/queues", get(queues_list))
        .route("/routing/queues/me", get(queues_me))
        .route("/routing/queues/{id}", get(queue_by_id))
        .route("/routing/queues/{id}/wrapupcodes", get(queue_codes))
        .route("/routing/wrapupcodes", get(codes_list))
        .route("/routing/wrapupcodes/{id}", get(code_by_id))
}

fn division_json(dir: &Directory, id: Uuid) -> Value {
    json!({ "id": id, "name": dir.division_name(id), "selfUri": format!("/api/v2/authorization/divisions/{id}") })
}

/// `User` JSON.
pub fn user_json(dir: &Directory, u: &User) -> Value {
    json!({
        "id": u.id,
        "name": u.name,
        "division": division_json(dir, u.division_id),
        "chat": { "jabberId": format!("{}@gcsim.orgspan.com", u.id.simple()) },
        "email": u.email,
        "primaryContactInfo": [{ "address": u.email, "mediaType": "EMAIL", "type": "PRIMARY" }],
        "addresses": [],
        "state": "active",
        "title": if u.role == Role::Supervisor { "Supervisor" } else { "Agent" },
        "username": u.email,
        "version": 1,
        "acdAutoAnswer": false,
        "selfUri": format!("/api/v2/users/{}", u.id),
    })
}

fn queue_json(dir: &Directory, q: &Queue, joined: Option<bool>) -> Value {
    let members = q.member_ids.len();
    let media = json!({ "alertingTimeoutSeconds": 8, "serviceLevel": { "percentage": 0.8, "durationMs": 20000 } });
    let mut acw = json!({ "wrapupPrompt": q.prompt.queue_str() });
    if let Some(t) = q.timeout_ms {
        acw["timeoutMs"] = json!(t);
    }
    let mut v = json!({
        "id": q.id,
        "name": q.name,
        "division": division_json(dir, q.division_id),
        "description": format!("{} enquiries", q.name),
        "dateCreated": iso(q.created),
        "dateModified": iso(q.created),
        "memberCount": members,
        "userMemberCount": members,
        "joinedMemberCount": members,
        "mediaSettings": { "call": media, "callback": media, "chat": media, "email": media, "message": media },
        "acwSettings": acw,
        "skillEvaluationMethod": "BEST",
        "enableTranscription": false,
        "enableManualAssignment": false,
        "selfUri": format!("/api/v2/routing/queues/{}", q.id),
    });
    match joined {
        Some(j) => v["joined"] = json!(j),
        // `Queue` has autoAnswerOnly, `UserQueue` (a user's queues) does not.
        None => v["autoAnswerOnly"] = json!(false),
    }
    v
}

fn code_json(dir: &Directory, c: &WrapCode) -> Value {
    json!({
        "id": c.id,
        "name": c.name,
        "division": division_json(dir, c.division_id),
        "dateCreated": iso(c.created),
        "dateModified": iso(c.created),
        // `WrapupCode.createdBy` is a string (the creator's id), not a reference.
        "createdBy": dir.supervisor().id,
        "selfUri": format!("/api/v2/routing/wrapupcodes/{}", c.id),
    })
}

/// `name` filters: `*` at either end is a wildcard; otherwise a case-insensitive exact match.
fn name_matches(pattern: &str, name: &str) -> bool {
    let (p, n) = (pattern.to_lowercase(), name.to_lowercase());
    match (p.strip_prefix('*'), p.strip_suffix('*')) {
        (Some(rest), _) if rest.ends_with('*') => n.contains(rest.trim_end_matches('*')),
        (Some(rest), _) => n.ends_with(rest),
        (None, Some(rest)) => n.starts_with(rest),
        (None, None) => n == p,
    }
}

fn descending(params: &Params) -> ApiResult<bool> {
    match params
        .get("sortOrder")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("asc") | Some("ascending") => Ok(false),
        Some("desc") | Some("descending") => Ok(true),
        Some(o) => Err(ApiError::bad_request(format!("Invalid sortOrder {o:?}"))),
    }
}

fn ids(params: &Params, key: &str) -> ApiResult<Vec<Uuid>> {
    params
        .all(key)
        .iter()
        .map(|s| {
            Uuid::parse_str(s).map_err(|_| ApiError::bad_request(format!("Invalid {key} {s:?}")))
        })
        .collect()
}

async fn users_me(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let params = Params::parse(raw.as_deref());
    let w = sim.lock();
    let u = w.dir.user(caller.user_id).ok_or_else(ApiError::not_found)?;
    let mut v = user_json(&w.dir, u);
    for e in params.all("expand") {
        let value = match e.as_str() {
            "organization" => {
                json!({ "id": w.dir.org_id, "name": w.dir.org_name, "thirdPartyOrgName": "gcsim", "selfUri": format!("/api/v2/organizations/{}", w.dir.org_id) })
            }
            "routingStatus" => {
                json!({ "userId": u.id, "status": "IDLE", "startTime": iso(crate::clock::now()) })
            }
            "presence" => {
                json!({ "presenceDefinition": { "id": "e08eaf1b-ee47-4fa9-a231-1200e284798f", "systemPresence": "On Queue" }, "message": "" })
            }
            "authorization" => authorization_json(u),
            "conversationSummary" => conversation_summary(&w, u.id),
            "dateLastLogin" => json!(iso(crate::clock::now())),
            "token" => json!({ "OAuthClient": { "id": caller.client_id } }),
            _ => continue,
        };
        v[e.as_str()] = value;
    }
    Ok(Json(v))
}

fn authorization_json(u: &User) -> Value {
    let mut perms = vec![
        "conversation:communication:view",
        "routing:queue:view",
        "routing:wrapupCode:view",
        "analytics:agentConversationDetail:view",
    ];
    let role = if u.role == Role::Supervisor {
        perms.push("analytics:conversationDetail:view");
        "Supervisor"
    } else {
        "Agent"
    };
    json!({ "roles": [{ "id": role.to_lowercase(), "name": role }], "permissions": perms })
}

fn conversation_summary(w: &World, user: Uuid) -> Value {
    let mut counts = serde_json::Map::new();
    for m in crate::store::conversation::Media::ALL {
        let n = w
            .conversations
            .values()
            .filter(|c| c.media == m && c.end.is_none() && c.user_ids().contains(&user))
            .count();
        // `UserConversationSummary` names voice `call`.
        let key = if m == crate::store::conversation::Media::Voice {
            "call"
        } else {
            m.as_str()
        };
        counts.insert(key.into(), json!({ "contactCenter": { "active": n, "acw": 0 }, "enterprise": { "active": 0, "acw": 0 } }));
    }
    json!({ "userId": user })
        .as_object()
        .cloned()
        .map(|mut o| {
            o.extend(counts);
            Value::Object(o)
        })
        .unwrap_or_default()
}

async fn users_list(
    State(sim): State<Arc<Sim>>,
    _caller: Caller,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let params = Params::parse(raw.as_deref());
    let wanted = ids(&params, "id")?;
    if !wanted.is_empty() && params.get("jabberId").is_some() {
        return Err(ApiError::bad_request(
            "id and jabberId cannot be used together",
        ));
    }
    match params.get("state").unwrap_or("active") {
        "active" | "any" => {}
        "inactive" | "deleted" => return Ok(Json(paged(vec![], &params, "/api/v2/users")?)),
        other => return Err(ApiError::bad_request(format!("Invalid state {other:?}"))),
    }
    let w = sim.lock();
    let mut users: Vec<&User> = w
        .dir
        .users
        .iter()
        .filter(|u| wanted.is_empty() || wanted.contains(&u.id))
        .collect();
    if let Some(j) = params.get("jabberId") {
        users.retain(|u| format!("{}@gcsim.orgspan.com", u.id.simple()) == j);
    }
    users.sort_by(|a, b| a.name.cmp(&b.name));
    if descending(&params)? {
        users.reverse();
    }
    let all = users.into_iter().map(|u| user_json(&w.dir, u)).collect();
    Ok(Json(paged(all, &params, "/api/v2/users")?))
}

async fn user_by_id(
    State(sim): State<Arc<Sim>>,
    _caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let id = parse_id(&id)?;
    let w = sim.lock();
    let u = w.dir.user(id).ok_or_else(ApiError::not_found)?;
    Ok(Json(user_json(&w.dir, u)))
}

fn user_queue_listing(w: &World, user: &User, params: &Params, path: &str) -> ApiResult<Value> {
    let joined = params.flag("joined", true)?;
    let divisions = ids(params, "divisionId")?;
    let mut qs: Vec<&Queue> = w
        .dir
        .queues
        .iter()
        .filter(|q| user.queue_ids.contains(&q.id))
        .filter(|q| divisions.is_empty() || divisions.contains(&q.division_id))
        .collect();
    // Every simulated member is joined.
    if !joined {
        qs.clear();
    }
    qs.sort_by_key(|q| q.name);
    if descending(params)? {
        qs.reverse();
    }
    paged(
        qs.into_iter()
            .map(|q| queue_json(&w.dir, q, Some(true)))
            .collect(),
        params,
        path,
    )
}

async fn user_queues(
    State(sim): State<Arc<Sim>>,
    _caller: Caller,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let id = parse_id(&id)?;
    let params = Params::parse(raw.as_deref());
    let w = sim.lock();
    let u = w.dir.user(id).ok_or_else(ApiError::not_found)?;
    Ok(Json(user_queue_listing(
        &w,
        u,
        &params,
        &format!("/api/v2/users/{id}/queues"),
    )?))
}

async fn queues_me(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let params = Params::parse(raw.as_deref());
    let w = sim.lock();
    let u = w.dir.user(caller.user_id).ok_or_else(ApiError::not_found)?;
    Ok(Json(user_queue_listing(
        &w,
        u,
        &params,
        "/api/v2/routing/queues/me",
    )?))
}

async fn queues_list(
    State(sim): State<Arc<Sim>>,
    _caller: Caller,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let params = Params::parse(raw.as_deref());
    let wanted = ids(&params, "id")?;
    let divisions = ids(&params, "divisionId")?;
    let w = sim.lock();
    let mut qs: Vec<&Queue> = w
        .dir
        .queues
        .iter()
        .filter(|q| wanted.is_empty() || wanted.contains(&q.id))
        .filter(|q| divisions.is_empty() || divisions.contains(&q.division_id))
        .filter(|q| params.get("name").is_none_or(|n| name_matches(n, q.name)))
        .collect();
    qs.sort_by_key(|q| q.name);
    if descending(&params)? {
        qs.reverse();
    }
    Ok(Json(paged(
        qs.into_iter()
            .map(|q| queue_json(&w.dir, q, None))
            .collect(),
        &params,
        "/api/v2/routing/queues",
    )?))
}

async fn queue_by_id(
    State(sim): State<Arc<Sim>>,
    _caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let id = parse_id(&id)?;
    let w = sim.lock();
    let q = w.dir.queue(id).ok_or_else(ApiError::not_found)?;
    Ok(Json(queue_json(&w.dir, q, None)))
}

/// Codes the caller may see: live, and in a division visible to them.
fn visible_codes<'a>(w: &'a World, caller: &Caller) -> impl Iterator<Item = &'a WrapCode> + 'a {
    let user = w.dir.user(caller.user_id).cloned();
    w.dir.codes.iter().filter(move |c| {
        !w.deleted_codes.contains(&c.id)
            && user
                .as_ref()
                .is_some_and(|u| w.dir.can_see_division(u, c.division_id))
    })
}

async fn queue_codes(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let id = parse_id(&id)?;
    let params = Params::parse(raw.as_deref());
    let w = sim.lock();
    let q = w.dir.queue(id).ok_or_else(ApiError::not_found)?;
    let mut codes: Vec<&WrapCode> = visible_codes(&w, &caller)
        .filter(|c| q.code_ids.contains(&c.id))
        .filter(|c| params.get("name").is_none_or(|n| name_matches(n, &c.name)))
        .collect();
    codes.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Json(paged(
        codes.into_iter().map(|c| code_json(&w.dir, c)).collect(),
        &params,
        &format!("/api/v2/routing/queues/{id}/wrapupcodes"),
    )?))
}

async fn codes_list(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let params = Params::parse(raw.as_deref());
    let wanted = ids(&params, "id")?;
    let divisions = ids(&params, "divisionId")?;
    let w = sim.lock();
    let mut codes: Vec<&WrapCode> = visible_codes(&w, &caller)
        .filter(|c| wanted.is_empty() || wanted.contains(&c.id))
        .filter(|c| divisions.is_empty() || divisions.contains(&c.division_id))
        .filter(|c| params.get("name").is_none_or(|n| name_matches(n, &c.name)))
        .collect();
    match params.get("sortBy").unwrap_or("name") {
        "name" => codes.sort_by(|a, b| a.name.cmp(&b.name)),
        "id" => codes.sort_by_key(|c| c.id),
        other => return Err(ApiError::bad_request(format!("Invalid sortBy {other:?}"))),
    }
    if descending(&params)? {
        codes.reverse();
    }
    Ok(Json(paged(
        codes.into_iter().map(|c| code_json(&w.dir, c)).collect(),
        &params,
        "/api/v2/routing/wrapupcodes",
    )?))
}

async fn code_by_id(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let id = parse_id(&id)?;
    let w = sim.lock();
    let c = w
        .dir
        .code(id)
        .filter(|c| !w.deleted_codes.contains(&c.id))
        .ok_or_else(ApiError::not_found)?;
    let user = w.dir.user(caller.user_id).ok_or_else(ApiError::not_found)?;
    if !w.dir.can_see_division(user, c.division_id) {
        return Err(ApiError::forbidden(
            uc::CODE_MISSING_DIVISION_PERMISSION,
            format!(
                "Unable to perform the requested action. You are missing the following permission 'routing:wrapupCode:view' in the provided division(s): {}",
                c.division_id
            ),
        ));
    }
    Ok(Json(code_json(&w.dir, c)))
}
