//! The browser's shared link over Chromium's real BroadcastChannel: one leader at a time per user,
//! client and watch, the next in line taking over when it goes, and a follower seeing the leader's
//! story so far and then what it forwards, exactly as sent.
#![cfg(target_arch = "wasm32")]

mod support;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use support::{sim_platform, wait_for};
use wasm_bindgen_futures::spawn_local;
use wasm_bindgen_test::*;
use wrapup_core::directory::{NamedEntity, UserMe};
use wrapup_core::export::RowSource;
use wrapup_core::tracker::{Outcome, WrapUpOutcome};
use wrapup_live::services::shared_link::SharedLink;
use wrapup_live::types::live::{Link, LiveEvent, Watch};
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

const WAIT: Duration = Duration::from_secs(5);

/// A link no other test uses.
fn link(watch: &Watch) -> SharedLink {
    let user = format!("user-{}", js_sys::Math::random());
    SharedLink::new(&sim_platform(), "client-1", &user, watch)
}

fn leg(participant: &str, outcome: Outcome) -> WrapUpOutcome {
    WrapUpOutcome {
        conversation_id: "c-1".into(),
        participant_id: participant.into(),
        user_id: Some("agent-1".into()),
        queue_id: Some("q-1".into()),
        media_type: Some("voice".into()),
        outcome,
        code: Some("code-1".into()),
        notes: Some("<b>as text</b>".into()),
        duration_seconds: Some(3),
        end_time: Some("2026-11-30T10:00:00.000Z".into()),
    }
}

#[wasm_bindgen_test]
async fn one_leader_at_a_time_and_the_next_in_line_takes_over() {
    let link = link(&Watch::MyQueues);
    let first = link.lead().await;
    let second_leads = Rc::new(RefCell::new(None));
    {
        let (link, second_leads) = (link.clone(), second_leads.clone());
        spawn_local(async move {
            let leadership = link.lead().await;
            *second_leads.borrow_mut() = Some(leadership);
        });
    }
    gloo_timers::future::sleep(Duration::from_millis(300)).await;
    assert!(
        second_leads.borrow().is_none(),
        "the first leads and says so"
    );
    // Another watch is another link: it leads at once beside the first.
    let _other = link_for_me().lead().await;
    drop(first);
    wait_for("the second instance to lead", WAIT, || {
        second_leads.borrow().is_some()
    })
    .await;
}

fn link_for_me() -> SharedLink {
    link(&Watch::Me)
}

#[wasm_bindgen_test]
async fn a_follower_catches_up_then_sees_what_the_leader_forwards() {
    let link = link(&Watch::Queues(vec!["q-2".into(), "q-1".into()]));
    let forwarding = link.forward().expect("BroadcastChannel");
    let identity = LiveEvent::Identity {
        me: UserMe {
            id: "u-1".into(),
            name: Some("Supervisor".into()),
            email: None,
        },
        queues: vec![NamedEntity {
            id: "q-1".into(),
            name: Some("Billing".into()),
        }],
    };
    forwarding.send(&identity);
    forwarding.send(&LiveEvent::Link(Link::Live));
    forwarding.send(&LiveEvent::Outcomes(vec![leg("p-1", Outcome::Submitted)]));
    forwarding.send(&LiveEvent::Frame("{\"raw\":1}".into()));

    let seen = Rc::new(RefCell::new(Vec::new()));
    let following = {
        let seen = seen.clone();
        link.follow(Callback::from(move |event| seen.borrow_mut().push(event)))
    }
    .expect("BroadcastChannel");
    wait_for("the catch-up", WAIT, || seen.borrow().len() >= 4).await;
    {
        let seen = seen.borrow();
        assert_eq!(
            seen[0], identity,
            "identity first: the follower reads its saved feed then"
        );
        let LiveEvent::Shown(rows) = &seen[2] else {
            panic!("rows after names: {seen:?}")
        };
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].outcome, leg("p-1", Outcome::Submitted));
        assert_eq!(rows[0].source, RowSource::Live);
        assert_eq!(seen.last(), Some(&LiveEvent::Link(Link::Live)));
        assert!(
            !seen.iter().any(|e| matches!(e, LiveEvent::Frame(_))),
            "raw frames stay with the leader"
        );
    }
    let before = seen.borrow().len();
    let late = LiveEvent::RecoveredOutcomes(vec![leg("p-2", Outcome::TimedOut)]);
    forwarding.send(&late);
    wait_for("the forwarded event", WAIT, || seen.borrow().len() > before).await;
    assert_eq!(seen.borrow()[before], late);
    drop(following);
}
