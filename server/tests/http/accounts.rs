//! Organiser accounts under attack, over HTTP (issue 14, findings 2 and 3): sign-ins refused
//! before any hash when their body or fields are too long, at most two hashes at once with every
//! sign-in answered, growing waits for an attacker, and a browser that signed in before that
//! nobody can lock out. The commands that end sessions (finding 8) are tested through the real
//! binary in `cli.rs`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use reqwest::StatusCode;
use reqwest::header::{COOKIE, RETRY_AFTER, SET_COOKIE};
use serde_json::json;
use vecinos_core::ErrorBody;
use vecinos_server::AppState;
use vecinos_server::auth::{self, Hasher};
use vecinos_server::store::{SharedStore, SqliteStore};

use super::test_config;

pub const PASSWORD: &str = "a long organiser password";

/// The app over a real socket, keeping its state (and so its hasher) for the test to read.
struct Running {
    base: String,
    store: SharedStore,
    hasher: Arc<Hasher>,
    _data: tempfile::TempDir,
}

async fn start(hasher: Hasher) -> Running {
    let data = tempfile::tempdir().expect("temp dir");
    let store: SharedStore = Arc::new(SqliteStore::open(data.path()).await.expect("opens"));
    let hash = auth::hash_password(PASSWORD).expect("hash");
    store.add_user("ana", &hash, Utc::now()).await.expect("ana");
    let mut state = AppState::new(store.clone(), test_config());
    let hasher = Arc::new(hasher);
    state.hasher = hasher.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let app = vecinos_server::app(state, None);
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serves") });
    Running {
        base,
        store,
        hasher,
        _data: data,
    }
}

/// `POST /api/v1/session` with a JSON body, carrying `cookies` ("a=1; b=2") when given.
pub async fn sign_in(
    base: &str,
    body: serde_json::Value,
    cookies: Option<&str>,
) -> reqwest::Response {
    let mut req = reqwest::Client::new()
        .post(format!("{base}/api/v1/session"))
        .json(&body);
    if let Some(cookies) = cookies {
        req = req.header(COOKIE, cookies);
    }
    req.send().await.expect("sign-in request")
}

