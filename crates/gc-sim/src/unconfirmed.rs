//! Every behaviour the reference marks UNCONFIRMED (or does not cover) and the simulator had to choose.
//! One place, so a reader can see at a glance which parts of gc-sim are guesses rather than the contract:
//! error codes, OAuth details (including refresh tokens for PKCE), notification frames and closes
//! (including a dead channel reported on the open socket), and analytics limits.

use serde_json::{Value, json};

/// 401 body `code` for a missing `Authorization` header (reference §9: 401 `code` UNCONFIRMED).
pub const CODE_AUTH_REQUIRED: &str = "authentication.required";
/// 401 body `code` for an unknown, expired or revoked token (UNCONFIRMED).
pub const CODE_BAD_CREDENTIALS: &str = "bad.credentials";
/// 429 body: the reference says "assume the standard error body" (§9); `code` value UNCONFIRMED.
pub const CODE_TOO_MANY_REQUESTS: &str = "too.many.requests";
/// 503 body `code` (UNCONFIRMED).
pub const CODE_UNAVAILABLE: &str = "service.unavailable";
/// 403 for an object in a division the caller cannot see (e.g. a Restricted wrap-up code); UNCONFIRMED
/// whether real Genesys answers 403 or 404 here.
pub const CODE_MISSING_DIVISION_PERMISSION: &str = "missing.division.permission";
/// 403 for a missing permission (e.g. an agent reading another agent's analytics record).
pub const CODE_MISSING_PERMISSIONS: &str = "missing.permissions";

/// `Retry-After` for 429s forced through `/sim/faults` (`force429`): short so tests stay fast.
pub const FORCED_429_RETRY_AFTER_SECS: u64 = 1;

/// `token_type` in the implicit-grant fragment: RFC 6749 §4.2.2 value, UNCONFIRMED for Genesys (§2.2).
pub const TOKEN_TYPE: &str = "bearer";
/// `error_description` for a denied sign-in; `access_denied` itself is UNCONFIRMED (§2.2).
pub const DENIED_DESCRIPTION: &str = "The user denied the authorization request";
/// Lifetime of an authorization code (PKCE) before `/oauth/token` must redeem it.
pub const AUTH_CODE_LIFETIME_SECS: i64 = 60;

/// Whether the PKCE (authorization-code) token answer carries a `refresh_token` for a browser
/// client: UNCONFIRMED (§2.5). Default on: a Genesys consultant says it does [COMM-IMPLICIT] and
/// the JS SDK reads `refresh_token` from code-grant answers [JS-API]; widgets must still cope
/// without one, which `--pkce-refresh-tokens off` (or `/sim/faults`) shows.
pub const PKCE_REFRESH_TOKENS: bool = true;
/// Wall-clock lifetime of a refresh token (UNCONFIRMED; 30 days is a common OAuth server default).
/// Refreshing rotates it: the old one is refused from then on (RFC 9700 §4.14 for public clients;
/// whether Genesys rotates is UNCONFIRMED).
pub const REFRESH_TOKEN_LIFETIME_SECS: u64 = 30 * 24 * 3600;

/// `/oauth/token` error body: RFC 6749 §5.2 `error` + `error_description`, plus `description`
/// (some Genesys responses use that name). UNCONFIRMED.
pub fn oauth_error(error: &str, description: &str) -> Value {
    json!({ "error": error, "error_description": description, "description": description })
}

/// Body of `v2.system.socket_closing` (§4.4: what it actually contains is UNCONFIRMED). Shaped after
/// `SystemMessageSystemMessage` with a human-readable `message`.
pub fn socket_closing_body(channel_id: &str, user_id: &str) -> Value {
    json!({
        "channelId": channel_id,
        "userId": user_id,
        "message": "The WebSocket will be closed by the server in about one minute; reconnect to the same connectUri.",
    })
}

/// A second WebSocket on a channel that already has one: "one connection per channel" (§4.2,
/// official wording UNCONFIRMED). gc-sim lets the newest connection win and closes the old one
/// with this code and reason, which keeps the Java SDK's socket_closing recipe (open new, then
/// close old) working.
pub const REPLACED_CLOSE: (u16, &str) = (4000, "Another connection was opened for this channel");
/// Close sent when a channel expires, is evicted, or its token expires (UNCONFIRMED).
pub const CHANNEL_GONE_CLOSE: (u16, &str) = (1000, "Channel is no longer valid");

