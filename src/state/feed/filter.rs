//! What the person narrowed the feed to: agent, queue, code, outcome and free text.

use wrapup_core::tracker::Outcome;

use super::directory::Directory;
use super::row::FeedRow;

/// The feed's filters; the default shows everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FeedFilter {
    /// Only this agent's user id.
    pub agent: Option<String>,
    /// Only this queue id.
    pub queue: Option<String>,
    /// Only this code id (`""`: rows without a code).
    pub code: Option<String>,
    /// Only this outcome.
    pub outcome: Option<Outcome>,
    /// Case-insensitive text in names, code, notes or conversation id.
    pub text: String,
}

impl FeedFilter {
    /// Whether every row passes.
    pub fn is_empty(&self) -> bool {
        self.agent.is_none()
            && self.queue.is_none()
            && self.code.is_none()
            && self.outcome.is_none()
            && self.text.trim().is_empty()
    }

    /// Whether the result depends on names (so it must be re-applied when names arrive).
    pub fn uses_names(&self) -> bool {
        !self.text.trim().is_empty()
    }

    /// Whether `row` passes every filter.
    pub fn matches(&self, row: &FeedRow, dir: &Directory) -> bool {
        let o = &row.outcome;
        let same = |want: &Option<String>, have: Option<&str>| {
            want.as_deref().is_none_or(|w| w == have.unwrap_or(""))
        };
        same(&self.agent, o.user_id.as_deref())
            && same(&self.queue, o.queue_id.as_deref())
            && same(&self.code, o.code.as_deref())
            && self.outcome.is_none_or(|w| w == o.outcome)
            && self.text_matches(row, dir)
    }

    fn text_matches(&self, row: &FeedRow, dir: &Directory) -> bool {
        let needle = self.text.trim().to_lowercase();
        if needle.is_empty() {
            return true;
        }
        let o = &row.outcome;
        let has = |hay: &str| hay.to_lowercase().contains(&needle);
        let user = o.user_id.as_deref().unwrap_or("");
        let queue = o.queue_id.as_deref().unwrap_or("");
        let code = o.code.as_deref().unwrap_or("");
        has(&o.conversation_id)
            || has(user)
            || dir.user_name(user).is_some_and(has)
            || has(queue)
            || dir.queue_name(queue).is_some_and(has)
            || has(code)
            || dir.code_text(code).is_some_and(|t| has(&t))
            || o.notes.as_deref().is_some_and(has)
    }
}
