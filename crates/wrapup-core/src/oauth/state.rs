//! The OAuth `state`: a nonce plus the launch context, so the registered redirect URI stays the bare page address
//! (reference §2.1, BLOG-REDIRECT). The tab stores the encoded string and compares it exactly with the one that
//! comes back before trusting anything decoded from it; decoding re-validates every field through [`platform`].
//!
//! Wire form: base64url (unpadded) of a small JSON object with short keys, e.g.
//! `{"v":1,"n":"<nonce>","g":"pkce","w":"queues","env":"mypurecloud.ie","cid":"<client id>","host":"https://apps.mypurecloud.ie"}`.
//!
//! [`platform`]: crate::platform

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};

use crate::platform::{Launch, Platform, PlatformError};

/// The fewest random bytes a nonce is made from (128 bits).
pub const MIN_NONCE_BYTES: usize = 16;
/// The longest encoded state accepted; a real one is a few hundred characters.
pub const MAX_ENCODED_LEN: usize = 2048;
const VERSION: u8 = 1;

/// Which OAuth grant the sign-in used, so the page knows how to read the response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GrantKind {
    /// Authorization code with PKCE: `?code=…` in the query.
    Pkce,
    /// The retiring implicit grant: `#access_token=…` in the fragment.
    Implicit,
}

/// Which conversations the live feed follows after sign-in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WatchMode {
    /// The signed-in user's queues (and the user's own conversations).
    #[default]
    Queues,
    /// Only the signed-in user's own conversations.
    Me,
    /// Agents the person picks (their ids are kept by the widget, not in the state).
    Agents,
}

/// What a sign-in carries across the redirect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignInState {
    /// Random, base64url; makes every sign-in's state unique and unguessable.
    pub nonce: String,
    /// The grant this sign-in uses.
    pub grant: GrantKind,
    /// What the feed watches once signed in.
    pub watch: WatchMode,
    /// Platform, client id, conversation, host origin and language the page was launched with.
    pub launch: Launch,
}

/// Why a returned `state` was not trusted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StateError {
    /// The caller passed this many random bytes for the nonce; at least [`MIN_NONCE_BYTES`] are needed.
    NonceTooShort(usize),
    /// The response had no state, or this tab stored none.
    Missing,
    /// The state differs from the one this tab stored.
    Mismatch,
    /// The state is not one this widget writes (too long, not base64url JSON, unknown keys or version, a bad value).
    Malformed(&'static str),
    /// The state names a platform this widget refuses.
    Platform(PlatformError),
}

impl fmt::Display for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NonceTooShort(n) => write!(
                f,
                "a sign-in state needs at least {MIN_NONCE_BYTES} random bytes, not {n}"
            ),
            Self::Missing => f.write_str(
                "The sign-in response carried no state, or this tab has no record of starting a sign-in, so it was \
                 ignored. Sign in again from this tab.",
            ),
            Self::Mismatch => f.write_str(
                "The sign-in response does not belong to this tab (state mismatch), so it was ignored. Sign in again.",
            ),
            Self::Malformed(what) => write!(
                f,
                "The sign-in state is not one this widget wrote ({what}), so it was ignored. Sign in again."
            ),
            Self::Platform(err) => write!(
                f,
                "The sign-in state names a platform this widget refuses: {err}. Sign in again."
            ),
        }
    }
}

impl std::error::Error for StateError {}

/// The JSON inside the encoded state. Short keys keep the authorize URL small.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    v: u8,
    n: String,
    g: GrantKind,
    #[serde(default, skip_serializing_if = "is_default")]
    w: WatchMode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    env: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sim: Option<String>,
    cid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    conv: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    host: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lang: Option<String>,
    /// `gcTargetEnv`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    te: Option<String>,
    /// An interaction-widget instance.
    #[serde(default, skip_serializing_if = "is_false")]
    iw: bool,
    /// Sign-in runs in a popup.
    #[serde(default, skip_serializing_if = "is_false")]
    pop: bool,
}

fn is_false(value: &bool) -> bool {
    !value
}

