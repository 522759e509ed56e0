//! The message files against the code: every file parses, every id the sources look up exists in
//! English with the variables the call passes, English has no message nobody uses, and every other
//! language only translates English messages, with the same variables.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

use super::{Catalog, ENGLISH, LANGUAGES};

/// Message id → the variables it uses.
type Messages = BTreeMap<String, BTreeSet<String>>;

fn messages(tag: &str, source: &str) -> Messages {
    let resource = fluent_syntax::parser::parse(source)
        .unwrap_or_else(|(_, errors)| panic!("locales/{tag}: syntax errors {errors:#?}"));
    let mut out = Messages::new();
    for entry in resource.body {
        match entry {
            Entry::Message(message) => {
                let mut vars = BTreeSet::new();
                if let Some(value) = &message.value {
                    pattern_vars(value, &mut vars);
                }
                for attribute in &message.attributes {
                    pattern_vars(&attribute.value, &mut vars);
                }
                let id = message.id.name.to_owned();
                assert!(
                    out.insert(id.clone(), vars).is_none(),
                    "locales/{tag}: {id} twice"
                );
            }
            Entry::Junk { content } => panic!("locales/{tag}: cannot parse {content:?}"),
            _ => {}
        }
    }
    out
}

fn pattern_vars(pattern: &Pattern<&str>, vars: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_vars(expression, vars);
        }
    }
}

fn expression_vars(expression: &Expression<&str>, vars: &mut BTreeSet<String>) {
    match expression {
        Expression::Select { selector, variants } => {
            inline_vars(selector, vars);
            for variant in variants {
                pattern_vars(&variant.value, vars);
            }
        }
        Expression::Inline(inline) => inline_vars(inline, vars),
    }
}

fn inline_vars(inline: &InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_owned());
        }
        InlineExpression::Placeable { expression } => expression_vars(expression, vars),
        InlineExpression::FunctionReference { arguments, .. }
        | InlineExpression::TermReference {
            arguments: Some(arguments),
            ..
        } => {
            for arg in &arguments.positional {
                inline_vars(arg, vars);
            }
            for arg in &arguments.named {
                inline_vars(&arg.value, vars);
            }
        }
        _ => {}
    }
}

/// Every `t("id")` and `t_args("id", &[("name", …), …])` in the widget's sources: id → variables
/// passed, with the file it was found in.
fn lookups() -> Vec<(String, String, BTreeSet<String>)> {
    let mut found = Vec::new();
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let name = file.display().to_string();
        for (call, with_args) in [("t(", false), ("t_args(", true)] {
            for (at, _) in text.match_indices(call) {
                let before = text[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                // rustfmt may put the id on the next line; a call with a non-literal id is not a lookup.
                let Some(rest) = text[at + call.len()..].trim_start().strip_prefix('"') else {
                    // Only i18n.rs itself passes ids on; elsewhere an id must be a literal to be checked.
                    assert!(
                        file.ends_with("src/i18n.rs"),
                        "{name}: a {call}…) with a computed id cannot be checked; write the id out"
                    );
                    continue;
                };
                let id = &rest[..rest.find('"').unwrap()];
                let mut vars = BTreeSet::new();
                if with_args {
                    vars = argument_names(argument_list(rest));
                }
                found.push((id.to_owned(), name.clone(), vars));
            }
        }
    }
    found
}

/// The `&[…]` after a `t_args` id, up to its matching `]`.
fn argument_list(rest: &str) -> &str {
    let start = rest.find('[').expect("t_args takes a slice of arguments");
    let mut depth = 0;
    for (i, c) in rest[start..].char_indices() {
        match c {
            '[' => depth += 1,
            ']' if depth == 1 => return &rest[start..start + i],
            ']' => depth -= 1,
            _ => {}
        }
    }
    panic!("unclosed t_args argument list")
}

/// The names in `[("name", value), …]`: the first string of each top-level tuple.
fn argument_names(list: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut depth = 0;
    for (i, c) in list.char_indices() {
        match c {
            '(' if depth == 0 => {
                depth += 1;
                let name = list[i + 1..].trim_start().strip_prefix('"').unwrap();
                names.insert(name[..name.find('"').unwrap()].to_owned());
            }
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
    }
    names
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs")
            && !path.ends_with("i18n/catalog_tests.rs")
        {
            out.push(path);
        }
    }
}

fn english() -> Messages {
    messages(ENGLISH, LANGUAGES[0].1)
}

