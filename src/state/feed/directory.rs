//! Id → display name for codes, users and queues, why an id has none, and human labels for the
//! platform's `ININ-*` system codes.

use std::collections::HashMap;

use wrapup_core::model::WrapUpCodeKind;

use crate::types::names::{NameKind, Names};

/// Names learnt from the engine.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Directory {
    codes: HashMap<String, String>,
    users: HashMap<String, String>,
    queues: HashMap<String, String>,
    unresolvable: HashMap<(NameKind, String), String>,
}

/// What to show for a wrap-up code id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodeLabel {
    /// A code the organisation configured, by name.
    Named(String),
    /// A code Genesys Cloud applied itself, with a human label.
    System(String),
    /// The platform answered that it will not name this id; the reason says why.
    Unavailable(String),
    /// Not looked up yet.
    Unknown,
}

impl Directory {
    /// The wrap-up code's name, if known.
    pub fn code_name(&self, id: &str) -> Option<&str> {
        self.codes.get(id).map(String::as_str)
    }
    /// The user's name, if known.
    pub fn user_name(&self, id: &str) -> Option<&str> {
        self.users.get(id).map(String::as_str)
    }
    /// The queue's name, if known.
    pub fn queue_name(&self, id: &str) -> Option<&str> {
        self.queues.get(id).map(String::as_str)
    }

    /// Every named id of `kind`, sorted by name (for pickers).
    pub fn named(&self, kind: NameKind) -> Vec<(String, String)> {
        let map = match kind {
            NameKind::Code => &self.codes,
            NameKind::User => &self.users,
            NameKind::Queue => &self.queues,
        };
        let mut named: Vec<(String, String)> = map
            .iter()
            .map(|(id, name)| (id.clone(), name.clone()))
            .collect();
        named.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        named
    }

    /// A name of `kind` for `id`, if known.
    pub fn name(&self, kind: NameKind, id: &str) -> Option<&str> {
        match kind {
            NameKind::Code => self.code_name(id),
            NameKind::User => self.user_name(id),
            NameKind::Queue => self.queue_name(id),
        }
    }

    /// Why the platform gives no name for this id, once it has answered.
    pub fn why_unnamed(&self, kind: NameKind, id: &str) -> Option<&str> {
        self.unresolvable
            .get(&(kind, id.to_owned()))
            .map(String::as_str)
    }

    /// What a wrap-up code shows as.
    pub fn code_label(&self, code: &str) -> CodeLabel {
        if let Some(label) = system_code_label(code) {
            return CodeLabel::System(label);
        }
        match (self.code_name(code), self.why_unnamed(NameKind::Code, code)) {
            (Some(name), _) => CodeLabel::Named(name.to_owned()),
            (None, Some(reason)) => CodeLabel::Unavailable(reason.to_owned()),
            (None, None) => CodeLabel::Unknown,
        }
    }

    /// The text a code is searched and exported by: its name or label, else nothing.
    pub fn code_text(&self, code: &str) -> Option<String> {
        match self.code_label(code) {
            CodeLabel::Named(name) | CodeLabel::System(name) => Some(name),
            CodeLabel::Unavailable(_) | CodeLabel::Unknown => None,
        }
    }

    /// Add what a look-up learnt.
    pub fn learn(&mut self, names: &Names) {
        let pairs = |list: &[wrapup_core::directory::NamedEntity]| {
            list.iter()
                .filter_map(|e| e.name.clone().map(|n| (e.id.clone(), n)))
                .collect::<Vec<_>>()
        };
        self.codes.extend(pairs(&names.codes));
        self.users.extend(pairs(&names.users));
        self.queues.extend(pairs(&names.queues));
        self.unresolvable.extend(
            names
                .unresolvable
                .iter()
                .map(|u| ((u.kind, u.id.clone()), u.reason.clone())),
        );
    }
}

/// `ININ-WRAP-UP-TIMEOUT` → "Timed out (system)"; `ININ-OUTBOUND-PREVIEW-SKIPPED` →
/// "Outbound preview skipped (system)"; `None` for a configured code.
pub fn system_code_label(code: &str) -> Option<String> {
    match WrapUpCodeKind::of(code) {
        WrapUpCodeKind::Configured => None,
        WrapUpCodeKind::Timeout => Some("Timed out (system)".into()),
        WrapUpCodeKind::Skipped => Some("Skipped (system)".into()),
        WrapUpCodeKind::System => {
            let words = code.trim()[5..].replace(['-', '_'], " ").to_lowercase();
            let mut chars = words.chars();
            let first = chars.next()?.to_uppercase();
            Some(format!("{first}{} (system)", chars.as_str()))
        }
    }
}
