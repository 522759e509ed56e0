//! The "Conversation" tab of the analytics panel, wired to its services: runs `services::lookup` for the open
//! conversation (restarted by every open, stopped by the next or by unmounting), reads dropped or picked JSON
//! files, learns the names of codes and agents it meets, and lays out form, status, verdicts, timeline and
//! the real-time comparison. It lives beside App because it calls services.

use std::cell::RefCell;
use std::collections::BTreeSet;

use futures::future::{AbortHandle, Abortable};
use wasm_bindgen_futures::spawn_local;
use wrapup_core::lookup::crosscheck::compare;
use wrapup_core::tracker::WrapUpOutcome;
use yew::prelude::*;

use crate::components::lookup_form::LookupForm;
use crate::components::lookup_status::LookupStatus;
use crate::components::realtime_compare::RealtimeCompare;
use crate::components::timeline::Timeline;
use crate::components::verdict_list::VerdictList;
use crate::i18n::{Arg, t, t_args};
use crate::services::api::Api;
use crate::services::{files, lookup};
use crate::state::feed::{FeedAction, FeedState};
use crate::state::lookup::{LookupAction, LookupState, Source};
use crate::types::lookup::LookupEvent;
use crate::types::names::Names;

/// Props for [`ConversationLookup`].
#[derive(Properties, PartialEq)]
pub struct ConversationLookupProps {
    /// The lookup's state (App owns it, so feed rows and the deep link can open conversations).
    pub lookup: UseReducerHandle<LookupState>,
    /// The signed-in client; `None` signed out (offline explanation only).
    #[prop_or_default]
    pub api: Option<Api>,
    /// The live feed, for its rows of the open conversation and its names.
    #[prop_or_default]
    pub feed: Option<UseReducerHandle<FeedState>>,
    /// The id to show in the field before anything is opened (a deep link before sign-in).
    #[prop_or_default]
    pub initial_id: Option<AttrValue>,
}

/// The feed's outcomes (decided and in after-call work) for `conversation_id`.
pub fn feed_outcomes(feed: &FeedState, conversation_id: &str) -> Vec<WrapUpOutcome> {
    let decided: Vec<WrapUpOutcome> = feed
        .rows()
        .rows()
        .filter(|r| r.outcome.conversation_id == conversation_id)
        .map(|r| r.outcome.clone())
        .collect();
    decided
        .into_iter()
        .chain(
            feed.pending
                .iter()
                .filter(|r| r.outcome.conversation_id == conversation_id)
                .map(|r| r.outcome.clone()),
        )
        .collect()
}

/// The Conversation tab.
#[function_component(ConversationLookup)]
pub fn conversation_lookup(props: &ConversationLookupProps) -> Html {
    let lookup = &props.lookup;
    use_lookup_runner(lookup, props.api.clone(), props.feed.clone());
    let directory = props
        .feed
        .as_ref()
        .map(|f| f.directory.clone())
        .unwrap_or_default();
    let on_look_up = {
        let lookup = lookup.clone();
        Callback::from(move |text: String| lookup.dispatch(LookupAction::Typed(text)))
    };
    let on_paste = {
        let lookup = lookup.clone();
        Callback::from(move |text: String| {
            lookup.dispatch(LookupAction::Offline {
                name: t("lookup-pasted-json"),
                text,
            })
        })
    };
    let on_file = {
        let lookup = lookup.clone();
        Callback::from(move |file: web_sys::File| {
            let lookup = lookup.clone();
            spawn_local(async move {
                let name = file.name();
                let text = match files::read_text(&file).await {
                    Ok(text) => text,
                    Err(problem) => problem,
                };
                lookup.dispatch(LookupAction::Offline { name, text });
            });
        })
    };
    let feed_rows = match (&props.feed, &lookup.conversation_id, &lookup.source) {
        (Some(feed), Some(id), Some(source)) if !matches!(source, Source::Offline { .. }) => {
            feed_outcomes(feed, id)
        }
        _ => Vec::new(),
    };
    let comparisons = compare(
        lookup.explanation.as_deref(),
        match &lookup.realtime {
            Some(Ok(Some(c))) => Some(c.as_ref()),
            _ => None,
        },
        &feed_rows,
    );
    let heading = match (&lookup.source, &lookup.conversation_id) {
        (Some(Source::Offline { name }), _) => Some(t_args(
            "lookup-offline-heading",
            &[("name", name.as_str().into())],
        )),
        (Some(source), Some(id)) => {
            let id = || Arg::from(id.as_str());
            Some(match source {
                Source::Feed => t_args("lookup-opened-from-feed", &[("id", id())]),
                Source::Typed => t_args("lookup-opened-by-id", &[("id", id())]),
                Source::DeepLink => t_args("lookup-opened-from-link", &[("id", id())]),
                Source::Offline { .. } => t_args("lookup-opened-offline", &[("id", id())]),
            })
        }
        _ => None,
    };
    html! {
        <div class="conversation-lookup" data-testid="conversation-lookup">
            <LookupForm signed_in={props.api.is_some()} initial_id={props.initial_id.clone()}
                error={lookup.input_error.clone().map(AttrValue::from)} {on_look_up} {on_paste} {on_file} />
            if let Some(heading) = heading {
                <p class="lookup-heading" data-testid="lookup-heading">{ heading }</p>
            }
            if let Some(id) = &lookup.conversation_id {
                <LookupStatus stage={lookup.stage.clone()} conversation_id={AttrValue::from(id.clone())}
                    ended_at_ms={lookup.ended_at_ms()} />
            }
            if let Some(explanation) = &lookup.explanation {
                <VerdictList explanation={explanation.clone()} directory={directory.clone()} />
            }
            if lookup.conversation_id.is_some() && !matches!(lookup.source, Some(Source::Offline { .. })) {
                <RealtimeCompare legs={comparisons} realtime={lookup.realtime.clone()} directory={directory.clone()} />
            }
            if let Some(record) = &lookup.record {
                <Timeline record={record.clone()} directory={directory.clone()} />
            }
        </div>
    }
}

