//! Checking a response from the sign-in page against what this tab kept, with no browser involved:
//! the exact `state` match, the grant it was sent for, and the PKCE verifier.

use wrapup_core::oauth::pkce::{self, CodeVerifier};
use wrapup_core::oauth::state::{GrantKind, SignInState, StateError};
use wrapup_core::oauth::{self};

use super::round_trip::RoundTrip;
use crate::types::sign_in::{AccessToken, CodeExchange, Completion, SignInError, TokenGrant};

/// A code-flow return (`?code=…&state=…`): the code and verifier to exchange, and the verified state.
pub fn code_return(
    query: &str,
    kept: &RoundTrip,
    redirect_uri: &str,
) -> Result<(SignInState, Completion), SignInError> {
    let stored = kept.state.as_deref();
    let code = pkce::parse_redirect_query(query, stored).map_err(SignInError::Redirect)?;
    let state = verified(Some(&code.state), stored, GrantKind::Pkce)?;
    let verifier = CodeVerifier::parse(kept.verifier.as_deref().unwrap_or_default())
        .map_err(SignInError::Verifier)?;
    let exchange = CodeExchange {
        code: code.code,
        verifier,
        redirect_uri: redirect_uri.to_owned(),
    };
    Ok((state, Completion::Exchange(exchange)))
}

/// An implicit-grant return (`#access_token=…&state=…`): the token and the verified state.
pub fn implicit_return(
    fragment: &str,
    kept: &RoundTrip,
    now_ms: f64,
) -> Result<(SignInState, Completion), SignInError> {
    let stored = kept.state.as_deref();
    let grant = oauth::parse_fragment(fragment, stored).map_err(SignInError::Fragment)?;
    let state = verified(grant.state.as_deref(), stored, GrantKind::Implicit)?;
    let token = TokenGrant::received(
        AccessToken::new(grant.access_token),
        grant.expires_in,
        None,
        now_ms,
    );
    Ok((state, Completion::Token(token)))
}

fn verified(
    returned: Option<&str>,
    stored: Option<&str>,
    arrived_as: GrantKind,
) -> Result<SignInState, SignInError> {
    let state = SignInState::verify(returned, stored).map_err(SignInError::State)?;
    if state.grant != arrived_as {
        return Err(SignInError::State(StateError::Malformed(
            "the response came back by another grant than the one sent",
        )));
    }
    Ok(state)
}

#[cfg(test)]
mod tests {
    use wrapup_core::oauth::FragmentError;
    use wrapup_core::oauth::pkce::RedirectError;
    use wrapup_core::oauth::state::WatchMode;
    use wrapup_core::platform::Launch;

    use super::*;

    const REDIRECT: &str = "http://127.0.0.1:8080/";

    fn launch() -> Launch {
        Launch::from_query([("env", "mypurecloud.ie"), ("clientId", "client-1")]).unwrap()
    }

    fn kept(grant: GrantKind) -> (RoundTrip, CodeVerifier) {
        let verifier = CodeVerifier::from_random_bytes(&[3; 32]).unwrap();
        let state = SignInState::new(&[5; 16], grant, WatchMode::Me, launch()).unwrap();
        let kept = RoundTrip {
            state: Some(state.encode()),
            verifier: (grant == GrantKind::Pkce).then(|| verifier.as_str().to_owned()),
        };
        (kept, verifier)
    }

    #[test]
    fn a_matching_code_return_restores_the_launch_and_keeps_the_verifier() {
        let (kept, verifier) = kept(GrantKind::Pkce);
        let query = format!("?code=the-code&state={}", kept.state.as_deref().unwrap());
        let (state, completion) = code_return(&query, &kept, REDIRECT).unwrap();
        assert_eq!(state.launch, launch());
        assert_eq!(state.watch, WatchMode::Me);
        assert_eq!(
            completion,
            Completion::Exchange(CodeExchange {
                code: "the-code".into(),
                verifier,
                redirect_uri: REDIRECT.into(),
            })
        );
    }

    #[test]
    fn a_forged_or_orphan_code_return_is_refused() {
        let (kept, _) = kept(GrantKind::Pkce);
        assert_eq!(
            code_return("?code=c&state=forged", &kept, REDIRECT),
            Err(SignInError::Redirect(RedirectError::StateMismatch))
        );
        let orphan = format!("?code=c&state={}", kept.state.as_deref().unwrap());
        assert_eq!(
            code_return(&orphan, &RoundTrip::default(), REDIRECT),
            Err(SignInError::Redirect(RedirectError::StateMissing))
        );
        let no_verifier = RoundTrip {
            verifier: None,
            ..kept
        };
        assert!(matches!(
            code_return(&orphan, &no_verifier, REDIRECT),
            Err(SignInError::Verifier(_))
        ));
    }

    #[test]
    fn a_denial_is_reported_as_the_platform_said() {
        let (kept, _) = kept(GrantKind::Pkce);
        let err = code_return(
            "?error=access_denied&error_description=The+user+cancelled&state=x",
            &kept,
            REDIRECT,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Sign-in was refused [access_denied]: The user cancelled. Press Sign in to try again."
        );
    }

    #[test]
    fn an_implicit_return_gives_the_token_dated_from_now() {
        let (kept, _) = kept(GrantKind::Implicit);
        let fragment = format!(
            "access_token=tok&expires_in=60&token_type=bearer&state={}",
            kept.state.as_deref().unwrap()
        );
        let (state, completion) = implicit_return(&fragment, &kept, 1_000.0).unwrap();
        assert_eq!(state.launch, launch());
        let Completion::Token(grant) = completion else {
            panic!("a token, not an exchange")
        };
        assert_eq!(grant.token.secret(), "tok");
        assert_eq!(grant.expires_at_ms, Some(61_000.0));
        assert_eq!(
            implicit_return("access_token=tok&state=forged", &kept, 0.0),
            Err(SignInError::Fragment(FragmentError::StateMismatch))
        );
    }

    #[test]
    fn a_response_by_another_grant_than_the_one_sent_is_refused() {
        let (kept, _) = kept(GrantKind::Pkce);
        let fragment = format!("access_token=tok&state={}", kept.state.as_deref().unwrap());
        assert!(matches!(
            implicit_return(&fragment, &kept, 0.0),
            Err(SignInError::State(StateError::Malformed(_)))
        ));
    }
}
