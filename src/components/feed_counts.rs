//! Counts of the rows shown: per outcome, and per wrap-up code (click a code to filter by it).

use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::{t, t_args};
use crate::state::feed::{CodeLabel, Directory};
use crate::view::short_id;

/// Codes listed at most (the busiest).
pub const MAX_CODES: usize = 8;

/// Props for [`FeedCounts`].
#[derive(Properties, PartialEq)]
pub struct FeedCountsProps {
    /// Rows shown per outcome: submitted, timed out, skipped, no wrap-up.
    pub per_outcome: [u32; 4],
    /// (code id, rows), busiest first; `""` for rows without a code.
    pub per_code: Rc<Vec<(String, u32)>>,
    /// Names for ids.
    pub directory: Rc<Directory>,
    /// A code was picked: its id.
    #[prop_or_default]
    pub on_pick_code: Callback<String>,
}

/// The counts strip.
#[function_component(FeedCounts)]
pub fn feed_counts(props: &FeedCountsProps) -> Html {
    let [submitted, timed_out, skipped, none] = props.per_outcome;
    html! {
        <div class="feed-counts">
            <dl class="totals" aria-label={t("counts-by-outcome")}>
                <div><dt>{ t("outcome-submitted") }</dt><dd data-testid="total-submitted">{ submitted }</dd></div>
                <div><dt>{ t("outcome-timed-out") }</dt><dd>{ timed_out }</dd></div>
                <div><dt>{ t("outcome-skipped") }</dt><dd>{ skipped }</dd></div>
                <div><dt>{ t("outcome-not-required") }</dt><dd>{ none }</dd></div>
            </dl>
            if !props.per_code.is_empty() {
                <ul class="code-counts" aria-label={t("counts-by-code")} data-testid="code-counts">
                    { for props.per_code.iter().take(MAX_CODES).map(|(code, n)| {
                        let label = code_words(&props.directory, code);
                        let pick = { let (cb, code) = (props.on_pick_code.clone(), code.clone()); Callback::from(move |_: MouseEvent| cb.emit(code.clone())) };
                        html! {
                            <li><button type="button" class="chip" title={t_args("counts-show-only", &[("code", label.as_str().into())])} onclick={pick}>
                                <span class="chip-label">{ label }</span><span class="chip-count">{ *n }</span>
                            </button></li>
                        }
                    }) }
                </ul>
            }
        </div>
    }
}

/// A code as a person reads it in a list.
pub fn code_words(dir: &Directory, code: &str) -> String {
    if code.is_empty() {
        return t("code-none");
    }
    match dir.code_label(code) {
        CodeLabel::Named(name) | CodeLabel::System(name) => name,
        CodeLabel::Unavailable(_) => t_args("code-unavailable", &[("code", short_id(code).into())]),
        CodeLabel::Unknown => short_id(code),
    }
}
