//! Every route that reads a JSON body, fed arbitrary bytes, arbitrary JSON values and valid
//! bodies with wild field values, through the real router (`tower::ServiceExt::oneshot`) over
//! SQLite in a temporary folder. Whatever is sent, the answer is below 500 and, when it is a 4xx,
//! an `ErrorBody` in JSON.
//!
//! One app serves every target and case: opening SQLite per case would be slow. It holds the
//! demo data, an organiser signed in through the router, and received reports to verify, reject
//! and resolve.

use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Method, Request, StatusCode, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Value, json};
use tower::ServiceExt;
use uuid::Uuid;
use vecinos_core::pow;
use vecinos_core::{ChangePage, ErrorBody, Record, Report, ReportKind};
use vecinos_server::AppState;
use vecinos_server::config::Config;
use vecinos_server::push::Vapid;
use vecinos_server::store::{SharedStore, SqliteStore};

use crate::generate::{
    byte_edits, deep_nesting, edit_bytes, json_value, mutate, mutations, wild_string,
};

const ORGANISER: &str = "ana";
const PASSWORD: &str = "correct horse battery staple";
/// Names the sign-in target mostly uses, so that the throttle soon answers for them instead of
/// argon2 (slow in a debug build) hashing on every case.
const NAMES: &[&str] = &[ORGANISER, "bea", "", "\u{202e}ana"];
/// The P-256 base point, uncompressed: a valid subscription key.
const P256_G: [u8; 65] = {
    let x = *b"\x6b\x17\xd1\xf2\xe1\x2c\x42\x47\xf8\xbc\xe6\xe5\x63\xa4\x40\xf2\x77\x03\x7d\x81\x2d\xeb\x33\xa0\xf4\xa1\x39\x45\xd8\x98\xc2\x96";
    let y = *b"\x4f\xe3\x42\xe2\xfe\x1a\x7f\x9b\x8e\xe7\xeb\x4a\x7c\x0f\x9e\x16\x2b\xce\x33\x57\x6b\x31\x5e\xce\xcb\xb6\x40\x68\x37\xbf\x51\xf5";
    let mut point = [4u8; 65];
    let mut i = 0;
    while i < 32 {
        point[1 + i] = x[i];
        point[33 + i] = y[i];
        i += 1;
    }
    point
};

struct Harness {
    rt: tokio::runtime::Runtime,
    app: Router,
    cookie: String,
    /// Reports stored as received, for the moderation routes.
    reports: Vec<Uuid>,
    /// Ids of the demo events, resources and cards.
    events: Vec<Uuid>,
    resources: Vec<Uuid>,
    cards: Vec<Uuid>,
    /// A report with a valid stamp for today's salt.
    report: Value,
    _data: tempfile::TempDir,
}

static HARNESS: LazyLock<Harness> = LazyLock::new(start);

fn start() -> Harness {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let data = tempfile::tempdir().expect("temp dir");
    let config = Config {
        pow_difficulty: 8,
        report_rate: 1_000_000,
        feed_head_ttl: std::time::Duration::ZERO,
        vapid: Some(
            Vapid::new(&Vapid::generate_key(), "mailto:fuzz@example.org").expect("a VAPID key"),
        ),
        push_rate: 1_000_000,
        max_push_subscriptions: u64::MAX,
        ..Config::default()
    };
    let (app, cookie, reports, records) = rt.block_on(async {
        let store: SharedStore = Arc::new(
            SqliteStore::open(data.path())
                .await
                .expect("database opens"),
        );
        let now = Utc::now();
        assert!(
            vecinos_server::seed_demo(store.as_ref(), now.date_naive())
                .await
                .expect("seeds")
        );
        let hash = vecinos_server::auth::hash_password(PASSWORD).expect("hash");
        store.add_user(ORGANISER, &hash, now).await.expect("user");
        let mut reports = Vec::new();
        for i in 0..64u128 {
            let report = report_at(Uuid::from_u128(0xf022_0000 + i), now);
            store.add_report(&report, now).await.expect("report");
            reports.push(report.id);
        }
        let app = vecinos_server::app(AppState::new(store.clone(), config), None);
        let res = app
            .clone()
            .oneshot(
                Request::post("/api/v1/session")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(
                        json!({ "name": ORGANISER, "password": PASSWORD }).to_string(),
                    ))
                    .expect("a request"),
            )
            .await
            .expect("an answer");
        assert_eq!(res.status(), StatusCode::OK, "the organiser signs in");
        let cookie = res.headers()[header::SET_COOKIE]
            .to_str()
            .expect("ASCII")
            .split(';')
            .next()
            .expect("name=value")
            .to_owned();
        (
            app,
            cookie,
            reports,
            vecinos_server::demo::records(now.date_naive()),
        )
    });
    let ids = |pick: fn(&Record) -> bool| {
        records
            .iter()
            .filter(|r| pick(r))
            .map(Record::id)
            .collect::<Vec<_>>()
    };
    let now = Utc::now();
    Harness {
        rt,
        app,
        cookie,
        reports,
        events: ids(|r| matches!(r, Record::Event(_))),
        resources: ids(|r| matches!(r, Record::Resource(_))),
        cards: ids(|r| matches!(r, Record::Card(_))),
        report: serde_json::to_value(report_at(Uuid::new_v4(), now)).expect("serialises"),
        _data: data,
    }
}

