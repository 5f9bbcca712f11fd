//! The server over real HTTP, against a real SQLite file in a temporary folder. One test binary:
//! this file holds the harness and the feed and static-file tests; the modules hold the rest.

mod accounts;
mod alerts;
mod cli;
mod live;
mod organise;
mod push;
mod reports;
mod team;
mod transport;

use std::path::Path;
use std::sync::Arc;

use reqwest::StatusCode;
use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE};
use vecinos_core::{Change, ChangePage, Cursor, ErrorBody, Record, RecordKind};
use vecinos_server::AppState;
use vecinos_server::config::Config;
use vecinos_server::store::{Expected, SharedStore, SqliteStore};

pub struct Server {
    pub base: String,
    pub store: SharedStore,
    pub data: tempfile::TempDir,
}

/// A test configuration: easy proof of work, a generous report rate, and no feed-head cache
/// (tests write through the store directly and expect to see it at once).
pub fn test_config() -> Config {
    Config {
        pow_difficulty: 8,
        report_rate: 10_000,
        feed_head_ttl: std::time::Duration::ZERO,
        ..Config::default()
    }
}

async fn start(dist: Option<&Path>) -> Server {
    start_with(dist, test_config()).await
}

pub async fn start_with(dist: Option<&Path>, config: Config) -> Server {
    start_in(tempfile::tempdir().expect("temp dir"), dist, config).await
}

/// A server whose database says proof-of-work scheme v2 started at `v2_since` (the row migration
/// 0006 wrote, changed before the server opens the database and reads it).
pub async fn start_switched(config: Config, v2_since: chrono::DateTime<chrono::Utc>) -> Server {
    use sqlx::Connection;
    use vecinos_server::store::Store;
    let data = tempfile::tempdir().expect("temp dir");
    SqliteStore::open(data.path())
        .await
        .expect("database opens")
        .close()
        .await;
    let options =
        sqlx::sqlite::SqliteConnectOptions::new().filename(data.path().join("vecinos.db"));
    let mut db = sqlx::SqliteConnection::connect_with(&options)
        .await
        .expect("database connects");
    let changed = sqlx::query("UPDATE pow_scheme SET v2_since = $1 WHERE id = 1")
        .bind(v2_since.timestamp())
        .execute(&mut db)
        .await
        .expect("switch time written");
    assert_eq!(changed.rows_affected(), 1);
    db.close().await.expect("closes");
    start_in(data, None, config).await
}

async fn start_in(data: tempfile::TempDir, dist: Option<&Path>, config: Config) -> Server {
    let store: SharedStore = Arc::new(
        SqliteStore::open(data.path())
            .await
            .expect("database opens"),
    );
    let today = chrono::Utc::now().date_naive();
    assert!(
        vecinos_server::seed_demo(store.as_ref(), today)
            .await
            .expect("seeds")
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let app = vecinos_server::app(AppState::new(store.clone(), config), dist);
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serves") });
    Server { base, store, data }
}

async fn page(server: &Server, query: &str) -> ChangePage {
    let res = reqwest::get(format!("{}/api/v1/changes{query}", server.base))
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.expect("a change page")
}

#[tokio::test]
async fn health_answers_ok() {
    let server = start(None).await;
    let res = reqwest::get(format!("{}/api/v1/health", server.base))
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::OK);
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn paging_through_the_feed_returns_every_demo_record_once() {
    let server = start(None).await;
    let mut cursor = Cursor::START;
    let mut ids = Vec::new();
    loop {
        let page = page(&server, &format!("?since={}&limit=3", cursor.0)).await;
        assert!(page.changes.len() <= 3);
        assert!(page.cursor > cursor || page.changes.is_empty());
        for change in &page.changes {
            let Change::Upsert { seq, record } = change else {
                panic!("demo data has no deletions")
            };
            assert!(*seq > cursor.0 && *seq <= page.cursor.0);
            ids.push(record.id());
        }
        cursor = page.cursor;
        if !page.more {
            break;
        }
    }
    let total = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), total, "no record twice");
    assert_eq!(
        total,
        vecinos_server::demo::records(chrono::Utc::now().date_naive()).len()
    );

    let caught_up = page(&server, &format!("?since={}", cursor.0)).await;
    assert!(caught_up.changes.is_empty() && !caught_up.more);
    assert_eq!(caught_up.cursor, cursor, "an empty page keeps the cursor");
}

