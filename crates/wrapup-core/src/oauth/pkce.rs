//! The authorization-code flow with PKCE (reference §2.5, RFC 7636), the sign-in every browser-only client will
//! have to use: verifier and S256 challenge, authorize URL, redirect query, token and refresh requests, token
//! response. The caller does the I/O and supplies the random bytes (`crypto.getRandomValues` in the widget).

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use sha2::{Digest, Sha256};
use url::{Url, form_urlencoded};

use crate::platform::Platform;

/// The media type of the token and refresh request bodies.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// The fewest random bytes a verifier is made from: 32 bytes give the RFC's minimum of 43 characters.
pub const MIN_VERIFIER_BYTES: usize = 32;
/// The most random bytes a verifier is made from: 96 bytes give the RFC's maximum of 128 characters.
pub const MAX_VERIFIER_BYTES: usize = 96;

/// The secret half of PKCE: kept by the tab between the authorize redirect and the token request, sent only to
/// the token endpoint. `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct CodeVerifier(String);

/// Why a code verifier was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VerifierError {
    /// The caller passed this many random bytes, outside [`MIN_VERIFIER_BYTES`]..=[`MAX_VERIFIER_BYTES`].
    RandomBytes(usize),
    /// A verifier of this many characters; RFC 7636 allows 43 to 128.
    Length(usize),
    /// A character outside `A–Z a–z 0–9 - . _ ~`.
    Character(char),
}

impl fmt::Display for VerifierError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::RandomBytes(n) => write!(
                f,
                "a PKCE code verifier needs {MIN_VERIFIER_BYTES} to {MAX_VERIFIER_BYTES} random bytes, not {n}"
            ),
            Self::Length(n) => write!(
                f,
                "a PKCE code verifier has 43 to 128 characters, not {n}; sign in again"
            ),
            Self::Character(c) => write!(
                f,
                "a PKCE code verifier may not contain {c:?}; sign in again"
            ),
        }
    }
}

impl std::error::Error for VerifierError {}

impl CodeVerifier {
    /// A verifier from fresh random bytes: their base64url encoding, as RFC 7636 §4.1 recommends.
    pub fn from_random_bytes(bytes: &[u8]) -> Result<Self, VerifierError> {
        if !(MIN_VERIFIER_BYTES..=MAX_VERIFIER_BYTES).contains(&bytes.len()) {
            return Err(VerifierError::RandomBytes(bytes.len()));
        }
        Ok(Self(URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// A verifier read back from where the tab kept it, checked against RFC 7636 §4.1.
    pub fn parse(value: &str) -> Result<Self, VerifierError> {
        if let Some(c) = value
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~')))
        {
            return Err(VerifierError::Character(c));
        }
        if !(43..=128).contains(&value.len()) {
            return Err(VerifierError::Length(value.len()));
        }
        Ok(Self(value.to_owned()))
    }

    /// The verifier itself, for storage and the token request.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The S256 challenge sent on the authorize URL: base64url(SHA-256(verifier)), unpadded.
    pub fn challenge(&self) -> String {
        URL_SAFE_NO_PAD.encode(Sha256::digest(self.0.as_bytes()))
    }
}

impl fmt::Debug for CodeVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CodeVerifier(<redacted>)")
    }
}

/// The `/oauth/authorize` URL of the code flow. As with the implicit grant, `redirect_uri` is the bare page
/// address registered on the client and per-launch context travels in `state`.
pub fn authorize_url(
    platform: &Platform,
    client_id: &str,
    redirect_uri: &str,
    state: &str,
    verifier: &CodeVerifier,
) -> Url {
    let mut url = platform
        .login_base()
        .join("oauth/authorize")
        .expect("static path joins");
    url.query_pairs_mut()
        .append_pair("client_id", client_id)
        .append_pair("response_type", "code")
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("code_challenge", &verifier.challenge())
        .append_pair("code_challenge_method", "S256")
        .append_pair("state", state);
    url
}

/// Where the token and refresh requests are POSTed.
pub fn token_url(platform: &Platform) -> Url {
    platform
        .login_base()
        .join("oauth/token")
        .expect("static path joins")
}

/// The form body exchanging an authorization code for a token. A public client sends no secret: the verifier
/// proves it is the tab that asked for the code.
pub fn token_request_body(
    code: &str,
    redirect_uri: &str,
    client_id: &str,
    verifier: &CodeVerifier,
) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "authorization_code")
        .append_pair("code", code)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("client_id", client_id)
        .append_pair("code_verifier", verifier.as_str())
        .finish()
}

