//! Small display helpers shared by components: times, durations, delays, media names, short ids,
//! and the names of the files the feed saves.

use wasm_bindgen::JsValue;
use wrapup_core::tracker::Outcome;

use crate::i18n::t;

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

/// How long after the agent's Done a row appeared: `+0.8 s`, `+12 s`, `+3 m 05 s`.
pub fn delay_text(ms: f64) -> String {
    let ms = ms.max(0.0);
    if ms < 10_000.0 {
        format!("+{:.1} s", ms / 1000.0)
    } else {
        format!("+{}", duration_text((ms / 1000.0).round() as i64))
    }
}

/// `wrapup-20260302-101530.csv` for `ext` "csv" at local time `now_ms`.
pub fn file_name(stem: &str, ext: &str, now_ms: f64) -> String {
    let d = js_sys::Date::new(&JsValue::from_f64(now_ms));
    stamped_name(
        stem,
        ext,
        [
            d.get_full_year(),
            d.get_month() + 1,
            d.get_date(),
            d.get_hours(),
            d.get_minutes(),
            d.get_seconds(),
        ],
    )
}

/// `stem-YYYYMMDD-HHMMSS.ext` from year, month, day, hour, minute, second.
pub fn stamped_name(stem: &str, ext: &str, [y, mo, d, h, mi, s]: [u32; 6]) -> String {
    format!("{stem}-{y:04}{mo:02}{d:02}-{h:02}{mi:02}{s:02}.{ext}")
}

/// A person-friendly media name.
pub fn media_label(media: Option<&str>) -> String {
    match media.map(str::to_ascii_lowercase).as_deref() {
        Some("voice" | "call" | "calls") => t("media-voice"),
        Some("callback" | "callbacks") => t("media-callback"),
        Some("chat" | "chats") => t("media-chat"),
        Some("email" | "emails") => t("media-email"),
        Some("message" | "messages") => t("media-message"),
        Some("video" | "videos") => t("media-video"),
        Some("cobrowse" | "cobrowsesessions") => t("media-cobrowse"),
        Some("screenshare" | "screenshares") => t("media-screenshare"),
        Some(_) => t("media-other"),
        None => "—".to_owned(),
    }
}

/// An outcome as a person reads it (badges, filters).
pub fn outcome_words(outcome: Outcome) -> String {
    match outcome {
        Outcome::Submitted => t("outcome-submitted"),
        Outcome::TimedOut => t("outcome-timed-out"),
        Outcome::Skipped => t("outcome-skipped"),
        Outcome::NotRequired => t("outcome-not-required"),
        Outcome::Pending => t("outcome-pending"),
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
    fn delays_and_file_names() {
        assert_eq!(delay_text(840.0), "+0.8 s");
        assert_eq!(delay_text(-5.0), "+0.0 s");
        assert_eq!(delay_text(185_000.0), "+3 m 05 s");
        assert_eq!(
            stamped_name("wrapup", "csv", [2026, 3, 2, 9, 5, 7]),
            "wrapup-20260302-090507.csv"
        );
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
