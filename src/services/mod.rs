//! The only code that touches the network or browser storage. Each service returns domain types
//! from [`crate::types`] or [`crate::types::error::ApiError`].

pub mod api;
pub mod auth;
pub mod context;
pub mod files;
pub mod history;
pub mod host;
pub mod js_json;
pub mod lag_probe;
pub mod live;
pub mod lookup;
pub mod notify;
pub mod shared_link;
pub mod store;
