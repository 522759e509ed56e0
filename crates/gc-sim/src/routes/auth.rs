//! OAuth like `login.{env}` (reference §2): the implicit grant with a sign-in page choosing a user,
//! the PKCE code flow and the refresh grant on `POST /oauth/token`, login sessions, `/logout`, and
//! `/api/v2/tokens/me`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::header::{CACHE_CONTROL, COOKIE, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Json};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cookie::{Cookie, SameSite};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use serde::Deserialize;
use serde::de::value::StrDeserializer;
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::clock::now;
use crate::routes::http::{ApiResult, Caller, Params, is_loopback_host, no_content};
use crate::store::Sim;
use crate::store::World;
use crate::store::directory::Role;
use crate::store::tokens::{AuthCode, RefreshRefusal, random_secret};
use crate::unconfirmed as uc;

const SESSION_COOKIE: &str = "gcsim_session";

/// Routes on the login host: `/oauth/authorize`, `/oauth/token`, `/logout`.
pub fn login_router() -> Router<Arc<Sim>> {
    Router::new()
        .route("/oauth/authorize", get(authorize_get).post(authorize_post))
        .route("/oauth/token", axum::routing::post(token_post))
        .route("/logout", get(logout))
}

/// Routes under `/api/v2`: `tokens/me`.
pub fn api_router() -> Router<Arc<Sim>> {
    Router::new().route(
        "/tokens/me",
        get(tokens_me).head(tokens_me_head).delete(tokens_me_delete),
    )
}

/// The authorize request parameters (query on GET, hidden fields on POST).
#[derive(Debug, Clone, Default)]
struct AuthRequest {
    client_id: String,
    response_type: String,
    redirect_uri: String,
    state: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    prompt: Option<String>,
}

impl AuthRequest {
    fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            client_id: get("client_id").unwrap_or_default(),
            response_type: get("response_type").unwrap_or_default(),
            redirect_uri: get("redirect_uri").unwrap_or_default(),
            state: get("state"),
            code_challenge: get("code_challenge").filter(|s| !s.is_empty()),
            code_challenge_method: get("code_challenge_method").filter(|s| !s.is_empty()),
            prompt: get("prompt"),
        }
    }
}

/// Client id registered and redirect URI an http(s) loopback URI?
fn client_ok(sim: &Sim, client_id: &str, redirect_uri: &str) -> bool {
    sim.cfg.client_ids.iter().any(|c| c == client_id)
        && url::Url::parse(redirect_uri)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && is_loopback_host(&u))
}

/// The login host's error page for a bad client id or redirect URI (reference §2.2: shown, not redirected).
fn invalid_client_page() -> Response {
    let body = page(
        "Sign-in error",
        "<h1>Sign-in error</h1><p role=\"alert\">OAuth client ID or redirect URI is invalid.</p>\
         <p>Check the client id and that the redirect URI is registered for it (gc-sim accepts any http(s) URI on localhost, 127.0.0.1 or [::1]).</p>",
    );
    (StatusCode::BAD_REQUEST, Html(body)).into_response()
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"icon\" href=\"data:,\"><style>\
         body{{font-family:system-ui,sans-serif;background:#f4f6f8;color:#1d2330;margin:0;display:grid;place-items:center;min-height:100vh}}\
         main{{background:#fff;padding:2rem 2.5rem;border-radius:8px;box-shadow:0 2px 12px rgba(0,0,0,.12);max-width:28rem;width:100%}}\
         h1{{font-size:1.4rem;margin:0 0 1rem}} label{{display:block;font-weight:600;margin-bottom:.4rem}}\
         select{{width:100%;padding:.5rem;font-size:1rem;margin-bottom:1.2rem}}\
         .actions{{display:flex;gap:.75rem}} button{{font-size:1rem;padding:.55rem 1.2rem;border-radius:4px;border:1px solid #2a5bd7;cursor:pointer}}\
         #sign-in{{background:#2a5bd7;color:#fff}} #deny{{background:#fff;color:#2a5bd7}}\
         button:focus-visible,select:focus-visible{{outline:3px solid #ffbf47;outline-offset:2px}} .note{{color:#555;font-size:.9rem}}\
         </style></head><body><main>{body}</main></body></html>"
    )
}

