//! Saving one sign-in's feed in this browser: restoring it when `users/me` answers (and telling the
//! engine where to recover from), and forgetting it on sign-out.

use futures::channel::oneshot;
use wasm_bindgen_futures::spawn_local;
use wrapup_core::platform::Platform;
use yew::prelude::*;

use crate::i18n::t_args;
use crate::services::store::{self, FeedSaver};
use crate::state::feed::{FeedAction, FeedRow, FeedState};
use crate::state::session::SessionState;
use crate::types::saved::{ResumePoint, StoreKey};

/// Where one sign-in's feed is saved, and who hears when saving fails.
pub struct Saving {
    /// The batched writer of this sign-in.
    pub saver: FeedSaver,
    /// Whose environment the rows belong to.
    pub platform: Platform,
    /// Shows why saving failed, once.
    pub failed: Callback<String>,
    /// Hands the engine the last event seen before this page load, so it recovers the gap since.
    pub resume: std::cell::RefCell<Option<oneshot::Sender<Option<ResumePoint>>>>,
}

impl Saving {
    /// `users/me` answered: bring back what this user saw here before, then save alongside the feed.
    pub fn resume(&self, user_id: &str, feed: &UseReducerHandle<FeedState>) {
        let (saver, feed, failed) = (self.saver.clone(), feed.clone(), self.failed.clone());
        let resume = self.resume.borrow_mut().take();
        let key = StoreKey::new(user_id, &self.platform);
        spawn_local(async move {
            match saver.resume(key).await {
                Ok(saved) => {
                    let point = saved.resume_point();
                    feed.dispatch(FeedAction::Names(saved.names.to_names()));
                    feed.dispatch(FeedAction::Restore(
                        saved.rows.into_iter().map(FeedRow::from).collect(),
                    ));
                    if let Some(resume) = resume {
                        let _ = resume.send(point);
                    }
                }
                Err(err) => failed.emit(err.notice()),
            }
        });
    }
}

/// Signing out: stop saving and delete what was kept for this user here.
pub fn forget_saved_feed(
    session: &SessionState,
    saver: Option<FeedSaver>,
    store_problem: UseStateHandle<Option<String>>,
) {
    if let Some(saver) = saver {
        saver.stop();
    }
    let (Some(me), Some(launch)) = (&session.me, session.phase.launch()) else {
        return;
    };
    let key = StoreKey::new(&me.id, &launch.platform);
    spawn_local(async move {
        if let Err(err) = store::forget(key).await {
            store_problem.set(Some(t_args(
                "saved-feed-not-deleted",
                &[("problem", err.to_string().into())],
            )));
        }
    });
}
