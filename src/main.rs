//! Boots the widget: resolves the launch from the page URL once, synchronously (a sign-in response is
//! scrubbed and checked here; its token request finishes inside `App`), then mounts `App` with it.

use wrapup_live::app::{AppProps, launch_phase};
use wrapup_live::services::auth;

fn main() {
    let phase = launch_phase(auth::start());
    yew::Renderer::<wrapup_live::App>::with_props(AppProps { phase }).render();
}
