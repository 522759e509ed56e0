//! The values services and state both speak: engine events, link state, names, the sign-in and
//! the one error type. Services produce them, state keeps them, components show them; no I/O here.

pub mod error;
pub mod history;
pub mod host;
pub mod interaction;
pub mod lag;
pub mod live;
pub mod lookup;
pub mod names;
pub mod saved;
pub mod shared;
pub mod sign_in;
