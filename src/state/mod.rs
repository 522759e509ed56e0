//! Reducers (`impl Reducible`) holding what the widget knows; pure and natively testable.

pub mod feed;
pub mod history;
pub mod interaction;
pub mod lag_probe;
pub mod lookup;
pub mod session;
