//! Agents in after-call work right now: the wrap-ups that are about to arrive.

use std::rc::Rc;

use wrapup_core::tracker::WrapUpOutcome;
use yew::prelude::*;

use crate::state::feed::Directory;
use crate::view::short_id;

/// Props for [`AcwList`].
#[derive(Properties, PartialEq)]
pub struct AcwListProps {
    /// Legs in ACW.
    pub pending: Rc<Vec<Rc<WrapUpOutcome>>>,
    /// Names for ids.
    pub directory: Rc<Directory>,
}

/// A compact list of agents wrapping up; hidden when nobody is.
#[function_component(AcwList)]
pub fn acw_list(props: &AcwListProps) -> Html {
    if props.pending.is_empty() {
        return html! {};
    }
    html! {
        <section class="acw" aria-label="Agents in after-call work">
            <h2 class="section-title">{ format!("Wrapping up now ({})", props.pending.len()) }</h2>
            <ul class="acw-list">
                { for props.pending.iter().map(|leg| {
                    let agent = leg.user_id.as_deref().map(|id| props.directory.user_name(id).map(str::to_owned).unwrap_or_else(|| short_id(id))).unwrap_or_else(|| "Unknown agent".to_owned());
                    let queue = leg.queue_id.as_deref().and_then(|id| props.directory.queue_name(id)).map(str::to_owned);
                    html! {
                        <li key={leg.leg_key().to_string()} class="acw-item">
                            <span class="acw-dot" aria-hidden="true"></span>
                            <span class="acw-agent">{ agent }</span>
                            if let Some(queue) = queue { <span class="acw-queue">{ queue }</span> }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
