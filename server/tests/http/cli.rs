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
