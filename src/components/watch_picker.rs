//! What the feed watches, and the picker that changes it: the person's queues, only their own
//! conversations, chosen queues or chosen agents. Choosing is a draft until "Watch" is pressed.

use std::collections::BTreeSet;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use wrapup_core::directory::NamedEntity;
use yew::prelude::*;

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

    fn label(self) -> &'static str {
        match self {
            Mode::MyQueues => "My queues",
            Mode::Me => "Only my conversations",
            Mode::Queues => "Chosen queues",
            Mode::Agents => "Chosen agents",
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
            <form class="watch-picker" onsubmit={apply} aria-label="Choose what the feed watches">
                <fieldset class="watch-modes">
                    <legend>{ "Watch" }</legend>
                    { for radios }
                </fieldset>
                { for options }
                if too_many {
                    <p class="watch-problem" role="alert">{ format!(
                        "{} chosen: one notification channel takes at most {MAX_PICKS} queues or agents. Choose fewer.",
                        picked.len()) }</p>
                }
                <div class="watch-actions">
                    <button type="submit" class="button button-primary" disabled={too_many || nothing_picked}>{ "Watch" }</button>
                    <button type="button" class="button button-quiet" onclick={cancel}>{ "Cancel" }</button>
                </div>
            </form>
        }
    });
    html! {
        <section class="watch" aria-label="What the feed watches">
            <div class="watch-line">
                <span class="watch-summary" data-testid="watching">{ summary }</span>
                <button type="button" class="button" aria-expanded={open.to_string()} onclick={toggle}>
                    { if *open { "Close" } else { "Change" } }
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
    let what = if mode == Mode::Queues {
        "queues"
    } else {
        "agents"
    };
    let (queues, agents) = match choices {
        WatchChoices::NotAsked | WatchChoices::Loading => {
            return html! { <p class="watch-note" role="status">{ format!("Loading {what}…") }</p> };
        }
        WatchChoices::Failed(problem) => {
            let retry = on_open.reform(|_: MouseEvent| ());
            return html! {
                <p class="watch-problem" role="alert">{ problem.clone() }{ " " }
                    <button type="button" class="button" onclick={retry}>{ "Try again" }</button>
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
    html! {
        <div class="watch-options">
            <input type="search" class="watch-filter" placeholder={format!("Filter {what} by name")}
                aria-label={format!("Filter {what} by name")} value={(**filter).clone()} oninput={on_filter} />
            <p class="watch-note" role="status">{ format!("{} of {} {what} chosen", picked.len(), all.len()) }</p>
            <ul class="watch-list">{ for rows }</ul>
            if more > 0 {
                <p class="watch-note">{ format!("{more} more match: type more of the name to narrow the list.") }</p>
            }
            if all.is_empty() {
                <p class="watch-note">{ format!("You may not see any {what}. Ask an admin for the permission to view them.") }</p>
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
        Watch::Me => "Watching your own conversations".to_owned(),
        Watch::MyQueues | Watch::Queues(_) if !watched_queues.is_empty() => {
            let mine = if matches!(watching, Watch::MyQueues) {
                "your "
            } else {
                ""
            };
            format!(
                "Watching {mine}{} queue(s): {}",
                watched_queues.len(),
                names(watched_queues)
            )
        }
        Watch::MyQueues => "Watching your queues and your own conversations".to_owned(),
        Watch::Queues(ids) => format!("Watching {} chosen queue(s)", ids.len()),
        Watch::Agents(ids) => match choices {
            WatchChoices::Loaded { agents, .. } => {
                let chosen: Vec<NamedEntity> = agents
                    .iter()
                    .filter(|a| ids.contains(&a.id))
                    .cloned()
                    .collect();
                format!("Watching {} agent(s): {}", ids.len(), names(&chosen))
            }
            _ => format!("Watching {} chosen agent(s)", ids.len()),
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
