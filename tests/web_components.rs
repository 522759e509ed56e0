//! Components in a real browser: what a person sees for each outcome, that platform text is
//! always shown as text, that the list stays small with 100k rows, filters, and Export CSV.
#![cfg(target_arch = "wasm32")]

mod support;

use std::rc::Rc;

use std::cell::RefCell;
use std::time::Duration;

use support::{mount, text_of, tick, wait_for};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlSelectElement};
use wrapup_core::export::RowSource;
use wrapup_core::tracker::{Outcome, WrapUpOutcome};
use wrapup_live::components::connection_pill::ConnectionPill;
use wrapup_live::components::feed::{Feed, FeedProps};
use wrapup_live::components::watch_picker::{WatchPicker, WatchPickerProps};
use wrapup_live::state::feed::{FeedAction, FeedState};
use wrapup_live::state::session::WatchChoices;
use wrapup_live::types::live::{Link, Watch};
use wrapup_live::types::names::Names;
use yew::Reducible;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

fn outcome(conv: &str, kind: Outcome, code: Option<&str>, notes: Option<&str>) -> WrapUpOutcome {
    WrapUpOutcome {
        conversation_id: conv.into(),
        participant_id: "p-agent".into(),
        user_id: Some("user-1".into()),
        queue_id: Some("queue-1".into()),
        media_type: Some("voice".into()),
        outcome: kind,
        code: code.map(Into::into),
        notes: notes.map(Into::into),
        duration_seconds: Some(65),
        end_time: Some("2026-11-21T10:15:30.000Z".into()),
    }
}

fn props(feed: Rc<FeedState>) -> FeedProps {
    FeedProps {
        feed,
        on_action: Callback::noop(),
        on_open_conversation: Callback::noop(),
        on_export: Callback::noop(),
        on_download_frames: Callback::noop(),
        on_import_frames: Callback::noop(),
        offline: None,
    }
}

fn named(id: &str, name: &str) -> wrapup_core::directory::NamedEntity {
    wrapup_core::directory::NamedEntity {
        id: id.into(),
        name: Some(name.into()),
    }
}

#[wasm_bindgen_test]
async fn feed_shows_names_outcomes_and_newest_first() {
    let feed = Rc::new(FeedState::default())
        .reduce(FeedAction::Outcomes {
            source: RowSource::Live,
            outcomes: vec![
                outcome(
                    "c-1",
                    Outcome::Submitted,
                    Some("code-resolved"),
                    Some("Customer happy"),
                ),
                outcome("c-2", Outcome::TimedOut, Some("ININ-WRAP-UP-TIMEOUT"), None),
            ],
            now_ms: 0.0,
        })
        .reduce(FeedAction::Names(Names {
            codes: vec![named("code-resolved", "Resolved")],
            users: vec![named("user-1", "Agent 07")],
            queues: vec![named("queue-1", "Billing")],
            ..Names::default()
        }));
    let root = mount::<Feed>(props(feed));
    tick().await;

    let rows = root.query_selector_all("tbody tr").unwrap();
    assert_eq!(rows.length(), 2);
    let first = text_of(&root, "tbody tr:first-child").unwrap();
    assert!(
        first.contains("Timed out (system)") && first.contains("Timed out"),
        "newest first: {first}"
    );
    let second = text_of(&root, "tbody tr:nth-child(2)").unwrap();
    for expected in [
        "Agent 07",
        "Billing",
        "Resolved",
        "Customer happy",
        "Submitted",
        "1 m 05 s",
        "Voice",
    ] {
        assert!(
            second.contains(expected),
            "missing {expected:?} in {second:?}"
        );
    }
    assert_eq!(
        text_of(&root, "[data-testid=total-submitted]").as_deref(),
        Some("1")
    );
}

#[wasm_bindgen_test]
async fn unresolved_ids_show_short_and_skips_explain_themselves() {
    let feed = Rc::new(FeedState::default()).reduce(FeedAction::Outcomes {
        source: RowSource::Live,
        outcomes: vec![
            outcome(
                "c-3",
                Outcome::Submitted,
                Some("7f3c1a2b-0000-4000-8000-000000000000"),
                None,
            ),
            outcome("c-4", Outcome::Skipped, None, None),
        ],
        now_ms: 0.0,
    });
    let root = mount::<Feed>(props(feed));
    tick().await;
    let skipped = text_of(&root, "tbody tr:first-child").unwrap();
    assert!(
        skipped.contains("Agent skipped after-call work"),
        "{skipped}"
    );
    let unresolved = text_of(&root, "tbody tr:nth-child(2) .code-unresolved").unwrap();
    assert_eq!(unresolved, "7f3c1a2b…");
}

