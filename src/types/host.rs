//! The client-app protocol between this app and the Genesys Cloud UI framing it (reference §3.3):
//! the actions it posts (`showToast`, `setAttentionCount`, lifecycle replies) and the lifecycle hooks
//! it accepts. Pure: the host service moves these through `postMessage`.

use serde_json::{Value, json};

use crate::i18n::{t, t_args};

/// The protocol every message carries.
pub const PROTOCOL: &str = "purecloud-client-apps";
/// Who is speaking. The SDK sends its package name here; whether the host checks it is UNCONFIRMED,
/// so this app names itself honestly, in this one place.
pub const PROTOCOL_AGENT_NAME: &str = "wrapup-live";

/// How a toast looks in the host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ToastKind {
    /// Neutral news.
    Info,
    /// Something went as hoped.
    Success,
    /// Needs attention; stays until closed (the protocol requires `timeout: 0` and a close button).
    Error,
}

/// Something this app asks the host to do.
#[derive(Clone, Debug, PartialEq)]
pub enum HostAction {
    /// A toast; `id` replaces an earlier toast with the same id instead of stacking.
    Toast {
        title: String,
        message: String,
        kind: ToastKind,
        id: Option<String>,
    },
    /// The badge on the app's tab: wrap-ups waiting.
    AttentionCount(usize),
    /// The lifecycle replies.
    Bootstrapped,
    /// The app has stopped its work after a `stop` hook.
    Stopped,
}

/// How long an info or success toast shows, seconds (the SDK's default).
const TOAST_SECONDS: u64 = 7;

impl HostAction {
    /// The message to post: the action's parameters plus `action` and the protocol fields.
    pub fn payload(&self) -> Value {
        let mut payload = match self {
            Self::Toast {
                title,
                message,
                kind,
                id,
            } => {
                let (kind, timeout) = match kind {
                    ToastKind::Info => ("info", TOAST_SECONDS),
                    ToastKind::Success => ("success", TOAST_SECONDS),
                    ToastKind::Error => ("error", 0),
                };
                let mut toast = json!({
                    "action": "showToast",
                    "title": title,
                    "message": message,
                    "type": kind,
                    "timeout": timeout,
                    "showCloseButton": true,
                    // Agent names and codes are data, never markup.
                    "markdownMessage": false,
                });
                if let Some(id) = id {
                    toast["id"] = json!(id);
                }
                toast
            }
            Self::AttentionCount(count) => json!({ "action": "setAttentionCount", "count": count }),
            Self::Bootstrapped => json!({ "action": "bootstrapped" }),
            Self::Stopped => json!({ "action": "stopped" }),
        };
        payload["protocol"] = json!(PROTOCOL);
        payload["protocolAgentName"] = json!(PROTOCOL_AGENT_NAME);
        payload["protocolAgentVersion"] = json!(env!("CARGO_PKG_VERSION"));
        payload
    }
}

/// A wrap-up worth a toast, with the names to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrapUpNews {
    /// `conversationId/participantId`, so a repeated toast replaces the earlier one.
    pub leg: String,
    /// The agent, by name where known.
    pub agent: String,
    /// Submitted (with the code's name) or timed out.
    pub submitted: Option<String>,
}

impl HostAction {
    /// One toast for the wrap-ups that just happened: the wrap-up itself when there is one, else a
    /// count (a busy queue must not bury the host in toasts). `None` when there is nothing to say.
    pub fn wrap_up_toast(news: &[WrapUpNews]) -> Option<Self> {
        match news {
            [] => None,
            [one] => Some(match &one.submitted {
                Some(code) => Self::Toast {
                    title: t("host-toast-submitted-title"),
                    message: t_args(
                        "host-toast-submitted",
                        &[
                            ("agent", one.agent.as_str().into()),
                            ("code", code.as_str().into()),
                        ],
                    ),
                    kind: ToastKind::Success,
                    id: Some(one.leg.clone()),
                },
                None => Self::Toast {
                    title: t("host-toast-timed-out-title"),
                    message: t_args(
                        "host-toast-timed-out",
                        &[("agent", one.agent.as_str().into())],
                    ),
                    kind: ToastKind::Info,
                    id: Some(one.leg.clone()),
                },
            }),
            many => {
                let submitted = many.iter().filter(|n| n.submitted.is_some()).count();
                let timed_out = many.len() - submitted;
                Some(Self::Toast {
                    title: t_args("host-toast-many-title", &[("count", many.len().into())]),
                    message: t_args(
                        "host-toast-many",
                        &[
                            ("submitted", submitted.into()),
                            ("timed_out", timed_out.into()),
                        ],
                    ),
                    kind: ToastKind::Info,
                    id: None,
                })
            }
        }
    }
}

