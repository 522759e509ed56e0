//! An analytics record laid out for a swimlane chart: one lane per participant (customer, IVR, ACD, each agent
//! leg), each segment as a bar in milliseconds from the conversation's first segment, wrap-up bars marked with
//! their code, and each lane's metrics (durations in ms). Overlaps and zero-length wrap-ups are kept as sent.

use crate::model::analytics::{Conversation, Participant, SegmentType};
use crate::model::parse_instant;

/// The whole chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeline {
    /// The instant at 0 ms (the earliest `segmentStart`), as the record wrote it.
    pub origin: Option<String>,
    /// From 0 to the latest segment end (or start, for open segments), ms; at least 1.
    pub span_ms: i64,
    /// Lanes in reading order: customer and external, IVR, ACD, agent legs, then anything else.
    pub lanes: Vec<Lane>,
}

/// One participant's lane.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lane {
    /// Participant id.
    pub participant_id: Option<String>,
    /// `customer`, `ivr`, `acd`, `agent`, … as sent.
    pub purpose: String,
    /// The participant's name (queue, flow or person), as sent.
    pub name: Option<String>,
    /// The agent's user id.
    pub user_id: Option<String>,
    /// Segments sorted by start.
    pub bars: Vec<Bar>,
    /// Every session metric, in record order: `(name, value)`; `t*` values are milliseconds.
    pub metrics: Vec<(String, i64)>,
}

impl Lane {
    /// Whether this lane is an agent leg.
    pub fn is_agent(&self) -> bool {
        crate::model::is_agent_purpose(&self.purpose)
    }
}

/// One segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bar {
    /// `segmentType` as sent (`interact`, `wrapup`, …), or `unknown`.
    pub kind: String,
    /// Start, ms after [`Timeline::origin`].
    pub start_ms: i64,
    /// End, ms after the origin; `None` while the segment is open.
    pub end_ms: Option<i64>,
    /// The wrap-up code on this segment.
    pub code: Option<String>,
    /// The wrap-up note on this segment.
    pub note: Option<String>,
    /// `disconnectType`.
    pub disconnect: Option<String>,
}

impl Bar {
    /// Whether this is an after-call-work (`wrapup`) segment.
    pub fn is_wrapup(&self) -> bool {
        self.kind == SegmentType::Wrapup.as_str()
    }
}

fn lane_rank(purpose: &str) -> u8 {
    match purpose.to_ascii_lowercase().as_str() {
        "customer" | "external" | "outbound" | "inbound" => 0,
        "ivr" | "botflow" | "workflow" => 1,
        "acd" => 2,
        "agent" | "user" => 3,
        _ => 4,
    }
}

/// Lays the record out. Segments without a readable `segmentStart` are left out (they cannot be placed).
pub fn timeline(record: &Conversation) -> Timeline {
    let starts = record
        .participants
        .iter()
        .flat_map(|p| &p.sessions)
        .flat_map(|s| &s.segments)
        .filter_map(|seg| parse_instant(seg.segment_start.as_deref()?));
    let Some(origin) = starts.min() else {
        return Timeline {
            origin: None,
            span_ms: 1,
            lanes: record.participants.iter().map(|p| lane(p, None)).collect(),
        };
    };
    let mut lanes: Vec<Lane> = record
        .participants
        .iter()
        .map(|p| lane(p, Some(origin)))
        .collect();
    lanes.sort_by_key(|l| lane_rank(&l.purpose));
    let span_ms = lanes
        .iter()
        .flat_map(|l| &l.bars)
        .map(|b| b.end_ms.unwrap_or(b.start_ms))
        .max()
        .unwrap_or(0)
        .max(1);
    let origin_text = record
        .participants
        .iter()
        .flat_map(|p| &p.sessions)
        .flat_map(|s| &s.segments)
        .filter_map(|seg| seg.segment_start.as_deref())
        .find(|s| parse_instant(s) == Some(origin))
        .map(str::to_owned);
    Timeline {
        origin: origin_text,
        span_ms,
        lanes,
    }
}

