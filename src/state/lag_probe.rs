//! The lag probe's facts: whether it runs, what it is measuring, and the lags measured so far.

use std::rc::Rc;
use std::time::Duration;

use wrapup_core::lookup::lag::{LagStats, lag_stats};
use yew::Reducible;

use crate::types::lag::{LagEvent, ProbeTarget};

/// Samples kept (the oldest are dropped; the statistics follow the kept ones).
pub const MAX_SAMPLES: usize = 500;

/// The probe, as the panel shows it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LagProbeState {
    /// Measuring is switched on.
    pub on: bool,
    /// The wrap-up being looked for in analytics now.
    pub measuring: Option<ProbeTarget>,
    /// Wrap-ups measured, newest last, with their lag.
    pub samples: Vec<(ProbeTarget, Duration)>,
    /// Wrap-ups not indexed within the give-up time.
    pub gave_up: usize,
    /// The last failed request, until the next success.
    pub problem: Option<String>,
}

impl LagProbeState {
    /// The distribution of the kept samples.
    pub fn stats(&self) -> Option<LagStats> {
        let lags: Vec<Duration> = self.samples.iter().map(|(_, lag)| *lag).collect();
        lag_stats(&lags)
    }
}

/// What changes the probe's state.
#[derive(Clone, Debug, PartialEq)]
pub enum LagProbeAction {
    /// Switch measuring on or off (samples stay).
    Switch(bool),
    /// The probe reported.
    Event(LagEvent),
}

impl Reducible for LagProbeState {
    type Action = LagProbeAction;

    fn reduce(self: Rc<Self>, action: LagProbeAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            LagProbeAction::Switch(on) => {
                next.on = on;
                if !on {
                    next.measuring = None;
                    next.problem = None;
                }
            }
            // A probe winding down after being switched off says nothing more.
            LagProbeAction::Event(_) if !next.on => return self,
            LagProbeAction::Event(event) => match event {
                LagEvent::Measuring(target) => next.measuring = target,
                LagEvent::Measured { target, lag } => {
                    next.samples.push((target, lag));
                    if next.samples.len() > MAX_SAMPLES {
                        next.samples.remove(0);
                    }
                    next.measuring = None;
                    next.problem = None;
                }
                LagEvent::GaveUp(_) => {
                    next.gave_up += 1;
                    next.measuring = None;
                }
                LagEvent::Problem(problem) => next.problem = Some(problem),
            },
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(id: &str) -> ProbeTarget {
        ProbeTarget {
            conversation_id: id.into(),
            participant_id: format!("{id}-agent"),
            code: "code-1".into(),
            seen_live_ms: 1_000,
        }
    }

    fn reduce(state: Rc<LagProbeState>, actions: Vec<LagProbeAction>) -> Rc<LagProbeState> {
        actions.into_iter().fold(state, |s, a| s.reduce(a))
    }

    #[test]
    fn samples_give_the_distribution_and_a_give_up_is_counted_apart() {
        let measured = |id: &str, secs: u64| {
            LagProbeAction::Event(LagEvent::Measured {
                target: target(id),
                lag: Duration::from_secs(secs),
            })
        };
        let state = reduce(
            Rc::default(),
            vec![
                LagProbeAction::Switch(true),
                LagProbeAction::Event(LagEvent::Measuring(Some(target("a")))),
                measured("a", 40),
                measured("b", 20),
                LagProbeAction::Event(LagEvent::Problem("503".into())),
                measured("c", 30),
                LagProbeAction::Event(LagEvent::GaveUp(target("d"))),
            ],
        );
        let stats = state.stats().unwrap();
        assert_eq!(stats.samples, 3);
        assert_eq!(stats.p50, Duration::from_secs(30));
        assert_eq!(stats.max, Duration::from_secs(40));
        assert_eq!(state.gave_up, 1);
        assert_eq!(state.problem, None, "a success clears the last problem");
        assert_eq!(state.measuring, None);
    }

    #[test]
    fn switched_off_it_keeps_its_samples_and_ignores_a_late_report() {
        let state = reduce(
            Rc::default(),
            vec![
                LagProbeAction::Switch(true),
                LagProbeAction::Event(LagEvent::Measured {
                    target: target("a"),
                    lag: Duration::from_secs(9),
                }),
                LagProbeAction::Switch(false),
                LagProbeAction::Event(LagEvent::Measuring(Some(target("b")))),
            ],
        );
        assert!(!state.on);
        assert_eq!(state.measuring, None);
        assert_eq!(state.samples.len(), 1);
    }
}
