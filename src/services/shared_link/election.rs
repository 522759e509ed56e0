//! Who leads the shared link, decided over a `BroadcastChannel` alone: Web Locks (and storage) are
//! refused to a third-party frame when the browser blocks third-party storage, which is how Genesys
//! Cloud frames this app. Pure: the caller feeds messages and clock ticks and sends what it is told.
//!
//! A newcomer asks who leads; a leader answers at once, so a lone instance claims after [`ASK_WAIT_MS`]
//! instead of listening out a heartbeat (the feed's first row waits for this). The leader says so every
//! second. A follower that has not heard it for [`LEADER_SILENCE_MS`] (or heard it say goodbye) claims,
//! and leads if no better claim or leader answers within [`CLAIM_WAIT_MS`]. The oldest instance wins a
//! contest, so the longest-open window keeps the link.

use serde::{Deserialize, Serialize};

/// How often the leader says it leads.
pub const HEARTBEAT_EVERY_MS: f64 = 1_000.0;
/// Silence from the leader after which a follower claims.
pub const LEADER_SILENCE_MS: f64 = 3_000.0;
/// How long a claim waits for a better claim or a leader before it leads. Instances of one browser
/// hear each other within milliseconds; if a busy page answers later, the younger of two leaders
/// steps down on hearing the older, so a short wait costs at most a briefly doubled connection.
pub const CLAIM_WAIT_MS: f64 = 100.0;
/// How long a newcomer waits for an answer to "who leads?" before it claims.
pub const ASK_WAIT_MS: f64 = 100.0;

/// One instance taking part: when it joined (ms since epoch) and a random id to break ties.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// When the instance joined the election.
    pub joined_ms: f64,
    /// Random, unique per instance.
    pub id: String,
}

impl Candidate {
    /// Whether `self` wins a contest with `other`: the older one, then the smaller id.
    pub fn beats(&self, other: &Candidate) -> bool {
        (self.joined_ms, &self.id) < (other.joined_ms, &other.id)
    }
}

/// What instances say in the election.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Vote {
    /// "Who leads?" (a newcomer).
    Ask { from: Candidate },
    /// "I lead."
    Leading { from: Candidate },
    /// "Nobody leads; I will unless you object."
    Claim { from: Candidate },
    /// "I led and I am going."
    Bye { from: Candidate },
}

/// Where this instance stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Standing {
    /// Another instance leads, or this one waits to claim.
    Following,
    /// This instance claimed at `since_ms` and waits for objections.
    Claiming { since_ms: f64 },
    /// This instance leads; it last said so at `said_ms`.
    Leading { said_ms: f64 },
}

/// One instance's view of the election.
#[derive(Clone, Debug)]
pub struct Election {
    me: Candidate,
    standing: Standing,
    /// When a leader (or a better claim) was last heard; a newcomer counts its arrival as such, so
    /// it listens for a leader before claiming.
    heard_ms: f64,
}

impl Election {
    /// `me` joins at `me.joined_ms`, following until a leader answers [`Election::ask`] or
    /// [`ASK_WAIT_MS`] passes.
    pub fn new(me: Candidate) -> Self {
        let heard_ms = me.joined_ms - LEADER_SILENCE_MS + ASK_WAIT_MS;
        Self {
            me,
            standing: Standing::Following,
            heard_ms,
        }
    }

    /// Whether this instance leads.
    pub fn leads(&self) -> bool {
        matches!(self.standing, Standing::Leading { .. })
    }

    /// What a newcomer says first.
    pub fn ask(&self) -> Vote {
        Vote::Ask {
            from: self.me.clone(),
        }
    }

