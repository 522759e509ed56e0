//! The sign-in facts services hand to state: tokens (memory only, never printed), a code waiting to be
//! exchanged, why a sign-in failed, and when to renew a token before it lapses.

use std::fmt;
use std::rc::Rc;

use wrapup_core::oauth::FragmentError;
use wrapup_core::oauth::pkce::{CodeVerifier, RedirectError, TokenError, VerifierError};
use wrapup_core::oauth::state::{StateError, WatchMode};

/// A bearer token. Cloning shares it; `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(Rc<str>);

impl AccessToken {
    /// Wrap the token the platform issued.
    pub fn new(secret: impl Into<Rc<str>>) -> Self {
        Self(secret.into())
    }

    /// The token itself, for the `Authorization` header and nothing else.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

/// A refresh token from the code flow. Sent only to the token endpoint; `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct RefreshToken(Rc<str>);

impl RefreshToken {
    /// Wrap the refresh token the platform issued.
    pub fn new(secret: impl Into<Rc<str>>) -> Self {
        Self(secret.into())
    }

    /// The refresh token itself, for the refresh request body and nothing else.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for RefreshToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RefreshToken(<redacted>)")
    }
}

/// A token the platform issued: by redirect (implicit), code exchange or refresh.
#[derive(Clone, Debug, PartialEq)]
pub struct TokenGrant {
    /// The bearer token.
    pub token: AccessToken,
    /// When it lapses (ms since epoch), if the platform said.
    pub expires_at_ms: Option<f64>,
    /// How to get the next one without a redirect, if the platform issued one.
    pub refresh_token: Option<RefreshToken>,
}

impl TokenGrant {
    /// A grant received at `now_ms` that lives `expires_in` seconds.
    pub fn received(
        token: AccessToken,
        expires_in: Option<u64>,
        refresh_token: Option<RefreshToken>,
        now_ms: f64,
    ) -> Self {
        Self {
            token,
            expires_at_ms: expires_in.map(|secs| now_ms + secs as f64 * 1000.0),
            refresh_token,
        }
    }
}

/// An authorization code back from the sign-in page, its `state` verified, waiting for the token request.
#[derive(Clone, PartialEq, Eq)]
pub struct CodeExchange {
    /// The single-use code.
    pub code: String,
    /// The PKCE verifier this tab kept for the round trip.
    pub verifier: CodeVerifier,
    /// The redirect URI the code was issued for (the bare page address).
    pub redirect_uri: String,
}

impl fmt::Debug for CodeExchange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CodeExchange")
            .field("code", &"<redacted>")
            .field("verifier", &self.verifier)
            .field("redirect_uri", &self.redirect_uri)
            .finish()
    }
}

/// What finishes a sign-in that came back verified.
#[derive(Clone, Debug, PartialEq)]
pub enum Completion {
    /// PKCE: the code still has to be exchanged for a token.
    Exchange(CodeExchange),
    /// Implicit grant: the token came in the fragment.
    Token(TokenGrant),
}

/// A verified return from the sign-in page: how to finish, and what the feed watches afterwards.
#[derive(Clone, Debug, PartialEq)]
pub struct SignInReturn {
    /// The exchange still to do, or the token already received.
    pub completion: Completion,
    /// The watch mode carried in `state`.
    pub watch: WatchMode,
}

/// Why a sign-in did not give a token, worded for the person at the screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignInError {
    /// The code-flow redirect: denied, or its `state` missing or different.
    Redirect(RedirectError),
    /// The implicit-grant fragment: denied, state mismatch, no token.
    Fragment(FragmentError),
    /// The `state` did not verify or decode.
    State(StateError),
    /// The verifier kept for the round trip is missing or damaged.
    Verifier(VerifierError),
    /// The token endpoint refused the code or refresh token.
    Token(TokenError),
    /// The token endpoint could not be reached.
    Network(String),
    /// sessionStorage or crypto is unavailable, so a safe sign-in cannot start.
    Browser(String),
    /// The browser refused to open the sign-in popup.
    PopupBlocked,
    /// The sign-in popup was closed before it finished.
    PopupClosed,
}

