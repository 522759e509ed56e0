//! The live wrap-up feed's engine: identity → channel → subscriptions → socket → tracker, with
//! reconnects, keep-alive, backfill and name look-ups, each retried on the one [`Backoff`] policy.

mod names;
mod schedule;

use std::time::Duration;

use futures::future::{Fuse, FusedFuture, LocalBoxFuture};
use futures::stream::FuturesUnordered;
use futures::{FutureExt, StreamExt};
use wrapup_core::directory::{
    Channel, MAX_TOPICS_PER_CHANNEL, NamedEntity, queue_conversations_topic,
    user_conversations_topic,
};
use wrapup_core::retry::Backoff;
use wrapup_core::tracker::{FrameKind, LegKey, Tracker, WrapUpOutcome};
use yew::Callback;

use self::names::NameBook;
use self::schedule::RetrySchedule;
use super::api::Api;
use super::notify::{self, PING_EVERY, SILENCE_LIMIT, SocketInput, SocketInputs, SocketWriter};
use crate::types::error::ApiError;
use crate::types::live::{Link, LiveEvent, Recovery, Setback};
use crate::types::names::NameKind;

/// Quiet this long after the socket opens and the platform has not spoken yet: still usable.
const QUIET_BUT_OPEN: Duration = Duration::from_secs(2);

/// A name look-up's answer, with what was asked.
struct Lookup {
    kind: NameKind,
    asked: Vec<String>,
    answer: Result<Vec<NamedEntity>, ApiError>,
}

/// Re-reading the active conversations: the raw entities, or why not.
type Backfill = Result<Vec<serde_json::Value>, ApiError>;

/// Why one connection ended.
enum Ended {
    /// Lost for a reason worth retrying; `retry_after` if the platform said how long to wait.
    Dropped {
        reason: String,
        retry_after: Option<Duration>,
    },
    /// Retrying cannot help (sign-in gone, permission missing, foreign host).
    Fatal(ApiError),
}

impl From<ApiError> for Ended {
    fn from(err: ApiError) -> Self {
        if matches!(
            err,
            ApiError::Unauthorized | ApiError::Forbidden { .. } | ApiError::ForeignHost(_)
        ) {
            Self::Fatal(err)
        } else {
            Self::Dropped {
                retry_after: err.retry_after(),
                reason: err.to_string(),
            }
        }
    }
}

impl Ended {
    fn dropped(reason: impl Into<String>) -> Self {
        Self::Dropped {
            reason: reason.into(),
            retry_after: None,
        }
    }
}

/// What the socket loop handles next.
enum Step {
    Socket(SocketInput),
    Names(Lookup),
    Backfilled(Backfill),
}

/// The live feed for one sign-in. Owns everything it needs between reconnects; dropping the
/// future returned by [`LiveEngine::run`] stops it and every request in flight.
pub struct LiveEngine {
    api: Api,
    report: Callback<LiveEvent>,
    tracker: Tracker,
    names: NameBook,
    lookups: FuturesUnordered<LocalBoxFuture<'static, Lookup>>,
    /// Empty until `users/me` and `queues/me` answered.
    topics: Vec<String>,
    /// Reused across reconnects while it lives (20 per user and client).
    channel: Option<Channel>,
    reconnects: RetrySchedule,
    backfill: Fuse<LocalBoxFuture<'static, Backfill>>,
    /// Set while a backfill failed and waits to be retried.
    backfill_retry: Option<RetrySchedule>,
    last_pending: Vec<LegKey>,
}

impl LiveEngine {
    /// An engine calling the platform through `api` and telling `report` what happens.
    pub fn new(api: Api, report: Callback<LiveEvent>) -> Self {
        Self {
            api,
            report,
            tracker: Tracker::new(),
            names: NameBook::default(),
            lookups: FuturesUnordered::new(),
            topics: Vec::new(),
            channel: None,
            reconnects: RetrySchedule::default(),
            backfill: Fuse::terminated(),
            backfill_retry: None,
            last_pending: Vec::new(),
        }
    }

    /// Run until a failure retrying cannot fix (reported as [`LiveEvent::Stopped`]) or until the
    /// future is dropped.
    pub async fn run(mut self) {
        self.report.emit(LiveEvent::Link(Link::Connecting));
        loop {
            let (reason, retry_after) = match self.connect_and_stream().await {
                Ended::Dropped {
                    reason,
                    retry_after,
                } => (reason, retry_after),
                Ended::Fatal(err) => {
                    self.report.emit(LiveEvent::Stopped(err));
                    return;
                }
            };
            let wait = self.reconnects.failed(
                &Backoff::reconnect(),
                retry_after,
                now_ms(),
                &mut js_sys::Math::random,
            );
            self.report.emit(LiveEvent::Link(Link::Reconnecting {
                attempt: self.reconnects.failures(),
                reason,
            }));
            gloo_timers::future::sleep(wait).await;
        }
    }

