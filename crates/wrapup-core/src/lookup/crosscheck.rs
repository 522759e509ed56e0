//! The analytics record side by side with the real-time source: `GET /api/v2/conversations/{id}` (each
//! participant's `wrapup` and `attributes`, which sync analytics does not carry, reference §6.2 and §7) and
//! the live feed's own outcome for the leg. Each agent leg gets one finding; disagreements say why they arise.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::diagnosis::{Explanation, Verdict};
use crate::model::is_agent_purpose;
use crate::tracker::WrapUpOutcome;

/// `GET /api/v2/conversations/{id}` (`Conversation`, reference §7): the fields the comparison reads. Every
/// field is optional and unknown fields are ignored (parse leniently).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RealtimeConversation {
    /// Conversation id.
    #[serde(default)]
    pub id: Option<String>,
    /// When it started.
    #[serde(default)]
    pub start_time: Option<String>,
    /// When it ended (null while active).
    #[serde(default)]
    pub end_time: Option<String>,
    /// Every participant.
    #[serde(default, deserialize_with = "null_as_default")]
    pub participants: Vec<RealtimeParticipant>,
}

/// A real-time participant.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RealtimeParticipant {
    /// Participant id (the analytics `participantId`).
    #[serde(default)]
    pub id: Option<String>,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// `customer`, `acd`, `agent`, …
    #[serde(default)]
    pub purpose: Option<String>,
    /// The agent's user id.
    #[serde(default)]
    pub user_id: Option<String>,
    /// When the participant left.
    #[serde(default)]
    pub end_time: Option<String>,
    /// The caller's address (`tel:+…`), on voice and callback participants.
    #[serde(default)]
    pub ani: Option<String>,
    /// The external contact the customer was matched to, when the platform knows one.
    #[serde(default)]
    pub external_contact_id: Option<String>,
    /// Whether a wrap-up is required of this leg.
    #[serde(default)]
    pub wrapup_required: Option<bool>,
    /// Whether the agent skipped wrap-up.
    #[serde(default)]
    pub wrapup_skipped: Option<bool>,
    /// The participant's wrap-up.
    #[serde(default)]
    pub wrapup: Option<RealtimeWrapup>,
    /// Participant data. The reference gives string → string; any other value is kept as its JSON text.
    #[serde(default, deserialize_with = "attributes_as_text")]
    pub attributes: BTreeMap<String, String>,
    #[serde(default, deserialize_with = "null_as_default")]
    calls: Vec<Communication>,
    #[serde(default, deserialize_with = "null_as_default")]
    callbacks: Vec<Communication>,
    #[serde(default, deserialize_with = "null_as_default")]
    chats: Vec<Communication>,
    #[serde(default, deserialize_with = "null_as_default")]
    emails: Vec<Communication>,
    #[serde(default, deserialize_with = "null_as_default")]
    messages: Vec<Communication>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
struct Communication {
    #[serde(default)]
    wrapup: Option<RealtimeWrapup>,
}

/// `Wrapup` (reference §5): the code is an id or a system code.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RealtimeWrapup {
    /// Code id or `ININ-*`.
    #[serde(default)]
    pub code: Option<String>,
    /// The code's name, when the platform sent it.
    #[serde(default)]
    pub name: Option<String>,
    /// Notes.
    #[serde(default)]
    pub notes: Option<String>,
    /// A pending save that does not require a code.
    #[serde(default)]
    pub provisional: Option<bool>,
}

impl RealtimeParticipant {
    /// Whether this is an agent leg.
    pub fn is_agent(&self) -> bool {
        self.purpose.as_deref().is_some_and(is_agent_purpose)
    }

    /// The wrap-up: the participant's own, else the first communication's (reference §10.4: it may be in either).
    pub fn wrapup(&self) -> Option<&RealtimeWrapup> {
        self.wrapup.as_ref().or_else(|| {
            [
                &self.calls,
                &self.callbacks,
                &self.chats,
                &self.emails,
                &self.messages,
            ]
            .into_iter()
            .flatten()
            .find_map(|c| c.wrapup.as_ref())
        })
    }

