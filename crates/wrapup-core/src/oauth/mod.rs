//! Signing in to Genesys Cloud (reference §2): the PKCE code flow, the default ([`pkce`]); the implicit grant for
//! clients created before its retirement ([`implicit`]); the `state` that carries the launch across the redirect
//! ([`state`]). Pure: the caller supplies random bytes, the clock and the page URL.

pub mod implicit;
pub mod pkce;
pub mod state;

// The implicit grant's items stay at `oauth::…`, where the widget has always imported them.
pub use implicit::{
    FragmentError, Grant, authorize_url, is_oauth_fragment, logout_url, parse_fragment,
};

/// Whether the `state` the platform echoed is exactly the one this tab stored. Both must be present: a response
/// without a state, or a tab that stored none, proves nothing about who started the sign-in.
fn state_matches(returned: Option<&str>, stored: Option<&str>) -> bool {
    matches!((returned, stored), (Some(got), Some(want)) if got == want)
}
