//! The interaction widget's compact view of one conversation (the client app opened with `gcConversationId`):
//! its facts, each agent leg's live wrap-up state from the feed next to its analytics verdict (looked up and
//! retried exactly as the Conversation tab does), and the context an agent needs: the customer's recent
//! conversations (by caller address) and the agent's last wrap-ups, with code names. It lives beside App
//! because it runs services.

use std::collections::BTreeSet;

use futures::future::{AbortHandle, Abortable};
use wasm_bindgen_futures::spawn_local;
use wrapup_core::lookup::context::{
    ConversationFacts, agent_query, context_agent, context_window, customer_query, interaction_legs,
};
use wrapup_core::model::parse_instant;
use wrapup_core::tracker::Outcome;
use yew::prelude::*;

use super::analytics::{feed_outcomes, learn_names, use_lookup_runner};
use crate::components::interaction::context_list::ContextList;
use crate::components::interaction::conversation_facts::ConversationFacts as Facts;
use crate::components::interaction::interaction_leg::InteractionLeg;
use crate::components::lookup_status::LookupStatus;
use crate::i18n::{t, t_args};
use crate::services::api::Api;
use crate::services::context::load_context;
use crate::state::feed::FeedState;
use crate::state::interaction::{InteractionAction, InteractionState};
use crate::state::lookup::{LookupAction, LookupState, Source, Stage};
use crate::types::interaction::{ContextEvent, ContextList as List};
use crate::view::media_label;

/// Props for [`InteractionView`].
#[derive(Properties, PartialEq)]
pub struct InteractionViewProps {
    /// The conversation the host opened the widget beside (`gcConversationId`), as given: checked here.
    pub conversation_id: AttrValue,
    /// The signed-in client.
    pub api: Api,
    /// The live feed: its rows and after-call-work legs give each leg's live state, its directory the names.
    pub feed: UseReducerHandle<FeedState>,
}

/// The compact view.
#[function_component(InteractionView)]
pub fn interaction_view(props: &InteractionViewProps) -> Html {
    let lookup = use_reducer(LookupState::default);
    let context = use_reducer(InteractionState::default);
    {
        let lookup = lookup.clone();
        use_effect_with(props.conversation_id.clone(), move |id| {
            lookup.dispatch(LookupAction::Typed(id.to_string()));
        });
    }
    use_lookup_runner(&lookup, Some(props.api.clone()), Some(props.feed.clone()));

    let directory = props.feed.directory.clone();
    // Every hook runs on every render (Yew's rule), so the refused-id page is chosen only after them.
    let id = lookup.conversation_id.clone().unwrap_or_default();
    let realtime = match &lookup.realtime {
        Some(Ok(Some(conversation))) => Some(conversation.as_ref()),
        _ => None,
    };
    let record = lookup.record.as_deref();
    let facts = ConversationFacts::of(realtime, record);
    let feed_rows = feed_outcomes(&props.feed, &id);
    // A leg's wrap-up just arrived live: ask analytics again now instead of at the end of a backoff
    // that grew while the call went on (it indexes seconds after the wrap-up).
    {
        let decided: Vec<String> = feed_rows
            .iter()
            .filter(|o| o.outcome != Outcome::Pending)
            .filter_map(|o| o.end_time.clone())
            .collect();
        let lookup = lookup.clone();
        let id = id.clone();
        use_effect_with(decided, move |decided| {
            if let Some(feed_end) = decided.iter().max().cloned()
                && matches!(lookup.stage, Stage::Waiting { .. })
            {
                lookup.dispatch(LookupAction::Open {
                    conversation_id: id,
                    source: Source::Feed,
                    feed_end: Some(feed_end),
                });
            }
        });
    }
    let legs = interaction_legs(lookup.explanation.as_deref(), realtime, &feed_rows);
    let agent = context_agent(&legs).map(str::to_owned);
    let answered = !id.is_empty() && (lookup.realtime.is_some() || record.is_some());
    {
        let context = context.clone();
        let media = facts.media_type.clone();
        use_effect_with(
            (answered, facts.ani.clone(), agent.clone()),
            move |(answered, ani, agent)| {
                if *answered {
                    context.dispatch(InteractionAction::Subject {
                        list: List::Customer,
                        key: ani.clone(),
                        unavailable: no_caller_number(media.as_deref()),
                    });
                    context.dispatch(InteractionAction::Subject {
                        list: List::Agent,
                        key: agent.clone(),
                        unavailable: t("interaction-no-agent-yet"),
                    });
                }
            },
        );
    }
    use_context_runner(&context, List::Customer, &props.api, &props.feed, &id);
    use_context_runner(&context, List::Agent, &props.api, &props.feed, &id);

    if let Some(problem) = &lookup.input_error {
        return html! {
            <div class="interaction-view" data-testid="interaction-view">
                <p class="interaction-error" role="alert" data-testid="interaction-error">
                    { t_args("interaction-unusable-id", &[("problem", problem.as_str().into())]) }
                </p>
            </div>
        };
    }
    if id.is_empty() {
        return html! { <div class="interaction-view" data-testid="interaction-view" /> };
    }
    let problem = match &lookup.realtime {
        Some(Ok(None)) if record.is_none() => Some(t_args(
            "interaction-not-found",
            &[("id", id.as_str().into())],
        )),
        Some(Err(message)) => Some(t_args(
            "interaction-realtime-failed",
            &[("problem", message.as_str().into())],
        )),
        _ => None,
    };
    let ended_at_ms = facts
        .end
        .as_deref()
        .and_then(parse_instant)
        .map(|at| (at.unix_timestamp_nanos() / 1_000_000) as f64)
        .or_else(|| lookup.ended_at_ms());
    html! {
        <div class="interaction-view" data-testid="interaction-view">
            <Facts conversation_id={AttrValue::from(id.clone())} facts={facts.clone()} />
            if let Some(problem) = problem {
                <p class="interaction-error" role="alert" data-testid="interaction-not-found">{ problem }</p>
            }
            <LookupStatus stage={lookup.stage.clone()} conversation_id={AttrValue::from(id.clone())} {ended_at_ms} />
            <section class="interaction-legs" aria-label={t("interaction-legs-title")}>
                <h3>{ t("interaction-legs-title") }</h3>
                if legs.is_empty() {
                    <p class="context-status">{ t("interaction-legs-none") }</p>
                } else {
                    <ul>
                        { for legs.into_iter().map(|leg| {
                            let key = leg.participant_id.clone();
                            html! { <InteractionLeg {key} {leg} directory={directory.clone()} /> }
                        }) }
                    </ul>
                }
            </section>
            <ContextList list={List::Customer} title={t("interaction-context-customer-title")}
                status={context.customer.status.clone()} directory={directory.clone()} show_agents=true />
            <ContextList list={List::Agent} title={t("interaction-context-agent-title")}
                status={context.agent.status.clone()} directory={directory.clone()} />
        </div>
    }
}

