//! One behaviour suite for the `Store` interface, run against a real SQLite file and a real
//! PostgreSQL server (VECINOS_TEST_POSTGRES). The PostgreSQL half is marked ignored, so a plain
//! `cargo test` on a machine without PostgreSQL passes and says so; `cargo xtask test` starts
//! PostgreSQL and runs it with `--include-ignored`.

use std::sync::Arc;

use chrono::{Duration, NaiveDate, Utc};
use sqlx::Connection;
use uuid::Uuid;
use vecinos_core::pow::Stamp;
use vecinos_core::push::{Audience, Subscription, SubscriptionKeys};
use vecinos_core::{Alert, Change, Cursor, Record, RecordKind, Report, ReportKind, ReportStatus};
use vecinos_server::store::{
    Expected, INVITE_KEPT, Joined, Member, PostgresStore, ReportQuery, Retention, SharedStore,
    SqliteStore, Store, StoreError, Subscribed, Sweep,
};

struct Db {
    store: SharedStore,
    _dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
}

fn postgres_base() -> String {
    std::env::var("VECINOS_TEST_POSTGRES")
        .expect("VECINOS_TEST_POSTGRES is not set: run `cargo xtask test`, which starts PostgreSQL")
}

impl Db {
    async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SqliteStore::open(dir.path()).await.expect("sqlite opens");
        Self {
            store: Arc::new(store),
            _dir: Some(dir),
            pg_name: None,
        }
    }

    async fn postgres() -> Self {
        let base = postgres_base();
        let name = format!("vecinos_test_{}", Uuid::new_v4().simple());
        let mut admin = sqlx::PgConnection::connect(&format!("{base}/postgres"))
            .await
            .expect("postgres reachable");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .expect("create database");
        let store = PostgresStore::connect(&format!("{base}/{name}"))
            .await
            .expect("postgres store");
        Self {
            store: Arc::new(store),
            _dir: None,
            pg_name: Some(name),
        }
    }

    async fn cleanup(self) {
        drop(self.store);
        if let Some(name) = self.pg_name {
            let mut admin = sqlx::PgConnection::connect(&format!("{}/postgres", postgres_base()))
                .await
                .expect("postgres");
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin)
                .await
                .expect("drop");
        }
    }
}

macro_rules! behaviour_suite {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = super::Db::sqlite().await;
                    super::$name(db.store.as_ref()).await;
                    db.cleanup().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                #[ignore = "needs PostgreSQL (VECINOS_TEST_POSTGRES); cargo xtask test runs it"]
                async fn $name() {
                    let db = super::Db::postgres().await;
                    super::$name(db.store.as_ref()).await;
                    db.cleanup().await;
                }
            )*
        }
    };
}

behaviour_suite!(
    a_new_store_is_empty_and_the_feed_starts_empty,
    the_feed_pages_every_record_once_and_replays_identically,
    edits_check_the_version_and_conflicts_return_the_current_record,
    deletions_leave_tombstones_in_the_feed,
    a_report_is_stored_once_however_often_it_arrives,
    fifty_concurrent_copies_of_a_report_store_one,
    verifying_a_report_publishes_an_alert_and_is_audited,
    report_status_changes_follow_the_rules,
    retention_expires_alerts_deletes_reports_and_collects_tombstones,
    sessions_expire_and_can_be_ended,
    users_are_saved_and_their_password_can_be_replaced,
    an_import_writes_every_record_in_one_go,
    push_subscriptions_are_renewed_capped_and_removed,
    verifying_queues_one_push_job_whose_deliveries_are_remembered,
    retention_deletes_expired_push_subscriptions_and_jobs,
    the_vapid_key_is_made_once_and_replaced_by_rotation,
    a_different_report_under_a_known_id_is_refused_and_changes_nothing,
    triage_pages_newest_first_filters_and_rejects_in_bulk,
    retention_unlinks_the_audit_trail_from_deleted_reports,
    a_new_password_ends_the_users_sessions_and_forgets_their_browsers,
    removing_or_signing_out_a_user_ends_their_sessions_only,
    failed_sign_ins_are_counted_one_turn_at_a_time_and_forgotten,
    failed_sign_ins_are_kept_for_a_bounded_number_of_names,
    trusted_browsers_count_their_own_failures_and_expire,
    revising_an_alert_queues_its_push_and_resolving_its_report_withdraws_it,
    proof_of_work_v2_started_when_the_database_was_made,
    invites_work_once_within_their_day_and_the_first_account_is_the_admin,
    sessions_are_seen_at_most_every_five_minutes_and_ended_only_by_their_owner,
);

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

fn demo() -> Vec<Record> {
    vecinos_server::demo::records(today())
}

/// When the test reports were observed: one time for the whole run, so the same id always makes
/// the same report (a repeat), never a different one.
static OBSERVED: std::sync::LazyLock<chrono::DateTime<Utc>> =
    std::sync::LazyLock::new(|| Utc::now() - Duration::minutes(5));

fn report(id: Uuid) -> Report {
    Report {
        id,
        kind: ReportKind::Checkpoint,
        description: "Checkpoint on the bridge".into(),
        observed_at: *OBSERVED,
        area: Some("9zvxvf2".into()),
        cross_streets: None,
        language: "es".into(),
        stamp: Stamp::v2("test", 0, vec![0; vecinos_core::pow::PARTS]),
    }
}

fn alert(summary: &str, ttl: Duration) -> Alert {
    let now = Utc::now();
    Alert {
        id: Uuid::new_v4(),
        version: 0,
        kind: ReportKind::Checkpoint,
        summary: summary.into(),
        area: Some("9zvxvf2".into()),
        cross_streets: None,
        verified_at: now,
        expires_at: now + ttl,
        translations: Default::default(),
        withdrawn: None,
    }
}

async fn all_changes(store: &dyn Store, since: Cursor) -> (Vec<Change>, Cursor) {
    let mut cursor = since;
    let mut changes = Vec::new();
    loop {
        let page = store.changes(cursor, 3).await.expect("page");
        changes.extend(page.changes);
        cursor = page.cursor;
        if !page.more {
            return (changes, cursor);
        }
    }
}

async fn a_new_store_is_empty_and_the_feed_starts_empty(store: &dyn Store) {
    assert!(store.is_empty().await.expect("is_empty"));
    let page = store.changes(Cursor::START, 100).await.expect("page");
    assert!(page.changes.is_empty() && !page.more);
    assert_eq!(page.cursor, Cursor::START);
}

async fn the_feed_pages_every_record_once_and_replays_identically(store: &dyn Store) {
    let records = demo();
    store.import(records.clone(), "test").await.expect("import");
    assert!(!store.is_empty().await.expect("is_empty"));
    let (changes, cursor) = all_changes(store, Cursor::START).await;
    assert_eq!(changes.len(), records.len());
    let seqs: Vec<u64> = changes.iter().map(Change::seq).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "strictly increasing: {seqs:?}"
    );
    assert_eq!(cursor.0, *seqs.last().expect("some"));

    let first = store.changes(Cursor::START, 4).await.expect("page");
    let again = store.changes(Cursor::START, 4).await.expect("page");
    assert_eq!(first, again, "the same request gives the same page");
    assert!(first.more);
    let events = store.records(RecordKind::Event).await.expect("records");
    assert_eq!(
        events.len(),
        records
            .iter()
            .filter(|r| r.kind() == RecordKind::Event)
            .count()
    );
}