    /// The media of the participant's first communication, analytics spelling (`voice`, `callback`, …).
    pub fn media_type(&self) -> Option<&'static str> {
        [
            ("voice", &self.calls),
            ("callback", &self.callbacks),
            ("chat", &self.chats),
            ("email", &self.emails),
            ("message", &self.messages),
        ]
        .into_iter()
        .find_map(|(media, list)| (!list.is_empty()).then_some(media))
    }

    /// The non-blank, non-provisional code.
    pub fn code(&self) -> Option<&str> {
        self.wrapup()
            .filter(|w| w.provisional != Some(true))
            .and_then(|w| w.code.as_deref())
            .map(str::trim)
            .filter(|c| !c.is_empty())
    }
}

fn null_as_default<'de, D: Deserializer<'de>, T: Default + Deserialize<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

fn attributes_as_text<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, String>, D::Error> {
    let raw: Option<BTreeMap<String, Value>> = Option::deserialize(deserializer)?;
    Ok(raw
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| match v {
            Value::String(s) => (k, s),
            other => (k, other.to_string()),
        })
        .collect())
}

/// What the sources say about one agent leg.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegComparison {
    /// Participant id.
    pub participant_id: String,
    /// The agent's user id (from whichever source has it).
    pub user_id: Option<String>,
    /// The analytics verdict; `None` when the leg is not in the record (yet).
    pub verdict: Option<Verdict>,
    /// The analytics code.
    pub analytics_code: Option<String>,
    /// The real-time code; `None` when null or when the real-time source did not answer.
    pub realtime_code: Option<String>,
    /// The live feed's code and outcome (`submitted`, `timed_out`, …), when the feed saw the leg.
    pub feed: Option<(Option<String>, &'static str)>,
    /// The finding.
    pub finding: Finding,
}

/// Whether the sources agree, and if not, why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// Every source that answered says the same.
    Agree,
    /// A live source has a code, analytics has none yet while the record or its wrap-up is not final.
    IndexingLag {
        /// `real-time` or `the live feed`.
        source: &'static str,
        /// The live code.
        code: String,
    },
    /// A live source has a code, the final analytics record has none.
    MissingInAnalytics {
        /// `real-time` or `the live feed`.
        source: &'static str,
        /// The live code.
        code: String,
        /// The final verdict.
        verdict: Verdict,
    },
    /// Both have codes and they differ (a code changed after the fact, or a different leg).
    DifferentCodes {
        /// `real-time` or `the live feed`.
        source: &'static str,
        /// The live code.
        live: String,
        /// The analytics code.
        analytics: String,
    },
    /// Analytics has a code no live source shows (the real-time conversation was purged or not asked).
    OnlyInAnalytics {
        /// The analytics code.
        code: String,
    },
    /// The leg is live but not in the analytics record yet.
    NotInAnalytics,
}

impl Finding {
    /// A short machine name (`agree`, `indexing_lag`, …) for styling and tests.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Agree => "agree",
            Self::IndexingLag { .. } => "indexing_lag",
            Self::MissingInAnalytics { .. } => "missing_in_analytics",
            Self::DifferentCodes { .. } => "different_codes",
            Self::OnlyInAnalytics { .. } => "only_in_analytics",
            Self::NotInAnalytics => "not_in_analytics",
        }
    }

    /// The sentence shown, with each code written by `name` (a code's name where known, else the id).
    pub fn message(&self, name: impl Fn(&str) -> String) -> String {
        match self {
            Self::Agree => "The sources agree.".to_owned(),
            Self::IndexingLag { source, code } => format!(
                "{} has code {}, analytics still null: indexing lag. The panel keeps looking until analytics catches up.",
                capitalised(source),
                name(code)
            ),
            Self::MissingInAnalytics {
                source,
                code,
                verdict,
            } => format!(
                "{} has code {}, but the analytics record is final without one ({verdict}). Check that the code was saved on this leg, not another.",
                capitalised(source),
                name(code)
            ),
            Self::DifferentCodes {
                source,
                live,
                analytics,
            } => format!(
                "{} has code {}, analytics has {}: the code was changed after the wrap-up, or the sources describe different legs.",
                capitalised(source),
                name(live),
                name(analytics)
            ),
            Self::OnlyInAnalytics { code } => format!(
                "Analytics has code {}; the real-time source shows none (real-time conversations are kept for a limited time).",
                name(code)
            ),
            Self::NotInAnalytics => {
                "This leg is live but not in the analytics record yet: indexing lag.".to_owned()
            }
        }
    }
}

