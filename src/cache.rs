//! The local IndexedDB cache (through rexie): a log per record kind (events, resources, cards,
//! alerts), the report outbox, and metadata (the feed cursor and the last sync time).
//!
//! A page of the change feed is applied in one read-write transaction together with its cursor,
//! so a crash leaves either the whole page or none of it. A page at or behind the stored cursor
//! changes nothing. No network request is ever awaited while a transaction is open.
//!
//! **Layout.** Each kind's records live in a log: one IndexedDB value per applied feed page,
//! keyed by the page's cursor, holding the page's changes of that kind as JSON text
//! (`[["<id>",{record}],["<id>",null],...]`, where `null` is a deletion). Reading a kind merges
//! its log: the latest change of each id wins. IndexedDB pays per value written and read, not per
//! byte: the first sync of 10,000 resources is 20 puts instead of 10,000 (measured in Chromium
//! here: 47 ms against 1.7 s), and reading them back is one `getAll` of 20 strings. When a log
//! holds more than `MAX_LOG_PAGES` values, `apply` folds it into one in the same transaction.
//!
//! Records stay the JSON text the feed sent: a page is read as a `FeedPage`, which takes each
//! record's text without decoding it, and a record is decoded only when the cache is read.

use rexie::{ObjectStore, Rexie, TransactionMode};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use uuid::Uuid;
use vecinos_core::order::sort_by;
use vecinos_core::{Cursor, RecordKind};
use wasm_bindgen::JsValue;

/// The database the app uses; tests open their own.
pub const DB_NAME: &str = "vecinos";
/// Schema history. Version 1: a store per record kind holding one value per record, and "meta".
/// Version 2 adds "outbox". Version 3 adds a log per kind; `open` moves the records of the
/// version 1 and 2 stores into it. rexie deletes, during an upgrade, every store the new schema
/// does not list: a new version must list every store that may still hold data (`tests/cache.rs`
/// opens each older version with data in every store and checks the upgrade keeps it).
pub const SCHEMA_VERSION: u32 = 4;
const META: &str = "meta";
const OUTBOX: &str = "outbox";
/// An organiser's listing changes saved without a connection (`crate::pending` sends them).
const EDITS: &str = "edits";
const CURSOR_KEY: &str = "cursor";
const SYNCED_KEY: &str = "synced_at";
/// How many reports this phone has delivered: all that is kept of them after their receipt.
const SENT_KEY: &str = "sent_reports";
/// The reports this phone sent in the last 7 days, to ask what became of them (`Sent`): one line
/// each, `<id> <sent, ms since the epoch> <last status told, or nothing>`. The service worker
/// appends to it too (`public/sw.js`). Nothing of a report's content is kept.
const MINE_KEY: &str = "my_reports";
/// How long a sent report's id is kept: the server deletes reports after 7 days.
pub const KEEP_SENT_MS: f64 = 7.0 * 24.0 * 60.0 * 60.0 * 1000.0;
/// At most this many are kept (the newest); each is one question to the server.
const MAX_SENT: usize = 50;
/// The interface language, for the service worker's notifications (it cannot read local
/// storage).
const LANG_KEY: &str = "lang";
/// A log holding more values than this is folded into one by the next `apply`. The first sync
/// of 10,000 resources, in pages of 500, fits without folding.
const MAX_LOG_PAGES: u32 = 32;

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

/// What became of a report, as the server tells its sender (`POST /api/v1/reports/status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    Received,
    Published,
    NotPublished,
    Resolved,
}

impl Fate {
    const ALL: [Fate; 4] = [
        Self::Received,
        Self::Published,
        Self::NotPublished,
        Self::Resolved,
    ];

    /// The server's word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Published => "published",
            Self::NotPublished => "not_published",
            Self::Resolved => "resolved",
        }
    }

    pub fn parse(word: &str) -> Option<Fate> {
        Self::ALL.into_iter().find(|f| f.as_str() == word)
    }
}

/// A report this phone sent: its id (a secret only this phone holds), when it was sent, and
/// the last status the server told about it.
#[derive(Clone, Debug, PartialEq)]
pub struct Sent {
    pub id: Uuid,
    /// Milliseconds since the epoch, by the phone's clock.
    pub at: f64,
    pub fate: Option<Fate>,
}