fn sign_in_page(sim: &Sim, req: &AuthRequest) -> Response {
    let w = sim.lock();
    let mut options = String::new();
    for (i, u) in w.dir.users.iter().enumerate() {
        let queues = if u.role == Role::Supervisor {
            "all queues".to_string()
        } else {
            u.queue_ids
                .iter()
                .filter_map(|q| w.dir.queue(*q))
                .map(|q| q.name)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let selected = if i == 0 { " selected" } else { "" };
        options.push_str(&format!(
            "<option value=\"{}\"{selected}>{} — {}</option>",
            u.id,
            text(&u.name),
            text(&queues)
        ));
    }
    drop(w);
    let hidden = [
        ("client_id", Some(req.client_id.as_str())),
        ("response_type", Some(req.response_type.as_str())),
        ("redirect_uri", Some(req.redirect_uri.as_str())),
        ("state", req.state.as_deref()),
        ("code_challenge", req.code_challenge.as_deref()),
        (
            "code_challenge_method",
            req.code_challenge_method.as_deref(),
        ),
    ]
    .into_iter()
    .filter_map(|(k, v)| {
        v.map(|v| format!("<input type=\"hidden\" name=\"{k}\" value=\"{}\">", attr(v)))
    })
    .collect::<String>();
    let body = format!(
        "<h1>Sign in to gc-sim</h1>\
         <p class=\"note\">A simulated Genesys Cloud login for <strong>{client}</strong>. Pick who you are.</p>\
         <form method=\"post\" action=\"/oauth/authorize\">{hidden}\
         <label for=\"user\">Sign in as</label>\
         <select id=\"user\" name=\"user_id\">{options}</select>\
         <div class=\"actions\"><button id=\"sign-in\" type=\"submit\">Sign in</button>\
         <button id=\"deny\" type=\"submit\" name=\"deny\" value=\"1\">Cancel</button></div></form>",
        client = text(&req.client_id),
    );
    let mut res = Html(page("Sign in — gc-sim", &body)).into_response();
    res.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn redirect(location: &str) -> Response {
    let mut res = StatusCode::FOUND.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        res.headers_mut().insert(LOCATION, v);
    }
    res.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// `redirect_uri#k=v&…` (implicit grant: parameters in the fragment, form-urlencoded).
fn with_fragment(redirect_uri: &str, pairs: &[(&str, &str)]) -> String {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        ser.append_pair(k, v);
    }
    let base = redirect_uri.split('#').next().unwrap_or(redirect_uri);
    format!("{base}#{}", ser.finish())
}

/// `redirect_uri?…&k=v` (code flow: parameters in the query).
fn with_query(redirect_uri: &str, pairs: &[(&str, &str)]) -> String {
    match url::Url::parse(redirect_uri) {
        Ok(mut u) => {
            u.set_fragment(None);
            {
                let mut q = u.query_pairs_mut();
                for (k, v) in pairs {
                    q.append_pair(k, v);
                }
            }
            u.to_string()
        }
        Err(_) => redirect_uri.to_string(),
    }
}

fn error_redirect(req: &AuthRequest, error: &str, description: &str) -> Response {
    let mut pairs = vec![("error", error), ("error_description", description)];
    if let Some(s) = &req.state {
        pairs.push(("state", s));
    }
    let loc = if req.response_type == "code" {
        with_query(&req.redirect_uri, &pairs)
    } else {
        with_fragment(&req.redirect_uri, &pairs)
    };
    redirect(&loc)
}

/// Finishes a successful authorize for `user_id`: token in the fragment or a code in the query.
fn complete(sim: &Sim, req: &AuthRequest, user_id: Uuid) -> Response {
    let mut w = sim.lock();
    if req.response_type == "code" {
        let code = random_secret(24);
        w.auth_codes.insert(
            code.clone(),
            AuthCode {
                user_id,
                client_id: req.client_id.clone(),
                redirect_uri: req.redirect_uri.clone(),
                challenge: req.code_challenge.clone().unwrap_or_default(),
                expires: now() + time::Duration::seconds(uc::AUTH_CODE_LIFETIME_SECS),
            },
        );
        drop(w);
        let mut pairs = vec![("code", code.as_str())];
        if let Some(s) = &req.state {
            pairs.push(("state", s));
        }
        return redirect(&with_query(&req.redirect_uri, &pairs));
    }
    let (token, expires_in) = w.issue_token(user_id, &req.client_id, sim.cfg.token_lifetime);
    drop(w);
    let expires_in = expires_in.to_string();
    let mut pairs = vec![
        ("access_token", token.as_str()),
        ("expires_in", expires_in.as_str()),
        ("token_type", uc::TOKEN_TYPE),
    ];
    if let Some(s) = &req.state {
        pairs.push(("state", s));
    }
    redirect(&with_fragment(&req.redirect_uri, &pairs))
}

/// Checks response_type / PKCE parameters; `Some(response)` is an error redirect.
fn check_request(req: &AuthRequest) -> Option<Response> {
    match req.response_type.as_str() {
        "token" => None,
        "code" => {
            if req.code_challenge.is_none() {
                Some(error_redirect(
                    req,
                    "invalid_request",
                    "code_challenge is required for this public client",
                ))
            } else if req.code_challenge_method.as_deref().unwrap_or("plain") != "S256" {
                Some(error_redirect(
                    req,
                    "invalid_request",
                    "code_challenge_method must be S256",
                ))
            } else {
                None
            }
        }
        _ => Some(error_redirect(
            req,
            "unsupported_response_type",
            "response_type must be token or code",
        )),
    }
}

/// The values of the login-session cookies the browser sent, in order.
fn session_cookies(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|h| {
            Cookie::split_parse(h.to_string())
                .filter_map(Result::ok)
                .collect::<Vec<_>>()
        })
        .filter(|c| c.name() == SESSION_COOKIE)
        .map(|c| c.value().to_owned())
        .collect()
}

