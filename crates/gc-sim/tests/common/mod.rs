//! Shared helpers for gc-sim's integration tests: a spawned simulator on an ephemeral port, a
//! bearer-token HTTP client, and a WebSocket reader that waits for explicit frames with timeouts.
#![allow(dead_code)]

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use gc_sim::{Config, RunningSim, Scenario};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

/// Generous upper bound for any single wait; tests never sleep-and-hope.
pub const WAIT: Duration = Duration::from_secs(20);

/// A quiet, fast, traffic-free config (tests script their own conversations).
pub fn test_config() -> Config {
    Config {
        port: 0,
        speed: 20.0,
        scenario: Scenario::Idle,
        log_requests: false,
        analytics_lag: Duration::ZERO,
        wrapup_segment_lag: Duration::ZERO,
        ..Config::default()
    }
}

/// A spawned simulator plus an HTTP client.
pub struct Sim {
    pub sim: RunningSim,
    pub http: reqwest::Client,
}

impl Sim {
    pub async fn start(config: Config) -> Self {
        let sim = gc_sim::spawn(config).await.expect("sim starts");
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Self { sim, http }
    }

    pub async fn idle() -> Self {
        Self::start(test_config()).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.sim.base_url(), path)
    }

    /// `GET` an admin document under `/sim` as JSON.
    pub async fn admin_get(&self, path: &str) -> Value {
        self.http
            .get(self.url(path))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// `GET /sim/directory`.
    pub async fn directory(&self) -> Value {
        self.admin_get("/sim/directory").await
    }

    pub async fn supervisor_id(&self) -> String {
        self.directory().await["users"][0]["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// A token for `user` (None = supervisor) via `/sim/tokens`.
    pub async fn token(&self, user: Option<&str>) -> String {
        let body = match user {
            Some(u) => json!({ "userId": u }),
            None => json!({}),
        };
        let v: Value = self
            .http
            .post(self.url("/sim/tokens"))
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v["access_token"].as_str().unwrap().to_string()
    }

    pub async fn get(&self, token: &str, path: &str) -> reqwest::Response {
        self.http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    /// `HEAD` with the bearer token; the status is the whole answer.
    pub async fn head(&self, token: &str, path: &str) -> reqwest::StatusCode {
        self.http
            .head(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .status()
    }

    pub async fn get_json(&self, token: &str, path: &str) -> Value {
        let res = self.get(token, path).await;
        assert_eq!(res.status(), 200, "GET {path}");
        res.json().await.unwrap()
    }

    pub async fn post_json(&self, token: &str, path: &str, body: &Value) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn admin(&self, path: &str, body: Value) -> Value {
        let res = self
            .http
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "POST {path}: {}", res.status());
        res.json().await.unwrap_or(Value::Null)
    }

    /// Starts a scripted conversation (`POST /sim/conversations`).
    pub async fn script(&self, body: Value) -> Value {
        self.admin("/sim/conversations", body).await
    }

    pub async fn truth(&self) -> Vec<Value> {
        let v = self.admin_get("/sim/truth").await;
        v["outcomes"].as_array().unwrap().clone()
    }

    /// Waits until `/sim/truth` holds at least `n` entries for `conversation`.
    pub async fn truth_for(&self, conversation: &str, n: usize) -> Vec<Value> {
        wait_until(|| async {
            let t: Vec<Value> = self
                .truth()
                .await
                .into_iter()
                .filter(|e| e["conversationId"] == conversation)
                .collect();
            (t.len() >= n).then_some(t)
        })
        .await
    }

    /// Creates a channel and subscribes `topics` (PUT); returns (channel id, connectUri).
    pub async fn channel(&self, token: &str, topics: &[String]) -> (String, String) {
        let ch: Value = self
            .post_json(token, "/api/v2/notifications/channels", &json!(null))
            .await
            .json()
            .await
            .unwrap();
        let id = ch["id"].as_str().unwrap().to_string();
        let body: Vec<Value> = topics.iter().map(|t| json!({ "id": t })).collect();
        let res = self
            .http
            .put(self.url(&format!(
                "/api/v2/notifications/channels/{id}/subscriptions"
            )))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "subscribe {topics:?}");
        (id, ch["connectUri"].as_str().unwrap().to_string())
    }
}

/// Polls `f` every 20 ms until it yields `Some`, panicking after [`WAIT`].
pub async fn wait_until<T, F, Fut>(mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "condition not reached within {WAIT:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// How a socket read ended.
#[derive(Debug)]
pub enum Frame {
    Text(String),
    Binary(Vec<u8>),
    Closed(Option<u16>),
    /// Connection ended without a close frame.
    Dropped,
}

/// A notification socket client.
pub struct Socket {
    pub ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// Every text frame read so far.
    pub log: Vec<String>,
}

impl Socket {
    pub async fn connect(uri: &str) -> Self {
        let (ws, _) = connect_async(uri).await.expect("socket connects");
        Self {
            ws,
            log: Vec::new(),
        }
    }

    /// Next frame, or panics after [`WAIT`].
    pub async fn next(&mut self) -> Frame {
        self.next_within(WAIT)
            .await
            .expect("a frame within the wait")
    }

    /// Next frame within `d` (None on timeout).
    pub async fn next_within(&mut self, d: Duration) -> Option<Frame> {
        loop {
            let item = tokio::time::timeout(d, self.ws.next()).await.ok()?;
            return Some(match item {
                Some(Ok(Message::Text(t))) => {
                    self.log.push(t.to_string());
                    Frame::Text(t.to_string())
                }
                Some(Ok(Message::Binary(b))) => Frame::Binary(b.to_vec()),
                Some(Ok(Message::Close(c))) => Frame::Closed(c.map(|c| u16::from(c.code))),
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => Frame::Dropped,
            });
        }
    }

    /// Reads until a JSON text frame satisfies `pred`; returns it.
    pub async fn wait_json(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        loop {
            match self.next().await {
                Frame::Text(t) => {
                    if let Ok(v) = serde_json::from_str::<Value>(&t)
                        && pred(&v)
                    {
                        return v;
                    }
                }
                Frame::Binary(_) => {}
                other => panic!("socket ended while waiting: {other:?}"),
            }
        }
    }

    /// Reads until the socket ends; returns how.
    pub async fn wait_end(&mut self) -> Frame {
        loop {
            match self.next().await {
                Frame::Text(_) | Frame::Binary(_) => {}
                end => return end,
            }
        }
    }

    pub async fn send_text(&mut self, t: &str) {
        self.ws.send(Message::Text(t.into())).await.unwrap();
    }
}

/// The agent participant of a snapshot with this id.
pub fn participant<'a>(snapshot: &'a Value, id: &str) -> Option<&'a Value> {
    snapshot["participants"]
        .as_array()?
        .iter()
        .find(|p| p["id"] == id)
}
