//! The interaction widget's compact view in a real browser against gc-sim: a scripted conversation with earlier
//! conversations from the same caller and by the same agent, the live engine filling the feed, and the view's
//! legs, verdicts and context rows compared with what gc-sim recorded (`/sim/truth`, the script), code names
//! included. Bad input (a malformed id, an id gc-sim does not know) and 429/503 while loading context too.
#![cfg(target_arch = "wasm32")]

mod support;

use std::cell::RefCell;
use std::time::Duration;

use futures::future::{AbortHandle, Abortable};
use serde_json::{Value, json};
use support::{
    directory_entry, first_user_with_role, mount, sim_admin, sim_get, sim_platform, sim_token,
    wait_for,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Element;
use wrapup_core::export::RowSource;
use wrapup_core::lookup::context::{context_window, customer_query};
use wrapup_core::lookup::not_final;
use wrapup_live::app::interaction::InteractionView;
use wrapup_live::services::api::Api;
use wrapup_live::services::context::load_context;
use wrapup_live::services::live::LiveEngine;
use wrapup_live::state::feed::{FeedAction, FeedState, system_code_label};
use wrapup_live::types::interaction::ContextEvent;
use wrapup_live::types::live::LiveEvent;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The view with a feed the live engine fills (as App does), or an empty feed.
#[derive(Properties, PartialEq)]
struct HarnessProps {
    conversation_id: AttrValue,
    api: Api,
    live: bool,
}

#[function_component(Harness)]
fn harness(props: &HarnessProps) -> Html {
    let feed = use_reducer(FeedState::default);
    {
        let feed = feed.clone();
        let (api, live) = (props.api.clone(), props.live);
        use_effect_with((), move |_| {
            let (stop, registration) = AbortHandle::new_pair();
            if live {
                let report = Callback::from(move |event: LiveEvent| match event {
                    LiveEvent::Outcomes(outcomes) => feed.dispatch(FeedAction::Outcomes {
                        outcomes,
                        source: RowSource::Live,
                        now_ms: js_sys::Date::now(),
                    }),
                    LiveEvent::Pending(pending) => feed.dispatch(FeedAction::Pending(pending)),
                    LiveEvent::Names(names) => feed.dispatch(FeedAction::Names(names)),
                    _ => {}
                });
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = Abortable::new(LiveEngine::new(api, report).run(), registration).await;
                });
            }
            move || stop.abort()
        });
    }
    html! {
        <InteractionView conversation_id={props.conversation_id.clone()} api={props.api.clone()} {feed} />
    }
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().dyn_into::<Element>().unwrap())
        .collect()
}

fn attr(element: &Element, name: &str) -> String {
    element.get_attribute(name).unwrap_or_default()
}

fn text(element: &Element, selector: &str) -> String {
    element
        .query_selector(selector)
        .unwrap()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

/// A caller address no other run uses, so the customer's history is exactly what this test scripts.
fn fresh_ani() -> String {
    format!("tel:+1999{:07}", (js_sys::Math::random() * 1e7) as u64)
}

/// Starts a scripted conversation and waits until gc-sim records its legs' outcomes.
async fn script(body: Value) -> Value {
    let started = sim_admin("/sim/conversations", body).await;
    let id = started["conversationId"].as_str().unwrap().to_owned();
    let legs = started["legs"].as_array().unwrap().len();
    for _ in 0..600 {
        if truth_of(&id).await.len() >= legs {
            return started;
        }
        gloo_timers::future::sleep(Duration::from_millis(100)).await;
    }
    panic!("gc-sim did not record the outcomes of {id}");
}

/// gc-sim's outcomes for a conversation.
async fn truth_of(conversation: &str) -> Vec<Value> {
    sim_get("/sim/truth").await["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["conversationId"] == conversation)
        .cloned()
        .collect()
}

/// Waits until analytics has a final record of `conversation` (its wrap-up indexed).
async fn indexed(api: &Api, conversation: &str) {
    for _ in 0..300 {
        if let Ok(Some(record)) = api.analytics_details(conversation).await
            && !not_final(&wrapup_core::diagnosis::explain(&record))
        {
            return;
        }
        gloo_timers::future::sleep(Duration::from_millis(200)).await;
    }
    panic!("analytics did not index {conversation}");
}

/// The verdict `wrapup explain` gives a leg gc-sim recorded with `outcome`.
fn verdict_of(outcome: &str) -> &'static str {
    match outcome {
        "submitted" => "coded",
        "timed_out" => "timed_out",
        "skipped" => "skipped",
        "not_required" => "no_wrapup_phase",
        other => panic!("unexpected outcome {other}"),
    }
}

/// What a code shows as: its name in gc-sim's directory, or the system code's label.
fn code_text(directory: &Value, code: &str) -> String {
    system_code_label(code).unwrap_or_else(|| {
        directory_entry(directory, "wrapupCodes", code)["name"]
            .as_str()
            .unwrap()
            .to_owned()
    })
}

/// Two codes of the first queue the supervisor sees by name for the whole run (home division, never retired).
fn two_codes(directory: &Value) -> (String, String) {
    let home = &directory["divisions"][0]["id"];
    let codes: Vec<String> = directory["queues"][0]["codeIds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .filter(|c| {
            let code = directory_entry(directory, "wrapupCodes", c);
            code["divisionId"] == *home
                && code["retiresAfterUses"].is_null()
                && code["deleted"] == false
        })
        .collect();
    (codes[0].clone(), codes[1].clone())
}

