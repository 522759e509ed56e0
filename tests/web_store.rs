//! The saved feed in Chromium's real IndexedDB: what is written reads back the same after reopening,
//! retention trims the oldest by end time, keys keep users and environments apart, and no token is kept.
#![cfg(target_arch = "wasm32")]

mod support;

use std::time::Duration;

use idb::{Factory, TransactionMode};
use support::{mount, sim_admin, sim_get, sim_launch, sim_platform, wait_for};
use wasm_bindgen_test::*;
use wrapup_core::directory::NamedEntity;
use wrapup_core::platform::Platform;
use wrapup_core::tracker::{Outcome, WrapUpOutcome};
use wrapup_live::app::{App, AppProps};
use wrapup_live::services::store::{Batch, DATABASE_NAME, RETENTION, Retention, Store};
use wrapup_live::state::session::Phase;
use wrapup_live::types::names::{NameKind, Names, Unresolvable};
use wrapup_live::types::saved::{ResumePoint, RowSource, Saved, SavedNames, SavedRow, StoreKey};
use wrapup_live::types::sign_in::AccessToken;

wasm_bindgen_test_configure!(run_in_browser);

const DAY_MS: f64 = 24.0 * 60.0 * 60.0 * 1000.0;

/// A database of its own for each test, so tests never see each other's rows.
fn fresh_database(test: &str) -> String {
    format!("{DATABASE_NAME}-{test}-{}", js_sys::Math::random())
}

fn key(user: &str, domain: &str) -> StoreKey {
    StoreKey::new(user, &Platform::from_domain(domain).unwrap())
}

fn iso(ms: f64) -> String {
    js_sys::Date::new(&ms.into()).to_iso_string().into()
}

fn row(conversation: &str, end_ms: f64, source: RowSource) -> SavedRow {
    SavedRow {
        outcome: WrapUpOutcome {
            conversation_id: conversation.into(),
            participant_id: format!("{conversation}-agent"),
            user_id: Some("user-1".into()),
            queue_id: Some("queue-1".into()),
            media_type: Some("voice".into()),
            outcome: Outcome::Submitted,
            code: Some("code-1".into()),
            notes: Some(format!("notes for {conversation}, with \"quotes\" and é")),
            duration_seconds: Some(42),
            end_time: Some(iso(end_ms)),
        },
        received_at_ms: end_ms + 350.5,
        source,
    }
}

fn names() -> SavedNames {
    let mut names = SavedNames::default();
    names.learn(&Names {
        codes: vec![NamedEntity {
            id: "code-1".into(),
            name: Some("Resolved".into()),
        }],
        users: vec![NamedEntity {
            id: "user-1".into(),
            name: Some("Agent 07".into()),
        }],
        queues: vec![NamedEntity {
            id: "queue-1".into(),
            name: Some("Billing".into()),
        }],
        unresolvable: vec![Unresolvable {
            kind: NameKind::Code,
            id: "code-9".into(),
            reason: "in a division you cannot see".into(),
        }],
    });
    names
}

async fn save(store: &Store, key: &StoreKey, rows: Vec<SavedRow>, retention: &Retention) {
    let batch = Batch {
        rows,
        names: names(),
        last_event_ms: Some(1_700_000_000_000.0),
        open_conversations: vec!["conv-open-1".into(), "conv-open-2".into()],
    };
    store
        .save(key, &batch, retention, js_sys::Date::now())
        .await
        .expect("saved");
}

fn conversations(saved: &Saved) -> Vec<String> {
    saved
        .rows
        .iter()
        .map(|row| row.outcome.conversation_id.clone())
        .collect()
}

/// Every record in every store of database `name`, as JSON text.
async fn everything_in(name: &str) -> String {
    let db = Factory::new()
        .unwrap()
        .open(name, None)
        .unwrap()
        .await
        .unwrap();
    let mut text = String::new();
    for store in db.store_names() {
        let tx = db
            .transaction(&[&store], TransactionMode::ReadOnly)
            .unwrap();
        let records = tx
            .object_store(&store)
            .unwrap()
            .get_all(None, None)
            .unwrap()
            .await
            .unwrap();
        for record in records {
            text.push_str(&String::from(js_sys::JSON::stringify(&record).unwrap()));
            text.push('\n');
        }
    }
    db.close();
    text
}

