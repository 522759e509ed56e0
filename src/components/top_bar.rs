//! The header: product, environment, who is signed in, how long the sign-in lasts, link status,
//! sign-out.

use yew::prelude::*;

use super::connection_pill::ConnectionPill;
use super::session_countdown::SessionCountdown;
use crate::i18n::{t, t_args};
use crate::types::live::Link;

/// Props for [`TopBar`].
#[derive(Properties, PartialEq)]
pub struct TopBarProps {
    /// e.g. "gc-sim (127.0.0.1:8787)" or "Genesys Cloud (mypurecloud.ie)".
    pub platform: AttrValue,
    /// Signed-in user's name, once known.
    #[prop_or_default]
    pub user: Option<AttrValue>,
    /// Number of queues watched.
    #[prop_or_default]
    pub queue_count: usize,
    /// Link state.
    #[prop_or_default]
    pub link: Option<Link>,
    /// Heartbeats so far.
    #[prop_or_default]
    pub heartbeats: u32,
    /// When the sign-in lapses (ms since epoch), if signed in and the platform said.
    #[prop_or_default]
    pub session_ends_at_ms: Option<f64>,
    /// Sign out, if signed in.
    #[prop_or_default]
    pub on_sign_out: Option<Callback<MouseEvent>>,
}

/// The app header.
#[function_component(TopBar)]
pub fn top_bar(props: &TopBarProps) -> Html {
    let watching = t_args("top-bar-watching", &[("count", props.queue_count.into())]);
    html! {
        <header class="top-bar">
            <div class="brand">
                <img class="brand-icon" src="icon.svg" alt="" width="22" height="22" />
                <span class="brand-name">{ "wrapup-live" }</span>
                <span class="platform" title={t("top-bar-platform-title")}>{ props.platform.clone() }</span>
            </div>
            <div class="top-bar-right">
                if let Some(user) = &props.user {
                    <span class="user" title={watching}>{ user.clone() }</span>
                }
                if let Some(ends_at_ms) = props.session_ends_at_ms {
                    <SessionCountdown {ends_at_ms} />
                }
                if props.on_sign_out.is_some() {
                    <ConnectionPill link={props.link.clone()} heartbeats={props.heartbeats} />
                }
                if let Some(on_sign_out) = &props.on_sign_out {
                    <button class="button button-quiet" onclick={on_sign_out.clone()}>{ t("sign-out") }</button>
                }
            </div>
        </header>
    }
}