fn session_user(sim: &Sim, headers: &HeaderMap) -> Option<Uuid> {
    let session = session_cookies(headers).into_iter().next()?;
    sim.lock().sessions.get(&session).copied()
}

async fn authorize_get(
    State(sim): State<Arc<Sim>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let params = Params::parse(raw.as_deref());
    let req = AuthRequest::from_lookup(|k| params.get(k).map(str::to_string));
    if !client_ok(&sim, &req.client_id, &req.redirect_uri) {
        return invalid_client_page();
    }
    if let Some(res) = check_request(&req) {
        return res;
    }
    if req.prompt.as_deref() != Some("login")
        && let Some(user) = session_user(&sim, &headers)
    {
        return complete(&sim, &req, user);
    }
    sign_in_page(&sim, &req)
}

async fn authorize_post(
    State(sim): State<Arc<Sim>>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let req = AuthRequest::from_lookup(|k| form.get(k).cloned());
    if !client_ok(&sim, &req.client_id, &req.redirect_uri) {
        return invalid_client_page();
    }
    if let Some(res) = check_request(&req) {
        return res;
    }
    if form.get("deny").is_some_and(|v| !v.is_empty()) {
        return error_redirect(&req, "access_denied", uc::DENIED_DESCRIPTION);
    }
    let user = form
        .get("user_id")
        .and_then(|s| Uuid::parse_str(s).ok())
        .filter(|id| sim.lock().dir.user(*id).is_some());
    let Some(user) = user else {
        return error_redirect(&req, "invalid_request", "Unknown user");
    };
    let session = random_secret(24);
    sim.lock().sessions.insert(session.clone(), user);
    let mut res = complete(&sim, &req, user);
    let cookie = Cookie::build((SESSION_COOKIE, session))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .build();
    if let Ok(v) = HeaderValue::from_str(&cookie.to_string()) {
        res.headers_mut().append(SET_COOKIE, v);
    }
    res
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    let mut res = (status, Json(uc::oauth_error(error, description))).into_response();
    res.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// `grant_type` values `POST /oauth/token` accepts from a public (browser) client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum GrantType {
    AuthorizationCode,
    RefreshToken,
}

/// The token answer (RFC 6749 §5.1); `no-store` as the RFC requires.
fn token_answer(token: String, expires_in: u64, refresh_token: Option<String>) -> Response {
    let mut body =
        json!({ "access_token": token, "token_type": uc::TOKEN_TYPE, "expires_in": expires_in });
    if let Some(r) = refresh_token {
        body["refresh_token"] = json!(r);
    }
    let mut res = Json(body).into_response();
    res.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// A refresh token to go with a PKCE-grant access token, when the switch says Genesys issues one.
fn maybe_refresh_token(w: &mut World, user_id: Uuid, client_id: &str) -> Option<String> {
    w.faults.pkce_refresh_tokens.then(|| {
        let lifetime = std::time::Duration::from_secs(uc::REFRESH_TOKEN_LIFETIME_SECS);
        w.issue_refresh_token(user_id, client_id, lifetime)
    })
}

/// `POST /oauth/token`: `authorization_code` + `code_verifier`, or `refresh_token`; form-encoded,
/// `client_id`, no client secret (reference §2.5).
async fn token_post(
    State(sim): State<Arc<Sim>>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| field(&form, k);
    let Ok(grant) = GrantType::deserialize(StrDeserializer::<serde::de::value::Error>::new(get(
        "grant_type",
    ))) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "grant_type must be authorization_code or refresh_token",
        );
    };
    if !sim.cfg.client_ids.iter().any(|c| c == get("client_id")) {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_client",
            "client not found",
        );
    }
    match grant {
        GrantType::AuthorizationCode => redeem_code(&sim, &form),
        GrantType::RefreshToken => refresh(&sim, get("refresh_token"), get("client_id")),
    }
}

