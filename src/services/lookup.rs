//! Looking up one conversation: the real-time conversation once, then its analytics record until the record
//! and every agent leg's wrap-up are indexed, waiting between tries on the lookup's backoff (a 429's
//! `Retry-After` wins) and saying why and until when, so the panel can count down.

use std::rc::Rc;
use std::time::Duration;

use wrapup_core::diagnosis::explain;
use wrapup_core::lookup::{TYPICAL_INDEXING_LAG, indexing_backoff, not_final};
use wrapup_core::retry::Backoff;

use super::api::Api;
use crate::types::error::ApiError;
use crate::types::lookup::{LookupEvent, WaitReason};

/// Looks `conversation_id` up with `api`, reporting each step to `report`, until a final record, the
/// deadline or a failure. Drop the future to stop it.
pub async fn look_up(api: &Api, conversation_id: &str, report: impl Fn(LookupEvent)) {
    let realtime = api.realtime_conversation(conversation_id).await;
    report(LookupEvent::Realtime(
        realtime.map(|c| c.map(Rc::new)).map_err(|e| e.to_string()),
    ));
    // One try per fetch: waiting (and saying so) is this loop's job, not the client's.
    let once = api.clone().with_retry(Backoff {
        deadline: Duration::ZERO,
        ..Backoff::request()
    });
    let policy = indexing_backoff();
    let started_ms = js_sys::Date::now();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let (why, retry_after) = match once.analytics_details(conversation_id).await {
            Ok(Some(record)) => {
                let explanation = explain(&record);
                let pending = not_final(&explanation);
                report(LookupEvent::Record {
                    record: Rc::new(record),
                    explanation: Rc::new(explanation),
                    pending,
                });
                if !pending {
                    return;
                }
                (WaitReason::WrapupNotIndexed, None)
            }
            Ok(None) => (WaitReason::NotIndexed, None),
            Err(ApiError::RateLimited { retry_after }) => (WaitReason::Throttled, retry_after),
            Err(err) if err.is_transient() => (WaitReason::Unavailable(err.to_string()), None),
            Err(err) => return report(LookupEvent::Failed(err.to_string())),
        };
        let elapsed =
            Duration::from_secs_f64(((js_sys::Date::now() - started_ms) / 1000.0).max(0.0));
        let Some(wait) = policy.next_delay(
            attempts - 1,
            retry_after,
            elapsed,
            &mut js_sys::Math::random,
        ) else {
            return report(LookupEvent::GaveUp(give_up_message(&why, policy.deadline)));
        };
        report(LookupEvent::Waiting {
            why,
            retry_at_ms: js_sys::Date::now() + wait.as_secs_f64() * 1000.0,
            attempts,
        });
        gloo_timers::future::sleep(wait).await;
    }
}

fn give_up_message(why: &WaitReason, deadline: Duration) -> String {
    let minutes = deadline.as_secs() / 60;
    match why {
        WaitReason::NotIndexed => format!(
            "Analytics still has no record of this conversation after {minutes} minutes of trying ({TYPICAL_INDEXING_LAG}). Check the id and the region, then press Look up again."
        ),
        WaitReason::WrapupNotIndexed => format!(
            "The record is there but an agent's wrap-up is still not indexed after {minutes} minutes ({TYPICAL_INDEXING_LAG}). The verdicts below are as of now; press Look up again later."
        ),
        WaitReason::Throttled | WaitReason::Unavailable(_) => format!(
            "Genesys Cloud kept refusing or failing the request for {minutes} minutes. Try Look up again later."
        ),
    }
}
