//! The feed's rows as a virtualized table: a scroll container of fixed height where only the rows
//! in view (plus a few either side) exist in the DOM, whatever the number retained. Rows have one
//! fixed height, so row `i` sits at `i * ROW_HEIGHT` and the rows in view follow from the scroll
//! offset directly. Arrow keys move between rows, Enter opens one.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

use super::feed_row::FeedRow;
use crate::i18n::t;
use crate::state::feed::FeedState;

/// Height of every row in CSS pixels (kept in step with `.feed-row` in styles.css).
pub const ROW_HEIGHT: f64 = 36.0;
/// Height of the sticky header row in CSS pixels (`.feed-table thead tr`).
pub const HEADER_HEIGHT: f64 = 34.0;
/// Rows rendered beyond each edge of the view, so fast scrolling shows no blank band.
pub const OVERSCAN: usize = 6;

/// Props for [`FeedList`].
#[derive(Properties, PartialEq)]
pub struct FeedListProps {
    /// The feed to show.
    pub feed: Rc<FeedState>,
    /// A row was opened (click or Enter): its conversation id.
    #[prop_or_default]
    pub on_open_conversation: Callback<String>,
}

/// The first row in view and how many fit.
#[derive(Clone, Copy, PartialEq)]
struct Window {
    first: usize,
    fits: usize,
}

impl Window {
    fn of(container: &HtmlElement) -> Self {
        // Row `i` starts at HEADER_HEIGHT + i * ROW_HEIGHT, and the sticky header covers the top.
        let top = f64::from(container.scroll_top()).max(0.0);
        // Never more than the window holds, even if the container is not height-bound (no CSS).
        let screen = web_sys::window()
            .and_then(|w| w.inner_height().ok())
            .and_then(|h| h.as_f64())
            .unwrap_or(1080.0);
        let height =
            (f64::from(container.client_height()).min(screen) - HEADER_HEIGHT).max(ROW_HEIGHT);
        Self {
            first: (top / ROW_HEIGHT) as usize,
            fits: (height / ROW_HEIGHT).ceil() as usize + 1,
        }
    }
}

