//! The live link's state at a glance: Live, Connecting, Reconnecting, Offline.

use yew::prelude::*;

use crate::types::live::Link;

/// Props for [`ConnectionPill`].
#[derive(Properties, PartialEq)]
pub struct ConnectionPillProps {
    /// The link, or `None` when not connected at all.
    pub link: Option<Link>,
    /// Heartbeats received so far (shown in the tooltip).
    #[prop_or_default]
    pub heartbeats: u32,
}

/// A small status pill; the tooltip says why it is not live.
#[function_component(ConnectionPill)]
pub fn connection_pill(props: &ConnectionPillProps) -> Html {
    let (class, label, title) = match &props.link {
        Some(Link::Live) => (
            "pill pill-live",
            "Live".to_owned(),
            format!("Connected · {} heartbeats", props.heartbeats),
        ),
        Some(Link::Connecting) => (
            "pill pill-connecting",
            "Connecting…".to_owned(),
            "Setting up the notification channel".to_owned(),
        ),
        Some(Link::Reconnecting { attempt, reason }) => (
            "pill pill-reconnecting",
            format!("Reconnecting (try {attempt})"),
            format!(
                "Lost the connection: {reason}. Events in the gap are recovered when it is back."
            ),
        ),
        None => (
            "pill pill-offline",
            "Offline".to_owned(),
            "Not connected".to_owned(),
        ),
    };
    html! {
        <span class={class} title={title} role="status" aria-live="polite" data-testid="connection">
            <span class="pill-dot" aria-hidden="true"></span>{ label }
        </span>
    }
}