/// Asserts that a context list's rows are `expected` conversations in order, each leg with gc-sim's code (by id
/// and by name) and the verdict its outcome implies.
fn assert_rows(root: &Element, list: &str, expected: &[(String, Vec<Value>)], directory: &Value) {
    let rows = all(
        root,
        &format!("[data-testid=context-{list}] [data-testid=context-row]"),
    );
    let ids: Vec<String> = rows
        .iter()
        .map(|r| attr(r, "data-conversation-id"))
        .collect();
    let wanted: Vec<String> = expected.iter().map(|(id, _)| id.clone()).collect();
    assert_eq!(ids, wanted, "{list} rows, newest first");
    for (row, (id, outcomes)) in rows.iter().zip(expected) {
        let legs = all(row, ".context-leg");
        assert_eq!(
            legs.len(),
            outcomes.len(),
            "legs of {id} in the {list} list"
        );
        for leg in &legs {
            let truth = outcomes
                .iter()
                .find(|o| o["participantId"] == attr(leg, "data-participant-id").as_str())
                .unwrap_or_else(|| {
                    panic!(
                        "leg {} of {id} is in gc-sim's truth",
                        attr(leg, "data-participant-id")
                    )
                });
            assert_eq!(
                attr(leg, "data-verdict"),
                verdict_of(truth["outcome"].as_str().unwrap())
            );
            match truth["code"].as_str() {
                Some(code) => {
                    assert_eq!(attr(leg, "data-code"), code);
                    assert_eq!(
                        text(leg, ".context-code"),
                        code_text(directory, code),
                        "a name, not the id"
                    );
                }
                None => assert_eq!(text(leg, ".context-code"), "no code"),
            }
        }
    }
}

