//! Properties of query planning: windows tile the interval exactly, the pager never yields a duplicate and always
//! stops, and backoff delays stay within their bounds.

use std::collections::HashSet;
use std::time::Duration;

use proptest::prelude::*;
use time::OffsetDateTime;
use wrapup_core::query::{DetailsQuery, Interval, Pager, split_interval};
use wrapup_core::retry::Backoff;

fn instant(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_714_000_000 + seconds).unwrap()
}

proptest! {
    #[test]
    fn windows_tile_the_interval_without_gaps_or_overlap(start in 0i64..1_000_000, length in 0i64..5_000_000, window in 0u64..200_000) {
        let (from, to) = (instant(start), instant(start + length));
        let windows = split_interval(from, to, Duration::from_secs(window));
        if length == 0 {
            prop_assert!(windows.is_empty());
        } else {
            prop_assert_eq!(windows.first().unwrap().start, from);
            prop_assert_eq!(windows.last().unwrap().end, to);
            for pair in windows.windows(2) {
                prop_assert_eq!(pair[0].end, pair[1].start);
            }
            for w in &windows {
                prop_assert!(w.start < w.end);
                if window > 0 {
                    prop_assert!(w.length() <= Duration::from_secs(window));
                }
                // The text form reads back to the same window (second precision here).
                prop_assert_eq!(Interval::parse(&w.to_string()).unwrap(), *w);
            }
        }
    }

    #[test]
    fn the_pager_never_yields_a_duplicate_and_always_stops(
        pages in prop::collection::vec(prop::collection::vec(0u8..30, 0..6), 1..40),
        total in prop::option::of(0u64..100),
    ) {
        let interval = Interval::new(instant(0), instant(86_400)).unwrap();
        let mut pager = Pager::new(DetailsQuery::new(interval).page_size(5));
        let mut seen = HashSet::new();
        let mut requests = 0;
        for page in pages {
            if pager.next_request().is_none() {
                break;
            }
            requests += 1;
            let ids: Vec<String> = page.iter().map(|n| format!("c{n}")).collect();
            for id in pager.accept(ids, total, |s| Some(s.as_str())) {
                prop_assert!(seen.insert(id), "duplicate yielded");
            }
        }
        // 30 distinct ids and at least one new id per page that continues: paging cannot run past 31 pages.
        prop_assert!(requests <= 31);
        prop_assert_eq!(pager.unique_count(), seen.len());
    }

    #[test]
    fn backoff_delays_stay_within_jitter_cap_and_deadline(
        attempt in 0u32..64, r in 0.0f64..1.0, jitter in 0.0f64..=1.0, elapsed in 0i64..1_000, retry_after in prop::option::of(0u64..120),
    ) {
        let backoff = Backoff { base: Duration::from_millis(500), factor: 2.0, cap: Duration::from_secs(30), deadline: Duration::from_secs(600), jitter };
        match backoff.next_delay(attempt, retry_after.map(Duration::from_secs), Duration::from_secs(elapsed as u64), &mut || r) {
            Some(delay) => {
                prop_assert!(Duration::from_secs(elapsed as u64) + delay <= backoff.deadline);
                match retry_after {
                    Some(seconds) => prop_assert_eq!(delay, Duration::from_secs(seconds)),
                    None => {
                        prop_assert!(delay <= backoff.cap);
                        let raw = (0.5 * 2f64.powi(attempt as i32)).min(30.0);
                        prop_assert!(delay.as_secs_f64() >= raw * (1.0 - jitter) - 1e-6);
                    }
                }
            }
            None => {
                let longest = retry_after.map_or(backoff.cap, Duration::from_secs);
                prop_assert!(Duration::from_secs(elapsed as u64) + Duration::from_millis(1) > backoff.deadline.saturating_sub(longest));
            }
        }
    }
}
