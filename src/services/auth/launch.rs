//! The launch query in both directions: reading the sign-in options a page was opened with, and
//! writing a verified launch back into the address bar so a reload opens the same widget.

use url::form_urlencoded;
use wrapup_core::oauth::state::{GrantKind, SignInState, WatchMode};
use wrapup_core::platform::{Launch, Platform, PlatformError};

/// The launch parameters of a page query (`?sim=…`, `?gcHostOrigin=…&clientId=…`).
pub fn launch_from_query(query: &str) -> Result<Launch, PlatformError> {
    let pairs = pairs(query);
    Launch::from_query(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// The grant (`grant=implicit` for clients created before the cut-off, PKCE otherwise) and the watch
/// mode (`watch=me|queues|agents`, queues otherwise) a page query asks for.
pub fn sign_in_options(query: &str) -> (GrantKind, WatchMode) {
    let pairs = pairs(query);
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_ascii_lowercase())
    };
    let grant = match value("grant").as_deref() {
        Some("implicit") => GrantKind::Implicit,
        _ => GrantKind::Pkce,
    };
    let watch = match value("watch").as_deref() {
        Some("me") => WatchMode::Me,
        Some("agents") => WatchMode::Agents,
        _ => WatchMode::Queues,
    };
    (grant, watch)
}

/// The query that reopens a verified sign-in's launch (with `?`, or empty for the default simulator),
/// holding no secret: the platform, client id, conversation, host, language, grant and watch mode.
pub fn launch_query(state: &SignInState) -> String {
    let launch = &state.launch;
    let mut query = form_urlencoded::Serializer::new(String::new());
    if let Some(host) = &launch.host_origin {
        query.append_pair("gcHostOrigin", host);
    }
    // A Genesys host origin names the environment; a local host page frames gc-sim, named here.
    match (&launch.host_origin, &launch.platform) {
        (Some(_), Platform::Genesys(_)) => {}
        (None, Platform::Genesys(env)) => {
            query.append_pair("env", env.domain);
        }
        (_, Platform::Simulator { origin }) => {
            query.append_pair("sim", &origin.origin().ascii_serialization());
        }
    }
    if let Some(env) = &launch.target_env {
        query.append_pair("gcTargetEnv", env);
    }
    query.append_pair("clientId", &launch.client_id);
    if let Some(conversation) = &launch.conversation_id {
        let name = if launch.interaction {
            "gcConversationId"
        } else {
            "conversation"
        };
        query.append_pair(name, conversation);
    }
    if let Some(lang) = &launch.lang_tag {
        query.append_pair("gcLangTag", lang);
    }
    if launch.popup_auth {
        query.append_pair("gcUsePopupAuth", "true");
    }
    if state.grant == GrantKind::Implicit {
        query.append_pair("grant", "implicit");
    }
    match state.watch {
        WatchMode::Queues => {}
        WatchMode::Me => {
            query.append_pair("watch", "me");
        }
        WatchMode::Agents => {
            query.append_pair("watch", "agents");
        }
    }
    format!("?{}", query.finish())
}

fn pairs(query: &str) -> Vec<(String, String)> {
    let query = query.strip_prefix('?').unwrap_or(query);
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_and_queues_unless_the_query_says_otherwise() {
        assert_eq!(
            sign_in_options("?sim=http://127.0.0.1:8787"),
            (GrantKind::Pkce, WatchMode::Queues)
        );
        assert_eq!(
            sign_in_options("?env=mypurecloud.ie&clientId=c&grant=implicit&watch=me"),
            (GrantKind::Implicit, WatchMode::Me)
        );
        assert_eq!(
            sign_in_options("grant=Implicit&watch=AGENTS"),
            (GrantKind::Implicit, WatchMode::Agents)
        );
        assert_eq!(
            sign_in_options("?grant=password&watch=everyone"),
            (GrantKind::Pkce, WatchMode::Queues)
        );
    }

    #[test]
    fn a_restored_query_reopens_the_same_launch_with_the_same_options() {
        for query in [
            "?env=mypurecloud.ie&clientId=abc-123&gcConversationId=c0ffee&gcLangTag=en-us&grant=implicit&watch=me",
            "?gcHostOrigin=https%3A%2F%2Fapps.euw2.pure.cloud&clientId=abc",
            "?gcHostOrigin=https%3A%2F%2Fapps.euw2.pure.cloud&gcTargetEnv=prod-euw2&clientId=abc&gcConversationId=c1&gcUsePopupAuth=true",
            "?gcHostOrigin=http%3A%2F%2Flocalhost%3A5000&sim=http%3A%2F%2F127.0.0.1%3A8787&pcConversationId=c2&pcLangTag=de-de",
            "?conversation=c3",
            "?sim=http%3A%2F%2F127.0.0.1%3A9999&watch=agents",
        ] {
            let launch = launch_from_query(query).unwrap();
            let (grant, watch) = sign_in_options(query);
            let state = SignInState::new(&[9; 16], grant, watch, launch.clone()).unwrap();
            let restored = launch_query(&state);
            assert_eq!(launch_from_query(&restored).unwrap(), launch, "{restored}");
            assert_eq!(sign_in_options(&restored), (grant, watch), "{restored}");
            assert!(
                !restored.contains(&state.nonce),
                "the nonce stays out of the URL"
            );
        }
    }
}