#[wasm_bindgen_test]
async fn rows_names_and_last_event_read_back_the_same_after_reopening() {
    let name = fresh_database("reopen");
    let me = key("user-1", "mypurecloud.ie");
    let now = js_sys::Date::now();
    let written = vec![
        row("c-1", now - 3_000.0, RowSource::Live),
        row("c-2", now - 1_000.0, RowSource::Recovered),
        SavedRow {
            outcome: WrapUpOutcome {
                user_id: None,
                queue_id: None,
                media_type: None,
                outcome: Outcome::NotRequired,
                code: None,
                notes: None,
                duration_seconds: None,
                end_time: None,
                ..row("c-3", now, RowSource::Live).outcome
            },
            received_at_ms: now - 2_000.0,
            source: RowSource::Live,
        },
    ];
    let store = Store::open(&name).await.unwrap();
    save(&store, &me, written.clone(), &RETENTION).await;
    store.close();

    let saved = Store::open(&name).await.unwrap().load(&me).await.unwrap();
    assert_eq!(saved.rows.len(), written.len());
    // Oldest end first; c-3 has no end time, so its arrival time stands in.
    assert_eq!(conversations(&saved), ["c-1", "c-3", "c-2"]);
    for read in &saved.rows {
        let wrote = written
            .iter()
            .find(|w| w.outcome.conversation_id == read.outcome.conversation_id)
            .unwrap();
        let (r, w) = (&read.outcome, &wrote.outcome);
        assert_eq!(r.participant_id, w.participant_id);
        assert_eq!(r.user_id, w.user_id);
        assert_eq!(r.queue_id, w.queue_id);
        assert_eq!(r.media_type, w.media_type);
        assert_eq!(r.outcome, w.outcome);
        assert_eq!(r.code, w.code);
        assert_eq!(r.notes, w.notes);
        assert_eq!(r.duration_seconds, w.duration_seconds);
        assert_eq!(r.end_time, w.end_time);
        assert_eq!(read.received_at_ms, wrote.received_at_ms);
        assert_eq!(read.source, wrote.source);
        assert_eq!(read, wrote);
    }
    assert_eq!(saved.names, names());
    let learnt = saved.names.to_names();
    assert_eq!(learnt.codes[0].name.as_deref(), Some("Resolved"));
    assert_eq!(learnt.users[0].name.as_deref(), Some("Agent 07"));
    assert_eq!(learnt.queues[0].name.as_deref(), Some("Billing"));
    assert_eq!(
        learnt.unresolvable[0].reason,
        "in a division you cannot see"
    );
    assert_eq!(saved.last_event_ms, Some(1_700_000_000_000.0));
    assert_eq!(
        saved.resume_point(),
        Some(ResumePoint {
            last_event_ms: 1_700_000_000_000.0,
            open_conversations: vec!["conv-open-1".into(), "conv-open-2".into()],
        }),
        "a reload reads the conversations that were open"
    );
}

#[wasm_bindgen_test]
async fn a_leg_saved_twice_stays_one_row() {
    let name = fresh_database("twice");
    let me = key("user-1", "mypurecloud.ie");
    let now = js_sys::Date::now();
    let store = Store::open(&name).await.unwrap();
    save(
        &store,
        &me,
        vec![row("c-1", now, RowSource::Live)],
        &RETENTION,
    )
    .await;
    save(
        &store,
        &me,
        vec![row("c-1", now, RowSource::Live)],
        &RETENTION,
    )
    .await;
    assert_eq!(conversations(&store.load(&me).await.unwrap()), ["c-1"]);
}

#[wasm_bindgen_test]
async fn retention_drops_the_oldest_by_end_time_and_anything_past_the_age_limit() {
    let name = fresh_database("retention");
    let me = key("user-1", "mypurecloud.ie");
    let other = key("user-2", "mypurecloud.ie");
    let now = js_sys::Date::now();
    let retention = Retention {
        max_rows: 3,
        max_age: Duration::from_secs(7 * 24 * 60 * 60),
    };
    let store = Store::open(&name).await.unwrap();
    // Written in an order unlike their end times, so arrival order cannot pass for end-time order.
    save(
        &store,
        &me,
        vec![
            row("ended-2h-ago", now - 2.0 * 3_600_000.0, RowSource::Live),
            row("ended-8d-ago", now - 8.0 * DAY_MS, RowSource::Live),
            row("ended-1h-ago", now - 3_600_000.0, RowSource::Live),
            row("ended-6d-ago", now - 6.0 * DAY_MS, RowSource::Recovered),
        ],
        &retention,
    )
    .await;
    assert_eq!(
        conversations(&store.load(&me).await.unwrap()),
        ["ended-6d-ago", "ended-2h-ago", "ended-1h-ago"],
        "past 7 days goes; 3 rows fit"
    );

    save(
        &store,
        &me,
        vec![
            row("ended-3h-ago", now - 3.0 * 3_600_000.0, RowSource::Live),
            row("ended-now", now, RowSource::Live),
        ],
        &retention,
    )
    .await;
    assert_eq!(
        conversations(&store.load(&me).await.unwrap()),
        ["ended-2h-ago", "ended-1h-ago", "ended-now"],
        "the oldest by end time go first"
    );

    // Another user's trimming never touches these rows.
    save(
        &store,
        &other,
        vec![row("theirs", now, RowSource::Live)],
        &retention,
    )
    .await;
    assert_eq!(store.load(&me).await.unwrap().rows.len(), 3);
}