    /// Another instance said `vote` at `now_ms`; what to say back, if anything.
    pub fn heard(&mut self, vote: &Vote, now_ms: f64) -> Option<Vote> {
        match vote {
            Vote::Ask { .. } => match self.standing {
                Standing::Leading { .. } => Some(self.leading(now_ms)),
                Standing::Claiming { .. } => Some(Vote::Claim {
                    from: self.me.clone(),
                }),
                Standing::Following => None,
            },
            Vote::Leading { from } => {
                if self.leads() && self.me.beats(from) {
                    // Two leaders after a race: the weaker one steps down on hearing this.
                    return Some(self.leading(now_ms));
                }
                self.standing = Standing::Following;
                self.heard_ms = now_ms;
                None
            }
            Vote::Claim { from } => match self.standing {
                Standing::Leading { .. } => Some(self.leading(now_ms)),
                Standing::Claiming { .. } if from.beats(&self.me) => {
                    self.standing = Standing::Following;
                    self.heard_ms = now_ms;
                    None
                }
                Standing::Claiming { .. } => Some(Vote::Claim {
                    from: self.me.clone(),
                }),
                Standing::Following => {
                    if !from.beats(&self.me) && self.heard_ms + LEADER_SILENCE_MS <= now_ms {
                        // A weaker claim while nobody leads: claim too, and win.
                        self.standing = Standing::Claiming { since_ms: now_ms };
                        return Some(Vote::Claim {
                            from: self.me.clone(),
                        });
                    }
                    self.heard_ms = self.heard_ms.max(now_ms);
                    None
                }
            },
            Vote::Bye { .. } => {
                if self.leads() {
                    return None;
                }
                self.standing = Standing::Claiming { since_ms: now_ms };
                Some(Vote::Claim {
                    from: self.me.clone(),
                })
            }
        }
    }

    /// Time passed; what to say now, if anything.
    pub fn tick(&mut self, now_ms: f64) -> Option<Vote> {
        match self.standing {
            Standing::Following if now_ms - self.heard_ms >= LEADER_SILENCE_MS => {
                self.standing = Standing::Claiming { since_ms: now_ms };
                Some(Vote::Claim {
                    from: self.me.clone(),
                })
            }
            Standing::Following => None,
            Standing::Claiming { since_ms } if now_ms - since_ms >= CLAIM_WAIT_MS => {
                Some(self.leading(now_ms))
            }
            Standing::Claiming { .. } => None,
            Standing::Leading { said_ms } if now_ms - said_ms >= HEARTBEAT_EVERY_MS => {
                Some(self.leading(now_ms))
            }
            Standing::Leading { .. } => None,
        }
    }

    /// Leaving: a leader says goodbye so the next one need not wait out the silence.
    pub fn leave(&self) -> Option<Vote> {
        self.leads().then(|| Vote::Bye {
            from: self.me.clone(),
        })
    }

