//! The IndexedDB cache in real Chromium (wasm-bindgen-test): pages apply atomically with their
//! cursor, replays change nothing, tombstones delete.

use chrono::{TimeZone, Utc};
use uuid::Uuid;
use vecinos::cache::Cache;
use vecinos_core::{Change, ChangePage, Cursor, Event, EventKind, EventStatus, Record, RecordKind};
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
    let applied = cache
        .apply(&page(vec![
            upsert(3, first.clone()),
            upsert(5, event(2, "Training")),
        ]))
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
    assert!(cache.apply(&original).await.expect("first apply"));
    let mut renamed = event(1, "Rally (edited)");
    renamed.version = 2;
    assert!(
        cache
            .apply(&page(vec![upsert(2, renamed)]))
            .await
            .expect("newer page")
    );

    // The old page arrives again (a retried request): it must not bring the old title back.
    assert!(!cache.apply(&original).await.expect("replay"));
    assert_eq!(titles(&cache).await, ["Rally (edited)"]);
    assert_eq!(cache.cursor().await.expect("cursor"), Cursor(2));
}

#[wasm_bindgen_test]
async fn a_tombstone_deletes_the_record() {
    let cache = fresh_cache().await;
    cache
        .apply(&page(vec![
            upsert(1, event(1, "Court watch")),
            upsert(2, event(2, "Meeting")),
        ]))
        .await
        .expect("apply");
    let delete = Change::Delete {
        seq: 3,
        kind: RecordKind::Event,
        id: Uuid::from_u128(1),
    };
    assert!(
        cache
            .apply(&page(vec![delete]))
            .await
            .expect("delete applies")
    );
    assert_eq!(titles(&cache).await, ["Meeting"]);
}

#[wasm_bindgen_test]
async fn the_cache_survives_closing_and_reopening() {
    let name = format!("vecinos-test-{}", js_sys::Math::random());
    let cache = Cache::open(&name).await.expect("opens");
    cache
        .apply(&page(vec![upsert(7, event(9, "Training"))]))
        .await
        .expect("apply");
    cache.close();
    let reopened = Cache::open(&name).await.expect("reopens");
    assert_eq!(reopened.cursor().await.expect("cursor"), Cursor(7));
    assert_eq!(titles(&reopened).await, ["Training"]);
}