/// The virtualized table of rows.
#[function_component(FeedList)]
pub fn feed_list(props: &FeedListProps) -> Html {
    let container = use_node_ref();
    let window = use_state(|| Window { first: 0, fits: 20 });
    let focused = use_state(|| None::<usize>);
    let focus_wanted = use_mut_ref(|| false);
    let feed = &props.feed;
    let total = feed.shown_len();

    {
        // Measure the real height once mounted.
        let (container, window) = (container.clone(), window.clone());
        use_effect_with((), move |_| {
            if let Some(el) = container.cast::<HtmlElement>() {
                window.set(Window::of(&el));
            }
        });
    }
    {
        // After a keyboard move re-renders, put focus on the row (once it exists).
        let (container, focus_wanted, focused) =
            (container.clone(), focus_wanted.clone(), *focused);
        use_effect(move || {
            if *focus_wanted.borrow()
                && let (Some(el), Some(index)) = (container.cast::<HtmlElement>(), focused)
                && let Ok(Some(row)) = el.query_selector(&format!("tr[data-index=\"{index}\"]"))
                && let Ok(row) = row.dyn_into::<HtmlElement>()
            {
                let _ = row.focus();
                *focus_wanted.borrow_mut() = false;
            }
        });
    }

    let onscroll = {
        let (container, window) = (container.clone(), window.clone());
        Callback::from(move |_: Event| {
            if let Some(el) = container.cast::<HtmlElement>() {
                let now = Window::of(&el);
                if now != *window {
                    window.set(now);
                }
            }
        })
    };
    let open = {
        let (feed, on_open) = (feed.clone(), props.on_open_conversation.clone());
        move |index: usize| {
            if let Some(row) = feed.shown_row(index) {
                on_open.emit(row.outcome.conversation_id.clone());
            }
        }
    };
    let on_select = {
        let (focused, open) = (focused.clone(), open.clone());
        Callback::from(move |index: usize| {
            focused.set(Some(index));
            open(index);
        })
    };
    let onkeydown = {
        let (container, focused, focus_wanted, window) = (
            container.clone(),
            focused.clone(),
            focus_wanted.clone(),
            *window,
        );
        Callback::from(move |e: KeyboardEvent| {
            if total == 0 {
                return;
            }
            let current = focused.unwrap_or(window.first).min(total - 1);
            let page = window.fits.saturating_sub(1).max(1);
            let target = match e.key().as_str() {
                "ArrowDown" => (current + 1).min(total - 1),
                "ArrowUp" => current.saturating_sub(1),
                "PageDown" => (current + page).min(total - 1),
                "PageUp" => current.saturating_sub(page),
                "Home" => 0,
                "End" => total - 1,
                "Enter" => {
                    open(current);
                    return;
                }
                _ => return,
            };
            e.prevent_default();
            focused.set(Some(target));
            *focus_wanted.borrow_mut() = true;
            if let Some(el) = container.cast::<HtmlElement>() {
                scroll_into_view(&el, target);
            }
        })
    };

    let start = window.first.saturating_sub(OVERSCAN).min(total);
    let end = (window.first + window.fits + OVERSCAN).min(total);
    // The keyboard's row, or the top row in view, is the one Tab reaches.
    let tab_row = focused
        .filter(|i| (start..end).contains(i))
        .unwrap_or(window.first.min(end.saturating_sub(1)));
    let spacer = |rows: usize, class: &'static str| {
        (rows > 0).then(|| {
            html! {
                <tr class={classes!("feed-spacer", class)} aria-hidden="true">
                    <td colspan="9" height={format!("{}", rows as f64 * ROW_HEIGHT)}></td>
                </tr>
            }
        })
    };
    html! {
        <div class="feed-scroll" ref={container} {onscroll} {onkeydown} data-testid="feed-scroll">
            <table class="feed-table" aria-labelledby="feed-title" aria-rowcount={(total + 1).to_string()}>
                <colgroup>
                    <col class="w-time" /><col class="w-agent" /><col class="w-queue" /><col class="w-media" />
                    <col class="w-outcome" /><col class="w-code" /><col class="w-notes" /><col class="w-acw" />
                    <col class="w-arrived" />
                </colgroup>
                <thead>
                    <tr aria-rowindex="1">
                        <th scope="col">{ t("col-ended") }</th>
                        <th scope="col">{ t("filter-agent") }</th>
                        <th scope="col">{ t("filter-queue") }</th>
                        <th scope="col">{ t("col-media") }</th>
                        <th scope="col">{ t("filter-outcome") }</th>
                        <th scope="col">{ t("filter-code-label") }</th>
                        <th scope="col">{ t("col-notes") }</th>
                        <th scope="col" class="num">{ t("col-acw") }</th>
                        <th scope="col" title={t("col-arrived-title")}>{ t("col-arrived") }</th>
                    </tr>
                </thead>
                <tbody>
                    { spacer(start, "feed-spacer-top") }
                    { for (start..end).filter_map(|index| {
                        let row = feed.shown_row(index)?;
                        Some(html! {
                            <FeedRow key={row.key().as_str().to_owned()} row={row.clone()} {index}
                                directory={feed.directory.clone()} focused={index == tab_row}
                                on_select={on_select.clone()} />
                        })
                    }) }
                    { spacer(total - end, "feed-spacer-bottom") }
                </tbody>
            </table>
        </div>
    }
}

/// Scrolls `container` just enough that row `index` is fully in view below the sticky header.
fn scroll_into_view(container: &HtmlElement, index: usize) {
    let top = index as f64 * ROW_HEIGHT;
    let scroll = f64::from(container.scroll_top());
    let visible = f64::from(container.client_height()) - HEADER_HEIGHT;
    if top < scroll {
        container.set_scroll_top(top as i32);
    } else if top + ROW_HEIGHT > scroll + visible {
        container.set_scroll_top((top + ROW_HEIGHT - visible).ceil() as i32);
    }
}