/// The form body trading a refresh token for a new access token (RFC 6749 §6), without a secret.
pub fn refresh_request_body(refresh_token: &str, client_id: &str) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "refresh_token")
        .append_pair("refresh_token", refresh_token)
        .append_pair("client_id", client_id)
        .finish()
}

/// An authorization code from the redirect query, its `state` already checked. `Debug` never prints the code.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthorizationCode {
    /// The single-use code to exchange at [`token_url`].
    pub code: String,
    /// The `state` echoed back, equal to the one this tab stored.
    pub state: String,
}

impl fmt::Debug for AuthorizationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationCode")
            .field("code", &"<redacted>")
            .field("state", &self.state)
            .finish()
    }
}

/// What a redirect query said, when it was not a usable authorization code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RedirectError {
    /// The platform refused: `error` and `error_description` from the query.
    Denied {
        /// The OAuth error code, e.g. `access_denied`.
        error: String,
        /// The platform's explanation, if any.
        description: Option<String>,
    },
    /// The response carried no `state`, or this tab stored none: nothing shows this tab asked for it.
    StateMissing,
    /// The response's `state` differs from the one this tab stored: another tab or page started it.
    StateMismatch,
    /// A query with neither a code nor an error.
    NoCode,
}

impl fmt::Display for RedirectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Denied {
                error,
                description: Some(d),
            } => write!(
                f,
                "Sign-in was refused [{error}]: {d}. Press Sign in to try again."
            ),
            Self::Denied {
                error,
                description: None,
            } => write!(
                f,
                "Sign-in was refused [{error}]. Press Sign in to try again."
            ),
            Self::StateMissing => f.write_str(
                "The sign-in response carried no state, or this tab has no record of starting a sign-in, so it was \
                 ignored. Sign in again from this tab.",
            ),
            Self::StateMismatch => f.write_str(
                "The sign-in response does not belong to this tab (state mismatch), so it was ignored. Sign in again.",
            ),
            Self::NoCode => {
                f.write_str("The sign-in response carried no authorization code. Sign in again.")
            }
        }
    }
}

impl std::error::Error for RedirectError {}

/// Whether a page query (with or without `?`) is a code-flow response at all.
pub fn is_code_redirect(query: &str) -> bool {
    let query = query.strip_prefix('?').unwrap_or(query);
    form_urlencoded::parse(query.as_bytes()).any(|(k, _)| k == "code" || k == "error")
}

/// Parse the redirect query (`?code=…&state=…` or `?error=…&error_description=…`, with or without `?`) and
/// check its `state` exactly against `stored_state`, the value this tab kept. A code whose state is missing or
/// different is never returned.
pub fn parse_redirect_query(
    query: &str,
    stored_state: Option<&str>,
) -> Result<AuthorizationCode, RedirectError> {
    let query = query.strip_prefix('?').unwrap_or(query);
    let (mut code, mut state, mut error, mut description) = (None, None, None, None);
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        match &*key {
            "code" => code = Some(value.into_owned()),
            "state" => state = Some(value.into_owned()),
            "error" => error = Some(value.into_owned()),
            "error_description" => description = Some(value.into_owned()),
            _ => {}
        }
    }
    // A refusal is shown whatever its state: nothing from it is trusted.
    if let Some(error) = error {
        return Err(RedirectError::Denied { error, description });
    }
    if state.is_none() || stored_state.is_none() {
        return Err(RedirectError::StateMissing);
    }
    if !super::state_matches(state.as_deref(), stored_state) {
        return Err(RedirectError::StateMismatch);
    }
    match (code, state) {
        (Some(code), Some(state)) if !code.is_empty() => Ok(AuthorizationCode { code, state }),
        _ => Err(RedirectError::NoCode),
    }
}

/// A successful token response. `Debug` never prints the tokens.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenResponse {
    /// The bearer token. Keep it in memory only.
    pub access_token: String,
    /// Seconds the token lives from issue, if the platform said.
    pub expires_in: Option<u64>,
    /// A token to get the next access token without a redirect, if the platform issued one.
    pub refresh_token: Option<String>,
    /// The token type, `bearer` on Genesys Cloud.
    pub token_type: Option<String>,
}

impl fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenResponse")
            .field("access_token", &"<redacted>")
            .field("expires_in", &self.expires_in)
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "<redacted>"),
            )
            .field("token_type", &self.token_type)
            .finish()
    }
}