/// A valid report observed at `now`, stamped with today's salt.
fn report_at(id: Uuid, now: chrono::DateTime<Utc>) -> Report {
    let salt = vecinos_server::config::pow_salt(now);
    let stamp = pow::solve(id, &salt, 8).expect("a stamp");
    Report {
        id,
        kind: ReportKind::Checkpoint,
        description: "Two unmarked vans by the school".into(),
        observed_at: now,
        area: Some("9zvxvf7".into()),
        cross_streets: Some("Lake St & 14th Ave".into()),
        language: "es".into(),
        stamp,
    }
}

/// Sends one request and checks the answer: below 500, and a JSON `ErrorBody` when it is a 4xx.
fn send(request: Request<Body>) -> Result<StatusCode, TestCaseError> {
    let h = &*HARNESS;
    let (method, uri) = (request.method().clone(), request.uri().clone());
    let (status, content_type, body) = h.rt.block_on(async {
        let res = h.app.clone().oneshot(request).await.expect("infallible");
        let status = res.status();
        let content_type = res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = to_bytes(res.into_body(), usize::MAX)
            .await
            .expect("the whole body");
        (status, content_type, body)
    });
    let text = String::from_utf8_lossy(&body);
    prop_assert!(
        status.as_u16() < 500,
        "{method} {uri} answered {status}: {text}"
    );
    if status.is_client_error() {
        prop_assert!(
            content_type.starts_with("application/json"),
            "{method} {uri} answered {status} as {content_type:?}: {text}"
        );
        let error = serde_json::from_slice::<ErrorBody>(&body);
        prop_assert!(
            error.is_ok(),
            "{method} {uri} answered {status} without an ErrorBody: {text}"
        );
    }
    Ok(status)
}

/// Where the feed check last stopped.
static FEED_CURSOR: Mutex<u64> = Mutex::new(0);

/// After a write: the feed still answers, page by page from where the last check stopped, with
/// pages a phone can read (`ChangePage`). A record the server accepted but cannot serve, or that
/// phones cannot read, would break sync for everyone.
fn feed_readable() -> Result<(), TestCaseError> {
    let h = &*HARNESS;
    let mut cursor = FEED_CURSOR.lock().unwrap_or_else(PoisonError::into_inner);
    loop {
        let uri = format!("/api/v1/changes?since={}", *cursor);
        let (status, body) = h.rt.block_on(async {
            let res = h
                .app
                .clone()
                .oneshot(Request::get(&uri).body(Body::empty()).expect("a request"))
                .await
                .expect("infallible");
            let status = res.status();
            let body = to_bytes(res.into_body(), usize::MAX)
                .await
                .expect("the body");
            (status, body)
        });
        let text = String::from_utf8_lossy(&body);
        prop_assert_eq!(
            status,
            StatusCode::OK,
            "GET {} after a write: {}",
            uri,
            text
        );
        let page = serde_json::from_slice::<ChangePage>(&body);
        prop_assert!(
            page.is_ok(),
            "a phone cannot read GET {uri}: {page:?}\n{text}"
        );
        let page = page.expect("checked");
        *cursor = page.cursor.0;
        if !page.more {
            return Ok(());
        }
    }
}

/// What a body is made of.
fn body(template: Value) -> impl Strategy<Value = Vec<u8>> {
    let (a, b, c) = (template.clone(), template.clone(), template.clone());
    prop_oneof![
        1 => any::<Vec<u8>>(),
        2 => json_value().prop_map(|v| v.to_string().into_bytes()),
        8 => mutations().prop_map(move |m| mutate(a.clone(), &m).to_string().into_bytes()),
        2 => byte_edits().prop_map(move |e| edit_bytes(b.to_string().into_bytes(), &e)),
        1 => deep_nesting(),
        1 => Just(c.to_string().into_bytes()),
    ]
}

fn content_type() -> impl Strategy<Value = Option<&'static str>> {
    prop_oneof![
        12 => Just(Some("application/json")),
        1 => Just(Some("application/json; charset=utf-8")),
        1 => Just(Some("text/plain")),
        1 => Just(Some("application/jsonx")),
        1 => Just(None),
    ]
}

