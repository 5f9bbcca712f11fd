//! An organisers' team over HTTP: one-time invites, joining with one, the team list, removal by
//! an admin ending the removed organiser's open session at once, and an organiser's own sessions.

use chrono::{Duration, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use vecinos_core::ErrorBody;

use super::accounts::{set_cookie, sign_in};
use super::organise::{call, signed_in};
use super::{start_with, test_config};

const NEW_PASSWORD: &str = "bea's own long password";

#[tokio::test]
async fn an_invite_makes_one_organiser_who_an_admin_can_remove() {
    let server = start_with(None, test_config()).await;
    for (method, path) in [
        (Method::POST, "/invites"),
        (Method::GET, "/organisers"),
        (Method::DELETE, "/organisers/ana"),
    ] {
        let res = call(&server, method, path, None, Some(json!({}))).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    // ana is the first account: the admin.
    let ana = signed_in(&server).await;
    // Organisers' changes come as JSON only (no cross-site form can send that).
    let res = call(
        &server,
        Method::POST,
        "/invites",
        Some(&ana),
        Some(json!({})),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let invite: Value = res.json().await.expect("invite");
    let token = invite["token"].as_str().expect("token").to_owned();
    assert_eq!(token.len(), 64, "256 random bits");
    let expires =
        chrono::DateTime::parse_from_rfc3339(invite["expires_at"].as_str().expect("time"))
            .expect("a time");
    assert!(
        (expires.to_utc() - (Utc::now() + Duration::hours(24)))
            .num_seconds()
            .abs()
            < 60
    );

    let join =
        async |body: Value| call(&server, Method::POST, "/invites/join", None, Some(body)).await;
    let refused = async |body: Value, field: &str| {
        let res = join(body).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        let error: ErrorBody = res.json().await.expect("error body");
        assert_eq!(error.field.as_deref(), Some(field), "{}", error.message);
    };
    refused(
        json!({ "token": "0".repeat(64), "name": "bea", "password": NEW_PASSWORD }),
        "token",
    )
    .await;
    refused(
        json!({ "token": token, "name": "bea", "password": "short" }),
        "password",
    )
    .await;
    refused(
        json!({ "token": token, "name": "  ", "password": NEW_PASSWORD }),
        "name",
    )
    .await;
    // A taken name leaves the invite usable.
    refused(
        json!({ "token": token, "name": "ana", "password": NEW_PASSWORD }),
        "name",
    )
    .await;
    let res = join(json!({ "token": token, "name": " bea ", "password": NEW_PASSWORD })).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    refused(
        json!({ "token": token, "name": "cai", "password": NEW_PASSWORD }),
        "token",
    )
    .await;

    // bea signs in as anyone does, and sees the team without being an admin.
    let res = sign_in(
        &server.base,
        json!({ "name": "bea", "password": NEW_PASSWORD }),
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let bea = set_cookie(&res, "vecinos_session").expect("session");
    let res = call(&server, Method::GET, "/organisers", Some(&bea), None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let team: Value = res.json().await.expect("team");
    assert_eq!(
        team,
        json!({ "admin": false, "members": [
            { "name": "ana", "admin": true },
            { "name": "bea", "admin": false },
        ] })
    );
    // Only an admin removes, never themself.
    let remove = async |who: &str, cookie: &str| {
        call(
            &server,
            Method::DELETE,
            &format!("/organisers/{who}"),
            Some(cookie),
            None,
        )
        .await
        .status()
    };
    assert_eq!(remove("ana", &bea).await, StatusCode::FORBIDDEN);
    assert_eq!(remove("ana", &ana).await, StatusCode::BAD_REQUEST);
    assert_eq!(remove("nobody", &ana).await, StatusCode::NOT_FOUND);
    let res = call(&server, Method::GET, "/reports", Some(&bea), None).await;
    assert_eq!(res.status(), StatusCode::OK, "bea is signed in");
    assert_eq!(remove("bea", &ana).await, StatusCode::NO_CONTENT);
    let res = call(&server, Method::GET, "/reports", Some(&bea), None).await;
    assert_eq!(
        res.status(),
        StatusCode::UNAUTHORIZED,
        "bea's open session ended"
    );
    let res = sign_in(
        &server.base,
        json!({ "name": "bea", "password": NEW_PASSWORD }),
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    let audit: Value = call(&server, Method::GET, "/audit", Some(&ana), None)
        .await
        .json()
        .await
        .expect("audit");
    let text = audit.to_string();
    for action in ["\"invite\"", "\"join\"", "\"remove_organiser\""] {
        assert!(text.contains(action), "{action} in {text}");
    }
}

#[tokio::test]
async fn an_organiser_sees_their_own_sessions_by_when_last_used_and_ends_another() {
    let server = start_with(None, test_config()).await;
    let here = signed_in(&server).await;
    let password = "a long organiser password";
    let res = sign_in(
        &server.base,
        json!({ "name": "ana", "password": password }),
        None,
    )
    .await;
    let there = set_cookie(&res, "vecinos_session").expect("a second session");
    let hash = vecinos_server::auth::hash_password(password).expect("hash");
    server
        .store
        .add_user("bea", &hash, Utc::now())
        .await
        .expect("user");
    let res = sign_in(
        &server.base,
        json!({ "name": "bea", "password": password }),
        None,
    )
    .await;
    let bea = set_cookie(&res, "vecinos_session").expect("bea's session");

    let list = async |cookie: &str| {
        let res = call(&server, Method::GET, "/sessions", Some(cookie), None).await;
        assert_eq!(res.status(), StatusCode::OK);
        let text = res.text().await.expect("body");
        for token in [&here, &there, &bea] {
            let token = token.split_once('=').expect("name=value").1;
            assert!(
                !text.contains(&vecinos_server::auth::token_hash(token)),
                "no token hash is sent"
            );
        }
        serde_json::from_str::<Value>(&text).expect("json")["sessions"]
            .as_array()
            .expect("a list")
            .clone()
    };
    let mine = list(&here).await;
    assert_eq!(mine.len(), 2, "{mine:?}");
    assert_eq!(mine.iter().filter(|s| s["this"] == true).count(), 1);
    let this = mine.iter().find(|s| s["this"] == true).expect("this one");
    assert!(this["last_seen"].is_string(), "asking is using it: {this}");
    let other = mine.iter().find(|s| s["this"] == false).expect("the other");
    let other_id = other["id"].as_str().expect("id").to_owned();
    assert_eq!(other_id.len(), 24);
    for session in &mine {
        let keys: Vec<&String> = session.as_object().expect("object").keys().collect();
        assert_eq!(
            keys,
            ["expires_at", "id", "last_seen", "this"],
            "nothing else about it"
        );
    }
    assert_eq!(list(&bea).await.len(), 1, "only one's own");

    let end = async |id: &str, cookie: &str| {
        call(
            &server,
            Method::DELETE,
            &format!("/sessions/{id}"),
            Some(cookie),
            None,
        )
        .await
        .status()
    };
    assert_eq!(
        end(&other_id, &bea).await,
        StatusCode::NOT_FOUND,
        "not bea's"
    );
    assert_eq!(
        end("0123456789abcdef01234567", &here).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(end(&other_id, &here).await, StatusCode::NO_CONTENT);
    let res = call(&server, Method::GET, "/sessions", Some(&there), None).await;
    assert_eq!(
        res.status(),
        StatusCode::UNAUTHORIZED,
        "the other phone is signed out"
    );
    assert_eq!(list(&here).await.len(), 1);
    assert_eq!(list(&bea).await.len(), 1);
}
