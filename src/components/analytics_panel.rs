//! The analytics panel beside the feed: a tab strip and the open tab. "Conversation" (one conversation,
//! looked up and explained) is always there; "History" (many conversations) shows only when its view is given.

use yew::prelude::*;

use crate::i18n::t;

/// The panel's tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnalyticsTab {
    /// One conversation: lookup, verdicts, timeline, real-time comparison.
    Conversation,
    /// Many conversations: interval queries and jobs (mounted by the app when available).
    History,
    /// The analytics lag measured on wrap-ups seen live (mounted by the app when signed in).
    Lag,
}

impl AnalyticsTab {
    /// A name for tests and styles, the same in every language.
    fn key(self) -> &'static str {
        match self {
            Self::Conversation => "Conversation",
            Self::History => "History",
            Self::Lag => "Lag probe",
        }
    }

    fn label(self) -> String {
        match self {
            Self::Conversation => t("tab-conversation"),
            Self::History => t("tab-history"),
            Self::Lag => t("tab-lag-probe"),
        }
    }
}

/// Props for [`AnalyticsPanel`].
#[derive(Properties, PartialEq)]
pub struct AnalyticsPanelProps {
    /// The "Conversation" tab's content.
    pub conversation: Html,
    /// The "History" tab's content; the tab is left out when `None`.
    #[prop_or_default]
    pub history: Option<Html>,
    /// The "Lag probe" tab's content; the tab is left out when `None`.
    #[prop_or_default]
    pub lag: Option<Html>,
    /// Counts conversations opened; each new one brings the Conversation tab forward.
    #[prop_or_default]
    pub opened: u32,
}

/// The panel: an `<aside>` with one tab per view.
#[function_component(AnalyticsPanel)]
pub fn analytics_panel(props: &AnalyticsPanelProps) -> Html {
    let open = use_state(|| AnalyticsTab::Conversation);
    let tabs: Vec<AnalyticsTab> = std::iter::once(AnalyticsTab::Conversation)
        .chain(props.history.is_some().then_some(AnalyticsTab::History))
        .chain(props.lag.is_some().then_some(AnalyticsTab::Lag))
        .collect();
    let shown = if tabs.contains(&*open) {
        *open
    } else {
        AnalyticsTab::Conversation
    };
    {
        let open = open.clone();
        use_effect_with(props.opened, move |_| open.set(AnalyticsTab::Conversation));
    }
    // Every tab stays mounted (the inactive one hidden), so a running history job or a lookup
    // keeps going while the other tab is in front.
    let panel = |tab: AnalyticsTab, content: Html| {
        html! {
            <div class="analytics-tab-panel" role="tabpanel" aria-label={tab.label()} hidden={tab != shown}>
                { content }
            </div>
        }
    };
    html! {
        <aside class="analytics-panel" aria-label={t("analytics-label")} data-testid="analytics-panel" data-tab={shown.key()}>
            <div class="analytics-tabs" role="tablist" aria-label={t("tabs-label")}>
                { for tabs.iter().map(|tab| {
                    let selected = *tab == shown;
                    let onclick = { let (open, tab) = (open.clone(), *tab); Callback::from(move |_: MouseEvent| open.set(tab)) };
                    html! {
                        <button type="button" role="tab" aria-selected={selected.to_string()}
                            class={classes!("analytics-tab", selected.then_some("analytics-tab-selected"))} {onclick}>
                            { tab.label() }
                        </button>
                    }
                }) }
            </div>
            { panel(AnalyticsTab::Conversation, props.conversation.clone()) }
            { for props.history.clone().map(|history| panel(AnalyticsTab::History, history)) }
            { for props.lag.clone().map(|lag| panel(AnalyticsTab::Lag, lag)) }
        </aside>
    }
}
