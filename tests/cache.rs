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

/// Writes raw values into a database laid out as schema version 1 (a store per record kind and
/// "meta"), the way version 1 of the app left it on phones.
async fn version_1_with_data(name: &str) {
    let mut builder = Rexie::builder(name).version(1);
    for store in ["event", "resource", "card", "alert", "meta"] {
        builder = builder.add_object_store(ObjectStore::new(store));
    }
    let db = builder.build().await.expect("version 1 opens");
    let tx = db
        .transaction(
            &["event", "resource", "card", "alert", "meta"],
            TransactionMode::ReadWrite,
        )
        .expect("transaction");
    for (store, json) in stored_in_version_1() {
        tx.store(store)
            .expect("store")
            .put(&JsValue::from_str(json), Some(&JsValue::from_str(store)))
            .await
            .expect("put");
    }
    tx.store("meta")
        .expect("meta")
        .put(&JsValue::from_f64(42.0), Some(&JsValue::from_str("cursor")))
        .await
        .expect("cursor");
    tx.done().await.expect("commits");
    db.close();
}

fn stored_in_version_1() -> [(&'static str, &'static str); 4] {
    [
        (
            "event",
            r#"{"id":"00000000-0000-0000-0000-000000000001","title":"Vigil"}"#,
        ),
        (
            "resource",
            r#"{"id":"00000000-0000-0000-0000-000000000002","name":"Example Food Shelf"}"#,
        ),
        (
            "card",
            r#"{"id":"00000000-0000-0000-0000-000000000003","language":"so"}"#,
        ),
        (
            "alert",
            r#"{"id":"00000000-0000-0000-0000-000000000004","kind":"checkpoint"}"#,
        ),
    ]
}

#[wasm_bindgen_test]
async fn upgrading_from_version_1_keeps_every_store_and_record() {
    let name = format!("vecinos-test-{}", js_sys::Math::random());
    version_1_with_data(&name).await;
    let cache = Cache::open(&name)
        .await
        .expect("upgrades to the current version");
    assert_eq!(cache.cursor().await.expect("cursor"), Cursor(42));
    for (kind, (_, json)) in RecordKind::ALL.into_iter().zip(stored_in_version_1()) {
        let loaded = cache.load::<serde_json::Value>(kind).await.expect("loads");
        let expected: serde_json::Value = serde_json::from_str(json).expect("test JSON");
        assert_eq!(loaded.records, [expected], "{kind:?} kept intact");
    }
    cache
        .outbox_put("r1", "{}")
        .await
        .expect("the new outbox works");
    assert_eq!(cache.outbox().await.expect("outbox"), ["{}"]);
}

#[wasm_bindgen_test]
async fn the_outbox_keeps_items_until_deleted_and_survives_reopening() {
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
    cache.outbox_delete("a").await.expect("delete");
    assert_eq!(cache.outbox().await.expect("outbox"), [r#"{"n":2}"#]);
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

#[wasm_bindgen_test]
async fn damaged_records_are_counted_not_dropped() {
    let name = format!("vecinos-test-{}", js_sys::Math::random());
    let cache = Cache::open(&name).await.expect("opens");
    apply(&cache, page(vec![upsert(1, event(1, "Vigil"))]))
        .await
        .expect("apply");
    cache.close();
    let db = Rexie::builder(&name)
        .version(vecinos::cache::SCHEMA_VERSION)
        .add_object_store(ObjectStore::new("event"))
        .add_object_store(ObjectStore::new("resource"))
        .add_object_store(ObjectStore::new("card"))
        .add_object_store(ObjectStore::new("alert"))
        .add_object_store(ObjectStore::new("meta"))
        .add_object_store(ObjectStore::new("outbox"))
        .build()
        .await
        .expect("opens raw");
    let tx = db
        .transaction(&["event"], TransactionMode::ReadWrite)
        .expect("transaction");
    let store = tx.store("event").expect("store");
    for (key, value) in [
        ("x", JsValue::from_str("{not json")),
        ("y", JsValue::from_f64(7.0)),
    ] {
        store
            .put(&value, Some(&JsValue::from_str(key)))
            .await
            .expect("put");
    }
    tx.done().await.expect("commits");
    db.close();
    let cache = Cache::open(&name).await.expect("reopens");
    let loaded = cache.load::<Event>(RecordKind::Event).await.expect("loads");
    assert_eq!(loaded.unreadable, 2);
    assert_eq!(loaded.records.len(), 1, "the readable record still loads");
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
