//! The feed kept in IndexedDB between page loads, per user and environment: final rows, names and the
//! last event seen, trimmed to [`RETENTION`]. Writes are batched by [`FeedSaver`]; the token is never stored.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;
use std::rc::Rc;
use std::time::Duration;

use idb::{
    Database, DatabaseEvent, Factory, IndexParams, KeyPath, KeyRange, ObjectStoreParams,
    TransactionMode,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use yew::Callback;

use super::js_json::{self, Crossing};
use crate::i18n::{t, t_args};
use crate::types::names::Names;
use crate::types::saved::{ResumePoint, Saved, SavedNames, SavedRow, StoreKey};

/// The one database the widget owns.
pub const DATABASE_NAME: &str = "wrapup-live";
/// Schema version: bump it with a migration in [`upgrade`] when the stores change.
const VERSION: u32 = 1;
/// Rows, keyed `[environment, userId, leg]`.
const ROWS: &str = "rows";
/// Names and the last event seen, keyed `[environment, userId]`.
const META: &str = "meta";
/// Rows by `[environment, userId, endMs]`: trimming walks it oldest first.
const BY_END: &str = "byEnd";

/// How much of the feed is kept per user and environment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Retention {
    /// At most this many rows; the oldest by end time go first.
    pub max_rows: u32,
    /// Rows that ended longer ago than this go.
    pub max_age: Duration,
}

/// The widget's retention: 100,000 rows (the feed's virtualised list holds that many) and 7 days (a
/// working week of context, while analytics covers anything older).
pub const RETENTION: Retention = Retention {
    max_rows: 100_000,
    max_age: Duration::from_secs(7 * 24 * 60 * 60),
};

/// How often collected feed changes are written: often enough that a reload loses under a second
/// (which the resume gap recovery finds again), rarely enough that a busy feed costs one write a second.
pub const FLUSH_EVERY: Duration = Duration::from_secs(1);

/// IndexedDB refused a read or write (private mode, quota, a blocked upgrade).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreError(String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "browser storage refused: {}", self.0)
    }
}

impl std::error::Error for StoreError {}

impl From<idb::Error> for StoreError {
    fn from(err: idb::Error) -> Self {
        Self(err.to_string())
    }
}

impl StoreError {
    /// What the person reads once when saving fails. Framed by Genesys Cloud (another site), a browser
    /// that blocks third-party storage refuses it by design: say so calmly, it is no fault.
    pub fn notice(&self) -> String {
        let framed = web_sys::window()
            .and_then(|own| Some((own.top().ok()??, own)))
            .is_some_and(|(top, own)| !js_sys::Object::is(&top, &own));
        if framed {
            t("store-not-saved-framed")
        } else {
            t_args("store-not-saved", &[("problem", self.to_string().into())])
        }
    }
}

/// A row as stored: its key parts beside it, so the key paths and the index can read them.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RowRecord {
    environment: String,
    user_id: String,
    leg: String,
    end_ms: f64,
    row: SavedRow,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct MetaRecord {
    environment: String,
    user_id: String,
    names: SavedNames,
    last_event_ms: Option<f64>,
    /// Absent in records saved before it was kept.
    #[serde(default)]
    open_conversations: Vec<String>,
}

/// What one flush writes: new rows, and the names and last event seen as they now stand.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Batch {
    /// Final rows received since the last flush.
    pub rows: Vec<SavedRow>,
    /// Every name learnt so far.
    pub names: SavedNames,
    /// The last event seen so far.
    pub last_event_ms: Option<f64>,
    /// The conversations open as last reported.
    pub open_conversations: Vec<String>,
}

/// An open connection to the widget's database.
pub struct Store {
    db: Database,
}

impl Store {
    /// Open (creating on first use) the database called `name`: [`DATABASE_NAME`] outside tests.
    pub async fn open(name: &str) -> Result<Self, StoreError> {
        let mut request = Factory::new()?.open(name, Some(VERSION))?;
        request.on_upgrade_needed(|event| {
            if let Ok(db) = event.database() {
                upgrade(&db);
            }
        });
        Ok(Self { db: request.await? })
    }

    /// Everything kept for `key`: rows oldest end first, names, last event seen.
    pub async fn load(&self, key: &StoreKey) -> Result<Saved, StoreError> {
        let tx = self
            .db
            .transaction(&[ROWS, META], TransactionMode::ReadOnly)?;
        let records = tx
            .object_store(ROWS)?
            .index(BY_END)?
            .get_all(Some(whole(key)?.into()), None)?
            .await?;
        let meta = tx.object_store(META)?.get(meta_key(key))?.await?;
        let mut saved = Saved {
            rows: records
                .iter()
                .filter_map(|record| from_js::<RowRecord>(record).ok())
                .map(|record| record.row)
                .collect(),
            ..Saved::default()
        };
        if let Some(meta) = meta {
            let meta: MetaRecord = from_js(&meta)?;
            saved.names = meta.names;
            saved.last_event_ms = meta.last_event_ms;
            saved.open_conversations = meta.open_conversations;
        }
        Ok(saved)
    }

