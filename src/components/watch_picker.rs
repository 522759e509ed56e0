//! What the feed watches, and the picker that changes it: the person's queues, only their own
//! conversations, chosen queues or chosen agents. Choosing is a draft until "Watch" is pressed.

use std::collections::BTreeSet;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use wrapup_core::directory::NamedEntity;
use yew::prelude::*;

use crate::i18n::{t, t_args};
use crate::state::session::WatchChoices;
use crate::types::live::Watch;

/// One channel takes 1,000 topics; the person's own conversations take one of them.
pub const MAX_PICKS: usize = 999;

/// Options listed at once; a longer list asks for a filter instead of growing the page.
const MAX_LISTED: usize = 200;

/// Props for [`WatchPicker`].
#[derive(Properties, PartialEq)]
pub struct WatchPickerProps {
    /// What is watched now.
    pub watching: Watch,
    /// The queues watched now, by name (from the engine's identity).
    pub watched_queues: Rc<Vec<NamedEntity>>,
    /// The org's queues and agents, once fetched.
    pub choices: WatchChoices,
    /// The picker opened (or asked to try again): fetch the choices.
    pub on_open: Callback<()>,
    /// Watch this from now on.
    pub on_watch: Callback<Watch>,
}

/// The four ways to watch, as the picker's radio buttons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    MyQueues,
    Me,
    Queues,
    Agents,
}

impl Mode {
    const ALL: [Mode; 4] = [Mode::MyQueues, Mode::Me, Mode::Queues, Mode::Agents];

    fn of(watch: &Watch) -> Self {
        match watch {
            Watch::MyQueues => Mode::MyQueues,
            Watch::Me => Mode::Me,
            Watch::Queues(_) => Mode::Queues,
            Watch::Agents(_) => Mode::Agents,
        }
    }

    fn label(self) -> String {
        match self {
            Mode::MyQueues => t("watch-mode-my-queues"),
            Mode::Me => t("watch-mode-me"),
            Mode::Queues => t("watch-mode-queues"),
            Mode::Agents => t("watch-mode-agents"),
        }
    }

    fn picks(self) -> bool {
        matches!(self, Mode::Queues | Mode::Agents)
    }
}

/// The current watch in a line, with the picker behind a "Change" button.
#[function_component(WatchPicker)]
pub fn watch_picker(props: &WatchPickerProps) -> Html {
    let open = use_state(|| false);
    let mode = use_state(|| Mode::of(&props.watching));
    let picked = use_state(|| picks_of(&props.watching));
    let filter = use_state(String::new);

    let toggle = {
        let (open, mode, picked, filter) =
            (open.clone(), mode.clone(), picked.clone(), filter.clone());
        let (watching, on_open) = (props.watching.clone(), props.on_open.clone());
        Callback::from(move |_: MouseEvent| {
            if !*open {
                // Every opening starts from what is watched now.
                mode.set(Mode::of(&watching));
                picked.set(picks_of(&watching));
                filter.set(String::new());
                on_open.emit(());
            }
            open.set(!*open);
        })
    };
    let summary = summary(&props.watching, &props.watched_queues, &props.choices);
    let picker = (*open).then(|| {
        let choose = |m: Mode| {
            let (mode, picked) = (mode.clone(), picked.clone());
            Callback::from(move |_: Event| {
                if *mode != m {
                    picked.set(BTreeSet::new());
                }
                mode.set(m);
            })
        };
        let radios = Mode::ALL.into_iter().map(|m| {
            html! {
                <label class="watch-mode">
                    <input type="radio" name="watch-mode" checked={*mode == m} onchange={choose(m)} />
                    { m.label() }
                </label>
            }
        });
        let too_many = picked.len() > MAX_PICKS;
        let nothing_picked = mode.picks() && picked.is_empty();
        let apply = {
            let (open, mode, picked, on_watch) =
                (open.clone(), mode.clone(), picked.clone(), props.on_watch.clone());
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                let ids: Vec<String> = picked.iter().cloned().collect();
                on_watch.emit(match *mode {
                    Mode::MyQueues => Watch::MyQueues,
                    Mode::Me => Watch::Me,
                    Mode::Queues => Watch::Queues(ids),
                    Mode::Agents => Watch::Agents(ids),
                });
                open.set(false);
            })
        };
        let cancel = {
            let open = open.clone();
            Callback::from(move |_: MouseEvent| open.set(false))
        };
        let options = mode
            .picks()
            .then(|| options(*mode, &props.choices, &picked, &filter, &props.on_open));
        html! {
            <form class="watch-picker" onsubmit={apply} aria-label={t("watch-picker-label")}>
                <fieldset class="watch-modes">
                    <legend>{ t("watch-legend") }</legend>
                    { for radios }
                </fieldset>
                { for options }
                if too_many {
                    <p class="watch-problem" role="alert">{ t_args("watch-too-many", &[("count", picked.len().into()), ("max", MAX_PICKS.into())]) }</p>
                }
                <div class="watch-actions">
                    <button type="submit" class="button button-primary" disabled={too_many || nothing_picked}>{ t("watch-apply") }</button>
                    <button type="button" class="button button-quiet" onclick={cancel}>{ t("watch-cancel") }</button>
                </div>
            </form>
        }
    });
    html! {
        <section class="watch" aria-label={t("watch-label")}>
            <div class="watch-line">
                <span class="watch-summary" data-testid="watching">{ summary }</span>
                <button type="button" class="button" aria-expanded={open.to_string()} onclick={toggle}>
                    { if *open { t("watch-close") } else { t("watch-change") } }
                </button>
            </div>
            { for picker }
        </section>
    }
}