async fn edits_check_the_version_and_conflicts_return_the_current_record(store: &dyn Store) {
    let Some(Record::Event(event)) = demo().into_iter().next() else {
        panic!("demo starts with an event")
    };
    let created = store
        .put(Record::Event(event.clone()), Expected::New, "ana")
        .await
        .expect("create");
    assert_eq!(created.version(), 1);
    let (_, before) = all_changes(store, Cursor::START).await;

    let mut edited = event.clone();
    edited.title = "Vigil, moved indoors".into();
    let updated = store
        .put(Record::Event(edited.clone()), Expected::Version(1), "ana")
        .await
        .expect("update");
    assert_eq!(updated.version(), 2);

    // Someone else, still on version 1, tries to save: a conflict carrying version 2.
    let mut stale = event.clone();
    stale.title = "Vigil cancelled".into();
    match store
        .put(Record::Event(stale), Expected::Version(1), "bo")
        .await
    {
        Err(StoreError::Conflict(Some(current))) => assert_eq!(*current, updated),
        other => panic!("expected a conflict, got {other:?}"),
    }
    match store
        .put(Record::Event(event.clone()), Expected::New, "bo")
        .await
    {
        Err(StoreError::Conflict(Some(_))) => {}
        other => panic!("creating an existing record is a conflict, got {other:?}"),
    }
    assert_eq!(
        store
            .record(RecordKind::Event, event.id)
            .await
            .expect("read"),
        Some(updated.clone())
    );

    let (since, _) = all_changes(store, before).await;
    assert_eq!(since.len(), 1, "only the accepted edit reached the feed");
    let audit = store.audit(10).await.expect("audit");
    assert_eq!(audit[0].actor, "ana");
    assert_eq!(audit[0].action, "update");
}

async fn deletions_leave_tombstones_in_the_feed(store: &dyn Store) {
    let Some(Record::Event(event)) = demo().into_iter().next() else {
        panic!("an event")
    };
    store
        .put(Record::Event(event.clone()), Expected::New, "ana")
        .await
        .expect("create");
    let (_, cursor) = all_changes(store, Cursor::START).await;
    match store
        .delete(RecordKind::Event, event.id, Expected::Version(7), "ana")
        .await
    {
        Err(StoreError::Conflict(Some(_))) => {}
        other => panic!("a stale delete is a conflict, got {other:?}"),
    }
    store
        .delete(RecordKind::Event, event.id, Expected::Version(1), "ana")
        .await
        .expect("delete");
    let (since, _) = all_changes(store, cursor).await;
    assert!(
        matches!(since.as_slice(), [Change::Delete { kind: RecordKind::Event, id, .. }] if *id == event.id)
    );
    assert_eq!(
        store
            .record(RecordKind::Event, event.id)
            .await
            .expect("read"),
        None
    );
    assert!(matches!(
        store
            .delete(RecordKind::Event, event.id, Expected::Any, "ana")
            .await,
        Err(StoreError::NotFound)
    ));
    // Re-created after deletion, it continues the version count.
    let again = store
        .put(Record::Event(event), Expected::New, "ana")
        .await
        .expect("re-create");
    assert_eq!(again.version(), 3);
}

async fn a_report_is_stored_once_however_often_it_arrives(store: &dyn Store) {
    let id = Uuid::new_v4();
    let now = Utc::now();
    let (first, new) = store.add_report(&report(id), now).await.expect("first");
    assert!(new);
    let (second, new_again) = store
        .add_report(&report(id), now + Duration::minutes(3))
        .await
        .expect("repeat");
    assert!(!new_again);
    assert_eq!(first, second, "the repeat gets the first receipt");
    assert_eq!(
        store
            .reports(&ReportQuery::default())
            .await
            .expect("reports")
            .len(),
        1
    );
    assert!(
        store
            .changes(Cursor::START, 10)
            .await
            .expect("feed")
            .changes
            .is_empty(),
        "reports never enter the feed"
    );
}

async fn fifty_concurrent_copies_of_a_report_store_one(store: &dyn Store) {
    let id = Uuid::new_v4();
    let now = Utc::now();
    let copy = report(id);
    let copies = (0..50).map(|_| store.add_report(&copy, now));
    let results: Vec<_> = futures::future::join_all(copies)
        .await
        .into_iter()
        .map(|r| r.expect("stored"))
        .collect();
    let new = results.iter().filter(|(_, new)| *new).count();
    assert_eq!(new, 1, "exactly one copy is new");
    assert!(
        results.windows(2).all(|w| w[0].0 == w[1].0),
        "every copy gets the same receipt"
    );
    assert_eq!(
        store
            .reports(&ReportQuery::default())
            .await
            .expect("reports")
            .len(),
        1
    );
}

async fn verifying_a_report_publishes_an_alert_and_is_audited(store: &dyn Store) {
    let id = Uuid::new_v4();
    store
        .add_report(&report(id), Utc::now())
        .await
        .expect("report");
    let published = store
        .verify_report(
            id,
            alert("Checkpoint reported on the bridge", Duration::hours(4)),
            "ana",
        )
        .await
        .expect("verify");
    assert_eq!(published.version, 1);
    let page = store.changes(Cursor::START, 10).await.expect("feed");
    assert!(
        matches!(page.changes.as_slice(), [Change::Upsert { record: Record::Alert(a), .. }] if *a == published)
    );
    let reports = store
        .reports(&ReportQuery::of(ReportStatus::Verified))
        .await
        .expect("reports");
    assert_eq!(reports.len(), 1);
    let stored = store.report(id).await.expect("lookup").expect("the report");
    assert_eq!((stored.id, stored.status), (id, ReportStatus::Verified));
    assert_eq!(store.report(Uuid::new_v4()).await.expect("lookup"), None);
    assert!(
        store
            .reports(&ReportQuery::of(ReportStatus::Received))
            .await
            .expect("reports")
            .is_empty()
    );
    let audit = store.audit(5).await.expect("audit");
    assert!(
        audit.iter().any(|e| e.actor == "ana"
            && e.action == "verified"
            && e.target == format!("report/{id}"))
    );
    match store
        .verify_report(id, alert("again", Duration::hours(1)), "bo")
        .await
    {
        Err(StoreError::WrongStatus(ReportStatus::Verified)) => {}
        other => panic!("a verified report cannot be verified twice, got {other:?}"),
    }
    assert_eq!(
        store
            .changes(Cursor::START, 10)
            .await
            .expect("feed")
            .changes
            .len(),
        1,
        "no second alert"
    );
}

