//! Organisers over HTTP: sign-in, triage, verification into the public feed, edits with version
//! checks, and the audit trail.

use chrono::{Duration, Utc};
use reqwest::header::{COOKIE, IF_MATCH, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;
use vecinos_core::{Alert, Change, ChangePage, ErrorBody, Record};

use super::reports::{post, report_body};
use super::{Server, start_with, test_config};

const PASSWORD: &str = "a long organiser password";

async fn signed_in(server: &Server) -> String {
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
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res.headers()[SET_COOKIE]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    cookie.split(';').next().expect("name=value").to_owned()
}

async fn call(
    server: &Server,
    method: Method,
    path: &str,
    cookie: Option<&str>,
    body: Option<Value>,
) -> reqwest::Response {
    let mut req = reqwest::Client::new().request(method, format!("{}/api/v1{path}", server.base));
    if let Some(cookie) = cookie {
        req = req.header(COOKIE, cookie);
    }
    if let Some(body) = body {
        req = req.json(&body);
    }
    req.send().await.expect("request")
}

#[tokio::test]
async fn organiser_routes_need_a_session_and_wrong_passwords_fail() {
    let server = start_with(None, test_config()).await;
    for (method, path) in [
        (Method::GET, "/reports"),
        (Method::GET, "/audit"),
        (Method::POST, "/events"),
    ] {
        let res = call(&server, method, path, None, Some(json!({}))).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    let hash = vecinos_server::auth::hash_password(PASSWORD).expect("hash");
    server
        .store
        .add_user("ana", &hash, Utc::now())
        .await
        .expect("user");
    let wrong = call(
        &server,
        Method::POST,
        "/session",
        None,
        Some(json!({"name": "ana", "password": "guess"})),
    )
    .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let forged = call(
        &server,
        Method::GET,
        "/reports",
        Some("vecinos_session=forged"),
        None,
    )
    .await;
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_verified_report_becomes_a_public_alert_and_sign_out_ends_the_session() {
    let server = start_with(None, test_config()).await;
    let cookie = signed_in(&server).await;
    let (first, second) = (Uuid::new_v4(), Uuid::new_v4());
    post(&server.base, &report_body(first)).await;
    post(&server.base, &report_body(second)).await;

    let res = call(&server, Method::GET, "/reports", Some(&cookie), None).await;
    assert_eq!(
        res.headers().get("cache-control").map(|v| v.as_bytes()),
        Some(&b"no-store"[..]),
        "reports must not stay in the browser's HTTP cache"
    );
    let queue: Vec<Value> = res.json().await.expect("queue");
    assert_eq!(queue.len(), 2);
    assert!(queue.iter().all(|r| r["status"] == "received"));

    let verify =
        json!({ "summary": "Vans seen near the laundromat; stay inside", "ttl_minutes": 120 });
    let res = call(
        &server,
        Method::POST,
        &format!("/reports/{first}/verify"),
        Some(&cookie),
        Some(verify),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let alert: Alert = res.json().await.expect("alert");
    let lifetime = alert.expires_at - alert.verified_at;
    assert_eq!(lifetime, Duration::minutes(120));
    assert_eq!(alert.area.as_deref(), Some("9zvxvf2"));

    let rejected = call(
        &server,
        Method::POST,
        &format!("/reports/{second}/reject"),
        Some(&cookie),
        None,
    )
    .await;
    assert_eq!(rejected.status(), StatusCode::OK);
    let again = call(
        &server,
        Method::POST,
        &format!("/reports/{second}/resolve"),
        Some(&cookie),
        None,
    )
    .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);

    let feed: ChangePage = reqwest::get(format!("{}/api/v1/changes", server.base))
        .await
        .expect("feed")
        .json()
        .await
        .expect("page");
    let alerts: Vec<&Alert> = feed
        .changes
        .iter()
        .filter_map(|c| match c {
            Change::Upsert {
                record: Record::Alert(a),
                ..
            } => Some(a),
            _ => None,
        })
        .collect();
    assert_eq!(
        alerts,
        [&alert],
        "only the verified report is public, as its alert"
    );

    let audit: Vec<Value> = call(&server, Method::GET, "/audit", Some(&cookie), None)
        .await
        .json()
        .await
        .expect("audit");
    let actions: Vec<&str> = audit
        .iter()
        .filter(|e| e["actor"] == "ana")
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(actions, ["rejected", "verified"]);

    assert_eq!(
        call(&server, Method::DELETE, "/session", Some(&cookie), None)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        call(&server, Method::GET, "/reports", Some(&cookie), None)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

fn event_body(title: &str) -> Value {
    let starts = Utc::now() + Duration::days(2);
    json!({
        "title": title,
        "description": "Bring water.",
        "kind": "vigil",
        "starts_at": starts.to_rfc3339(),
        "ends_at": (starts + Duration::hours(2)).to_rfc3339(),
        "time_zone": "America/Chicago",
        "place": null,
        "organiser": "Example Neighbours Network",
        "languages": ["en", "so"],
        "links": [],
        "status": "scheduled",
    })
}

#[tokio::test]
async fn edits_carry_their_version_and_a_stale_one_gets_409_with_the_current_record() {
    let server = start_with(None, test_config()).await;
    let cookie = signed_in(&server).await;
    let created = call(
        &server,
        Method::POST,
        "/events",
        Some(&cookie),
        Some(event_body("Vigil")),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let Record::Event(event) = created.json().await.expect("record") else {
        panic!("an event")
    };
    assert_eq!(event.version, 1);

    let put = |version: &str, title: &str| {
        let req = reqwest::Client::new()
            .put(format!("{}/api/v1/events/{}", server.base, event.id))
            .header(COOKIE, &cookie)
            .header(IF_MATCH, version)
            .json(&event_body(title));
        async move { req.send().await.expect("request") }
    };
    let updated = put("\"1\"", "Vigil (indoors)").await;
    assert_eq!(updated.status(), StatusCode::OK);
    let stale = put("\"1\"", "Vigil (cancelled)").await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let conflict: ErrorBody = stale.json().await.expect("body");
    assert!(
        matches!(conflict.current.as_deref(), Some(Record::Event(e)) if e.version == 2 && e.title == "Vigil (indoors)")
    );

    let mut bad = event_body("Backwards vigil");
    bad["ends_at"] = json!((Utc::now() - Duration::days(1)).to_rfc3339());
    bad["time_zone"] = json!("Mars/Olympus_Mons");
    let res = call(&server, Method::POST, "/events", Some(&cookie), Some(bad)).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let invalid: ErrorBody = res.json().await.expect("body");
    let fields: Vec<&str> = invalid.problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["ends_at", "time_zone"]);

    let no_version = call(
        &server,
        Method::DELETE,
        &format!("/events/{}", event.id),
        Some(&cookie),
        None,
    )
    .await;
    assert_eq!(no_version.status(), StatusCode::BAD_REQUEST);
    let deleted = reqwest::Client::new()
        .delete(format!("{}/api/v1/events/{}", server.base, event.id))
        .header(COOKIE, &cookie)
        .header(IF_MATCH, "2")
        .send()
        .await
        .expect("delete");
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn a_cursor_older_than_the_history_gets_410_resync() {
    let server = start_with(None, test_config()).await;
    let Some(Change::Upsert { record, .. }) = server
        .store
        .changes(vecinos_core::Cursor::START, 1)
        .await
        .expect("page")
        .changes
        .pop()
    else {
        panic!("demo data");
    };
    server
        .store
        .delete(
            record.kind(),
            record.id(),
            vecinos_server::store::Expected::Any,
            "test",
        )
        .await
        .expect("delete");
    let retention = test_config().retention;
    server
        .store
        .sweep(Utc::now() + Duration::days(60), retention)
        .await
        .expect("sweep");
    let res = reqwest::get(format!("{}/api/v1/changes?since=1", server.base))
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::GONE);
    assert_eq!(res.json::<ErrorBody>().await.expect("body").code, "resync");
}

#[tokio::test]
async fn organiser_endpoints_answer_bad_input_with_error_bodies() {
    let server = start_with(None, test_config()).await;
    let cookie = signed_in(&server).await;
    let report = Uuid::new_v4();
    post(&server.base, &report_body(report)).await;
    let cases = [
        (
            Method::POST,
            format!("/reports/{report}/verify"),
            Some(json!({"summary": "x", "ttl_minutes": 0})),
            StatusCode::BAD_REQUEST,
            "bad_request",
            Some("ttl_minutes"),
        ),
        (
            Method::POST,
            format!("/reports/{report}/verify"),
            Some(json!({"ttl_minutes": 30})),
            StatusCode::BAD_REQUEST,
            "bad_request",
            None,
        ),
        (
            Method::POST,
            format!("/reports/{report}/verify"),
            Some(json!({"summary": ""})),
            StatusCode::BAD_REQUEST,
            "invalid",
            Some("summary"),
        ),
        (
            Method::POST,
            format!("/reports/{}/verify", Uuid::new_v4()),
            Some(json!({"summary": "x"})),
            StatusCode::NOT_FOUND,
            "not_found",
            None,
        ),
        (
            Method::POST,
            "/reports/not-a-uuid/reject".to_owned(),
            None,
            StatusCode::BAD_REQUEST,
            "bad_request",
            Some("path"),
        ),
        (
            Method::GET,
            "/reports?status=bogus".to_owned(),
            None,
            StatusCode::BAD_REQUEST,
            "bad_request",
            Some("query"),
        ),
        (
            Method::POST,
            "/resources".to_owned(),
            Some(json!({"name": "No category"})),
            StatusCode::BAD_REQUEST,
            "bad_request",
            None,
        ),
    ];
    for (method, path, body, status, code, field) in cases {
        let res = call(&server, method, &path, Some(&cookie), body).await;
        assert_eq!(res.status(), status, "{path}");
        let error: ErrorBody = res.json().await.expect("an error body");
        assert_eq!(error.code, code, "{path}: {}", error.message);
        if field.is_some() {
            assert_eq!(error.field.as_deref(), field, "{path}");
        }
    }
    let malformed = reqwest::Client::new()
        .post(format!("{}/api/v1/session", server.base))
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("request");
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        malformed.json::<ErrorBody>().await.expect("body").code,
        "bad_request"
    );
    let queue: Vec<Value> = call(&server, Method::GET, "/reports", Some(&cookie), None)
        .await
        .json()
        .await
        .expect("queue");
    assert_eq!(queue.len(), 1, "nothing bad changed the report");
}

#[tokio::test]
async fn caught_up_polls_are_answered_from_the_feed_head_until_a_write_through_the_api() {
    let config = vecinos_server::config::Config {
        feed_head_ttl: std::time::Duration::from_secs(600),
        ..test_config()
    };
    let server = start_with(None, config).await;
    let cookie = signed_in(&server).await;
    let changes =
        |since: u64| reqwest::get(format!("{}/api/v1/changes?since={since}", server.base));
    let first: ChangePage = changes(0).await.expect("pull").json().await.expect("page");
    let head = first.cursor.0;

    // Written behind this server's back (another server, say): not seen until the head expires.
    let Some(Change::Upsert { record, .. }) = first.changes.first().cloned() else {
        panic!("demo data")
    };
    server
        .store
        .put(record, vecinos_server::store::Expected::Any, "elsewhere")
        .await
        .expect("put");
    let stale: ChangePage = changes(head)
        .await
        .expect("poll")
        .json()
        .await
        .expect("page");
    assert!(stale.changes.is_empty() && stale.cursor.0 == head);

    // A write through this server's API forgets the head: the next poll sees both changes.
    let created = call(
        &server,
        Method::POST,
        "/events",
        Some(&cookie),
        Some(event_body("Vigil")),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let fresh: ChangePage = changes(head)
        .await
        .expect("poll")
        .json()
        .await
        .expect("page");
    assert_eq!(fresh.changes.len(), 2);

    // A cursor ahead of the server's feed comes from another database: resync.
    let future = changes(fresh.cursor.0 + 1000).await.expect("poll");
    assert_eq!(future.status(), StatusCode::GONE);
    assert_eq!(
        future.json::<ErrorBody>().await.expect("body").code,
        "resync"
    );
}

#[tokio::test]
async fn an_open_triage_screen_is_told_of_new_reports_and_nobody_else_is() {
    let server = start_with(None, test_config()).await;
    let url = format!("{}/api/v1/reports/stream", server.base);
    let anonymous = reqwest::get(&url).await.expect("request");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    let cookie = signed_in(&server).await;
    let mut stream = reqwest::Client::new()
        .get(&url)
        .header("cookie", &cookie)
        .send()
        .await
        .expect("stream");
    assert_eq!(stream.status(), StatusCode::OK);
    let mut seen = String::new();
    let events = |text: &str| text.matches("data:").count();
    let mut posted = false;
    let read = async {
        while events(&seen) < 2 {
            let chunk = stream.chunk().await.expect("reads").expect("open");
            seen.push_str(std::str::from_utf8(&chunk).expect("UTF-8"));
            if events(&seen) == 1 && !posted {
                posted = true;
                // The first event says how things stand; a new report makes the next.
                let res = post(&server.base, &report_body(uuid::Uuid::new_v4())).await;
                assert_eq!(res.status(), StatusCode::CREATED);
            }
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(10), read)
        .await
        .expect("an event for the new report");
    assert!(
        !seen.contains("description"),
        "no report text travels: {seen}"
    );
}
