//! The history search in a real browser: the view (progress, throttle countdown, verdict chart, a
//! bounded table, a bad window refused) and the history service against a running gc-sim over real
//! HTTP: a job read through an injected 503 and 429 gives exactly gc-sim's own job result, in the table
//! events and in the export file; a running job is cancelled on gc-sim.
#![cfg(target_arch = "wasm32")]

mod support;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use serde_json::json;
use support::{mount, sim_admin, sim_get, sim_platform, sim_token, text_of, tick, wait_for};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Event, HtmlElement, HtmlInputElement};
use wrapup_core::history::HistoryRow;
use wrapup_core::model::analytics::Conversation;
use wrapup_core::query::{HistoryFilters, Interval};
use wrapup_live::components::history::history_view::HistoryView;
use wrapup_live::services::api::Api;
use wrapup_live::services::history::{CancelFlag, HistoryRunner, SharedExports};
use wrapup_live::state::feed::Directory;
use wrapup_live::state::history::{HistoryAction, HistoryState};
use wrapup_live::types::history::{
    ExportFormat, HistoryEvent, SearchKind, SearchRequest, WaitReason,
};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Props for [`Harness`]: actions applied to a fresh history reducer, and what the view raised.
#[derive(Properties, PartialEq)]
struct HarnessProps {
    actions: Vec<HistoryAction>,
    searches: Rc<RefCell<Vec<SearchRequest>>>,
}

#[function_component(Harness)]
fn harness(props: &HarnessProps) -> Html {
    let history = use_reducer(HistoryState::default);
    {
        let (history, actions) = (history.clone(), props.actions.clone());
        use_effect_with((), move |_| {
            for action in actions {
                history.dispatch(action);
            }
        });
    }
    let searches = props.searches.clone();
    html! {
        <HistoryView {history} directory={Rc::new(Directory::default())}
            on_search={Callback::from(move |r| searches.borrow_mut().push(r))}
            on_cancel={Callback::noop()} on_export={Callback::<ExportFormat>::noop()} />
    }
}

fn coded_row(i: usize) -> HistoryRow {
    let record: Conversation = serde_json::from_value(json!({
        "conversationId": format!("c-{i:05}"), "conversationStart": "2026-11-30T07:00:00.000Z",
        "conversationEnd": "2026-11-30T07:05:00.000Z",
        "participants": [{"purpose": "agent", "participantId": "p", "sessions": [{"mediaType": "voice", "segments": [
            {"segmentType": "interact", "segmentStart": "2026-11-30T07:00:00.000Z", "segmentEnd": "2026-11-30T07:04:00.000Z"},
            {"segmentType": "wrapup", "wrapUpCode": "code-1", "segmentStart": "2026-11-30T07:04:00.000Z", "segmentEnd": "2026-11-30T07:05:00.000Z"}]}]}]
    }))
    .unwrap();
    HistoryRow::from_record(&record)
}

#[wasm_bindgen_test]
async fn the_view_shows_progress_the_throttle_countdown_the_chart_and_a_bounded_table() {
    let rows: Vec<HistoryRow> = (0..2_000).map(coded_row).collect();
    let report = |event| HistoryAction::Report(0, event);
    let actions = vec![
        HistoryAction::Begin {
            id: 0,
            kind: SearchKind::Job,
            window: "w".into(),
        },
        report(HistoryEvent::JobCreated {
            job_id: "job-1".into(),
        }),
        report(HistoryEvent::JobState("FULFILLED".into())),
        report(HistoryEvent::Availability(
            "2026-11-30T07:04:00.000Z".into(),
        )),
        report(HistoryEvent::Page {
            rows: Rc::new(rows),
            records: 2_000,
            outside_window: 0,
            total_hits: None,
        }),
        report(HistoryEvent::Waiting {
            reason: WaitReason::Throttled,
            until_ms: js_sys::Date::now() + 30_000.0,
        }),
    ];
    let root = mount::<Harness>(HarnessProps {
        actions,
        searches: Rc::default(),
    });
    wait_for("the table", Duration::from_secs(5), || {
        root.query_selector("[data-testid=history-table]")
            .ok()
            .flatten()
            .is_some()
    })
    .await;
    let wait = text_of(&root, "[data-testid=history-wait]").unwrap();
    assert!(wait.starts_with("throttled, resuming in "), "{wait}");
    let seconds: f64 = wait
        .trim_start_matches("throttled, resuming in ")
        .trim_end_matches(" s")
        .parse()
        .unwrap();
    assert!((25.0..=30.0).contains(&seconds), "{wait}");
    let progress = root
        .query_selector("[data-testid=history-progress]")
        .unwrap()
        .unwrap();
    assert_eq!(
        progress.get_attribute("data-job-state").as_deref(),
        Some("FULFILLED")
    );
    let bar = root
        .query_selector("[data-testid=history-chart] g[data-verdict=coded]")
        .unwrap()
        .unwrap();
    assert_eq!(bar.get_attribute("data-count").as_deref(), Some("2000"));
    let table = root
        .query_selector("[data-testid=history-table]")
        .unwrap()
        .unwrap();
    assert_eq!(table.get_attribute("data-rows").as_deref(), Some("2000"));
    let in_dom = table
        .query_selector_all("tr[data-conversation-id]")
        .unwrap()
        .length();
    assert!(
        in_dom > 0 && in_dom < 60,
        "virtualized: {in_dom} rows in the DOM"
    );
    let first = table
        .query_selector("tr[data-conversation-id]")
        .unwrap()
        .unwrap();
    assert_eq!(
        first.get_attribute("data-conversation-id").as_deref(),
        Some("c-00000")
    );
    assert!(
        first.text_content().unwrap().contains("not final"),
        "ended after the availability date"
    );
    assert!(
        text_of(&root, "[data-testid=history-availability]")
            .unwrap()
            .contains("2026-11-30T07:04:00.000Z")
    );
}