#[wasm_bindgen_test]
async fn the_view_shows_the_legs_verdicts_and_context_gc_sim_recorded() {
    let directory = sim_get("/sim/directory").await;
    let supervisor = first_user_with_role(&directory, "supervisor")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let queue_agent = directory["queues"][0]["memberIds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .find(|m| directory_entry(&directory, "users", m)["role"] == "agent")
        .unwrap()
        .to_owned();
    let (code_a, code_b) = two_codes(&directory);
    let ani = fresh_ani();
    let api = Api::new(sim_platform(), sim_token(None).await);
    let quick = json!({ "queueSecs": 0.5, "alertSecs": 0.5, "talkSecs": 1, "acwSecs": 1 });
    let with = |extra: Value| {
        let mut body = quick.clone();
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    // Earlier, one after another: the caller with the supervisor twice, someone else with the supervisor
    // (agent list only), the caller with a queue agent (customer list only).
    let mut earlier = Vec::new();
    for body in [
        json!({ "customerAddress": ani, "legs": [{ "userId": supervisor, "outcome": "submitted", "code": code_a }] }),
        json!({ "customerAddress": ani, "legs": [{ "userId": supervisor, "outcome": "timed_out" }] }),
        json!({ "legs": [{ "userId": supervisor, "outcome": "skipped" }] }),
        json!({ "customerAddress": ani, "legs": [{ "userId": queue_agent, "outcome": "submitted", "code": code_b }] }),
    ] {
        let started = script(with(body)).await;
        earlier.push(started["conversationId"].as_str().unwrap().to_owned());
    }
    for id in &earlier {
        indexed(&api, id).await;
    }

    // The conversation the widget opens beside: the caller again, with the supervisor.
    let started = sim_admin(
        "/sim/conversations",
        with(json!({ "customerAddress": ani, "acwSecs": 40,
            "legs": [{ "userId": supervisor, "outcome": "submitted", "code": code_b }] })),
    )
    .await;
    let id = started["conversationId"].as_str().unwrap().to_owned();
    let participant = started["legs"][0]["participantId"]
        .as_str()
        .unwrap()
        .to_owned();
    let root = mount::<Harness>(HarnessProps {
        conversation_id: id.clone().into(),
        api: api.clone(),
        live: true,
    });

    wait_for(
        "the facts of the conversation",
        Duration::from_secs(20),
        || text(&root, "[data-testid=interaction-ani]") == ani,
    )
    .await;
    assert_eq!(text(&root, ".interaction-media"), "Voice");
    wait_for(
        "the leg submitted, live, and its verdict",
        Duration::from_secs(120),
        || {
            all(&root, "[data-testid=interaction-leg]")
                .iter()
                .any(|leg| {
                    attr(leg, "data-live") == "submitted"
                        && attr(leg, "data-source") == "feed"
                        && attr(leg, "data-verdict") == "coded"
                })
        },
    )
    .await;
    let truth = truth_of(&id).await;
    let legs = all(&root, "[data-testid=interaction-leg]");
    let shown: Vec<String> = legs
        .iter()
        .map(|l| attr(l, "data-participant-id"))
        .collect();
    assert_eq!(shown, [participant.as_str()]);
    assert_eq!(truth.len(), 1);
    assert_eq!(truth[0]["participantId"], participant.as_str());
    assert_eq!(truth[0]["code"], code_b.as_str());
    let leg = &legs[0];
    assert_eq!(
        attr(leg, "data-verdict"),
        verdict_of(truth[0]["outcome"].as_str().unwrap())
    );
    assert_eq!(
        text(leg, ".interaction-leg-code strong"),
        code_text(&directory, &code_b)
    );
    assert_eq!(text(leg, ".verdict-code"), code_text(&directory, &code_b));
    let supervisor_name = directory_entry(&directory, "users", &supervisor)["name"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(text(leg, ".leg-agent"), supervisor_name);

    wait_for(
        "both context lists loaded with names",
        Duration::from_secs(60),
        || {
            let loaded = ["customer", "agent"].iter().all(|list| {
                root.query_selector(&format!("[data-testid=context-{list}][data-state=loaded]"))
                    .unwrap()
                    .is_some()
            });
            let named = all(&root, ".context-leg").iter().all(|leg| {
                let code = attr(leg, "data-code");
                code.is_empty() || text(leg, ".context-code") != code
            });
            loaded && named
        },
    )
    .await;
    // The caller's conversations: the script's, newest first, without the open one.
    let mut customer = Vec::new();
    for conversation in [&earlier[3], &earlier[1], &earlier[0]] {
        customer.push((conversation.clone(), truth_of(conversation).await));
    }
    assert_rows(&root, "customer", &customer, &directory);
    // The supervisor's wrap-ups: every leg gc-sim recorded for them with a wrap-up phase, newest first, capped.
    let everything = sim_get("/sim/truth").await;
    let mut mine: Vec<&Value> = everything["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| {
            o["userId"] == supervisor.as_str()
                && o["outcome"] != "not_required"
                && o["conversationId"] != id.as_str()
        })
        .collect();
    mine.sort_by(|a, b| b["time"].as_str().cmp(&a["time"].as_str()));
    let agent: Vec<(String, Vec<Value>)> = mine
        .iter()
        .take(wrapup_core::lookup::context::CONTEXT_ROWS)
        .map(|o| {
            (
                o["conversationId"].as_str().unwrap().to_owned(),
                vec![(*o).clone()],
            )
        })
        .collect();
    assert_eq!(
        &agent[..3]
            .iter()
            .map(|(c, _)| c.clone())
            .collect::<Vec<_>>(),
        &[earlier[2].clone(), earlier[1].clone(), earlier[0].clone()]
    );
    assert_rows(&root, "agent", &agent, &directory);
}

#[wasm_bindgen_test]
async fn a_malformed_id_is_refused_unsent_and_an_unknown_one_is_said_to_be_missing() {
    let api = Api::new(sim_platform(), sim_token(None).await);
    let malformed = mount::<Harness>(HarnessProps {
        conversation_id: "<b>not-an-id</b>".into(),
        api: api.clone(),
        live: false,
    });
    wait_for("the refusal", Duration::from_secs(5), || {
        !text(&malformed, "[data-testid=interaction-error]").is_empty()
    })
    .await;
    let refusal = text(&malformed, "[data-testid=interaction-error]");
    assert!(
        refusal.contains("\"<b>not-an-id</b>\" is not a conversation id"),
        "{refusal}"
    );
    assert!(refusal.contains("Nothing was requested"), "{refusal}");
    assert!(
        malformed.query_selector("b").unwrap().is_none(),
        "text, not markup"
    );
    assert!(
        malformed
            .query_selector("[data-testid=interaction-leg]")
            .unwrap()
            .is_none()
    );

    let unknown = "0badc0de-0000-4000-8000-000000000404";
    let missing = mount::<Harness>(HarnessProps {
        conversation_id: unknown.into(),
        api,
        live: false,
    });
    wait_for("the not-found message", Duration::from_secs(20), || {
        !text(&missing, "[data-testid=interaction-not-found]").is_empty()
    })
    .await;
    let message = text(&missing, "[data-testid=interaction-not-found]");
    assert!(
        message.contains(unknown) && message.contains("404"),
        "{message}"
    );
    assert_eq!(
        text(&missing, "[data-testid=context-customer] .context-status"),
        "No caller number (ANI) is known for this conversation, so the customer's history cannot be looked up."
    );
}

#[wasm_bindgen_test]
async fn context_loading_waits_out_a_503_and_a_429_and_then_loads() {
    let api = Api::new(sim_platform(), sim_token(None).await);
    let ani = fresh_ani();
    let started = script(json!({ "customerAddress": ani, "queueSecs": 0.5, "alertSecs": 0.5, "talkSecs": 1, "acwSecs": 1,
        "legs": [{ "outcome": "submitted" }] }))
    .await;
    let id = started["conversationId"].as_str().unwrap().to_owned();
    indexed(&api, &id).await;
    sim_admin(
        "/sim/faults",
        json!({ "force503": 1, "force429": 1, "faultPath": "details/query" }),
    )
    .await;
    let events = RefCell::new(Vec::new());
    let query = customer_query(
        &ani,
        context_window(
            time::OffsetDateTime::from_unix_timestamp_nanos((js_sys::Date::now() * 1e6) as i128)
                .unwrap(),
        ),
    );
    load_context(&api, &query, "none", None, |event| {
        events.borrow_mut().push(event)
    })
    .await;
    let faults = sim_get("/sim/faults").await;
    sim_admin("/sim/faults", json!({ "reset": true })).await;
    assert_eq!(
        (faults["force503"].as_u64(), faults["force429"].as_u64()),
        (Some(0), Some(0))
    );
    let events = events.into_inner();
    assert_eq!(events.len(), 3, "{events:?}");
    assert!(
        matches!(&events[0], ContextEvent::Waiting { why, .. } if why.contains("503")),
        "{events:?}"
    );
    assert!(
        matches!(&events[1], ContextEvent::Waiting { why, .. } if why.contains("429")),
        "{events:?}"
    );
    let ContextEvent::Loaded(rows) = &events[2] else {
        panic!("rows last, got {:?}", events[2]);
    };
    let truth = truth_of(&id).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].conversation_id, id);
    assert_eq!(
        rows[0].verdicts[0].code.as_deref(),
        truth[0]["code"].as_str()
    );
}
