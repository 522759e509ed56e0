//! wrapup-core: the Genesys Cloud data model and the pure logic behind wrapup-live.
//! No browser types, no I/O, no clocks: compiled natively (CLI, tests) and to wasm32 (widget).

pub mod directory;
pub mod export;
pub mod history;
pub mod oauth;
pub mod platform;

pub mod diagnosis;
pub mod lookup;
pub mod model;
pub mod query;
pub mod recovery;
pub mod retry;
pub mod tracker;
