//! The interaction widget's context: one details query (the customer's recent conversations or the agent's last
//! wrap-ups, built by `wrapup_core::lookup::context`), tried once per call and retried here so every wait (a
//! 429's `Retry-After`, 5xx backoff) is reported and can be shown, until the request deadline.

use std::time::Duration;

use wrapup_core::lookup::context::context_rows;
use wrapup_core::query::DetailsQuery;
use wrapup_core::retry::Backoff;

use super::api::Api;
use crate::types::error::ApiError;
use crate::types::interaction::ContextEvent;

/// Runs `query` and reports its rows (without `open_conversation`; with `agent`, only that agent's legs), or each
/// wait and how it ended. Drop the future to stop it.
pub async fn load_context(
    api: &Api,
    query: &DetailsQuery,
    open_conversation: &str,
    agent: Option<&str>,
    report: impl Fn(ContextEvent),
) {
    let once = api.clone().with_retry(Backoff {
        deadline: Duration::ZERO,
        ..Backoff::request()
    });
    let policy = Backoff::request();
    let started_ms = js_sys::Date::now();
    let mut attempt = 0;
    loop {
        let failure = match once.details_query(query).await {
            Ok(response) => {
                let rows = context_rows(&response.conversations, open_conversation, agent);
                return report(ContextEvent::Loaded(rows.into()));
            }
            Err(err) if err.is_transient() => err,
            Err(err) => return report(ContextEvent::Failed(err.to_string())),
        };
        let elapsed =
            Duration::from_secs_f64(((js_sys::Date::now() - started_ms) / 1000.0).max(0.0));
        let Some(wait) = policy.next_delay(
            attempt,
            failure.retry_after(),
            elapsed,
            &mut js_sys::Math::random,
        ) else {
            return report(ContextEvent::Failed(gave_up(&failure)));
        };
        report(ContextEvent::Waiting {
            why: waiting_reason(&failure),
            retry_at_ms: js_sys::Date::now() + wait.as_secs_f64() * 1000.0,
        });
        attempt += 1;
        gloo_timers::future::sleep(wait).await;
    }
}

fn waiting_reason(err: &ApiError) -> String {
    match err {
        ApiError::RateLimited { .. } => {
            "Genesys Cloud is rate-limiting this user (429) and asked the widget to wait."
                .to_owned()
        }
        ApiError::Unavailable { status } => {
            format!("Genesys Cloud is temporarily unavailable ({status}).")
        }
        other => other.to_string(),
    }
}

fn gave_up(err: &ApiError) -> String {
    format!("{err} The widget stopped trying; reopen the conversation to try again.")
}
