//! The live wrap-up feed's engine: identity → channel → subscriptions → socket → tracker, with
//! reconnects, keep-alive and backfill. It reports [`LiveEvent`]s; it never touches the DOM.

use std::collections::HashSet;
use std::time::Duration;

use futures::StreamExt;
use wrapup_core::directory::{Channel, MAX_TOPICS_PER_CHANNEL};
use wrapup_core::directory::{
    NamedEntity, UserMe, queue_conversations_topic, user_conversations_topic,
};
use wrapup_core::tracker::{FrameKind, Tracker, WrapUpOutcome};
use yew::Callback;

use super::api::Api;
use super::error::ApiError;
use super::notify::{self, PING_EVERY, SILENCE_LIMIT, SocketInput};

/// First wait before reconnecting; doubles per failure up to [`RECONNECT_CAP`] (Genesys' streaming client).
const RECONNECT_FIRST: Duration = Duration::from_secs(2);
const RECONNECT_CAP: Duration = Duration::from_secs(90);

/// The socket's state as the person sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Link {
    /// Setting up identity, channel and subscriptions.
    Connecting,
    /// Socket open and subscribed.
    Live,
    /// Lost; trying again after a wait. `reason` says why it dropped.
    Reconnecting { attempt: u32, reason: String },
}

/// Directory names learnt for ids seen in outcomes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Names {
    /// Wrap-up code id → name.
    pub codes: Vec<NamedEntity>,
    /// User id → name.
    pub users: Vec<NamedEntity>,
    /// Queue id → name.
    pub queues: Vec<NamedEntity>,
}

/// What the engine reports to the UI.
#[derive(Clone, Debug, PartialEq)]
pub enum LiveEvent {
    /// Who is signed in and which queues are watched.
    Identity {
        me: UserMe,
        queues: Vec<NamedEntity>,
    },
    /// The link changed state.
    Link(Link),
    /// A heartbeat or pong arrived: the link is healthy.
    Heartbeat,
    /// Agent legs whose outcome just became known, in order.
    Outcomes(Vec<WrapUpOutcome>),
    /// Legs currently in after-call work.
    Pending(Vec<WrapUpOutcome>),
    /// Names resolved for ids seen so far.
    Names(Names),
    /// Topics the platform refused (permissions).
    Rejected(Vec<String>),
    /// A frame the parser could not read; it was skipped and counted.
    Malformed(String),
    /// A failure the engine cannot get past by itself (e.g. token expired).
    Stopped(ApiError),
}

/// Run the feed until a fatal error (reported as [`LiveEvent::Stopped`]) or until the future is dropped.
pub async fn run(api: Api, report: Callback<LiveEvent>) {
    if let Err(err) = run_inner(&api, &report).await {
        report.emit(LiveEvent::Stopped(err));
    }
}

async fn run_inner(api: &Api, report: &Callback<LiveEvent>) -> Result<(), ApiError> {
    report.emit(LiveEvent::Link(Link::Connecting));
    let me = api.me().await?;
    let queues = api.my_queues().await?;
    let mut topics = vec![user_conversations_topic(&me.id)];
    topics.extend(queues.iter().map(|q| queue_conversations_topic(&q.id)));
    topics.truncate(MAX_TOPICS_PER_CHANNEL);
    report.emit(LiveEvent::Identity { me, queues });

    let mut tracker = Tracker::new();
    let mut resolver = NameResolver::default();
    let mut channel: Option<Channel> = None;
    let mut failures: u32 = 0;
    loop {
        let reason = match session(
            api,
            report,
            &topics,
            &mut channel,
            &mut tracker,
            &mut resolver,
            &mut failures,
        )
        .await
        {
            Ok(reason) => reason,
            Err(err) if is_fatal(&err) => return Err(err),
            Err(err) => err.to_string(),
        };
        failures += 1;
        report.emit(LiveEvent::Link(Link::Reconnecting {
            attempt: failures,
            reason,
        }));
        let wait = RECONNECT_FIRST
            .saturating_mul(1 << (failures - 1).min(6))
            .min(RECONNECT_CAP);
        gloo_timers::future::sleep(wait).await;
    }
}

fn is_fatal(err: &ApiError) -> bool {
    matches!(
        err,
        ApiError::Unauthorized | ApiError::Forbidden { .. } | ApiError::ForeignHost(_)
    )
}

