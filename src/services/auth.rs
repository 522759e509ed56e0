//! Sign-in with the OAuth implicit grant. The token lives only in memory: it is read from the
//! redirect fragment, the URL is scrubbed at once, and `state` must match the one this tab sent.

use serde::{Deserialize, Serialize};
use web_sys::window;
use wrapup_core::oauth::{self, FragmentError, Grant};
use wrapup_core::platform::{Launch, PlatformError};

/// sessionStorage key for the sign-in in flight: the `state` sent and the launch query to restore.
/// Per tab, gone when the tab closes, and never holds the token.
const PENDING_SIGN_IN_KEY: &str = "wrapup-live.pending-sign-in";

/// A sign-in this tab started and has not finished.
#[derive(Serialize, Deserialize)]
struct PendingSignIn {
    state: String,
    /// The page's query string at launch (`?sim=…`, `?gcHostOrigin=…&clientId=…`), restored after the redirect.
    query: String,
}

/// Where the page stands on load.
pub enum Start {
    /// Back from the sign-in page with a valid token.
    SignedIn { launch: Launch, grant: Grant },
    /// Not signed in yet.
    SignedOut { launch: Launch },
    /// Back from the sign-in page, but with an error (denied, state mismatch, …).
    SignInFailed {
        launch: Launch,
        error: FragmentError,
    },
    /// The launch parameters themselves are unusable.
    BadLaunch(PlatformError),
}

/// Read the page URL: complete a sign-in in progress or resolve the launch parameters.
pub fn start() -> Start {
    let location = window().expect("a window").location();
    let hash = location.hash().unwrap_or_default();
    let fragment = hash.strip_prefix('#').unwrap_or(&hash);
    if oauth::is_oauth_fragment(fragment) {
        let pending = take_pending();
        let query = pending
            .as_ref()
            .map(|p| p.query.clone())
            .unwrap_or_default();
        // Scrub the token out of the address bar and this history entry before anything else.
        replace_url(&query);
        let launch = match launch_from_query(&query) {
            Ok(launch) => launch,
            Err(err) => return Start::BadLaunch(err),
        };
        return match oauth::parse_fragment(fragment, pending.as_ref().map(|p| p.state.as_str())) {
            Ok(grant) => Start::SignedIn { launch, grant },
            Err(error) => Start::SignInFailed { launch, error },
        };
    }
    match launch_from_query(&location.search().unwrap_or_default()) {
        Ok(launch) => Start::SignedOut { launch },
        Err(err) => Start::BadLaunch(err),
    }
}

/// Send the browser to the platform's sign-in page. Returns only if navigation failed.
pub fn begin_sign_in(launch: &Launch) -> Result<(), String> {
    let window = window().ok_or("no window")?;
    let location = window.location();
    let state = window.crypto().map_err(|_| "no crypto")?.random_uuid();
    let pending = PendingSignIn {
        state: state.clone(),
        query: location.search().unwrap_or_default(),
    };
    let storage =
        window.session_storage().ok().flatten().ok_or(
            "this browser blocks sessionStorage, which sign-in needs to check the response",
        )?;
    let json = serde_json::to_string(&pending).map_err(|e| e.to_string())?;
    storage
        .set_item(PENDING_SIGN_IN_KEY, &json)
        .map_err(|_| "could not write sessionStorage")?;
    let url = oauth::authorize_url(&launch.platform, &launch.client_id, &redirect_uri(), &state);
    location
        .assign(url.as_str())
        .map_err(|_| "could not open the sign-in page".to_owned())
}

/// The redirect URI registered on the OAuth client: this page's origin and path, no query
/// (Genesys matches it exactly, so per-launch context travels in `state` instead).
pub fn redirect_uri() -> String {
    let location = window().expect("a window").location();
    format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    )
}

fn launch_from_query(query: &str) -> Result<Launch, PlatformError> {
    let query = query.strip_prefix('?').unwrap_or(query);
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    Launch::from_query(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

fn take_pending() -> Option<PendingSignIn> {
    let storage = window()?.session_storage().ok()??;
    let json = storage.get_item(PENDING_SIGN_IN_KEY).ok()??;
    let _ = storage.remove_item(PENDING_SIGN_IN_KEY);
    serde_json::from_str(&json).ok()
}

fn replace_url(query: &str) {
    let Some(window) = window() else { return };
    let path = window.location().pathname().unwrap_or_default();
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{query}")),
        );
    }
}