/// The frame a socket gets when its channel is gone but the server reports it on the open socket
/// instead of closing (§4.4, from the third-party koodaamo/genesys-notifications client, which
/// matches only `{"result":"404"}`): the `message` wording is UNCONFIRMED.
pub fn channel_gone_message(channel_id: &str) -> Value {
    json!({ "result": "404", "message": format!("Channel {channel_id} was not found or is no longer valid") })
}
/// After [`channel_gone_message`] the socket stays open, silent (no heartbeats, no pongs), until the
/// client closes it or this many wall-clock seconds pass (`Config::channel_gone_grace`); then
/// [`CHANNEL_GONE_CLOSE`]. UNCONFIRMED: longer than a 35 s silence watchdog, so a test can tell
/// "reacted to the frame" from "reacted to the close".
pub const CHANNEL_GONE_MESSAGE_GRACE_SECS: u64 = 60;
/// Close sent at the end of the socket_closing grace period (UNCONFIRMED).
pub const SOCKET_CLOSING_CLOSE: (u16, &str) = (1001, "Server is closing this connection");

/// `GET …/participants/{pid}/wrapup` when nothing has been assigned: real answer UNCONFIRMED;
/// gc-sim answers 404 with the standard error body.
pub const NO_WRAPUP_MESSAGE: &str = "No wrap-up code has been assigned to this participant";

/// Largest `paging.pageSize` accepted by the synchronous details query: a Genesys blog sample calls
/// 200 the maximum (§6.3, BLOG-ANALYTICS); the official limit is UNCONFIRMED.
pub const MAX_DETAILS_PAGE_SIZE: u64 = 200;
/// Largest `pageSize` on directory listings (UNCONFIRMED; real listings commonly cap at 500).
pub const MAX_LIST_PAGE_SIZE: usize = 500;
/// Most ids accepted by the analytics multi-get (UNCONFIRMED).
pub const MAX_MULTI_GET_IDS: usize = 100;
/// Default and maximum `pageSize` on async job results (UNCONFIRMED).
pub const JOB_RESULTS_PAGE_SIZE: (usize, usize) = (100, 1000);
/// Simulated seconds a job spends QUEUED, then PENDING (real timings UNCONFIRMED).
pub const JOB_QUEUED_SECS: f64 = 2.0;
/// See [`JOB_QUEUED_SECS`].
pub const JOB_PENDING_SECS: f64 = 3.0;
/// Extra simulated PENDING seconds per day of a job's interval: a longer window takes the data lake longer
/// (real timings UNCONFIRMED; 20 s a day makes a week's job run long enough to be cancelled).
pub const JOB_PENDING_SECS_PER_DAY: f64 = 20.0;
/// Simulated lifetime of a job's results before EXPIRED (UNCONFIRMED).
pub const JOB_EXPIRY_SECS: i64 = 24 * 3600;
/// Whether the details query omits `conversations` when nothing matched (observed in the wild as
/// `{"totalHits":0}`, UNCONFIRMED); widgets must treat the array as optional either way.
pub const OMIT_EMPTY_CONVERSATIONS: bool = true;

/// `ChannelTopic.rejectionReason` texts (UNCONFIRMED wording).
pub const REJECT_UNKNOWN_TOPIC: &str = "Topic not found or not supported";
/// See [`REJECT_UNKNOWN_TOPIC`].
pub const REJECT_NOT_PERMITTED: &str = "User is not authorized to subscribe to this topic";
/// See [`REJECT_UNKNOWN_TOPIC`].
pub const REJECT_TOO_LONG: &str = "Topic id must be shorter than 200 characters";

/// `callbackIdentifiers` in the create-callback response (types UNCONFIRMED).
pub fn callback_identifiers(customer_participant: &str, acd_participant: &str) -> Value {
    json!([
        { "type": "EXTERNAL", "id": customer_participant },
        { "type": "ACD", "id": acd_participant },
    ])
}
