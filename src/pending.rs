//! An organiser's listing changes made without a connection: kept on the phone (the cache's
//! "edits" store, one per listing, deleted by quick exit with everything else) and sent when the
//! connection returns, by the engine, under the same exactly-once rule as reports. A new
//! listing's id is made on the phone and an edit carries the version it was made on, so a change
//! sent twice (its answer lost on the way back) is refused as a conflict whose record already
//! holds it, and counts as sent. A conflict with someone else's change is kept for the
//! organiser's choice in the conflict view; a refusal for good (the listing was deleted, or a
//! field is not valid) is kept with the server's reason until the organiser opens it.
//!
//! Listings are public, so nothing here needs hiding from a seized phone beyond what quick exit
//! already removes. The code runs in the organisers' chunk: the engine fetches it only when
//! changes wait and an organiser is signed in on this phone.

use std::future::Future;
use std::pin::Pin;

use leptos::wasm_split::SplitLoaderError;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::api::{self, Problem};
use crate::cache::{Cache, CacheError, DB_NAME};
use crate::edit::{self, Field};
use crate::route::Listing;

/// A listing change waiting on the phone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    pub listing: Listing,
    pub id: Uuid,
    /// A listing the server does not have yet.
    pub new: bool,
    /// The record the change was made on; its version goes as `If-Match`.
    pub base: Value,
    /// Each changed field (its JSON pointer) and its new value, as the form holds it.
    pub changes: Vec<(String, String)>,
    /// The server's version, when someone else changed the listing meanwhile.
    #[serde(default)]
    pub theirs: Option<Value>,
    /// Why the server refused it for good.
    #[serde(default)]
    pub refused: Option<String>,
    /// Someone deleted the listing meanwhile.
    #[serde(default)]
    pub deleted: bool,
}

/// What became of one change sent.
enum Sent {
    Done,
    /// Kept on the phone: for the organiser's choice, or refused for good.
    Held(Pending),
    /// Not sent now (no connection, signed out, too many tries): the rest wait too.
    Stop,
}

impl Pending {
    pub fn new(
        listing: Listing,
        id: Uuid,
        new: bool,
        base: Value,
        changes: &[(&'static Field, String)],
    ) -> Self {
        Self {
            listing,
            id,
            new,
            base,
            changes: changes
                .iter()
                .map(|(field, value)| (field.pointer().to_owned(), value.clone()))
                .collect(),
            theirs: None,
            refused: None,
            deleted: false,
        }
    }

    /// The changes, by field of the form (those this version of the app no longer has are
    /// dropped).
    pub fn changes(&self) -> Vec<(&'static Field, String)> {
        self.changes
            .iter()
            .filter_map(|(pointer, value)| {
                Some((edit::field_at(self.listing, pointer)?, value.clone()))
            })
            .collect()
    }

    /// The listing as the organiser left it: the changes written on top of `base`.
    pub fn edited(&self) -> Value {
        let mut edited = edit::with_changes(self.base.clone(), &self.changes());
        if self.new
            && let Some(fields) = edited.as_object_mut()
        {
            fields.insert("id".into(), json!(self.id));
        }
        edited
    }

    /// Waiting for the organiser rather than for a connection.
    pub fn held(&self) -> bool {
        self.theirs.is_some() || self.refused.is_some() || self.deleted
    }

    /// Its title or name, for the list of what waits.
    pub fn title(&self) -> String {
        let edited = self.edited();
        ["title", "name"]
            .iter()
            .find_map(|key| edited.get(key).and_then(Value::as_str))
            .unwrap_or_default()
            .to_owned()
    }

    async fn send(mut self) -> Sent {
        let edited = self.edited();
        let answer = if self.new {
            api::create(self.listing.kind(), &edited).await
        } else {
            let version = edit::version(&self.base);
            api::save(self.listing.kind(), self.id, &edited, version).await
        };
        match answer {
            Ok(_) => Sent::Done,
            // Already there: this change, sent before, whose answer was lost.
            Err(Problem::Conflict(Some(theirs)))
                if edit::changed(self.changes(), &theirs).is_empty() =>
            {
                Sent::Done
            }
            Err(Problem::Conflict(Some(theirs))) => {
                self.theirs = Some(theirs);
                Sent::Held(self)
            }
            Err(Problem::Network | Problem::SignedOut | Problem::Throttled) => Sent::Stop,
            Err(Problem::Conflict(None)) => {
                self.deleted = true;
                Sent::Held(self)
            }
            Err(refusal) => {
                self.refused = Some(match refusal {
                    Problem::Invalid(problems) => problems
                        .iter()
                        .map(|p| format!("{}: {}", p.field, p.message))
                        .collect::<Vec<_>>()
                        .join("; "),
                    Problem::Refused(reason) => reason,
                    _ => String::new(),
                });
                Sent::Held(self)
            }
        }
    }
}

/// Opens the cache for a moment, unless quick exit has removed it (opening it again would make
/// a new, empty one: a trace that the app was used).
async fn with_cache<T>(
    work: impl AsyncFnOnce(&Cache) -> Result<T, CacheError>,
) -> Result<T, CacheError> {
    if crate::prefs::has_exited() {
        return Err(CacheError::Unreadable);
    }
    let cache = Cache::open(DB_NAME).await?;
    let result = work(&cache).await;
    cache.close();
    result
}

/// Every change waiting, oldest listing id first.
pub async fn all() -> Vec<Pending> {
    let texts = with_cache(async |cache| cache.edits().await).await;
    texts
        .unwrap_or_default()
        .iter()
        .filter_map(|text| serde_json::from_str(text).ok())
        .collect()
}

/// The change waiting for one listing, if any.
pub async fn of(id: Uuid) -> Option<Pending> {
    all().await.into_iter().find(|p| p.id == id)
}

pub async fn keep(pending: &Pending) -> Result<(), CacheError> {
    let json = serde_json::to_string(pending).map_err(|_| CacheError::Unreadable)?;
    with_cache(async |cache| cache.edit_put(&pending.id.to_string(), &json).await).await
}

pub async fn forget(id: Uuid) {
    let _ = with_cache(async |cache| cache.edit_delete(&id.to_string()).await).await;
}

/// Sends every change waiting that is not held for the organiser; stops at the first that
/// cannot go now.
async fn send_all() {
    for pending in all().await {
        if pending.held() {
            continue;
        }
        let id = pending.id;
        match pending.send().await {
            Sent::Done => forget(id).await,
            Sent::Held(held) => {
                let _ = keep(&held).await;
            }
            Sent::Stop => break,
        }
    }
}

split!(
    organise,
    fn sending() -> Result<Pin<Box<dyn Future<Output = ()>>>, SplitLoaderError> {
        Ok(Box::pin(send_all()))
    }
);

/// Sends what waits (the engine calls it when online and something waits); the code comes
/// from the organisers' chunk, which an organiser's phone keeps.
pub async fn send_waiting() {
    if let Ok(sending) = sending().await {
        sending.await;
    }
}
