#![cfg(target_arch = "wasm32")]
//! The IndexedDB cache in real Chromium (wasm-bindgen-test): pages apply atomically with their
//! cursor, replays change nothing, tombstones delete, older schema versions upgrade with every
//! record intact, the outbox keeps what it is given, damaged records are counted.

use chrono::{TimeZone, Utc};
use rexie::{ObjectStore, Rexie, TransactionMode};
use uuid::Uuid;
use vecinos::cache::{Cache, CacheError, FeedPage};
use vecinos_core::{Change, ChangePage, Cursor, Event, EventKind, EventStatus, Record, RecordKind};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

async fn fresh_cache() -> Cache {
    let name = format!("vecinos-test-{}", js_sys::Math::random());
    Cache::open(&name).await.expect("IndexedDB opens")
}

fn event(n: u128, title: &str) -> Event {
    Event {
        translations: Default::default(),
        id: Uuid::from_u128(n),
        version: 1,
        title: title.into(),
        description: "A test event".into(),
        kind: EventKind::Meeting,
        starts_at: Utc
            .with_ymd_and_hms(2030, 1, 1, 18, 0, 0)
            .single()
            .expect("valid time"),
        ends_at: None,
        time_zone: "America/Chicago".into(),
        place: None,
        organiser: "Example Test Group".into(),
        languages: vec!["en".into(), "so".into()],
        links: vec![],
        status: EventStatus::Scheduled,
    }
}

fn upsert(seq: u64, event: Event) -> Change {
    Change::Upsert {
        seq,
        record: Record::Event(event),
    }
}

fn page(changes: Vec<Change>) -> ChangePage {
    let cursor = Cursor(changes.last().map_or(0, Change::seq));
    ChangePage {
        changes,
        cursor,
        more: false,
    }
}

/// Sends the page through its wire form, as the feed delivers it.
async fn apply(cache: &Cache, page: ChangePage) -> Result<bool, CacheError> {
    let text = serde_json::to_string(&page).expect("the page serialises");
    cache
        .apply(&FeedPage::parse(&text).expect("the page parses"))
        .await
}

async fn titles(cache: &Cache) -> Vec<String> {
    let loaded = cache
        .load::<Event>(RecordKind::Event)
        .await
        .expect("events load");
    assert_eq!(loaded.unreadable, 0);
    let mut titles: Vec<String> = loaded.records.into_iter().map(|e| e.title).collect();
    titles.sort();
    titles
}

#[wasm_bindgen_test]
async fn a_new_cache_starts_at_the_beginning_and_empty() {
    let cache = fresh_cache().await;
    assert_eq!(cache.cursor().await.expect("cursor"), Cursor::START);
    assert!(titles(&cache).await.is_empty());
}

#[wasm_bindgen_test]
async fn applying_a_page_stores_its_records_and_cursor() {
    let cache = fresh_cache().await;
    let first = event(1, "Vigil");
    let applied = apply(
        &cache,
        page(vec![
            upsert(3, first.clone()),
            upsert(5, event(2, "Training")),
        ]),
    )
    .await;
    assert!(applied.expect("page applies"));
    assert_eq!(cache.cursor().await.expect("cursor"), Cursor(5));
    assert_eq!(titles(&cache).await, ["Training", "Vigil"]);
    let stored = cache
        .load::<Event>(RecordKind::Event)
        .await
        .expect("load")
        .records;
    assert!(stored.contains(&first), "records round-trip unchanged");
}

#[wasm_bindgen_test]
async fn replayed_page_changes_nothing() {
    let cache = fresh_cache().await;
    let original = page(vec![upsert(1, event(1, "Rally"))]);
    assert!(apply(&cache, original.clone()).await.expect("first apply"));
    let mut renamed = event(1, "Rally (edited)");
    renamed.version = 2;
    assert!(
        apply(&cache, page(vec![upsert(2, renamed)]))
            .await
            .expect("newer page")
    );

    // The old page arrives again (a retried request): it must not bring the old title back.
    assert!(!apply(&cache, original.clone()).await.expect("replay"));
    assert_eq!(titles(&cache).await, ["Rally (edited)"]);
    assert_eq!(cache.cursor().await.expect("cursor"), Cursor(2));
}

