//! What this tab keeps in sessionStorage between leaving for the sign-in page and coming back: the
//! encoded `state` and, for PKCE, the code verifier. Taking them deletes them, whatever happens next.

use web_sys::{Storage, window};

use crate::types::sign_in::SignInError;

const STATE_KEY: &str = "wrapup-live.sign-in.state";
const VERIFIER_KEY: &str = "wrapup-live.sign-in.verifier";
/// Written by earlier versions of the widget; cleared so nothing stale is left behind.
const LEGACY_KEY: &str = "wrapup-live.pending-sign-in";

/// The round trip's values as this tab stored them; either may be missing.
#[derive(Default)]
pub struct RoundTrip {
    /// The encoded `state` sent to the sign-in page.
    pub state: Option<String>,
    /// The PKCE code verifier (absent for the implicit grant).
    pub verifier: Option<String>,
}

impl RoundTrip {
    /// Keep `state` (and `verifier`) for the coming redirect, replacing any earlier round trip.
    pub fn keep(state: &str, verifier: Option<&str>) -> Result<(), SignInError> {
        let storage = storage().ok_or_else(|| {
            SignInError::Browser(
                "sessionStorage is blocked, and sign-in needs it to check the response".into(),
            )
        })?;
        let written = storage
            .set_item(STATE_KEY, state)
            .and_then(|()| match verifier {
                Some(verifier) => storage.set_item(VERIFIER_KEY, verifier),
                None => storage.remove_item(VERIFIER_KEY),
            });
        written.map_err(|_| SignInError::Browser("sessionStorage refused the sign-in state".into()))
    }

    /// Read and delete the round trip's values.
    pub fn take() -> Self {
        let Some(storage) = storage() else {
            return Self::default();
        };
        let read = |key| storage.get_item(key).ok().flatten();
        let taken = Self {
            state: read(STATE_KEY),
            verifier: read(VERIFIER_KEY),
        };
        for key in [STATE_KEY, VERIFIER_KEY, LEGACY_KEY] {
            let _ = storage.remove_item(key);
        }
        taken
    }
}

fn storage() -> Option<Storage> {
    window()?.session_storage().ok().flatten()
}