fn is_default(w: &WatchMode) -> bool {
    *w == WatchMode::default()
}

impl SignInState {
    /// A state for a new sign-in; `nonce_bytes` come from the caller's secure random source.
    pub fn new(
        nonce_bytes: &[u8],
        grant: GrantKind,
        watch: WatchMode,
        launch: Launch,
    ) -> Result<Self, StateError> {
        if nonce_bytes.len() < MIN_NONCE_BYTES {
            return Err(StateError::NonceTooShort(nonce_bytes.len()));
        }
        Ok(Self {
            nonce: URL_SAFE_NO_PAD.encode(nonce_bytes),
            grant,
            watch,
            launch,
        })
    }

    /// The `state` value to send and to store in the tab.
    pub fn encode(&self) -> String {
        let (env, sim) = match &self.launch.platform {
            Platform::Genesys(env) => (Some(env.domain.to_owned()), None),
            Platform::Simulator { origin } => (None, Some(origin.origin().ascii_serialization())),
        };
        let wire = Wire {
            v: VERSION,
            n: self.nonce.clone(),
            g: self.grant,
            w: self.watch,
            env,
            sim,
            cid: self.launch.client_id.clone(),
            conv: self.launch.conversation_id.clone(),
            host: self.launch.host_origin.clone(),
            lang: self.launch.lang_tag.clone(),
            te: self.launch.target_env.clone(),
            iw: self.launch.interaction,
            pop: self.launch.popup_auth,
        };
        let json = serde_json::to_vec(&wire).expect("plain strings serialise");
        URL_SAFE_NO_PAD.encode(json)
    }

    /// Decode a state this widget wrote. Lenient in form (padding or none, optional keys absent), strict in
    /// content: size cap, known keys and version, well-formed ids, and the platform re-validated.
    pub fn decode(encoded: &str) -> Result<Self, StateError> {
        if encoded.len() > MAX_ENCODED_LEN {
            return Err(StateError::Malformed("too long"));
        }
        let bytes = URL_SAFE_NO_PAD
            .decode(encoded.trim_end_matches('='))
            .or_else(|_| URL_SAFE.decode(encoded))
            .map_err(|_| StateError::Malformed("not base64url"))?;
        let wire: Wire = serde_json::from_slice(&bytes)
            .map_err(|_| StateError::Malformed("not the expected JSON"))?;
        if wire.v != VERSION {
            return Err(StateError::Malformed("unknown version"));
        }
        let nonce_ok = wire.n.len() >= URL_SAFE_NO_PAD.encode([0; MIN_NONCE_BYTES]).len()
            && wire
                .n
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !nonce_ok {
            return Err(StateError::Malformed("bad nonce"));
        }
        let platform = match (&wire.env, &wire.sim) {
            (Some(env), None) => Platform::from_domain(env),
            (None, Some(sim)) => Platform::simulator(sim),
            _ => return Err(StateError::Malformed("needs exactly one of env and sim")),
        }
        .map_err(StateError::Platform)?;
        // A host origin must name the same platform, or it could steer the widget elsewhere later.
        let host_origin = match wire.host {
            Some(host) => {
                let checked = Launch::checked_host(host.clone(), &platform)
                    .map_err(|_| StateError::Malformed("host origin of another platform"))?;
                if checked != host {
                    return Err(StateError::Malformed("host origin not an origin"));
                }
                Some(checked)
            }
            None => None,
        };
        if !is_token(&wire.cid, 128) {
            return Err(StateError::Malformed("bad client id"));
        }
        if wire.conv.as_deref().is_some_and(|c| !is_token(c, 128)) {
            return Err(StateError::Malformed("bad conversation id"));
        }
        if wire.lang.as_deref().is_some_and(|l| !is_token(l, 35)) {
            return Err(StateError::Malformed("bad language tag"));
        }
        if wire.te.as_deref().is_some_and(|t| !is_token(t, 64)) {
            return Err(StateError::Malformed("bad target environment"));
        }
        if wire.iw && wire.conv.is_none() {
            return Err(StateError::Malformed(
                "interaction widget without a conversation",
            ));
        }
        Ok(Self {
            nonce: wire.n,
            grant: wire.g,
            watch: wire.w,
            launch: Launch {
                platform,
                client_id: wire.cid,
                conversation_id: wire.conv,
                interaction: wire.iw,
                host_origin,
                target_env: wire.te,
                lang_tag: wire.lang,
                popup_auth: wire.pop,
            },
        })
    }