/// A client app watching whole queues toasts at most this often; the wrap-ups between are summed up.
pub const QUEUE_TOAST_EVERY_MS: f64 = 30_000.0;

/// How long a new wrap-up's toast waits: none for an interaction widget (one conversation, news the
/// agent waits for) or for a first toast; otherwise until half a minute after the last one, so a busy
/// queue gives one summary toast instead of a stream.
pub fn toast_delay_ms(one_conversation: bool, last_toast_ms: Option<f64>, now_ms: f64) -> f64 {
    match last_toast_ms {
        Some(last) if !one_conversation => (last + QUEUE_TOAST_EVERY_MS - now_ms).max(0.0),
        _ => 0.0,
    }
}

/// A lifecycle hook the host sent (only those enabled in the integration's `advanced.lifecycle`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hook {
    /// The app was loaded and may start.
    Bootstrap,
    /// The app's tab or panel came into view.
    Focus,
    /// It went out of view.
    Blur,
    /// The app is about to be removed: stop work, then reply `stopped`.
    Stop,
}

impl Hook {
    /// The hook in a message's data, when the data is what the SDK accepts: a non-array object with a
    /// string `purecloudEventType`, here `appLifecycleHook` with a known `hook`. Anything else is `None`.
    pub fn from_message(data: &Value) -> Option<Self> {
        let data = data.as_object()?;
        if data.get("purecloudEventType")?.as_str()? != "appLifecycleHook" {
            return None;
        }
        // The SDK reads the hook from `hook`; some hosts nest it in `data` (UNCONFIRMED); accept both.
        let hook = data
            .get("hook")
            .or_else(|| data.get("data").and_then(|d| d.get("hook")))?
            .as_str()?;
        match hook {
            "bootstrap" => Some(Self::Bootstrap),
            "focus" => Some(Self::Focus),
            "blur" => Some(Self::Blur),
            "stop" => Some(Self::Stop),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toasts_follow_the_protocol_and_errors_stay_until_closed() {
        let info = HostAction::Toast {
            title: "Wrap-up submitted".into(),
            message: "<b>Agent 01</b>: Sale".into(),
            kind: ToastKind::Success,
            id: Some("c1/p1".into()),
        }
        .payload();
        assert_eq!(info["action"], "showToast");
        assert_eq!(info["protocol"], PROTOCOL);
        assert_eq!(info["type"], "success");
        assert_eq!(info["timeout"], 7);
        assert_eq!(info["markdownMessage"], false, "names are not markup");
        assert_eq!(info["message"], "<b>Agent 01</b>: Sale");
        assert_eq!(info["id"], "c1/p1");
        let error = HostAction::Toast {
            title: "t".into(),
            message: "m".into(),
            kind: ToastKind::Error,
            id: None,
        }
        .payload();
        assert_eq!(
            (error["timeout"].clone(), error["showCloseButton"].clone()),
            (json!(0), json!(true))
        );
        assert!(error.get("id").is_none());
        assert_eq!(HostAction::AttentionCount(3).payload()["count"], 3,);
        assert_eq!(HostAction::Stopped.payload()["action"], "stopped");
    }

    #[test]
    fn one_toast_per_batch_naming_a_single_wrap_up() {
        let news = |leg: &str, code: Option<&str>| WrapUpNews {
            leg: leg.into(),
            agent: "Agent 01".into(),
            submitted: code.map(Into::into),
        };
        assert_eq!(HostAction::wrap_up_toast(&[]), None);
        let Some(HostAction::Toast {
            title,
            message,
            kind,
            id,
        }) = HostAction::wrap_up_toast(&[news("c1/p1", Some("Sale"))])
        else {
            panic!("a toast");
        };
        assert_eq!(
            (title.as_str(), message.as_str(), kind, id.as_deref()),
            (
                "Wrap-up submitted",
                "Agent 01: Sale",
                ToastKind::Success,
                Some("c1/p1")
            )
        );
        let Some(HostAction::Toast { title, message, .. }) = HostAction::wrap_up_toast(&[
            news("c1/p1", Some("Sale")),
            news("c2/p1", None),
            news("c3/p1", Some("Refund")),
        ]) else {
            panic!("a toast");
        };
        assert_eq!(
            (title.as_str(), message.as_str()),
            ("3 wrap-ups", "2 submitted, 1 timed out.")
        );
    }

    #[test]
    fn toasts_speak_the_language_the_host_chose() {
        // Each native test has its own catalog: choosing German here leaves the others English.
        assert_eq!(crate::i18n::select(Some("de-DE")), "de");
        let news = |leg: &str, code: Option<&str>| WrapUpNews {
            leg: leg.into(),
            agent: "Agent 01".into(),
            submitted: code.map(Into::into),
        };
        let toast = |news: &[WrapUpNews]| match HostAction::wrap_up_toast(news) {
            Some(HostAction::Toast { title, message, .. }) => (title, message),
            other => panic!("a toast, not {other:?}"),
        };
        assert_eq!(
            toast(&[news("c1/p1", Some("Verkauf"))]),
            ("Wrap-up abgeschickt".into(), "Agent 01: Verkauf".into())
        );
        assert_eq!(
            toast(&[news("c1/p1", None)]).1,
            "Agent 01 hat nicht rechtzeitig einen Wrap-up-Code gewählt; Genesys Cloud hat den Timeout-Code gesetzt."
        );
        assert_eq!(
            toast(&[news("c1/p1", Some("Verkauf")), news("c2/p1", None)]),
            (
                "2 Wrap-ups".into(),
                "1 abgeschickt, 1 mit abgelaufener Zeit.".into()
            )
        );
    }

    #[test]
    fn queue_toasts_are_paced_and_an_interactions_are_not() {
        assert_eq!(
            toast_delay_ms(false, None, 5_000.0),
            0.0,
            "the first at once"
        );
        assert_eq!(toast_delay_ms(false, Some(5_000.0), 15_000.0), 20_000.0);
        assert_eq!(toast_delay_ms(false, Some(5_000.0), 40_000.0), 0.0);
        assert_eq!(
            toast_delay_ms(true, Some(5_000.0), 5_001.0),
            0.0,
            "an agent's own call at once"
        );
    }

    #[test]
    fn only_well_formed_lifecycle_hooks_are_taken() {
        let hook = |v: Value| Hook::from_message(&v);
        assert_eq!(
            hook(json!({"purecloudEventType": "appLifecycleHook", "hook": "stop"})),
            Some(Hook::Stop)
        );
        assert_eq!(
            hook(json!({"purecloudEventType": "appLifecycleHook", "data": {"hook": "focus"}})),
            Some(Hook::Focus)
        );
        for refused in [
            json!([{"purecloudEventType": "appLifecycleHook", "hook": "stop"}]),
            json!({"purecloudEventType": "somethingElse", "hook": "stop"}),
            json!({"purecloudEventType": "appLifecycleHook", "hook": "explode"}),
            json!({"purecloudEventType": 7, "hook": "stop"}),
            json!({"hook": "stop"}),
            json!("stop"),
            Value::Null,
        ] {
            assert_eq!(hook(refused.clone()), None, "{refused}");
        }
    }
}