#[wasm_bindgen_test]
async fn keys_keep_users_and_environments_apart() {
    let name = fresh_database("keys");
    let now = js_sys::Date::now();
    let store = Store::open(&name).await.unwrap();
    let keys = [
        key("user-1", "mypurecloud.ie"),
        key("user-2", "mypurecloud.ie"),
        key("user-1", "mypurecloud.de"),
        StoreKey::new("user-1", &sim_platform()),
    ];
    for (i, k) in keys.iter().enumerate() {
        save(
            &store,
            k,
            vec![row(&format!("c-{i}"), now, RowSource::Live)],
            &RETENTION,
        )
        .await;
    }
    for (i, k) in keys.iter().enumerate() {
        assert_eq!(
            conversations(&store.load(k).await.unwrap()),
            [format!("c-{i}")],
            "{k:?} sees only its own rows"
        );
    }
    let stranger = store.load(&key("user-3", "mypurecloud.ie")).await.unwrap();
    assert_eq!(stranger, Saved::default());
}

#[wasm_bindgen_test]
async fn clearing_on_sign_out_leaves_nothing_for_that_key_only() {
    let name = fresh_database("clear");
    let now = js_sys::Date::now();
    let me = key("user-1", "mypurecloud.ie");
    let colleague = key("user-2", "mypurecloud.ie");
    let store = Store::open(&name).await.unwrap();
    save(
        &store,
        &me,
        vec![row("mine", now, RowSource::Live)],
        &RETENTION,
    )
    .await;
    save(
        &store,
        &colleague,
        vec![row("theirs", now, RowSource::Live)],
        &RETENTION,
    )
    .await;

    store.clear(&me).await.unwrap();
    assert_eq!(store.load(&me).await.unwrap(), Saved::default());
    assert_eq!(
        conversations(&store.load(&colleague).await.unwrap()),
        ["theirs"]
    );
    store.close();
    let everything = everything_in(&name).await;
    assert!(!everything.contains("mine"), "{everything}");
    // Records are filed under their key first: none is left under user-1's.
    assert!(
        !everything.contains(r#"{"environment":"mypurecloud.ie","userId":"user-1""#),
        "{everything}"
    );
    assert!(everything.contains("theirs"));
}

#[wasm_bindgen_test]
async fn the_app_saves_the_feed_without_the_token() {
    let answer = sim_admin("/sim/tokens", serde_json::json!({})).await;
    let token = answer["access_token"].as_str().unwrap().to_owned();
    let directory = sim_get("/sim/directory").await;
    let supervisor = directory["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["role"] == "supervisor")
        .and_then(|u| u["id"].as_str())
        .unwrap()
        .to_owned();
    let launch = sim_launch();
    let me = StoreKey::new(&supervisor, &launch.platform);
    let root = mount::<App>(AppProps {
        phase: Phase::SignedIn {
            launch,
            token: AccessToken::new(token.as_str()),
            expires_at_ms: None,
        },
    });
    // gc-sim's demo traffic reaches the supervisor within seconds at the test speed.
    wait_for("a first wrap-up row", Duration::from_secs(20), || {
        root.query_selector_all("tbody tr").unwrap().length() > 0
    })
    .await;
    let store = Store::open(DATABASE_NAME).await.unwrap();
    let mut saved = Saved::default();
    let started = js_sys::Date::now();
    while saved.rows.is_empty() || saved.last_event_ms.is_none() {
        assert!(
            js_sys::Date::now() - started < 10_000.0,
            "the feed was saved within 10 s"
        );
        gloo_timers::future::sleep(Duration::from_millis(200)).await;
        saved = store.load(&me).await.unwrap();
    }
    store.close();

    let everything = everything_in(DATABASE_NAME).await;
    assert!(
        everything.contains(&saved.rows[0].outcome.conversation_id),
        "the dump holds the saved rows"
    );
    assert!(
        !everything.contains(&token),
        "the token must never be stored"
    );
    assert!(!everything.to_lowercase().contains("bearer"));
}
