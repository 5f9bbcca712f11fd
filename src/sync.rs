//! Pulls the server's change feed into the cache, page by page, until caught up.

use gloo_net::http::Request;
use vecinos_core::{ChangePage, ErrorBody};

use crate::cache::{Cache, CacheError};

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("no connection to the server")]
    Network,
    #[error("the server answered {status}: {message}")]
    Server { status: u16, message: String },
    #[error(transparent)]
    Cache(#[from] CacheError),
}

/// Fetches and applies pages from `base` (an origin such as "" for this site, or
/// "http://127.0.0.1:8080") until the server says there is no more. Returns how many changes
/// were applied.
pub async fn pull(cache: &Cache, base: &str) -> Result<usize, SyncError> {
    let mut applied = 0;
    loop {
        let cursor = cache.cursor().await?;
        let url = format!("{base}/api/v1/changes?since={}", cursor.0);
        let response = Request::get(&url).send().await.map_err(|_| SyncError::Network)?;
        if !response.ok() {
            let status = response.status();
            let message = match response.json::<ErrorBody>().await {
                Ok(body) => body.message,
                Err(_) => response.status_text(),
            };
            return Err(SyncError::Server { status, message });
        }
        let page: ChangePage = response.json().await.map_err(|e| SyncError::Server {
            status: 200,
            message: format!("unreadable change page: {e}"),
        })?;
        if cache.apply(&page).await? {
            applied += page.changes.len();
        }
        if !page.more {
            return Ok(applied);
        }
    }
}