    /// Write `batch` for `key` and trim to `retention` as of `now_ms`, in one transaction, so the last
    /// event seen never runs ahead of the rows saved with it.
    pub async fn save(
        &self,
        key: &StoreKey,
        batch: &Batch,
        retention: &Retention,
        now_ms: f64,
    ) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(&[ROWS, META], TransactionMode::ReadWrite)?;
        let rows = tx.object_store(ROWS)?;
        for row in &batch.rows {
            let record = RowRecord {
                environment: key.environment.clone(),
                user_id: key.user_id.clone(),
                leg: row.outcome.leg_key().to_string(),
                end_ms: row.end_ms(),
                row: row.clone(),
            };
            // Keyed by leg: a row saved twice (a replayed batch, a restore) stays one row.
            rows.put(&to_js(&record)?, None)?;
        }
        tx.object_store(META)?.put(
            &to_js(&MetaRecord {
                environment: key.environment.clone(),
                user_id: key.user_id.clone(),
                names: batch.names.clone(),
                last_event_ms: batch.last_event_ms,
                open_conversations: batch.open_conversations.clone(),
            })?,
            None,
        )?;

        let by_end = rows.index(BY_END)?;
        let cutoff = now_ms - retention.max_age.as_millis() as f64;
        let too_old = KeyRange::bound(
            &key_of(key, None),
            &key_of(key, Some(JsValue::from_f64(cutoff))),
            Some(false),
            Some(true),
        )?;
        for leg in by_end.get_all_keys(Some(too_old.into()), None)?.await? {
            rows.delete(leg)?;
        }
        let kept = by_end.count(Some(whole(key)?.into()))?.await?;
        if kept > retention.max_rows {
            let excess = by_end
                .get_all_keys(Some(whole(key)?.into()), Some(kept - retention.max_rows))?
                .await?;
            for leg in excess {
                rows.delete(leg)?;
            }
        }
        tx.commit()?.await?;
        Ok(())
    }

    /// Delete everything kept for `key` (sign-out); other users and environments keep theirs.
    pub async fn clear(&self, key: &StoreKey) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(&[ROWS, META], TransactionMode::ReadWrite)?;
        let range = KeyRange::bound(
            &key_of(key, None),
            &key_of(key, Some(js_sys::Array::new().into())),
            Some(false),
            Some(false),
        )?;
        tx.object_store(ROWS)?.delete(range)?;
        tx.object_store(META)?.delete(meta_key(key))?;
        tx.commit()?.await?;
        Ok(())
    }

    /// Close the connection (tests reopen to prove what was written survives).
    pub fn close(self) {
        self.db.close();
    }
}

/// Delete everything kept for `key`: what signing out does.
pub async fn forget(key: StoreKey) -> Result<(), StoreError> {
    Store::open(DATABASE_NAME).await?.clear(&key).await
}

fn upgrade(db: &Database) {
    let mut rows = ObjectStoreParams::new();
    rows.key_path(Some(KeyPath::new_array(["environment", "userId", "leg"])));
    if let Ok(store) = db.create_object_store(ROWS, rows) {
        let _ = store.create_index(
            BY_END,
            KeyPath::new_array(["environment", "userId", "endMs"]),
            Some(IndexParams::new()),
        );
    }
    let mut meta = ObjectStoreParams::new();
    meta.key_path(Some(KeyPath::new_array(["environment", "userId"])));
    let _ = db.create_object_store(META, meta);
}

/// `[environment, userId]`, or `[environment, userId, last]`.
fn key_of(key: &StoreKey, last: Option<JsValue>) -> JsValue {
    let parts = js_sys::Array::of2(
        &key.environment.as_str().into(),
        &key.user_id.as_str().into(),
    );
    if let Some(last) = last {
        parts.push(&last);
    }
    parts.into()
}

fn meta_key(key: &StoreKey) -> JsValue {
    key_of(key, None)
}

/// Every row key of `key` in either store or index: `[env, user]` ≤ k ≤ `[env, user, []]` (an array
/// sorts after every number and string).
fn whole(key: &StoreKey) -> Result<KeyRange, StoreError> {
    Ok(KeyRange::bound(
        &key_of(key, None),
        &key_of(key, Some(js_sys::Array::new().into())),
        Some(false),
        Some(false),
    )?)
}

fn to_js(value: &impl Serialize) -> Result<JsValue, StoreError> {
    js_json::to_js(value).map_err(|crossing| match crossing {
        Crossing::Json(e) => StoreError(e.to_string()),
        Crossing::Js => StoreError("a record would not convert".into()),
    })
}

fn from_js<T: DeserializeOwned>(value: &JsValue) -> Result<T, StoreError> {
    js_json::from_js(value).map_err(|crossing| match crossing {
        Crossing::Json(e) => StoreError(format!("a stored record is damaged: {e}")),
        Crossing::Js => StoreError("a stored record would not read".into()),
    })
}

/// Collects feed changes as they happen and writes them every [`FLUSH_EVERY`], so the hot path only
/// pushes onto a list. Clones share one collection.
#[derive(Clone, Default)]
pub struct FeedSaver {
    shared: Rc<RefCell<Collected>>,
}