/// Reads the kept lines; a line that does not read is dropped.
pub fn read_sent(text: &str) -> Vec<Sent> {
    text.lines()
        .filter_map(|line| {
            let mut words = line.split(' ');
            let id = Uuid::parse_str(words.next()?).ok()?;
            // Whole milliseconds: reading an integer costs the WASM far less than a float.
            let at = words.next()?.parse::<u64>().ok()? as f64;
            let fate = words.next().and_then(Fate::parse);
            Some(Sent { id, at, fate })
        })
        .collect()
}

/// The lines to keep of `sent`: those younger than 7 days at `now`, the newest `MAX_SENT`.
pub fn write_sent(sent: &[Sent], now: f64) -> String {
    let young: Vec<&Sent> = sent.iter().filter(|s| now - s.at < KEEP_SENT_MS).collect();
    let skip = young.len().saturating_sub(MAX_SENT);
    let mut text = String::new();
    for s in young.into_iter().skip(skip) {
        text.push_str(&s.id.to_string());
        text.push(' ');
        text.push_str(&(s.at as u64).to_string());
        if let Some(fate) = s.fate {
            text.push(' ');
            text.push_str(fate.as_str());
        }
        text.push('\n');
    }
    text
}

pub struct Cache {
    db: Rexie,
}

fn log_name(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Event => "event.log",
        RecordKind::Resource => "resource.log",
        RecordKind::Card => "card.log",
        RecordKind::Alert => "alert.log",
    }
}

/// Versions 1 and 2 kept one value per record, keyed by id, in a store named after the kind.
fn legacy_name(kind: RecordKind) -> &'static str {
    kind.as_str()
}

fn log_names() -> Vec<&'static str> {
    RecordKind::ALL.into_iter().map(log_name).collect()
}

/// Appends one change to a log value being written (which starts as `[` and is closed with
/// `]`): `["<id>",<record or null>]`.
fn push_entry(text: &mut String, id: &str, record: Option<&str>) {
    if text.len() > 1 {
        text.push(',');
    }
    text.push('[');
    text.push_str(&serde_json::to_string(id).unwrap_or_default());
    text.push(',');
    text.push_str(record.unwrap_or("null"));
    text.push(']');
}

/// One change in a log value: the record's id, and its JSON text or `None` for a deletion.
type Entry<'a> = (String, Option<&'a RawValue>);

/// A kind's log, merged: the latest change of each id, in id order, deletions dropped.
struct Merged<'a> {
    records: Vec<(String, &'a RawValue)>,
    /// Which values of the log could not be read (not text, or not a list of changes).
    damaged: Vec<usize>,
}

fn merge(values: &[String]) -> Merged<'_> {
    let mut damaged = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    for (i, value) in values.iter().enumerate() {
        match serde_json::from_str::<Vec<Entry>>(value) {
            Ok(mut changes) => entries.append(&mut changes),
            Err(_) => damaged.push(i),
        }
    }
    // A stable sort keeps each id's changes in log order, so the last one is the latest.
    sort_by(&mut entries, |a, b| a.0.cmp(&b.0));
    let mut records = Vec::with_capacity(entries.len());
    let mut entries = entries.into_iter().peekable();
    while let Some((id, record)) = entries.next() {
        let superseded = entries.peek().is_some_and(|next| next.0 == id);
        if let (false, Some(record)) = (superseded, record) {
            records.push((id, record));
        }
    }
    Merged { records, damaged }
}

/// The stored values of one kind's log, as read by `Cache::texts`.
pub struct Texts {
    values: Vec<String>,
}

impl Texts {
    /// The kind's records as the JSON text they arrived as, in id order, and how many stored
    /// values could not be read.
    pub fn records(&self) -> (Vec<&str>, usize) {
        let merged = merge(&self.values);
        let records = merged.records.iter().map(|(_, r)| r.get()).collect();
        (records, merged.damaged.len())
    }

    /// One record's JSON text as it arrived, if the log holds it.
    pub fn record(&self, id: &str) -> Option<String> {
        let merged = merge(&self.values);
        let at = merged
            .records
            .binary_search_by(|(other, _)| other.as_str().cmp(id))
            .ok()?;
        Some(merged.records[at].1.get().to_owned())
    }
}

/// A value that is not text reads as empty, which no decoder accepts: it counts as damaged.
fn as_texts(values: Vec<JsValue>) -> Vec<String> {
    values
        .into_iter()
        .map(|v| v.as_string().unwrap_or_default())
        .collect()
}