/// The `name=value` of the cookie `name` that a response sets, if it does.
pub fn set_cookie(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|pair| pair.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

fn retry_after(res: &reqwest::Response) -> u64 {
    res.headers()[RETRY_AFTER]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds")
}

async fn whoami(base: &str, session: &str) -> StatusCode {
    reqwest::Client::new()
        .get(format!("{base}/api/v1/session"))
        .header(COOKIE, session)
        .send()
        .await
        .expect("whoami")
        .status()
}

#[tokio::test]
async fn sign_ins_with_too_much_to_hash_are_refused_before_any_hash() {
    let server = start(Hasher::default()).await;
    let huge = "x".repeat(5000);
    let res = sign_in(
        &server.base,
        json!({ "name": "ana", "password": huge }),
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: ErrorBody = res.json().await.expect("an ErrorBody");
    assert_eq!(body.code, "too_large");

    let long_name = "n".repeat(65);
    let long_password = "p".repeat(1025);
    for (body, field) in [
        (json!({ "name": long_name, "password": PASSWORD }), "name"),
        (json!({ "name": "  ", "password": PASSWORD }), "name"),
        (
            json!({ "name": "ana", "password": long_password }),
            "password",
        ),
        (json!({ "name": "ana", "password": "" }), "password"),
    ] {
        let res = sign_in(&server.base, body, None).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{field}");
        let body: ErrorBody = res.json().await.expect("an ErrorBody");
        assert_eq!(body.field.as_deref(), Some(field), "{}", body.message);
    }
    assert_eq!(server.hasher.hashed(), 0, "nothing was hashed");

    // 64 characters of two bytes each is a name (characters count, not bytes), and the name
    // is trimmed.
    let res = sign_in(
        &server.base,
        json!({ "name": "ñ".repeat(64), "password": "wrong" }),
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = sign_in(
        &server.base,
        json!({ "name": " ana ", "password": PASSWORD }),
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(server.hasher.hashed(), 2);
}

#[tokio::test]
async fn an_attacker_waits_longer_each_time_and_cannot_keep_the_owner_out_of_her_browser() {
    let server = start(Hasher::default()).await;
    let owner = sign_in(
        &server.base,
        json!({ "name": "ana", "password": PASSWORD }),
        None,
    )
    .await;
    assert_eq!(owner.status(), StatusCode::OK);
    let device = set_cookie(&owner, auth::DEVICE_COOKIE).expect("a device cookie");
    let device_attributes = owner
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(auth::DEVICE_COOKIE))
        .expect("the device cookie")
        .to_owned();
    for attribute in [
        "HttpOnly",
        "SameSite=Strict",
        "Path=/api/v1/session",
        "Max-Age=15552000",
    ] {
        assert!(device_attributes.contains(attribute), "{device_attributes}");
    }

    // The attacker, who has no device cookie, makes five wrong guesses, waiting as told.
    let mut failures = 0;
    let mut waits = Vec::new();
    while failures < 5 {
        let res = sign_in(
            &server.base,
            json!({ "name": "ana", "password": "guess" }),
            None,
        )
        .await;
        match res.status() {
            StatusCode::UNAUTHORIZED => failures += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                let wait = retry_after(&res);
                let body: ErrorBody = res.json().await.expect("an ErrorBody");
                assert_eq!(body.code, "throttled");
                waits.push(wait);
                assert!(waits.len() <= 5, "the attacker is let through in time");
                tokio::time::sleep(Duration::from_millis(wait * 1000 + 100)).await;
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(waits, [1, 2], "no wait for 3 failures, then 1 s, then 2 s");
    let res = sign_in(
        &server.base,
        json!({ "name": "ana", "password": "guess" }),
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!((3..=4).contains(&retry_after(&res)), "4 s after the fifth");

    // The owner's browser signs in at once, with its device cookie.
    let started = Instant::now();
    let owner = sign_in(
        &server.base,
        json!({ "name": "ana", "password": PASSWORD }),
        Some(&device),
    )
    .await;
    assert_eq!(
        owner.status(),
        StatusCode::OK,
        "a trusted browser is never held up"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(
        set_cookie(&owner, auth::DEVICE_COOKIE).as_deref(),
        Some(device.as_str()),
        "the same device token, renewed"
    );
    let session = set_cookie(&owner, auth::COOKIE).expect("a session");
    assert_eq!(whoami(&server.base, &session).await, StatusCode::OK);

    // Another browser (the owner's new phone, or the attacker) still waits: the trusted sign-in
    // did not clear the name's failures.
    let elsewhere = sign_in(
        &server.base,
        json!({ "name": "ana", "password": PASSWORD }),
        None,
    )
    .await;
    assert_eq!(elsewhere.status(), StatusCode::TOO_MANY_REQUESTS);
    // A device cookie does not help with another name.
    let other_name = sign_in(
        &server.base,
        json!({ "name": "bo", "password": PASSWORD }),
        Some(&device),
    )
    .await;
    assert_eq!(other_name.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_trusted_browser_that_fails_five_times_in_a_row_is_trusted_no_longer() {
    let server = start(Hasher::default()).await;
    let owner = sign_in(
        &server.base,
        json!({ "name": "ana", "password": PASSWORD }),
        None,
    )
    .await;
    let device = set_cookie(&owner, auth::DEVICE_COOKIE).expect("a device cookie");
    let device_hash = auth::token_hash(device.trim_start_matches("vecinos_device="));
    let accounts = server.store.accounts();
    for attempt in 1..=5 {
        let res = sign_in(
            &server.base,
            json!({ "name": "ana", "password": "typo" }),
            Some(&device),
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "attempt {attempt}");
        let cleared = set_cookie(&res, auth::DEVICE_COOKIE);
        assert_eq!(
            cleared.as_deref(),
            (attempt == 5).then_some("vecinos_device="),
            "the fifth failure removes the cookie"
        );
    }
    assert_eq!(
        accounts
            .sign_in_failures("ana", Utc::now())
            .await
            .expect("failures"),
        None,
        "a trusted browser's failures are its own, not the name's"
    );
    assert!(
        !accounts
            .trusted_device(&device_hash, "ana", Utc::now(), 5)
            .await
            .expect("lookup"),
        "forgotten"
    );
}

#[tokio::test]
async fn twenty_sign_ins_at_once_hash_two_at_a_time_and_all_get_an_answer() {
    let server = start(Hasher::new(2, Duration::from_secs(3))).await;
    let started = Instant::now();
    let attempts: Vec<_> = (0..20)
        .map(|i| {
            let base = server.base.clone();
            tokio::spawn(async move {
                let body = if i < 2 {
                    json!({ "name": "ana", "password": PASSWORD })
                } else {
                    json!({ "name": format!("guess-{i}"), "password": "wrong" })
                };
                let res = tokio::time::timeout(Duration::from_secs(60), sign_in(&base, body, None))
                    .await
                    .expect("answered within a minute");
                let wait = (res.status() == StatusCode::SERVICE_UNAVAILABLE).then(|| {
                    res.headers()
                        .get(RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.parse::<u64>().ok())
                });
                (res.status(), wait)
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for attempt in attempts {
        let (status, wait) = attempt.await.expect("joins");
        assert!(
            [
                StatusCode::OK,
                StatusCode::UNAUTHORIZED,
                StatusCode::SERVICE_UNAVAILABLE
            ]
            .contains(&status),
            "{status}"
        );
        if let Some(wait) = wait {
            assert!(wait.is_some_and(|s| s > 0), "503 says when to come back");
        }
        statuses.push(status);
    }
    assert!(
        server.hasher.most_at_once() <= 2,
        "{} at once",
        server.hasher.most_at_once()
    );
    assert!(server.hasher.hashed() >= 2);
    let answered = statuses
        .iter()
        .filter(|s| **s != StatusCode::SERVICE_UNAVAILABLE)
        .count();
    assert_eq!(u64::try_from(answered).ok(), Some(server.hasher.hashed()));
    assert!(started.elapsed() < Duration::from_secs(60));
}

#[tokio::test]
async fn quick_exit_forgets_the_browser_with_or_without_a_session() {
    let server = start(Hasher::default()).await;
    let delete = |query: &'static str, cookies: String| {
        let base = server.base.clone();
        async move {
            reqwest::Client::new()
                .delete(format!("{base}/api/v1/session{query}"))
                .header(COOKIE, cookies)
                .send()
                .await
                .expect("sign-out")
        }
    };
    let owner = sign_in(
        &server.base,
        json!({ "name": "ana", "password": PASSWORD }),
        None,
    )
    .await;
    let session = set_cookie(&owner, auth::COOKIE).expect("a session");
    let device = set_cookie(&owner, auth::DEVICE_COOKIE).expect("a device cookie");
    let device_hash = auth::token_hash(device.trim_start_matches("vecinos_device="));
    let trusted = || async {
        server
            .store
            .accounts()
            .trusted_device(&device_hash, "ana", Utc::now(), 5)
            .await
            .expect("lookup")
    };

    // A plain sign-out keeps the browser trusted.
    let out = delete("", format!("{session}; {device}")).await;
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert_eq!(set_cookie(&out, auth::DEVICE_COOKIE), None);
    assert!(trusted().await);
    assert_eq!(
        delete("", device.clone()).await.status(),
        StatusCode::UNAUTHORIZED
    );

    // Quick exit, signed out: the trust goes and the answer removes the cookie.
    let exit = delete("?device=forget", device.clone()).await;
    assert_eq!(exit.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        set_cookie(&exit, auth::DEVICE_COOKIE).as_deref(),
        Some("vecinos_device=")
    );
    assert!(!trusted().await);

    // Signed in, both go.
    let again = sign_in(
        &server.base,
        json!({ "name": "ana", "password": PASSWORD }),
        None,
    )
    .await;
    let session = set_cookie(&again, auth::COOKIE).expect("a session");
    let device = set_cookie(&again, auth::DEVICE_COOKIE).expect("a device cookie");
    let exit = delete("?device=forget", format!("{session}; {device}")).await;
    assert_eq!(exit.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        set_cookie(&exit, auth::COOKIE).as_deref(),
        Some("vecinos_session=")
    );
    assert_eq!(
        set_cookie(&exit, auth::DEVICE_COOKIE).as_deref(),
        Some("vecinos_device=")
    );
    assert_eq!(
        whoami(&server.base, &session).await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn names_typed_at_sign_in_are_never_kept_as_typed() {
    let server = super::start_with(None, test_config()).await;
    // What people type into the name field by mistake: a password, an e-mail address.
    let typed = "Maria.Lopez.secret-2026@example.org";
    let res = reqwest::Client::new()
        .post(format!("{}/api/v1/session", server.base))
        .json(&json!({ "name": typed, "password": "wrong password" }))
        .send()
        .await
        .expect("sign in");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let failures = server
        .store
        .accounts()
        .sign_in_failures(typed, Utc::now())
        .await
        .expect("read");
    assert_eq!(failures.map(|f| f.count), Some(1), "the failure is counted");
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(server.data.path()).expect("data dir") {
        bytes.extend(std::fs::read(entry.expect("entry").path()).expect("read"));
    }
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains(typed), "the database holds the typed name");
    assert!(text.contains(&vecinos_server::store::failure_key(typed)));
}