#[derive(Default)]
struct Collected {
    /// Known once `users/me` answered and the saved feed was read.
    target: Option<(Rc<Store>, StoreKey)>,
    batch: Batch,
    /// Legs saved or restored: a leg re-emitted after a reload keeps its first arrival time and source.
    legs: HashSet<String>,
    changed: bool,
    /// Signed out, or storage failed: nothing more is written.
    stopped: bool,
}

impl FeedSaver {
    /// Final rows the feed just showed.
    pub fn rows(&self, rows: impl IntoIterator<Item = SavedRow>) {
        let mut collected = self.shared.borrow_mut();
        if collected.stopped {
            return;
        }
        let Collected { batch, legs, .. } = &mut *collected;
        let before = batch.rows.len();
        batch.rows.extend(
            rows.into_iter()
                .filter(|row| legs.insert(row.outcome.leg_key().to_string())),
        );
        collected.changed |= collected.batch.rows.len() > before;
    }

    /// Names the feed just learnt.
    pub fn names(&self, names: &Names) {
        let mut collected = self.shared.borrow_mut();
        collected.batch.names.learn(names);
        collected.changed = true;
    }

    /// An event (heartbeat, outcome, ACW change) arrived at `at_ms`.
    pub fn event_seen(&self, at_ms: f64) {
        let mut collected = self.shared.borrow_mut();
        collected.batch.last_event_ms = Some(at_ms);
        collected.changed = true;
    }

    /// The conversations the tracker has open now (read by id after a reload, as they may end meanwhile).
    pub fn open_conversations(&self, ids: Vec<String>) {
        let mut collected = self.shared.borrow_mut();
        collected.batch.open_conversations = ids;
        collected.changed = true;
    }

    /// Open the database, read what is kept for `key`, and start saving there. Names already kept are
    /// merged under the ones learnt since sign-in.
    pub async fn resume(&self, key: StoreKey) -> Result<Saved, StoreError> {
        let result = async {
            let store = Store::open(DATABASE_NAME).await?;
            let saved = store.load(&key).await?;
            Ok::<_, StoreError>((store, saved))
        }
        .await;
        let mut collected = self.shared.borrow_mut();
        match result {
            Ok((store, saved)) => {
                let restored = saved
                    .rows
                    .iter()
                    .map(|row| row.outcome.leg_key().to_string());
                collected.legs.extend(restored);
                let mut names = saved.names.clone();
                names.learn(&collected.batch.names.to_names());
                collected.batch.names = names;
                // Until newer events arrive, the saved ones are where this page stands.
                if collected.batch.last_event_ms.is_none() {
                    collected.batch.last_event_ms = saved.last_event_ms;
                }
                if collected.batch.open_conversations.is_empty() {
                    collected.batch.open_conversations = saved.open_conversations.clone();
                }
                collected.target = Some((Rc::new(store), key));
                collected.changed = true;
                Ok(saved)
            }
            Err(err) => {
                collected.stop();
                Err(err)
            }
        }
    }

    /// Where this page stands now: the last event seen (saved or since) and the conversations open.
    /// A follower that takes over the shared link, or a link resumed after a host stop, recovers from
    /// here, with or without storage.
    pub fn resume_point(&self) -> Option<ResumePoint> {
        let collected = self.shared.borrow();
        collected
            .batch
            .last_event_ms
            .map(|last_event_ms| ResumePoint {
                last_event_ms,
                open_conversations: collected.batch.open_conversations.clone(),
            })
    }

    /// Whether this page knows where it stands: it read the saved feed, or storage is refused (a
    /// framed app with third-party storage blocked) and it has seen events since.
    pub fn resumed(&self) -> bool {
        let collected = self.shared.borrow();
        collected.target.is_some() || collected.batch.last_event_ms.is_some()
    }

    /// Write what was collected every [`FLUSH_EVERY`] until dropped or stopped; the first failure is
    /// reported to `failed` and ends saving for this sign-in (the feed itself goes on).
    pub async fn run(self, failed: Callback<StoreError>) {
        loop {
            gloo_timers::future::sleep(FLUSH_EVERY).await;
            let next = {
                let mut collected = self.shared.borrow_mut();
                if collected.stopped {
                    return;
                }
                match &collected.target {
                    Some((store, key)) if collected.changed => {
                        let write = (store.clone(), key.clone());
                        let batch = Batch {
                            rows: std::mem::take(&mut collected.batch.rows),
                            ..collected.batch.clone()
                        };
                        collected.changed = false;
                        Some((write, batch))
                    }
                    _ => None,
                }
            };
            if let Some(((store, key), batch)) = next {
                let saved = store
                    .save(&key, &batch, &RETENTION, js_sys::Date::now())
                    .await;
                if let Err(err) = saved {
                    self.shared.borrow_mut().stop();
                    failed.emit(err);
                    return;
                }
            }
        }
    }

    /// Write nothing more (signing out): rows collected but not yet written are dropped.
    pub fn stop(&self) {
        self.shared.borrow_mut().stop();
    }
}

impl Collected {
    fn stop(&mut self) {
        self.stopped = true;
        self.batch = Batch::default();
        self.legs.clear();
    }
}