#[test]
fn every_id_the_code_uses_is_in_english_with_its_variables() {
    let english = english();
    let lookups = lookups();
    assert!(
        lookups.len() > 50,
        "the scan should find the widget's lookups"
    );
    for (id, file, passed) in &lookups {
        let Some(vars) = english.get(id) else {
            panic!("{file}: message {id:?} is not in locales/{ENGLISH}");
        };
        assert_eq!(
            passed, vars,
            "{file}: {id} is given {passed:?} but uses {vars:?}"
        );
    }
    let used: BTreeSet<&str> = lookups.iter().map(|(id, ..)| id.as_str()).collect();
    let unused: Vec<&String> = english
        .keys()
        .filter(|id| !used.contains(id.as_str()))
        .collect();
    assert!(
        unused.is_empty(),
        "locales/{ENGLISH} has messages nothing looks up: {unused:?}"
    );
}

#[test]
fn translations_only_translate_english_messages_with_the_same_variables() {
    let english = english();
    for (tag, source) in &LANGUAGES[1..] {
        let translated = messages(tag, source);
        assert!(!translated.is_empty(), "locales/{tag} is empty");
        for (id, vars) in &translated {
            let Some(english_vars) = english.get(id) else {
                panic!("locales/{tag}: {id} is not an English message (renamed or removed?)");
            };
            assert_eq!(
                vars, english_vars,
                "locales/{tag}: {id} uses other variables than English"
            );
        }
    }
}

#[test]
fn the_bundles_load_whole() {
    for (tag, source) in LANGUAGES {
        let resource = fluent_bundle::FluentResource::try_new(source.to_string());
        assert!(resource.is_ok(), "locales/{tag} does not parse");
    }
}

#[test]
fn german_translates_and_falls_back_to_english_per_message() {
    let german = Catalog::new("de");
    let english = Catalog::new(ENGLISH);
    let de = messages("de", LANGUAGES[1].1);
    let only_english = english_only_id(&de);
    assert_ne!(
        german.message("sign-out", None),
        english.message("sign-out", None)
    );
    if let Some(id) = only_english {
        assert_eq!(german.message(&id, None), english.message(&id, None));
    }
    assert_eq!(german.message("no-such-message", None), "no-such-message");
}

/// An English message German has not translated, if any (placeholders make it hard to compare).
fn english_only_id(de: &Messages) -> Option<String> {
    english()
        .into_iter()
        .find(|(id, vars)| vars.is_empty() && !de.contains_key(id))
        .map(|(id, _)| id)
}

#[test]
fn plurals_choose_their_form() {
    let english = Catalog::new(ENGLISH);
    let count = |n: u32| {
        let args: fluent_bundle::FluentArgs<'_> =
            [("count", super::Arg::from(n))].into_iter().collect();
        english.message("top-bar-watching", Some(&args))
    };
    assert_eq!(count(0), "Watching your conversations");
    assert_eq!(count(1), "Watching your conversations and 1 queue");
    assert_eq!(count(12), "Watching your conversations and 12 queues");
}

#[test]
fn german_plurals_and_variables() {
    let german = Catalog::new("de");
    let announce = |n: u32| {
        let args: fluent_bundle::FluentArgs<'_> =
            [("count", super::Arg::from(n))].into_iter().collect();
        german.message("feed-announce-new", Some(&args))
    };
    assert_eq!(announce(1), "1 neues Wrap-up");
    assert_eq!(announce(4), "4 neue Wrap-ups");
    let args: fluent_bundle::FluentArgs<'_> = [("platform", "gc-sim")].into_iter().collect();
    // No Unicode isolation marks around variables: the text is exactly what the .ftl says.
    assert_eq!(
        german.message("sign-in-button", Some(&args)),
        "Bei gc-sim anmelden"
    );
}

/// The widget's chrome: what every person sees before opening any analytics.
const CHROME: &[&str] = &[
    "top-bar-",
    "sign-",
    "pill-",
    "feed-",
    "toolbar-",
    "filter-",
    "outcome-",
    "counts-",
    "code-",
    "col-",
    "row-",
    "media-",
    "frames-",
    "export-",
    "tab",
    "analytics-",
    "watch",
    "countdown",
];

#[test]
fn every_translation_covers_the_chrome() {
    let english = english();
    for (tag, source) in &LANGUAGES[1..] {
        let translated = messages(tag, source);
        let missing: Vec<&String> = english
            .keys()
            .filter(|id| CHROME.iter().any(|p| id.starts_with(p)) && !translated.contains_key(*id))
            .collect();
        assert!(
            missing.is_empty(),
            "locales/{tag} lacks chrome messages {missing:?}"
        );
    }
}
