//! Every session action in each phase where it matters, against the state it must leave.

use std::time::Duration;

use super::*;
use crate::types::sign_in::{RefreshToken, TokenGrant};
use wrapup_core::oauth::state::WatchMode;

fn launch() -> Launch {
    Launch::from_query([("sim", "http://127.0.0.1:8787")]).expect("a simulator launch")
}

fn signed_in() -> Rc<SessionState> {
    Rc::new(SessionState::new(Phase::SignedIn {
        launch: launch(),
        token: AccessToken::new("bearer-secret-123"),
        expires_at_ms: Some(1_000.0),
    }))
}

fn signed_out() -> Rc<SessionState> {
    Rc::new(SessionState::new(Phase::SignedOut {
        launch: launch(),
        problem: None,
    }))
}

fn me() -> UserMe {
    UserMe {
        id: "u-1".into(),
        name: Some("Supervisor".into()),
        email: None,
    }
}

fn queue(id: &str) -> NamedEntity {
    NamedEntity {
        id: id.into(),
        name: Some(format!("Queue {id}")),
    }
}

fn names_setback(ids: &[&str]) -> Setback {
    Setback::Names {
        ids: ids.iter().map(|id| (*id).to_owned()).collect(),
        reason: "rate limited".into(),
        retry_in: Duration::from_secs(2),
    }
}

fn backfill_setback() -> Setback {
    Setback::Backfill {
        reason: "rate limited".into(),
        retry_in: Duration::from_secs(60),
    }
}

/// A signed-in session that has learnt something of every kind.
fn busy() -> Rc<SessionState> {
    signed_in()
        .reduce(SessionAction::Identity {
            me: me(),
            queues: vec![queue("q1")],
        })
        .reduce(SessionAction::Link(Link::Live))
        .reduce(SessionAction::Heartbeat)
        .reduce(SessionAction::Malformed("not JSON".into()))
        .reduce(SessionAction::Rejected(vec![
            "v2.users.x.conversations".into(),
        ]))
        .reduce(SessionAction::Setback(backfill_setback()))
}

#[test]
fn identity_records_the_user_and_the_watched_queues() {
    let state = signed_in().reduce(SessionAction::Identity {
        me: me(),
        queues: vec![queue("q1"), queue("q2")],
    });
    assert_eq!(state.me, Some(me()));
    assert_eq!(state.queues, vec![queue("q1"), queue("q2")]);
    assert!(matches!(state.phase, Phase::SignedIn { .. }));
}

#[test]
fn the_link_follows_the_engine_and_heartbeats_are_counted() {
    let state = signed_in().reduce(SessionAction::Link(Link::Connecting));
    assert_eq!(state.link, Some(Link::Connecting));
    let state = state
        .reduce(SessionAction::Link(Link::Live))
        .reduce(SessionAction::Heartbeat)
        .reduce(SessionAction::Heartbeat);
    assert_eq!(state.link, Some(Link::Live));
    assert_eq!(state.heartbeats, 2);
    let dropped = Link::Reconnecting {
        attempt: 1,
        reason: "no heartbeat for 35 s".into(),
    };
    let state = state.reduce(SessionAction::Link(dropped.clone()));
    assert_eq!(state.link, Some(dropped));
    assert_eq!(state.heartbeats, 2, "a drop does not forget the count");
}

#[test]
fn malformed_frames_are_counted_with_the_last_reason() {
    let state = signed_in()
        .reduce(SessionAction::Malformed("truncated JSON".into()))
        .reduce(SessionAction::Malformed("no topicName".into()));
    assert_eq!(state.malformed, 2);
    assert_eq!(state.last_malformed.as_deref(), Some("no topicName"));
}

#[test]
fn rejected_topics_are_replaced_by_the_latest_subscription_result() {
    let state = signed_in()
        .reduce(SessionAction::Rejected(vec!["a".into(), "b".into()]))
        .reduce(SessionAction::Rejected(vec!["c".into()]));
    assert_eq!(state.rejected_topics, ["c"]);
}

