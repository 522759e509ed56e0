//! Directory names the engine looked up for ids seen in outcomes, and the ids it could not name
//! together with why, so the feed can show a name, a short id, or the reason there is none.

use wrapup_core::directory::NamedEntity;

/// Which directory an id belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NameKind {
    /// A wrap-up code (`/routing/wrapupcodes`).
    Code,
    /// A user (`/users`).
    User,
    /// A queue (`/routing/queues`).
    Queue,
}

impl NameKind {
    /// Every kind, in the order look-ups are made.
    pub const ALL: [Self; 3] = [Self::Code, Self::User, Self::Queue];

    /// What the person calls it.
    pub fn noun(self) -> &'static str {
        match self {
            Self::Code => "wrap-up code",
            Self::User => "agent",
            Self::Queue => "queue",
        }
    }
}

/// An id the platform answered for but cannot name; asking again would not help.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unresolvable {
    /// The directory asked.
    pub kind: NameKind,
    /// The id.
    pub id: String,
    /// Why there is no name, worded for the person (shown as the id's tooltip).
    pub reason: String,
}

/// Directory names learnt for ids seen in outcomes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Names {
    /// Wrap-up code id → name.
    pub codes: Vec<NamedEntity>,
    /// User id → name.
    pub users: Vec<NamedEntity>,
    /// Queue id → name.
    pub queues: Vec<NamedEntity>,
    /// Ids the platform will not name, with the reason.
    pub unresolvable: Vec<Unresolvable>,
}

impl Names {
    /// The named entities of one kind.
    pub fn of_kind(&self, kind: NameKind) -> &[NamedEntity] {
        match kind {
            NameKind::Code => &self.codes,
            NameKind::User => &self.users,
            NameKind::Queue => &self.queues,
        }
    }

    /// The named entities of one kind, to add to.
    pub fn of_kind_mut(&mut self, kind: NameKind) -> &mut Vec<NamedEntity> {
        match kind {
            NameKind::Code => &mut self.codes,
            NameKind::User => &mut self.users,
            NameKind::Queue => &mut self.queues,
        }
    }

    /// Whether nothing was learnt.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
            && self.users.is_empty()
            && self.queues.is_empty()
            && self.unresolvable.is_empty()
    }
}