#[wasm_bindgen_test]
async fn a_bad_window_is_refused_with_a_reason_and_nothing_runs() {
    let searches: Rc<RefCell<Vec<SearchRequest>>> = Rc::default();
    let root = mount::<Harness>(HarnessProps {
        actions: vec![],
        searches: searches.clone(),
    });
    tick().await;
    let set = |id: &str, value: &str| {
        let input: HtmlInputElement = root
            .query_selector(&format!("[data-testid={id}]"))
            .unwrap()
            .unwrap()
            .unchecked_into();
        input.set_value(value);
        input.dispatch_event(&Event::new("input").unwrap()).unwrap();
    };
    set("history-from", "2026-11-30T08:00");
    tick().await;
    set("history-to", "2026-11-30T07:00");
    tick().await;
    let problem = text_of(&root, "[data-testid=history-window-problem]").unwrap();
    assert!(problem.contains("ends before it starts"), "{problem}");
    let run: HtmlElement = root
        .query_selector("[data-testid=history-run-query]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(run.has_attribute("disabled"));
    run.click();
    tick().await;
    assert!(searches.borrow().is_empty());

    set("history-to", "2026-11-30T09:30");
    tick().await;
    assert_eq!(
        text_of(&root, "[data-testid=history-interval]").as_deref(),
        Some("2026-11-30T08:00:00.000Z/2026-11-30T09:30:00.000Z")
    );
    assert!(
        text_of(&root, "[data-testid=history-rule]")
            .unwrap()
            .contains("started on a UTC day the window touches (here 2026-11-30)")
    );
    run.click();
    tick().await;
    let searches = searches.borrow();
    assert_eq!(searches.len(), 1);
    assert_eq!(
        searches[0].window.to_string(),
        "2026-11-30T08:00:00.000Z/2026-11-30T09:30:00.000Z"
    );
    assert!(searches[0].filters.ended_only, "ended only by default");
}

/// The supervisor's client, the availability date and gc-sim's own job result for `interval`.
async fn sim_job_ids(api: &Api, interval: &Interval) -> Vec<String> {
    let body = HistoryFilters::default()
        .query(*interval, 100)
        .to_job_json();
    let job_id = api.create_details_job(&body).await.unwrap().job_id.unwrap();
    wait_for_job(api, &job_id, "FULFILLED").await;
    let (mut ids, mut cursor) = (Vec::new(), None::<String>);
    loop {
        let page = api
            .details_job_results(&job_id, cursor.as_deref(), 50)
            .await
            .unwrap();
        ids.extend(
            page.conversations
                .iter()
                .filter_map(|c| c.conversation_id.clone()),
        );
        match page.cursor {
            Some(next) => cursor = Some(next),
            None => return ids,
        }
    }
}

async fn wait_for_job(api: &Api, job_id: &str, state: &str) {
    for _ in 0..600 {
        let status = api.details_job_status(job_id).await.unwrap();
        if status.state.as_ref().map(|s| s.as_str()) == Some(state) {
            return;
        }
        gloo_timers::future::sleep(Duration::from_millis(100)).await;
    }
    panic!("job {job_id} never reached {state}");
}

fn window_before_availability(available: &str, minutes: i64) -> Interval {
    let end = wrapup_core::model::parse_instant(available).unwrap();
    let end = end.replace_nanosecond(0).unwrap();
    Interval::new(end - time::Duration::minutes(minutes), end).unwrap()
}

fn recorder() -> (Callback<HistoryEvent>, Rc<RefCell<Vec<HistoryEvent>>>) {
    let events: Rc<RefCell<Vec<HistoryEvent>>> = Rc::default();
    let sink = events.clone();
    (Callback::from(move |e| sink.borrow_mut().push(e)), events)
}

#[wasm_bindgen_test]
async fn the_job_service_reads_gc_sims_job_through_a_503_and_a_429_and_exports_it() {
    let api = Api::new(sim_platform(), sim_token(None).await);
    // Wait until the data lake holds conversations of this run, then fix a window before its date.
    let mut found = None;
    for _ in 0..60 {
        let available = api
            .details_job_availability()
            .await
            .unwrap()
            .data_availability_date
            .unwrap();
        let window = window_before_availability(&available, 30);
        let ids = sim_job_ids(&api, &window).await;
        if !ids.is_empty() {
            found = Some((window, ids));
            break;
        }
        gloo_timers::future::sleep(Duration::from_secs(2)).await;
    }
    let (window, reference) = found.expect("gc-sim's data lake has conversations");
    sim_admin(
        "/sim/faults",
        json!({ "force503": 1, "force429": 1, "faultPath": "/results" }),
    )
    .await;
    let (report, events) = recorder();
    let exports: SharedExports = Rc::default();
    let request = SearchRequest {
        window,
        filters: HistoryFilters::default(),
        kind: SearchKind::Job,
        page_size: 7,
    };
    HistoryRunner::new(&api, report, exports.clone(), CancelFlag::default())
        .run(request)
        .await;
    sim_admin("/sim/faults", json!({ "reset": true })).await;

    let events = events.borrow().clone();
    assert_eq!(events.last(), Some(&HistoryEvent::Finished), "{events:?}");
    let waits: Vec<&WaitReason> = events
        .iter()
        .filter_map(|e| match e {
            HistoryEvent::Waiting { reason, .. } => Some(reason),
            _ => None,
        })
        .collect();
    assert_eq!(waits.len(), 2, "{waits:?}");
    assert!(matches!(waits[0], WaitReason::Unavailable(why) if why.contains("503")));
    assert_eq!(waits[1], &WaitReason::Throttled);
    let shown: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            HistoryEvent::Page { rows, .. } => Some(
                rows.iter()
                    .map(|r| r.conversation_id.clone())
                    .collect::<Vec<_>>(),
            ),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(
        shown, reference,
        "the job's conversations, once each, in its order"
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e, HistoryEvent::Availability(_)))
    );

    let csv_file = exports
        .borrow()
        .as_ref()
        .unwrap()
        .file(ExportFormat::Csv)
        .clone();
    let csv = csv_file.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let mut exported: Vec<String> = reader.records().map(|r| r.unwrap()[0].to_owned()).collect();
    exported.dedup();
    assert_eq!(exported, reference);
    let ndjson_file = exports
        .borrow()
        .as_ref()
        .unwrap()
        .file(ExportFormat::Ndjson)
        .clone();
    let ndjson = ndjson_file.text().await.unwrap();
    let lines: Vec<String> = ndjson
        .lines()
        .map(|l| {
            serde_json::from_str::<HistoryRow>(l)
                .unwrap()
                .conversation_id
        })
        .collect();
    assert_eq!(lines, reference);
    let faults = sim_get("/sim/faults").await;
    assert_eq!(
        (faults["force503"].as_u64(), faults["force429"].as_u64()),
        (Some(0), Some(0))
    );
}