#[test]
fn one_setback_per_kind_until_it_recovers() {
    let state = signed_in()
        .reduce(SessionAction::Setback(names_setback(&["c1"])))
        .reduce(SessionAction::Setback(backfill_setback()))
        .reduce(SessionAction::Setback(names_setback(&["c1", "u2"])));
    assert_eq!(
        state.setbacks,
        [names_setback(&["c1", "u2"]), backfill_setback()],
        "the newer names setback replaces the older one in place"
    );
    let state = state.reduce(SessionAction::Recovered(Recovery::Names));
    assert_eq!(state.setbacks, [backfill_setback()]);
    let state = state.reduce(SessionAction::Recovered(Recovery::Names));
    assert_eq!(
        state.setbacks,
        [backfill_setback()],
        "recovering twice is harmless"
    );
}

#[test]
fn expiry_while_signed_in_keeps_what_is_shown_and_drops_the_token() {
    let before = busy();
    let state = before
        .clone()
        .reduce(SessionAction::Expired("Sign in again".into()));
    assert_eq!(
        state.phase,
        Phase::Expired {
            launch: launch(),
            problem: "Sign in again".into()
        }
    );
    assert_eq!(state.link, None, "no engine runs any more");
    assert!(
        state.setbacks.is_empty(),
        "nothing is being retried any more"
    );
    assert_eq!(state.me, before.me, "the top bar still says who it was");
    assert_eq!(state.queues, before.queues);
    assert_eq!(state.heartbeats, before.heartbeats);
    assert!(!format!("{state:?}").contains("bearer-secret-123"));
}

#[test]
fn an_engine_winding_down_after_expiry_does_not_bring_a_link_back() {
    let expired = busy().reduce(SessionAction::Expired("Sign in again".into()));
    let state = expired.clone().reduce(SessionAction::Link(Link::Waiting {
        attempt: 1,
        reason: "401".into(),
        retry_at_ms: 0,
    }));
    assert_eq!(
        state.link, None,
        "the pill stays Offline until signed in again"
    );
    assert_eq!(state.phase, expired.phase);
}

#[test]
fn a_failure_while_signed_in_also_offers_sign_in_again() {
    let state = busy().reduce(SessionAction::Failed("Genesys Cloud refused".into()));
    assert_eq!(
        state.phase,
        Phase::Expired {
            launch: launch(),
            problem: "Genesys Cloud refused".into()
        }
    );
}

#[test]
fn a_failure_while_signed_out_is_shown_on_the_sign_in_card() {
    let state = signed_out().reduce(SessionAction::Failed("sessionStorage blocked".into()));
    assert_eq!(
        state.phase,
        Phase::SignedOut {
            launch: launch(),
            problem: Some("sessionStorage blocked".into())
        }
    );
    let state = state.reduce(SessionAction::Expired("later".into()));
    assert_eq!(
        state.phase,
        Phase::SignedOut {
            launch: launch(),
            problem: Some("later".into())
        },
        "the latest problem is the one shown"
    );
}

#[test]
fn expired_and_bad_launch_phases_ignore_further_failures() {
    let expired = busy().reduce(SessionAction::Expired("first".into()));
    let again = expired
        .clone()
        .reduce(SessionAction::Failed("second".into()));
    assert_eq!(again.phase, expired.phase, "the first explanation stays");

    let bad = Rc::new(SessionState::new(Phase::BadLaunch("env is unknown".into())));
    let after = bad.clone().reduce(SessionAction::Expired("x".into()));
    assert_eq!(*after, *bad);
}

#[test]
fn sign_out_forgets_everything_but_the_launch() {
    let fresh = SessionState::new(Phase::SignedOut {
        launch: launch(),
        problem: None,
    });
    assert_eq!(*busy().reduce(SessionAction::SignOut), fresh);
    let expired = busy().reduce(SessionAction::Expired("gone".into()));
    assert_eq!(*expired.reduce(SessionAction::SignOut), fresh);
}

#[test]
fn sign_out_when_not_signed_in_changes_nothing() {
    let out = signed_out().reduce(SessionAction::Failed("denied".into()));
    assert_eq!(*out.clone().reduce(SessionAction::SignOut), *out);
    let bad = Rc::new(SessionState::new(Phase::BadLaunch("no env".into())));
    assert_eq!(*bad.clone().reduce(SessionAction::SignOut), *bad);
}

#[test]
fn the_token_never_shows_in_debug_output() {
    let state = signed_in();
    let printed = format!("{state:?}");
    assert!(!printed.contains("bearer-secret-123"), "{printed}");
    assert!(printed.contains("<redacted>"), "{printed}");
    assert!(printed.contains("expires_at_ms: Some(1000.0)"), "{printed}");
}