#[wasm_bindgen_test]
async fn a_tombstone_deletes_the_record() {
    let cache = fresh_cache().await;
    apply(
        &cache,
        page(vec![
            upsert(1, event(1, "Court watch")),
            upsert(2, event(2, "Meeting")),
        ]),
    )
    .await
    .expect("apply");
    let delete = Change::Delete {
        seq: 3,
        kind: RecordKind::Event,
        id: Uuid::from_u128(1),
    };
    assert!(
        apply(&cache, page(vec![delete]))
            .await
            .expect("delete applies")
    );
    assert_eq!(titles(&cache).await, ["Meeting"]);
}

#[wasm_bindgen_test]
async fn the_cache_survives_closing_and_reopening() {
    let name = format!("vecinos-test-{}", js_sys::Math::random());
    let cache = Cache::open(&name).await.expect("opens");
    apply(&cache, page(vec![upsert(7, event(9, "Training"))]))
        .await
        .expect("apply");
    cache.close();
    let reopened = Cache::open(&name).await.expect("reopens");
    assert_eq!(reopened.cursor().await.expect("cursor"), Cursor(7));
    assert_eq!(titles(&reopened).await, ["Training"]);
}

/// Writes raw values into a database laid out as an older schema version, the way that version
/// of the app left it on phones: version 1 had a store per record kind (one value per record,
/// keyed by id) and "meta"; version 2 added "outbox"; version 3 the logs (left out here: the
/// upgrade makes them), and version 4 "edits".
async fn older_version_with_data(name: &str, version: u32) {
    let mut stores = vec!["event", "resource", "card", "alert", "meta"];
    if version >= 2 {
        stores.push("outbox");
    }
    let mut builder = Rexie::builder(name).version(version);
    for store in &stores {
        builder = builder.add_object_store(ObjectStore::new(store));
    }
    let db = builder.build().await.expect("the old version opens");
    let tx = db
        .transaction(&stores, TransactionMode::ReadWrite)
        .expect("transaction");
    for (store, id, json) in stored_in_old_versions() {
        tx.store(store)
            .expect("store")
            .put(&JsValue::from_str(json), Some(&JsValue::from_str(id)))
            .await
            .expect("put");
    }
    tx.store("meta")
        .expect("meta")
        .put(&JsValue::from_f64(42.0), Some(&JsValue::from_str("cursor")))
        .await
        .expect("cursor");
    if version >= 2 {
        tx.store("outbox")
            .expect("outbox")
            .put(
                &JsValue::from_str(r#"{"note":"waiting"}"#),
                Some(&JsValue::from_str("r0")),
            )
            .await
            .expect("outbox item");
    }
    tx.done().await.expect("commits");
    db.close();
}

/// Two records of each kind, in the order of `RecordKind::ALL`.
fn stored_in_old_versions() -> [(&'static str, &'static str, &'static str); 8] {
    [
        ("event", "e1", r#"{"id":"e1","title":"Vigil"}"#),
        ("event", "e2", r#"{"id":"e2","title":"Training"}"#),
        (
            "resource",
            "r1",
            r#"{"id":"r1","name":"Example Food Shelf"}"#,
        ),
        (
            "resource",
            "r2",
            r#"{"id":"r2","name":"Example Legal Clinic"}"#,
        ),
        ("card", "c1", r#"{"id":"c1","language":"so"}"#),
        ("card", "c2", r#"{"id":"c2","language":"hmn"}"#),
        ("alert", "a1", r#"{"id":"a1","kind":"checkpoint"}"#),
        ("alert", "a2", r#"{"id":"a2","kind":"detained"}"#),
    ]
}

async fn upgrade_keeps_every_record(version: u32) {
    let name = format!("vecinos-test-{}", js_sys::Math::random());
    older_version_with_data(&name, version).await;
    let cache = Cache::open(&name)
        .await
        .expect("upgrades to the current version");
    assert_eq!(cache.cursor().await.expect("cursor"), Cursor(42));
    for kind in RecordKind::ALL {
        let loaded = cache.load::<serde_json::Value>(kind).await.expect("loads");
        let expected: Vec<serde_json::Value> = stored_in_old_versions()
            .into_iter()
            .filter(|(store, _, _)| *store == kind.as_str())
            .map(|(_, _, json)| serde_json::from_str(json).expect("test JSON"))
            .collect();
        assert_eq!(loaded.records, expected, "{kind:?} kept intact");
        assert_eq!(loaded.unreadable, 0);
    }
    // Reopening does not move anything twice.
    cache.close();
    let cache = Cache::open(&name).await.expect("reopens");
    let events = cache
        .load::<serde_json::Value>(RecordKind::Event)
        .await
        .expect("loads");
    assert_eq!(events.records.len(), 2);
    cache
        .outbox_put("r1", "{}")
        .await
        .expect("the outbox works");
    let mut expected = vec!["{}"];
    if version >= 2 {
        expected.insert(0, r#"{"note":"waiting"}"#);
    }
    assert_eq!(cache.outbox().await.expect("outbox"), expected);
}

#[wasm_bindgen_test]
async fn upgrading_from_version_1_keeps_every_store_and_record() {
    upgrade_keeps_every_record(1).await;
}

#[wasm_bindgen_test]
async fn upgrading_from_version_2_keeps_every_store_and_record_and_the_outbox() {
    upgrade_keeps_every_record(2).await;
}

#[wasm_bindgen_test]
async fn upgrading_from_version_3_keeps_every_record_and_adds_the_edits() {
    upgrade_keeps_every_record(3).await;
    let name = format!("vecinos-test-{}", js_sys::Math::random());
    older_version_with_data(&name, 3).await;
    let cache = Cache::open(&name).await.expect("upgrades");
    assert!(cache.edits().await.expect("edits").is_empty());
    cache.edit_put("e1", r#"{"n":1}"#).await.expect("kept");
    cache.edit_put("e1", r#"{"n":2}"#).await.expect("replaced");
    cache.edit_put("e0", r#"{"n":0}"#).await.expect("kept");
    cache.close();
    let cache = Cache::open(&name).await.expect("reopens");
    assert_eq!(
        cache.edits().await.expect("edits"),
        [r#"{"n":0}"#, r#"{"n":2}"#]
    );
    cache.edit_delete("e1").await.expect("deleted");
    assert_eq!(cache.edits().await.expect("edits"), [r#"{"n":0}"#]);
}

#[wasm_bindgen_test]
async fn the_outbox_keeps_items_until_sent_and_survives_reopening() {
    let name = format!("vecinos-test-{}", js_sys::Math::random());
    let cache = Cache::open(&name).await.expect("opens");
    cache.outbox_put("b", r#"{"n":2}"#).await.expect("put b");
    cache.outbox_put("a", r#"{"n":1}"#).await.expect("put a");
    cache
        .outbox_put("a", r#"{"n":1}"#)
        .await
        .expect("put a again");
    cache.close();
    let cache = Cache::open(&name).await.expect("reopens");
    assert_eq!(
        cache.outbox().await.expect("outbox"),
        [r#"{"n":1}"#, r#"{"n":2}"#]
    );
    assert_eq!(cache.sent_count().await.expect("count"), 0);
    cache.outbox_sent("a").await.expect("sent");
    assert_eq!(cache.outbox().await.expect("outbox"), [r#"{"n":2}"#]);
    assert_eq!(
        cache.sent_count().await.expect("count"),
        1,
        "only a count remains"
    );
}

#[wasm_bindgen_test]
async fn reset_forgets_records_and_cursor_but_keeps_the_outbox() {
    let cache = fresh_cache().await;
    apply(&cache, page(vec![upsert(9, event(1, "Rally"))]))
        .await
        .expect("apply");
    cache.outbox_put("report", "{}").await.expect("put");
    cache.set_synced_at(1_000.0).await.expect("synced");
    cache.reset().await.expect("reset");
    assert_eq!(cache.cursor().await.expect("cursor"), Cursor::START);
    assert!(titles(&cache).await.is_empty());
    assert_eq!(cache.outbox().await.expect("outbox"), ["{}"]);
    assert_eq!(cache.synced_at().await.expect("synced"), Some(1_000.0));
}

/// Opens a test database at the current version without the app, to write or count raw values.
async fn raw(name: &str) -> Rexie {
    let mut builder = Rexie::builder(name).version(vecinos::cache::SCHEMA_VERSION);
    for store in STORES {
        builder = builder.add_object_store(ObjectStore::new(store));
    }
    builder.build().await.expect("opens raw")
}

const STORES: [&str; 11] = [
    "event",
    "resource",
    "card",
    "alert",
    "event.log",
    "resource.log",
    "card.log",
    "alert.log",
    "meta",
    "outbox",
    "edits",
];

async fn log_values(name: &str) -> u32 {
    let db = raw(name).await;
    let tx = db
        .transaction(&["event.log"], TransactionMode::ReadOnly)
        .expect("transaction");
    let count = tx
        .store("event.log")
        .expect("store")
        .count(None)
        .await
        .expect("count");
    db.close();
    count
}

#[wasm_bindgen_test]
async fn many_small_pages_fold_into_one_value_keeping_the_latest_of_each_record() {
    let name = format!("vecinos-test-{}", js_sys::Math::random());
    let cache = Cache::open(&name).await.expect("opens");
    for seq in 1..=100u64 {
        // Each page renames event 1 and adds a new event; page 50 deletes event 2.
        let mut renamed = event(1, &format!("Vigil {seq}"));
        renamed.version = seq;
        let mut changes = vec![upsert(seq * 3, renamed)];
        changes.push(upsert(
            seq * 3 + 1,
            event(1000 + u128::from(seq), "Training"),
        ));
        if seq == 50 {
            changes.push(Change::Delete {
                seq: seq * 3 + 2,
                kind: RecordKind::Event,
                id: Uuid::from_u128(1002),
            });
        }
        assert!(apply(&cache, page(changes)).await.expect("applies"));
    }
    let loaded = cache.load::<Event>(RecordKind::Event).await.expect("loads");
    assert_eq!(loaded.unreadable, 0);
    assert_eq!(loaded.records.len(), 100, "event 1 and 99 of 100 new ones");
    assert!(loaded.records.iter().any(|e| e.title == "Vigil 100"));
    assert!(
        !loaded
            .records
            .iter()
            .any(|e| e.title.starts_with("Vigil ") && e.title != "Vigil 100")
    );
    assert!(!loaded.records.iter().any(|e| e.id == Uuid::from_u128(1002)));
    let values = log_values(&name).await;
    assert!(
        (1..=32).contains(&values),
        "the log was folded: {values} values"
    );
    cache.close();
    let reopened = Cache::open(&name).await.expect("reopens");
    let again = reopened
        .load::<Event>(RecordKind::Event)
        .await
        .expect("loads");
    assert_eq!(again.records, loaded.records);
}

#[wasm_bindgen_test]
async fn damaged_records_are_counted_not_dropped() {
    let name = format!("vecinos-test-{}", js_sys::Math::random());
    let cache = Cache::open(&name).await.expect("opens");
    apply(&cache, page(vec![upsert(1, event(1, "Vigil"))]))
        .await
        .expect("apply");
    cache.close();
    let db = raw(&name).await;
    let tx = db
        .transaction(&["event", "event.log"], TransactionMode::ReadWrite)
        .expect("transaction");
    let log = tx.store("event.log").expect("store");
    for (key, value) in [
        (2.0, JsValue::from_str("{not json")),
        (3.0, JsValue::from_f64(7.0)),
        (4.0, JsValue::from_str(r#"[["x",{"title":"no id"}]]"#)),
    ] {
        log.put(&value, Some(&JsValue::from_f64(key)))
            .await
            .expect("put");
    }
    // A damaged value left in an old version's store is moved, and still counted.
    tx.store("event")
        .expect("old store")
        .put(
            &JsValue::from_str("{not json"),
            Some(&JsValue::from_str("y")),
        )
        .await
        .expect("put");
    tx.done().await.expect("commits");
    db.close();
    let cache = Cache::open(&name).await.expect("reopens");
    let loaded = cache.load::<Event>(RecordKind::Event).await.expect("loads");
    assert_eq!(loaded.unreadable, 4);
    assert_eq!(loaded.records.len(), 1, "the readable record still loads");

    // Folding the log keeps them all.
    for seq in 10..50 {
        apply(
            &cache,
            page(vec![upsert(seq, event(u128::from(seq), "Rally"))]),
        )
        .await
        .expect("apply");
    }
    let loaded = cache.load::<Event>(RecordKind::Event).await.expect("loads");
    assert_eq!(loaded.unreadable, 4);
    assert_eq!(loaded.records.len(), 41);
    assert!(log_values(&name).await <= 32);
}

#[wasm_bindgen_test]
async fn a_page_with_an_unreadable_change_applies_nothing() {
    let cache = fresh_cache().await;
    let text = r#"{"changes":[
        {"op":"upsert","seq":1,"record":{"kind":"event","data":{"id":"00000000-0000-0000-0000-000000000001"}}},
        {"op":"upsert","seq":2,"record":{"kind":"event","data":{"title":"no id"}}}
    ],"cursor":2,"more":false}"#;
    let page = FeedPage::parse(text).expect("the page itself parses");
    assert!(cache.apply(&page).await.is_err());
    assert_eq!(cache.cursor().await.expect("cursor"), Cursor::START);
    let stored = cache
        .load::<serde_json::Value>(RecordKind::Event)
        .await
        .expect("load");
    assert!(stored.records.is_empty(), "no part of the page was kept");
}