impl fmt::Display for SignInError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Redirect(err) => err.fmt(f),
            Self::Fragment(err) => err.fmt(f),
            Self::State(err) => err.fmt(f),
            Self::Verifier(err) => write!(
                f,
                "Sign-in could not finish: this tab no longer holds the proof it started the sign-in ({err}). Press Sign in to try again."
            ),
            Self::Token(err) => err.fmt(f),
            Self::Network(detail) => write!(
                f,
                "Sign-in could not finish: the sign-in service could not be reached ({detail}). Check the network connection, then press Sign in again."
            ),
            Self::Browser(detail) => write!(
                f,
                "Sign-in cannot start in this browser: {detail}. Allow site storage for this page, then press Sign in again."
            ),
            Self::PopupBlocked => f.write_str(
                "The browser blocked the sign-in window. Allow pop-ups for this app, then press Sign in again.",
            ),
            Self::PopupClosed => f.write_str(
                "The sign-in window was closed before sign-in finished. Press Sign in to open it again.",
            ),
        }
    }
}

impl std::error::Error for SignInError {}

/// Refresh this long before expiry at most; shorter lifetimes refresh at four fifths of what is left.
pub const REFRESH_LEAD_MAX_MS: f64 = 120_000.0;
/// Without a refresh token, offer "Renew sign-in" this long before expiry.
pub const RENEW_NOTICE_LEAD_MS: f64 = 5.0 * 60_000.0;

/// How long from now to refresh a token that lapses `remaining_ms` from now: a fifth of the time left
/// before expiry, at most [`REFRESH_LEAD_MAX_MS`], so the new token is in hand before the old one stops.
pub fn refresh_delay_ms(remaining_ms: f64) -> f64 {
    let remaining = remaining_ms.max(0.0);
    remaining - (remaining / 5.0).min(REFRESH_LEAD_MAX_MS)
}

/// How long from now to show the "Renew sign-in" notice for a token with no refresh token.
pub fn renew_notice_delay_ms(remaining_ms: f64) -> f64 {
    (remaining_ms - RENEW_NOTICE_LEAD_MS).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_a_secret() {
        let token = AccessToken::new("s3cret-bearer");
        assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
        assert_eq!(token.secret(), "s3cret-bearer");
        let grant = TokenGrant::received(
            token,
            Some(60),
            Some(RefreshToken::new("s3cret-refresh")),
            1_000.0,
        );
        let printed = format!("{grant:?}");
        assert!(!printed.contains("s3cret"), "{printed}");
        let exchange = CodeExchange {
            code: "s3cret-code".into(),
            verifier: CodeVerifier::from_random_bytes(&[7; 32]).unwrap(),
            redirect_uri: "http://127.0.0.1:8080/".into(),
        };
        let printed = format!("{exchange:?}");
        assert!(
            !printed.contains("s3cret") && !printed.contains(exchange.verifier.as_str()),
            "{printed}"
        );
    }

    #[test]
    fn a_grant_dates_its_expiry_from_receipt() {
        let grant = TokenGrant::received(AccessToken::new("t"), Some(90), None, 5_000.0);
        assert_eq!(grant.expires_at_ms, Some(95_000.0));
        let open = TokenGrant::received(AccessToken::new("t"), None, None, 5_000.0);
        assert_eq!(open.expires_at_ms, None);
    }

    #[test]
    fn refresh_comes_before_expiry_with_a_bounded_lead() {
        // A 24 h token refreshes two minutes before it lapses.
        assert_eq!(refresh_delay_ms(86_400_000.0), 86_400_000.0 - 120_000.0);
        // A 60 s token refreshes with 12 s to spare.
        assert_eq!(refresh_delay_ms(60_000.0), 48_000.0);
        // A token already lapsed refreshes at once.
        assert_eq!(refresh_delay_ms(-5.0), 0.0);
    }

    #[test]
    fn the_renew_notice_shows_five_minutes_ahead_or_at_once() {
        assert_eq!(renew_notice_delay_ms(3_600_000.0), 3_300_000.0);
        assert_eq!(renew_notice_delay_ms(120_000.0), 0.0);
    }

    #[test]
    fn failures_say_what_to_do_next() {
        let network = SignInError::Network("connection refused".into()).to_string();
        assert!(
            network.contains("could not be reached") && network.contains("Sign in again"),
            "{network}"
        );
        let mismatch = SignInError::State(StateError::Mismatch).to_string();
        assert!(mismatch.contains("state mismatch"), "{mismatch}");
    }
}
