//! One component per file, named after what it shows. Components render state and raise
//! callbacks; they never fetch or open sockets.

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
pub mod notice;
pub mod session_countdown;
pub mod sign_in_card;
pub mod top_bar;
