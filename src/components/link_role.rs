//! Which instance holds the browser's one connection to Genesys Cloud: this one, or another tab or
//! frame this one follows (it takes over if that one goes). Also says when the host paused the app.

use yew::prelude::*;

use crate::i18n::t;
use crate::types::shared::LinkRole;

/// Props for [`LinkRoleBadge`].
#[derive(Properties, PartialEq)]
pub struct LinkRoleProps {
    /// The role; nothing shows while it is being decided.
    pub role: Option<LinkRole>,
    /// The host stopped the app: the link is paused.
    #[prop_or_default]
    pub paused: bool,
}

/// A one-line badge under the top bar.
#[function_component(LinkRoleBadge)]
pub fn link_role_badge(props: &LinkRoleProps) -> Html {
    let (role, text) = match (props.paused, props.role) {
        (true, _) => ("paused", t("link-role-paused")),
        (false, Some(LinkRole::Leading)) => ("leading", t("link-role-leading")),
        (false, Some(LinkRole::Following)) => ("following", t("link-role-following")),
        (false, None) => return html! {},
    };
    html! {
        <p class={classes!("link-role", format!("link-role-{role}"))} data-role={role} role="status">{ text }</p>
    }
}
