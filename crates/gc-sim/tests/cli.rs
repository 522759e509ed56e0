//! The `gc-sim` binary: `--help`, the ready line on stdout, refusing non-loopback hosts, and the
//! token/channel lifetime and refresh-token flags reaching the running simulator.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_gc-sim");

#[test]
fn help_lists_the_flags() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--port",
        "--host",
        "--seed",
        "--agents",
        "--queues",
        "--speed",
        "--analytics-lag",
        "--scenario",
        "--token-lifetime",
        "--pkce-refresh-tokens",
        "--channel-lifetime",
        "--heartbeat-secs",
        "--rate-limit",
        "--firehose-rate",
        "--client-id",
    ] {
        assert!(text.contains(flag), "{flag} missing from --help");
    }
}

/// Starts the binary with `args` and returns it with its base URL (from the ready line).
fn start(args: &[&str]) -> (std::process::Child, String) {
    let mut child = Command::new(BIN)
        .args(["--port", "0", "--scenario", "idle", "--quiet"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("gc-sim listening on ")
        .expect("ready line")
        .to_string();
    (child, url)
}

#[test]
fn lifetime_and_refresh_token_flags_reach_the_simulator() {
    let (mut child, url) = start(&[
        "--token-lifetime",
        "7",
        "--channel-lifetime",
        "5",
        "--pkce-refresh-tokens",
        "off",
    ]);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (faults, token, channel) = rt.block_on(async {
        let http = reqwest::Client::new();
        let faults: serde_json::Value = http
            .get(format!("{url}/sim/faults"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token: serde_json::Value = http
            .post(format!("{url}/sim/tokens"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let channel: serde_json::Value = http
            .post(format!("{url}/api/v2/notifications/channels"))
            .bearer_auth(token["access_token"].as_str().unwrap())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        (faults, token, channel)
    });
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(faults["pkceRefreshTokens"], false);
    assert_eq!(token["expires_in"], 7);
    let expires = time::OffsetDateTime::parse(
        channel["expires"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let left = expires - time::OffsetDateTime::now_utc();
    assert!(
        left <= time::Duration::seconds(5) && left > time::Duration::ZERO,
        "--channel-lifetime 5: {left} left"
    );
}

#[test]
fn prints_exactly_one_ready_line_and_serves() {
    let (mut child, url) = start(&[]);
    let port: u16 = url
        .strip_prefix("http://127.0.0.1:")
        .expect("loopback URL")
        .parse()
        .unwrap();
    assert_ne!(port, 0);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let status = rt.block_on(async {
        reqwest::get(format!("{url}/sim/state"))
            .await
            .unwrap()
            .status()
    });
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(status, 200);
}

#[test]
fn refuses_non_loopback_hosts() {
    let out = Command::new(BIN)
        .args(["--port", "0", "--host", "0.0.0.0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("loopback"));
    assert!(out.stdout.is_empty(), "no ready line");
}
