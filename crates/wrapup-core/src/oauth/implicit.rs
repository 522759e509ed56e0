//! The OAuth implicit grant (reference §2.1–2.2), kept for OAuth clients created before its retirement:
//! the authorize URL, the logout URL and the redirect fragment with its `state` check.

use std::fmt;

use url::{Url, form_urlencoded};

use crate::platform::Platform;

/// The `/oauth/authorize` URL for the implicit grant. `redirect_uri` must be registered on the
/// OAuth client exactly (query string included), so per-launch context travels in `state`.
pub fn authorize_url(platform: &Platform, client_id: &str, redirect_uri: &str, state: &str) -> Url {
    let mut url = platform
        .login_base()
        .join("oauth/authorize")
        .expect("static path joins");
    url.query_pairs_mut()
        .append_pair("client_id", client_id)
        .append_pair("response_type", "token")
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("state", state);
    url
}

/// The logout URL, which ends the login session at the platform as well.
pub fn logout_url(platform: &Platform, client_id: &str, redirect_uri: &str) -> Url {
    let mut url = platform
        .login_base()
        .join("logout")
        .expect("static path joins");
    url.query_pairs_mut()
        .append_pair("client_id", client_id)
        .append_pair("redirect_uri", redirect_uri);
    url
}

/// A bearer token obtained from the redirect fragment. `Debug` never prints the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Grant {
    /// The bearer token. Keep it in memory only.
    pub access_token: String,
    /// Seconds the token lives from issue, if the platform said.
    pub expires_in: Option<u64>,
    /// The `state` echoed back; compare it with the one sent before trusting the token.
    pub state: Option<String>,
}

impl fmt::Debug for Grant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Grant")
            .field("access_token", &"<redacted>")
            .field("expires_in", &self.expires_in)
            .field("state", &self.state)
            .finish()
    }
}

/// What a redirect fragment said, when it was not a usable grant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FragmentError {
    /// The platform refused: `error` and `error_description` from the fragment.
    Denied {
        /// The OAuth error code, e.g. `access_denied`.
        error: String,
        /// The platform's explanation, if any.
        description: Option<String>,
    },
    /// `state` is missing or differs from the one this tab sent: the response is not ours.
    StateMismatch,
    /// A fragment with neither a token nor an error.
    Incomplete,
}

impl fmt::Display for FragmentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Denied { error, description: Some(d) } => write!(f, "Sign-in was refused [{error}]: {d}. Press Sign in to try again."),
            Self::Denied { error, description: None } => write!(f, "Sign-in was refused [{error}]. Press Sign in to try again."),
            Self::StateMismatch => f.write_str(
                "The sign-in response does not belong to this tab (state mismatch), so it was ignored. Sign in again.",
            ),
            Self::Incomplete => f.write_str("The sign-in response carried no token. Sign in again."),
        }
    }
}

impl std::error::Error for FragmentError {}

/// Whether a page fragment (without `#`) is an OAuth response at all.
pub fn is_oauth_fragment(fragment: &str) -> bool {
    form_urlencoded::parse(fragment.as_bytes()).any(|(k, _)| k == "access_token" || k == "error")
}

/// Parse an implicit-grant redirect fragment (without the leading `#`) and check its `state`
/// against `expected_state`. A token whose state does not match is never returned.
pub fn parse_fragment(
    fragment: &str,
    expected_state: Option<&str>,
) -> Result<Grant, FragmentError> {
    let mut token = None;
    let mut expires_in = None;
    let mut state = None;
    let mut error = None;
    let mut description = None;
    for (key, value) in form_urlencoded::parse(fragment.as_bytes()) {
        match &*key {
            "access_token" => token = Some(value.into_owned()),
            "expires_in" => expires_in = value.trim().parse::<u64>().ok(),
            "state" => state = Some(value.into_owned()),
            "error" => error = Some(value.into_owned()),
            "error_description" => description = Some(value.into_owned()),
            _ => {}
        }
    }
    if let Some(error) = error {
        return Err(FragmentError::Denied { error, description });
    }
    if !super::state_matches(state.as_deref(), expected_state) {
        return Err(FragmentError::StateMismatch);
    }
    match token {
        Some(access_token) if !access_token.is_empty() => Ok(Grant {
            access_token,
            expires_in,
            state,
        }),
        _ => Err(FragmentError::Incomplete),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sim() -> Platform {
        Platform::simulator("http://127.0.0.1:8787").unwrap()
    }

    #[test]
    fn authorize_url_carries_exactly_the_sdk_parameters() {
        let url = authorize_url(&sim(), "client-1", "http://127.0.0.1:8080/", "s t&x");
        assert_eq!(url.path(), "/oauth/authorize");
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(
            pairs,
            vec![
                ("client_id".into(), "client-1".into()),
                ("response_type".into(), "token".into()),
                ("redirect_uri".into(), "http://127.0.0.1:8080/".into()),
                ("state".into(), "s t&x".into()),
            ]
        );
        let real = authorize_url(
            &Platform::from_domain("mypurecloud.ie").unwrap(),
            "c",
            "https://w/",
            "s",
        );
        assert!(
            real.as_str()
                .starts_with("https://login.mypurecloud.ie/oauth/authorize?")
        );
    }

    #[test]
    fn good_fragment_gives_a_grant_and_hides_the_token_in_debug() {
        let grant = parse_fragment(
            "access_token=tok%2Fen&expires_in=86399&token_type=bearer&state=abc",
            Some("abc"),
        )
        .unwrap();
        assert_eq!(grant.access_token, "tok/en");
        assert_eq!(grant.expires_in, Some(86399));
        assert!(
            !format!("{grant:?}").contains("tok/en"),
            "the token must not appear in Debug output"
        );
    }

    #[test]
    fn state_is_always_checked() {
        assert_eq!(
            parse_fragment("access_token=t&state=other", Some("abc")),
            Err(FragmentError::StateMismatch)
        );
        assert_eq!(
            parse_fragment("access_token=t", Some("abc")),
            Err(FragmentError::StateMismatch)
        );
        assert_eq!(
            parse_fragment("access_token=t&state=abc", None),
            Err(FragmentError::StateMismatch)
        );
    }

    #[test]
    fn errors_and_empty_fragments_are_explained() {
        let denied = parse_fragment(
            "error=access_denied&error_description=User+cancelled&state=abc",
            Some("abc"),
        );
        assert_eq!(
            denied,
            Err(FragmentError::Denied {
                error: "access_denied".into(),
                description: Some("User cancelled".into())
            })
        );
        assert_eq!(
            denied.unwrap_err().to_string(),
            "Sign-in was refused [access_denied]: User cancelled. Press Sign in to try again."
        );
        assert_eq!(
            parse_fragment("state=abc", Some("abc")),
            Err(FragmentError::Incomplete)
        );
        assert!(is_oauth_fragment("access_token=x"));
        assert!(!is_oauth_fragment("section-2"));
    }
}