#[wasm_bindgen_test]
async fn notes_with_markup_render_as_text() {
    let hostile = r#"<img src=x onerror="document.title='pwned'"><b>bold</b>"#;
    let feed = Rc::new(FeedState::default()).reduce(FeedAction::Outcomes {
        source: RowSource::Live,
        outcomes: vec![outcome("c-5", Outcome::Submitted, Some("x"), Some(hostile))],
        now_ms: 0.0,
    });
    let root = mount::<Feed>(props(feed));
    tick().await;
    let cell = root.query_selector(".col-notes").unwrap().unwrap();
    assert_eq!(cell.text_content().as_deref(), Some(hostile));
    assert!(
        cell.query_selector("img, b").unwrap().is_none(),
        "markup must not become elements"
    );
}

#[wasm_bindgen_test]
async fn empty_feed_says_what_will_happen() {
    let root = mount::<Feed>(props(Rc::new(FeedState::default())));
    tick().await;
    let empty = text_of(&root, "[data-testid=feed-empty]").unwrap();
    assert!(empty.contains("Waiting for the first wrap-up"), "{empty}");
}

/// The feed with its reducer, as App mounts it; exports land in `exported`.
#[derive(Properties)]
struct HarnessProps {
    start: Rc<FeedState>,
    exported: Rc<RefCell<Option<String>>>,
}

impl PartialEq for HarnessProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.start, &other.start)
    }
}

#[function_component(Harness)]
fn harness(props: &HarnessProps) -> Html {
    let start = props.start.clone();
    let feed = use_reducer(move || (*start).clone());
    let on_action = {
        let feed = feed.clone();
        Callback::from(move |a| feed.dispatch(a))
    };
    let on_export = {
        let exported = props.exported.clone();
        Callback::from(move |csv: Result<String, String>| {
            *exported.borrow_mut() = Some(csv.unwrap())
        })
    };
    html! { <Feed feed={Rc::new((*feed).clone())} {on_action} {on_export} /> }
}

/// `n` rows one second apart, added in batches so the browser stays responsive while they load.
async fn many(n: usize) -> Rc<FeedState> {
    let mut feed = Rc::new(FeedState::default());
    for chunk in (0..n).collect::<Vec<_>>().chunks(10_000) {
        feed = feed.reduce(FeedAction::Outcomes {
            outcomes: chunk.iter().map(|&i| numbered(i)).collect(),
            source: RowSource::Live,
            now_ms: 0.0,
        });
        tick().await;
    }
    feed
}

fn numbered(i: usize) -> WrapUpOutcome {
    let mut o = outcome(
        &format!("conv-{i:06}"),
        Outcome::Submitted,
        Some("code-resolved"),
        None,
    );
    o.user_id = Some(format!("user-{}", i % 3));
    let end_ms = 1_795_000_000_000.0 + i as f64 * 1000.0;
    o.end_time = Some(js_sys::Date::new(&end_ms.into()).to_iso_string().into());
    o
}

fn rendered_rows(root: &web_sys::Element) -> Vec<String> {
    let rows = root.query_selector_all("tbody tr.feed-row").unwrap();
    (0..rows.length())
        .map(|i| {
            rows.item(i)
                .unwrap()
                .unchecked_into::<web_sys::Element>()
                .get_attribute("data-conversation")
                .unwrap()
        })
        .collect()
}

#[wasm_bindgen_test]
async fn a_hundred_thousand_rows_render_a_small_window_that_follows_the_scroll() {
    let feed = many(100_000).await;
    assert_eq!(feed.shown_len(), 100_000);
    let root = mount::<Feed>(props(feed.clone()));
    tick().await;
    let first = rendered_rows(&root);
    assert!(
        !first.is_empty() && first.len() <= 60,
        "{} rows in the DOM",
        first.len()
    );
    assert_eq!(first[0], "conv-099999", "newest end time first");

    let scroller: HtmlElement = root
        .query_selector("[data-testid=feed-scroll]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    // The test page has no styles.css: give the scroll container the height the stylesheet does.
    scroller
        .set_attribute("style", "height: 400px; overflow: auto; display: block")
        .unwrap();
    scroller.set_scroll_top(50_000 * 36);
    let _ = scroller.dispatch_event(&Event::new("scroll").unwrap());
    wait_for(
        "rows near 50 000 after scrolling",
        Duration::from_secs(5),
        || rendered_rows(&root).contains(&"conv-049999".to_owned()),
    )
    .await;
    let after = rendered_rows(&root);
    assert!(after.len() <= 60, "{} rows in the DOM", after.len());
    let index: usize = root
        .query_selector("tbody tr.feed-row")
        .unwrap()
        .unwrap()
        .get_attribute("data-index")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        after[0],
        feed.shown_row(index).unwrap().outcome.conversation_id,
        "the row at each index is the state's row at that index"
    );
    assert!(
        root.query_selector_all("tr").unwrap().length() < 70,
        "the DOM stays small"
    );
}

