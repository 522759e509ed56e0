//! wrapup-live: a Genesys Cloud wrap-up widget in Yew. Data flows one way: `services` turn network
//! traffic into `types`, wrapup-core turns them into facts, `state` holds them, `components` render.

pub mod app;
pub mod components;
pub mod i18n;
pub mod services;
pub mod state;
pub mod types;
pub mod view;

pub use app::App;