fn grant(token: &str, refresh: Option<&str>) -> TokenGrant {
    TokenGrant {
        token: AccessToken::new(token),
        expires_at_ms: Some(9_000.0),
        refresh_token: refresh.map(RefreshToken::new),
    }
}

fn completing(watch: WatchMode) -> Rc<SessionState> {
    use crate::types::sign_in::{Completion, SignInReturn};
    Rc::new(SessionState::new(Phase::CompletingSignIn {
        launch: launch(),
        sign_in: SignInReturn {
            completion: Completion::Token(grant("from-fragment", None)),
            watch,
        },
    }))
}

fn token_of(state: &SessionState) -> Option<&str> {
    match &state.phase {
        Phase::SignedIn { token, .. } => Some(token.secret()),
        _ => None,
    }
}

#[test]
fn a_completed_sign_in_signs_in_with_the_watch_mode_from_the_state() {
    let state = completing(WatchMode::Me).reduce(SessionAction::SignedIn(grant("t1", Some("r1"))));
    assert_eq!(token_of(&state), Some("t1"));
    assert_eq!(state.expires_at_ms(), Some(9_000.0));
    assert_eq!(state.watching, Watch::Me);
    assert_eq!(state.refresh_token, Some(RefreshToken::new("r1")));
    assert_eq!(state.phase.launch(), Some(&launch()));
}

#[test]
fn a_failed_completion_goes_back_to_the_card_with_the_reason() {
    let state = completing(WatchMode::Queues).reduce(SessionAction::Failed("invalid_grant".into()));
    assert_eq!(
        state.phase,
        Phase::SignedOut {
            launch: launch(),
            problem: Some("invalid_grant".into())
        }
    );
}

#[test]
fn a_refresh_replaces_the_token_and_keeps_the_old_refresh_token_if_none_is_issued() {
    let state = completing(WatchMode::Queues)
        .reduce(SessionAction::SignedIn(grant("t1", Some("r1"))))
        .reduce(SessionAction::Heartbeat)
        .reduce(SessionAction::SignedIn(grant("t2", None)));
    assert_eq!(token_of(&state), Some("t2"));
    assert_eq!(state.refresh_token, Some(RefreshToken::new("r1")));
    assert_eq!(state.heartbeats, 1, "the session's other facts stay");
}

#[test]
fn a_401_with_a_refresh_token_refreshes_instead_of_expiring() {
    let state = completing(WatchMode::Queues)
        .reduce(SessionAction::SignedIn(grant("t1", Some("r1"))))
        .reduce(SessionAction::Expired("401".into()));
    assert_eq!(token_of(&state), Some("t1"));
    assert_eq!(state.renewal, Renewal::RefreshNow);
    // A second 401 while refreshing changes nothing; a refused refresh then expires the session.
    let again = state.clone().reduce(SessionAction::Expired("401".into()));
    assert_eq!(again.renewal, Renewal::RefreshNow);
    let refused = again.reduce(SessionAction::RefreshFailed("invalid_grant".into()));
    assert!(matches!(&refused.phase, Phase::Expired { problem, .. } if problem == "invalid_grant"));
    assert_eq!(refused.refresh_token, None);
    // A successful refresh instead signs in again quietly.
    let refreshed = state.reduce(SessionAction::SignedIn(grant("t2", Some("r2"))));
    assert_eq!(token_of(&refreshed), Some("t2"));
    assert_eq!(refreshed.renewal, Renewal::Quiet);
}

#[test]
fn without_a_refresh_token_renewal_is_offered_then_a_401_expires() {
    let due = signed_in().reduce(SessionAction::RenewalDue);
    assert_eq!(due.renewal, Renewal::Due { problem: None });
    let expired = due.reduce(SessionAction::Expired("401".into()));
    assert!(matches!(expired.phase, Phase::Expired { .. }));
    assert_eq!(expired.renewal, Renewal::Quiet);
}

#[test]
fn a_background_refresh_that_fails_offers_renewal_with_the_reason() {
    let state = completing(WatchMode::Queues)
        .reduce(SessionAction::SignedIn(grant("t1", Some("r1"))))
        .reduce(SessionAction::RefreshFailed(
            "unsupported_grant_type".into(),
        ));
    assert_eq!(token_of(&state), Some("t1"), "the token still works");
    assert_eq!(state.refresh_token, None);
    assert_eq!(
        state.renewal,
        Renewal::Due {
            problem: Some("unsupported_grant_type".into())
        }
    );
}

