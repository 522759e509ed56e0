//! The sign-in's life inside App: finishing a returned sign-in, and keeping the token fresh (refresh in
//! the background where a refresh token exists, a "Renew sign-in" notice otherwise).

use gloo_timers::callback::Timeout;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::services::auth;
use crate::state::session::{Phase, Renewal, SessionAction, SessionState};
use crate::types::sign_in::{refresh_delay_ms, renew_notice_delay_ms};

/// Finish a sign-in that came back verified: exchange the code (or take the implicit token), then
/// sign in or explain the failure on the sign-in card.
#[hook]
pub fn use_sign_in_completion(session: &UseReducerHandle<SessionState>) {
    let completing = match &session.phase {
        Phase::CompletingSignIn { launch, sign_in } => Some((launch.clone(), sign_in.clone())),
        _ => None,
    };
    let session = session.clone();
    use_effect_with(completing, move |completing| {
        if let Some((launch, sign_in)) = completing.clone() {
            spawn_local(async move {
                match auth::complete(&launch, &sign_in).await {
                    Ok(grant) => session.dispatch(SessionAction::SignedIn(grant)),
                    Err(err) => session.dispatch(SessionAction::Failed(err.to_string())),
                }
            });
        }
    });
}

/// Keep the token fresh: with a refresh token, refresh in the background before it lapses (or at once
/// after a 401); without one, raise the "Renew sign-in" notice a few minutes ahead.
#[hook]
pub fn use_token_renewal(session: &UseReducerHandle<SessionState>) {
    let signed_in = match &session.phase {
        Phase::SignedIn {
            launch,
            token,
            expires_at_ms,
        } => Some((
            launch.clone(),
            token.clone(),
            *expires_at_ms,
            session.refresh_token.clone(),
            session.renewal == Renewal::RefreshNow,
        )),
        _ => None,
    };
    let session = session.clone();
    use_effect_with(signed_in, move |signed_in| {
        let timer =
            signed_in
                .clone()
                .and_then(|(launch, _, expires_at_ms, refresh_token, refresh_now)| {
                    let remaining = expires_at_ms.map(|at| at - js_sys::Date::now());
                    match refresh_token {
                        Some(refresh_token) => {
                            let delay = if refresh_now {
                                0.0
                            } else {
                                refresh_delay_ms(remaining?)
                            };
                            Some(Timeout::new(delay as u32, move || {
                                spawn_local(async move {
                                    match auth::refresh(&launch, &refresh_token).await {
                                        Ok(grant) => {
                                            session.dispatch(SessionAction::SignedIn(grant))
                                        }
                                        Err(err) => session.dispatch(SessionAction::RefreshFailed(
                                            err.to_string(),
                                        )),
                                    }
                                })
                            }))
                        }
                        None => remaining.map(|remaining| {
                            Timeout::new(renew_notice_delay_ms(remaining) as u32, move || {
                                session.dispatch(SessionAction::RenewalDue)
                            })
                        }),
                    }
                });
        move || drop(timer)
    });
}
