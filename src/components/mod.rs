//! One component per file, named after what it shows. Components render state and raise
//! callbacks; they never fetch or open sockets.

pub mod analytics_panel;
pub mod connection_pill;
pub mod feed;
pub mod feed_announcer;
pub mod feed_batch;
pub mod feed_chart;
pub mod feed_counts;
pub mod feed_list;
pub mod feed_row;
pub mod feed_toolbar;
pub mod history;
pub mod interaction;
pub mod lag_probe_view;
pub mod leg_verdict;
pub mod link_role;
pub mod lookup_form;
pub mod lookup_status;
pub mod notice;
pub mod realtime_compare;
pub mod session_countdown;
pub mod sign_in_card;
pub mod timeline;
pub mod top_bar;
pub mod verdict_list;
pub mod watch_picker;
