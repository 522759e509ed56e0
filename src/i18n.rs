//! The widget's words, in the person's language. Messages live in Fluent files under `locales/`
//! (one folder per language, embedded at build time); [`select`] picks the language once at boot from
//! the host's `gcLangTag`/`pcLangTag`, and [`t`]/[`t_args`] look messages up. A message the chosen
//! language lacks falls back to English, message by message. Pure: no I/O (the page's `<html lang>` is
//! set by `main.rs`).
//!
//! Explanations made by wrapup-core (diagnosis evidence, CLI text) stay English: the CLI shares them.

use std::cell::OnceCell;

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource};
use unic_langid::LanguageIdentifier;

pub use fluent_bundle::FluentValue as Arg;

/// The fallback language: complete, and the one every other language is checked against.
pub const ENGLISH: &str = "en-US";

/// Every language the widget speaks: its tag and its messages. To add one, add its folder under
/// `locales/` and a line here.
pub const LANGUAGES: &[(&str, &str)] = &[
    (ENGLISH, include_str!("../locales/en-US/wrapup-live.ftl")),
    ("de", include_str!("../locales/de/wrapup-live.ftl")),
];

type Bundle = FluentBundle<FluentResource>;

/// The chosen language's messages, and English behind them.
struct Catalog {
    tag: &'static str,
    chosen: Option<Bundle>,
    english: Bundle,
}

thread_local! {
    // wasm is single-threaded; native tests each get their own (English unless they select).
    static CATALOG: OnceCell<Catalog> = const { OnceCell::new() };
}

/// The supported language for a host's language tag: `de-DE`, `de_de` or `de` → `de`; `en-GB` →
/// `en-US` (same language); an unsupported, malformed or missing tag → English. Case-insensitive.
pub fn language_for(tag: Option<&str>) -> &'static str {
    let Some(wanted) = tag.and_then(|t| {
        t.trim()
            .replace('_', "-")
            .parse::<LanguageIdentifier>()
            .ok()
    }) else {
        return ENGLISH;
    };
    let supported = || {
        LANGUAGES
            .iter()
            .map(|(tag, _)| *tag)
            .map(|t| (t, identifier(t)))
    };
    supported()
        .find(|(_, id)| *id == wanted)
        .or_else(|| supported().find(|(_, id)| id.language == wanted.language))
        .map_or(ENGLISH, |(tag, _)| tag)
}

/// Choose the language for this page from the host's tag (see [`language_for`]) and return its tag,
/// for `<html lang>`. The first call wins: the language is fixed for the page's life.
pub fn select(tag: Option<&str>) -> &'static str {
    CATALOG.with(|cell| cell.get_or_init(|| Catalog::new(language_for(tag))).tag)
}

/// The message `id` in the chosen language (English if it has none, the id itself if nobody has it).
pub fn t(id: &str) -> String {
    t_args(id, &[])
}

/// The message `id` with its variables, e.g. `t_args("toolbar-resume", &[("held", 3.into())])`; numbers
/// also choose plural forms.
pub fn t_args(id: &str, args: &[(&str, Arg<'_>)]) -> String {
    let args = (!args.is_empty()).then(|| {
        args.iter()
            .map(|(name, value)| (*name, value.clone()))
            .collect::<FluentArgs<'_>>()
    });
    CATALOG.with(|cell| {
        cell.get_or_init(|| Catalog::new(ENGLISH))
            .message(id, args.as_ref())
    })
}

impl Catalog {
    fn new(tag: &'static str) -> Self {
        Self {
            tag,
            chosen: (tag != ENGLISH).then(|| bundle(tag)),
            english: bundle(ENGLISH),
        }
    }

    fn message(&self, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        self.chosen
            .iter()
            .chain([&self.english])
            .find_map(|bundle| format(bundle, id, args))
            .unwrap_or_else(|| id.to_owned())
    }
}

fn identifier(tag: &str) -> LanguageIdentifier {
    tag.parse().expect("LANGUAGES holds valid tags")
}

/// A bundle of one language's messages. Errors in a file are caught by the catalog tests, so the
/// parts that did parse are used rather than nothing.
fn bundle(tag: &'static str) -> Bundle {
    let source = LANGUAGES
        .iter()
        .find(|(t, _)| *t == tag)
        .map_or("", |(_, source)| source);
    let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(parsed, _)| parsed);
    let mut bundle = FluentBundle::new(vec![identifier(tag)]);
    // Unicode isolation marks around each variable would end up in titles, labels and tests' text.
    bundle.set_use_isolating(false);
    let _ = bundle.add_resource(resource);
    bundle
}

fn format(bundle: &Bundle, id: &str, args: Option<&FluentArgs<'_>>) -> Option<String> {
    let pattern = bundle.get_message(id)?.value()?;
    let mut errors = Vec::new();
    Some(
        bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned(),
    )
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod catalog_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_choose_a_language_leniently() {
        assert_eq!(language_for(Some("de-de")), "de");
        assert_eq!(language_for(Some("DE_at")), "de");
        assert_eq!(language_for(Some("de")), "de");
        assert_eq!(language_for(Some("en-us")), ENGLISH);
        assert_eq!(language_for(Some("en-GB")), ENGLISH);
        assert_eq!(language_for(Some("pt-BR")), ENGLISH);
        assert_eq!(language_for(Some("not a tag!")), ENGLISH);
        assert_eq!(language_for(Some("")), ENGLISH);
        assert_eq!(language_for(None), ENGLISH);
    }
}
