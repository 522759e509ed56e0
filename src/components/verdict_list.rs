//! The explanation of one record: the callback origin (seed rule, `wrapup_core::diagnosis::callback_origin`)
//! and one [`LegVerdict`] per agent leg.

use std::rc::Rc;

use wrapup_core::diagnosis::{CallbackOrigin, Explanation};
use yew::prelude::*;

use crate::i18n::t;

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
        Some(CallbackOrigin::Api) => ("api", t("callback-origin-api")),
        Some(CallbackOrigin::Added) => ("added", t("callback-origin-added")),
        None => ("unknown", t("callback-origin-unknown")),
    };
    html! {
        <section class="verdict-list" aria-label={t("verdicts-title")} data-testid="verdict-list">
            <h3>{ t("verdicts-title") }</h3>
            <p class="conversation-facts">
                { t("verdicts-conversation") }{ " " }<code>{ explanation.conversation_id.clone() }</code>
                { match &explanation.conversation_end {
                    Some(end) => html! { <>{ ", " }{ t("verdicts-ended") }{ " " }<code>{ end.clone() }</code></> },
                    None => html! { <>{ ", " }{ t("verdicts-not-ended") }</> },
                } }
            </p>
            <p class="callback-origin" data-callback-origin={origin}>{ t("callback-origin") }{ " " }{ origin_text }</p>
            <ul class="leg-verdicts">
                { for explanation.verdicts.iter().map(|leg| html! {
                    <LegVerdict leg={leg.clone()} directory={props.directory.clone()} />
                }) }
            </ul>
        </section>
    }
}