/// An id for a path: one of `known`, a random UUID or any text, percent-encoded.
fn path_id(known: fn(&Harness) -> &[Uuid]) -> impl Strategy<Value = String> {
    prop_oneof![
        6 => any::<Index>().prop_map(move |i| {
            let ids = known(&HARNESS);
            ids[i.index(ids.len())].to_string()
        }),
        1 => any::<u128>().prop_map(|n| Uuid::from_u128(n).to_string()),
        1 => wild_string().prop_map(|s| utf8_percent_encode(&s, NON_ALPHANUMERIC).to_string()),
    ]
}

fn if_match() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        4 => (0u64..4).prop_map(|v| Some(format!("\"{v}\""))),
        1 => any::<u64>().prop_map(|v| Some(format!("W/\"{v}\""))),
        1 => "[ -~]{0,24}".prop_map(Some),
        1 => Just(None),
    ]
}

/// A request to the API; `organiser` adds the session cookie and the headers a browser sends on
/// a same-origin post.
fn request(
    method: Method,
    path: &str,
    organiser: bool,
    content_type: Option<&str>,
    if_match: Option<&str>,
    body: Vec<u8>,
) -> Request<Body> {
    let mut builder = Request::builder()
        .method(method)
        .uri(format!("/api/v1{path}"))
        .header(header::HOST, "localhost");
    if let Some(content_type) = content_type {
        builder = builder.header(header::CONTENT_TYPE, content_type);
    }
    if organiser {
        builder = builder
            .header(header::COOKIE, &HARNESS.cookie)
            .header(header::ORIGIN, "http://localhost")
            .header("Sec-Fetch-Site", "same-origin");
    }
    if let Some(version) = if_match {
        builder = builder.header(header::IF_MATCH, version);
    }
    builder.body(Body::from(body)).expect("a request")
}

fn event_template() -> Value {
    json!({
        "title": "Know your rights training",
        "description": "Bring a friend; interpretation provided.\nFree.",
        "kind": "training",
        "starts_at": "2030-03-01T18:00:00Z",
        "ends_at": "2030-03-01T20:00:00-05:00",
        "time_zone": "America/Chicago",
        "place": {
            "name": "Library", "address": "1 Main St", "lat": 44.95, "lon": -93.26,
            "accessibility": "Step-free entrance"
        },
        "organiser": "Vecinos",
        "languages": ["en", "es", "so"],
        "links": ["https://example.org/training"],
        "status": "scheduled"
    })
}

fn resource_template() -> Value {
    json!({
        "name": "Legal clinic",
        "category": "legal_aid",
        "description": "Free consultations, by appointment.",
        "organisation": "Clinic",
        "phones": [{ "number": "+1 (612) 555-0100", "label": "Hotline" }],
        "website": "https://example.org",
        "place": null,
        "service_area": "North side",
        "opening_hours": [{ "weekday": 7, "opens": "22:00", "closes": "02:00" }],
        "languages": ["so", "es"],
        "eligibility": "Anyone",
        "cost": null,
        "last_verified": "2026-01-31"
    })
}

fn card_template() -> Value {
    json!({
        "language": "es",
        "title": "Sus derechos",
        "body": "No abra la puerta.\nPida ver una orden firmada por un juez.",
        "source_organisation": "ILRC",
        "reviewed": "2025-06-01"
    })
}

fn subscription_template(audience: &str) -> Value {
    json!({
        "endpoint": "https://push.example.org/send/abc123",
        "keys": { "p256dh": URL_SAFE_NO_PAD.encode(P256_G), "auth": URL_SAFE_NO_PAD.encode([7u8; 16]) },
        "cells": ["9zvxv", "9zvxt"],
        "audience": audience
    })
}

fn config() -> ProptestConfig {
    // The default reads PROPTEST_CASES (256 when unset).
    ProptestConfig::default()
}

/// Fewer cases for sign-in, whose every well-formed attempt costs an argon2 hash until the
/// throttle steps in: an eighth of the others.
fn sign_in_config() -> ProptestConfig {
    let default = ProptestConfig::default();
    ProptestConfig {
        cases: (default.cases / 8).max(8),
        ..default
    }
}

