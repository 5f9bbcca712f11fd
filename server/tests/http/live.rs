//! Live updates: `GET /api/v1/changes/stream` says the feed's head at once and again whenever it
//! moves, refuses streams past its limit, and ends its streams when the server stops.

use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use vecinos_core::{Change, ChangePage, Record};
use vecinos_server::AppState;
use vecinos_server::config::Config;
use vecinos_server::live::Live;
use vecinos_server::store::{Expected, SharedStore, SqliteStore};

use super::test_config;

struct LiveServer {
    base: String,
    store: SharedStore,
    live: Arc<Live>,
    _data: tempfile::TempDir,
}

async fn start(config: Config) -> LiveServer {
    let data = tempfile::tempdir().expect("temp dir");
    let store: SharedStore = Arc::new(SqliteStore::open(data.path()).await.expect("opens"));
    vecinos_server::seed_demo(store.as_ref(), chrono::Utc::now().date_naive())
        .await
        .expect("seeds");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let state = AppState::new(store.clone(), config);
    let live = state.live.clone();
    let app = vecinos_server::app(state, None);
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serves") });
    LiveServer {
        base,
        store,
        live,
        _data: data,
    }
}

/// An open stream, read event by event.
struct Stream {
    response: reqwest::Response,
    buffer: String,
}

impl Stream {
    async fn open(base: &str) -> reqwest::Response {
        reqwest::get(format!("{base}/api/v1/changes/stream"))
            .await
            .expect("request")
    }

    /// The next event's data, or None when the stream ended; fails after `wait`.
    async fn next(&mut self, wait: Duration) -> Option<u64> {
        tokio::time::timeout(wait, async {
            loop {
                if let Some(end) = self.buffer.find("\n\n") {
                    let event: String = self.buffer.drain(..end + 2).collect();
                    if let Some(data) = event.lines().find_map(|l| l.strip_prefix("data:")) {
                        return Some(data.trim().parse().expect("a sequence number"));
                    }
                    continue;
                }
                let chunk = self.response.chunk().await.expect("reads")?;
                self.buffer
                    .push_str(std::str::from_utf8(&chunk).expect("UTF-8"));
            }
        })
        .await
        .expect("an event in time")
    }
}

#[tokio::test]
async fn an_open_stream_says_the_head_and_then_every_move() {
    let server = start(test_config()).await;
    let response = Stream::open(&server.base).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()[CONTENT_TYPE]
            .to_str()
            .is_ok_and(|t| t.starts_with("text/event-stream"))
    );
    let mut stream = Stream {
        response,
        buffer: String::new(),
    };
    let head: ChangePage = reqwest::get(format!("{}/api/v1/changes", server.base))
        .await
        .expect("request")
        .json()
        .await
        .expect("a page");
    // The first event is the head as the server knows it (0 until it has read it), then the
    // real head within a second.
    let mut seen = stream.next(Duration::from_secs(5)).await.expect("an event");
    if seen == 0 {
        seen = stream.next(Duration::from_secs(5)).await.expect("the head");
    }
    let last = head_of(&server).await;
    assert_eq!(seen, last);
    assert!(!head.changes.is_empty());

    // A write made outside this server's API (another server, retention) is seen by polling.
    let Some(Change::Upsert {
        record: Record::Event(mut event),
        ..
    }) = head.changes.first().cloned()
    else {
        panic!("the demo feed starts with an event");
    };
    event.title = "Vigil moved indoors".into();
    server
        .store
        .put(Record::Event(event), Expected::Any, "test")
        .await
        .expect("update");
    let moved = stream.next(Duration::from_secs(5)).await.expect("a move");
    assert!(moved > seen, "{moved} after {seen}");
    assert_eq!(moved, head_of(&server).await);
}

#[tokio::test]
async fn streams_past_the_limit_are_refused_and_a_closed_one_frees_its_slot() {
    let server = start(Config {
        live_streams: 1,
        ..test_config()
    })
    .await;
    let first = Stream::open(&server.base).await;
    assert_eq!(first.status(), StatusCode::OK);
    let second = Stream::open(&server.base).await;
    assert_eq!(second.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(second.headers().contains_key("retry-after"));
    drop(first);
    // The slot comes back once the server notices the closed connection.
    let mut status = StatusCode::TOO_MANY_REQUESTS;
    for _ in 0..50 {
        status = Stream::open(&server.base).await.status();
        if status == StatusCode::OK {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn stopping_the_server_ends_its_streams() {
    let server = start(test_config()).await;
    let mut stream = Stream {
        response: Stream::open(&server.base).await,
        buffer: String::new(),
    };
    stream
        .next(Duration::from_secs(5))
        .await
        .expect("the first event");
    server.live.stop();
    let mut ended = false;
    for _ in 0..3 {
        if stream.next(Duration::from_secs(5)).await.is_none() {
            ended = true;
            break;
        }
    }
    assert!(ended, "the stream ends when the server stops");
}

async fn head_of(server: &LiveServer) -> u64 {
    server.store.head().await.expect("head")
}

#[tokio::test]
async fn an_active_alert_is_public_by_its_id_and_nothing_else_is() {
    let server = start(test_config()).await;
    let feed: ChangePage = reqwest::get(format!("{}/api/v1/changes", server.base))
        .await
        .expect("request")
        .json()
        .await
        .expect("a page");
    let now = chrono::Utc::now();
    let alert = |minutes: i64| vecinos_core::Alert {
        id: uuid::Uuid::new_v4(),
        version: 0,
        kind: vecinos_core::ReportKind::Checkpoint,
        summary: "Example checkpoint on Lake St".into(),
        area: Some("9zvxvh8".into()),
        cross_streets: None,
        verified_at: now,
        expires_at: now + chrono::Duration::minutes(minutes),
        translations: Default::default(),
        withdrawn: None,
    };
    let (active, expired) = (alert(60), alert(-1));
    for a in [&active, &expired] {
        server
            .store
            .put(Record::Alert(a.clone()), Expected::Any, "test")
            .await
            .expect("an alert");
    }
    let get = |id: String| {
        let base = server.base.clone();
        async move {
            reqwest::get(format!("{base}/api/v1/alerts/{id}"))
                .await
                .expect("request")
        }
    };
    let res = get(active.id.to_string()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let read: vecinos_core::Alert = res.json().await.expect("an alert");
    assert_eq!(read.summary, active.summary);
    assert_eq!(
        get(expired.id.to_string()).await.status(),
        StatusCode::NOT_FOUND,
        "an expired alert is gone"
    );
    // An event's id is not an alert; a made-up id is nothing; a bad id is a clear 400.
    let event = feed
        .changes
        .iter()
        .find_map(|c| match c {
            Change::Upsert {
                record: Record::Event(e),
                ..
            } => Some(e.id),
            _ => None,
        })
        .expect("a demo event");
    assert_eq!(get(event.to_string()).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        get(uuid::Uuid::nil().to_string()).await.status(),
        StatusCode::NOT_FOUND
    );
    let bad = get("not-an-id".into()).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let body: vecinos_core::ErrorBody = bad.json().await.expect("a JSON error");
    assert_eq!(body.code, "bad_request");
}