/// The checklist of queues or agents, filtered by name, or why it cannot be shown yet.
fn options(
    mode: Mode,
    choices: &WatchChoices,
    picked: &UseStateHandle<BTreeSet<String>>,
    filter: &UseStateHandle<String>,
    on_open: &Callback<()>,
) -> Html {
    // Each sentence names queues or agents: translators get whole sentences, not a word to splice in.
    let queues_mode = mode == Mode::Queues;
    let (queues, agents) = match choices {
        WatchChoices::NotAsked | WatchChoices::Loading => {
            let loading = if queues_mode {
                t("watch-loading-queues")
            } else {
                t("watch-loading-agents")
            };
            return html! { <p class="watch-note" role="status">{ loading }</p> };
        }
        WatchChoices::Failed(problem) => {
            let retry = on_open.reform(|_: MouseEvent| ());
            return html! {
                <p class="watch-problem" role="alert">{ problem.clone() }{ " " }
                    <button type="button" class="button" onclick={retry}>{ t("watch-try-again") }</button>
                </p>
            };
        }
        WatchChoices::Loaded { queues, agents } => (queues, agents),
    };
    let all = if mode == Mode::Queues { queues } else { agents };
    let needle = filter.to_lowercase();
    let matching: Vec<&NamedEntity> = all
        .iter()
        .filter(|e| needle.is_empty() || display_name(e).to_lowercase().contains(&needle))
        .collect();
    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                filter.set(input.value());
            }
        })
    };
    let rows = matching.iter().take(MAX_LISTED).map(|entity| {
        let id = entity.id.clone();
        let toggle = {
            let (picked, id) = (picked.clone(), id.clone());
            Callback::from(move |_: Event| {
                let mut next = (*picked).clone();
                if !next.remove(&id) {
                    next.insert(id.clone());
                }
                picked.set(next);
            })
        };
        html! {
            <li key={id.clone()}>
                <label><input type="checkbox" checked={picked.contains(&id)} onchange={toggle} />{ display_name(entity) }</label>
            </li>
        }
    });
    let more = matching.len().saturating_sub(MAX_LISTED);
    let filter_label = if queues_mode {
        t("watch-filter-queues")
    } else {
        t("watch-filter-agents")
    };
    let (chosen_count, all_count) = (picked.len(), all.len());
    let chosen = if queues_mode {
        t_args(
            "watch-chosen-queues",
            &[("chosen", chosen_count.into()), ("all", all_count.into())],
        )
    } else {
        t_args(
            "watch-chosen-agents",
            &[("chosen", chosen_count.into()), ("all", all_count.into())],
        )
    };
    let none_visible = if queues_mode {
        t("watch-none-visible-queues")
    } else {
        t("watch-none-visible-agents")
    };
    html! {
        <div class="watch-options">
            <input type="search" class="watch-filter" placeholder={filter_label.clone()}
                aria-label={filter_label} value={(**filter).clone()} oninput={on_filter} />
            <p class="watch-note" role="status">{ chosen }</p>
            <ul class="watch-list">{ for rows }</ul>
            if more > 0 {
                <p class="watch-note">{ t_args("watch-more-match", &[("more", more.into())]) }</p>
            }
            if all.is_empty() {
                <p class="watch-note">{ none_visible }</p>
            }
        </div>
    }
}

/// "Watching: …" for the current watch, with names where they are known.
fn summary(watching: &Watch, watched_queues: &[NamedEntity], choices: &WatchChoices) -> String {
    let names = |entities: &[NamedEntity]| {
        let mut names: Vec<&str> = entities.iter().map(display_name).collect();
        names.sort_unstable();
        names.join(", ")
    };
    match watching {
        Watch::Me => t("watching-me"),
        Watch::MyQueues | Watch::Queues(_) if !watched_queues.is_empty() => {
            let (count, names) = (watched_queues.len(), names(watched_queues));
            if matches!(watching, Watch::MyQueues) {
                t_args(
                    "watching-my-named-queues",
                    &[("count", count.into()), ("names", names.into())],
                )
            } else {
                t_args(
                    "watching-named-queues",
                    &[("count", count.into()), ("names", names.into())],
                )
            }
        }
        Watch::MyQueues => t("watching-my-queues"),
        Watch::Queues(ids) => t_args("watching-chosen-queues", &[("count", ids.len().into())]),
        Watch::Agents(ids) => match choices {
            WatchChoices::Loaded { agents, .. } => {
                let chosen: Vec<NamedEntity> = agents
                    .iter()
                    .filter(|a| ids.contains(&a.id))
                    .cloned()
                    .collect();
                t_args(
                    "watching-named-agents",
                    &[
                        ("count", ids.len().into()),
                        ("names", names(&chosen).into()),
                    ],
                )
            }
            _ => t_args("watching-chosen-agents", &[("count", ids.len().into())]),
        },
    }
}

/// The entity's name, or its id when the platform gave none.
fn display_name(entity: &NamedEntity) -> &str {
    entity.name.as_deref().unwrap_or(&entity.id)
}

fn picks_of(watch: &Watch) -> BTreeSet<String> {
    match watch {
        Watch::Queues(ids) | Watch::Agents(ids) => ids.iter().cloned().collect(),
        Watch::Me | Watch::MyQueues => BTreeSet::new(),
    }
}
