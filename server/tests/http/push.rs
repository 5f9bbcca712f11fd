//! Web Push over real HTTP: subscriptions (validation, sessions, removal, limits) and the fan-out
//! through a local push-service stand-in (`examples/push_standin`) that checks each request's
//! VAPID token and decrypts its body with the test subscription's private key.

#[path = "../../examples/push_standin/standin.rs"]
mod standin;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use reqwest::StatusCode;
use reqwest::header::{COOKIE, SET_COOKIE};
use serde_json::{Value, json};
use uuid::Uuid;
use vecinos_core::{Alert, ErrorBody};
use vecinos_server::AppState;
use vecinos_server::config::Config;
use vecinos_server::push::Vapid;
use vecinos_server::store::{SharedStore, SqliteStore};
use web_push_native::p256::SecretKey;
use web_push_native::p256::elliptic_curve::rand_core::OsRng;
use web_push_native::p256::elliptic_curve::sec1::ToEncodedPoint;

use super::reports::{post, report_body};
use super::test_config;
use standin::Received;

const PASSWORD: &str = "a long organiser password";

/// The server (API and push worker) on a SQLite folder that outlives it.
struct Running {
    base: String,
    store: SharedStore,
    tasks: [tokio::task::JoinHandle<()>; 2],
}

impl Running {
    fn stop(self) {
        self.tasks.iter().for_each(tokio::task::JoinHandle::abort);
    }
}

fn push_config(vapid: &Vapid) -> Config {
    Config {
        vapid: Some(vapid.clone()),
        allow_loopback_push: true,
        push_rate: 10_000,
        push_lease: Duration::from_secs(1),
        ..test_config()
    }
}

async fn run(data: &Path, config: Config) -> Running {
    let store: SharedStore = Arc::new(SqliteStore::open(data).await.expect("database opens"));
    let state = AppState::new(store.clone(), config);
    let worker = vecinos_server::push::spawn(&state).expect("a worker: the config has a key");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let app = vecinos_server::app(state, None);
    let server = tokio::spawn(async move { axum::serve(listener, app).await.expect("serves") });
    Running {
        base,
        store,
        tasks: [worker, server],
    }
}

async fn standin() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    standin::start(listener).await.expect("the stand-in starts")
}

/// A phone's push subscription, made with test keys where a browser would call
/// `PushManager.subscribe`; the stand-in is told its private half.
struct Phone {
    endpoint: String,
    p256dh: String,
    auth: String,
}

async fn phone(standin: &str, name: &str) -> Phone {
    let secret = SecretKey::random(&mut OsRng);
    let p256dh = URL_SAFE_NO_PAD.encode(secret.public_key().to_encoded_point(false).as_bytes());
    let auth = URL_SAFE_NO_PAD.encode(Uuid::new_v4().as_bytes());
    let res = reqwest::Client::new()
        .put(format!("{standin}/keys/{name}"))
        .json(&json!({ "private_key": URL_SAFE_NO_PAD.encode(secret.to_bytes()), "auth": auth }))
        .send()
        .await
        .expect("keys");
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    Phone {
        endpoint: format!("{standin}/push/{name}"),
        p256dh,
        auth,
    }
}

impl Phone {
    fn subscription(&self, cells: &[&str], audience: &str) -> Value {
        json!({
            "endpoint": self.endpoint,
            "keys": { "p256dh": self.p256dh, "auth": self.auth },
            "cells": cells,
            "audience": audience,
        })
    }
}

async fn subscribe(base: &str, body: &Value, cookie: Option<&str>) -> reqwest::Response {
    let mut req = reqwest::Client::new()
        .post(format!("{base}/api/v1/push/subscriptions"))
        .json(body);
    if let Some(cookie) = cookie {
        req = req.header(COOKIE, cookie);
    }
    req.send().await.expect("request")
}

async fn sign_in(server: &Running) -> String {
    let hash = vecinos_server::auth::hash_password(PASSWORD).expect("hash");
    server
        .store
        .add_user("ana", &hash, Utc::now())
        .await
        .expect("user");
    let res = reqwest::Client::new()
        .post(format!("{}/api/v1/session", server.base))
        .json(&json!({ "name": "ana", "password": PASSWORD }))
        .send()
        .await
        .expect("sign in");
    let cookie = res.headers()[SET_COOKIE].to_str().expect("ascii");
    cookie.split(';').next().expect("name=value").to_owned()
}

/// Sends a report (in 9zvxvf2) and verifies it: the alert.
async fn publish(server: &Running, cookie: &str) -> Alert {
    let id = Uuid::new_v4();
    assert_eq!(
        post(&server.base, &report_body(id)).await.status(),
        StatusCode::CREATED
    );
    let res = reqwest::Client::new()
        .post(format!("{}/api/v1/reports/{id}/verify", server.base))
        .header(COOKIE, cookie)
        .json(&json!({ "summary": "Agents at the laundromat", "area": "9zvxvf2" }))
        .send()
        .await
        .expect("verify");
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json().await.expect("the alert")
}

