//! The interaction widget's compact view of one conversation, piece by piece: its facts, each agent leg's
//! live state and verdict, and the context lists (the customer's recent conversations, the agent's last
//! wrap-ups). Sized for a narrow panel (360-420 px).

pub mod context_list;
pub mod conversation_facts;
pub mod interaction_leg;

use crate::state::feed::Directory;

/// A wrap-up code as a person reads it: the configured code's name or the system code's label; the id only
/// while no name is known (the id stays in the element's `title` and `data-code`).
pub fn code_name(directory: &Directory, code: &str) -> String {
    directory.code_text(code).unwrap_or_else(|| code.to_owned())
}

/// A short local date and time of an ISO-8601 instant (`30 Nov, 10:04`), or a dash.
pub fn when(iso: Option<&str>) -> String {
    let Some(iso) = iso else {
        return "—".to_owned();
    };
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(iso));
    if date.get_time().is_nan() {
        return iso.to_owned();
    }
    let options = js_sys::Object::new();
    for (key, value) in [
        ("day", "numeric"),
        ("month", "short"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
    ] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    date.to_locale_string("default", &options).into()
}
