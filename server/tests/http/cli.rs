//! The real `vecinos-server` binary's admin commands: importing HSDS files and adding organisers.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use vecinos_core::{Record, RecordKind};
use vecinos_server::store::{SqliteStore, Store};

fn server(data: &std::path::Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vecinos-server"))
        .arg("--data")
        .arg(data)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server binary starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("it finishes")
}

fn demo_resources() -> Vec<vecinos_core::Resource> {
    vecinos_server::demo::records(chrono::Utc::now().date_naive())
        .into_iter()
        .filter_map(|r| {
            if let Record::Resource(r) = r {
                Some(r)
            } else {
                None
            }
        })
        .collect()
}

#[tokio::test]
async fn an_hsds_file_with_one_bad_record_imports_nothing_and_names_it() {
    let data = tempfile::tempdir().expect("data");
    let mut export = vecinos_server::interchange::hsds::export(&demo_resources());
    export[2]["phones"][0]["number"] = serde_json::json!("call us!");
    let bad = data.path().join("bad.json");
    std::fs::write(&bad, serde_json::to_string_pretty(&export).expect("json")).expect("write");

    let out = server(
        data.path(),
        &["import", "hsds", bad.to_str().expect("utf-8")],
        "",
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    assert!(
        stderr.contains("Rides to court") || stderr.contains("record 2"),
        "names the record: {stderr}"
    );
    let store = SqliteStore::open(data.path()).await.expect("db");
    assert!(
        store
            .records(RecordKind::Resource)
            .await
            .expect("records")
            .is_empty()
    );
    drop(store);

    let good = data.path().join("good.json");
    let fine = vecinos_server::interchange::hsds::export(&demo_resources());
    std::fs::write(&good, fine.to_string()).expect("write");
    let out = server(
        data.path(),
        &["import", "hsds", good.to_str().expect("utf-8")],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = SqliteStore::open(data.path()).await.expect("db");
    assert_eq!(
        store
            .records(RecordKind::Resource)
            .await
            .expect("records")
            .len(),
        40
    );
}

#[tokio::test]
async fn user_add_stores_an_argon2id_hash_of_the_password_from_stdin() {
    let data = tempfile::tempdir().expect("data");
    let short = server(data.path(), &["user", "add", "ana"], "short\n");
    assert!(!short.status.success(), "short passwords are refused");
    let out = server(
        data.path(),
        &["user", "add", "ana"],
        "a long organiser password\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = SqliteStore::open(data.path()).await.expect("db");
    let hash = store
        .password_hash("ana")
        .await
        .expect("lookup")
        .expect("saved");
    assert!(hash.starts_with("$argon2id$"));
    assert!(vecinos_server::auth::verify_password(
        "a long organiser password",
        &hash
    ));
}

#[tokio::test]
async fn vapid_rotate_replaces_the_stored_key() {
    let data = tempfile::tempdir().expect("data");
    let store = SqliteStore::open(data.path()).await.expect("db");
    let first = vecinos_server::push::Vapid::generate_key();
    assert_eq!(store.push().vapid_key(&first).await.expect("key"), first);
    drop(store);

    let out = server(data.path(), &["vapid", "rotate"], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let store = SqliteStore::open(data.path()).await.expect("db");
    let rotated = store.push().vapid_key("unused").await.expect("key");
    assert_ne!(rotated, first);
    let public = vecinos_server::push::Vapid::new(&rotated, "mailto:a@example.org")
        .expect("a key")
        .public_key();
    assert!(
        stdout.contains(&public),
        "prints the new public key: {stdout}"
    );
}

/// The real binary's `user` commands against the database a running server uses: what they end
/// stops working on that server at once.
mod accounts {
    use chrono::Utc;
    use reqwest::StatusCode;
    use reqwest::header::COOKIE;
    use serde_json::json;
    use vecinos_server::auth;
    use vecinos_server::store::FAILURE_NAMES;

    use super::super::accounts::{PASSWORD, set_cookie, sign_in};
    use super::super::{Server, start_with, test_config};

    const NEW_PASSWORD: &str = "a brand new organiser password";

    async fn add(server: &Server, name: &str) {
        let hash = auth::hash_password(PASSWORD).expect("hash");
        server
            .store
            .add_user(name, &hash, Utc::now())
            .await
            .expect("user");
    }

    /// Signs `name` in over HTTP; the session cookie.
    async fn session(server: &Server, name: &str, password: &str) -> String {
        let res = sign_in(
            &server.base,
            json!({ "name": name, "password": password }),
            None,
        )
        .await;
        assert_eq!(res.status(), StatusCode::OK, "{name} signs in");
        set_cookie(&res, auth::COOKIE).expect("a session cookie")
    }

    async fn whoami(server: &Server, session: &str) -> StatusCode {
        reqwest::Client::new()
            .get(format!("{}/api/v1/session", server.base))
            .header(COOKIE, session)
            .send()
            .await
            .expect("whoami")
            .status()
    }

    fn run(server: &Server, args: &[&str], stdin: &str) -> (bool, String, String) {
        let out = super::server(server.data.path(), args, stdin);
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    #[tokio::test]
    async fn a_new_password_ends_the_sessions_signed_in_with_the_old_one() {
        let server = start_with(None, test_config()).await;
        add(&server, "ana").await;
        let old = session(&server, "ana", PASSWORD).await;
        assert_eq!(whoami(&server, &old).await, StatusCode::OK);

        let (ok, stdout, stderr) = run(
            &server,
            &["user", "add", "ana"],
            &format!("{NEW_PASSWORD}\n"),
        );
        assert!(ok, "{stderr}");
        assert!(
            stdout.contains("new password") && stdout.contains("1 session(s) ended"),
            "{stdout}"
        );
        assert_eq!(
            whoami(&server, &old).await,
            StatusCode::UNAUTHORIZED,
            "the old session ended on the running server"
        );
        let wrong = sign_in(
            &server.base,
            json!({ "name": "ana", "password": PASSWORD }),
            None,
        )
        .await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        let new = session(&server, "ana", NEW_PASSWORD).await;
        assert_eq!(whoami(&server, &new).await, StatusCode::OK);
    }

    #[tokio::test]
    async fn sign_out_and_remove_end_one_organisers_sessions_at_once() {
        let server = start_with(None, test_config()).await;
        add(&server, "ana").await;
        add(&server, "bo").await;
        let (ana, bo) = (
            session(&server, "ana", PASSWORD).await,
            session(&server, "bo", PASSWORD).await,
        );

        let (ok, stdout, stderr) = run(&server, &["user", "sign-out", "ana"], "");
        assert!(ok, "{stderr}");
        assert!(stdout.contains("1 session(s) ended"), "{stdout}");
        assert_eq!(whoami(&server, &ana).await, StatusCode::UNAUTHORIZED);
        assert_eq!(
            whoami(&server, &bo).await,
            StatusCode::OK,
            "bo is not touched"
        );
        let again = session(&server, "ana", PASSWORD).await;
        assert_eq!(
            whoami(&server, &again).await,
            StatusCode::OK,
            "ana may sign in again"
        );

        let (ok, stdout, stderr) = run(&server, &["user", "remove", "bo"], "");
        assert!(ok, "{stderr}");
        assert!(stdout.contains("bo removed"), "{stdout}");
        assert_eq!(whoami(&server, &bo).await, StatusCode::UNAUTHORIZED);
        let gone = sign_in(
            &server.base,
            json!({ "name": "bo", "password": PASSWORD }),
            None,
        )
        .await;
        assert_eq!(gone.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            whoami(&server, &again).await,
            StatusCode::OK,
            "ana is not touched"
        );

        for command in ["remove", "sign-out", "unlock"] {
            let (ok, _, stderr) = run(&server, &["user", command, "nobody"], "");
            assert!(!ok, "{command} of an unknown name fails");
            assert!(
                stderr.contains("no organiser named nobody"),
                "{command}: {stderr}"
            );
        }
    }

    #[tokio::test]
    async fn unlock_lets_the_next_sign_in_go_ahead_at_once() {
        let server = start_with(None, test_config()).await;
        add(&server, "ana").await;
        // Ten failed attempts: the next must wait 2^7 s.
        let accounts = server.store.accounts();
        for _ in 0..10 {
            let now = Utc::now();
            let seen = accounts.sign_in_failures("ana", now).await.expect("read");
            assert!(
                accounts
                    .count_sign_in_attempt("ana", seen, now, FAILURE_NAMES)
                    .await
                    .expect("count")
            );
        }
        let held = sign_in(
            &server.base,
            json!({ "name": "ana", "password": PASSWORD }),
            None,
        )
        .await;
        assert_eq!(held.status(), StatusCode::TOO_MANY_REQUESTS);

        let (ok, stdout, stderr) = run(&server, &["user", "unlock", "ana"], "");
        assert!(ok, "{stderr}");
        assert!(stdout.contains("failed sign-ins forgotten"), "{stdout}");
        session(&server, "ana", PASSWORD).await;
        let (ok, stdout, _) = run(&server, &["user", "unlock", "ana"], "");
        assert!(ok && stdout.contains("no failed sign-ins"), "{stdout}");
    }
}
