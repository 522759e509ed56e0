//! The live wrap-up feed's engine: identity → channel → subscriptions → sockets → tracker, with
//! reconnects, hand-overs, keep-alive, gap recovery and name look-ups, each retried on the one [`Backoff`] policy.

mod channel_life;
mod connection;
mod gap;
mod handover;
mod names;
mod recovery;
mod schedule;

use std::time::Duration;

use futures::channel::oneshot;
use futures::future::{Fuse, FusedFuture, LocalBoxFuture};
use futures::stream::FuturesUnordered;
use futures::{FutureExt, StreamExt};
use wrapup_core::directory::{
    Channel, ChannelTopic, MAX_TOPICS_PER_CHANNEL, NamedEntity, UserMe, queue_conversations_topic,
    user_conversations_topic,
};
use wrapup_core::recovery::Watched;
use wrapup_core::retry::Backoff;
use wrapup_core::tracker::{FrameKind, LegKey, Tracker, WrapUpOutcome};
use yew::Callback;

use self::connection::Connection;
use self::gap::{OpenGap, Read, Searched};
use self::handover::{ClosedSocket, SocketId};
use self::names::NameBook;
use self::recovery::RecoveryQueue;
use self::schedule::RetrySchedule;
use super::api::Api;
use super::notify::{self, PING_EVERY, SILENCE_LIMIT, SocketInput};
use crate::types::error::ApiError;
use crate::types::live::{Link, LiveEvent, Recovery, Setback, Watch};
use crate::types::names::NameKind;
use crate::types::saved::ResumePoint;

pub use self::channel_life::reports_channel_gone;

/// How often the open conversations are reported for saving.
const OPEN_REPORT_EVERY: Duration = Duration::from_secs(5);

/// Quiet this long after the socket opens and the platform has not spoken yet: still usable.
const QUIET_BUT_OPEN: Duration = Duration::from_secs(2);

/// After a failed renewal, try again this much later (the channel still has about an hour).
const RENEW_RETRY_MS: f64 = 60_000.0;

/// A name look-up's answer, with what was asked.
struct Lookup {
    kind: NameKind,
    asked: Vec<String>,
    answer: Result<Vec<NamedEntity>, ApiError>,
}

/// Re-reading the active conversations: the raw entities, or why not.
type Backfill = Result<Vec<serde_json::Value>, ApiError>;

/// Re-PUTting the subscriptions to extend the channel's life.
type Renewal = Result<Vec<ChannelTopic>, ApiError>;

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
    Socket(SocketId, SocketInput),
    Tick,
    Names(Lookup),
    Backfilled(Backfill),
    Read(Read),
    Searched(Searched),
    Renewed(Renewal),
}

/// The live feed for one sign-in. Owns everything it needs between reconnects; dropping the
/// future returned by [`LiveEngine::run`] stops it and every request in flight.
pub struct LiveEngine {
    api: Api,
    report: Callback<LiveEvent>,
    tracker: Tracker,
    names: NameBook,
    lookups: FuturesUnordered<LocalBoxFuture<'static, Lookup>>,
    watch: Watch,
    /// What a gap search looks for; set with the topics.
    watched: Watched,
    /// Empty until the identity and the watched queues or agents are known.
    topics: Vec<String>,
    /// Reused across reconnects while it lives (20 per user and client).
    channel: Option<Channel>,
    /// When to re-PUT the subscriptions so the channel outlives its 24 h, and how often after that.
    renew_at_ms: Option<f64>,
    renew_every_ms: f64,
    renewal: Fuse<LocalBoxFuture<'static, Renewal>>,
    reconnects: RetrySchedule,
    backfill: Fuse<LocalBoxFuture<'static, Backfill>>,
    /// Set while a backfill failed and waits to be retried.
    backfill_retry: Option<RetrySchedule>,
    last_pending: Vec<LegKey>,
    /// The last sign of life from the platform (socket opened or frame), the start of the next gap.
    last_contact_ms: Option<f64>,
    /// A gap not yet closed by a live link.
    gap: Option<OpenGap>,
    /// Where a restored feed left off, answered once after `users/me`.
    resume: Option<oneshot::Receiver<Option<ResumePoint>>>,
    /// `users/me`, when the caller already asked it.
    me: Option<UserMe>,
    recovery: RecoveryQueue,
    reads: FuturesUnordered<LocalBoxFuture<'static, Read>>,
    searches: FuturesUnordered<LocalBoxFuture<'static, Searched>>,
    /// What the person was last told about the recovery: (conversations left, still searching).
    gap_reported: Option<(usize, bool)>,
    /// The open conversations last reported for saving, and seconds since.
    open_reported: Vec<String>,
    since_open_report: Duration,
}

