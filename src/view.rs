//! Small display helpers shared by components: times, durations, media names, short ids.

use wasm_bindgen::JsValue;

/// The local wall-clock time of an ISO-8601 instant, or of `fallback_ms` when absent or unreadable.
pub fn clock_time(iso: Option<&str>, fallback_ms: f64) -> String {
    let date = iso
        .map(|s| js_sys::Date::new(&JsValue::from_str(s)))
        .filter(|d| !d.get_time().is_nan())
        .unwrap_or_else(|| js_sys::Date::new(&JsValue::from_f64(fallback_ms)));
    date.to_locale_time_string("default").into()
}

/// `65` → `1 m 05 s`; `9` → `9 s`.
pub fn duration_text(seconds: i64) -> String {
    let seconds = seconds.max(0);
    match (seconds / 3600, (seconds % 3600) / 60, seconds % 60) {
        (0, 0, s) => format!("{s} s"),
        (0, m, s) => format!("{m} m {s:02} s"),
        (h, m, _) => format!("{h} h {m:02} m"),
    }
}

/// A person-friendly media name.
pub fn media_label(media: Option<&str>) -> &'static str {
    match media.map(str::to_ascii_lowercase).as_deref() {
        Some("voice" | "call" | "calls") => "Voice",
        Some("callback" | "callbacks") => "Callback",
        Some("chat" | "chats") => "Chat",
        Some("email" | "emails") => "Email",
        Some("message" | "messages") => "Message",
        Some("video" | "videos") => "Video",
        Some("cobrowse" | "cobrowsesessions") => "Co-browse",
        Some("screenshare" | "screenshares") => "Screen share",
        Some(_) => "Other",
        None => "—",
    }
}

/// The first 8 characters of an id, for showing an unresolved UUID compactly.
pub fn short_id(id: &str) -> String {
    let short: String = id.chars().take(8).collect();
    if short.len() < id.len() {
        format!("{short}…")
    } else {
        short
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_text(9), "9 s");
        assert_eq!(duration_text(65), "1 m 05 s");
        assert_eq!(duration_text(3725), "1 h 02 m");
        assert_eq!(duration_text(-3), "0 s");
    }

    #[test]
    fn ids_and_media() {
        assert_eq!(
            short_id("7f3c1a2b-0000-4000-8000-000000000000"),
            "7f3c1a2b…"
        );
        assert_eq!(short_id("abc"), "abc");
        assert_eq!(media_label(Some("VOICE")), "Voice");
        assert_eq!(media_label(Some("socialExpression")), "Other");
    }
}
