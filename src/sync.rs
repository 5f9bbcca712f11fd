//! Pulls the server's change feed into the cache, page by page, until caught up.
//!
//! Each page is fetched first and only then applied in its own IndexedDB transaction: no network
//! request is awaited while a transaction is open (IndexedDB would commit it early). When the
//! server answers `resync` (the cursor is older than its tombstone horizon, or belongs to another
//! database), the cache forgets every record and pulls again from the start; the outbox stays.

use vecinos_core::RESYNC;

use crate::api::{self, Refusal, SyncError};
use crate::cache::{Cache, FeedPage};

/// Fetches and applies pages from `base` (an origin such as "" for this site, or
/// "http://127.0.0.1:8080") until the server says there is no more. Returns how many changes
/// were applied, a rebuild counting as one: zero means the cache did not change.
///
/// The next page is requested as soon as a page has been read, so it downloads while the current
/// one is written to IndexedDB (the transaction never waits for it).
pub async fn pull(cache: &Cache, base: &str) -> Result<usize, SyncError> {
    let mut applied = 0;
    let mut rebuilt = false;
    let mut request = api::changes(base, cache.cursor().await?.0)?;
    loop {
        let (status, body) = api::response(request).await?;
        if status != 200 {
            let error = Refusal::read(&body);
            if !rebuilt && error.as_ref().is_some_and(|e| e.code == RESYNC) {
                cache.reset().await?;
                rebuilt = true;
                applied += 1;
                request = api::changes(base, cache.cursor().await?.0)?;
                continue;
            }
            let message = error.map_or(body, |e| e.message);
            return Err(SyncError::Server { status, message });
        }
        let page = FeedPage::parse(&body).map_err(|_| SyncError::Server {
            status,
            message: "unreadable change page".into(),
        })?;
        let next = page
            .more
            .then(|| api::changes(base, page.cursor.0))
            .transpose()?;
        if cache.apply(&page).await? {
            applied += page.len();
        }
        match next {
            Some(next) => request = next,
            None => {
                cache.set_synced_at(js_sys::Date::now()).await?;
                return Ok(applied);
            }
        }
    }
}