/// A form field, empty when absent.
fn field<'a>(form: &'a HashMap<String, String>, key: &str) -> &'a str {
    form.get(key).map(String::as_str).unwrap_or_default()
}

fn redeem_code(sim: &Sim, form: &HashMap<String, String>) -> Response {
    let get = |k: &str| field(form, k);
    let mut w = sim.lock();
    // Codes are single-use: removed before any check so a failed attempt burns them too.
    let Some(code) = w.auth_codes.remove(get("code")) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "authorization code is invalid or was already used",
        );
    };
    if code.expires < now() {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "authorization code expired",
        );
    }
    if code.client_id != get("client_id") || code.redirect_uri != get("redirect_uri") {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "client_id or redirect_uri does not match the authorization request",
        );
    }
    let verifier = get("code_verifier");
    let ok_shape = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
    if !ok_shape || URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) != code.challenge {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "code_verifier does not match code_challenge",
        );
    }
    let (token, expires_in) = w.issue_token(code.user_id, &code.client_id, sim.cfg.token_lifetime);
    let refresh_token = maybe_refresh_token(&mut w, code.user_id, &code.client_id);
    drop(w);
    token_answer(token, expires_in, refresh_token)
}

/// The refresh grant: a new access token and a rotated refresh token; the old access token keeps
/// working until its own expiry.
fn refresh(sim: &Sim, refresh_token: &str, client_id: &str) -> Response {
    let mut w = sim.lock();
    let stored = match w.redeem_refresh_token(refresh_token, client_id) {
        Ok(stored) => stored,
        Err(refusal) => {
            let description = match refusal {
                RefreshRefusal::Unknown => "refresh token is invalid or was already used",
                RefreshRefusal::Expired => "refresh token expired",
                RefreshRefusal::WrongClient => "refresh token was issued to another client",
            };
            return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", description);
        }
    };
    let (token, expires_in) =
        w.issue_token(stored.user_id, &stored.client_id, sim.cfg.token_lifetime);
    let rotated = maybe_refresh_token(&mut w, stored.user_id, &stored.client_id);
    drop(w);
    token_answer(token, expires_in, rotated)
}

/// `GET /logout?client_id&redirect_uri`: ends the login session.
async fn logout(
    State(sim): State<Arc<Sim>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let params = Params::parse(raw.as_deref());
    {
        let mut w = sim.lock();
        for session in session_cookies(&headers) {
            w.sessions.remove(&session);
        }
    }
    let expired = Cookie::build((SESSION_COOKIE, ""))
        .path("/")
        .max_age(time::Duration::ZERO)
        .build();
    let mut res = match (params.get("client_id"), params.get("redirect_uri")) {
        (Some(c), Some(r)) if client_ok(&sim, c, r) => redirect(r),
        _ => Html(page(
            "Signed out",
            "<h1>Signed out</h1><p>You have been signed out of gc-sim.</p>",
        ))
        .into_response(),
    };
    if let Ok(v) = HeaderValue::from_str(&expired.to_string()) {
        res.headers_mut().append(SET_COOKIE, v);
    }
    res
}

async fn tokens_me(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
) -> ApiResult<Json<serde_json::Value>> {
    let w = sim.lock();
    // `TokenInfo.organization` is a `NamedEntity`: id and name only.
    let org = json!({ "id": w.dir.org_id, "name": w.dir.org_name });
    let idles = w
        .tokens
        .get(&caller.token)
        .map(|t| crate::clock::iso(t.expires));
    Ok(Json(crate::store::conversation::strip_nulls(json!({
        "organization": org,
        "homeOrganization": org,
        "authorizedScope": ["analytics:readonly", "conversations", "notifications", "routing:readonly", "users:readonly"],
        "dateTokenIdles": idles,
        "OAuthClient": { "id": caller.client_id, "name": caller.client_id, "organization": { "id": w.dir.org_id } },
    }))))
}

async fn tokens_me_head(_caller: Caller) -> StatusCode {
    StatusCode::OK
}

async fn tokens_me_delete(State(sim): State<Arc<Sim>>, caller: Caller) -> Response {
    {
        let mut w = sim.lock();
        if let Some(t) = w.tokens.get_mut(&caller.token) {
            t.revoked = true;
        }
        w.drop_invalid_channels();
    }
    no_content()
}