#[wasm_bindgen_test]
async fn filters_narrow_the_rows_and_export_csv_lists_exactly_those() {
    let mut hostile = outcome(
        "c-evil",
        Outcome::Submitted,
        Some("code-resolved"),
        Some("=HYPERLINK(\"x\"), <b>bold</b>\nline two"),
    );
    hostile.user_id = Some("user-evil".into());
    let feed = many(30)
        .await
        .reduce(FeedAction::Outcomes {
            outcomes: vec![hostile],
            source: RowSource::Recovered,
            now_ms: 5.0,
        })
        .reduce(FeedAction::Names(Names {
            users: vec![named("user-evil", "<img src=x onerror=alert(1)>")],
            codes: vec![named("code-resolved", "Resolved")],
            ..Names::default()
        }));
    let exported = Rc::new(RefCell::new(None));
    let root = mount::<Harness>(HarnessProps {
        start: feed.clone(),
        exported: exported.clone(),
    });
    tick().await;
    assert!(
        root.query_selector("tbody img").unwrap().is_none(),
        "a hostile name stays text"
    );
    assert!(
        text_of(&root, "tbody")
            .unwrap()
            .contains("<img src=x onerror=alert(1)>")
    );

    let agent: HtmlSelectElement = root
        .query_selector("select[aria-label=Agent]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    agent.set_value("user-1");
    agent
        .dispatch_event(&Event::new("change").unwrap())
        .unwrap();
    tick().await;
    let shown = rendered_rows(&root);
    assert_eq!(shown.len(), 10, "every third of 30 rows: {shown:?}");

    let export: HtmlElement = (0..)
        .map_while(|i| root.query_selector_all("button").unwrap().item(i))
        .map(|n| n.unchecked_into::<HtmlElement>())
        .find(|b| b.text_content().as_deref() == Some("Export CSV"))
        .expect("an Export CSV button");
    export.click();
    tick().await;
    let csv = exported.borrow().clone().expect("the CSV was raised");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header.join(","),
        "conversationId,participantId,userId,agent,queueId,queue,mediaType,outcome,codeId,code,notes,acwSeconds,endTime,receivedAt,source"
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let ids: Vec<&str> = records.iter().map(|r| &r[0]).collect();
    assert_eq!(ids, shown, "one line per row shown, in the same order");
    assert!(records.iter().all(|r| &r[2] == "user-1"
        && &r[7] == "submitted"
        && &r[9] == "Resolved"
        && &r[14] == "live"));

    // No filter: every retained row, the hostile note guarded and intact.
    agent.set_value("*");
    agent
        .dispatch_event(&Event::new("change").unwrap())
        .unwrap();
    tick().await;
    export.click();
    tick().await;
    let csv = exported.borrow().clone().unwrap();
    let records: Vec<csv::StringRecord> = csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(records.len(), 31);
    let evil = records.iter().find(|r| &r[0] == "c-evil").unwrap();
    assert_eq!(&evil[10], "'=HYPERLINK(\"x\"), <b>bold</b>\nline two");
    assert_eq!(&evil[3], "<img src=x onerror=alert(1)>");
    assert_eq!(&evil[14], "recovered");
}

/// The connection pill with a link the test changes, as App's session state changes it.
#[derive(Properties, PartialEq)]
struct PillHarnessProps {
    set_link: Rc<RefCell<Option<Callback<Link>>>>,
}

#[function_component(PillHarness)]
fn pill_harness(props: &PillHarnessProps) -> Html {
    let link = use_state(|| Link::Live);
    {
        let link = link.clone();
        *props.set_link.borrow_mut() = Some(Callback::from(move |next| link.set(next)));
    }
    html! { <ConnectionPill link={Some((*link).clone())} heartbeats={3} /> }
}

#[wasm_bindgen_test]
async fn the_reconnect_countdown_starts_from_now_after_a_long_live_spell() {
    let set_link = Rc::new(RefCell::new(None));
    let root = mount::<PillHarness>(PillHarnessProps {
        set_link: set_link.clone(),
    });
    tick().await;
    assert_eq!(
        text_of(&root, "[data-testid=connection]").as_deref(),
        Some("Live")
    );
    // Live for a while: nothing re-renders the pill, so a clock kept from its last render is stale.
    gloo_timers::future::sleep(Duration::from_millis(3_000)).await;
    let retry_at_ms = (js_sys::Date::now() + 2_000.0) as u64;
    let set = set_link.borrow().clone().expect("the harness rendered");
    set.emit(Link::Waiting {
        attempt: 1,
        reason: "no heartbeat for 35 s".into(),
        retry_at_ms,
    });
    tick().await;
    assert_eq!(
        text_of(&root, "[data-testid=connection]").as_deref(),
        Some("Reconnecting in 2 s"),
        "the first countdown second is the real wait, not the wait plus the time spent live"
    );
    wait_for("the countdown to tick", Duration::from_secs(3), || {
        text_of(&root, "[data-testid=connection]").as_deref() == Some("Reconnecting in 1 s")
    })
    .await;
}

fn entity(id: &str, name: &str) -> wrapup_core::directory::NamedEntity {
    named(id, name)
}

#[wasm_bindgen_test]
async fn the_watch_picker_chooses_agents_by_name_and_says_what_is_watched() {
    let chosen = Rc::new(RefCell::new(Vec::<Watch>::new()));
    let opened = Rc::new(RefCell::new(0));
    let choices = WatchChoices::Loaded {
        queues: Rc::new(vec![entity("q1", "Billing"), entity("q2", "Support")]),
        agents: Rc::new(vec![
            entity("u1", "Ada <b>Agent</b>"),
            entity("u2", "Bob Agent"),
            entity("u3", "Cy Agent"),
        ]),
    };
    let root = mount::<WatchPicker>(WatchPickerProps {
        watching: Watch::MyQueues,
        watched_queues: Rc::new(vec![entity("q2", "Support"), entity("q1", "Billing")]),
        choices,
        on_open: {
            let opened = opened.clone();
            Callback::from(move |()| *opened.borrow_mut() += 1)
        },
        on_watch: {
            let chosen = chosen.clone();
            Callback::from(move |watch| chosen.borrow_mut().push(watch))
        },
    });
    tick().await;
    assert_eq!(
        text_of(&root, "[data-testid=watching]").as_deref(),
        Some("Watching your 2 queue(s): Billing, Support")
    );
    let click = |selector: &str| {
        root.query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("{selector} is shown"))
            .dyn_into::<HtmlElement>()
            .unwrap()
            .click()
    };
    click(".watch-line button");
    tick().await;
    assert_eq!(*opened.borrow(), 1, "opening asks for the choices");
    let radios = root.query_selector_all("input[name=watch-mode]").unwrap();
    assert_eq!(radios.length(), 4);
    radios
        .item(3)
        .unwrap()
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click(); // Chosen agents
    tick().await;
    let submit = || root.query_selector("button[type=submit]").unwrap().unwrap();
    assert!(submit().has_attribute("disabled"), "nothing chosen yet");
    // Names are text, never markup.
    let labels: Vec<String> = (0..root
        .query_selector_all(".watch-list label")
        .unwrap()
        .length())
        .map(|i| {
            root.query_selector_all(".watch-list label")
                .unwrap()
                .item(i)
                .unwrap()
                .text_content()
                .unwrap()
        })
        .collect();
    assert_eq!(labels, ["Ada <b>Agent</b>", "Bob Agent", "Cy Agent"]);
    assert!(root.query_selector(".watch-list b").unwrap().is_none());
    // Filter, then pick Bob and Cy.
    let filter = root
        .query_selector(".watch-filter")
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlInputElement>()
        .unwrap();
    filter.set_value("bob");
    filter
        .dispatch_event(&InputEvent::new("input").unwrap())
        .unwrap();
    tick().await;
    assert_eq!(
        root.query_selector_all(".watch-list li").unwrap().length(),
        1
    );
    click(".watch-list input");
    filter.set_value("");
    filter
        .dispatch_event(&InputEvent::new("input").unwrap())
        .unwrap();
    tick().await;
    click(".watch-list li:nth-child(3) input");
    tick().await;
    assert_eq!(
        text_of(&root, ".watch-options .watch-note").as_deref(),
        Some("2 of 3 agents chosen")
    );
    assert!(!submit().has_attribute("disabled"));
    submit().dyn_into::<HtmlElement>().unwrap().click();
    tick().await;
    assert_eq!(
        *chosen.borrow(),
        vec![Watch::Agents(vec!["u2".into(), "u3".into()])]
    );
    assert!(
        root.query_selector(".watch-picker").unwrap().is_none(),
        "the picker closes on Watch"
    );
}
