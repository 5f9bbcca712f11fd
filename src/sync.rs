//! Pulls the server's change feed into the cache, page by page, until caught up.
//!
//! Each page is fetched first and only then applied in its own IndexedDB transaction: no network
//! request is awaited while a transaction is open (IndexedDB would commit it early). When the
//! server answers `resync` (the cursor is older than its tombstone horizon, or belongs to another
//! database), the cache forgets every record and pulls again from the start; the outbox stays.

use serde::Deserialize;
use vecinos_core::RESYNC;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::cache::{Cache, CacheError, FeedPage};

#[derive(Clone, Debug, thiserror::Error)]
pub enum SyncError {
    #[error("no connection to the server")]
    Network,
    #[error("the server answered {status}: {message}")]
    Server { status: u16, message: String },
    #[error(transparent)]
    Cache(#[from] CacheError),
}

/// The part of the server's error body (`vecinos_core::ErrorBody`) a pull needs; reading the
/// whole body would bring the decoder of every record type into the WASM.
#[derive(Deserialize)]
struct Refusal {
    code: String,
    message: String,
}

/// Fetches and applies pages from `base` (an origin such as "" for this site, or
/// "http://127.0.0.1:8080") until the server says there is no more. Returns how many changes
/// were applied, a rebuild counting as one: zero means the cache did not change.
///
/// The next page is requested as soon as a page has been read, so it downloads while the current
/// one is written to IndexedDB (the transaction never waits for it).
pub async fn pull(cache: &Cache, base: &str) -> Result<usize, SyncError> {
    let url = |cursor: u64| format!("{base}/api/v1/changes?since={cursor}");
    let mut applied = 0;
    let mut rebuilt = false;
    let mut request = fetch(&url(cache.cursor().await?.0))?;
    loop {
        let (status, body) = response(request).await?;
        if status != 200 {
            let error = serde_json::from_str::<Refusal>(&body).ok();
            if !rebuilt && error.as_ref().is_some_and(|e| e.code == RESYNC) {
                cache.reset().await?;
                rebuilt = true;
                applied += 1;
                request = fetch(&url(cache.cursor().await?.0))?;
                continue;
            }
            let message = error.map_or(body, |e| e.message);
            return Err(SyncError::Server { status, message });
        }
        let page = FeedPage::parse(&body).map_err(|_| SyncError::Server {
            status,
            message: "unreadable change page".into(),
        })?;
        let next = page.more.then(|| fetch(&url(page.cursor.0))).transpose()?;
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

/// Starts a GET through the browser's fetch; the request runs while other work is done.
fn fetch(url: &str) -> Result<js_sys::Promise, SyncError> {
    let window = web_sys::window().ok_or(SyncError::Network)?;
    Ok(window.fetch_with_str(url))
}

/// Makes a request to this site's API (`method`, with a JSON body and the `If-Match` version when
/// given) and returns its status and body.
pub async fn call(
    method: &str,
    url: &str,
    json: Option<&str>,
    if_match: Option<u64>,
) -> Result<(u16, String), SyncError> {
    let window = web_sys::window().ok_or(SyncError::Network)?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().map_err(|_| SyncError::Network)?;
    if let Some(json) = json {
        init.set_body(&json.into());
        headers
            .set("content-type", "application/json")
            .map_err(|_| SyncError::Network)?;
    }
    if let Some(version) = if_match {
        headers
            .set("if-match", &format!("\"{version}\""))
            .map_err(|_| SyncError::Network)?;
    }
    init.set_headers(&headers);
    response(window.fetch_with_str_and_init(url, &init)).await
}

/// The status and the body, as text, of a started request.
async fn response(request: js_sys::Promise) -> Result<(u16, String), SyncError> {
    let response = JsFuture::from(request)
        .await
        .map_err(|_| SyncError::Network)?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| SyncError::Network)?;
    let text = response.text().map_err(|_| SyncError::Network)?;
    let body = JsFuture::from(text).await.map_err(|_| SyncError::Network)?;
    Ok((response.status(), body.as_string().unwrap_or_default()))
}
