//! The live wrap-up feed: totals, the ACW list and the table of outcomes, newest first.

use yew::prelude::*;

use super::acw_list::AcwList;
use super::feed_row::FeedRow;
use crate::state::feed::FeedState;

/// Props for [`Feed`].
#[derive(Properties, PartialEq)]
pub struct FeedProps {
    /// The feed state to render.
    pub feed: std::rc::Rc<FeedState>,
}

/// The feed panel.
#[function_component(Feed)]
pub fn feed(props: &FeedProps) -> Html {
    let feed = &props.feed;
    let t = feed.totals;
    html! {
        <section class="feed" aria-labelledby="feed-title">
            <div class="feed-head">
                <h1 id="feed-title" class="section-title">{ "Wrap-ups" }</h1>
                <dl class="totals" aria-label="Since you signed in">
                    <div><dt>{ "Submitted" }</dt><dd data-testid="total-submitted">{ t.submitted }</dd></div>
                    <div><dt>{ "Timed out" }</dt><dd>{ t.timed_out }</dd></div>
                    <div><dt>{ "Skipped" }</dt><dd>{ t.skipped }</dd></div>
                    <div><dt>{ "No wrap-up" }</dt><dd>{ t.not_required }</dd></div>
                </dl>
            </div>
            <AcwList pending={feed.pending.clone()} directory={feed.directory.clone()} />
            if feed.rows.is_empty() {
                <p class="empty" data-testid="feed-empty">
                    { "Waiting for the first wrap-up. Each one appears here the moment the agent submits it." }
                </p>
            } else {
                <div class="table-wrap">
                    <table class="feed-table" aria-describedby="feed-title">
                        <thead>
                            <tr>
                                <th scope="col">{ "Time" }</th>
                                <th scope="col">{ "Agent" }</th>
                                <th scope="col">{ "Queue" }</th>
                                <th scope="col">{ "Media" }</th>
                                <th scope="col">{ "Wrap-up code" }</th>
                                <th scope="col">{ "Notes" }</th>
                                <th scope="col">{ "Outcome" }</th>
                            </tr>
                        </thead>
                        <tbody aria-live="polite" aria-relevant="additions">
                            { for feed.rows.iter().map(|row| html! {
                                <FeedRow key={row.key.to_string()} outcome={row.outcome.clone()}
                                    directory={feed.directory.clone()} received_at_ms={row.received_at_ms} />
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        </section>
    }
}
