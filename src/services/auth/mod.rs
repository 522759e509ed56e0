//! Sign-in: authorization code with PKCE by default, the implicit grant for older clients. The
//! response is scrubbed from the address bar first, `state` must match exactly, tokens stay in memory.

mod launch;
mod popup;
mod round_trip;
mod token;
mod verify;

use web_sys::window;
use wrapup_core::oauth::pkce::{self, CodeVerifier, MIN_VERIFIER_BYTES};
use wrapup_core::oauth::state::{GrantKind, MIN_NONCE_BYTES, SignInState};
use wrapup_core::oauth::{self};
use wrapup_core::platform::{Launch, PlatformError};

pub use launch::{launch_from_query, launch_query, sign_in_options};
pub use token::{exchange, refresh};

use crate::types::sign_in::{Completion, SignInError, SignInReturn, TokenGrant};
use round_trip::RoundTrip;

/// Where the page stands on load.
pub enum Start {
    /// Not signed in yet.
    SignedOut { launch: Launch },
    /// Back from the sign-in page with a verified response; [`complete`] finishes it.
    Returned {
        launch: Launch,
        sign_in: SignInReturn,
    },
    /// Back from the sign-in page, but refused (denied, state mismatch, no verifier, …).
    SignInFailed { launch: Launch, error: SignInError },
    /// The launch parameters themselves are unusable.
    BadLaunch(PlatformError),
    /// This page is a sign-in popup and handed the response to the frame that opened it.
    HandedBack,
}

/// Read the page URL once: a response from the sign-in page is scrubbed from the address bar and
/// this history entry before anything else, then checked; otherwise the launch query is resolved.
pub fn start() -> Start {
    let location = window().expect("a window").location();
    let query = location.search().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    let fragment = hash.strip_prefix('#').unwrap_or(&hash).to_owned();
    let implicit = oauth::is_oauth_fragment(&fragment);
    if !implicit && !pkce::is_code_redirect(&query) {
        return match launch_from_query(&query) {
            Ok(launch) => Start::SignedOut { launch },
            Err(err) => Start::BadLaunch(err),
        };
    }
    if popup::hand_back(&query, &hash) {
        replace_url("");
        return Start::HandedBack;
    }
    replace_url("");
    let kept = RoundTrip::take();
    let verified = if implicit {
        verify::implicit_return(&fragment, &kept, js_sys::Date::now())
    } else {
        verify::code_return(&query, &kept, &redirect_uri())
    };
    match verified {
        Ok((state, completion)) => {
            // A reload now reopens the same launch, with nothing secret in the URL.
            replace_url(&launch_query(&state));
            Start::Returned {
                launch: state.launch,
                sign_in: SignInReturn {
                    completion,
                    watch: state.watch,
                },
            }
        }
        Err(error) => {
            // This tab's own stored state (never the returned one) says where to sign in again.
            let own = kept
                .state
                .as_deref()
                .and_then(|s| SignInState::decode(s).ok());
            if let Some(own) = &own {
                replace_url(&launch_query(own));
            }
            match own
                .map(|s| Ok(s.launch))
                .unwrap_or_else(|| launch_from_query(""))
            {
                Ok(launch) => Start::SignInFailed { launch, error },
                Err(err) => Start::BadLaunch(err),
            }
        }
    }
}

/// Finish a verified sign-in: exchange the code, or take the token the redirect carried.
pub async fn complete(launch: &Launch, sign_in: &SignInReturn) -> Result<TokenGrant, SignInError> {
    match &sign_in.completion {
        Completion::Exchange(code) => exchange(launch, code).await,
        Completion::Token(grant) => Ok(grant.clone()),
    }
}

/// Send the browser to the platform's sign-in page with a fresh `state` (and PKCE verifier), using the
/// grant and watch mode the page was opened with. Returns only if the sign-in could not start. With
/// `gcUsePopupAuth` the page opens in a popup instead, `state` and verifier stay in memory, and the
/// verified return (or why not) goes to `popup_done`.
pub fn begin_sign_in(
    launch: &Launch,
    popup_done: yew::Callback<Result<SignInReturn, SignInError>>,
) -> Result<(), SignInError> {
    let window = window().ok_or_else(|| SignInError::Browser("there is no window".into()))?;
    let location = window.location();
    let (grant, watch) = sign_in_options(&location.search().unwrap_or_default());
    let state = SignInState::new(
        &random_bytes(MIN_NONCE_BYTES)?,
        grant,
        watch,
        launch.clone(),
    )
    .map_err(SignInError::State)?
    .encode();
    let redirect_uri = redirect_uri();
    let (url, verifier) = match grant {
        GrantKind::Pkce => {
            let verifier = CodeVerifier::from_random_bytes(&random_bytes(MIN_VERIFIER_BYTES)?)
                .map_err(SignInError::Verifier)?;
            let url = pkce::authorize_url(
                &launch.platform,
                &launch.client_id,
                &redirect_uri,
                &state,
                &verifier,
            );
            (url, Some(verifier.as_str().to_owned()))
        }
        GrantKind::Implicit => (
            oauth::authorize_url(&launch.platform, &launch.client_id, &redirect_uri, &state),
            None,
        ),
    };
    if launch.popup_auth {
        let kept = RoundTrip {
            state: Some(state),
            verifier,
        };
        return popup::open(url.as_str(), kept, redirect_uri, popup_done);
    }
    RoundTrip::keep(&state, verifier.as_deref())?;
    location
        .assign(url.as_str())
        .map_err(|_| SignInError::Browser("the sign-in page could not be opened".into()))
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

fn random_bytes(len: usize) -> Result<Vec<u8>, SignInError> {
    let mut bytes = vec![0; len];
    window()
        .and_then(|w| w.crypto().ok())
        .and_then(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).ok())
        .ok_or_else(|| SignInError::Browser("secure random numbers are unavailable".into()))?;
    Ok(bytes)
}

/// Replace this history entry's URL with the page path plus `query`, dropping any fragment.
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
