//! The local IndexedDB cache (through rexie): one store per record kind (events, resources,
//! cards, alerts), the report outbox, and metadata (the feed cursor and the last sync time).
//!
//! A page of the change feed is applied in one read-write transaction together with its cursor,
//! so a crash leaves either the whole page or none of it. A page at or behind the stored cursor
//! changes nothing. No network request is ever awaited while a transaction is open.
//!
//! Records are stored as their JSON text under their id, exactly as the feed sent them: a page is
//! read as a `FeedPage`, which takes each record's text without decoding it (see `FeedPage`), and
//! a record is decoded only when a page shows it. Decoding JSON text with serde_json is faster
//! than converting JS objects field by field, and it keeps a single serde path in the WASM.

use rexie::{ObjectStore, Rexie, TransactionMode};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use uuid::Uuid;
use vecinos_core::{Cursor, RecordKind};
use wasm_bindgen::JsValue;

/// The database the app uses; tests open their own.
pub const DB_NAME: &str = "vecinos";
/// Schema history. Version 1: a store per record kind, and "meta". Version 2 adds "outbox".
/// rexie deletes, during an upgrade, every store the new schema does not list: a new version
/// must list every store that still holds data (`tests/cache.rs` opens each older version with
/// data in every store and checks the upgrade keeps it).
pub const SCHEMA_VERSION: u32 = 2;
const META: &str = "meta";
const OUTBOX: &str = "outbox";
const CURSOR_KEY: &str = "cursor";
const SYNCED_KEY: &str = "synced_at";

#[derive(Clone, Debug, thiserror::Error)]
/// What went wrong, without the underlying error's text: formatting IndexedDB's and serde's
/// errors would cost the WASM kilobytes, and the person is shown a translated sentence anyway.
pub enum CacheError {
    #[error("the phone's storage could not be used")]
    Storage,
    #[error("a change in the feed could not be read")]
    Unreadable,
}

impl From<rexie::Error> for CacheError {
    fn from(_: rexie::Error) -> Self {
        Self::Storage
    }
}

/// A page of the change feed (`vecinos_core::ChangePage` on the wire) as the cache needs it:
/// each upserted record stays the JSON text it arrived as. Reading plain structs instead of
/// serde's tagged enums keeps the WASM small and the first sync of 10,000 records fast.
#[derive(Debug, Deserialize)]
pub struct FeedPage<'a> {
    #[serde(borrow)]
    changes: Vec<FeedChange<'a>>,
    pub cursor: Cursor,
    pub more: bool,
}

/// `{"op":"upsert","seq":1,"record":{"kind":"event","data":{...}}}` or
/// `{"op":"delete","seq":2,"kind":"event","id":"..."}`.
#[derive(Debug, Deserialize)]
struct FeedChange<'a> {
    #[serde(borrow)]
    record: Option<FeedRecord<'a>>,
    kind: Option<RecordKind>,
    id: Option<Uuid>,
}

#[derive(Debug, Deserialize)]
struct FeedRecord<'a> {
    kind: RecordKind,
    #[serde(borrow)]
    data: &'a RawValue,
}

#[derive(Deserialize)]
struct HasId {
    id: Uuid,
}

impl<'a> FeedPage<'a> {
    pub fn parse(text: &'a str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// How many changes the page holds.
    pub(crate) fn len(&self) -> usize {
        self.changes.len()
    }
}

/// Records read from the cache. Records that no longer parse (written by an older version, or
/// damaged) are counted, not dropped from storage, so a later version can still read them.
#[derive(Debug)]
pub struct Loaded<T> {
    pub records: Vec<T>,
    pub unreadable: usize,
}

pub struct Cache {
    db: Rexie,
}

fn store_name(kind: RecordKind) -> &'static str {
    kind.as_str()
}

impl Cache {
    pub async fn open(name: &str) -> Result<Self, CacheError> {
        let mut builder = Rexie::builder(name).version(SCHEMA_VERSION);
        for kind in RecordKind::ALL {
            builder = builder.add_object_store(ObjectStore::new(store_name(kind)));
        }
        let db = builder
            .add_object_store(ObjectStore::new(META))
            .add_object_store(ObjectStore::new(OUTBOX))
            .build()
            .await?;
        Ok(Self { db })
    }

    /// Closes the connection, so the database can be deleted or upgraded.
    pub fn close(self) {
        self.db.close();
    }

    /// Deletes the whole database. Completes once every connection to it is closed.
    pub async fn delete(name: &str) -> Result<(), CacheError> {
        Ok(Rexie::delete(name).await?)
    }

    /// When the cache last caught up with the server (milliseconds since the epoch).
    pub async fn synced_at(&self) -> Result<Option<f64>, CacheError> {
        let tx = self.db.transaction(&[META], TransactionMode::ReadOnly)?;
        let value = tx.store(META)?.get(JsValue::from_str(SYNCED_KEY)).await?;
        Ok(value.and_then(|v| v.as_f64()))
    }

    pub async fn set_synced_at(&self, millis: f64) -> Result<(), CacheError> {
        let tx = self.db.transaction(&[META], TransactionMode::ReadWrite)?;
        tx.store(META)?
            .put(
                &JsValue::from_f64(millis),
                Some(&JsValue::from_str(SYNCED_KEY)),
            )
            .await?;
        committed(tx).await
    }