impl Cache {
    pub async fn open(name: &str) -> Result<Self, CacheError> {
        let mut builder = Rexie::builder(name).version(SCHEMA_VERSION);
        for kind in RecordKind::ALL {
            builder = builder
                .add_object_store(ObjectStore::new(legacy_name(kind)))
                .add_object_store(ObjectStore::new(log_name(kind)));
        }
        let db = builder
            .add_object_store(ObjectStore::new(META))
            .add_object_store(ObjectStore::new(OUTBOX))
            .add_object_store(ObjectStore::new(EDITS))
            .build()
            .await?;
        let cache = Self { db };
        cache.move_legacy_records().await?;
        Ok(cache)
    }

    /// Moves the records a version 1 or 2 database kept one value each into the kind's log, in
    /// one transaction; after that the old stores stay empty. A value that is not a record's
    /// JSON text is moved as a JSON string: it stays stored and is counted as unreadable.
    async fn move_legacy_records(&self) -> Result<(), CacheError> {
        let mut names = log_names();
        names.extend(RecordKind::ALL.into_iter().map(legacy_name));
        let tx = self.db.transaction(&names, TransactionMode::ReadWrite)?;
        for kind in RecordKind::ALL {
            let legacy = tx.store(legacy_name(kind))?;
            let keys = legacy.get_all_keys(None, None).await?;
            if keys.is_empty() {
                continue;
            }
            let values = legacy.get_all(None, None).await?;
            let mut text = String::from("[");
            for (key, value) in keys.iter().zip(&values) {
                let json = value.as_string().unwrap_or_else(|| stringify(value));
                let record = match serde_json::from_str::<&RawValue>(&json) {
                    Ok(raw) if raw.get() != "null" => json.clone(),
                    _ => serde_json::to_string(&json).unwrap_or_default(),
                };
                let id = key.as_string().unwrap_or_else(|| stringify(key));
                push_entry(&mut text, &id, Some(&record));
            }
            text.push(']');
            tx.store(log_name(kind))?
                .put(&JsValue::from_str(&text), Some(&JsValue::from_f64(0.0)))
                .await?;
            legacy.clear().await?;
        }
        committed(tx).await
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

    /// Keeps the interface language where the service worker reads it.
    pub async fn set_lang(&self, code: &str) -> Result<(), CacheError> {
        let tx = self.db.transaction(&[META], TransactionMode::ReadWrite)?;
        tx.store(META)?
            .put(&JsValue::from_str(code), Some(&JsValue::from_str(LANG_KEY)))
            .await?;
        committed(tx).await
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
        let mut names = log_names();
        names.push(META);
        let tx = self.db.transaction(&names, TransactionMode::ReadWrite)?;
        for kind in RecordKind::ALL {
            tx.store(log_name(kind))?.clear().await?;
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

    /// Replaces an outgoing item that is still waiting (a new stamp, say); one already delivered
    /// (the service worker sent it meanwhile) is not brought back.
    pub async fn outbox_replace(&self, id: &str, json: &str) -> Result<(), CacheError> {
        let tx = self.db.transaction(&[OUTBOX], TransactionMode::ReadWrite)?;
        let outbox = tx.store(OUTBOX)?;
        let key = JsValue::from_str(id);
        if outbox.get(key.clone()).await?.is_some() {
            outbox.put(&JsValue::from_str(json), Some(&key)).await?;
        }
        committed(tx).await
    }

    /// Keeps an organiser's listing change (JSON text) under the listing's id, replacing the
    /// one kept before.
    pub async fn edit_put(&self, id: &str, json: &str) -> Result<(), CacheError> {
        let tx = self.db.transaction(&[EDITS], TransactionMode::ReadWrite)?;
        tx.store(EDITS)?
            .put(&JsValue::from_str(json), Some(&JsValue::from_str(id)))
            .await?;
        committed(tx).await
    }

    /// The listing changes waiting, as JSON text, in id order.
    pub async fn edits(&self) -> Result<Vec<String>, CacheError> {
        let tx = self.db.transaction(&[EDITS], TransactionMode::ReadOnly)?;
        let values = tx.store(EDITS)?.get_all(None, None).await?;
        Ok(as_texts(values))
    }

    pub async fn edit_delete(&self, id: &str) -> Result<(), CacheError> {
        let tx = self.db.transaction(&[EDITS], TransactionMode::ReadWrite)?;
        tx.store(EDITS)?.delete(JsValue::from_str(id)).await?;
        committed(tx).await
    }

    /// Everything waiting in the outbox, as JSON text, in id order.
    pub async fn outbox(&self) -> Result<Vec<String>, CacheError> {
        let tx = self.db.transaction(&[OUTBOX], TransactionMode::ReadOnly)?;
        let values = tx.store(OUTBOX)?.get_all(None, None).await?;
        Ok(values.into_iter().filter_map(|v| v.as_string()).collect())
    }

    /// Deletes a delivered report, counts it and keeps its id (`Sent`), in one transaction. A
    /// report already gone (the service worker delivered it meanwhile) is not counted twice.
    pub async fn outbox_sent(&self, id: &str) -> Result<(), CacheError> {
        let tx = self
            .db
            .transaction(&[OUTBOX, META], TransactionMode::ReadWrite)?;
        let outbox = tx.store(OUTBOX)?;
        if outbox.get(JsValue::from_str(id)).await?.is_none() {
            return committed(tx).await;
        }
        outbox.delete(JsValue::from_str(id)).await?;
        let meta = tx.store(META)?;
        let key = JsValue::from_str(SENT_KEY);
        let sent = meta.get(key.clone()).await?.and_then(|v| v.as_f64());
        meta.put(&JsValue::from_f64(sent.unwrap_or(0.0) + 1.0), Some(&key))
            .await?;
        // Its id is kept, to ask what became of it; the server has it, so it is received.
        if let Ok(id) = Uuid::parse_str(id) {
            let now = js_sys::Date::now();
            let mut mine = read_sent(&stored_text(&meta, MINE_KEY).await?);
            mine.push(Sent {
                id,
                at: now,
                fate: Some(Fate::Received),
            });
            put_text(&meta, MINE_KEY, &write_sent(&mine, now)).await?;
        }
        committed(tx).await
    }

    /// The reports this phone sent in the last 7 days, oldest first, with the last status told
    /// of each. Older ones are forgotten here.
    pub async fn sent_reports(&self, now: f64) -> Result<Vec<Sent>, CacheError> {
        let tx = self.db.transaction(&[META], TransactionMode::ReadWrite)?;
        let meta = tx.store(META)?;
        let text = stored_text(&meta, MINE_KEY).await?;
        let kept = write_sent(&read_sent(&text), now);
        if kept != text {
            put_text(&meta, MINE_KEY, &kept).await?;
        }
        committed(tx).await?;
        Ok(read_sent(&kept))
    }

    /// Keeps what the server told of sent reports (those still kept).
    pub async fn set_fates(&self, told: &[(Uuid, Fate)], now: f64) -> Result<(), CacheError> {
        let tx = self.db.transaction(&[META], TransactionMode::ReadWrite)?;
        let meta = tx.store(META)?;
        let mut mine = read_sent(&stored_text(&meta, MINE_KEY).await?);
        for sent in &mut mine {
            if let Some((_, fate)) = told.iter().find(|(id, _)| *id == sent.id) {
                sent.fate = Some(*fate);
            }
        }
        put_text(&meta, MINE_KEY, &write_sent(&mine, now)).await?;
        committed(tx).await
    }

    /// How many reports this phone has delivered.
    pub async fn sent_count(&self) -> Result<u32, CacheError> {
        let tx = self.db.transaction(&[META], TransactionMode::ReadOnly)?;
        let value = tx.store(META)?.get(JsValue::from_str(SENT_KEY)).await?;
        Ok(value.and_then(|v| v.as_f64()).unwrap_or(0.0) as u32)
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
        // The page's changes of each kind become one log value, keyed by the page's cursor.
        let key = JsValue::from_f64(page.cursor.0 as f64);
        let values: Vec<(RecordKind, JsValue)> = RecordKind::ALL
            .into_iter()
            .filter_map(|kind| {
                let mut text = String::from("[");
                for (_, id, json) in writes.iter().filter(|w| w.0 == kind) {
                    push_entry(&mut text, id, *json);
                }
                text.push(']');
                (text.len() > 2).then(|| (kind, JsValue::from_str(&text)))
            })
            .collect();
        let mut names = log_names();
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
        for (kind, value) in values {
            let log = tx.store(log_name(kind))?;
            log.put(&value, Some(&key)).await?;
            if log.count(None).await? > MAX_LOG_PAGES {
                fold(&log, &key).await?;
            }
        }
        meta.put(&key, Some(&JsValue::from_str(CURSOR_KEY))).await?;
        committed(tx).await?;
        Ok(true)
    }

    /// Every cached record of one kind.
    pub async fn load<T: DeserializeOwned>(
        &self,
        kind: RecordKind,
    ) -> Result<Loaded<T>, CacheError> {
        let texts = self.texts(kind).await?;
        let (texts, damaged) = texts.records();
        let records: Vec<T> = texts
            .iter()
            .filter_map(|t| serde_json::from_str(t).ok())
            .collect();
        Ok(Loaded {
            unreadable: damaged + texts.len() - records.len(),
            records,
        })
    }

    /// The stored log of one kind, to be read with `Texts::records`.
    pub async fn texts(&self, kind: RecordKind) -> Result<Texts, CacheError> {
        let name = log_name(kind);
        let tx = self.db.transaction(&[name], TransactionMode::ReadOnly)?;
        let values = tx.store(name)?.get_all(None, None).await?;
        Ok(Texts {
            values: as_texts(values),
        })
    }
}

/// Folds a log into one value under `key` (the newest cursor), inside the caller's transaction.
/// Values that cannot be read are left where they are, so nothing damaged is lost.
async fn fold(log: &rexie::Store, key: &JsValue) -> Result<(), CacheError> {
    let keys = log.get_all_keys(None, None).await?;
    let values = as_texts(log.get_all(None, None).await?);
    let merged = merge(&values);
    let mut text = String::from("[");
    for (id, record) in &merged.records {
        push_entry(&mut text, id, Some(record.get()));
    }
    text.push(']');
    for (i, old) in keys.into_iter().enumerate() {
        if !merged.damaged.contains(&i) {
            log.delete(old).await?;
        }
    }
    log.put(&JsValue::from_str(&text), Some(key)).await?;
    Ok(())
}

/// A text value of the meta store; empty when there is none.
async fn stored_text(meta: &rexie::Store, key: &str) -> Result<String, CacheError> {
    let value = meta.get(JsValue::from_str(key)).await?;
    Ok(value.and_then(|v| v.as_string()).unwrap_or_default())
}

async fn put_text(meta: &rexie::Store, key: &str, text: &str) -> Result<(), CacheError> {
    meta.put(&JsValue::from_str(text), Some(&JsValue::from_str(key)))
        .await?;
    Ok(())
}

fn stringify(value: &JsValue) -> String {
    js_sys::JSON::stringify(value).map_or_else(|_| String::new(), String::from)
}

/// Waits for the transaction to finish; an abort is an error.
async fn committed(tx: rexie::Transaction) -> Result<(), CacheError> {
    if tx.done().await?.is_committed() {
        Ok(())
    } else {
        Err(CacheError::Storage)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sent_reports_keep_their_id_time_and_status_for_7_days_and_nothing_else() {
        let day = 24.0 * 60.0 * 60.0 * 1000.0;
        let now = 100.0 * day;
        let sent = vec![
            Sent {
                id: Uuid::from_u128(1),
                at: now - 8.0 * day,
                fate: Some(Fate::Published),
            },
            Sent {
                id: Uuid::from_u128(2),
                at: now - 2.0 * day,
                fate: Some(Fate::NotPublished),
            },
            Sent {
                id: Uuid::from_u128(3),
                at: now - 1000.0,
                fate: None,
            },
        ];
        let text = write_sent(&sent, now);
        assert_eq!(read_sent(&text), sent[1..], "older than 7 days: forgotten");
        assert_eq!(text.lines().count(), 2);
        assert!(
            text.lines().all(|l| l.split(' ').count() <= 3),
            "an id, a time and a status: {text}"
        );
        // A line that does not read (damaged, or an unknown status) keeps what it can.
        let odd = format!("not-an-id 5\n{} 7 maybe\n\n", Uuid::from_u128(4));
        assert_eq!(
            read_sent(&odd),
            [Sent {
                id: Uuid::from_u128(4),
                at: 7.0,
                fate: None,
            }]
        );
        // The newest 50 at most.
        let many: Vec<Sent> = (0..60)
            .map(|n| Sent {
                id: Uuid::from_u128(n),
                at: now - 1000.0 + n as f64,
                fate: None,
            })
            .collect();
        let kept = read_sent(&write_sent(&many, now));
        assert_eq!(kept.len(), 50);
        assert_eq!(kept[0].id, Uuid::from_u128(10));
    }

    #[test]
    fn fates_are_the_servers_words() {
        for fate in Fate::ALL {
            assert_eq!(Fate::parse(fate.as_str()), Some(fate));
        }
        assert_eq!(Fate::parse("not_published"), Some(Fate::NotPublished));
        assert_eq!(Fate::parse("verified"), None);
    }
}
