//! Runs the real `wrapup` binary on the fixtures (built by tests/fixtures/make_*.py from reference shapes) and
//! checks its output line by line: the CLI is a contract for scripts.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

fn wrapup(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wrapup"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the wrapup binary runs");
    let mut input = child.stdin.take().expect("stdin is piped");
    input
        .write_all(stdin.unwrap_or_default())
        .expect("stdin accepts the input");
    drop(input);
    child.wait_with_output().expect("wrapup finishes")
}

fn replay(name: &str) -> Output {
    let path = fixture(&format!("replay/{name}.ndjson"));
    wrapup(&["replay", path.to_str().unwrap()], None)
}

fn lines(bytes: &[u8]) -> Vec<String> {
    String::from_utf8(bytes.to_vec())
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// (participantId, outcome, code) of each output line, in order.
fn summary(output: &Output) -> Vec<(String, String, Option<String>)> {
    lines(&output.stdout)
        .iter()
        .map(|line| {
            let v: Value = serde_json::from_str(line).unwrap();
            (
                v["participantId"].as_str().unwrap().to_owned(),
                v["outcome"].as_str().unwrap().to_owned(),
                v["code"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

fn row(participant: &str, outcome: &str, code: Option<&str>) -> (String, String, Option<String>) {
    (
        participant.to_owned(),
        outcome.to_owned(),
        code.map(str::to_owned),
    )
}

const CODE: &str = "7f3c2a10-0d5e-4b8e-9a61-3c1f7d2b9e40";
const CODE_2: &str = "1e2d3c4b-5a69-4788-8a9b-0c1d2e3f4a55";

#[test]
fn every_replay_fixture_gives_exactly_its_expected_lines() {
    for name in [
        "user_topic_lifecycle",
        "queue_topic_timeout",
        "transfer_two_agents",
        "skipped",
        "not_required",
        "media_types",
        "channel_frames",
        "malformed_lines",
        "mid_acw_first_sight",
        "pending_at_end",
        "reordered_duplicates",
    ] {
        let output = replay(name);
        assert!(output.status.success(), "{name}: exit {:?}", output.status);
        let expected = std::fs::read(fixture(&format!("replay/{name}.expected.ndjson"))).unwrap();
        assert_eq!(lines(&output.stdout), lines(&expected), "{name}");
    }
}

#[test]
fn output_lines_have_exactly_the_contract_keys_in_order() {
    let output = replay("user_topic_lifecycle");
    let line = &lines(&output.stdout)[0];
    let keys: Vec<String> = serde_json::from_str::<serde_json::Map<String, Value>>(line)
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let mut sorted_contract = [
        "conversationId",
        "participantId",
        "userId",
        "queueId",
        "mediaType",
        "outcome",
        "code",
        "notes",
        "durationSeconds",
        "endTime",
    ];
    sorted_contract.sort();
    assert_eq!(keys, sorted_contract, "serde_json::Map sorts keys");
    assert!(
        line.starts_with(r#"{"conversationId":"#)
            && line.contains(r#""durationSeconds":17,"endTime":"#)
    );
}

#[test]
fn a_full_call_lifecycle_gives_one_submitted_outcome_with_the_wrap_up_details() {
    let output = replay("user_topic_lifecycle");
    let v: Value = serde_json::from_str(&lines(&output.stdout)[0]).unwrap();
    assert_eq!(v["conversationId"], "3f9a2b1c-7d4e-4f5a-9b6c-0d1e2f3a0001");
    assert_eq!(v["userId"], "6a1c5f0e-2b7d-4c1e-9f3a-8d2e4b6c0a11");
    assert_eq!(v["queueId"], "f0c1d2e3-a4b5-4c6d-8e7f-9a0b1c2d3e44");
    assert_eq!(v["mediaType"], "voice");
    assert_eq!(v["outcome"], "submitted");
    assert_eq!(v["code"], CODE);
    assert_eq!(v["notes"], "Caller asked about invoice 4411");
    assert_eq!(v["durationSeconds"], 17);
    assert_eq!(v["endTime"], "2024-05-01T10:00:57.399Z");
    assert_eq!(lines(&output.stdout).len(), 1);
}

#[test]
fn each_scenario_ends_in_the_right_outcomes() {
    assert_eq!(
        summary(&replay("queue_topic_timeout")),
        [row(
            "p-agent-0002",
            "timed_out",
            Some("ININ-WRAP-UP-TIMEOUT")
        )]
    );
    assert_eq!(
        summary(&replay("transfer_two_agents")),
        [
            row("p-agent-a-0003", "submitted", Some(CODE)),
            row("p-agent-b-0003", "submitted", Some(CODE_2))
        ]
    );
    assert_eq!(
        summary(&replay("skipped")),
        [
            row("p-agent-0004", "skipped", None),
            row("p-agent-0005", "skipped", None)
        ]
    );
    assert_eq!(
        summary(&replay("not_required")),
        [
            row("p-agent-0006", "not_required", None),
            row("p-agent-0007", "not_required", None)
        ]
    );
    assert_eq!(
        summary(&replay("pending_at_end")),
        [row("p-agent-0014", "pending", None)]
    );
    assert_eq!(
        summary(&replay("reordered_duplicates")),
        [row("p-agent-0016", "submitted", Some(CODE))]
    );
    assert_eq!(
        summary(&replay("mid_acw_first_sight")),
        [row("p-agent-0013", "submitted", Some(CODE_2))]
    );
    assert!(summary(&replay("channel_frames")).is_empty());
}

#[test]
fn media_type_comes_from_the_communication_array_or_the_topic() {
    let media: Vec<String> = lines(&replay("media_types").stdout)
        .iter()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["mediaType"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(media, ["chat", "email", "message", "callback"]);
    // The flat per-media topic (`….conversations.calls`) has no calls[] array: the topic names the medium.
    let skipped = lines(&replay("skipped").stdout);
    assert_eq!(
        serde_json::from_str::<Value>(&skipped[1]).unwrap()["mediaType"],
        "voice"
    );
}

#[test]
fn malformed_lines_are_reported_with_their_numbers_and_are_not_fatal() {
    let output = replay("malformed_lines");
    assert!(output.status.success());
    assert_eq!(
        summary(&output),
        [row("p-agent-0012", "submitted", Some(CODE))]
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    for line in [2, 4, 5, 6, 8] {
        assert!(
            stderr.contains(&format!("line {line}: skipped:")),
            "line {line} not reported in:\n{stderr}"
        );
    }
    for line in [1, 3, 7, 9, 10] {
        assert!(
            !stderr.contains(&format!("line {line}: skipped:")),
            "line {line} wrongly reported in:\n{stderr}"
        );
    }
    assert!(stderr.contains("5 malformed"), "{stderr}");
}

#[test]
fn replay_reads_standard_input_with_a_dash_or_no_file() {
    let input = std::fs::read(fixture("replay/transfer_two_agents.ndjson")).unwrap();
    let expected =
        lines(&std::fs::read(fixture("replay/transfer_two_agents.expected.ndjson")).unwrap());
    assert_eq!(
        lines(&wrapup(&["replay", "-"], Some(&input)).stdout),
        expected
    );
    assert_eq!(lines(&wrapup(&["replay"], Some(&input)).stdout), expected);
}

#[test]
fn replay_of_empty_input_prints_nothing_and_succeeds() {
    let output = wrapup(&["replay"], Some(b""));
    assert!(output.status.success());
    assert!(output.stdout.is_empty());
}

#[test]
fn replay_survives_binary_garbage_and_a_missing_final_newline() {
    let mut input = b"\xff\xfe\x00garbage\n".to_vec();
    input.extend_from_slice(&std::fs::read(fixture("replay/mid_acw_first_sight.ndjson")).unwrap());
    while input.last() == Some(&b'\n') {
        input.pop();
    }
    let output = wrapup(&["replay"], Some(&input));
    assert!(output.status.success());
    assert_eq!(
        summary(&output),
        [row("p-agent-0013", "submitted", Some(CODE_2))]
    );
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("line 1: skipped: not UTF-8")
    );
}

#[test]
fn line_numbers_hold_across_read_blocks_and_an_oversized_line_is_skipped_without_losing_the_rest() {
    const HEARTBEAT: &str =
        r#"{"topicName":"channel.metadata","eventBody":{"message":"WebSocket Heartbeat"}}"#;
    let mut input = String::new();
    let mut line_count = 0;
    let mut push = |input: &mut String, text: &str, ending: &str| {
        input.push_str(text);
        input.push_str(ending);
        line_count += 1;
        line_count
    };
    // Several megabyte-sized read blocks of heartbeats, then a line longer than any frame (16 MB).
    while input.len() < 3 << 20 {
        push(&mut input, HEARTBEAT, "\n");
    }
    let oversized = push(
        &mut input,
        &format!(r#"{{"topicName":"{}"}}"#, "x".repeat(17 << 20)),
        "\n",
    );
    push(&mut input, "", "\n");
    for frame in std::fs::read_to_string(fixture("replay/transfer_two_agents.ndjson"))
        .unwrap()
        .lines()
    {
        push(&mut input, frame, "\r\n");
    }
    let not_json = push(&mut input, "not json", "\n");
    let last = push(&mut input, HEARTBEAT, "");

    let output = wrapup(&["replay"], Some(input.as_bytes()));
    assert!(output.status.success());
    let expected =
        lines(&std::fs::read(fixture("replay/transfer_two_agents.expected.ndjson")).unwrap());
    assert_eq!(lines(&output.stdout), expected);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(&format!(
            "line {oversized}: skipped: frame longer than 16777216 bytes"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "line {not_json}: skipped: not a notification frame"
        )),
        "{stderr}"
    );
    assert_eq!(stderr.matches("skipped:").count(), 2, "{stderr}");
    // Every line but the blank one is a frame, the last one included although it has no newline.
    assert!(
        stderr.contains(&format!("wrapup replay: {} frames", last - 1)),
        "{stderr}"
    );
}

#[test]
fn replay_of_a_missing_file_says_so_and_fails() {
    let output = wrapup(&["replay", "/nonexistent/frames.ndjson"], None);
    assert!(!output.status.success());
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("cannot read /nonexistent/frames.ndjson")
    );
}

#[test]
fn every_explain_fixture_gives_exactly_its_expected_object() {
    for (name, file, exit) in [
        ("coded", "coded.json", 0),
        ("timed_out", "timed_out.json", 0),
        ("system_code", "system_code.json", 0),
        ("skipped", "skipped.json", 0),
        ("wrapup_without_code", "wrapup_without_code.json", 0),
        ("no_wrapup_phase", "no_wrapup_phase.json", 0),
        ("not_answered_then_coded", "not_answered_then_coded.json", 0),
        ("in_progress", "in_progress.json", 0),
        ("ivr_only", "ivr_only.json", 0),
        ("abandoned_in_queue", "abandoned_in_queue.json", 0),
        ("callback_api", "callback_api.json", 0),
        ("callback_added", "callback_added.json", 0),
        ("query_response_one", "query_response_one.json", 0),
        ("error_404", "error_404.json", 2),
        ("not_json", "not_json.txt", 2),
    ] {
        let path = fixture(&format!("explain/{file}"));
        let output = wrapup(&["explain", path.to_str().unwrap()], None);
        assert_eq!(output.status.code(), Some(exit), "{name}");
        let expected = std::fs::read(fixture(&format!("explain/{name}.expected.json"))).unwrap();
        assert_eq!(lines(&output.stdout), lines(&expected), "{name}");
    }
}

fn explain(file: &str) -> Value {
    let path = fixture(&format!("explain/{file}"));
    let output = wrapup(&["explain", path.to_str().unwrap()], None);
    serde_json::from_slice(&output.stdout).unwrap()
}

fn verdicts(value: &Value) -> Vec<(Option<String>, String, Option<String>)> {
    value["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["participantId"].as_str().map(str::to_owned),
                v["verdict"].as_str().unwrap().to_owned(),
                v["code"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

fn verdict(
    participant: Option<&str>,
    verdict: &str,
    code: Option<&str>,
) -> (Option<String>, String, Option<String>) {
    (
        participant.map(str::to_owned),
        verdict.to_owned(),
        code.map(str::to_owned),
    )
}

#[test]
fn each_record_gets_the_verdict_its_fields_prove() {
    let agent = Some("p-agent");
    assert_eq!(
        verdicts(&explain("coded.json")),
        [verdict(agent, "coded", Some(CODE))]
    );
    assert_eq!(
        verdicts(&explain("timed_out.json")),
        [verdict(agent, "timed_out", Some("ININ-WRAP-UP-TIMEOUT"))]
    );
    assert_eq!(
        verdicts(&explain("system_code.json")),
        [verdict(
            agent,
            "system_code",
            Some("ININ-OUTBOUND-PREVIEW-SKIPPED")
        )]
    );
    assert_eq!(
        verdicts(&explain("skipped.json")),
        [verdict(agent, "skipped", None)]
    );
    assert_eq!(
        verdicts(&explain("wrapup_without_code.json")),
        [verdict(agent, "wrapup_without_code", None)]
    );
    assert_eq!(
        verdicts(&explain("no_wrapup_phase.json")),
        [verdict(agent, "no_wrapup_phase", None)]
    );
    assert_eq!(
        verdicts(&explain("not_answered_then_coded.json")),
        [
            verdict(Some("p-agent-1"), "not_answered", None),
            verdict(Some("p-agent-2"), "coded", Some(CODE))
        ]
    );
    assert_eq!(
        verdicts(&explain("in_progress.json")),
        [verdict(agent, "in_progress", None)]
    );
    assert_eq!(
        verdicts(&explain("ivr_only.json")),
        [verdict(None, "no_agent", None)]
    );
    assert_eq!(
        verdicts(&explain("abandoned_in_queue.json")),
        [verdict(None, "no_agent", None)]
    );
}

#[test]
fn the_callback_origin_is_read_from_the_segment_timeline() {
    assert_eq!(explain("callback_api.json")["callbackOrigin"], "api");
    assert_eq!(explain("callback_added.json")["callbackOrigin"], "added");
    assert_eq!(explain("coded.json")["callbackOrigin"], Value::Null);
}

#[test]
fn evidence_quotes_the_fields_including_overlaps_and_zero_length_segments() {
    let coded = explain("coded.json");
    assert_eq!(
        coded["verdicts"][0]["evidence"][0],
        "segment wrapup 2024-05-01T10:02:03.000Z–10:02:40.000Z has wrapUpCode 7f3c2a10-0d5e-4b8e-9a61-3c1f7d2b9e40"
    );
    assert!(
        coded["verdicts"][0]["evidence"]
            .as_array()
            .unwrap()
            .contains(&Value::from("session metric tAcw = 37000 ms"))
    );
    let skipped = explain("skipped.json");
    assert_eq!(
        skipped["verdicts"][0]["evidence"][0],
        "acwSkipped = true on session s-p-agent"
    );
    assert!(
        skipped["verdicts"][0]["evidence"][1]
            .as_str()
            .unwrap()
            .contains("(zero length)")
    );
    let in_progress = explain("in_progress.json");
    assert_eq!(
        in_progress["verdicts"][0]["evidence"][0],
        "no conversationEnd: conversation still active or not fully indexed"
    );
}

#[test]
fn an_error_body_is_an_error_with_exit_code_2() {
    let path = fixture("explain/error_404.json");
    let output = wrapup(&["explain", path.to_str().unwrap()], None);
    assert_eq!(output.status.code(), Some(2));
    let value: Value = serde_json::from_slice(&output.stdout).unwrap();
    let message = value["error"].as_str().unwrap();
    assert!(
        message.contains("404") && message.contains("not.found"),
        "{message}"
    );
    assert_eq!(value.as_object().unwrap().len(), 1);
}

#[test]
fn explain_reads_standard_input_and_pretty_prints_on_request() {
    let input = std::fs::read(fixture("explain/coded.json")).unwrap();
    let output = wrapup(&["explain", "-", "--pretty"], Some(&input));
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.lines().count() > 5);
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["verdicts"][0]["verdict"], "coded");
}

#[test]
fn a_query_response_with_several_records_is_refused_with_advice() {
    let record = std::fs::read_to_string(fixture("explain/coded.json")).unwrap();
    let body = format!(r#"{{"conversations":[{record},{record}],"totalHits":2}}"#);
    let output = wrapup(&["explain"], Some(body.as_bytes()));
    assert_eq!(output.status.code(), Some(2));
    let value: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(value["error"].as_str().unwrap().contains("2 conversations"));
}