    /// One socket's life: identity (once), channel, socket, backfill, then frames until it drops.
    async fn connect_and_stream(&mut self) -> Ended {
        if self.topics.is_empty()
            && let Err(err) = self.identify().await
        {
            // Without knowing who is signed in there is nothing to watch: only a passing failure is retried.
            return if err.is_transient() {
                err.into()
            } else {
                Ended::Fatal(err)
            };
        }
        let connect_uri = match self.ensure_channel().await {
            Ok(uri) => uri,
            Err(err) => return err.into(),
        };
        let (writer, inputs) = match notify::open(&connect_uri) {
            Ok(socket) => socket,
            Err(reason) => return Ended::dropped(reason),
        };
        // Events missed while the socket was down: re-read the active conversations.
        self.start_backfill();
        self.stream(writer, inputs).await
    }

    async fn identify(&mut self) -> Result<(), ApiError> {
        let me = self.api.me().await?;
        let queues = self.api.my_queues().await?;
        let mut topics = vec![user_conversations_topic(&me.id)];
        topics.extend(queues.iter().map(|q| queue_conversations_topic(&q.id)));
        topics.truncate(MAX_TOPICS_PER_CHANNEL);
        self.topics = topics;
        self.report.emit(LiveEvent::Identity { me, queues });
        Ok(())
    }

    /// The channel to connect to: the current one while it exists, else a new one subscribed to the topics.
    async fn ensure_channel(&mut self) -> Result<String, ApiError> {
        if let Some(channel) = &self.channel
            && self.api.channel_exists(&channel.id).await?
        {
            return Ok(channel.connect_uri.clone());
        }
        let fresh = self.api.create_channel().await?;
        let rejected: Vec<String> = self
            .api
            .subscribe(&fresh.id, &self.topics)
            .await?
            .into_iter()
            .filter(|t| t.is_rejected())
            .map(|t| t.id)
            .collect();
        if !rejected.is_empty() {
            self.report.emit(LiveEvent::Rejected(rejected));
        }
        let uri = fresh.connect_uri.clone();
        self.channel = Some(fresh);
        Ok(uri)
    }

    /// Read the socket until it drops, answering look-ups and backfills as they complete.
    async fn stream(&mut self, mut writer: SocketWriter, inputs: SocketInputs) -> Ended {
        let mut inputs = inputs.fuse();
        let mut quiet = Duration::ZERO;
        let mut since_ping = Duration::ZERO;
        let mut live = false;
        loop {
            let step = futures::select! {
                input = inputs.select_next_some() => Step::Socket(input),
                lookup = self.lookups.select_next_some() => Step::Names(lookup),
                backfill = &mut self.backfill => Step::Backfilled(backfill),
            };
            let result = match step {
                Step::Names(lookup) => self.settle_lookup(lookup),
                Step::Backfilled(backfill) => self.settle_backfill(backfill),
                Step::Socket(SocketInput::Closed(reason)) => return Ended::dropped(reason),
                Step::Socket(SocketInput::Frame(frame)) => {
                    quiet = Duration::ZERO;
                    self.mark_live(&mut live);
                    let ingested = self.tracker.ingest_frame(&frame);
                    match ingested.kind {
                        FrameKind::Heartbeat | FrameKind::Pong => {
                            self.report.emit(LiveEvent::Heartbeat)
                        }
                        FrameKind::SocketClosing => {
                            writer.close().await;
                            return Ended::dropped(
                                "the platform asked to reconnect (socket_closing)",
                            );
                        }
                        FrameKind::Malformed { reason } => {
                            self.report.emit(LiveEvent::Malformed(reason))
                        }
                        FrameKind::Conversation { .. } | FrameKind::Other { .. } => {}
                    }
                    self.deliver(ingested.outcomes);
                    Ok(())
                }
                Step::Socket(SocketInput::Tick) => {
                    quiet += Duration::from_secs(1);
                    since_ping += Duration::from_secs(1);
                    if quiet >= QUIET_BUT_OPEN {
                        self.mark_live(&mut live);
                    }
                    if quiet >= SILENCE_LIMIT {
                        writer.close().await;
                        return Ended::dropped(format!(
                            "no heartbeat for {} s",
                            SILENCE_LIMIT.as_secs()
                        ));
                    }
                    if since_ping >= PING_EVERY {
                        since_ping = Duration::ZERO;
                        if let Err(err) = writer.ping().await {
                            return Ended::dropped(format!("ping failed: {err}"));
                        }
                    }
                    self.retry_due_work();
                    Ok(())
                }
            };
            if let Err(err) = result {
                return Ended::Fatal(err);
            }
        }
    }