#[wasm_bindgen_test]
async fn cancelling_a_running_job_cancels_it_on_gc_sim() {
    let api = Api::new(sim_platform(), sim_token(None).await);
    let available = api
        .details_job_availability()
        .await
        .unwrap()
        .data_availability_date
        .unwrap();
    // A week's window keeps the job pending long enough.
    let window = window_before_availability(&available, 7 * 24 * 60);
    let (report, events) = recorder();
    let cancel = CancelFlag::default();
    let request = SearchRequest {
        window,
        filters: HistoryFilters::default(),
        kind: SearchKind::Job,
        page_size: 100,
    };
    let runner = HistoryRunner::new(&api, report, Rc::default(), cancel.clone());
    let run = runner.run(request);
    let watch = async {
        wait_for("the job to be polled", Duration::from_secs(30), || {
            events
                .borrow()
                .iter()
                .any(|e| matches!(e, HistoryEvent::JobState(_)))
        })
        .await;
        cancel.cancel();
    };
    futures::join!(run, watch);
    let events = events.borrow().clone();
    assert_eq!(
        events.last(),
        Some(&HistoryEvent::Cancelled(Some("CANCELLED".into()))),
        "{events:?}"
    );
    let job_id = events
        .iter()
        .find_map(|e| match e {
            HistoryEvent::JobCreated { job_id } => Some(job_id.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        api.details_job_status(&job_id)
            .await
            .unwrap()
            .state
            .map(|s| s.as_str().to_owned())
            .as_deref(),
        Some("CANCELLED")
    );
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, HistoryEvent::Page { .. })),
        "no results were read"
    );
}
