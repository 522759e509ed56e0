//! One component per file, named after what it shows. Components render state and raise
//! callbacks; they never fetch or open sockets.

pub mod acw_list;
pub mod connection_pill;
pub mod feed;
pub mod feed_row;
pub mod notice;
pub mod session_countdown;
pub mod sign_in_card;
pub mod top_bar;
