//! The record as swimlanes (SVG): one lane per participant (customer, IVR, ACD, each agent leg), each segment a
//! bar on one time axis, wrap-up segments highlighted with their code, and each lane's metrics in readable
//! units (they are milliseconds). Layout comes from `wrapup_core::lookup::timeline`.

use std::rc::Rc;

use wrapup_core::lookup::timeline::{Bar, Lane, readable_ms, timeline};
use wrapup_core::model::analytics::Conversation;
use yew::prelude::*;

use crate::components::leg_verdict::code_shown;
use crate::i18n::{t, t_args};
use crate::state::feed::Directory;

// Close to the panel's width, so text in the SVG stays near its CSS size.
const WIDTH: f64 = 480.0;
const LABEL: f64 = 118.0;
const LANE: f64 = 40.0;
const AXIS: f64 = 26.0;
const TOP: f64 = 6.0;

/// Props for [`Timeline`].
#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    /// The analytics record.
    pub record: Rc<Conversation>,
    /// Names of users and codes, where known.
    pub directory: Rc<Directory>,
}

fn lane_label(lane: &Lane, directory: &Directory) -> String {
    let who = lane
        .user_id
        .as_deref()
        .and_then(|u| directory.user_name(u))
        .map(str::to_owned)
        .or_else(|| lane.name.clone());
    match who {
        Some(who) => format!("{}: {who}", lane.purpose),
        None => lane.purpose.clone(),
    }
}

/// A lane label that fits the label column; the whole label is in its tooltip and the metrics table.
fn short_label(label: &str) -> String {
    const MAX: usize = 17;
    if label.chars().count() <= MAX {
        label.to_owned()
    } else {
        format!("{}…", label.chars().take(MAX - 1).collect::<String>())
    }
}

fn bar_title(bar: &Bar, directory: &Directory) -> String {
    let end = bar
        .end_ms
        .map_or_else(|| t("timeline-open"), |e| format!("+{}", readable_ms(e)));
    let mut title = format!("{} +{} → {end}", bar.kind, readable_ms(bar.start_ms));
    if let Some(code) = &bar.code {
        let code = code_shown(directory, code);
        title.push_str(&t_args("timeline-bar-code", &[("code", code.into())]));
    }
    if let Some(disconnect) = &bar.disconnect {
        let disconnect = disconnect.as_str();
        title.push_str(&t_args(
            "timeline-bar-disconnect",
            &[("disconnect", disconnect.into())],
        ));
    }
    title
}

/// The chart and the metrics under it.
#[function_component(Timeline)]
pub fn timeline_view(props: &TimelineProps) -> Html {
    let chart = timeline(&props.record);
    let scale = (WIDTH - LABEL - 24.0) / chart.span_ms as f64;
    let x = |ms: i64| LABEL + ms as f64 * scale;
    let height = TOP + chart.lanes.len() as f64 * LANE + AXIS;
    let ticks: Vec<i64> = (0..=4).map(|i| chart.span_ms * i / 4).collect();
    let directory = &props.directory;
    html! {
        <section class="timeline" aria-label={t("timeline-title")} data-testid="timeline">
            <h3>{ t("timeline-title") }</h3>
            <p class="timeline-origin">
                { "0 = " }<code>{ chart.origin.clone().unwrap_or_else(|| t("timeline-no-start")) }</code>
                { t_args("timeline-span", &[("span", readable_ms(chart.span_ms).into())]) }
            </p>
            <svg class="timeline-chart" viewBox={format!("0 0 {WIDTH} {height}")} role="img"
                aria-label={t_args("timeline-chart-label", &[("count", chart.lanes.len().into())])}>
                { for chart.lanes.iter().enumerate().map(|(i, lane)| {
                    let y = TOP + i as f64 * LANE;
                    html! {
                        <g class={classes!("timeline-lane", lane.is_agent().then_some("timeline-lane-agent"))}
                            data-participant-id={lane.participant_id.clone().unwrap_or_default()} data-purpose={lane.purpose.clone()}>
                            <rect class="timeline-lane-bg" x="0" y={y.to_string()} width={WIDTH.to_string()} height={LANE.to_string()} />
                            <text class="timeline-label" x="4" y={(y + 25.0).to_string()}>{ short_label(&lane_label(lane, directory)) }<title>{ lane_label(lane, directory) }</title></text>
                            { for lane.bars.iter().map(|bar| {
                                let start = x(bar.start_ms);
                                let end = x(bar.end_ms.unwrap_or(chart.span_ms));
                                let width = (end - start).max(if bar.is_wrapup() { 4.0 } else { 1.5 });
                                let class = classes!(
                                    "segment", format!("segment-{}", bar.kind),
                                    bar.end_ms.is_none().then_some("segment-open"),
                                    bar.code.is_some().then_some("segment-coded"),
                                );
                                html! {
                                    <g data-segment={bar.kind.clone()}>
                                        <rect class={class} x={start.to_string()} y={(y + 16.0).to_string()}
                                            width={width.to_string()} height={(LANE - 22.0).to_string()} rx="2">
                                            <title>{ bar_title(bar, directory) }</title>
                                        </rect>
                                        if let Some(code) = bar.code.as_deref().filter(|_| bar.is_wrapup()) {
                                            <text class="segment-code" x={(start + width).min(WIDTH - 2.0).to_string()}
                                                y={(y + 12.0).to_string()} text-anchor="end">
                                                { directory.code_text(code).unwrap_or_else(|| code.to_owned()) }
                                            </text>
                                        }
                                    </g>
                                }
                            }) }
                        </g>
                    }
                }) }
                { for ticks.iter().map(|tick| {
                    let tx = x(*tick);
                    let axis_y = TOP + chart.lanes.len() as f64 * LANE;
                    html! {
                        <g class="timeline-tick">
                            <line x1={tx.to_string()} x2={tx.to_string()} y1={TOP.to_string()} y2={(axis_y + 4.0).to_string()} />
                            <text x={tx.to_string()} y={(axis_y + 18.0).to_string()} text-anchor="middle">{ format!("+{}", readable_ms(*tick)) }</text>
                        </g>
                    }
                }) }
            </svg>
            <div class="timeline-legend">
                <span class="legend legend-interact">{ t("timeline-legend-interact") }</span>
                <span class="legend legend-alert">{ t("timeline-legend-alert") }</span>
                <span class="legend legend-hold">{ t("timeline-legend-other") }</span>
                <span class="legend legend-wrapup">{ t("timeline-legend-wrapup") }</span>
                <span class="legend legend-open">{ t("timeline-legend-open") }</span>
            </div>
            <table class="timeline-metrics" data-testid="timeline-metrics">
                <thead><tr><th>{ t("col-participant") }</th><th>{ t("timeline-col-metrics") }</th></tr></thead>
                <tbody>
                    { for chart.lanes.iter().filter(|l| !l.metrics.is_empty()).map(|lane| html! {
                        <tr data-participant-id={lane.participant_id.clone().unwrap_or_default()}>
                            <td>{ lane_label(lane, directory) }</td>
                            <td class="metric-list">
                                { for lane.metrics.iter().map(|(name, value)| {
                                    let shown = if name.starts_with('t') { readable_ms(*value) } else { value.to_string() };
                                    html! {
                                        <span class="metric" data-metric={name.clone()} data-value={value.to_string()}
                                            title={format!("{name} = {value}{}", if name.starts_with('t') { " ms" } else { "" })}>
                                            <code>{ name.clone() }</code>{ " " }{ shown }
                                        </span>
                                    }
                                }) }
                            </td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}
