//! The Notification API (reference §4): channels, subscriptions with `ignoreErrors`, the limits
//! (20 channels per user+client, 1000 topics, <200-char ids, 24 h life, one socket per channel).

pub mod socket;

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, head};
use axum::{Json, Router};
use rand::Rng;
use serde::Deserialize;
use serde::de::value::StrDeserializer;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::clock::{Ts, iso, now, td};
use crate::routes::http::{ApiError, ApiResult, Caller, JsonBody, Params, no_content};
use crate::store::channels::{Channel, Outbound, Subscription, Topic};
use crate::store::conversation::Media;
use crate::store::directory::Role;
use crate::store::{Sim, World};
use crate::unconfirmed as uc;

/// Channels per user + OAuth client before the oldest is evicted (§4.2).
pub const MAX_CHANNELS: usize = 20;
/// Topics per channel (§4.2).
pub const MAX_TOPICS: usize = 1000;
/// Topic ids must be shorter than this (§4.1, STREAM).
pub const MAX_TOPIC_LEN: usize = 200;

/// `includechannels`: the caller's token's channels, or every channel of its user + OAuth client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum IncludeChannels {
    Token,
    OauthClient,
}

fn channel_json(c: &Channel, sim: &Sim) -> Value {
    json!({ "connectUri": format!("{}/channels/{}", sim.ws_base(), c.id), "id": c.id, "expires": iso(c.expires) })
}

fn new_channel_id() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    let tail: String = (0..26)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("streaming-0-{tail}")
}

/// Routes under `/api/v2/notifications`.
pub fn router() -> Router<Arc<Sim>> {
    Router::new()
        .route(
            "/notifications/channels",
            get(list_channels).post(create_channel),
        )
        .route("/notifications/channels/{id}", head(head_channel))
        .route(
            "/notifications/channels/{id}/subscriptions",
            get(get_subs)
                .put(put_subs)
                .post(post_subs)
                .delete(delete_subs),
        )
}

async fn create_channel(State(sim): State<Arc<Sim>>, caller: Caller) -> ApiResult<Json<Value>> {
    let mut w = sim.lock();
    w.drop_invalid_channels();
    let mine: Vec<(bool, Ts, String)> = w
        .channels
        .values()
        .filter(|c| c.user_id == caller.user_id && c.client_id == caller.client_id)
        .map(|c| (c.socket.is_some(), c.last_used, c.id.clone()))
        .collect();
    if mine.len() >= MAX_CHANNELS {
        // Evict the oldest last-used channel, channels without an active connection first (§4.2).
        let victim = mine.into_iter().min().map(|(_, _, id)| id);
        if let Some(c) = victim.and_then(|id| w.channels.remove(&id))
            && let Some(s) = c.socket
        {
            let (code, reason) = uc::CHANNEL_GONE_CLOSE;
            w.publisher
                .frames(s.tx, vec![Outbound::Close(code, reason)]);
        }
    }
    let t = now();
    let channel = Channel {
        id: new_channel_id(),
        token: caller.token.clone(),
        user_id: caller.user_id,
        client_id: caller.client_id.clone(),
        expires: t + td(sim.cfg.channel_lifetime),
        last_used: t,
        topics: Vec::new(),
        socket: None,
    };
    let body = channel_json(&channel, &sim);
    w.channels.insert(channel.id.clone(), channel);
    Ok(Json(body))
}

async fn list_channels(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let params = Params::parse(raw.as_deref());
    let include = params.get("includechannels").unwrap_or("token");
    let by_client =
        IncludeChannels::deserialize(StrDeserializer::<serde::de::value::Error>::new(include))
            .map_err(|_| {
                ApiError::bad_request(format!("Invalid includechannels value {include:?}"))
            })?
            == IncludeChannels::OauthClient;
    let mut w = sim.lock();
    w.drop_invalid_channels();
    let mut list: Vec<&Channel> = w
        .channels
        .values()
        .filter(|c| {
            if by_client {
                c.user_id == caller.user_id && c.client_id == caller.client_id
            } else {
                c.token == caller.token
            }
        })
        .collect();
    list.sort_by_key(|c| c.expires);
    Ok(Json(
        json!({ "entities": list.iter().map(|c| channel_json(c, &sim)).collect::<Vec<_>>() }),
    ))
}

