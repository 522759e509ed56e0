//! The explanation of one record: the callback origin (seed rule, `wrapup_core::diagnosis::callback_origin`)
//! and one [`LegVerdict`] per agent leg.

use std::rc::Rc;

use wrapup_core::diagnosis::{CallbackOrigin, Explanation};
use yew::prelude::*;

use crate::components::leg_verdict::LegVerdict;
use crate::state::feed::Directory;

/// Props for [`VerdictList`].
#[derive(Properties, PartialEq)]
pub struct VerdictListProps {
    /// What `wrapup_core::diagnosis::explain` said.
    pub explanation: Rc<Explanation>,
    /// Names of users and codes, where known.
    pub directory: Rc<Directory>,
}

/// The verdicts.
#[function_component(VerdictList)]
pub fn verdict_list(props: &VerdictListProps) -> Html {
    let explanation = &props.explanation;
    let (origin, origin_text) = match explanation.callback_origin {
        Some(CallbackOrigin::Api) => (
            "api",
            "created through the API (POST /api/v2/conversations/callbacks): the customer's callback session holds the earliest segment of the conversation",
        ),
        Some(CallbackOrigin::Added) => (
            "added",
            "added by an agent or a flow: the customer's callback session starts after the conversation did",
        ),
        None => (
            "unknown",
            "none or unknown: no customer callback session in the record",
        ),
    };
    html! {
        <section class="verdict-list" aria-label="Verdict per agent leg" data-testid="verdict-list">
            <h3>{ "Verdict per agent leg" }</h3>
            <p class="conversation-facts">
                { "Conversation " }<code>{ explanation.conversation_id.clone() }</code>
                { match &explanation.conversation_end {
                    Some(end) => html! { <>{ ", ended " }<code>{ end.clone() }</code></> },
                    None => html! { { ", no conversationEnd yet" } },
                } }
            </p>
            <p class="callback-origin" data-callback-origin={origin}>{ "Callback origin: " }{ origin_text }</p>
            <ul class="leg-verdicts">
                { for explanation.verdicts.iter().map(|leg| html! {
                    <LegVerdict leg={leg.clone()} directory={props.directory.clone()} />
                }) }
            </ul>
        </section>
    }
}
