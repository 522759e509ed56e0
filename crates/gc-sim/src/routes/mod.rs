//! The HTTP surface: `/api/v2` (one module per resource, each with its own router), the login
//! host, the notification socket and the `/sim` admin API, plus their shared plumbing in `http`.

pub mod admin;
pub mod analytics;
pub mod auth;
pub mod conversations;
pub mod directory;
pub mod http;
pub mod notifications;

use std::sync::Arc;

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::get;

use crate::store::Sim;

/// Builds the HTTP app: `/api/v2` (auth, limits, faults), login routes, the socket and `/sim`.
pub fn app(sim: Arc<Sim>) -> Router {
    let api = Router::new()
        .merge(auth::api_router())
        .merge(directory::router())
        .merge(conversations::router())
        .merge(notifications::router())
        .merge(analytics::router())
        .fallback(http::api_not_found)
        .layer(from_fn_with_state(sim.clone(), http::api_middleware));
    Router::new()
        .nest("/api/v2", api)
        .merge(auth::login_router())
        .route("/channels/{id}", get(notifications::socket::upgrade))
        .nest("/sim", admin::router())
        .layer(http::cors_layer())
        .layer(from_fn_with_state(sim.clone(), http::log_middleware))
        .with_state(sim)
}