/// The caller's valid channel or 404.
fn my_channel<'a>(w: &'a mut World, caller: &Caller, id: &str) -> ApiResult<&'a mut Channel> {
    w.drop_invalid_channels();
    w.channels
        .get_mut(id)
        .filter(|c| c.user_id == caller.user_id)
        .ok_or_else(ApiError::not_found)
}

async fn head_channel(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Response {
    let mut w = sim.lock();
    match my_channel(&mut w, &caller, &id) {
        Ok(c) => {
            c.last_used = now();
            StatusCode::OK.into_response()
        }
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

fn listing(c: &Channel) -> Value {
    json!({ "entities": c.topics.iter().map(|s| json!({ "id": s.id })).collect::<Vec<_>>() })
}

async fn get_subs(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut w = sim.lock();
    let c = my_channel(&mut w, &caller, &id)?;
    Ok(Json(listing(c)))
}

/// One element of the subscribe body (`ChannelTopic`).
#[derive(Debug, Deserialize)]
struct ChannelTopicIn {
    id: String,
}

/// Why a topic was rejected.
struct Rejection {
    reason: &'static str,
    missing_permissions: Vec<&'static str>,
}

/// Expands the combined syntax `prefix?a&b` into `prefix.a`, `prefix.b` (§4.1, STREAM).
fn expand(id: &str) -> Vec<String> {
    match id.split_once('?') {
        Some((prefix, rest)) => rest
            .split('&')
            .filter(|s| !s.is_empty())
            .map(|s| format!("{prefix}.{s}"))
            .collect(),
        None => vec![id.to_string()],
    }
}

/// Parses a topic id and checks the caller may subscribe to it.
fn check_topic(w: &World, caller: &Caller, id: &str) -> Result<Topic, Rejection> {
    let unknown = || Rejection {
        reason: uc::REJECT_UNKNOWN_TOPIC,
        missing_permissions: vec![],
    };
    let denied = |perm: &'static str| Rejection {
        reason: uc::REJECT_NOT_PERMITTED,
        missing_permissions: vec![perm],
    };
    if id.len() >= MAX_TOPIC_LEN {
        return Err(Rejection {
            reason: uc::REJECT_TOO_LONG,
            missing_permissions: vec![],
        });
    }
    if id == "v2.analytics.conversations.details.jobs.availability" {
        return Ok(Topic::Quiet);
    }
    let parts: Vec<&str> = id.split('.').collect();
    let media = |rest: &[&str]| -> Result<Option<Media>, Rejection> {
        match rest {
            [] => Ok(None),
            [m] => Media::from_comm_key(m).map(Some).ok_or_else(unknown),
            _ => Err(unknown()),
        }
    };
    match parts.as_slice() {
        ["v2", "users", uid, rest @ ..] => {
            let uid = Uuid::parse_str(uid).map_err(|_| unknown())?;
            let user = w.dir.user(uid).ok_or_else(unknown)?;
            let allowed = user.id == caller.user_id || caller.role == Role::Supervisor;
            match rest {
                ["conversations", media_rest @ ..] => {
                    let m = media(media_rest)?;
                    if allowed {
                        Ok(Topic::UserConversations(uid, m))
                    } else {
                        Err(denied("conversation:communication:view"))
                    }
                }
                ["presence"] | ["routingStatus"] | ["conversationsummary"] => {
                    if allowed {
                        Ok(Topic::Quiet)
                    } else {
                        Err(denied("user:view"))
                    }
                }
                _ => Err(unknown()),
            }
        }
        [
            "v2",
            "routing",
            "queues",
            qid,
            "conversations",
            media_rest @ ..,
        ] => {
            let qid = Uuid::parse_str(qid).map_err(|_| unknown())?;
            let queue = w.dir.queue(qid).ok_or_else(unknown)?;
            let m = media(media_rest)?;
            let member =
                caller.role == Role::Supervisor || queue.member_ids.contains(&caller.user_id);
            if member {
                Ok(Topic::QueueConversations(qid, m))
            } else {
                Err(denied("routing:queue:view"))
            }
        }
        _ => Err(unknown()),
    }
}

async fn put_subs(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    JsonBody(body): JsonBody<Vec<ChannelTopicIn>>,
) -> ApiResult<Json<Value>> {
    subscribe(&sim, &caller, &id, raw.as_deref(), body, true)
}

async fn post_subs(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    JsonBody(body): JsonBody<Vec<ChannelTopicIn>>,
) -> ApiResult<Json<Value>> {
    subscribe(&sim, &caller, &id, raw.as_deref(), body, false)
}

/// PUT (replace) / POST (add). Without `ignoreErrors` any rejected topic fails the whole call with 400
/// and leaves the subscriptions untouched; with it, rejected topics are reported per topic.
fn subscribe(
    sim: &Sim,
    caller: &Caller,
    channel_id: &str,
    raw: Option<&str>,
    body: Vec<ChannelTopicIn>,
    replace: bool,
) -> ApiResult<Json<Value>> {
    let ignore_errors = Params::parse(raw).flag("ignoreErrors", false)?;
    let mut w = sim.lock();
    my_channel(&mut w, caller, channel_id)?;
    let mut results = Vec::new();
    let mut accepted: Vec<Subscription> = Vec::new();
    let mut rejected = Vec::new();
    for t in &body {
        for id in expand(&t.id) {
            // Delivered automatically; never subscribable (JAVA-NH filters them out).
            let system = id == "channel.metadata" || id.starts_with("v2.system.");
            match if system {
                Err(Rejection {
                    reason: uc::REJECT_UNKNOWN_TOPIC,
                    missing_permissions: vec![],
                })
            } else {
                check_topic(&w, caller, &id)
            } {
                Ok(topic) => {
                    results.push(json!({ "id": id, "state": "Permitted" }));
                    accepted.push(Subscription { id, topic });
                }
                Err(r) => {
                    let mut v =
                        json!({ "id": id, "state": "Rejected", "rejectionReason": r.reason });
                    if !r.missing_permissions.is_empty() {
                        v["missingPermissions"] = json!(r.missing_permissions);
                    }
                    rejected.push(id.clone());
                    results.push(v);
                }
            }
        }
    }
    if !rejected.is_empty() && !ignore_errors {
        return Err(ApiError::bad_request(format!(
            "Subscription rejected for topics: {}",
            rejected.join(", ")
        )));
    }
    let channel = w.channels.get_mut(channel_id).expect("checked above");
    let mut topics = if replace {
        Vec::new()
    } else {
        channel.topics.clone()
    };
    for s in accepted {
        if !topics.iter().any(|t| t.id == s.id) {
            topics.push(s);
        }
    }
    if topics.len() > MAX_TOPICS {
        return Err(ApiError::bad_request(format!(
            "A channel may have at most {MAX_TOPICS} topics; this request would make {}",
            topics.len()
        )));
    }
    channel.topics = topics;
    // Re-subscribing extends the channel's life (§4.2).
    let t = now();
    channel.expires = t + td(sim.cfg.channel_lifetime);
    channel.last_used = t;
    Ok(Json(json!({ "entities": results })))
}

async fn delete_subs(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let mut w = sim.lock();
    let c = my_channel(&mut w, &caller, &id)?;
    c.topics.clear();
    c.last_used = now();
    Ok(no_content())
}