fn lane(participant: &Participant, origin: Option<time::OffsetDateTime>) -> Lane {
    let offset = |text: Option<&str>| -> Option<i64> {
        let at = parse_instant(text?)?;
        Some((at - origin?).whole_milliseconds() as i64)
    };
    let mut bars: Vec<Bar> = participant
        .sessions
        .iter()
        .flat_map(|s| &s.segments)
        .filter_map(|seg| {
            Some(Bar {
                kind: seg
                    .segment_type
                    .as_ref()
                    .map_or("unknown", |t| t.as_str())
                    .to_owned(),
                start_ms: offset(seg.segment_start.as_deref())?,
                end_ms: offset(seg.segment_end.as_deref()),
                code: seg.code().map(str::to_owned),
                note: seg.wrap_up_note.clone().filter(|n| !n.trim().is_empty()),
                disconnect: seg.disconnect_type.clone(),
            })
        })
        .collect();
    bars.sort_by_key(|b| b.start_ms);
    Lane {
        participant_id: participant.participant_id.clone(),
        purpose: participant
            .purpose
            .clone()
            .unwrap_or_else(|| "unknown".into()),
        name: participant.participant_name.clone(),
        user_id: participant.user_id.clone(),
        bars,
        metrics: participant
            .sessions
            .iter()
            .flat_map(|s| &s.metrics)
            .filter_map(|m| Some((m.name.clone()?, m.value?)))
            .collect(),
    }
}

/// A millisecond metric as a person reads it: `850 ms`, `4.2 s`, `1 min 05 s`, `2 h 03 min`.
pub fn readable_ms(ms: i64) -> String {
    let ms = ms.max(0);
    if ms < 1000 {
        return format!("{ms} ms");
    }
    if ms < 10_000 {
        return format!("{:.1} s", ms as f64 / 1000.0);
    }
    let seconds = (ms + 500) / 1000;
    match (seconds / 3600, (seconds % 3600) / 60, seconds % 60) {
        (0, 0, s) => format!("{s} s"),
        (0, m, s) => format!("{m} min {s:02} s"),
        (h, m, _) => format!("{h} h {m:02} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Conversation {
        let path = format!(
            "{}/tests/fixtures/explain/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn lanes_run_customer_ivr_acd_then_agents_on_one_axis() {
        let chart = timeline(&fixture("not_answered_then_coded"));
        let purposes: Vec<&str> = chart.lanes.iter().map(|l| l.purpose.as_str()).collect();
        assert_eq!(purposes.first(), Some(&"customer"));
        let agents: Vec<&str> = chart
            .lanes
            .iter()
            .filter(|l| l.is_agent())
            .filter_map(|l| l.participant_id.as_deref())
            .collect();
        assert_eq!(agents, ["p-agent-1", "p-agent-2"]);
        assert!(purposes.ends_with(&["agent", "agent"]), "{purposes:?}");
        // 0 ms is the earliest segment start, and every bar fits the span.
        assert_eq!(
            chart
                .lanes
                .iter()
                .flat_map(|l| &l.bars)
                .map(|b| b.start_ms)
                .min(),
            Some(0)
        );
        assert!(
            chart
                .lanes
                .iter()
                .flat_map(|l| &l.bars)
                .all(|b| b.end_ms.unwrap_or(b.start_ms) <= chart.span_ms)
        );
    }

    #[test]
    fn wrap_up_bars_carry_their_code_and_open_segments_stay_open() {
        let coded = timeline(&fixture("coded"));
        let agent = coded.lanes.iter().find(|l| l.is_agent()).unwrap();
        let wrapup = agent.bars.iter().find(|b| b.is_wrapup()).unwrap();
        assert_eq!(
            wrapup.code.as_deref(),
            Some("7f3c2a10-0d5e-4b8e-9a61-3c1f7d2b9e40")
        );
        assert!(agent.metrics.iter().any(|(name, _)| name == "tAcw"));
        let pending = timeline(&fixture("in_progress"));
        let agent = pending.lanes.iter().find(|l| l.is_agent()).unwrap();
        assert!(agent.bars.iter().any(|b| b.end_ms.is_none()));
    }

    #[test]
    fn milliseconds_read_as_durations() {
        assert_eq!(readable_ms(850), "850 ms");
        assert_eq!(readable_ms(4_240), "4.2 s");
        assert_eq!(readable_ms(57_000), "57 s");
        assert_eq!(readable_ms(451_651), "7 min 32 s");
        assert_eq!(readable_ms(7_380_000), "2 h 03 min");
        assert_eq!(readable_ms(-5), "0 ms");
    }
}
