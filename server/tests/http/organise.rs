//! Organisers over HTTP: sign-in, triage, verification into the public feed, edits with version
//! checks, and the audit trail.

use chrono::{Duration, Utc};
use reqwest::header::{COOKIE, IF_MATCH, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;
use vecinos_core::{Alert, Change, ChangePage, ErrorBody, Record, ReportPage, ReportStatus};

use super::reports::{post, report_body};
use super::{Server, start_with, test_config};

const PASSWORD: &str = "a long organiser password";

pub async fn signed_in(server: &Server) -> String {
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

pub async fn call(
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
    let queue: ReportPage = res.json().await.expect("queue");
    assert_eq!((queue.reports.len(), queue.next), (2, None));
    assert!(
        queue
            .reports
            .iter()
            .all(|r| r.status == ReportStatus::Received)
    );

    let verify = json!({
        "summary": "Vans seen near the laundromat; stay inside",
        "area": "9zvxvf2",
        "ttl_minutes": 120
    });
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
        Some(json!({})),
    )
    .await;
    assert_eq!(rejected.status(), StatusCode::OK);
    let again = call(
        &server,
        Method::POST,
        &format!("/reports/{second}/resolve"),
        Some(&cookie),
        Some(json!({})),
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
            Some(json!({})),
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
    let queue: ReportPage = call(&server, Method::GET, "/reports", Some(&cookie), None)
        .await
        .json()
        .await
        .expect("queue");
    assert_eq!(queue.reports.len(), 1, "nothing bad changed the report");
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

#[tokio::test]
async fn organisers_changes_from_another_site_or_as_forms_are_refused() {
    let server = start_with(None, test_config()).await;
    let cookie = signed_in(&server).await;
    let report = Uuid::new_v4();
    post(&server.base, &report_body(report)).await;
    let reject = format!("{}/api/v1/reports/{report}/reject", server.base);
    let client = reqwest::Client::new();
    let host = server.base.trim_start_matches("http://");
    let attempts = [
        ("sec-fetch-site", "cross-site".to_owned()),
        ("sec-fetch-site", "same-site".to_owned()),
        ("origin", "http://evil.example".to_owned()),
        ("origin", "null".to_owned()),
    ];
    for (header, value) in &attempts {
        let res = client
            .post(&reject)
            .header(COOKIE, &cookie)
            .header(*header, value)
            .json(&json!({}))
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{header}: {value}");
        assert_eq!(
            res.json::<ErrorBody>().await.expect("body").code,
            "cross_site"
        );
    }
    // What a cross-site HTML form can send: no JSON.
    let form = client
        .post(&reject)
        .header(COOKIE, &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("")
        .send()
        .await
        .expect("request");
    assert_eq!(form.status(), StatusCode::BAD_REQUEST);
    // Signing in from another site is refused too.
    let sign_in = client
        .post(format!("{}/api/v1/session", server.base))
        .header("sec-fetch-site", "cross-site")
        .json(&json!({ "name": "ana", "password": PASSWORD }))
        .send()
        .await
        .expect("request");
    assert_eq!(sign_in.status(), StatusCode::FORBIDDEN);
    let status = server
        .store
        .report(report)
        .await
        .expect("lookup")
        .expect("kept")
        .status;
    assert_eq!(status, ReportStatus::Received, "nothing changed");

    // The app's own pages: same-origin, or an Origin naming this host; reading is never blocked.
    let same_origin = client
        .post(&reject)
        .header(COOKIE, &cookie)
        .header("sec-fetch-site", "same-origin")
        .header("origin", format!("http://{host}"))
        .json(&json!({}))
        .send()
        .await
        .expect("request");
    assert_eq!(same_origin.status(), StatusCode::OK);
    let read = client
        .get(format!("{}/api/v1/reports", server.base))
        .header(COOKIE, &cookie)
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .expect("request");
    assert_eq!(read.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_alert_carries_only_the_place_the_organiser_sent_and_an_area_only_coarser() {
    let server = start_with(None, test_config()).await;
    let cookie = signed_in(&server).await;
    let verify = async |id: Uuid, body: Value| {
        let path = format!("/reports/{id}/verify");
        call(&server, Method::POST, &path, Some(&cookie), Some(body)).await
    };
    let words = "1234 Elm St Apt 3, the family on the second floor";
    let report = |id: Uuid| {
        let mut body = report_body(id);
        body["cross_streets"] = json!(words);
        body
    };
    let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
    post(&server.base, &report(a)).await;
    post(&server.base, &report(b)).await;

    // Only a summary: no place is published, and none of the reporter's words.
    let res = verify(a, json!({ "summary": "Agents seen; stay inside" })).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let text = res.text().await.expect("text");
    assert!(!text.contains("Elm St"), "{text}");
    let alert: Alert = serde_json::from_str(&text).expect("an alert");
    assert_eq!((alert.area, alert.cross_streets), (None, None));

    // A finer or different area than the report's is refused; a coarser one and the organiser's
    // own words are published.
    for area in ["9zvxvf3", "9zvy", "b"] {
        let res = verify(b, json!({ "summary": "x", "area": area })).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{area}");
        assert_eq!(
            res.json::<ErrorBody>()
                .await
                .expect("body")
                .field
                .as_deref(),
            Some("area")
        );
    }
    let res = verify(
        b,
        json!({ "summary": "Agents seen", "area": "9zvxv", "cross_streets": "Lake St & 14th Ave" }),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let alert: Alert = res.json().await.expect("an alert");
    assert_eq!(alert.area.as_deref(), Some("9zvxv"));
    assert_eq!(alert.cross_streets.as_deref(), Some("Lake St & 14th Ave"));
    let feed = reqwest::get(format!("{}/api/v1/changes", server.base))
        .await
        .expect("feed")
        .text()
        .await
        .expect("text");
    assert!(!feed.contains("Elm St"), "no reporter's words in public");
}

#[tokio::test]
async fn triage_is_paginated_newest_first_filtered_and_rejects_in_bulk() {
    let server = start_with(None, test_config()).await;
    let cookie = signed_in(&server).await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let id = Uuid::new_v4();
        let mut body = report_body(id);
        if i == 4 {
            body["area"] = json!("9zvxtyf");
        }
        assert_eq!(
            post(&server.base, &body).await.status(),
            StatusCode::CREATED
        );
        ids.push(id);
    }
    let page = async |query: String| {
        let path = format!("/reports{query}");
        let res = call(&server, Method::GET, &path, Some(&cookie), None).await;
        assert_eq!(res.status(), StatusCode::OK, "{query}");
        res.json::<ReportPage>().await.expect("a page")
    };
    let mut seen = Vec::new();
    let mut query = "?limit=2".to_owned();
    loop {
        let got = page(query.clone()).await;
        assert!(got.reports.len() <= 2);
        seen.extend(got.reports.iter().map(|r| r.id));
        match got.next {
            Some(next) => query = format!("?limit=2&after={next}"),
            None => break,
        }
    }
    seen.sort();
    let mut all = ids.clone();
    all.sort();
    assert_eq!(seen, all, "every report once");
    assert_eq!(page("?area=9zvxt".into()).await.reports.len(), 1);
    // A neighbourhood of several cells.
    assert_eq!(page("?area=9zvxt,9zvxv".into()).await.reports.len(), 5);
    assert_eq!(page("?area=9zvxs,9zvxvf".into()).await.reports.len(), 4);
    let seventeen = vec!["9zvxt"; 17].join(",");
    for bad in [
        "?limit=0",
        "?limit=1000",
        "?after=yesterday",
        "?area=9zvxtyf12",
        "?area=9zvxt,",
        "?area=9zvxt,not-a-cell",
        &format!("?area={seventeen}"),
    ] {
        let res = call(
            &server,
            Method::GET,
            &format!("/reports{bad}"),
            Some(&cookie),
            None,
        )
        .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{bad}");
    }

    let reject = async |body: Value| {
        call(
            &server,
            Method::POST,
            "/reports/reject",
            Some(&cookie),
            Some(body),
        )
        .await
    };
    // Nothing is rejected by leaving the window open.
    for body in [
        json!({}),
        json!({ "since": Utc::now().to_rfc3339() }),
        json!({ "ids": [] }),
    ] {
        assert_eq!(reject(body).await.status(), StatusCode::BAD_REQUEST);
    }
    let res = reject(json!({ "ids": [ids[0], ids[1]] })).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.expect("json")["rejected"], 2);
    let window = json!({
        "since": (Utc::now() - Duration::minutes(5)).to_rfc3339(),
        "until": (Utc::now() + Duration::minutes(1)).to_rfc3339(),
        "area": "9zvxv",
    });
    let res = reject(window).await;
    assert_eq!(res.json::<Value>().await.expect("json")["rejected"], 2);
    let left = page(String::new()).await.reports;
    assert_eq!(left.iter().map(|r| r.id).collect::<Vec<_>>(), [ids[4]]);
}
