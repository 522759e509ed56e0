//! The page's Content-Security-Policy must allow exactly the hosts wrapup-core's platform module
//! allows: every known environment's api/login/streaming host plus loopback, and no inline script.
#![cfg(not(target_arch = "wasm32"))]

use wrapup_core::platform::ENVIRONMENTS;

fn policy() -> String {
    let html = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/index.html")).unwrap();
    let start = html
        .find("Content-Security-Policy\" content=\"")
        .expect("a CSP meta tag")
        + 34;
    let end = start + html[start..].find('"').unwrap();
    html[start..end].to_owned()
}

fn directive(policy: &str, name: &str) -> Vec<String> {
    policy
        .split(';')
        .map(str::trim)
        .find_map(|d| d.strip_prefix(name))
        .map(|rest| rest.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default()
}

#[test]
fn connect_src_is_exactly_the_known_environments_and_loopback() {
    let policy = policy();
    let mut allowed = directive(&policy, "connect-src ");
    let mut expected: Vec<String> = [
        "'self'",
        "http://127.0.0.1:*",
        "ws://127.0.0.1:*",
        "http://localhost:*",
        "ws://localhost:*",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    for env in ENVIRONMENTS {
        expected.push(format!("https://api.{}", env.domain));
        expected.push(format!("https://login.{}", env.domain));
        expected.push(format!("wss://streaming.{}", env.domain));
    }
    allowed.sort();
    expected.sort();
    assert_eq!(allowed, expected);
}

#[test]
fn scripts_only_from_self_and_nothing_inline() {
    let policy = policy();
    assert_eq!(
        directive(&policy, "script-src "),
        ["'self'", "'wasm-unsafe-eval'"]
    );
    assert_eq!(directive(&policy, "default-src "), ["'none'"]);
    assert!(!policy.contains("unsafe-inline"));
}
