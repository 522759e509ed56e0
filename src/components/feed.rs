//! The wrap-up feed panel: counts, the outcomes chart, the toolbar, the virtualized rows and the
//! live region. It raises callbacks for everything that leaves the page (files, the panel).

use std::rc::Rc;

use yew::prelude::*;

use super::feed_announcer::FeedAnnouncer;
use super::feed_chart::FeedChart;
use super::feed_counts::FeedCounts;
use super::feed_list::FeedList;
use super::feed_toolbar::FeedToolbar;
use crate::i18n::{t, t_args};
use crate::state::feed::{FeedAction, FeedFilter, FeedState};

/// Props for [`Feed`].
#[derive(Properties, PartialEq)]
pub struct FeedProps {
    /// The feed state to render.
    pub feed: Rc<FeedState>,
    /// Filter, pause and resume changes for the feed's reducer.
    #[prop_or_default]
    pub on_action: Callback<FeedAction>,
    /// A row was opened: its conversation id (the analytics panel's hook).
    #[prop_or_default]
    pub on_open_conversation: Callback<String>,
    /// Export CSV: the file's text, or what went wrong.
    #[prop_or_default]
    pub on_export: Callback<Result<String, String>>,
    /// Download frames pressed.
    #[prop_or_default]
    pub on_download_frames: Callback<()>,
    /// A capture was picked for Import frames.
    #[prop_or_default]
    pub on_import_frames: Callback<web_sys::File>,
    /// Set when showing a replayed capture: what it is.
    #[prop_or_default]
    pub offline: Option<AttrValue>,
}

/// The feed panel.
#[function_component(Feed)]
pub fn feed(props: &FeedProps) -> Html {
    let feed = &props.feed;
    let (per_outcome, per_code, per_minute, agents, queues, codes) = {
        let rows = feed.rows();
        let shown = rows.view_summary();
        let mut per_code: Vec<(String, u32)> = shown
            .per_code
            .iter()
            .map(|(c, n)| (c.clone(), *n))
            .collect();
        per_code.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let all = rows.summary();
        let keys = |m: &std::collections::HashMap<String, u32>| {
            Rc::new(m.keys().cloned().collect::<Vec<_>>())
        };
        (
            shown.per_outcome,
            Rc::new(per_code),
            Rc::new(shown.per_minute.clone()),
            keys(&all.per_agent),
            keys(&all.per_queue),
            keys(&all.per_code),
        )
    };
    let on_filter = props.on_action.reform(FeedAction::Filter);
    let on_pick_code = {
        let (filter, on_filter) = (feed.filter.clone(), on_filter.clone());
        Callback::from(move |code: String| {
            on_filter.emit(FeedFilter {
                code: Some(code),
                ..(*filter).clone()
            })
        })
    };
    let on_pause = props.on_action.reform(|pause: bool| {
        if pause {
            FeedAction::Pause
        } else {
            FeedAction::Resume
        }
    });
    let on_export = {
        let (feed, on_export) = (feed.clone(), props.on_export.clone());
        Callback::from(move |()| on_export.emit(feed.export_csv().map_err(|e| e.to_string())))
    };
    let total = feed.shown_len();
    let retained = feed.rows().len();
    let filtered = !feed.filter.is_empty();
    html! {
        <section class={classes!("feed", props.offline.is_some().then_some("feed-offline"))} aria-labelledby="feed-title">
            <div class="feed-head">
                <h1 id="feed-title" class="section-title">
                    { if props.offline.is_some() { t("feed-title-imported") } else { t("feed-title") } }
                    <span class="row-count">{ if filtered { t_args("feed-rows-filtered", &[("shown", total.into()), ("retained", retained.into())]) } else { t_args("feed-rows", &[("retained", retained.into())]) } }</span>
                </h1>
                <FeedCounts {per_outcome} {per_code} directory={feed.directory.clone()} {on_pick_code} />
                <FeedChart {per_minute} />
            </div>
            if let Some(offline) = &props.offline {
                <p class="offline-banner" role="note">{ offline.clone() }</p>
            }
            <FeedToolbar filter={feed.filter.clone()} {agents} {queues} {codes}
                directory={feed.directory.clone()} paused={feed.paused} held={feed.held_count()}
                offline={props.offline.is_some()} {on_filter} {on_pause} {on_export}
                on_download_frames={props.on_download_frames.clone()}
                on_import_frames={props.on_import_frames.clone()} />
            if feed.paused {
                <p class="paused-banner" role="status">
                    { t_args("feed-paused", &[("held", feed.held_count().into())]) }
                </p>
            }
            if total == 0 && filtered {
                <p class="empty" data-testid="feed-empty">{ t("feed-empty-filtered") }</p>
            } else if total == 0 {
                <p class="empty" data-testid="feed-empty">
                    { t("feed-empty") }
                </p>
            } else {
                <FeedList feed={feed.clone()} on_open_conversation={props.on_open_conversation.clone()} />
            }
            <FeedAnnouncer arrived={feed.arrived} />
        </section>
    }
}