/// One socket's life: ensure a channel, open, backfill, read until it drops. Returns why it dropped.
async fn session(
    api: &Api,
    report: &Callback<LiveEvent>,
    topics: &[String],
    channel: &mut Option<Channel>,
    tracker: &mut Tracker,
    resolver: &mut NameResolver,
    failures: &mut u32,
) -> Result<String, ApiError> {
    // Reuse the channel while it lives (20 per user+client); a new one needs the topics again.
    let reusable = match channel.as_ref() {
        Some(ch) => api.channel_exists(&ch.id).await?,
        None => false,
    };
    if !reusable {
        let fresh = api.create_channel().await?;
        let result = api.subscribe(&fresh.id, topics).await?;
        let rejected: Vec<String> = result
            .into_iter()
            .filter(|t| t.is_rejected())
            .map(|t| t.id)
            .collect();
        if !rejected.is_empty() {
            report.emit(LiveEvent::Rejected(rejected));
        }
        *channel = Some(fresh);
    }
    let connect_uri = channel
        .as_ref()
        .map(|c| c.connect_uri.clone())
        .unwrap_or_default();
    let (mut writer, mut inputs) = notify::open(&connect_uri).map_err(ApiError::Network)?;

    // Events missed while the socket was down: re-read the active conversations.
    let backfilled = backfill(api, tracker).await;
    deliver(report, resolver, api, tracker, backfilled);

    let mut quiet = Duration::ZERO;
    let mut since_ping = Duration::ZERO;
    let mut live = false;
    while let Some(input) = inputs.next().await {
        match input {
            SocketInput::Frame(frame) => {
                quiet = Duration::ZERO;
                mark_live(&mut live, failures, report);
                let ingested = tracker.ingest_frame(&frame);
                match ingested.kind {
                    FrameKind::Heartbeat | FrameKind::Pong => report.emit(LiveEvent::Heartbeat),
                    FrameKind::SocketClosing => {
                        writer.close().await;
                        return Ok("the platform asked to reconnect (socket_closing)".to_owned());
                    }
                    FrameKind::Malformed { reason } => report.emit(LiveEvent::Malformed(reason)),
                    FrameKind::Conversation { .. } | FrameKind::Other { .. } => {}
                }
                deliver(report, resolver, api, tracker, ingested.outcomes);
            }
            SocketInput::Tick => {
                quiet += Duration::from_secs(1);
                since_ping += Duration::from_secs(1);
                if quiet >= Duration::from_secs(2) {
                    // The socket opened but the platform has not spoken yet; it is still usable.
                    mark_live(&mut live, failures, report);
                }
                if quiet >= SILENCE_LIMIT {
                    writer.close().await;
                    return Ok(format!("no heartbeat for {} s", SILENCE_LIMIT.as_secs()));
                }
                if since_ping >= PING_EVERY {
                    since_ping = Duration::ZERO;
                    if let Err(err) = writer.ping().await {
                        return Ok(format!("ping failed: {err}"));
                    }
                }
            }
            SocketInput::Closed(reason) => return Ok(reason),
        }
    }
    Ok("the connection ended".to_owned())
}

/// The first sign of a working socket: report Live once and reset the reconnect backoff.
fn mark_live(live: &mut bool, failures: &mut u32, report: &Callback<LiveEvent>) {
    if !*live {
        *live = true;
        *failures = 0;
        report.emit(LiveEvent::Link(Link::Live));
    }
}

async fn backfill(api: &Api, tracker: &mut Tracker) -> Vec<WrapUpOutcome> {
    let Ok(conversations) = api.active_conversations().await else {
        return Vec::new();
    };
    conversations
        .iter()
        .filter_map(|conversation| {
            tracker
                .ingest_conversation_json(&conversation.to_string())
                .ok()
        })
        .flatten()
        .collect()
}

/// Report outcomes and, when it changed, the ACW list; look up names for ids not seen before.
fn deliver(
    report: &Callback<LiveEvent>,
    resolver: &mut NameResolver,
    api: &Api,
    tracker: &Tracker,
    outcomes: Vec<WrapUpOutcome>,
) {
    let pending = tracker.pending();
    let keys: Vec<(&str, &str)> = pending
        .iter()
        .map(|o| (o.conversation_id.as_str(), o.participant_id.as_str()))
        .collect();
    let pending_changed = !keys.iter().copied().eq(resolver
        .last_pending
        .iter()
        .map(|(c, p)| (c.as_str(), p.as_str())));
    if outcomes.is_empty() && !pending_changed {
        return;
    }
    resolver.last_pending = keys
        .into_iter()
        .map(|(c, p)| (c.to_owned(), p.to_owned()))
        .collect();
    resolver.request(api, report, outcomes.iter().chain(pending.iter()));
    if !outcomes.is_empty() {
        report.emit(LiveEvent::Outcomes(outcomes));
    }
    if pending_changed {
        report.emit(LiveEvent::Pending(pending));
    }
}

/// Remembers which ids have been looked up so each is fetched once.
#[derive(Default)]
struct NameResolver {
    asked: HashSet<String>,
    last_pending: Vec<(String, String)>,
}

impl NameResolver {
    fn request<'a>(
        &mut self,
        api: &Api,
        report: &Callback<LiveEvent>,
        outcomes: impl Iterator<Item = &'a WrapUpOutcome>,
    ) {
        let (mut codes, mut users, mut queues) = (Vec::new(), Vec::new(), Vec::new());
        let mut ask = |id: Option<&String>, into: &mut Vec<String>| {
            if let Some(id) = id
                && self.asked.insert(id.clone())
            {
                into.push(id.clone());
            }
        };
        for outcome in outcomes {
            // System codes (ININ-…) have no entry under /routing/wrapupcodes.
            let configured = outcome.code.as_ref().filter(|code| {
                wrapup_core::model::WrapUpCodeKind::of(code)
                    == wrapup_core::model::WrapUpCodeKind::Configured
            });
            ask(configured, &mut codes);
            ask(outcome.user_id.as_ref(), &mut users);
            ask(outcome.queue_id.as_ref(), &mut queues);
        }
        if codes.is_empty() && users.is_empty() && queues.is_empty() {
            return;
        }
        let (api, report) = (api.clone(), report.clone());
        // Off the socket loop: names may arrive a moment after the row; the row shows the id meanwhile.
        wasm_bindgen_futures::spawn_local(async move {
            let names = Names {
                codes: if codes.is_empty() {
                    Vec::new()
                } else {
                    api.wrapup_codes(&codes).await.unwrap_or_default()
                },
                users: if users.is_empty() {
                    Vec::new()
                } else {
                    api.users(&users).await.unwrap_or_default()
                },
                queues: if queues.is_empty() {
                    Vec::new()
                } else {
                    api.queues(&queues).await.unwrap_or_default()
                },
            };
            report.emit(LiveEvent::Names(names));
        });
    }
}