impl LiveEngine {
    /// An engine calling the platform through `api` and telling `report` what happens; it watches the
    /// signed-in user's queues until told otherwise ([`LiveEngine::watching`]).
    pub fn new(api: Api, report: Callback<LiveEvent>) -> Self {
        Self {
            api,
            report,
            tracker: Tracker::new(),
            names: NameBook::default(),
            lookups: FuturesUnordered::new(),
            watch: Watch::default(),
            watched: Watched::Me,
            topics: Vec::new(),
            channel: None,
            renew_at_ms: None,
            renew_every_ms: 0.0,
            renewal: Fuse::terminated(),
            reconnects: RetrySchedule::default(),
            backfill: Fuse::terminated(),
            backfill_retry: None,
            last_pending: Vec::new(),
            last_contact_ms: None,
            gap: None,
            resume: None,
            me: None,
            recovery: RecoveryQueue::default(),
            reads: FuturesUnordered::new(),
            searches: FuturesUnordered::new(),
            gap_reported: None,
            open_reported: Vec::new(),
            since_open_report: Duration::ZERO,
        }
    }

    /// Watch `watch` instead of the signed-in user's queues.
    pub fn watching(self, watch: Watch) -> Self {
        Self { watch, ..self }
    }

    /// The signed-in user, as the caller already read it: `users/me` is not asked again.
    pub fn signed_in_as(self, me: UserMe) -> Self {
        Self {
            me: Some(me),
            ..self
        }
    }