#[tokio::test]
async fn updates_and_deletions_move_to_the_end_of_the_feed() {
    let server = start(None).await;
    let all = page(&server, "").await;
    let Some(Change::Upsert {
        record: Record::Event(mut event),
        ..
    }) = all.changes.first().cloned()
    else {
        panic!("the feed starts with a demo event");
    };
    event.title = "Vigil moved indoors".into();
    server
        .store
        .put(Record::Event(event.clone()), Expected::Any, "test")
        .await
        .expect("update");
    let deleted = all.changes[1].clone();
    let Change::Upsert { record: gone, .. } = deleted else {
        panic!("second change is a record")
    };
    server
        .store
        .delete(gone.kind(), gone.id(), Expected::Any, "test")
        .await
        .expect("delete");

    let since = page(&server, &format!("?since={}", all.cursor.0)).await;
    assert_eq!(since.changes.len(), 2);
    assert!(
        matches!(&since.changes[0], Change::Upsert { record: Record::Event(e), .. } if e.title == "Vigil moved indoors")
    );
    assert!(
        matches!(since.changes[1], Change::Delete { kind: RecordKind::Event, id, .. } if id == gone.id())
    );

    // From the start, each record appears once, in its latest state.
    let fresh = page(&server, "").await;
    assert_eq!(fresh.changes.len(), all.changes.len());
    let updated = fresh
        .changes
        .iter()
        .filter(|c| matches!(c, Change::Upsert { record, .. } if record.id() == event.id))
        .count();
    assert_eq!(updated, 1);
}

#[tokio::test]
async fn bad_paging_parameters_get_a_clear_error_naming_the_field() {
    let server = start(None).await;
    for (query, field) in [
        ("?since=-1", "since"),
        ("?since=abc", "since"),
        ("?limit=0", "limit"),
        ("?limit=100000", "limit"),
        ("?since=3&limit=ten", "limit"),
    ] {
        let res = reqwest::get(format!("{}/api/v1/changes{query}", server.base))
            .await
            .expect("request");
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{query}");
        let body: ErrorBody = res.json().await.expect("error body");
        assert_eq!(body.code, "bad_request");
        assert_eq!(
            body.field.as_deref(),
            Some(field),
            "{query}: {}",
            body.message
        );
        assert!(
            body.message.starts_with("since and limit must be")
                || body.message.starts_with("limit must be"),
            "{}",
            body.message
        );
    }
    let res = reqwest::get(format!("{}/api/v1/nothing-here", server.base))
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let body: ErrorBody = res.json().await.expect("error body");
    assert_eq!(body.code, "not_found");
}

#[tokio::test]
async fn the_change_feed_is_sent_compressed() {
    let server = start(None).await;
    let res = reqwest::Client::builder()
        .no_brotli()
        .build()
        .expect("client")
        .get(format!("{}/api/v1/changes", server.base))
        .header(ACCEPT_ENCODING, "br")
        .send()
        .await
        .expect("request");
    assert_eq!(
        res.headers().get(CONTENT_ENCODING).map(|v| v.as_bytes()),
        Some(&b"br"[..])
    );
}

#[tokio::test]
async fn demo_data_is_only_seeded_into_a_new_database() {
    let server = start(None).await;
    let before = page(&server, "").await.changes.len();
    let today = chrono::Utc::now().date_naive();
    assert!(
        !vecinos_server::seed_demo(server.store.as_ref(), today)
            .await
            .expect("seed call")
    );
    assert_eq!(page(&server, "").await.changes.len(), before);
}

#[tokio::test]
async fn static_files_have_the_right_types_and_cache_lifetimes() {
    let dist = tempfile::tempdir().expect("dist");
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><title>Vecinos</title>",
    )
    .expect("write");
    std::fs::write(
        dist.path().join("vecinos-0123456789abcdef_bg.wasm"),
        b"\0asm\x01\0\0\0",
    )
    .expect("write");
    std::fs::write(
        dist.path().join("sw.js"),
        "self.addEventListener('fetch', () => {});",
    )
    .expect("write");
    let server = start(Some(dist.path())).await;
    let get = |path: &str| reqwest::get(format!("{}{path}", server.base));
    let header = |res: &reqwest::Response, name| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };

    let wasm = get("/vecinos-0123456789abcdef_bg.wasm")
        .await
        .expect("wasm");
    assert_eq!(
        header(&wasm, CONTENT_TYPE).as_deref(),
        Some("application/wasm")
    );
    assert_eq!(
        header(&wasm, CACHE_CONTROL).as_deref(),
        Some("public, max-age=31536000, immutable")
    );

    for path in ["/", "/sw.js", "/events", "/resources/somewhere"] {
        let res = get(path).await.expect("request");
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(
            header(&res, CACHE_CONTROL).as_deref(),
            Some("no-cache"),
            "{path}"
        );
    }
    let route = get("/events")
        .await
        .expect("app route")
        .text()
        .await
        .expect("text");
    assert!(
        route.contains("<title>Vecinos</title>"),
        "app routes get index.html"
    );

    let missing = get("/vecinos-ffffffffffffffff.js").await.expect("request");
    assert_eq!(
        missing.status(),
        StatusCode::NOT_FOUND,
        "a missing asset is never answered with HTML"
    );
}

