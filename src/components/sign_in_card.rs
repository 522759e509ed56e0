//! The signed-out view: where sign-in goes, why it failed last time, the button, and a status line
//! while a sign-in that came back is being completed.

use yew::prelude::*;

use crate::i18n::{Arg, t, t_args};

/// Props for [`SignInCard`].
#[derive(Properties, PartialEq)]
pub struct SignInCardProps {
    /// The platform label the button signs in to.
    pub platform: AttrValue,
    /// Whether this is the local simulator (changes the help text).
    pub simulator: bool,
    /// What went wrong last time, rendered as text.
    #[prop_or_default]
    pub problem: Option<AttrValue>,
    /// Back from the sign-in page and waiting for the token: says so and holds the button.
    #[prop_or_default]
    pub completing: bool,
    /// Start the sign-in redirect.
    pub on_sign_in: Callback<MouseEvent>,
}

/// A card with the sign-in button.
#[function_component(SignInCard)]
pub fn sign_in_card(props: &SignInCardProps) -> Html {
    let help = if props.simulator {
        t("sign-in-help-simulator")
    } else {
        t("sign-in-help-genesys")
    };
    let platform = || Arg::from(props.platform.as_str());
    html! {
        <section class="card sign-in" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">{ t("sign-in-title") }</h1>
            <p class="lead">{ t("sign-in-lead") }</p>
            if let Some(problem) = &props.problem {
                <p class="problem" role="alert">{ problem.clone() }</p>
            }
            if props.completing {
                <p class="completing" role="status">{ t_args("sign-in-completing", &[("platform", platform())]) }</p>
            }
            <button class="button button-primary" id="sign-in" disabled={props.completing}
                onclick={props.on_sign_in.clone()}>
                { t_args("sign-in-button", &[("platform", platform())]) }
            </button>
            <p class="help">{ help }</p>
        </section>
    }
}
