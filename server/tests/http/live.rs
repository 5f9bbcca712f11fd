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
