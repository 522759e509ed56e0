//! Outcomes over time: a small inline SVG of stacked bars per time bucket (no chart library).

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::{t, t_args};

/// Bars drawn at most.
pub const MAX_BARS: i64 = 48;
/// Bucket sizes tried, in minutes: the smallest that fits the span in [`MAX_BARS`] wins.
const BUCKET_MINUTES: [i64; 6] = [1, 5, 15, 30, 60, 240];

/// Props for [`FeedChart`].
#[derive(Properties, PartialEq)]
pub struct FeedChartProps {
    /// Rows per minute (ms / 60 000) per outcome, in `OUTCOMES` order.
    pub per_minute: Rc<BTreeMap<i64, [u32; 4]>>,
}

/// Stacked outcome counts per bucket, the newest bucket on the right.
#[function_component(FeedChart)]
pub fn feed_chart(props: &FeedChartProps) -> Html {
    let (Some((&first, _)), Some((&last, _))) = (
        props.per_minute.first_key_value(),
        props.per_minute.last_key_value(),
    ) else {
        return html! {};
    };
    let size = BUCKET_MINUTES
        .into_iter()
        .find(|m| (last - first) / m < MAX_BARS)
        .unwrap_or(BUCKET_MINUTES[BUCKET_MINUTES.len() - 1]);
    let last_bucket = last.div_euclid(size);
    let first_bucket = (first.div_euclid(size)).max(last_bucket - MAX_BARS + 1);
    let mut bars = vec![[0u32; 4]; (last_bucket - first_bucket + 1) as usize];
    for (minute, counts) in props.per_minute.range(first_bucket * size..) {
        let bar = &mut bars[(minute.div_euclid(size) - first_bucket) as usize];
        for (sum, n) in bar.iter_mut().zip(counts) {
            *sum += n;
        }
    }
    let peak = bars
        .iter()
        .map(|b| b.iter().sum::<u32>())
        .max()
        .unwrap_or(1)
        .max(1);
    let (width, height, gap) = (240.0_f64, 48.0_f64, 1.0_f64);
    let bar_width = width / MAX_BARS as f64;
    let offset = (MAX_BARS as usize - bars.len()) as f64 * bar_width;
    let classes = [
        "bar-submitted",
        "bar-timed-out",
        "bar-skipped",
        "bar-not-required",
    ];
    let rects = bars.iter().enumerate().flat_map(|(i, bar)| {
        let x = offset + i as f64 * bar_width;
        let mut y = height;
        bar.iter()
            .zip(classes)
            .filter(|(n, _)| **n > 0)
            .map(|(n, class)| {
                let h = f64::from(*n) / f64::from(peak) * height;
                y -= h;
                html! {
                    <rect class={class} x={format!("{x:.1}")} y={format!("{y:.1}")}
                        width={format!("{:.1}", bar_width - gap)} height={format!("{h:.1}")} />
                }
            })
            .collect::<Vec<_>>()
    });
    let total: u32 = bars.iter().flatten().sum();
    let label = t_args(
        "chart-label",
        &[
            ("bucket", bucket_words(size).into()),
            ("buckets", bars.len().into()),
            ("total", total.into()),
            ("peak", peak.into()),
        ],
    );
    html! {
        <figure class="feed-chart" data-testid="feed-chart">
            <svg viewBox={format!("0 0 {width} {height}")} preserveAspectRatio="none" role="img" aria-label={label.clone()}>
                <title>{ label }</title>
                { for rects }
            </svg>
            <figcaption>{ t_args("chart-caption", &[("bucket", bucket_words(size).into()), ("peak", peak.into())]) }</figcaption>
        </figure>
    }
}

fn bucket_words(minutes: i64) -> String {
    match minutes {
        1 => t("chart-bucket-minute"),
        m if m % 60 == 0 => t_args("chart-bucket-hours", &[("hours", (m / 60).into())]),
        m => t_args("chart-bucket-minutes", &[("minutes", m.into())]),
    }
}