fn no_caller_number(media: Option<&str>) -> String {
    match media {
        Some("voice" | "callback") | None => t("interaction-no-ani"),
        Some(other) => t_args(
            "interaction-no-ani-media",
            &[("media", media_label(Some(other)).into())],
        ),
    }
}

/// Loads `list` whenever it wants loading for a new subject; stops when the subject changes or the view
/// unmounts. Afterwards, asks the platform for the names of codes and agents the feed does not know yet.
#[hook]
fn use_context_runner(
    context: &UseReducerHandle<InteractionState>,
    list: List,
    api: &Api,
    feed: &UseReducerHandle<FeedState>,
    open_conversation: &str,
) {
    let wanted = context.list(list).wants_fetch().map(str::to_owned);
    let context = context.clone();
    let feed = feed.clone();
    let open = open_conversation.to_owned();
    use_effect_with((wanted, api.clone()), move |(wanted, api)| {
        let running = wanted.clone().map(|key| {
            let api = api.clone();
            let (handle, registration) = AbortHandle::new_pair();
            spawn_local(async move {
                let window = context_window(now());
                let (query, agent) = match list {
                    List::Customer => (customer_query(&key, window), None),
                    List::Agent => (agent_query(&key, window), Some(key.as_str())),
                };
                let seen = std::cell::RefCell::new(BTreeSet::<(bool, String)>::new());
                let report = |event: ContextEvent| {
                    if let ContextEvent::Loaded(rows) = &event {
                        let mut seen = seen.borrow_mut();
                        for leg in rows.iter().flat_map(|r| &r.verdicts) {
                            seen.extend(leg.code.clone().map(|c| (true, c)));
                            seen.extend(leg.user_id.clone().map(|u| (false, u)));
                        }
                    }
                    context.dispatch(InteractionAction::Event {
                        list,
                        key: key.clone(),
                        event,
                    });
                };
                let loading = load_context(&api, &query, &open, agent, report);
                if Abortable::new(loading, registration).await.is_ok() {
                    learn_names(&api, &feed, seen.into_inner()).await;
                }
            });
            handle
        });
        move || {
            if let Some(handle) = running {
                handle.abort();
            }
        }
    });
}

fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp_nanos((js_sys::Date::now() * 1_000_000.0) as i128)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}