/// Runs the lookup service for each new run that wants fetching; stops it when the run changes or the panel
/// unmounts. Afterwards, asks the platform for the names of codes and agents the feed does not know yet.
#[hook]
pub(crate) fn use_lookup_runner(
    lookup: &UseReducerHandle<LookupState>,
    api: Option<Api>,
    feed: Option<UseReducerHandle<FeedState>>,
) {
    let lookup = lookup.clone();
    let run = lookup.run;
    let wants = lookup.wants_fetch();
    let id = lookup.conversation_id.clone();
    use_effect_with((run, api), move |(run, api)| {
        let running = match (api.clone(), id, wants) {
            (Some(api), Some(id), true) => {
                let (handle, registration) = AbortHandle::new_pair();
                let run = *run;
                spawn_local(async move {
                    let seen = RefCell::new(BTreeSet::<(bool, String)>::new());
                    let report = |event: LookupEvent| {
                        remember_ids(&event, &mut seen.borrow_mut());
                        lookup.dispatch(LookupAction::Event { run, event });
                    };
                    let _ = Abortable::new(lookup::look_up(&api, &id, report), registration).await;
                    if let Some(feed) = feed {
                        learn_names(&api, &feed, seen.into_inner()).await;
                    }
                });
                Some(handle)
            }
            _ => None,
        };
        move || {
            if let Some(handle) = running {
                handle.abort();
            }
        }
    });
}

/// Code ids (`true`) and user ids (`false`) named in an event.
fn remember_ids(event: &LookupEvent, seen: &mut BTreeSet<(bool, String)>) {
    match event {
        LookupEvent::Record { explanation, .. } => {
            for leg in &explanation.verdicts {
                seen.extend(leg.code.clone().map(|c| (true, c)));
                seen.extend(leg.user_id.clone().map(|u| (false, u)));
            }
        }
        LookupEvent::Realtime(Ok(Some(conversation))) => {
            for participant in &conversation.participants {
                seen.extend(participant.code().map(|c| (true, c.to_owned())));
                seen.extend(participant.user_id.clone().map(|u| (false, u)));
            }
        }
        _ => {}
    }
}

pub(crate) async fn learn_names(
    api: &Api,
    feed: &UseReducerHandle<FeedState>,
    seen: BTreeSet<(bool, String)>,
) {
    let directory = feed.directory.clone();
    let (codes, users): (Vec<_>, Vec<_>) = seen.into_iter().partition(|(is_code, _)| *is_code);
    let codes: Vec<String> = codes
        .into_iter()
        .map(|(_, c)| c)
        .filter(|c| !c.starts_with("ININ-") && directory.code_name(c).is_none())
        .collect();
    let users: Vec<String> = users
        .into_iter()
        .map(|(_, u)| u)
        .filter(|u| directory.user_name(u).is_none())
        .collect();
    let mut names = Names::default();
    if !codes.is_empty() {
        names.codes = api.wrapup_codes(&codes).await.unwrap_or_default();
    }
    if !users.is_empty() {
        names.users = api.users(&users).await.unwrap_or_default();
    }
    if !names.is_empty() {
        feed.dispatch(FeedAction::Names(names));
    }
}
