//! The `gc-sim` binary: `--help`, the ready line on stdout, refusing non-loopback hosts.

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
        "--heartbeat-secs",
        "--rate-limit",
        "--firehose-rate",
        "--client-id",
    ] {
        assert!(text.contains(flag), "{flag} missing from --help");
    }
}

#[test]
fn prints_exactly_one_ready_line_and_serves() {
    let mut child = Command::new(BIN)
        .args(["--port", "0", "--scenario", "idle", "--quiet"])
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
