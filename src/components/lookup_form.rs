//! How a conversation is opened in the panel: a "Conversation id" field with a "Look up" button (signed in),
//! and, signed in or not, an analytics JSON pasted, picked or dropped for offline explanation.

use wasm_bindgen::JsCast;
use web_sys::{DragEvent, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::i18n::t;

/// Props for [`LookupForm`].
#[derive(Properties, PartialEq)]
pub struct LookupFormProps {
    /// Whether looking up over the API is possible (signed in).
    pub signed_in: bool,
    /// The id to start with (a deep link before sign-in).
    #[prop_or_default]
    pub initial_id: Option<AttrValue>,
    /// Why the last input was refused.
    #[prop_or_default]
    pub error: Option<AttrValue>,
    /// The typed id, as typed (the reducer checks it).
    pub on_look_up: Callback<String>,
    /// Pasted JSON text.
    pub on_paste: Callback<String>,
    /// A picked or dropped file.
    pub on_file: Callback<web_sys::File>,
}

/// The form.
#[function_component(LookupForm)]
pub fn lookup_form(props: &LookupFormProps) -> Html {
    // The field's text lives here: the panel re-renders with every feed update, and an input whose value
    // the view does not hold would be reset each time.
    let typed = {
        let initial = props.initial_id.clone().unwrap_or_default().to_string();
        use_state(move || initial)
    };
    let json_ref = use_node_ref();
    let dragging = use_state(|| false);
    let onsubmit = {
        let (typed, on_look_up) = (typed.clone(), props.on_look_up.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_look_up.emit((*typed).clone());
        })
    };
    let oninput = {
        let typed = typed.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                typed.set(input.value());
            }
        })
    };
    let explain = {
        let (json_ref, on_paste) = (json_ref.clone(), props.on_paste.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(area) = json_ref.cast::<HtmlTextAreaElement>() {
                on_paste.emit(area.value());
            }
        })
    };
    let on_pick = {
        let on_file = props.on_file.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                on_file.emit(file);
            }
            input.set_value("");
        })
    };
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let ondrop = {
        let (dragging, on_file, on_paste) = (
            dragging.clone(),
            props.on_file.clone(),
            props.on_paste.clone(),
        );
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            let Some(data) = e.data_transfer() else {
                return;
            };
            if let Some(file) = data.files().and_then(|files| files.get(0)) {
                on_file.emit(file);
            } else if let Ok(text) = data.get_data("text/plain")
                && !text.trim().is_empty()
            {
                on_paste.emit(text);
            }
        })
    };
    html! {
        <div class="lookup-form">
            <form class="lookup-id-form" {onsubmit}>
                <label for="lookup-conversation-id">{ t("lookup-id-label") }</label>
                <div class="lookup-id-row">
                    <input id="lookup-conversation-id" type="text" spellcheck="false" autocomplete="off"
                        placeholder="3f9a1c2e-5b7d-4e8f-9a01-23456789abcd" value={(*typed).clone()} {oninput} />
                    <button type="submit" class="button button-primary" disabled={!props.signed_in}>{ t("lookup-button") }</button>
                </div>
                if !props.signed_in {
                    <p class="lookup-hint">{ t("lookup-sign-in-hint") }</p>
                }
            </form>
            if let Some(error) = &props.error {
                <p class="lookup-error" role="alert" data-testid="lookup-error">{ error.clone() }</p>
            }
            <details class="lookup-offline" open={!props.signed_in}>
                <summary>{ t("lookup-offline-summary") }</summary>
                <div class={classes!("lookup-drop", dragging.then_some("lookup-drop-active"))} {ondragover} {ondragleave} {ondrop}>
                    <textarea ref={json_ref} aria-label={t("lookup-json-label")} rows="4" spellcheck="false"
                        placeholder={t("lookup-json-placeholder")} />
                    <div class="lookup-offline-actions">
                        <button type="button" class="button" onclick={explain}>{ t("lookup-explain-json") }</button>
                        <label class="button lookup-file">
                            { t("lookup-open-json-file") }
                            <input type="file" accept=".json,application/json" onchange={on_pick} />
                        </label>
                    </div>
                </div>
            </details>
        </div>
    }
}
