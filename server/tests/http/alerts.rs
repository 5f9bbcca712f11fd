//! The alert lifecycle over HTTP: update as a new version, withdraw ("false alarm", "over") with
//! an "All clear" for an hour, resolving a report withdraws its alert, and every change audited.

use chrono::{Duration, Utc};
use reqwest::header::IF_MATCH;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;
use vecinos_core::{Alert, Change, ChangePage, ErrorBody, Record, WithdrawalReason};

use super::organise::{call, signed_in};
use super::reports::{post, report_body};
use super::{Server, start_with, test_config};

/// Sends a report (area 9zvxvf2) and publishes it with the organiser's words: the alert.
async fn published(server: &Server, cookie: &str, summary: &str) -> (Uuid, Alert) {
    let report = Uuid::new_v4();
    assert_eq!(
        post(&server.base, &report_body(report)).await.status(),
        StatusCode::CREATED
    );
    let path = format!("/reports/{report}/verify");
    let body = json!({ "summary": summary, "area": "9zvxvf2", "ttl_minutes": 120 });
    let res = call(server, Method::POST, &path, Some(cookie), Some(body)).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    (report, res.json().await.expect("the alert"))
}

async fn update(
    server: &Server,
    cookie: &str,
    id: Uuid,
    version: u64,
    body: Value,
) -> reqwest::Response {
    let mut req = reqwest::Client::new()
        .put(format!("{}/api/v1/alerts/{id}", server.base))
        .header(reqwest::header::COOKIE, cookie)
        .json(&body);
    req = req.header(IF_MATCH, format!("\"{version}\""));
    req.send().await.expect("request")
}

async fn withdraw(server: &Server, cookie: &str, id: Uuid, reason: &str) -> reqwest::Response {
    let path = format!("/alerts/{id}/withdraw");
    call(
        server,
        Method::POST,
        &path,
        Some(cookie),
        Some(json!({ "reason": reason })),
    )
    .await
}

/// The alert as the public feed has it now.
async fn in_feed(server: &Server, id: Uuid) -> Option<Alert> {
    let page: ChangePage = reqwest::get(format!("{}/api/v1/changes", server.base))
        .await
        .expect("feed")
        .json()
        .await
        .expect("a page");
    page.changes.into_iter().find_map(|change| match change {
        Change::Upsert {
            record: Record::Alert(alert),
            ..
        } if alert.id == id => Some(alert),
        _ => None,
    })
}