#[tokio::test]
async fn the_config_tells_phones_the_region_tiles_and_proof_of_work() {
    let server = start(None).await;
    let config: vecinos_core::ClientConfig = reqwest::get(format!("{}/api/v1/config", server.base))
        .await
        .expect("request")
        .json()
        .await
        .expect("config");
    assert!(config.region.bounds.contains(config.region.centre));
    assert!(
        config.tiles.url_template.contains("{z}")
            && config.tiles.attribution.contains("OpenStreetMap")
    );
    assert_eq!(config.alert_ttl_minutes, 240);
    assert_eq!(config.pow.difficulty, test_config().pow_difficulty);
    assert_eq!(
        config.pow.salt,
        vecinos_server::config::pow_salt(chrono::Utc::now())
    );
    assert_eq!(config.languages, ["en", "es", "so", "hmn"]);
    // Named neighbourhoods, so phones put areas into words offline; the demo's are made up.
    let names: Vec<&str> = config
        .region
        .neighbourhoods
        .iter()
        .map(|n| n.name.as_str())
        .collect();
    assert!(names.len() >= 5, "{names:?}");
    assert!(names.iter().all(|n| n.ends_with("(example)")), "{names:?}");
    assert!(
        config
            .region
            .neighbourhoods
            .iter()
            .all(|n| !n.cells.is_empty())
    );
    // The centre, and a report made near it, are in one of them.
    let near_centre = vecinos_core::geo::coarsen(config.region.centre).expect("a position");
    assert!(matches!(
        vecinos_core::places::whereabouts(
            &near_centre,
            &config.region.neighbourhoods,
            config.region.centre
        ),
        Some(vecinos_core::places::Whereabouts::Near(_, None))
    ));
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let dist = tempfile::tempdir().expect("dist");
    let index = "<!doctype html><script type=module>import init from '/a.js'; init();</script>";
    std::fs::write(dist.path().join("index.html"), index).expect("write");
    let server = start(Some(dist.path())).await;
    for path in ["/", "/api/v1/health", "/api/v1/nothing"] {
        let res = reqwest::get(format!("{}{path}", server.base))
            .await
            .expect("request");
        let header = |name: &str| {
            res.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        let csp = header("content-security-policy");
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header("referrer-policy"), "no-referrer", "{path}");
        assert_eq!(
            header("cross-origin-resource-policy"),
            "same-origin",
            "{path}"
        );
        assert_eq!(
            header("strict-transport-security"),
            "",
            "{path}: no HSTS over plain HTTP"
        );
    }
}

