//! Renders a conversation as an analytics record (reference §6.2) *as the pipeline knew it* at an
//! earlier instant: that is how indexing lag, late wrapup segments and open segments come about.

use serde_json::{Map, Value, json};

use crate::clock::{Ts, iso, now};
use crate::store::Sim;
use crate::store::conversation::{Conversation, Media, Participant, Purpose};

/// The instants a record is rendered at: everything, and wrap-up data (which lags further).
#[derive(Debug, Clone, Copy)]
pub struct AsOf {
    /// Non-wrapup data up to here.
    pub data: Ts,
    /// Wrapup segments, `tAcw`, `tHandle`, `acwSkipped` up to here.
    pub wrapup: Ts,
}

/// When the details endpoints see `c` (None = not indexed yet → 404 / absent).
pub fn details_view(sim: &Sim, c: &Conversation) -> Option<AsOf> {
    let lag = sim.clock.real(sim.cfg.analytics_lag).mul_f64(c.lag_factor);
    let extra = sim
        .clock
        .real(sim.cfg.wrapup_segment_lag)
        .mul_f64(c.lag_factor);
    let data = now() - crate::clock::td(lag);
    (c.start <= data).then(|| AsOf {
        data,
        wrapup: data - crate::clock::td(extra),
    })
}

fn session_json(c: &Conversation, p: &Participant, at: AsOf) -> Option<Value> {
    let mut segments: Vec<Value> = Vec::new();
    for s in &p.segments {
        let cut = if s.kind == "wrapup" {
            at.wrapup
        } else {
            at.data
        };
        if s.start > cut {
            continue;
        }
        let mut v = Map::new();
        v.insert("segmentStart".into(), json!(iso(s.start)));
        if let Some(end) = s.end.filter(|e| *e <= cut) {
            v.insert("segmentEnd".into(), json!(iso(end)));
            if let Some(d) = s.disconnect {
                v.insert("disconnectType".into(), json!(d.camel()));
            }
            if let Some(code) = &s.wrap_up_code {
                v.insert("wrapUpCode".into(), json!(code));
            }
            if let Some(note) = &s.wrap_up_note {
                v.insert("wrapUpNote".into(), json!(note));
            }
        }
        v.insert("segmentType".into(), json!(s.kind));
        if let Some(q) = s.queue_id {
            v.insert("queueId".into(), json!(q));
        }
        v.insert("conference".into(), json!(false));
        segments.push(Value::Object(v));
    }
    if segments.is_empty() {
        return None;
    }
    segments.sort_by(|a, b| a["segmentStart"].as_str().cmp(&b["segmentStart"].as_str()));
    let metrics: Vec<Value> = p
        .metrics
        .iter()
        .filter(|m| {
            m.emit
                <= if matches!(m.name, "tAcw" | "tHandle") {
                    at.wrapup
                } else {
                    at.data
                }
        })
        .map(|m| json!({ "name": m.name, "value": m.value, "emitDate": iso(m.emit) }))
        .collect();
    let customer = c
        .participants
        .iter()
        .find(|x| x.purpose == Purpose::Customer)
        .map_or("", |x| x.address.as_str());
    let mut s = Map::new();
    s.insert("sessionId".into(), json!(p.comm.id));
    s.insert("mediaType".into(), json!(c.media.as_str()));
    s.insert("direction".into(), json!("inbound"));
    match c.media {
        Media::Voice | Media::Callback => {
            s.insert("ani".into(), json!(customer));
            s.insert("dnis".into(), json!(c.address));
            s.insert("provider".into(), json!("Edge"));
        }
        Media::Email => {
            s.insert("addressFrom".into(), json!(customer));
            s.insert("addressTo".into(), json!(c.address));
        }
        Media::Chat | Media::Message => {
            s.insert("remote".into(), json!(customer));
        }
    }
    if c.media == Media::Message {
        s.insert("messageType".into(), json!("webmessaging"));
    }
    if let Some(cb) = &c.callback {
        s.insert("callbackNumbers".into(), json!(cb.numbers));
        if let Some(n) = &cb.user_name {
            s.insert("callbackUserName".into(), json!(n));
        }
        if let Some(t) = cb.scheduled {
            s.insert("callbackScheduledTime".into(), json!(iso(t)));
        }
    }
    match p.purpose {
        Purpose::Acd => {
            s.insert("requestedRoutings".into(), json!(["Standard"]));
        }
        Purpose::Agent => {
            s.insert("usedRouting".into(), json!("Standard"));
            if p.acw.skipped && p.acw.end.is_some_and(|e| e <= at.wrapup) {
                s.insert("acwSkipped".into(), json!(true));
            }
        }
        _ => {}
    }
    if !metrics.is_empty() {
        s.insert("metrics".into(), Value::Array(metrics));
    }
    s.insert("segments".into(), Value::Array(segments));
    Some(Value::Object(s))
}

/// The record at `at`; `with_attributes` adds participant `attributes` (async-job model only).
pub fn render(c: &Conversation, at: AsOf, with_attributes: bool) -> Value {
    let participants: Vec<Value> = c
        .participants
        .iter()
        .filter(|p| p.start <= at.data)
        .filter_map(|p| {
            let session = session_json(c, p, at)?;
            let mut v = Map::new();
            v.insert("participantId".into(), json!(p.id));
            v.insert("participantName".into(), json!(p.name));
            v.insert("purpose".into(), json!(p.purpose.as_str()));
            if let Some(u) = p.user_id {
                v.insert("userId".into(), json!(u));
            }
            if with_attributes && !p.attributes.is_empty() {
                v.insert("attributes".into(), json!(p.attributes));
            }
            v.insert("sessions".into(), json!([session]));
            Some(Value::Object(v))
        })
        .collect();
    let mut v = Map::new();
    v.insert("conversationId".into(), json!(c.id));
    v.insert("conversationStart".into(), json!(iso(c.start)));
    if let Some(end) = c.end.filter(|e| *e <= at.data) {
        v.insert("conversationEnd".into(), json!(iso(end)));
        if c.media == Media::Voice {
            v.insert("mediaStatsMinConversationMos".into(), json!(4.87));
        }
    }
    v.insert("originatingDirection".into(), json!("inbound"));
    v.insert("divisionIds".into(), json!([c.division_id]));
    v.insert("participants".into(), Value::Array(participants));
    Value::Object(v)
}
