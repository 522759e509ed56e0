//! Verdict counts of a history search as horizontal SVG bars (no chart library), one per verdict found.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::t_args;
use crate::state::history::VerdictKey;

/// Props for [`VerdictChart`].
#[derive(Properties, PartialEq)]
pub struct VerdictChartProps {
    /// Agent legs per verdict.
    pub counts: Rc<BTreeMap<VerdictKey, usize>>,
}

/// One bar per verdict with its count.
#[function_component(VerdictChart)]
pub fn verdict_chart(props: &VerdictChartProps) -> Html {
    if props.counts.is_empty() {
        return html! {};
    }
    let peak = props.counts.values().copied().max().unwrap_or(1).max(1);
    let (label_width, bar_width, row) = (150.0_f64, 240.0_f64, 20.0_f64);
    let height = row * props.counts.len() as f64;
    let total: usize = props.counts.values().sum();
    let bars = props.counts.iter().enumerate().map(|(i, (key, count))| {
        let verdict = key.verdict().as_str();
        let y = i as f64 * row;
        let width = (*count as f64 / peak as f64 * bar_width).max(1.0);
        html! {
            <g class={format!("verdict-{verdict}")} data-verdict={verdict} data-count={count.to_string()}>
                <text x="0" y={format!("{:.1}", y + 14.0)} class="chart-label">{ verdict }</text>
                <rect x={format!("{label_width}")} y={format!("{:.1}", y + 3.0)} width={format!("{width:.1}")} height="14" />
                <text x={format!("{:.1}", label_width + width + 4.0)} y={format!("{:.1}", y + 14.0)} class="chart-count">{ count }</text>
            </g>
        }
    });
    let label = format!(
        "{}: {}",
        t_args("history-chart-label", &[("total", total.into())]),
        props
            .counts
            .iter()
            .map(|(k, n)| format!("{} {n}", k.verdict().as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    html! {
        <figure class="history-chart" data-testid="history-chart">
            <svg viewBox={format!("0 0 {} {height}", label_width + bar_width + 48.0)} role="img" aria-label={label.clone()}
                width={format!("{}", label_width + bar_width + 48.0)} height={format!("{height}")}>
                <title>{ label }</title>
                { for bars }
            </svg>
            <figcaption>{ t_args("history-chart-caption", &[("total", total.into())]) }</figcaption>
        </figure>
    }
}
