//! Boots the widget: resolves the launch from the page URL once, synchronously (a sign-in response is
//! scrubbed and checked here; its token request finishes inside `App`), picks the language from the
//! host's `gcLangTag`, then mounts `App` with it.

use wrapup_live::app::{AppProps, launch_phase};
use wrapup_live::i18n;
use wrapup_live::services::auth::{self, Start};

fn main() {
    let start = auth::start();
    // Every start that knows its launch knows the host's language; the others (a bad launch) get English.
    let lang_tag = if let Start::SignedOut { launch }
    | Start::Returned { launch, .. }
    | Start::SignInFailed { launch, .. } = &start
    {
        launch.lang_tag.as_deref()
    } else {
        None
    };
    let language = i18n::select(lang_tag);
    if let Some(html) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        // Screen readers and hyphenation follow the language the words are in.
        let _ = html.set_attribute("lang", language);
    }
    let phase = launch_phase(start);
    yew::Renderer::<wrapup_live::App>::with_props(AppProps { phase }).render();
}
