//! The only code that touches the network or browser storage. Each service returns domain types
//! or [`error::ApiError`].

pub mod api;
pub mod auth;
pub mod error;
pub mod live;
pub mod notify;