    /// The first sign of a working socket: report Live once and reset the reconnect backoff.
    fn mark_live(&mut self, live: &mut bool) {
        if !*live {
            *live = true;
            self.reconnects.succeeded();
            self.report.emit(LiveEvent::Link(Link::Live));
        }
    }

    /// Report outcomes and, when it changed, the ACW list; ask for names of ids not seen before.
    fn deliver(&mut self, outcomes: Vec<WrapUpOutcome>) {
        let pending = self.tracker.pending();
        let keys: Vec<LegKey> = pending.iter().map(WrapUpOutcome::leg_key).collect();
        let pending_changed = keys != self.last_pending;
        if outcomes.is_empty() && !pending_changed {
            return;
        }
        self.last_pending = keys;
        for outcome in outcomes.iter().chain(pending.iter()) {
            self.names.want_outcome(outcome);
        }
        self.ask_names();
        if !outcomes.is_empty() {
            self.report.emit(LiveEvent::Outcomes(outcomes));
        }
        if pending_changed {
            self.report.emit(LiveEvent::Pending(pending));
        }
    }

    /// Start a look-up for every directory with ids due; answers arrive in the socket loop.
    fn ask_names(&mut self) {
        for (kind, asked) in self.names.take_due(now_ms()) {
            let api = self.api.clone();
            self.lookups.push(
                async move {
                    let answer = match kind {
                        NameKind::Code => api.wrapup_codes(&asked).await,
                        NameKind::User => api.users(&asked).await,
                        NameKind::Queue => api.queues(&asked).await,
                    };
                    Lookup {
                        kind,
                        asked,
                        answer,
                    }
                }
                .boxed_local(),
            );
        }
    }

    fn settle_lookup(&mut self, lookup: Lookup) -> Result<(), ApiError> {
        let was_retrying = self.names.is_retrying();
        let settlement = self.names.settle(
            lookup.kind,
            lookup.asked,
            lookup.answer,
            now_ms(),
            &Backoff::reconnect(),
            &mut js_sys::Math::random,
        );
        if let Some(err) = settlement.fatal {
            return Err(err);
        }
        if !settlement.learnt.is_empty() {
            self.report.emit(LiveEvent::Names(settlement.learnt));
        }
        if let Some((ids, reason, retry_in)) = settlement.deferred {
            self.report.emit(LiveEvent::Setback(Setback::Names {
                ids,
                reason,
                retry_in,
            }));
        } else if was_retrying && !self.names.is_retrying() {
            self.report.emit(LiveEvent::Recovered(Recovery::Names));
        }
        Ok(())
    }

    fn start_backfill(&mut self) {
        let api = self.api.clone();
        self.backfill = async move { api.active_conversations().await }
            .boxed_local()
            .fuse();
    }

    fn settle_backfill(&mut self, backfill: Backfill) -> Result<(), ApiError> {
        match backfill {
            Ok(conversations) => {
                let outcomes: Vec<WrapUpOutcome> = conversations
                    .iter()
                    .filter_map(|conversation| {
                        self.tracker
                            .ingest_conversation_json(&conversation.to_string())
                            .ok()
                    })
                    .flatten()
                    .collect();
                if self.backfill_retry.take().is_some() {
                    self.report.emit(LiveEvent::Recovered(Recovery::Backfill));
                }
                self.deliver(outcomes);
                Ok(())
            }
            Err(err) if err.needs_sign_in() => Err(err),
            Err(err) => {
                let schedule = self.backfill_retry.get_or_insert_default();
                let retry_in = schedule.failed(
                    &Backoff::reconnect(),
                    err.retry_after(),
                    now_ms(),
                    &mut js_sys::Math::random,
                );
                self.report.emit(LiveEvent::Setback(Setback::Backfill {
                    reason: err.to_string(),
                    retry_in,
                }));
                Ok(())
            }
        }
    }

    /// Once a second: name look-ups and a backfill whose wait after a failure is over.
    fn retry_due_work(&mut self) {
        let now = now_ms();
        self.ask_names();
        if self.backfill.is_terminated() && self.backfill_retry.is_some_and(|s| s.is_due(now)) {
            self.start_backfill();
        }
    }
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}