async fn report_status_changes_follow_the_rules(store: &dyn Store) {
    let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
    let now = Utc::now();
    store.add_report(&report(a), now).await.expect("a");
    store.add_report(&report(b), now).await.expect("b");
    let rejected = store
        .set_report_status(a, ReportStatus::Rejected, "ana", now)
        .await
        .expect("reject");
    assert_eq!(rejected.status, ReportStatus::Rejected);
    assert!(matches!(
        store
            .set_report_status(a, ReportStatus::Resolved, "ana", now)
            .await,
        Err(StoreError::WrongStatus(ReportStatus::Rejected))
    ));
    assert!(matches!(
        store
            .verify_report(a, alert("x", Duration::hours(1)), "ana")
            .await,
        Err(StoreError::WrongStatus(_))
    ));
    let resolved = store
        .set_report_status(b, ReportStatus::Resolved, "ana", now)
        .await
        .expect("resolve");
    assert_eq!(resolved.status, ReportStatus::Resolved);
    assert!(matches!(
        store
            .set_report_status(Uuid::new_v4(), ReportStatus::Rejected, "ana", now)
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn retention_expires_alerts_deletes_reports_and_collects_tombstones(store: &dyn Store) {
    let retention = Retention {
        reports: Duration::days(7),
        tombstones: Duration::days(30),
    };
    let now = Utc::now();
    let (old, fresh) = (Uuid::new_v4(), Uuid::new_v4());
    store
        .add_report(&report(old), now - Duration::days(8))
        .await
        .expect("old report");
    store
        .add_report(&report(fresh), now)
        .await
        .expect("fresh report");
    store
        .verify_report(fresh, alert("Short alert", Duration::hours(1)), "ana")
        .await
        .expect("verify");
    let (_, cursor_before) = all_changes(store, Cursor::START).await;

    let sweep = store
        .sweep(now + Duration::minutes(30), retention)
        .await
        .expect("sweep");
    store.scrub().await.expect("scrub after the sweep");
    assert_eq!(
        sweep,
        Sweep {
            expired_alerts: 0,
            deleted_reports: 1,
            collected_tombstones: 0
        }
    );
    assert_eq!(
        store
            .reports(&ReportQuery::default())
            .await
            .expect("reports")
            .len(),
        1,
        "the old report is gone for real"
    );

    let sweep = store
        .sweep(now + Duration::hours(2), retention)
        .await
        .expect("sweep");
    assert_eq!(sweep.expired_alerts, 1);
    let (since, _) = all_changes(store, cursor_before).await;
    assert!(
        matches!(
            since.as_slice(),
            [Change::Delete {
                kind: RecordKind::Alert,
                ..
            }]
        ),
        "expiry reaches phones as a tombstone"
    );

    // Long after, the tombstone is collected: a phone that last synced before it must resync.
    let sweep = store
        .sweep(now + Duration::days(31), retention)
        .await
        .expect("sweep");
    assert_eq!(sweep.collected_tombstones, 1);
    assert!(matches!(
        store.changes(cursor_before, 10).await,
        Err(StoreError::Resync)
    ));
    assert!(
        store
            .changes(Cursor::START, 10)
            .await
            .expect("a new phone starts fine")
            .changes
            .is_empty()
    );
}

async fn sessions_are_seen_at_most_every_five_minutes_and_ended_only_by_their_owner(
    store: &dyn Store,
) {
    let now = Utc::now();
    for name in ["ana", "bea"] {
        store
            .add_user(name, "$argon2id$fake", now)
            .await
            .expect("user");
    }
    let until = now + Duration::hours(8);
    for (hash, user) in [("ana-1", "ana"), ("ana-2", "ana"), ("bea-1", "bea")] {
        store
            .create_session(hash, user, until)
            .await
            .expect("session");
    }
    let accounts = store.accounts();
    let seen = async |at| {
        accounts
            .sessions_of("ana", at)
            .await
            .expect("sessions")
            .into_iter()
            .map(|s| (s.token_hash, s.last_seen.map(|t| t.timestamp())))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        seen(now).await.iter().map(|s| s.1).collect::<Vec<_>>(),
        [None, None],
        "never used yet"
    );
    store.session_user("ana-2", now).await.expect("used");
    // Used again a minute later: not written again; six minutes later, it is.
    store
        .session_user("ana-2", now + Duration::minutes(1))
        .await
        .expect("used");
    assert_eq!(
        seen(now).await[0],
        ("ana-2".to_owned(), Some(now.timestamp()))
    );
    let later = now + Duration::minutes(6);
    store.session_user("ana-2", later).await.expect("used");
    assert_eq!(
        seen(now).await[0],
        ("ana-2".to_owned(), Some(later.timestamp()))
    );
    assert_eq!(
        seen(now).await[1],
        ("ana-1".to_owned(), None),
        "the other, unused"
    );

    assert!(
        !accounts.end_session_of("bea", "ana-1").await.expect("end"),
        "not bea's"
    );
    assert!(accounts.end_session_of("ana", "ana-1").await.expect("end"));
    assert_eq!(
        store.session_user("ana-1", now).await.expect("lookup"),
        None
    );
    assert_eq!(seen(now).await.len(), 1);
    assert_eq!(
        seen(until).await.len(),
        0,
        "an expired session is not listed"
    );
}

async fn sessions_expire_and_can_be_ended(store: &dyn Store) {
    let now = Utc::now();
    store
        .add_user("ana", "$argon2id$fake", now)
        .await
        .expect("user");
    store
        .create_session("hash-1", "ana", now + Duration::hours(1))
        .await
        .expect("session");
    store
        .create_session("hash-2", "ana", now - Duration::minutes(1))
        .await
        .expect("expired session");
    assert_eq!(
        store
            .session_user("hash-1", now)
            .await
            .expect("lookup")
            .as_deref(),
        Some("ana")
    );
    assert_eq!(
        store.session_user("hash-2", now).await.expect("lookup"),
        None
    );
    assert_eq!(store.session_user("nope", now).await.expect("lookup"), None);
    store.delete_session("hash-1").await.expect("end");
    assert_eq!(
        store.session_user("hash-1", now).await.expect("lookup"),
        None
    );
}

async fn users_are_saved_and_their_password_can_be_replaced(store: &dyn Store) {
    let now = Utc::now();
    assert_eq!(store.password_hash("ana").await.expect("lookup"), None);
    store.add_user("ana", "first", now).await.expect("add");
    store.add_user("ana", "second", now).await.expect("replace");
    assert_eq!(
        store.password_hash("ana").await.expect("lookup").as_deref(),
        Some("second")
    );
}

async fn an_import_writes_every_record_in_one_go(store: &dyn Store) {
    let records = demo();
    let count = store
        .import(records.clone(), "import")
        .await
        .expect("import");
    assert_eq!(count, records.len());
    // Importing the same file again updates in place: no duplicates, versions move on.
    store
        .import(records.clone(), "import")
        .await
        .expect("again");
    let (changes, _) = all_changes(store, Cursor::START).await;
    assert_eq!(changes.len(), records.len());
    assert!(
        changes
            .iter()
            .all(|c| matches!(c, Change::Upsert { record, .. } if record.version() == 2))
    );
}

fn push_subscription(endpoint: &str, cells: &[&str], audience: Audience) -> Subscription {
    Subscription {
        endpoint: endpoint.into(),
        keys: SubscriptionKeys {
            p256dh: "BKey".into(),
            auth: "auth".into(),
        },
        cells: cells.iter().map(|c| c.to_string()).collect(),
        audience,
    }
}

async fn push_subscriptions_are_renewed_capped_and_removed(store: &dyn Store) {
    let push = store.push();
    let later = Utc::now() + Duration::days(30);
    let a = push_subscription("https://push.example/a", &["9zvxv"], Audience::Alerts);
    assert_eq!(
        push.subscribe(&a, later, 2).await.expect("a"),
        Subscribed::New
    );
    assert_eq!(
        push.subscribe(&a, later, 2).await.expect("again"),
        Subscribed::Renewed
    );
    let a_reports = Subscription {
        audience: Audience::Reports,
        ..a.clone()
    };
    assert_eq!(
        push.subscribe(&a_reports, later, 2).await.expect("reports"),
        Subscribed::New
    );
    let b = push_subscription("https://push.example/b", &["9zvxv"], Audience::Alerts);
    assert_eq!(
        push.subscribe(&b, later, 2).await.expect("b"),
        Subscribed::Full
    );
    assert_eq!(
        push.subscribe(&a, later, 2)
            .await
            .expect("renewal at the cap"),
        Subscribed::Renewed
    );
    push.unsubscribe(&a.endpoint, Some(Audience::Reports))
        .await
        .expect("one");
    assert_eq!(
        push.subscribe(&b, later, 2).await.expect("room again"),
        Subscribed::New
    );
    push.unsubscribe(&a.endpoint, None).await.expect("all");
    push.unsubscribe(&a.endpoint, None)
        .await
        .expect("unknown is fine");
    assert_eq!(
        push.subscribe(&a, later, 2).await.expect("back"),
        Subscribed::New
    );
}

async fn verifying_queues_one_push_job_whose_deliveries_are_remembered(store: &dyn Store) {
    let push = store.push();
    // A little ahead of the clock: `verify_report` queues its job at the real time, in whole
    // seconds, which must not fall after the `now` the jobs are claimed at.
    let now = Utc::now() + Duration::seconds(2);
    let later = now + Duration::days(30);
    for (endpoint, cells, audience) in [
        (
            "https://push.example/near",
            &["9zvxv"][..],
            Audience::Alerts,
        ),
        (
            "https://push.example/wide",
            &["u4pru", "9z"][..],
            Audience::Alerts,
        ),
        ("https://push.example/far", &["9zvxw"][..], Audience::Alerts),
        (
            "https://push.example/organiser",
            &["9zvxv"][..],
            Audience::Reports,
        ),
    ] {
        let sub = push_subscription(endpoint, cells, audience);
        push.subscribe(&sub, later, 100).await.expect("subscribe");
    }
    let expired = push_subscription("https://push.example/old", &["9zvxv"], Audience::Alerts);
    push.subscribe(&expired, now - Duration::seconds(1), 100)
        .await
        .expect("subscribe");

    let id = Uuid::new_v4();
    store.add_report(&report(id), now).await.expect("report");
    let published = store
        .verify_report(id, alert("Checkpoint", Duration::hours(2)), "ana")
        .await
        .expect("verify");
    let lease = now + Duration::seconds(30);
    let jobs = push.claim_push_jobs(now, lease, 10).await.expect("jobs");
    assert_eq!(jobs.len(), 2, "the new report's and the alert's: {jobs:?}");
    assert!(
        push.claim_push_jobs(now, lease, 10)
            .await
            .expect("jobs")
            .is_empty(),
        "leased"
    );
    let (reports, alerts) = (&jobs[0], &jobs[1]);
    assert_eq!(reports.audience, Audience::Reports);
    assert_eq!(reports.area.as_deref(), Some("9zvxvf2"));
    assert_eq!(
        (
            alerts.audience,
            alerts.alert,
            alerts.kind,
            alerts.area.as_deref(),
            alerts.attempts
        ),
        (
            Audience::Alerts,
            Some(published.id),
            Some(ReportKind::Checkpoint),
            Some("9zvxvf2"),
            0
        )
    );
    assert_eq!(
        alerts.expires_at.timestamp(),
        published.expires_at.timestamp()
    );

    let endpoints = |targets: Vec<vecinos_server::store::Target>| {
        targets.into_iter().map(|t| t.endpoint).collect::<Vec<_>>()
    };
    let targets = push
        .push_targets(alerts, "", now, 10)
        .await
        .expect("targets");
    assert_eq!(
        endpoints(targets),
        ["https://push.example/near", "https://push.example/wide"]
    );
    let organisers = push
        .push_targets(reports, "", now, 10)
        .await
        .expect("targets");
    assert_eq!(endpoints(organisers), ["https://push.example/organiser"]);
    let page = push.push_targets(alerts, "", now, 1).await.expect("one");
    assert_eq!(endpoints(page), ["https://push.example/near"]);
    let next = push
        .push_targets(alerts, "https://push.example/near", now, 1)
        .await
        .expect("the next");
    assert_eq!(endpoints(next), ["https://push.example/wide"]);

    push.push_delivered(alerts.id, &["https://push.example/near".into()])
        .await
        .expect("record");
    let left = push
        .push_targets(alerts, "", now, 10)
        .await
        .expect("targets");
    assert_eq!(
        endpoints(left),
        ["https://push.example/wide"],
        "never twice"
    );

    push.retry_push_job(alerts.id, now - Duration::seconds(1))
        .await
        .expect("retry");
    let again = push.claim_push_jobs(now, lease, 10).await.expect("jobs");
    assert_eq!((again.len(), again[0].attempts), (1, 1));
    push.finish_push_job(alerts.id).await.expect("done");
    push.finish_push_job(reports.id).await.expect("done");
    let far = now + Duration::hours(3);
    assert!(
        push.claim_push_jobs(far, far, 10)
            .await
            .expect("jobs")
            .is_empty()
    );

    // A repeat of the report queues nothing; an alert without an area is pushed to no one.
    store.add_report(&report(id), now).await.expect("repeat");
    let nowhere = Uuid::new_v4();
    store
        .add_report(
            &Report {
                area: None,
                ..report(nowhere)
            },
            now,
        )
        .await
        .expect("report");
    let jobs = push.claim_push_jobs(now, lease, 10).await.expect("jobs");
    assert_eq!(
        jobs.len(),
        1,
        "the report without an area, for every organiser"
    );
    let organisers = push
        .push_targets(&jobs[0], "", now, 10)
        .await
        .expect("targets");
    assert_eq!(endpoints(organisers), ["https://push.example/organiser"]);
    push.finish_push_job(jobs[0].id).await.expect("done");
    store
        .verify_report(
            nowhere,
            Alert {
                area: None,
                ..alert("Somewhere", Duration::hours(1))
            },
            "ana",
        )
        .await
        .expect("verify");
    assert!(
        push.claim_push_jobs(now, lease, 10)
            .await
            .expect("jobs")
            .is_empty()
    );
}

async fn retention_deletes_expired_push_subscriptions_and_jobs(store: &dyn Store) {
    let push = store.push();
    let now = Utc::now();
    let sub = push_subscription("https://push.example/a", &["9zvxv"], Audience::Alerts);
    push.subscribe(&sub, now + Duration::minutes(5), 10)
        .await
        .expect("subscribe");
    let id = Uuid::new_v4();
    store.add_report(&report(id), now).await.expect("report");
    store
        .verify_report(id, alert("Checkpoint", Duration::minutes(5)), "ana")
        .await
        .expect("verify");
    let retention = Retention {
        reports: Duration::days(7),
        tombstones: Duration::days(30),
    };
    let later = now + Duration::hours(2);
    store.sweep(later, retention).await.expect("sweep");
    assert!(
        push.claim_push_jobs(now, now, 10)
            .await
            .expect("jobs")
            .is_empty()
    );
    assert_eq!(
        push.subscribe(&sub, later, 1).await.expect("subscribe"),
        Subscribed::New,
        "the expired one is gone"
    );
}

async fn the_vapid_key_is_made_once_and_replaced_by_rotation(store: &dyn Store) {
    let push = store.push();
    assert_eq!(push.vapid_key("first").await.expect("key"), "first");
    assert_eq!(push.vapid_key("second").await.expect("key"), "first");
    push.replace_vapid_key("rotated").await.expect("rotate");
    assert_eq!(push.vapid_key("third").await.expect("key"), "rotated");
}

async fn proof_of_work_v2_started_when_the_database_was_made(store: &dyn Store) {
    // The database was made (and migrated) just before this test ran.
    let since = store.pow_v2_since();
    let now = Utc::now();
    assert!(since <= now, "{since} is not in the future");
    assert!(since > now - Duration::minutes(5), "{since} is recent");
    assert_eq!(since.timestamp_subsec_nanos(), 0, "whole seconds");
}

/// The switch time is the database's, not the process's: a store opened again reads what is
/// stored (the migration does not run twice), whatever it says.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_reads_the_proof_of_work_switch_time_when_it_opens() {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = SqliteStore::open(dir.path()).await.expect("opens");
    let made = first.pow_v2_since();
    first.close().await;
    let again = SqliteStore::open(dir.path()).await.expect("opens again");
    assert_eq!(again.pow_v2_since(), made, "kept, not made again");
    again.close().await;
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(dir.path().join("vecinos.db"));
    let mut db = sqlx::SqliteConnection::connect_with(&options)
        .await
        .expect("connects");
    let changed = sqlx::query(SWITCH)
        .bind(SWITCHED)
        .execute(&mut db)
        .await
        .expect("written");
    assert_eq!(changed.rows_affected(), 1);
    db.close().await.expect("closes");
    let reopened = SqliteStore::open(dir.path()).await.expect("opens");
    assert_eq!(reopened.pow_v2_since().timestamp(), SWITCHED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL (VECINOS_TEST_POSTGRES); cargo xtask test runs it"]
async fn postgres_reads_the_proof_of_work_switch_time_when_it_connects() {
    let db = Db::postgres().await;
    let name = db.pg_name.clone().expect("a database");
    let url = format!("{}/{name}", postgres_base());
    let made = db.store.pow_v2_since();
    let again = PostgresStore::connect(&url).await.expect("connects again");
    assert_eq!(again.pow_v2_since(), made, "kept, not made again");
    again.close().await;
    let mut conn = sqlx::PgConnection::connect(&url).await.expect("connects");
    let changed = sqlx::query(SWITCH)
        .bind(SWITCHED)
        .execute(&mut conn)
        .await
        .expect("written");
    assert_eq!(changed.rows_affected(), 1);
    conn.close().await.expect("closes");
    let reconnected = PostgresStore::connect(&url).await.expect("connects");
    assert_eq!(reconnected.pow_v2_since().timestamp(), SWITCHED);
    reconnected.close().await;
    db.cleanup().await;
}

/// 2026-03-09T12:00:00Z.
const SWITCHED: i64 = 1_773_057_600;

const SWITCH: &str = "UPDATE pow_scheme SET v2_since = $1 WHERE id = 1";

/// Deleted means gone from the files too: after a sweep and a scrub, neither SQLite's database
/// nor its write-ahead log holds a deleted report's words, and closing leaves no log behind.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_files_keep_nothing_of_a_swept_report() {
    const WORDS: &str = "1234 Example St Apt 3, the family on the second floor";
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(dir.path()).await.expect("opens");
    let now = Utc::now();
    let id = Uuid::new_v4();
    let words = Report {
        description: WORDS.into(),
        cross_streets: Some(WORDS.into()),
        area: None,
        ..report(id)
    };
    store
        .add_report(&words, now - Duration::days(8))
        .await
        .expect("stored");
    // Enough other rows that the report's page is freed, not rewritten in place.
    for _ in 0..50 {
        store
            .add_report(&report(Uuid::new_v4()), now)
            .await
            .expect("stored");
    }
    let files = |dir: &std::path::Path| -> Vec<(String, bool)> {
        ["vecinos.db", "vecinos.db-wal"]
            .into_iter()
            .map(|name| {
                let bytes = std::fs::read(dir.join(name)).unwrap_or_default();
                let found = bytes.windows(WORDS.len()).any(|w| w == WORDS.as_bytes());
                (name.to_owned(), found)
            })
            .collect()
    };
    assert!(
        files(dir.path()).iter().any(|(_, found)| *found),
        "the words are on disk before the sweep"
    );
    let retention = Retention {
        reports: Duration::days(7),
        tombstones: Duration::days(30),
    };
    let sweep = store.sweep(now, retention).await.expect("sweep");
    assert_eq!(sweep.deleted_reports, 1);
    store.scrub().await.expect("scrub");
    assert_eq!(
        files(dir.path()),
        [
            ("vecinos.db".to_owned(), false),
            ("vecinos.db-wal".to_owned(), false)
        ],
        "nothing of the report is left in either file"
    );
    store.close().await;
    let wal = std::fs::metadata(dir.path().join("vecinos.db-wal")).map_or(0, |m| m.len());
    assert_eq!(wal, 0, "no write-ahead log is left after closing");
}

async fn a_different_report_under_a_known_id_is_refused_and_changes_nothing(store: &dyn Store) {
    let id = Uuid::new_v4();
    let now = Utc::now();
    store.add_report(&report(id), now).await.expect("first");
    let other = Report {
        description: "Nothing to see; all clear".into(),
        ..report(id)
    };
    assert!(matches!(
        store.add_report(&other, now).await,
        Err(StoreError::IdTaken)
    ));
    let kept = store.report(id).await.expect("lookup").expect("the report");
    assert_eq!(kept.description, report(id).description);
    assert_eq!(store.unreviewed().await.expect("count"), 1);
}

async fn triage_pages_newest_first_filters_and_rejects_in_bulk(store: &dyn Store) {
    let now = Utc::now();
    // Five reports a minute apart, the newest first: two areas, two kinds.
    let mut ids = Vec::new();
    for i in 0..5 {
        let id = Uuid::new_v4();
        let r = Report {
            area: Some(if i % 2 == 0 { "9zvxvf2" } else { "9zvxtyf" }.into()),
            kind: if i == 4 {
                ReportKind::HelpNeeded
            } else {
                ReportKind::Checkpoint
            },
            ..report(id)
        };
        store
            .add_report(&r, now - Duration::minutes(i))
            .await
            .expect("report");
        ids.push(id);
    }
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .reports(&ReportQuery {
                after,
                limit: Some(2),
                ..ReportQuery::of(ReportStatus::Received)
            })
            .await
            .expect("page");
        assert!(page.len() <= 2);
        let Some(last) = page.last() else { break };
        after = Some((last.received_at, last.id));
        seen.extend(page.iter().map(|r| r.id));
    }
    assert_eq!(seen, ids, "every report once, newest first");

    let in_cells = |areas: &[&str]| ReportQuery {
        areas: areas.iter().map(|&a| a.to_owned()).collect(),
        ..ReportQuery::default()
    };
    assert_eq!(
        store.reports(&in_cells(&["9zvxv"])).await.expect("q").len(),
        3
    );
    assert_eq!(
        store.reports(&in_cells(&["9zvxt"])).await.expect("q").len(),
        2
    );
    // A neighbourhood of several cells: reports in any of them.
    assert_eq!(
        store
            .reports(&in_cells(&["9zvxt", "9zvxvf"]))
            .await
            .expect("q")
            .len(),
        5
    );
    assert_eq!(
        store
            .reports(&in_cells(&["9zvxu", "9zvxs"]))
            .await
            .expect("q")
            .len(),
        0
    );
    let help = ReportQuery {
        kind: Some(ReportKind::HelpNeeded),
        ..ReportQuery::default()
    };
    assert_eq!(
        store.reports(&help).await.expect("q").first().map(|r| r.id),
        Some(ids[4])
    );

    // The three of the last two and a half minutes are rejected at once; the older two stay.
    let window = ReportQuery {
        since: Some(now - Duration::seconds(150)),
        until: Some(now + Duration::seconds(1)),
        ..ReportQuery::default()
    };
    assert_eq!(
        store
            .reject_reports(&window, "ana", now)
            .await
            .expect("reject"),
        3
    );
    let waiting = store
        .reports(&ReportQuery::of(ReportStatus::Received))
        .await
        .expect("q");
    assert_eq!(
        waiting.iter().map(|r| r.id).collect::<Vec<_>>(),
        ids[3..].to_vec()
    );
    assert_eq!(store.unreviewed().await.expect("count"), 2);
    // By id: one of them, once; a rejected report is not rejected again.
    let by_id = ReportQuery {
        ids: Some(vec![ids[3], ids[0]]),
        ..ReportQuery::default()
    };
    assert_eq!(
        store
            .reject_reports(&by_id, "ana", now)
            .await
            .expect("reject"),
        1
    );
    let audit = store.audit(10).await.expect("audit");
    let bulk: Vec<_> = audit.iter().filter(|e| e.target == "reports").collect();
    assert_eq!(bulk.len(), 2);
    assert!(
        bulk.iter()
            .all(|e| e.action == "rejected"
                && !ids.iter().any(|id| e.detail.contains(&id.to_string()))),
        "{bulk:?}"
    );
}

async fn retention_unlinks_the_audit_trail_from_deleted_reports(store: &dyn Store) {
    let retention = Retention {
        reports: Duration::days(7),
        tombstones: Duration::days(30),
    };
    let now = Utc::now();
    let (old, fresh) = (Uuid::new_v4(), Uuid::new_v4());
    store
        .add_report(&report(old), now - Duration::days(8))
        .await
        .expect("old");
    store.add_report(&report(fresh), now).await.expect("fresh");
    let published = store
        .verify_report(old, alert("Checkpoint", Duration::hours(1)), "ana")
        .await
        .expect("verify");
    store
        .set_report_status(fresh, ReportStatus::Rejected, "bo", now)
        .await
        .expect("reject");
    store.sweep(now, retention).await.expect("sweep");
    let audit = store.audit(10).await.expect("audit");
    assert!(
        audit.iter().all(|e| !e.target.contains(&old.to_string())),
        "{audit:?}"
    );
    let verified = audit
        .iter()
        .find(|e| e.action == "verified")
        .expect("what ana did is kept");
    assert_eq!(verified.actor, "ana");
    assert!(verified.detail.contains(&published.id.to_string()));
    assert!(
        audit.iter().any(|e| e.target == format!("report/{fresh}")),
        "a report still kept keeps its entries"
    );
}

// Organiser accounts under attack (issue 14, findings 2, 3 and 8).

async fn a_new_password_ends_the_users_sessions_and_forgets_their_browsers(store: &dyn Store) {
    use vecinos_server::store::{SignedOut, UserSaved};
    let accounts = store.accounts();
    let now = Utc::now();
    assert_eq!(
        accounts
            .set_password("ana", "first", now)
            .await
            .expect("add"),
        UserSaved::Created
    );
    store
        .create_session("s-1", "ana", now + Duration::hours(1))
        .await
        .expect("session");
    store
        .create_session("s-2", "ana", now + Duration::hours(1))
        .await
        .expect("session");
    accounts
        .add_device("d-1", "ana", now, 20)
        .await
        .expect("device");
    assert_eq!(
        accounts
            .set_password("ana", "second", now)
            .await
            .expect("replace"),
        UserSaved::Replaced(SignedOut {
            sessions: 2,
            devices: 1
        })
    );
    assert_eq!(store.session_user("s-1", now).await.expect("lookup"), None);
    assert!(
        !accounts
            .trusted_device("d-1", "ana", now, 5)
            .await
            .expect("lookup")
    );
    assert_eq!(
        store.password_hash("ana").await.expect("lookup").as_deref(),
        Some("second")
    );
    // The older way of setting a password ends sessions too.
    store
        .create_session("s-3", "ana", now + Duration::hours(1))
        .await
        .expect("session");
    store.add_user("ana", "third", now).await.expect("replace");
    assert_eq!(store.session_user("s-3", now).await.expect("lookup"), None);
}

async fn removing_or_signing_out_a_user_ends_their_sessions_only(store: &dyn Store) {
    use vecinos_server::store::SignedOut;
    let accounts = store.accounts();
    let now = Utc::now();
    for name in ["ana", "bo"] {
        store.add_user(name, "hash", now).await.expect("user");
        store
            .create_session(&format!("s-{name}"), name, now + Duration::hours(1))
            .await
            .expect("session");
        accounts
            .add_device(&format!("d-{name}"), name, now, 20)
            .await
            .expect("device");
    }
    assert!(matches!(
        accounts.sign_out_user("nobody").await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        accounts.remove_user("nobody").await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        accounts.sign_out_user("ana").await.expect("sign out"),
        SignedOut {
            sessions: 1,
            devices: 1
        }
    );
    assert_eq!(
        store.session_user("s-ana", now).await.expect("lookup"),
        None
    );
    assert!(
        store.password_hash("ana").await.expect("lookup").is_some(),
        "signed out, not removed"
    );
    assert_eq!(
        store
            .session_user("s-bo", now)
            .await
            .expect("lookup")
            .as_deref(),
        Some("bo")
    );
    assert_eq!(
        accounts.remove_user("bo").await.expect("remove"),
        SignedOut {
            sessions: 1,
            devices: 1
        }
    );
    assert_eq!(store.session_user("s-bo", now).await.expect("lookup"), None);
    assert_eq!(store.password_hash("bo").await.expect("lookup"), None);
    assert!(
        !accounts
            .trusted_device("d-bo", "bo", now, 5)
            .await
            .expect("lookup")
    );
}

async fn failed_sign_ins_are_counted_one_turn_at_a_time_and_forgotten(store: &dyn Store) {
    use vecinos_server::store::{FAILURE_NAMES, Failures};
    let accounts = store.accounts();
    let now = Utc::now();
    // Names without an account are counted like the others.
    assert_eq!(
        accounts.sign_in_failures("zed", now).await.expect("read"),
        None
    );
    assert!(
        accounts
            .count_sign_in_attempt("zed", None, now, FAILURE_NAMES)
            .await
            .expect("count")
    );
    assert!(
        !accounts
            .count_sign_in_attempt("zed", None, now, FAILURE_NAMES)
            .await
            .expect("count"),
        "someone else counted first: read again"
    );
    let first = accounts
        .sign_in_failures("zed", now)
        .await
        .expect("read")
        .expect("counted");
    assert_eq!(first.count, 1);
    assert_eq!(first.last.timestamp_millis(), now.timestamp_millis());

    // Of attempts that read the same failures, exactly one is counted.
    let later = now + Duration::milliseconds(1500);
    let mut counted = 0;
    for _ in 0..5 {
        if accounts
            .count_sign_in_attempt("zed", Some(first), later, FAILURE_NAMES)
            .await
            .expect("count")
        {
            counted += 1;
        }
    }
    assert_eq!(counted, 1);
    assert_eq!(
        accounts.sign_in_failures("zed", later).await.expect("read"),
        Some(Failures {
            count: 2,
            last: chrono::DateTime::from_timestamp_millis(later.timestamp_millis())
                .expect("a time")
        })
    );
    // A failure's wait runs from its answer.
    let answered = later + Duration::seconds(2);
    accounts
        .sign_in_failed("zed", answered)
        .await
        .expect("failed");
    assert_eq!(
        accounts
            .sign_in_failures("zed", answered)
            .await
            .expect("read")
            .map(|f| (f.count, f.last.timestamp())),
        Some((2, answered.timestamp()))
    );

    // A day later they are forgotten, and the next attempt counts from one.
    let tomorrow = answered + Duration::hours(25);
    assert_eq!(
        accounts
            .sign_in_failures("zed", tomorrow)
            .await
            .expect("read"),
        None
    );
    assert!(
        accounts
            .count_sign_in_attempt("zed", None, tomorrow, FAILURE_NAMES)
            .await
            .expect("count")
    );
    assert_eq!(
        accounts
            .sign_in_failures("zed", tomorrow)
            .await
            .expect("read")
            .map(|f| f.count),
        Some(1)
    );

    assert!(accounts.clear_sign_in_failures("zed").await.expect("clear"));
    assert!(!accounts.clear_sign_in_failures("zed").await.expect("clear"));
    assert_eq!(
        accounts
            .sign_in_failures("zed", tomorrow)
            .await
            .expect("read"),
        None
    );

    // Retention deletes failures a day old.
    accounts
        .count_sign_in_attempt("old", None, now, FAILURE_NAMES)
        .await
        .expect("count");
    accounts
        .count_sign_in_attempt("new", None, tomorrow, FAILURE_NAMES)
        .await
        .expect("count");
    let retention = Retention {
        reports: Duration::days(7),
        tombstones: Duration::days(30),
    };
    store.sweep(tomorrow, retention).await.expect("sweep");
    assert_eq!(
        accounts.sign_in_failures("old", now).await.expect("read"),
        None,
        "gone from the table, not only too old to count"
    );
    assert!(
        accounts
            .sign_in_failures("new", tomorrow)
            .await
            .expect("read")
            .is_some()
    );
}

async fn failed_sign_ins_are_kept_for_a_bounded_number_of_names(store: &dyn Store) {
    let accounts = store.accounts();
    let now = Utc::now();
    for (i, name) in ["a", "b", "c", "d", "e"].into_iter().enumerate() {
        let at = now + Duration::seconds(i64::try_from(i).expect("small"));
        assert!(
            accounts
                .count_sign_in_attempt(name, None, at, 3)
                .await
                .expect("count")
        );
    }
    let later = now + Duration::minutes(1);
    let mut kept = Vec::new();
    for name in ["a", "b", "c", "d", "e"] {
        if accounts
            .sign_in_failures(name, later)
            .await
            .expect("read")
            .is_some()
        {
            kept.push(name);
        }
    }
    assert_eq!(kept, ["c", "d", "e"], "the oldest are forgotten first");
}

async fn trusted_browsers_count_their_own_failures_and_expire(store: &dyn Store) {
    let accounts = store.accounts();
    let now = Utc::now();
    store.add_user("ana", "hash", now).await.expect("user");
    accounts
        .add_device("d-1", "ana", now, 2)
        .await
        .expect("device");
    assert!(
        accounts
            .trusted_device("d-1", "ana", now, 5)
            .await
            .expect("lookup")
    );
    assert!(
        !accounts
            .trusted_device("d-1", "bo", now, 5)
            .await
            .expect("lookup"),
        "trusted for its user only"
    );
    assert_eq!(
        accounts
            .count_device_attempt("d-1", "bo", now, 5)
            .await
            .expect("count"),
        None
    );
    let mut counts = Vec::new();
    for _ in 0..6 {
        counts.push(
            accounts
                .count_device_attempt("d-1", "ana", now, 5)
                .await
                .expect("count"),
        );
    }
    assert_eq!(counts, [Some(1), Some(2), Some(3), Some(4), Some(5), None]);
    assert!(
        !accounts
            .trusted_device("d-1", "ana", now, 5)
            .await
            .expect("lookup")
    );
    accounts.device_signed_in("d-1", now).await.expect("reset");
    assert!(
        accounts
            .trusted_device("d-1", "ana", now, 5)
            .await
            .expect("lookup"),
        "a success starts the count again"
    );

    // Two browsers per user here: a third forgets the least recently used.
    accounts
        .add_device("d-2", "ana", now + Duration::seconds(1), 2)
        .await
        .expect("device");
    accounts
        .device_signed_in("d-1", now + Duration::seconds(2))
        .await
        .expect("used");
    accounts
        .add_device("d-3", "ana", now + Duration::seconds(3), 2)
        .await
        .expect("device");
    let later = now + Duration::seconds(4);
    let mut trusted = Vec::new();
    for device in ["d-1", "d-2", "d-3"] {
        if accounts
            .trusted_device(device, "ana", later, 5)
            .await
            .expect("lookup")
        {
            trusted.push(device);
        }
    }
    assert_eq!(trusted, ["d-1", "d-3"]);

    // Unused for 180 days, a browser is trusted no longer, and retention deletes it.
    let half_year = now + Duration::days(181);
    assert!(
        !accounts
            .trusted_device("d-3", "ana", half_year, 5)
            .await
            .expect("lookup")
    );
    let retention = Retention {
        reports: Duration::days(7),
        tombstones: Duration::days(30),
    };
    store.sweep(half_year, retention).await.expect("sweep");
    assert!(
        !accounts
            .trusted_device("d-3", "ana", later, 5)
            .await
            .expect("lookup")
    );
    accounts.delete_device("d-1").await.expect("delete");
    assert!(
        !accounts
            .trusted_device("d-1", "ana", later, 5)
            .await
            .expect("lookup")
    );
}

async fn revising_an_alert_queues_its_push_and_resolving_its_report_withdraws_it(
    store: &dyn Store,
) {
    let now = Utc::now();
    let report_id = Uuid::new_v4();
    store
        .add_report(&report(report_id), now)
        .await
        .expect("report");
    let push = store.push();
    // Jobs are claimed a little later than they are queued (times are kept to the second).
    let claim = now + Duration::minutes(1);
    let lease = claim + Duration::seconds(30);
    for job in push.claim_push_jobs(claim, lease, 10).await.expect("jobs") {
        push.finish_push_job(job.id).await.expect("done");
    }
    let alert = store
        .verify_report(report_id, alert("Checkpoint", Duration::hours(2)), "ana")
        .await
        .expect("verify");
    assert_eq!(
        store.source_area(alert.id).await.expect("area").as_deref(),
        Some("9zvxvf2")
    );
    let jobs = push.claim_push_jobs(claim, lease, 10).await.expect("jobs");
    assert_eq!(jobs.len(), 1, "the new alert");
    push.finish_push_job(jobs[0].id).await.expect("done");

    let updated = store
        .revise_alert(
            Alert {
                summary: "Checkpoint moved".into(),
                ..alert.clone()
            },
            alert.version,
            "bo",
            "updated",
        )
        .await
        .expect("update");
    assert_eq!(updated.version, alert.version + 1);
    assert!(matches!(
        store
            .revise_alert(alert.clone(), alert.version, "bo", "updated")
            .await,
        Err(StoreError::Conflict(Some(_)))
    ));
    let jobs = push.claim_push_jobs(claim, lease, 10).await.expect("jobs");
    assert_eq!(jobs.len(), 1, "the update is pushed like a new alert");
    assert_eq!(jobs[0].alert, Some(alert.id));
    push.finish_push_job(jobs[0].id).await.expect("done");

    store
        .set_report_status(report_id, ReportStatus::Resolved, "ana", now)
        .await
        .expect("resolve");
    let Some(Record::Alert(cleared)) = store
        .record(RecordKind::Alert, alert.id)
        .await
        .expect("lookup")
    else {
        panic!("the all clear stays for an hour")
    };
    assert_eq!(
        cleared.withdrawn.map(|w| w.reason),
        Some(vecinos_core::WithdrawalReason::Over)
    );
    assert_eq!(
        push.claim_push_jobs(claim, lease, 10)
            .await
            .expect("jobs")
            .len(),
        1,
        "the all clear is pushed too"
    );
    let audit = store.audit(10).await.expect("audit");
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    assert!(
        actions.contains(&"updated") && actions.contains(&"withdrawn"),
        "{actions:?}"
    );
}

async fn invites_work_once_within_their_day_and_the_first_account_is_the_admin(store: &dyn Store) {
    let accounts = store.accounts();
    let now = Utc::now();
    store.add_user("ana", "hash-a", now).await.expect("first");
    store.add_user("bea", "hash-b", now).await.expect("second");
    accounts
        .add_invite("invite-1", "ana", now, now + INVITE_KEPT)
        .await
        .expect("invite");
    assert!(accounts.invite_open("invite-1", now).await.expect("open"));
    assert!(
        !accounts
            .invite_open("invite-1", now + INVITE_KEPT)
            .await
            .expect("open")
    );
    // A taken name leaves the invite usable; then it works once.
    assert_eq!(
        accounts
            .join("invite-1", "bea", "hash-c", now)
            .await
            .expect("join"),
        Joined::NameTaken
    );
    assert_eq!(
        accounts
            .join("invite-1", "cai", "hash-c", now)
            .await
            .expect("join"),
        Joined::Created {
            invited_by: "ana".into()
        }
    );
    assert!(matches!(
        accounts.join("invite-1", "dee", "hash-d", now).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        store.password_hash("cai").await.expect("hash").as_deref(),
        Some("hash-c")
    );
    // Past its day, an invite is refused, and the next invite made forgets it.
    accounts
        .add_invite("invite-2", "ana", now - INVITE_KEPT * 2, now - INVITE_KEPT)
        .await
        .expect("old invite");
    assert!(matches!(
        accounts.join("invite-2", "dee", "hash-d", now).await,
        Err(StoreError::NotFound)
    ));
    let member = |name: &str, admin| Member {
        name: name.into(),
        admin,
    };
    assert_eq!(
        accounts.members().await.expect("members"),
        vec![
            member("ana", true),
            member("bea", false),
            member("cai", false)
        ]
    );
    assert!(accounts.is_admin("ana").await.expect("role"));
    assert!(!accounts.is_admin("cai").await.expect("role"));
    assert!(!accounts.is_admin("nobody").await.expect("role"));
    // An admin's removal ends the organiser and is in the audit trail, as are the invite and join.
    accounts
        .remove_member("cai", "ana", now)
        .await
        .expect("removed");
    assert!(matches!(
        accounts.remove_member("cai", "ana", now).await,
        Err(StoreError::NotFound)
    ));
    let actions: Vec<String> = store
        .audit(10)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| format!("{} {} {}", e.actor, e.action, e.target))
        .collect();
    for line in ["ana invite ", "ana join cai", "ana remove_organiser cai"] {
        assert!(actions.iter().any(|a| a == line), "{line}: {actions:?}");
    }
}