    fn leading(&mut self, now_ms: f64) -> Vote {
        self.standing = Standing::Leading { said_ms: now_ms };
        Vote::Leading {
            from: self.me.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(joined_ms: f64, id: &str) -> Candidate {
        Candidate {
            joined_ms,
            id: id.into(),
        }
    }

    /// Instances on one channel: every vote reaches every other instance at once. Runs the clock in
    /// 100 ms steps until `until_ms`; `gone` instances neither hear nor speak from `gone_at_ms`.
    fn run(elections: &mut [Election], from_ms: f64, until_ms: f64, gone: &[(usize, f64)]) {
        let mut now = from_ms;
        while now <= until_ms {
            let alive = |i: usize, now: f64| !gone.iter().any(|&(g, at)| g == i && now >= at);
            let mut said: Vec<(usize, Vote)> = Vec::new();
            for (i, e) in elections.iter_mut().enumerate() {
                if alive(i, now)
                    && let Some(v) = e.tick(now)
                {
                    said.push((i, v));
                }
            }
            while let Some((speaker, vote)) = said.pop() {
                for (i, e) in elections.iter_mut().enumerate() {
                    if i != speaker
                        && alive(i, now)
                        && let Some(answer) = e.heard(&vote, now)
                    {
                        said.push((i, answer));
                    }
                }
            }
            now += 100.0;
        }
    }

    fn leaders(elections: &[Election]) -> Vec<usize> {
        (0..elections.len())
            .filter(|&i| elections[i].leads())
            .collect()
    }

    #[test]
    fn a_lone_instance_leads_after_asking_briefly() {
        let mut one = [Election::new(candidate(0.0, "a"))];
        run(&mut one, 0.0, 100.0, &[]);
        assert!(
            leaders(&one).is_empty(),
            "still waiting for an answer, then for objections"
        );
        run(&mut one, 200.0, 300.0, &[]);
        assert_eq!(
            leaders(&one),
            vec![0],
            "leads within {} ms",
            ASK_WAIT_MS + CLAIM_WAIT_MS
        );
    }

    #[test]
    fn a_leader_answers_a_newcomer_at_once() {
        let mut leader = Election::new(candidate(0.0, "a"));
        leader.tick(200.0);
        leader.tick(400.0);
        assert!(leader.leads());
        let mut newcomer = Election::new(candidate(10_000.0, "b"));
        let answer = leader.heard(&newcomer.ask(), 10_000.0).expect("an answer");
        assert_eq!(newcomer.heard(&answer, 10_001.0), None);
        for now in [10_300.0, 12_000.0, 12_900.0] {
            assert_eq!(newcomer.tick(now), None, "follows, does not claim");
        }
        assert!(!newcomer.leads());
    }

    #[test]
    fn instances_starting_together_agree_on_the_oldest() {
        let mut three = [
            Election::new(candidate(10.0, "c")),
            Election::new(candidate(0.0, "b")),
            Election::new(candidate(0.0, "a")),
        ];
        run(&mut three, 10.0, 5_000.0, &[]);
        assert_eq!(leaders(&three), vec![2], "oldest, then smallest id");
    }

    #[test]
    fn a_newcomer_follows_the_leader_it_hears() {
        let mut two = [
            Election::new(candidate(0.0, "z")),
            Election::new(candidate(5_000.0, "a")),
        ];
        run(&mut two, 0.0, 4_000.0, &[]);
        assert_eq!(leaders(&two), vec![0]);
        run(&mut two, 4_100.0, 20_000.0, &[]);
        assert_eq!(
            leaders(&two),
            vec![0],
            "a younger instance never takes over a live leader"
        );
    }

    #[test]
    fn when_the_leader_goes_silent_exactly_one_other_takes_over() {
        let mut three = [
            Election::new(candidate(0.0, "a")),
            Election::new(candidate(1.0, "b")),
            Election::new(candidate(2.0, "c")),
        ];
        run(&mut three, 0.0, 3_000.0, &[]);
        assert_eq!(leaders(&three), vec![0]);
        // The leading frame is removed without a word.
        // Its last word came at most a heartbeat before it went; the others wait out the silence.
        let waited_until = 3_100.0 - HEARTBEAT_EVERY_MS + LEADER_SILENCE_MS - 100.0;
        run(&mut three, 3_100.0, waited_until, &[(0, 3_100.0)]);
        let after: Vec<usize> = leaders(&three).into_iter().filter(|&i| i != 0).collect();
        assert!(after.is_empty(), "others wait out the silence first");
        run(&mut three, waited_until + 100.0, 9_000.0, &[(0, 3_100.0)]);
        let after: Vec<usize> = leaders(&three).into_iter().filter(|&i| i != 0).collect();
        assert_eq!(after, vec![1], "the oldest remaining instance leads");
    }

    #[test]
    fn a_goodbye_hands_over_without_waiting_out_the_silence() {
        let mut two = [
            Election::new(candidate(0.0, "a")),
            Election::new(candidate(1.0, "b")),
        ];
        run(&mut two, 0.0, 3_000.0, &[]);
        let bye = two[0].leave().expect("the leader says goodbye");
        assert_eq!(
            two[1].heard(&bye, 3_050.0),
            Some(Vote::Claim {
                from: candidate(1.0, "b")
            })
        );
        run(&mut two[1..], 3_100.0, 3_800.0, &[]);
        assert!(two[1].leads());
        assert_eq!(
            two[1].leave(),
            Some(Vote::Bye {
                from: candidate(1.0, "b")
            })
        );
        assert_eq!(
            Election::new(candidate(0.0, "x")).leave(),
            None,
            "a follower leaves quietly"
        );
    }

    #[test]
    fn of_two_leaders_after_a_race_the_younger_steps_down() {
        let mut old = Election::new(candidate(0.0, "a"));
        let mut young = Election::new(candidate(1.0, "b"));
        old.tick(3_000.0);
        old.tick(3_700.0);
        young.tick(3_000.0);
        young.tick(3_700.0);
        assert!(old.leads() && young.leads());
        let old_says = Vote::Leading {
            from: candidate(0.0, "a"),
        };
        assert_eq!(young.heard(&old_says, 3_800.0), None);
        assert!(!young.leads());
        let young_says = Vote::Leading {
            from: candidate(1.0, "b"),
        };
        assert_eq!(old.heard(&young_says, 3_800.0), Some(old_says));
        assert!(old.leads());
    }

    #[test]
    fn votes_travel_as_json() {
        let vote = Vote::Claim {
            from: candidate(12.5, "id-1"),
        };
        let json = serde_json::to_string(&vote).unwrap();
        assert_eq!(serde_json::from_str::<Vote>(&json).unwrap(), vote);
    }
}
