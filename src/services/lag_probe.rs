//! The lag probe: takes the newest wrap-up the feed showed live, polls its analytics record every
//! [`PROBE_EVERY`] until the submitted code is there (the lag) or [`PROBE_GIVE_UP`] has passed, then
//! takes the next. One request at a time, so it never spends more than 12 requests a minute of the
//! budget it shares with the feed.

use std::time::Duration;

use gloo_timers::future::sleep;
use wrapup_core::lookup::lag::{PROBE_EVERY, PROBE_GIVE_UP, code_indexed};

use crate::services::api::Api;
use crate::types::lag::{LagEvent, ProbeTarget};

/// Run until the future is dropped. `next` hands over the newest wrap-up seen live since the last
/// call, if any; `report` hears every step.
pub async fn run(api: Api, next: impl Fn() -> Option<ProbeTarget>, report: impl Fn(LagEvent)) {
    // Said once per wait, not every 5 s: each report re-renders the panel.
    let mut waiting_said = false;
    loop {
        let Some(target) = next() else {
            if !waiting_said {
                report(LagEvent::Measuring(None));
                waiting_said = true;
            }
            sleep(PROBE_EVERY).await;
            continue;
        };
        waiting_said = false;
        report(LagEvent::Measuring(Some(target.clone())));
        let outcome = measure(&api, target, &report).await;
        report(outcome);
    }
}

/// Poll one wrap-up's analytics record until its code is indexed or the give-up time has passed.
async fn measure(api: &Api, target: ProbeTarget, report: &impl Fn(LagEvent)) -> LagEvent {
    loop {
        let since_seen = since(target.seen_live_ms);
        if since_seen > PROBE_GIVE_UP {
            return LagEvent::GaveUp(target);
        }
        match api.analytics_details(&target.conversation_id).await {
            Ok(Some(record)) if code_indexed(&record, &target.participant_id, &target.code) => {
                return LagEvent::Measured {
                    lag: since(target.seen_live_ms),
                    target,
                };
            }
            Ok(_) => {}
            Err(err) => report(LagEvent::Problem(format!(
                "Looking up {} failed ({err}); trying again in {} s.",
                target.conversation_id,
                PROBE_EVERY.as_secs()
            ))),
        }
        sleep(PROBE_EVERY).await;
    }
}

fn since(ms: u64) -> Duration {
    Duration::from_millis((js_sys::Date::now() as u64).saturating_sub(ms))
}