proptest! {
    #![proptest_config(config())]

    /// POST /v1/reports, public: the report intake.
    #[test]
    fn report_intake(body in body(HARNESS.report.clone()), content_type in content_type()) {
        send(request(Method::POST, "/reports", false, content_type, None, body))?;
    }

    /// POST /v1/events, /v1/resources, /v1/cards, signed in or not.
    #[test]
    fn record_create(
        (kind, body) in prop_oneof![
            body(event_template()).prop_map(|b| ("events", b)),
            body(resource_template()).prop_map(|b| ("resources", b)),
            body(card_template()).prop_map(|b| ("cards", b)),
        ],
        content_type in content_type(),
        signed_in in prop::bool::weighted(0.9),
    ) {
        let status = send(request(Method::POST, &format!("/{kind}"), signed_in, content_type, None, body))?;
        if !signed_in {
            prop_assert!(status.is_client_error(), "created without a session: {}", status);
        }
        if status.is_success() {
            feed_readable()?;
        }
    }

    /// PUT /v1/events/{id}, /v1/resources/{id}, /v1/cards/{id} with any If-Match.
    #[test]
    fn record_update(
        (kind, id, body) in prop_oneof![
            (path_id(|h| &h.events), body(event_template())).prop_map(|(i, b)| ("events", i, b)),
            (path_id(|h| &h.resources), body(resource_template())).prop_map(|(i, b)| ("resources", i, b)),
            (path_id(|h| &h.cards), body(card_template())).prop_map(|(i, b)| ("cards", i, b)),
        ],
        version in if_match(),
        content_type in content_type(),
        signed_in in prop::bool::weighted(0.9),
    ) {
        let status = send(request(
            Method::PUT,
            &format!("/{kind}/{id}"),
            signed_in,
            content_type,
            version.as_deref(),
            body,
        ))?;
        if status.is_success() {
            feed_readable()?;
        }
    }

    /// POST /v1/reports/{id}/verify, /reject and /resolve: the verification's text and lifetime
    /// (and whatever body reject and resolve read).
    #[test]
    fn report_moderation(
        id in path_id(|h| &h.reports),
        action in prop::sample::select(vec!["verify", "reject", "resolve"]),
        body in body(json!({
            "summary": "Checkpoint on Lake St, avoid the area",
            "ttl_minutes": 120,
            "reason": "duplicate",
            "public": { "place": "Lake St & 14th Ave" },
        })),
        content_type in content_type(),
        signed_in in prop::bool::weighted(0.9),
    ) {
        let status = send(request(
            Method::POST,
            &format!("/reports/{id}/{action}"),
            signed_in,
            content_type,
            None,
            body,
        ))?;
        if status.is_success() {
            feed_readable()?;
        }
    }

    /// POST and DELETE /v1/push/subscriptions, for alerts (public) and reports (organisers).
    #[test]
    fn push_subscriptions(
        (method, body) in prop_oneof![
            body(subscription_template("alerts")).prop_map(|b| (Method::POST, b)),
            body(subscription_template("reports")).prop_map(|b| (Method::POST, b)),
            body(json!({ "endpoint": "https://push.example.org/send/abc123" }))
                .prop_map(|b| (Method::DELETE, b)),
            body(json!({ "endpoint": "https://push.example.org/send/abc123", "audience": "reports" }))
                .prop_map(|b| (Method::DELETE, b)),
        ],
        content_type in content_type(),
        signed_in in any::<bool>(),
    ) {
        send(request(method, "/push/subscriptions", signed_in, content_type, None, body))?;
    }
}

proptest! {
    #![proptest_config(sign_in_config())]

    /// POST /v1/session: sign-in with any credentials.
    #[test]
    fn sign_in(
        body in body(json!({ "name": ORGANISER, "password": "wrong" })),
        name in prop::sample::select(NAMES),
        keep_name in prop::bool::weighted(0.1),
        content_type in content_type(),
    ) {
        // Mostly a known name, so that the throttle answers once it has seen five failures.
        let body = match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Object(mut fields)) if !keep_name && fields.get("name").is_some_and(Value::is_string) => {
                fields.insert("name".into(), json!(name));
                Value::Object(fields).to_string().into_bytes()
            }
            _ => body,
        };
        send(request(Method::POST, "/session", false, content_type, None, body))?;
    }
}

/// Bodies past each route's size limit: 413 with an ErrorBody, never a 5xx.
#[test]
fn oversized_bodies() {
    let big = format!("{{\"title\":\"{}\"}}", "x".repeat(3 << 20));
    let report = HARNESS.reports[0];
    for (method, path) in [
        (Method::POST, "/reports".to_owned()),
        (Method::POST, "/session".to_owned()),
        (Method::POST, "/events".to_owned()),
        (Method::PUT, format!("/cards/{}", HARNESS.cards[0])),
        (Method::POST, format!("/reports/{report}/verify")),
        (Method::POST, "/push/subscriptions".to_owned()),
        (Method::DELETE, "/push/subscriptions".to_owned()),
    ] {
        let status = send(request(
            method.clone(),
            &path,
            true,
            Some("application/json"),
            Some("\"1\""),
            big.clone().into_bytes(),
        ))
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{method} {path}");
    }
}