async fn received(standin: &str) -> Vec<Received> {
    reqwest::get(format!("{standin}/received"))
        .await
        .expect("received")
        .json()
        .await
        .expect("a list")
}

/// Waits until the stand-in has accepted `count` pushes, then a little longer to see that no
/// more arrive.
async fn await_received(standin: &str, count: usize) -> Vec<Received> {
    for _ in 0..200 {
        if received(standin).await.len() >= count {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let all = received(standin).await;
    assert_eq!(all.len(), count, "{all:#?}");
    all
}

async fn db(data: &Path) -> sqlx::SqlitePool {
    sqlx::SqlitePool::connect(&format!("sqlite://{}", data.join("vecinos.db").display()))
        .await
        .expect("the database opens")
}

async fn count(pool: &sqlx::SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(pool)
        .await
        .expect("a count")
}

fn by_name(all: &[Received]) -> HashMap<&str, Vec<&Received>> {
    let mut map: HashMap<&str, Vec<&Received>> = HashMap::new();
    for r in all {
        map.entry(r.name.as_str()).or_default().push(r);
    }
    map
}

#[tokio::test]
async fn each_covering_subscription_gets_one_generic_push_and_the_others_none() {
    let data = tempfile::tempdir().expect("temp dir");
    let vapid = Vapid::new(&Vapid::generate_key(), "mailto:test@example.org").expect("key");
    let server = run(data.path(), push_config(&vapid)).await;
    let standin = standin().await;
    let cookie = sign_in(&server).await;
    let subscriptions = [
        ("near", vec!["9zvxv"], "alerts"),
        ("wide", vec!["u4pru", "9z"], "alerts"),
        ("far", vec!["9zvxw", "u4pru"], "alerts"),
        ("organiser", vec!["9zvxv"], "reports"),
        ("other-organiser", vec!["9zvxw"], "reports"),
    ];
    for (name, cells, audience) in &subscriptions {
        let phone = phone(&standin, name).await;
        let res = subscribe(
            &server.base,
            &phone.subscription(cells, audience),
            Some(&cookie),
        )
        .await;
        assert_eq!(res.status(), StatusCode::CREATED, "{name}");
    }

    let alert = publish(&server, &cookie).await;
    let all = await_received(&standin, 3).await;
    let got = by_name(&all);
    assert_eq!(
        got.keys()
            .copied()
            .collect::<std::collections::BTreeSet<_>>(),
        ["near", "organiser", "wide"].into(),
    );
    for name in ["near", "wide"] {
        let [push] = got[name].as_slice() else {
            panic!("{name}: exactly one push")
        };
        let payload: Value =
            serde_json::from_str(push.payload.as_deref().expect("decrypted")).expect("json");
        assert_eq!(
            payload,
            json!({ "alert": alert.id, "kind": "enforcement_seen" })
        );
        assert_eq!(push.urgency.as_deref(), Some("high"));
        assert_eq!(push.topic, Some(alert.id.simple().to_string()));
        let left = (alert.expires_at - Utc::now()).num_seconds();
        assert!(push.ttl as i64 <= left + 5 && push.ttl as i64 >= left - 60);
        assert_eq!(push.vapid_key, vapid.public_key());
        assert_eq!(push.subject, "mailto:test@example.org");
    }
    let [told] = got["organiser"].as_slice() else {
        panic!("the organiser is told once")
    };
    assert_eq!(told.payload.as_deref(), Some(r#"{"reports":1}"#));

    let pool = db(data.path()).await;
    for _ in 0..50 {
        if count(&pool, "SELECT COUNT(*) FROM push_jobs").await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM push_jobs").await, 0);
    assert_eq!(
        count(&pool, "SELECT COUNT(*) FROM push_deliveries").await,
        0
    );
    server.stop();
}

#[tokio::test]
async fn a_gone_subscription_is_deleted_and_a_failing_push_is_retried() {
    let data = tempfile::tempdir().expect("temp dir");
    let vapid = Vapid::new(&Vapid::generate_key(), "mailto:test@example.org").expect("key");
    let server = run(data.path(), push_config(&vapid)).await;
    let standin = standin().await;
    let cookie = sign_in(&server).await;
    let client = reqwest::Client::new();
    for (name, status, times) in [("gone", 410, 0), ("flaky", 500, 1)] {
        let phone = phone(&standin, name).await;
        let res = subscribe(
            &server.base,
            &phone.subscription(&["9zvxv"], "alerts"),
            None,
        )
        .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        client
            .put(format!("{standin}/answer/{name}"))
            .json(&json!({ "status": status, "times": times }))
            .send()
            .await
            .expect("answer");
    }
    publish(&server, &cookie).await;
    let all = await_received(&standin, 1).await;
    assert_eq!(all[0].name, "flaky", "delivered on the retry");
    let pool = db(data.path()).await;
    assert_eq!(
        count(&pool, "SELECT COUNT(*) FROM push_subscriptions").await,
        1,
        "the 410 deleted its subscription"
    );
    server.stop();
}

#[tokio::test]
async fn a_restart_in_the_middle_of_a_fan_out_loses_and_duplicates_nothing() {
    let data = tempfile::tempdir().expect("temp dir");
    let vapid = Vapid::new(&Vapid::generate_key(), "mailto:test@example.org").expect("key");
    let server = run(data.path(), push_config(&vapid)).await;
    let standin = standin().await;
    let cookie = sign_in(&server).await;
    const PHONES: usize = 60;
    const BEFORE: usize = 20;
    for i in 0..PHONES {
        let phone = phone(&standin, &format!("phone-{i:02}")).await;
        let res = subscribe(&server.base, &phone.subscription(&["9zvx"], "alerts"), None).await;
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    let client = reqwest::Client::new();
    client
        .put(format!("{standin}/hold/{BEFORE}"))
        .send()
        .await
        .expect("hold");
    publish(&server, &cookie).await;

    // Stop the server once the pushes accepted so far are recorded; the requests left unanswered
    // are cut off with it.
    let pool = db(data.path()).await;
    for _ in 0..200 {
        if count(&pool, "SELECT COUNT(*) FROM push_deliveries").await == BEFORE as i64 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        count(&pool, "SELECT COUNT(*) FROM push_deliveries").await,
        BEFORE as i64
    );
    server.stop();
    assert_eq!(received(&standin).await.len(), BEFORE);

    client
        .put(format!("{standin}/hold/{}", usize::MAX))
        .send()
        .await
        .expect("release");
    let again = run(data.path(), push_config(&vapid)).await;
    let all = await_received(&standin, PHONES).await;
    let got = by_name(&all);
    assert_eq!(got.len(), PHONES, "every phone");
    assert!(got.values().all(|pushes| pushes.len() == 1), "once each");
    again.stop();
}

#[tokio::test]
async fn bad_subscriptions_get_400_naming_the_field() {
    let data = tempfile::tempdir().expect("temp dir");
    let vapid = Vapid::new(&Vapid::generate_key(), "mailto:test@example.org").expect("key");
    let config = Config {
        allow_loopback_push: false,
        ..push_config(&vapid)
    };
    let server = run(data.path(), config).await;
    let mut good = phone(&standin().await, "x")
        .await
        .subscription(&["9zvxv"], "alerts");
    good["endpoint"] = json!("https://push.example.org/send/abc");
    let long_key = URL_SAFE_NO_PAD.encode([4u8; 66]);
    let cases: Vec<(&str, Value, &str)> = vec![
        ("endpoint", json!("http://push.example.org/x"), "endpoint"),
        ("endpoint", json!("http://127.0.0.1:9/push/x"), "endpoint"),
        (
            "endpoint",
            json!(format!("https://push.example.org/{}", "x".repeat(1000))),
            "endpoint",
        ),
        (
            "keys",
            json!({ "p256dh": long_key, "auth": URL_SAFE_NO_PAD.encode([1u8; 16]) }),
            "keys.p256dh",
        ),
        (
            "keys",
            json!({ "p256dh": "not base64!", "auth": URL_SAFE_NO_PAD.encode([1u8; 16]) }),
            "keys.p256dh",
        ),
        (
            "keys",
            json!({ "p256dh": good["keys"]["p256dh"], "auth": URL_SAFE_NO_PAD.encode([1u8; 17]) }),
            "keys.auth",
        ),
        ("cells", json!([]), "cells"),
        ("cells", json!(vec!["9zvxv"; 13]), "cells"),
        ("cells", json!(["9zvxv", "9zvxw", "9zvxvf"]), "cells[2]"),
        ("cells", json!(["9zvxv", "9zvxw", "9zva"]), "cells[2]"),
        ("audience", json!("everyone"), "audience"),
    ];
    for (key, value, field) in cases {
        let mut body = good.clone();
        body[key] = value.clone();
        let res = subscribe(&server.base, &body, None).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{key}: {value}");
        let error: ErrorBody = res.json().await.expect("an error body");
        assert_eq!(error.field.as_deref(), Some(field), "{key}: {value}");
    }
    let mut huge = good.clone();
    huge["padding"] = json!("x".repeat(8 * 1024));
    let res = subscribe(&server.base, &huge, None).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let res = subscribe(&server.base, &good, None).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    server.stop();
}

#[tokio::test]
async fn organisers_subscribe_for_reports_with_a_session_and_anyone_can_unsubscribe() {
    let data = tempfile::tempdir().expect("temp dir");
    let vapid = Vapid::new(&Vapid::generate_key(), "mailto:test@example.org").expect("key");
    let server = run(data.path(), push_config(&vapid)).await;
    let phone = phone(&standin().await, "ana").await;
    let reports = phone.subscription(&["9zvxv"], "reports");
    let res = subscribe(&server.base, &reports, None).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let cookie = sign_in(&server).await;
    let res = subscribe(&server.base, &reports, Some(&cookie)).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = subscribe(&server.base, &reports, Some(&cookie)).await;
    assert_eq!(res.status(), StatusCode::OK, "renewed");
    let alerts = phone.subscription(&["9zvxv", "9zvxw"], "alerts");
    assert_eq!(
        subscribe(&server.base, &alerts, None).await.status(),
        StatusCode::CREATED,
        "the same phone also watches alerts"
    );
    let pool = db(data.path()).await;
    let stored = "SELECT COUNT(*) FROM push_subscriptions";
    assert_eq!(count(&pool, stored).await, 2);

    let client = reqwest::Client::new();
    let delete = |body: Value| {
        client
            .delete(format!("{}/api/v1/push/subscriptions", server.base))
            .json(&body)
            .send()
    };
    let res = delete(json!({ "endpoint": phone.endpoint, "audience": "reports" }))
        .await
        .expect("delete");
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(count(&pool, stored).await, 1);
    for _ in 0..2 {
        let res = delete(json!({ "endpoint": phone.endpoint }))
            .await
            .expect("delete");
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "also when unknown");
    }
    assert_eq!(count(&pool, stored).await, 0);
    server.stop();
}

#[tokio::test]
async fn subscriptions_are_throttled_and_capped() {
    let data = tempfile::tempdir().expect("temp dir");
    let vapid = Vapid::new(&Vapid::generate_key(), "mailto:test@example.org").expect("key");
    let config = Config {
        max_push_subscriptions: 3,
        push_rate: 1,
        ..push_config(&vapid)
    };
    let server = run(data.path(), config).await;
    let standin = standin().await;
    let first = phone(&standin, "first")
        .await
        .subscription(&["9"], "alerts");
    let mut statuses = vec![];
    for i in 0..4 {
        let phone = phone(&standin, &format!("p{i}")).await;
        let res = subscribe(&server.base, &phone.subscription(&["9"], "alerts"), None).await;
        statuses.push(res.status());
    }
    assert_eq!(
        statuses,
        [
            StatusCode::CREATED,
            StatusCode::CREATED,
            StatusCode::CREATED,
            StatusCode::SERVICE_UNAVAILABLE
        ],
        "at most 3 stored"
    );
    let mut throttled = false;
    for _ in 0..12 {
        let res = subscribe(&server.base, &first, None).await;
        throttled |= res.status() == StatusCode::TOO_MANY_REQUESTS;
    }
    assert!(throttled, "one write a second, ten saved up");
    server.stop();
}

#[tokio::test]
async fn the_subscriptions_table_holds_six_columns_and_nothing_about_the_phone() {
    let data = tempfile::tempdir().expect("temp dir");
    let vapid = Vapid::new(&Vapid::generate_key(), "mailto:test@example.org").expect("key");
    let server = run(data.path(), push_config(&vapid)).await;
    let pool = db(data.path()).await;
    let mut columns: Vec<String> =
        sqlx::query_scalar("SELECT name FROM pragma_table_info('push_subscriptions')")
            .fetch_all(&pool)
            .await
            .expect("columns");
    columns.sort();
    assert_eq!(
        columns,
        [
            "audience",
            "auth",
            "cells",
            "endpoint",
            "expires_at",
            "p256dh"
        ]
    );
    server.stop();
}

#[tokio::test]
async fn the_config_offers_the_vapid_public_key_only_when_pushing() {
    let data = tempfile::tempdir().expect("temp dir");
    let vapid = Vapid::new(&Vapid::generate_key(), "mailto:test@example.org").expect("key");
    let server = run(data.path(), push_config(&vapid)).await;
    let config: Value = reqwest::get(format!("{}/api/v1/config", server.base))
        .await
        .expect("config")
        .json()
        .await
        .expect("json");
    let key = config["push"]["public_key"].as_str().expect("a key");
    assert_eq!(key, vapid.public_key());
    let point = URL_SAFE_NO_PAD.decode(key).expect("base64url");
    assert_eq!((point.len(), point[0]), (65, 4));
    server.stop();

    let plain = super::start(None).await;
    let config: Value = reqwest::get(format!("{}/api/v1/config", plain.base))
        .await
        .expect("config")
        .json()
        .await
        .expect("json");
    assert!(config.get("push").is_none(), "{config}");
}
