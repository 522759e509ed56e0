//! Serves a built `dist/` over loopback HTTP for the e2e tier. `trunk serve` rebuilds on file
//! changes, which tests never need, and its file watcher has crashed a run; a plain static server
//! has no watcher and serves exactly what `cargo xtask dist` ships.

use std::net::TcpListener;
use std::path::Path;
use std::thread;

use anyhow::{Context, Result};
use tower_http::services::ServeDir;

/// A static site on a free loopback port; it lives as long as the xtask process.
pub struct StaticSite {
    /// Where it listens, e.g. `http://127.0.0.1:40123`.
    pub url: String,
}

/// Serve `dir` (its `index.html` at `/`) on a free loopback port, from a background thread.
pub fn serve(dir: &Path) -> Result<StaticSite> {
    let listener = TcpListener::bind("127.0.0.1:0").context("binding a loopback port")?;
    listener.set_nonblocking(true)?;
    let url = format!("http://{}", listener.local_addr()?);
    let app = axum::Router::new().fallback_service(ServeDir::new(dir));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .context("starting the static server's runtime")?;
    thread::spawn(move || {
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener)
                .expect("a std listener converts inside its runtime");
            axum::serve(listener, app)
                .await
                .expect("the static server stops only with the process");
        })
    });
    Ok(StaticSite { url })
}