    /// Forgets every cached record and the cursor, in one transaction, for a rebuild after the
    /// server answered `resync`. The outbox is kept: reports waiting there are the person's own.
    pub async fn reset(&self) -> Result<(), CacheError> {
        let mut names: Vec<&str> = RecordKind::ALL.into_iter().map(store_name).collect();
        names.push(META);
        let tx = self.db.transaction(&names, TransactionMode::ReadWrite)?;
        for kind in RecordKind::ALL {
            tx.store(store_name(kind))?.clear().await?;
        }
        tx.store(META)?
            .delete(JsValue::from_str(CURSOR_KEY))
            .await?;
        committed(tx).await
    }

    /// Saves an outgoing item (its JSON text) under its id, durably, before any send is tried.
    pub async fn outbox_put(&self, id: &str, json: &str) -> Result<(), CacheError> {
        let tx = self.db.transaction(&[OUTBOX], TransactionMode::ReadWrite)?;
        tx.store(OUTBOX)?
            .put(&JsValue::from_str(json), Some(&JsValue::from_str(id)))
            .await?;
        committed(tx).await
    }

    /// Everything waiting in the outbox, as JSON text, in id order.
    pub async fn outbox(&self) -> Result<Vec<String>, CacheError> {
        let tx = self.db.transaction(&[OUTBOX], TransactionMode::ReadOnly)?;
        let values = tx.store(OUTBOX)?.get_all(None, None).await?;
        Ok(values.into_iter().filter_map(|v| v.as_string()).collect())
    }

    pub async fn outbox_delete(&self, id: &str) -> Result<(), CacheError> {
        let tx = self.db.transaction(&[OUTBOX], TransactionMode::ReadWrite)?;
        tx.store(OUTBOX)?.delete(JsValue::from_str(id)).await?;
        committed(tx).await
    }

    /// The cursor of the last change applied; `Cursor::START` on a new phone.
    pub async fn cursor(&self) -> Result<Cursor, CacheError> {
        let tx = self.db.transaction(&[META], TransactionMode::ReadOnly)?;
        let value = tx.store(META)?.get(JsValue::from_str(CURSOR_KEY)).await?;
        Ok(value
            .and_then(|v| v.as_f64())
            .map_or(Cursor::START, |n| Cursor(n as u64)))
    }

    /// Applies a page and its cursor atomically. Returns false, changing nothing, when the page
    /// does not move the cursor forward (a replay or a late, older page).
    pub async fn apply(&self, page: &FeedPage<'_>) -> Result<bool, CacheError> {
        // Read every change before the transaction opens: a bad one rejects the whole page.
        let writes = page
            .changes
            .iter()
            .map(|change| match (&change.record, change.kind, change.id) {
                (Some(record), _, _) => {
                    let json = record.data.get();
                    serde_json::from_str::<HasId>(json)
                        .map(|has| (record.kind, has.id.to_string(), Some(json)))
                        .map_err(|_| CacheError::Unreadable)
                }
                (None, Some(kind), Some(id)) => Ok((kind, id.to_string(), None)),
                (None, _, _) => Err(CacheError::Unreadable),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut names: Vec<&str> = RecordKind::ALL.into_iter().map(store_name).collect();
        names.push(META);
        let tx = self.db.transaction(&names, TransactionMode::ReadWrite)?;
        let meta = tx.store(META)?;
        let stored = meta
            .get(JsValue::from_str(CURSOR_KEY))
            .await?
            .and_then(|v| v.as_f64());
        if stored.is_some_and(|s| s >= page.cursor.0 as f64) {
            tx.abort().await?;
            return Ok(false);
        }
        // The feed holds only the latest change of each record, so no id appears twice in a
        // page and the order of writes within it does not matter. Puts are issued together and
        // only the last is awaited: one await per record would cost an event-loop turn each.
        for kind in RecordKind::ALL {
            let store = tx.store(store_name(kind))?;
            let mut puts = Vec::new();
            for (_, id, json) in writes.iter().filter(|w| w.0 == kind) {
                let key = JsValue::from_str(id);
                match json {
                    Some(json) => puts.push((JsValue::from_str(json), Some(key))),
                    None => store.delete(key).await?,
                }
            }
            store.put_all(puts.into_iter()).await?;
        }
        meta.put(
            &JsValue::from_f64(page.cursor.0 as f64),
            Some(&JsValue::from_str(CURSOR_KEY)),
        )
        .await?;
        committed(tx).await?;
        Ok(true)
    }

    /// Every cached record of one kind.
    pub async fn load<T: DeserializeOwned>(
        &self,
        kind: RecordKind,
    ) -> Result<Loaded<T>, CacheError> {
        let texts = self.texts(kind).await?;
        let records: Vec<T> = texts
            .iter()
            .filter_map(|t| serde_json::from_str(t).ok())
            .collect();
        Ok(Loaded {
            unreadable: texts.len() - records.len(),
            records,
        })
    }

    /// Every cached record of one kind as the JSON text it is stored as; a value that is not
    /// text (damaged) comes back empty, which no decoder accepts.
    pub async fn texts(&self, kind: RecordKind) -> Result<Vec<String>, CacheError> {
        let name = store_name(kind);
        let tx = self.db.transaction(&[name], TransactionMode::ReadOnly)?;
        let values = tx.store(name)?.get_all(None, None).await?;
        Ok(values
            .into_iter()
            .map(|v| v.as_string().unwrap_or_default())
            .collect())
    }
}

/// Waits for the transaction to finish; an abort is an error.
async fn committed(tx: rexie::Transaction) -> Result<(), CacheError> {
    if tx.done().await?.is_committed() {
        Ok(())
    } else {
        Err(CacheError::Storage)
    }
}
