//! Sign-in in a popup, for a frame that cannot show the login page (`gcUsePopupAuth`): the login
//! host refuses to be framed. The frame keeps `state` and the verifier in memory, opens the popup,
//! and the popup (this same page, at the registered redirect URI) hands the raw response back by
//! `postMessage` to this origin only. The frame takes it only from that popup and this origin, then
//! checks `state` as for a redirect. Nothing secret touches the host's view or any storage.

use std::cell::RefCell;

use gloo_events::EventListener;
use gloo_timers::callback::Interval;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use web_sys::{Window, window};
use wrapup_core::oauth::state::SignInState;
use wrapup_core::oauth::{self, returned_state};
use yew::Callback;

use super::round_trip::RoundTrip;
use super::verify;
use crate::services::js_json::{from_js, messages_from, to_js};
use crate::types::sign_in::{SignInError, SignInReturn};

/// The popup's window name: a second Sign in reuses the open popup instead of stacking another.
const POPUP_NAME: &str = "wrapup-live-sign-in";
const POPUP_FEATURES: &str = "popup,width=520,height=700";

/// What the popup posts back: the response exactly as it arrived.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Relayed {
    wrapup_live_sign_in: Response,
}

#[derive(Serialize, Deserialize)]
struct Response {
    search: String,
    hash: String,
}

/// A sign-in waiting for its popup.
struct Waiting {
    _listener: EventListener,
    _closed_check: Interval,
}

thread_local! {
    /// At most one popup sign-in at a time; a new one replaces (and so cancels) the old.
    static WAITING: RefCell<Option<Waiting>> = const { RefCell::new(None) };
}

/// Open the sign-in page at `url` in a popup and report its verified return (or why not) to `done`.
pub fn open(
    url: &str,
    kept: RoundTrip,
    redirect_uri: String,
    done: Callback<Result<SignInReturn, SignInError>>,
) -> Result<(), SignInError> {
    let own = window().ok_or_else(|| SignInError::Browser("there is no window".into()))?;
    let popup = own
        .open_with_url_and_target_and_features(url, POPUP_NAME, POPUP_FEATURES)
        .ok()
        .flatten()
        .ok_or(SignInError::PopupBlocked)?;
    let origin = own.location().origin().unwrap_or_default();
    let finish = {
        let done = done.clone();
        move |result: Result<SignInReturn, SignInError>| {
            // Dropped after this callback returns: a listener must not free itself while it runs.
            let finished = WAITING.with(|waiting| waiting.borrow_mut().take());
            wasm_bindgen_futures::spawn_local(async move { drop(finished) });
            done.emit(result);
        }
    };
    let kept = RefCell::new(Some(kept));
    let listener = {
        let (popup, finish) = (popup.clone(), finish.clone());
        messages_from(&own, popup.clone(), origin, move |data| {
            let Ok(relayed) = from_js::<Relayed>(&data) else {
                return;
            };
            let Some(kept) = kept.borrow_mut().take() else {
                return;
            };
            popup.close().ok();
            finish(verified(&relayed.wrapup_live_sign_in, &kept, &redirect_uri));
        })
    };
    let closed_check = {
        let popup: Window = popup.clone();
        Interval::new(500, move || {
            if popup.closed().unwrap_or(true) {
                finish(Err(SignInError::PopupClosed));
            }
        })
    };
    popup.focus().ok();
    WAITING.with(|waiting| {
        *waiting.borrow_mut() = Some(Waiting {
            _listener: listener,
            _closed_check: closed_check,
        })
    });
    Ok(())
}

/// In the popup: if this page holds a sign-in response for a popup sign-in and its opener is
/// there, hand the response to the opener (this origin only; the opener closes the popup).
/// Returns whether it did.
pub fn hand_back(search: &str, hash: &str) -> bool {
    let for_popup = returned_state(search)
        .or_else(|| returned_state(hash))
        .and_then(|state| SignInState::decode(&state).ok())
        .is_some_and(|state| state.launch.popup_auth);
    let Some(own) = window() else { return false };
    let opener = own
        .opener()
        .ok()
        .filter(|o| !o.is_null() && !o.is_undefined());
    let (true, Some(opener)) = (for_popup, opener) else {
        return false;
    };
    let message = Relayed {
        wrapup_live_sign_in: Response {
            search: search.to_owned(),
            hash: hash.to_owned(),
        },
    };
    let origin = own.location().origin().unwrap_or_default();
    let opener: Window = opener.unchecked_into();
    to_js(&message).is_ok_and(|message| opener.post_message(&message, &origin).is_ok())
}

fn verified(
    response: &Response,
    kept: &RoundTrip,
    redirect_uri: &str,
) -> Result<SignInReturn, SignInError> {
    let fragment = response.hash.trim_start_matches('#');
    let (state, completion) = if oauth::is_oauth_fragment(fragment) {
        verify::implicit_return(fragment, kept, js_sys::Date::now())?
    } else {
        verify::code_return(&response.search, kept, redirect_uri)?
    };
    Ok(SignInReturn {
        completion,
        watch: state.watch,
    })
}
