//! One sign-in's live link: join the browser's shared link, follow its leader until this instance
//! leads, then run the engine and forward what it reports to the followers (and follow again if
//! another instance turns out to lead). A hand-over resumes from
//! the last event this instance saw, so the engine recovers what ended while nobody led.

use std::rc::Rc;
use std::time::Duration;

use futures::channel::oneshot;
use futures::future::{self, Either};
use wrapup_core::directory::UserMe;
use wrapup_core::retry::Backoff;
use yew::Callback;

use super::saving::Saving;
use crate::services::api::Api;
use crate::services::live::LiveEngine;
use crate::services::shared_link::SharedLink;
use crate::types::live::{Link, LiveEvent, Watch};
use crate::types::saved::ResumePoint;
use crate::types::shared::LinkRole;

/// What a link run needs from the page.
pub struct LinkRun {
    /// The signed-in client.
    pub api: Api,
    /// The OAuth client id (instances of different clients hold different channels).
    pub client_id: String,
    /// What the feed watches.
    pub watching: Watch,
    /// Where engine events go on this page (the router).
    pub report: Callback<LiveEvent>,
    /// Told when this instance follows, then leads.
    pub role: Callback<Option<LinkRole>>,
    /// This sign-in's saver, for the resume point.
    pub saving: Rc<Saving>,
    /// Where the page's previous run stood, if it ran before (paused by the host, another watch).
    pub carried: Option<ResumePoint>,
}

impl LinkRun {
    /// Run until dropped, or until the engine stops for good.
    pub async fn run(self) {
        self.report.emit(LiveEvent::Link(Link::Connecting));
        let Some(me) = self.who_am_i().await else {
            return;
        };
        let link = SharedLink::new(self.api.platform(), &self.client_id, &me.id, &self.watching);
        loop {
            let following = link.follow(self.report.clone());
            self.role.emit(Some(LinkRole::Following));
            let mut leadership = link.lead().await;
            drop(following);
            self.role.emit(Some(LinkRole::Leading));
            let forwarding = link.forward();
            let report = {
                let report = self.report.clone();
                Callback::from(move |event: LiveEvent| {
                    if let Some(forwarding) = &forwarding {
                        forwarding.send(&event);
                    }
                    report.emit(event)
                })
            };
            let engine = LiveEngine::new(self.api.clone(), report)
                .signed_in_as(me.clone())
                .watching(self.watching.clone())
                .resuming(self.resume_point())
                .run();
            let lost = leadership.lost();
            match future::select(Box::pin(engine), Box::pin(lost)).await {
                // The engine stopped for good (it said why).
                Either::Left(_) => return,
                // Two instances led at once and the other won: follow it again.
                Either::Right(_) => continue,
            }
        }
    }

    /// The signed-in user (instances of different users never share; the engine takes it as read),
    /// retried while the failure is passing; a refused token is reported as the engine would.
    async fn who_am_i(&self) -> Option<UserMe> {
        let backoff = Backoff::request();
        let mut attempt = 0;
        loop {
            match self.api.me().await {
                Ok(me) => return Some(me),
                Err(err) if err.is_transient() => {
                    attempt += 1;
                    let wait = backoff
                        .next_delay(attempt, None, Duration::ZERO, &mut js_sys::Math::random)
                        .unwrap_or(Duration::from_secs(30));
                    gloo_timers::future::sleep(wait).await;
                }
                Err(err) => {
                    self.report.emit(LiveEvent::Stopped(err));
                    return None;
                }
            }
        }
    }

    /// Where the engine recovers from: where this page stands if it knows (it followed a leader until
    /// now, or an earlier run stood somewhere), else the saved feed's point once `users/me` answers.
    fn resume_point(&self) -> oneshot::Receiver<Option<ResumePoint>> {
        let (sender, receiver) = oneshot::channel();
        if self.saving.saver.resumed() {
            let _ = sender.send(self.saving.saver.resume_point());
        } else if let Some(carried) = self.carried.clone() {
            let _ = sender.send(Some(carried));
        } else {
            *self.saving.resume.borrow_mut() = Some(sender);
        }
        receiver
    }
}