    /// Once `users/me` has answered, wait for `resume` to say when the last event before this page load
    /// was (the saved feed is keyed by the user), and recover the gap since then.
    pub fn resuming(self, resume: oneshot::Receiver<Option<ResumePoint>>) -> Self {
        Self {
            resume: Some(resume),
            ..self
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
                Ended::Fatal(err) if err.needs_sign_in() => {
                    // Keep the tracker and the gap: a refreshed token carries the feed on from here.
                    self.report.emit(LiveEvent::Link(Link::Offline {
                        reason: err.to_string(),
                    }));
                    self.report.emit(LiveEvent::SignInLapsed(err.clone()));
                    (err.to_string(), None)
                }
                Ended::Fatal(err) => {
                    self.report.emit(LiveEvent::Link(Link::Offline {
                        reason: err.to_string(),
                    }));
                    self.report.emit(LiveEvent::Stopped(err));
                    return;
                }
            };
            self.open_gap();
            let wait = self.reconnects.failed(
                &Backoff::reconnect(),
                retry_after,
                now_ms(),
                &mut js_sys::Math::random,
            );
            let attempt = self.reconnects.failures();
            self.report.emit(LiveEvent::Link(Link::Waiting {
                attempt,
                reason: reason.clone(),
                retry_at_ms: (now_ms() + wait.as_secs_f64() * 1000.0) as u64,
            }));
            gloo_timers::future::sleep(wait).await;
            self.report
                .emit(LiveEvent::Link(Link::Reconnecting { attempt, reason }));
        }
    }

    /// One connection's life: identity (once), channel, socket, backfill, then frames until it drops.
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
        let connection = match Connection::open(connect_uri) {
            Ok(connection) => connection,
            Err(reason) => return Ended::dropped(reason),
        };
        self.last_contact_ms.get_or_insert_with(now_ms);
        // Events missed while the socket was down: re-read the active conversations.
        self.start_backfill();
        self.stream(connection).await
    }

    /// Who is signed in, and the topics and gap-search targets of the watch mode.
    async fn identify(&mut self) -> Result<(), ApiError> {
        let me = match self.me.take() {
            Some(me) => me,
            None => self.api.me().await?,
        };
        let mut topics = vec![user_conversations_topic(&me.id)];
        let (queues, watched) = match &self.watch {
            Watch::Me => (Vec::new(), Watched::Me),
            Watch::MyQueues => {
                let queues = self.api.my_queues().await?;
                let ids = queues.iter().map(|q| q.id.clone()).collect();
                (queues, Watched::Queues(ids))
            }
            Watch::Queues(ids) => (self.api.queues(ids).await?, Watched::Queues(ids.clone())),
            Watch::Agents(ids) => (Vec::new(), Watched::Agents(ids.clone())),
        };
        match &watched {
            Watched::Me => {}
            Watched::Queues(ids) => {
                topics.extend(ids.iter().map(|id| queue_conversations_topic(id)))
            }
            Watched::Agents(ids) => topics.extend(
                ids.iter()
                    .map(|id| user_conversations_topic(id))
                    .filter(|topic| topic != &user_conversations_topic(&me.id)),
            ),
        }
        if topics.len() > MAX_TOPICS_PER_CHANNEL {
            let over: Vec<String> = topics
                .split_off(MAX_TOPICS_PER_CHANNEL)
                .into_iter()
                .map(|topic| {
                    format!(
                        "{topic} (not watched: one channel takes at most {MAX_TOPICS_PER_CHANNEL} topics; pick fewer queues or agents)"
                    )
                })
                .collect();
            self.report.emit(LiveEvent::Rejected(over));
        }
        self.topics = topics;
        self.watched = watched;
        self.report.emit(LiveEvent::Identity { me, queues });
        if let Some(resume) = self.resume.take()
            && let Ok(Some(point)) = resume.await
            && self.gap.is_none()
        {
            self.gap = Some(OpenGap::resumed(point));
        }
        Ok(())
    }

    /// The channel to connect to: the current one while it exists, else a new one subscribed to the topics.
    async fn ensure_channel(&mut self) -> Result<String, ApiError> {
        if let Some(channel) = &self.channel
            && self.api.channel_exists(&channel.id).await?
        {
            return Ok(channel.connect_uri.clone());
        }
        self.channel = None;
        let created_ms = now_ms();
        let fresh = self.api.create_channel().await?;
        let answer = self.api.subscribe(&fresh.id, &self.topics).await?;
        self.report_rejected(&answer);
        self.renew_at_ms = channel_life::renew_at_ms(created_ms, fresh.expires.as_deref());
        self.renew_every_ms = self.renew_at_ms.map_or(0.0, |at| at - created_ms);
        let uri = fresh.connect_uri.clone();
        self.channel = Some(fresh);
        Ok(uri)
    }

    fn report_rejected(&self, answer: &[ChannelTopic]) {
        let rejected: Vec<String> = answer
            .iter()
            .filter(|t| t.is_rejected())
            .map(|t| match &t.rejection_reason {
                Some(reason) => format!("{} ({reason})", t.id),
                None => t.id.clone(),
            })
            .collect();
        if !rejected.is_empty() {
            self.report.emit(LiveEvent::Rejected(rejected));
        }
    }

    /// Read the sockets until the link drops, answering look-ups, backfills and recovery as they complete.
    async fn stream(&mut self, mut connection: Connection) -> Ended {
        let mut ticks = notify::ticks().fuse();
        let mut quiet = Duration::ZERO;
        let mut since_ping = Duration::ZERO;
        let mut live = false;
        let ended = loop {
            let step = futures::select! {
                (socket, input) = connection.inputs.select_next_some() => Step::Socket(socket, input),
                () = ticks.select_next_some() => Step::Tick,
                lookup = self.lookups.select_next_some() => Step::Names(lookup),
                backfill = &mut self.backfill => Step::Backfilled(backfill),
                read = self.reads.select_next_some() => Step::Read(read),
                searched = self.searches.select_next_some() => Step::Searched(searched),
                renewed = &mut self.renewal => Step::Renewed(renewed),
            };
            let result = match step {
                Step::Names(lookup) => self.settle_lookup(lookup),
                Step::Backfilled(backfill) => self.settle_backfill(backfill),
                Step::Read(read) => self.settle_read(read),
                Step::Searched(searched) => {
                    self.settle_search(searched);
                    Ok(())
                }
                Step::Renewed(renewed) => match self.settle_renewal(renewed) {
                    Ok(()) => Ok(()),
                    Err(ended) => break ended,
                },
                Step::Socket(socket, SocketInput::Closed(reason)) => {
                    match connection.sockets.closed(socket) {
                        ClosedSocket::Retired => Ok(()),
                        ClosedSocket::LinkLost => break Ended::dropped(reason),
                    }
                }
                Step::Socket(socket, SocketInput::Frame(frame)) => {
                    if let Some(retiring) = connection.sockets.frame(socket) {
                        // The new socket speaks, so nothing can fall between the two.
                        connection.close_socket(retiring).await;
                    }
                    if reports_channel_gone(&frame) {
                        self.channel = None;
                        break Ended::Dropped {
                            reason: "the platform says the notification channel is gone".into(),
                            retry_after: Some(Duration::ZERO),
                        };
                    }
                    if socket == connection.sockets.current() {
                        quiet = Duration::ZERO;
                        self.last_contact_ms = Some(now_ms());
                        self.mark_live(&mut live);
                    }
                    // Frames from a retiring socket count too: the tracker reports each leg once.
                    let ingested = self.tracker.ingest_frame(&frame);
                    self.report.emit(LiveEvent::Frame(frame));
                    match ingested.kind {
                        FrameKind::Heartbeat | FrameKind::Pong => {
                            self.report.emit(LiveEvent::Heartbeat)
                        }
                        FrameKind::SocketClosing => {
                            if let Some(next) = connection.sockets.closing(socket) {
                                self.hand_over(&mut connection, next).await;
                                quiet = Duration::ZERO;
                            }
                        }
                        FrameKind::Malformed { reason } => {
                            self.report.emit(LiveEvent::Malformed(reason))
                        }
                        FrameKind::Conversation { .. } | FrameKind::Other { .. } => {}
                    }
                    self.deliver(ingested.outcomes, false);
                    Ok(())
                }
                Step::Tick => {
                    quiet += Duration::from_secs(1);
                    since_ping += Duration::from_secs(1);
                    if quiet >= QUIET_BUT_OPEN {
                        self.mark_live(&mut live);
                    }
                    if quiet >= SILENCE_LIMIT {
                        break Ended::dropped(format!(
                            "no heartbeat for {} s",
                            SILENCE_LIMIT.as_secs()
                        ));
                    }
                    if since_ping >= PING_EVERY {
                        since_ping = Duration::ZERO;
                        let current = connection.sockets.current();
                        if let Some(writer) = connection.writer(current)
                            && let Err(err) = writer.ping().await
                        {
                            break Ended::dropped(format!("ping failed: {err}"));
                        }
                    }
                    self.retry_due_work();
                    self.report_open_conversations();
                    Ok(())
                }
            };
            if let Err(err) = result {
                break Ended::Fatal(err);
            }
        };
        connection.close_all().await;
        ended
    }

    /// `socket_closing`: open socket `next` on the same channel and ping it, so it speaks soon and the
    /// old one can be closed with nothing missed in between. If it cannot open, the old one serves on.
    async fn hand_over(&mut self, connection: &mut Connection, next: SocketId) {
        if let Err(reason) = connection.add_socket(next) {
            self.report.emit(LiveEvent::Malformed(format!(
                "could not open the replacement socket: {reason}"
            )));
            return;
        }
        if let Some(writer) = connection.writer(next) {
            // Waits for the socket to open; an error shows up as its close.
            let _ = writer.ping().await;
        }
    }

    /// Every few seconds, tell the saver which conversations are open when that changed, so a reload
    /// can read them by id (they may end while the page is away, and no search finds a conversation that
    /// started long before the gap).
    fn report_open_conversations(&mut self) {
        self.since_open_report += Duration::from_secs(1);
        if self.since_open_report < OPEN_REPORT_EVERY {
            return;
        }
        self.since_open_report = Duration::ZERO;
        let mut open = self.tracker.open_conversation_ids();
        open.sort_unstable();
        if open != self.open_reported {
            self.open_reported = open.clone();
            self.report.emit(LiveEvent::OpenConversations(open));
        }
    }

    /// The first sign of a working socket: report Live once, reset the reconnect backoff and recover
    /// the gap that ended here.
    fn mark_live(&mut self, live: &mut bool) {
        if !*live {
            *live = true;
            self.reconnects.succeeded();
            self.report.emit(LiveEvent::Link(Link::Live));
            self.close_gap();
        }
    }

    /// Report outcomes (live, or `recovered` after a gap) and, when it changed, the ACW list; ask for
    /// names of ids not seen before.
    fn deliver(&mut self, outcomes: Vec<WrapUpOutcome>, recovered: bool) {
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
            self.report.emit(if recovered {
                LiveEvent::RecoveredOutcomes(outcomes)
            } else {
                LiveEvent::Outcomes(outcomes)
            });
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
                self.deliver(outcomes, true);
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

    /// Once a second: name look-ups, a backfill whose wait after a failure is over, recovery work due
    /// and the channel's renewal.
    fn retry_due_work(&mut self) {
        let now = now_ms();
        self.ask_names();
        if self.backfill.is_terminated() && self.backfill_retry.is_some_and(|s| s.is_due(now)) {
            self.start_backfill();
        }
        self.pump_recovery();
        if self.renewal.is_terminated()
            && let (Some(at), Some(channel)) = (self.renew_at_ms, &self.channel)
            && now >= at
        {
            let (api, id, topics) = (self.api.clone(), channel.id.clone(), self.topics.clone());
            self.renewal = async move { api.subscribe(&id, &topics).await }
                .boxed_local()
                .fuse();
        }
    }

    /// The subscriptions were PUT again: the channel lives another day. A channel found gone ends the link.
    fn settle_renewal(&mut self, renewed: Renewal) -> Result<(), Ended> {
        let now = now_ms();
        match renewed {
            Ok(answer) => {
                self.report_rejected(&answer);
                self.renew_at_ms = Some(now + self.renew_every_ms.max(RENEW_RETRY_MS));
                Ok(())
            }
            Err(ApiError::NotFound { .. }) => {
                self.channel = None;
                Err(Ended::Dropped {
                    reason: "the notification channel expired".into(),
                    retry_after: Some(Duration::ZERO),
                })
            }
            Err(err) if err.needs_sign_in() => Err(Ended::Fatal(err)),
            Err(_) => {
                self.renew_at_ms = Some(now + RENEW_RETRY_MS);
                Ok(())
            }
        }
    }
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}
