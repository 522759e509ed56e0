//! Details-query semantics (reference §6.3/§6.4): interval parsing and matching (sync: started on a
//! touched day; jobs: activity in the interval) and the filter language evaluated on records.

use serde_json::Value;

use crate::clock::parse_iso;
use crate::routes::http::ApiError;
use crate::store::jobs::Interval;

/// Parses `2024-04-29T00:00:00.000Z/2024-04-30T00:00:00.000Z`; 400 when malformed or empty.
pub fn parse_interval(s: Option<&str>) -> Result<Interval, ApiError> {
    let s = s.ok_or_else(|| ApiError::bad_request("interval is required"))?;
    let bad = || {
        ApiError::bad_request(format!(
            "Invalid interval {s:?}: expected ISO-8601 start/end"
        ))
    };
    let (a, b) = s.split_once('/').ok_or_else(bad)?;
    let (start, end) = (parse_iso(a).ok_or_else(bad)?, parse_iso(b).ok_or_else(bad)?);
    if end <= start {
        return Err(ApiError::bad_request(format!(
            "Invalid interval {s:?}: end must be after start"
        )));
    }
    Ok(Interval { start, end })
}

/// Checks a filter list's shape (type and predicates) so bad bodies answer 400.
pub fn validate(filters: &[Value], field: &str) -> Result<(), ApiError> {
    for f in filters {
        check_filter(f, field, 0)?;
    }
    Ok(())
}

fn check_filter(f: &Value, field: &str, depth: u8) -> Result<(), ApiError> {
    match f.get("type").and_then(Value::as_str) {
        Some("and" | "or") => {}
        _ => {
            return Err(ApiError::bad_request(format!(
                "{field}: each filter needs type \"and\" or \"or\""
            )));
        }
    }
    for p in f
        .get("predicates")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if p.get("dimension")
            .or_else(|| p.get("metric"))
            .or_else(|| p.get("property"))
            .is_none()
        {
            return Err(ApiError::bad_request(format!(
                "{field}: a predicate needs a dimension, metric or property"
            )));
        }
        match p.get("operator").and_then(Value::as_str) {
            None | Some("matches" | "exists" | "notExists") => {}
            Some(o) => {
                return Err(ApiError::bad_request(format!(
                    "{field}: unknown operator {o:?}"
                )));
            }
        }
    }
    if depth > 2 {
        return Err(ApiError::bad_request(format!(
            "{field}: clauses nest at most two levels"
        )));
    }
    for c in f
        .get("clauses")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        check_filter(c, field, depth + 1)?;
    }
    Ok(())
}

fn as_cmp(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => parse_iso(s)
            .map(|t| (t.unix_timestamp_nanos() / 1_000_000) as f64)
            .or_else(|| s.parse().ok()),
        _ => None,
    }
}

fn in_range(actual: &Value, range: &Value) -> bool {
    let Some(a) = as_cmp(actual) else {
        return false;
    };
    let bound = |k: &str| range.get(k).and_then(as_cmp);
    bound("gt").is_none_or(|b| a > b)
        && bound("gte").is_none_or(|b| a >= b)
        && bound("lt").is_none_or(|b| a < b)
        && bound("lte").is_none_or(|b| a <= b)
}

fn value_eq(actual: &Value, wanted: &Value) -> bool {
    match (actual, wanted) {
        (Value::String(a), Value::String(b)) => a.eq_ignore_ascii_case(b),
        (Value::Array(items), w) => items.iter().any(|i| value_eq(i, w)),
        (Value::Bool(a), Value::String(b)) => a.to_string() == *b,
        (a, b) => a == b,
    }
}

fn predicate(p: &Value, lookup: &dyn Fn(&str) -> Option<Value>) -> bool {
    let actual = if let Some(d) = p.get("dimension").and_then(Value::as_str) {
        lookup(d)
    } else if let Some(m) = p.get("metric").and_then(Value::as_str) {
        lookup(&format!("metric:{m}"))
    } else {
        // Property predicates: the simulator records no custom properties.
        None
    };
    match p
        .get("operator")
        .and_then(Value::as_str)
        .unwrap_or("matches")
    {
        "exists" => actual.is_some(),
        "notExists" => actual.is_none(),
        _ => match (actual, p.get("range"), p.get("value")) {
            (Some(a), Some(r), _) => in_range(&a, r),
            (Some(a), None, Some(v)) => value_eq(&a, v),
            _ => false,
        },
    }
}

/// Evaluates one filter (`type` and/or over predicates and clauses).
pub fn eval(f: &Value, lookup: &dyn Fn(&str) -> Option<Value>) -> bool {
    let mut results = f
        .get("predicates")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| predicate(p, lookup))
        .collect::<Vec<_>>();
    results.extend(
        f.get("clauses")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|c| eval(c, lookup)),
    );
    if results.is_empty() {
        return true;
    }
    match f.get("type").and_then(Value::as_str) {
        Some("or") => results.into_iter().any(|b| b),
        _ => results.into_iter().all(|b| b),
    }
}

/// Whether a rendered record passes the conversation and segment filters. Conversation filters see
/// the record's top level (`divisionId` looks inside `divisionIds`); segment filters see one segment
/// at a time with its session, participant and conversation around it (`tSegmentDuration` as metric).
pub fn record_matches(
    record: &Value,
    conversation_filters: &[Value],
    segment_filters: &[Value],
) -> bool {
    let conv_lookup = |d: &str| -> Option<Value> {
        if d == "divisionId" {
            return record.get("divisionIds").cloned();
        }
        record.get(d).cloned()
    };
    if !conversation_filters.iter().all(|f| eval(f, &conv_lookup)) {
        return false;
    }
    if segment_filters.is_empty() {
        return true;
    }
    let participants = record
        .get("participants")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for p in &participants {
        for s in p
            .get("sessions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            for seg in s
                .get("segments")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let lookup = |d: &str| -> Option<Value> {
                    if d == "metric:tSegmentDuration" {
                        let start = seg.get("segmentStart").and_then(as_cmp)?;
                        let end = seg.get("segmentEnd").and_then(as_cmp)?;
                        return Some(Value::from((end - start) as i64));
                    }
                    seg.get(d)
                        .or_else(|| s.get(d))
                        .or_else(|| p.get(d))
                        .or_else(|| record.get(d))
                        .filter(|v| {
                            !matches!(v, Value::Array(_) | Value::Object(_))
                                || d == "requestedRoutings"
                        })
                        .cloned()
                };
                if segment_filters.iter().all(|f| eval(f, &lookup)) {
                    return true;
                }
            }
        }
    }
    false
}