    /// The state of a sign-in this tab started: `returned` (echoed by the platform) must equal `stored` (kept by
    /// the tab) exactly, and only then is it decoded.
    pub fn verify(returned: Option<&str>, stored: Option<&str>) -> Result<Self, StateError> {
        let (Some(returned), Some(stored)) = (returned, stored) else {
            return Err(StateError::Missing);
        };
        if !super::state_matches(Some(returned), Some(stored)) {
            return Err(StateError::Mismatch);
        }
        Self::decode(stored)
    }
}

/// Ids and tags: non-empty, bounded, letters, digits and `-._`.
fn is_token(value: &str, max: usize) -> bool {
    !value.is_empty()
        && value.len() <= max
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONCE: [u8; 16] = *b"0123456789abcdef";

    fn launch(pairs: &[(&str, &str)]) -> Launch {
        Launch::from_query(pairs.iter().copied()).unwrap()
    }

    fn raw(json: &str) -> String {
        URL_SAFE_NO_PAD.encode(json)
    }

    #[test]
    fn every_launch_field_survives_the_round_trip() {
        let launches = [
            launch(&[
                ("gcHostOrigin", "https://apps.euw2.pure.cloud"),
                ("clientId", "6b1c4e2a-0d3f-4a9e-9d77-1f2e3a4b5c6d"),
                ("gcConversationId", "c0ffee00-1111-2222-3333-444455556666"),
                ("gcLangTag", "en-us"),
                ("gcTargetEnv", "prod-euw2"),
                ("gcUsePopupAuth", "true"),
            ]),
            launch(&[
                ("gcHostOrigin", "http://localhost:5000"),
                ("pcConversationId", "c0ffee00-1111-2222-3333-444455556666"),
                ("sim", "http://127.0.0.1:8787"),
            ]),
            launch(&[("env", "mypurecloud.jp"), ("clientId", "abc")]),
            launch(&[("sim", "http://localhost:4000/x")]),
            launch(&[]),
        ];
        for launch in launches {
            for (grant, watch) in [
                (GrantKind::Pkce, WatchMode::Queues),
                (GrantKind::Implicit, WatchMode::Me),
                (GrantKind::Pkce, WatchMode::Agents),
            ] {
                let state = SignInState::new(&NONCE, grant, watch, launch.clone()).unwrap();
                let encoded = state.encode();
                assert!(
                    encoded
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                    "URL-safe: {encoded}"
                );
                assert_eq!(SignInState::decode(&encoded), Ok(state.clone()));
                assert_eq!(
                    SignInState::verify(Some(&encoded), Some(&encoded)),
                    Ok(state)
                );
            }
        }
    }

    #[test]
    fn wire_form_is_the_documented_json() {
        let state = SignInState::new(
            &NONCE,
            GrantKind::Pkce,
            WatchMode::Queues,
            launch(&[("env", "mypurecloud.ie"), ("clientId", "cid")]),
        )
        .unwrap();
        let json = URL_SAFE_NO_PAD.decode(state.encode()).unwrap();
        assert_eq!(
            String::from_utf8(json).unwrap(),
            r#"{"v":1,"n":"MDEyMzQ1Njc4OWFiY2RlZg","g":"pkce","env":"mypurecloud.ie","cid":"cid"}"#
        );
        // Lenient in form: padding is tolerated.
        let padded = URL_SAFE.encode(br#"{"v":1,"n":"MDEyMzQ1Njc4OWFiY2RlZg","g":"implicit","w":"me","sim":"http://127.0.0.1:8787","cid":"x"}"#);
        let decoded = SignInState::decode(&padded).unwrap();
        assert_eq!(
            (
                decoded.grant,
                decoded.watch,
                decoded.launch.platform.label()
            ),
            (
                GrantKind::Implicit,
                WatchMode::Me,
                "gc-sim (127.0.0.1:8787)".to_owned()
            )
        );
    }

    #[test]
    fn exact_match_comes_before_decoding() {
        let a = SignInState::new(&NONCE, GrantKind::Pkce, WatchMode::Queues, launch(&[]))
            .unwrap()
            .encode();
        let b = SignInState::new(&[9; 16], GrantKind::Pkce, WatchMode::Queues, launch(&[]))
            .unwrap()
            .encode();
        assert_eq!(
            SignInState::verify(Some(&b), Some(&a)),
            Err(StateError::Mismatch)
        );
        assert_eq!(
            SignInState::verify(None, Some(&a)),
            Err(StateError::Missing)
        );
        assert_eq!(
            SignInState::verify(Some(&a), None),
            Err(StateError::Missing)
        );
        assert_eq!(
            SignInState::new(&[1; 15], GrantKind::Pkce, WatchMode::Queues, launch(&[])),
            Err(StateError::NonceTooShort(15))
        );
    }

    #[test]
    fn tampered_states_cannot_point_at_a_foreign_host() {
        let n = r#""n":"MDEyMzQ1Njc4OWFiY2RlZg","g":"pkce","cid":"c""#;
        let refused = [
            (
                format!(r#"{{"v":1,{n},"env":"evil.com"}}"#),
                "foreign domain",
            ),
            (
                format!(r#"{{"v":1,{n},"env":"mypurecloud.ie.evil.com"}}"#),
                "lookalike domain",
            ),
            (
                format!(r#"{{"v":1,{n},"sim":"http://10.0.0.5:8787"}}"#),
                "non-loopback simulator",
            ),
            (
                format!(
                    r#"{{"v":1,{n},"env":"mypurecloud.ie","host":"https://apps.mypurecloud.com"}}"#
                ),
                "host origin of another environment",
            ),
            (
                format!(r#"{{"v":1,{n},"env":"mypurecloud.ie","sim":"http://127.0.0.1:1"}}"#),
                "both env and sim",
            ),
            (format!(r#"{{"v":1,{n}}}"#), "no platform"),
            (
                format!(r#"{{"v":1,{n},"env":"mypurecloud.ie","api":"https://evil.com"}}"#),
                "unknown key",
            ),
            (
                format!(r#"{{"v":2,{n},"env":"mypurecloud.ie"}}"#),
                "unknown version",
            ),
            (
                format!(r#"{{"v":1,{n},"env":"mypurecloud.ie","w":"everyone"}}"#),
                "unknown watch mode",
            ),
            (
                format!(r#"{{"v":1,{n},"env":"mypurecloud.ie","conv":"../../x?y"}}"#),
                "conversation id with path characters",
            ),
            (
                r#"{"v":1,"n":"short","g":"pkce","cid":"c","env":"mypurecloud.ie"}"#.to_owned(),
                "short nonce",
            ),
        ];
        for (json, why) in refused {
            let encoded = raw(&json);
            let result = SignInState::decode(&encoded);
            assert!(result.is_err(), "{why}: {result:?}");
            // The exact-match check passes (the tab stored this very string), so decoding is what refuses it.
            assert!(
                SignInState::verify(Some(&encoded), Some(&encoded)).is_err(),
                "{why}"
            );
        }
        assert!(matches!(
            SignInState::decode(&raw(&format!(r#"{{"v":1,{n},"env":"evil.com"}}"#))),
            Err(StateError::Platform(PlatformError::UnknownEnvironment(_)))
        ));
        assert_eq!(
            SignInState::decode("not base64!"),
            Err(StateError::Malformed("not base64url"))
        );
        assert_eq!(
            SignInState::decode(&"A".repeat(MAX_ENCODED_LEN + 1)),
            Err(StateError::Malformed("too long"))
        );
    }
}