#[tokio::test]
async fn an_update_is_a_new_version_and_a_stale_one_gets_409_with_the_current_alert() {
    let server = start_with(None, test_config()).await;
    let cookie = signed_in(&server).await;
    let (_, alert) = published(&server, &cookie, "Agents at the laundromat").await;
    let revised = json!({
        "summary": "Agents left the laundromat, now on Lake St",
        "translations": { "es": "Los agentes se fueron, ahora en Lake St" },
        "area": "9zvxv",
        "cross_streets": "Lake St",
        "ttl_minutes": 30,
    });
    let res = update(&server, &cookie, alert.id, alert.version, revised.clone()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let updated: Alert = res.json().await.expect("the alert");
    assert_eq!(updated.version, alert.version + 1);
    assert_eq!(
        updated.summary_in("es"),
        "Los agentes se fueron, ahora en Lake St"
    );
    assert_eq!(updated.area.as_deref(), Some("9zvxv"));
    let lifetime = updated.expires_at - Utc::now();
    assert!(lifetime > Duration::minutes(29) && lifetime <= Duration::minutes(30));
    assert_eq!(in_feed(&server, alert.id).await, Some(updated.clone()));

    // Based on the old version: refused, with the current alert to merge from.
    let stale = update(&server, &cookie, alert.id, alert.version, revised).await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let body: ErrorBody = stale.json().await.expect("body");
    assert_eq!(body.current, Some(Box::new(Record::Alert(updated.clone()))));

    // The area back to the report's is fine; finer than the report's, or elsewhere, is not.
    for (area, status) in [
        ("9zvxvf2", StatusCode::OK),
        ("9zvxvf23", StatusCode::BAD_REQUEST),
        ("9zvy", StatusCode::BAD_REQUEST),
    ] {
        let current = in_feed(&server, alert.id).await.expect("up");
        let body = json!({ "summary": "Agents on Lake St", "area": area });
        let res = update(&server, &cookie, alert.id, current.version, body).await;
        assert_eq!(res.status(), status, "{area}");
    }
    // Without a session, nothing.
    let res = reqwest::Client::new()
        .put(format!("{}/api/v1/alerts/{}", server.base, alert.id))
        .header(IF_MATCH, "\"9\"")
        .json(&json!({ "summary": "x" }))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_withdrawn_alert_leaves_its_text_and_shows_all_clear_for_an_hour() {
    let server = start_with(None, test_config()).await;
    let cookie = signed_in(&server).await;
    let (_, alert) = published(&server, &cookie, "Checkpoint on the bridge").await;
    let res = withdraw(&server, &cookie, alert.id, "false_alarm").await;
    assert_eq!(res.status(), StatusCode::OK);
    let withdrawn: Alert = res.json().await.expect("the alert");
    let reason = withdrawn.withdrawn.as_ref().map(|w| w.reason);
    assert_eq!(reason, Some(WithdrawalReason::FalseAlarm));
    assert_eq!(withdrawn.summary, "");
    let feed = reqwest::get(format!("{}/api/v1/changes", server.base))
        .await
        .expect("feed")
        .text()
        .await
        .expect("text");
    assert!(
        !feed.contains("Checkpoint on the bridge"),
        "the text is gone at once"
    );
    assert_eq!(in_feed(&server, alert.id).await, Some(withdrawn.clone()));
    let left = withdrawn.expires_at - Utc::now();
    assert!(left > Duration::minutes(59) && left <= Duration::hours(1));
    // A push service's fetch for the notification sees the all clear.
    let fetched: Alert = reqwest::get(format!("{}/api/v1/alerts/{}", server.base, alert.id))
        .await
        .expect("alert")
        .json()
        .await
        .expect("json");
    assert!(fetched.withdrawn.is_some());

    // Withdrawn is final: another withdrawal or an update gets 409 with it.
    let again = withdraw(&server, &cookie, alert.id, "over").await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let body = json!({ "summary": "Back up" });
    let res = update(&server, &cookie, alert.id, withdrawn.version, body).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let body: ErrorBody = res.json().await.expect("body");
    assert_eq!(
        body.current,
        Some(Box::new(Record::Alert(withdrawn.clone())))
    );
    // An unknown alert, and a bad reason.
    assert_eq!(
        withdraw(&server, &cookie, Uuid::new_v4(), "over")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let (_, other) = published(&server, &cookie, "Another").await;
    assert_eq!(
        withdraw(&server, &cookie, other.id, "bored").await.status(),
        StatusCode::BAD_REQUEST
    );

    // After the hour, retention takes it out of the feed.
    server
        .store
        .sweep(Utc::now() + Duration::minutes(61), test_config().retention)
        .await
        .expect("sweep");
    assert_eq!(in_feed(&server, alert.id).await, None);

    let audit: Vec<Value> = call(&server, Method::GET, "/audit", Some(&cookie), None)
        .await
        .json()
        .await
        .expect("audit");
    assert!(
        audit.iter().any(|e| e["action"] == "withdrawn: false alarm"
            && e["target"] == format!("alert/{}", alert.id)),
        "{audit:?}"
    );
}

#[tokio::test]
async fn resolving_a_published_report_withdraws_its_alert() {
    let server = start_with(None, test_config()).await;
    let cookie = signed_in(&server).await;
    let (report, alert) = published(&server, &cookie, "Agents at the school").await;
    let path = format!("/reports/{report}/resolve");
    let res = call(&server, Method::POST, &path, Some(&cookie), Some(json!({}))).await;
    assert_eq!(res.status(), StatusCode::OK);
    let now = in_feed(&server, alert.id).await.expect("its all clear");
    assert_eq!(
        now.withdrawn.map(|w| w.reason),
        Some(WithdrawalReason::Over)
    );
    assert_eq!(now.summary, "");
}
