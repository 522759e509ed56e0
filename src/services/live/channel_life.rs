//! The channel's life: a socket message that says the channel is gone, and when to renew before the
//! 24 h lifetime ends (reference §4.2, §4.4). Pure: frames and times in, decisions out.

use wrapup_core::model::parse_instant;

/// Renew this long before the channel expires (re-PUT the subscriptions), or at half its life if shorter.
pub const RENEW_AHEAD_MS: f64 = 60.0 * 60.0 * 1000.0;

/// Whether `frame` says the channel is gone: any JSON object with a 4xx `result` (string or number),
/// e.g. `{"result":"404","message":"…"}`. Reference §4.4 marks the shape unconfirmed, so this is lenient.
pub fn reports_channel_gone(frame: &str) -> bool {
    let Ok(serde_json::Value::Object(fields)) = serde_json::from_str::<serde_json::Value>(frame)
    else {
        return false;
    };
    let status = match fields.get("result") {
        Some(serde_json::Value::String(text)) => text.trim().parse::<u16>().ok(),
        Some(serde_json::Value::Number(number)) => {
            number.as_u64().and_then(|n| u16::try_from(n).ok())
        }
        _ => None,
    };
    status.is_some_and(|s| (400..500).contains(&s))
}

/// When a channel created at `created_ms` that `expires` (ISO-8601) should be renewed; `None` when the
/// platform gave no readable expiry.
pub fn renew_at_ms(created_ms: f64, expires: Option<&str>) -> Option<f64> {
    let expires = parse_instant(expires?)?;
    let expires_ms = (expires.unix_timestamp_nanos() / 1_000_000) as f64;
    let life = (expires_ms - created_ms).max(0.0);
    Some(expires_ms - RENEW_AHEAD_MS.min(life / 2.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_4xx_result_on_the_socket_means_the_channel_is_gone() {
        assert!(reports_channel_gone(
            r#"{"result":"404","message":"channel not found"}"#
        ));
        assert!(reports_channel_gone(r#"{"result":410}"#));
        assert!(reports_channel_gone(
            r#"{"result":" 401 ","status":"error"}"#
        ));
    }

    #[test]
    fn notifications_and_other_results_are_not_a_dead_channel() {
        for frame in [
            r#"{"result":"200","status":"subscribed"}"#,
            r#"{"result":"503"}"#,
            r#"{"topicName":"channel.metadata","eventBody":{"message":"WebSocket Heartbeat"}}"#,
            r#"{"topicName":"v2.users.u.conversations","eventBody":{"result":"404"}}"#,
            r#"{"result":"gone"}"#,
            "not json",
            r#"["result","404"]"#,
        ] {
            assert!(!reports_channel_gone(frame), "{frame}");
        }
    }

    #[test]
    fn renewal_comes_an_hour_before_expiry_or_at_half_life() {
        let created = 1_714_557_600_000.0; // 2024-05-01T10:00:00Z
        let day = renew_at_ms(created, Some("2024-05-02T10:00:00Z")).unwrap();
        assert_eq!(day, created + 23.0 * 3_600_000.0);
        let short = renew_at_ms(created, Some("2024-05-01T10:10:00Z")).unwrap();
        assert_eq!(short, created + 5.0 * 60_000.0);
        assert_eq!(renew_at_ms(created, None), None);
        assert_eq!(renew_at_ms(created, Some("soon")), None);
    }
}
