//! The open conversation in one line or two: short id (full id on hover), media, start and end, the customer's
//! address and external contact. Platform text renders as text.

use wrapup_core::lookup::context::ConversationFacts as Facts;
use yew::prelude::*;

use super::when;
use crate::i18n::t;
use crate::view::{media_label, short_id};

/// Props for [`ConversationFacts`].
#[derive(Properties, PartialEq)]
pub struct ConversationFactsProps {
    /// The conversation id.
    pub conversation_id: AttrValue,
    /// What is known of it.
    pub facts: Facts,
}

/// The facts.
#[function_component(ConversationFacts)]
pub fn conversation_facts(props: &ConversationFactsProps) -> Html {
    let facts = &props.facts;
    html! {
        <header class="interaction-facts" data-testid="interaction-facts" data-conversation-id={props.conversation_id.clone()}>
            <div class="interaction-title">
                <code title={props.conversation_id.clone()}>{ short_id(&props.conversation_id) }</code>
                <span class="interaction-media" data-media={facts.media_type.clone().unwrap_or_default()}>
                    { media_label(facts.media_type.as_deref()) }
                </span>
            </div>
            <dl class="interaction-times">
                <dt>{ t("interaction-facts-started") }</dt><dd data-testid="interaction-start">{ when(facts.start.as_deref()) }</dd>
                <dt>{ t("interaction-facts-ended") }</dt>
                <dd data-testid="interaction-end">{ facts.end.as_deref().map_or_else(|| t("interaction-facts-still-going-on"), |e| when(Some(e))) }</dd>
                <dt>{ t("interaction-facts-customer") }</dt>
                <dd data-testid="interaction-ani">{ facts.ani.clone().unwrap_or_else(|| t("interaction-facts-no-ani")) }</dd>
                if let Some(contact) = &facts.external_contact_id {
                    <dt>{ t("interaction-facts-contact") }</dt><dd title={contact.clone()}>{ short_id(contact) }</dd>
                }
            </dl>
        </header>
    }
}