#[test]
fn the_refresh_token_never_shows_in_debug_output() {
    let state = completing(WatchMode::Queues).reduce(SessionAction::SignedIn(grant(
        "bearer-secret-9",
        Some("refresh-secret-9"),
    )));
    let printed = format!("{state:?}");
    assert!(
        !printed.contains("secret-9") && !printed.contains("from-fragment"),
        "{printed}"
    );
}

#[test]
fn the_agents_mode_watches_the_persons_queues_until_agents_are_picked() {
    let state = completing(WatchMode::Agents).reduce(SessionAction::SignedIn(grant("t1", None)));
    assert_eq!(state.watching, Watch::MyQueues);
}

#[test]
fn a_new_watch_replaces_the_old_and_forgets_its_refused_topics() {
    let state = signed_in()
        .reduce(SessionAction::Rejected(vec![
            "v2.routing.queues.q1.conversations".into(),
        ]))
        .reduce(SessionAction::Watch(Watch::Agents(vec![
            "u1".into(),
            "u2".into(),
        ])));
    assert_eq!(
        state.watching,
        Watch::Agents(vec!["u1".into(), "u2".into()])
    );
    assert!(state.rejected_topics.is_empty());
    // The same watch again changes nothing (the engine is not restarted for it).
    let again = state
        .clone()
        .reduce(SessionAction::Rejected(vec!["t".into()]))
        .reduce(SessionAction::Watch(Watch::Agents(vec![
            "u1".into(),
            "u2".into(),
        ])));
    assert_eq!(again.rejected_topics, vec!["t".to_owned()]);
}

#[test]
fn watch_choices_are_kept_as_they_arrive_and_cleared_on_sign_out() {
    let queues = Rc::new(vec![NamedEntity {
        id: "q1".into(),
        name: Some("Billing".into()),
    }]);
    let loaded = WatchChoices::Loaded {
        queues,
        agents: Rc::new(Vec::new()),
    };
    let state = signed_in()
        .reduce(SessionAction::WatchChoices(WatchChoices::Loading))
        .reduce(SessionAction::WatchChoices(loaded.clone()));
    assert_eq!(state.watch_choices, loaded);
    let out = state.reduce(SessionAction::SignOut);
    assert_eq!(out.watch_choices, WatchChoices::NotAsked);
    assert_eq!(out.watching, Watch::MyQueues);
}

#[test]
fn a_popup_return_completes_like_a_redirect_but_not_twice() {
    use crate::types::sign_in::{Completion, SignInReturn};
    let returned = SignInReturn {
        completion: Completion::Token(grant("from-popup", None)),
        watch: WatchMode::Me,
    };
    let completing_now = signed_out().reduce(SessionAction::Returned(returned.clone()));
    assert_eq!(
        completing_now.phase,
        Phase::CompletingSignIn {
            launch: launch(),
            sign_in: returned.clone()
        }
    );
    // A second answer while one is being finished is ignored; a popup cannot restart a bad launch.
    let again = completing_now
        .clone()
        .reduce(SessionAction::Returned(returned.clone()));
    assert_eq!(again.phase, completing_now.phase);
    let bad = Rc::new(SessionState::new(Phase::BadLaunch("x".into())))
        .reduce(SessionAction::Returned(returned.clone()));
    assert_eq!(bad.phase, Phase::BadLaunch("x".into()));
    let signed = completing_now.reduce(SessionAction::SignedIn(grant("t", None)));
    assert_eq!(token_of(&signed), Some("t"));
    assert_eq!(signed.watching, Watch::Me);
}

#[test]
fn a_host_stop_pauses_and_forgets_the_role_until_shown_again() {
    use crate::types::shared::LinkRole;
    let leading = signed_in().reduce(SessionAction::Role(Some(LinkRole::Leading)));
    assert_eq!(leading.role, Some(LinkRole::Leading));
    let stopped = leading.reduce(SessionAction::HostStopped(true));
    assert!(stopped.host_stopped);
    assert_eq!(stopped.role, None);
    assert!(token_of(&stopped).is_some(), "a pause keeps the sign-in");
    let shown = stopped.reduce(SessionAction::HostStopped(false));
    assert!(!shown.host_stopped);
}
