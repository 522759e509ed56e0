//! The signed-out view: where sign-in goes, why it failed last time, the button, and a status line
//! while a sign-in that came back is being completed.

use yew::prelude::*;

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
        "This is the local simulator: pick a user on its sign-in page (the Supervisor sees every queue). No account needed."
    } else {
        "You will be sent to your Genesys Cloud sign-in page and brought back here. The token stays in this tab's memory only."
    };
    html! {
        <section class="card sign-in" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">{ "Live wrap-up codes" }</h1>
            <p class="lead">{ "See each agent's wrap-up code the moment it is submitted, without waiting for analytics." }</p>
            if let Some(problem) = &props.problem {
                <p class="problem" role="alert">{ problem.clone() }</p>
            }
            if props.completing {
                <p class="completing" role="status">{ format!("Completing sign-in to {}…", props.platform) }</p>
            }
            <button class="button button-primary" id="sign-in" disabled={props.completing}
                onclick={props.on_sign_in.clone()}>
                { format!("Sign in to {}", props.platform) }
            </button>
            <p class="help">{ help }</p>
        </section>
    }
}