#[tokio::test]
async fn hsts_is_sent_when_the_server_is_reached_over_https() {
    let dist = tempfile::tempdir().expect("dist");
    std::fs::write(dist.path().join("index.html"), "<!doctype html>").expect("write");
    let config = Config {
        secure_cookies: true,
        ..test_config()
    };
    let server = start_with(Some(dist.path()), config).await;
    for path in ["/", "/events", "/api/v1/health", "/api/v1/nothing"] {
        let res = reqwest::get(format!("{}{path}", server.base))
            .await
            .expect("request");
        assert_eq!(
            res.headers()
                .get("strict-transport-security")
                .map(|v| v.as_bytes()),
            Some(&b"max-age=63072000; includeSubDomains"[..]),
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_wrong_method_on_an_api_route_gets_a_json_405() {
    let server = start(None).await;
    let client = reqwest::Client::new();
    for (method, path) in [
        (reqwest::Method::DELETE, "/api/v1/health"),
        (reqwest::Method::POST, "/api/v1/changes"),
        (reqwest::Method::PUT, "/api/v1/reports"),
    ] {
        let res = client
            .request(method.clone(), format!("{}{path}", server.base))
            .send()
            .await
            .expect("request");
        assert_eq!(
            res.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
        assert!(
            res.headers().contains_key("allow"),
            "{method} {path} says which methods it takes"
        );
        assert_eq!(
            res.headers()
                .get("cross-origin-resource-policy")
                .map(|v| v.as_bytes()),
            Some(&b"same-origin"[..])
        );
        let body: ErrorBody = res.json().await.expect("an ErrorBody");
        assert_eq!(body.code, "method_not_allowed", "{method} {path}");
    }
}

/// A dist folder with things that must never be served next to the app.
fn dist_with_hidden_files() -> tempfile::TempDir {
    let dist = tempfile::tempdir().expect("dist");
    let write = |path: &str, text: &str| {
        let path = dist.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("folders");
        std::fs::write(path, text).expect("write");
    };
    write("index.html", "<!doctype html><title>Vecinos</title>");
    write("icons/icon-192.png", "png");
    write(".git/config", "[remote] url = secret");
    write(".git/HEAD", "ref: refs/heads/main");
    write(".env", "DATABASE=postgres://secret");
    write(".well-known/security.txt", "Contact: mailto:x@example.org");
    write("icons/.DS_Store", "finder");
    dist
}

#[tokio::test]
async fn dot_files_and_dot_folders_in_dist_are_never_served() {
    let dist = dist_with_hidden_files();
    let server = start(Some(dist.path())).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    for path in [
        "/.git/config",
        "/.git/HEAD",
        "/.git",
        "/.git/",
        "/.env",
        "/.well-known/security.txt",
        "/icons/.DS_Store",
        "/%2egit/config",
        "/%2Eenv",
        "/icons/%2eDS_Store",
        "/.git/config.br",
    ] {
        let res = client
            .get(format!("{}{path}", server.base))
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(!res.headers().contains_key("location"), "{path}");
        let text = res.text().await.expect("text");
        assert!(!text.contains("secret") && !text.contains("ref:"), "{path}");
    }
    for path in ["/icons/icon-192.png", "/", "/events"] {
        let res = client
            .get(format!("{}{path}", server.base))
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn no_answer_is_a_protocol_relative_redirect() {
    let dist = dist_with_hidden_files();
    let server = start(Some(dist.path())).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    for path in [
        "//icons",
        "///icons",
        "//evil.example",
        "//evil.example/",
        "//evil.example/icons",
        "/%2Ficons",
        "/%2F%2Fevil.example",
    ] {
        let res = client
            .get(format!("{}{path}", server.base))
            .send()
            .await
            .expect("request");
        let location = res
            .headers()
            .get("location")
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let on_this_site =
            |l: &str| l.starts_with('/') && !l.starts_with("//") && !l.starts_with("/\\");
        assert!(
            location.as_deref().is_none_or(on_this_site),
            "{path}: {location:?}"
        );
    }
    // A folder without its slash is still sent to the folder on this site.
    let res = client
        .get(format!("{}/icons", server.base))
        .send()
        .await
        .expect("request");
    assert_eq!(
        res.headers().get("location").map(|v| v.as_bytes()),
        Some(&b"/icons/"[..])
    );
}

#[tokio::test]
async fn exports_speak_ical_geojson_and_hsds() {
    let server = start(None).await;
    let get = |path: &str| reqwest::get(format!("{}/api/v1{path}", server.base));
    let feed = get("/events.ics").await.expect("ics");
    assert_eq!(feed.status(), StatusCode::OK);
    assert!(
        feed.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/calendar")
    );
    let text = feed.text().await.expect("text");
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.matches("BEGIN:VEVENT").count() == 15);

    let Some(Change::Upsert {
        record: Record::Event(event),
        ..
    }) = page(&server, "").await.changes.into_iter().next()
    else {
        panic!("the feed starts with an event");
    };
    let one = get(&format!("/events/{}.ics", event.id))
        .await
        .expect("one")
        .text()
        .await
        .expect("text");
    assert_eq!(one.matches("BEGIN:VEVENT").count(), 1);
    assert!(one.contains(&format!("UID:{}@vecinos", event.id)));
    assert_eq!(
        get(&format!("/events/{}.ics", uuid::Uuid::nil()))
            .await
            .expect("missing")
            .status(),
        StatusCode::NOT_FOUND
    );

    let map: serde_json::Value = get("/map.geojson")
        .await
        .expect("geojson")
        .json()
        .await
        .expect("json");
    assert_eq!(map["type"], "FeatureCollection");
    let names: Vec<&str> = map["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter_map(|f| f["properties"]["name"].as_str())
        .collect();
    assert!(
        !names.iter().any(|n| n.contains("Grocery delivery")),
        "area-only listings are never points: {names:?}"
    );

    let hsds: serde_json::Value = get("/export/hsds")
        .await
        .expect("hsds")
        .json()
        .await
        .expect("json");
    assert_eq!(hsds.as_array().map(Vec::len), Some(40));
}