/// Why a token response gave no token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenError {
    /// The platform answered with an OAuth error body `{error, error_description}`.
    Refused {
        /// HTTP status of the answer.
        status: u16,
        /// The OAuth error code, e.g. `invalid_grant`.
        error: String,
        /// The platform's explanation, if any.
        description: Option<String>,
    },
    /// An answer that is neither a token nor an OAuth error (a proxy's page, an outage).
    Unreadable {
        /// HTTP status of the answer.
        status: u16,
    },
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Refused {
                error, description, ..
            } => {
                let what = match error.as_str() {
                    "invalid_grant" => {
                        "the sign-in code was rejected (expired, already used, or not from this tab)"
                    }
                    "invalid_client" => "the OAuth client id is not known to the platform",
                    _ => "the platform refused the token request",
                };
                write!(f, "Sign-in could not finish: {what} [{error}")?;
                if let Some(d) = description {
                    write!(f, ": {d}")?;
                }
                f.write_str("]. Press Sign in to try again.")
            }
            Self::Unreadable { status } => write!(
                f,
                "Sign-in could not finish: the token service answered HTTP {status} without a token. Try again in a \
                 minute."
            ),
        }
    }
}

impl std::error::Error for TokenError {}

/// Read the answer of a token or refresh request: its HTTP status and body.
pub fn parse_token_response(status: u16, body: &str) -> Result<TokenResponse, TokenError> {
    let Ok(Value::Object(json)) = serde_json::from_str::<Value>(body) else {
        return Err(TokenError::Unreadable { status });
    };
    let text = |key: &str| {
        json.get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    if let Some(error) = text("error") {
        return Err(TokenError::Refused {
            status,
            error,
            description: text("error_description").or_else(|| text("description")),
        });
    }
    let access_token = match text("access_token") {
        Some(token) if (200..300).contains(&status) => token,
        _ => return Err(TokenError::Unreadable { status }),
    };
    // Some servers send `expires_in` as a string.
    let expires_in = match json.get("expires_in") {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    Ok(TokenResponse {
        access_token,
        expires_in,
        refresh_token: text("refresh_token"),
        token_type: text("token_type"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7636 Appendix B: the verifier made from these 32 octets, and its S256 challenge.
    const RFC_OCTETS: [u8; 32] = [
        116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37,
        77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
    ];
    const RFC_VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    // The RFC's value, checked with `openssl dgst -sha256 -binary | base64` too.
    const RFC_CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    fn sim() -> Platform {
        Platform::simulator("http://127.0.0.1:8787").unwrap()
    }

    #[test]
    fn rfc7636_appendix_b_vector() {
        let verifier = CodeVerifier::from_random_bytes(&RFC_OCTETS).unwrap();
        assert_eq!(verifier.as_str(), RFC_VERIFIER);
        assert_eq!(verifier.challenge(), RFC_CHALLENGE);
        assert_eq!(
            CodeVerifier::parse(RFC_VERIFIER).unwrap().challenge(),
            RFC_CHALLENGE
        );
        assert_eq!(format!("{verifier:?}"), "CodeVerifier(<redacted>)");
    }

    #[test]
    fn verifier_length_and_alphabet_follow_the_rfc() {
        assert_eq!(
            CodeVerifier::from_random_bytes(&[7; 31]),
            Err(VerifierError::RandomBytes(31))
        );
        assert_eq!(
            CodeVerifier::from_random_bytes(&[7; 97]),
            Err(VerifierError::RandomBytes(97))
        );
        let longest = CodeVerifier::from_random_bytes(&[0xfb; 96]).unwrap();
        assert_eq!(longest.as_str().len(), 128);
        assert!(CodeVerifier::parse(longest.as_str()).is_ok());
        assert_eq!(
            CodeVerifier::parse(&"a".repeat(42)),
            Err(VerifierError::Length(42))
        );
        assert_eq!(
            CodeVerifier::parse(&"a".repeat(129)),
            Err(VerifierError::Length(129))
        );
        assert_eq!(
            CodeVerifier::parse(&format!("{}+", "a".repeat(50))),
            Err(VerifierError::Character('+'))
        );
        assert!(CodeVerifier::parse(&format!("{}-._~", "a".repeat(50))).is_ok());
    }

    #[test]
    fn authorize_url_carries_the_code_flow_parameters() {
        let verifier = CodeVerifier::parse(RFC_VERIFIER).unwrap();
        let url = authorize_url(
            &sim(),
            "client-1",
            "http://127.0.0.1:8080/",
            "s t&x",
            &verifier,
        );
        assert_eq!(
            url.as_str().split('?').next(),
            Some("http://127.0.0.1:8787/oauth/authorize")
        );
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(
            pairs,
            vec![
                ("client_id".into(), "client-1".into()),
                ("response_type".into(), "code".into()),
                ("redirect_uri".into(), "http://127.0.0.1:8080/".into()),
                ("code_challenge".into(), RFC_CHALLENGE.into()),
                ("code_challenge_method".into(), "S256".into()),
                ("state".into(), "s t&x".into()),
            ]
        );
        let ie = Platform::from_domain("mypurecloud.ie").unwrap();
        assert_eq!(
            token_url(&ie).as_str(),
            "https://login.mypurecloud.ie/oauth/token"
        );
    }

    #[test]
    fn token_and_refresh_bodies_are_the_exact_forms() {
        let verifier = CodeVerifier::parse(RFC_VERIFIER).unwrap();
        assert_eq!(
            token_request_body("c/1+", "http://127.0.0.1:8080/", "cid", &verifier),
            format!(
                "grant_type=authorization_code&code=c%2F1%2B&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2F\
                 &client_id=cid&code_verifier={RFC_VERIFIER}"
            )
        );
        assert_eq!(
            refresh_request_body("r&t=1", "cid"),
            "grant_type=refresh_token&refresh_token=r%26t%3D1&client_id=cid"
        );
    }

    #[test]
    fn redirect_query_gives_the_code_only_for_this_tabs_state() {
        let code = parse_redirect_query("?code=a%2Fb&state=s1", Some("s1")).unwrap();
        assert_eq!(
            code,
            AuthorizationCode {
                code: "a/b".into(),
                state: "s1".into()
            }
        );
        assert!(!format!("{code:?}").contains("a/b"));
        assert_eq!(
            parse_redirect_query("code=x&state=s2", Some("s1")),
            Err(RedirectError::StateMismatch)
        );
        assert_eq!(
            parse_redirect_query("code=x", Some("s1")),
            Err(RedirectError::StateMissing)
        );
        assert_eq!(
            parse_redirect_query("code=x&state=s1", None),
            Err(RedirectError::StateMissing)
        );
        assert_eq!(
            parse_redirect_query("state=s1", Some("s1")),
            Err(RedirectError::NoCode)
        );
        let denied = parse_redirect_query(
            "error=access_denied&error_description=User+cancelled&state=s1",
            Some("s1"),
        )
        .unwrap_err();
        assert_eq!(
            denied.to_string(),
            "Sign-in was refused [access_denied]: User cancelled. Press Sign in to try again."
        );
        assert!(is_code_redirect("?code=x&state=y"));
        assert!(is_code_redirect("error=x"));
        assert!(!is_code_redirect("?sim=http://127.0.0.1:8787"));
    }

    #[test]
    fn token_responses_and_oauth_errors() {
        let ok = parse_token_response(
            200,
            r#"{"access_token":"at-1","token_type":"bearer","expires_in":86400,"refresh_token":"rt-1"}"#,
        )
        .unwrap();
        assert_eq!(
            ok,
            TokenResponse {
                access_token: "at-1".into(),
                expires_in: Some(86400),
                refresh_token: Some("rt-1".into()),
                token_type: Some("bearer".into()),
            }
        );
        let debug = format!("{ok:?}");
        assert!(
            !debug.contains("at-1") && !debug.contains("rt-1"),
            "{debug}"
        );
        let plain = parse_token_response(200, r#"{"access_token":"t","expires_in":"60"}"#).unwrap();
        assert_eq!((plain.expires_in, plain.refresh_token), (Some(60), None));

        let refused = parse_token_response(
            400,
            r#"{"error":"invalid_grant","error_description":"code_verifier does not match code_challenge"}"#,
        )
        .unwrap_err();
        assert_eq!(
            refused,
            TokenError::Refused {
                status: 400,
                error: "invalid_grant".into(),
                description: Some("code_verifier does not match code_challenge".into()),
            }
        );
        assert_eq!(
            refused.to_string(),
            "Sign-in could not finish: the sign-in code was rejected (expired, already used, or not from this tab) \
             [invalid_grant: code_verifier does not match code_challenge]. Press Sign in to try again."
        );
        assert_eq!(
            parse_token_response(502, "<html>Bad gateway</html>"),
            Err(TokenError::Unreadable { status: 502 })
        );
        assert_eq!(
            parse_token_response(200, r#"{"token_type":"bearer"}"#),
            Err(TokenError::Unreadable { status: 200 })
        );
    }
}