fn capitalised(source: &str) -> String {
    let mut chars = source.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Compares each agent leg across the analytics explanation (if fetched), the real-time conversation (if it
/// answered) and the feed's outcomes for this conversation. Legs come in analytics order, then live-only legs.
pub fn compare(
    explanation: Option<&Explanation>,
    realtime: Option<&RealtimeConversation>,
    feed: &[WrapUpOutcome],
) -> Vec<LegComparison> {
    let mut ids: Vec<String> = Vec::new();
    let mut add = |id: Option<&str>| {
        if let Some(id) = id
            && !ids.iter().any(|known| known == id)
        {
            ids.push(id.to_owned());
        }
    };
    for verdict in explanation.iter().flat_map(|e| &e.verdicts) {
        add(verdict.participant_id.as_deref());
    }
    for participant in realtime.iter().flat_map(|r| &r.participants) {
        if participant.is_agent() {
            add(participant.id.as_deref());
        }
    }
    for outcome in feed {
        add(Some(&outcome.participant_id));
    }
    ids.into_iter()
        .map(|id| {
            let leg = explanation
                .iter()
                .flat_map(|e| &e.verdicts)
                .find(|v| v.participant_id.as_deref() == Some(id.as_str()));
            let live = realtime
                .iter()
                .flat_map(|r| &r.participants)
                .find(|p| p.id.as_deref() == Some(id.as_str()));
            let fed = feed.iter().find(|o| o.participant_id == id);
            let realtime_code = live.and_then(|p| p.code()).map(str::to_owned);
            let feed_code = fed.and_then(|o| o.code.clone());
            let live_code = realtime_code
                .clone()
                .map(|c| ("real-time", c))
                .or_else(|| feed_code.clone().map(|c| ("the live feed", c)));
            let finding = match (leg, live_code) {
                (None, _) => Finding::NotInAnalytics,
                (Some(leg), Some((source, live))) => match &leg.code {
                    Some(code) if *code == live => Finding::Agree,
                    Some(code) => Finding::DifferentCodes {
                        source,
                        live,
                        analytics: code.clone(),
                    },
                    None if leg.verdict == Verdict::InProgress => {
                        Finding::IndexingLag { source, code: live }
                    }
                    None => Finding::MissingInAnalytics {
                        source,
                        code: live,
                        verdict: leg.verdict,
                    },
                },
                (Some(leg), None) => match (&leg.code, realtime.is_some() || fed.is_some()) {
                    (Some(code), true) => Finding::OnlyInAnalytics { code: code.clone() },
                    _ => Finding::Agree,
                },
            };
            LegComparison {
                user_id: leg
                    .and_then(|l| l.user_id.clone())
                    .or_else(|| live.and_then(|p| p.user_id.clone()))
                    .or_else(|| fed.and_then(|o| o.user_id.clone())),
                verdict: leg.map(|l| l.verdict),
                analytics_code: leg.and_then(|l| l.code.clone()),
                realtime_code,
                feed: fed.map(|o| (feed_code, o.outcome.as_str())),
                participant_id: id,
                finding,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::explain_json;
    use crate::tracker::Outcome;

    const CODE: &str = "7f3c2a10-0d5e-4b8e-9a61-3c1f7d2b9e40";

    fn fixture(name: &str) -> Explanation {
        let path = format!(
            "{}/tests/fixtures/explain/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        explain_json(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    fn realtime(code: Option<&str>) -> RealtimeConversation {
        serde_json::from_value(serde_json::json!({
            "id": "c", "endTime": "2024-05-01T10:05:00Z",
            "participants": [
                { "id": "p-customer", "purpose": "customer", "attributes": { "account": "<b>42</b>", "vip": true } },
                { "id": "p-agent", "purpose": "agent", "userId": "u-1",
                  "calls": [{ "wrapup": code.map(|c| serde_json::json!({ "code": c, "notes": "n" })) }] },
            ]
        }))
        .unwrap()
    }

    fn named(code: &str) -> String {
        if code == CODE {
            "Billing".into()
        } else {
            code.into()
        }
    }

    #[test]
    fn a_live_code_with_analytics_still_null_is_indexing_lag() {
        let pending = fixture("in_progress");
        let legs = compare(Some(&pending), Some(&realtime(Some(CODE))), &[]);
        assert_eq!(legs.len(), 1);
        assert_eq!(legs[0].participant_id, "p-agent");
        assert_eq!(legs[0].realtime_code.as_deref(), Some(CODE));
        assert_eq!(
            legs[0].finding.message(named),
            "Real-time has code Billing, analytics still null: indexing lag. The panel keeps looking until analytics catches up."
        );
    }

    #[test]
    fn final_records_agree_or_disagree_with_the_live_sources() {
        let coded = fixture("coded");
        assert_eq!(
            compare(Some(&coded), Some(&realtime(Some(CODE))), &[])[0].finding,
            Finding::Agree
        );
        assert!(matches!(
            compare(Some(&coded), Some(&realtime(Some("other"))), &[])[0].finding,
            Finding::DifferentCodes { .. }
        ));
        assert_eq!(
            compare(Some(&coded), Some(&realtime(None)), &[])[0].finding,
            Finding::OnlyInAnalytics { code: CODE.into() }
        );
        let none = fixture("no_wrapup_phase");
        assert_eq!(
            compare(Some(&none), Some(&realtime(Some(CODE))), &[])[0].finding,
            Finding::MissingInAnalytics {
                source: "real-time",
                code: CODE.into(),
                verdict: Verdict::NoWrapupPhase
            }
        );
        // Without any live source there is nothing to disagree with.
        assert_eq!(compare(Some(&coded), None, &[])[0].finding, Finding::Agree);
    }

    #[test]
    fn the_feed_stands_in_when_real_time_is_silent_and_live_only_legs_are_listed() {
        let feed_row = WrapUpOutcome {
            conversation_id: "c".into(),
            participant_id: "p-agent".into(),
            user_id: Some("u-1".into()),
            queue_id: None,
            media_type: Some("voice".into()),
            outcome: Outcome::Submitted,
            code: Some(CODE.into()),
            notes: None,
            duration_seconds: Some(3),
            end_time: None,
        };
        let pending = fixture("in_progress");
        let legs = compare(Some(&pending), None, std::slice::from_ref(&feed_row));
        assert_eq!(
            legs[0].finding,
            Finding::IndexingLag {
                source: "the live feed",
                code: CODE.into()
            }
        );
        assert_eq!(legs[0].feed, Some((Some(CODE.into()), "submitted")));
        let before_indexing = compare(None, Some(&realtime(Some(CODE))), &[feed_row]);
        assert_eq!(before_indexing.len(), 1);
        assert_eq!(before_indexing[0].finding, Finding::NotInAnalytics);
        assert_eq!(before_indexing[0].user_id.as_deref(), Some("u-1"));
    }

    #[test]
    fn attributes_are_kept_as_text_whatever_their_json_type() {
        let live = realtime(None);
        let customer = &live.participants[0];
        assert_eq!(customer.attributes["account"], "<b>42</b>");
        assert_eq!(customer.attributes["vip"], "true");
        let sparse: RealtimeConversation =
            serde_json::from_str(r#"{"participants":[{"attributes":null,"calls":null}]}"#).unwrap();
        assert!(sparse.participants[0].attributes.is_empty());
    }
}
