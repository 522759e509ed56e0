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

/// The `state` a sign-in response carries (a `?query` or `#fragment`, with or without its mark), unchecked:
/// for routing the response only (a popup hands it to the window that started the sign-in, which checks it).
pub fn returned_state(response: &str) -> Option<String> {
    let pairs = response.trim_start_matches(['?', '#']);
    url::form_urlencoded::parse(pairs.as_bytes())
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.into_owned())
}

/// Whether the `state` the platform echoed is exactly the one this tab stored. Both must be present: a response
/// without a state, or a tab that stored none, proves nothing about who started the sign-in.
fn state_matches(returned: Option<&str>, stored: Option<&str>) -> bool {
    matches!((returned, stored), (Some(got), Some(want)) if got == want)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_returned_state_is_read_from_a_query_or_a_fragment() {
        assert_eq!(returned_state("?code=c&state=a%2Bb"), Some("a+b".into()));
        assert_eq!(
            returned_state("#access_token=t&state=s1"),
            Some("s1".into())
        );
        assert_eq!(returned_state("error=access_denied"), None);
    }
}
