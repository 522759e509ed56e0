//! A banner for something the person should know or act on.

use yew::prelude::*;

/// How serious a notice is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Informational.
    Info,
    /// Something degraded but working.
    Warning,
    /// Something failed; an action is needed.
    Error,
}

/// Props for [`Notice`].
#[derive(Properties, PartialEq)]
pub struct NoticeProps {
    /// Severity (colour and ARIA role).
    pub tone: Tone,
    /// The message, rendered as text.
    pub message: AttrValue,
    /// Optional action button.
    #[prop_or_default]
    pub action: Option<(AttrValue, Callback<MouseEvent>)>,
}

/// A banner: errors are announced to screen readers at once, the rest politely.
#[function_component(Notice)]
pub fn notice(props: &NoticeProps) -> Html {
    let (class, role) = match props.tone {
        Tone::Info => ("notice notice-info", "status"),
        Tone::Warning => ("notice notice-warning", "status"),
        Tone::Error => ("notice notice-error", "alert"),
    };
    html! {
        <div class={class} role={role}>
            <span class="notice-text">{ props.message.clone() }</span>
            if let Some((label, onclick)) = &props.action {
                <button class="button" onclick={onclick.clone()}>{ label.clone() }</button>
            }
        </div>
    }
}
