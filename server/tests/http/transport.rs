//! The real `vecinos-server` binary's connections (issue 14, finding 6): idle and half-sent
//! connections are closed within the header timeout, a full connection cap delays a request by at
//! most that long, a server short of file descriptors keeps answering, slow requests get a JSON
//! timeout while live streams stay open, and a stop is graceful. Also `--https` and its old name.

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use vecinos_core::ErrorBody;

const BIN: &str = env!("CARGO_BIN_EXE_vecinos-server");

/// A running `vecinos-server serve` on a free port, stopped when dropped.
struct Binary {
    child: Child,
    addr: SocketAddr,
    base: String,
    _data: Option<tempfile::TempDir>,
}

impl Binary {
    fn start(args: &[&str]) -> Self {
        let data = tempfile::tempdir().expect("data");
        let mut server = Self::start_in(data.path(), None, args, &[]);
        server._data = Some(data);
        server
    }

    /// Started by `sh` with `ulimit -n files` first: a server that may hold few descriptors.
    fn start_with_files(files: u32, args: &[&str]) -> Self {
        let data = tempfile::tempdir().expect("data");
        let mut server = Self::start_in(data.path(), Some(files), args, &[]);
        server._data = Some(data);
        server
    }

    fn start_in(
        data: &std::path::Path,
        files: Option<u32>,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Self {
        let mut command = match files {
            None => Command::new(BIN),
            Some(files) => {
                let mut sh = Command::new("sh");
                sh.arg("-c")
                    .arg(format!("ulimit -n {files} && exec \"$0\" \"$@\""))
                    .arg(BIN);
                sh
            }
        };
        let mut child = command
            .arg("--data")
            .arg(data)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(args)
            .envs(env.iter().copied())
            .env("RUST_LOG", "error")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server binary starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the server says where it runs");
        let base = line
            .split_whitespace()
            .find(|word| word.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .trim_end_matches('/')
            .to_owned();
        let addr = base
            .trim_start_matches("http://")
            .parse()
            .expect("an address");
        Self {
            child,
            addr,
            base,
            _data: None,
        }
    }

    /// Sends `signal` (INT, TERM) and waits up to `wait` for the process to end; whether it
    /// exited with status 0.
    fn stop_with(&mut self, signal: &str, wait: Duration) -> bool {
        let sent = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("kill runs");
        assert!(sent.success());
        let until = Instant::now() + wait;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.success();
            }
            assert!(
                Instant::now() < until,
                "the server did not stop within {wait:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How long until the server closes `stream` (reading and dropping whatever it sends first),
/// or None if it is still open after `wait`.
async fn closed_within(stream: &mut TcpStream, wait: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buffer = [0u8; 4096];
    tokio::time::timeout(wait, async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return started.elapsed(),
                Ok(_) => {}
            }
        }
    })
    .await
    .ok()
}

/// Reads one answer's head and body from a raw connection, for as long as `wait`.
async fn read_answer(stream: &mut TcpStream, wait: Duration) -> String {
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    let _ = tokio::time::timeout(wait, async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(n) => answer.extend_from_slice(&buffer[..n]),
            }
            let text = String::from_utf8_lossy(&answer);
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let length = head.lines().find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                });
                if length.is_some_and(|length| body.len() >= length) {
                    return;
                }
            }
        }
    })
    .await;
    String::from_utf8_lossy(&answer).into_owned()
}

const HEALTH: &[u8] = b"GET /api/v1/health HTTP/1.1\r\nHost: vecinos\r\n\r\n";

#[tokio::test]
async fn idle_and_half_sent_connections_are_closed_within_the_header_timeout() {
    let server = Binary::start(&["--header-timeout-ms", "1000"]);
    let mut silent = TcpStream::connect(server.addr).await.expect("connects");
    let mut half = TcpStream::connect(server.addr).await.expect("connects");
    half.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: vecinos\r\nAccept: */*\r\n")
        .await
        .expect("writes");
    let mut kept = TcpStream::connect(server.addr).await.expect("connects");
    kept.write_all(HEALTH).await.expect("writes");
    let answer = read_answer(&mut kept, Duration::from_secs(3)).await;
    assert!(
        answer.starts_with("HTTP/1.1 200") && answer.contains("\"ok\""),
        "{answer}"
    );

    let wait = Duration::from_secs(4);
    let (silent, half, kept) = tokio::join!(
        closed_within(&mut silent, wait),
        closed_within(&mut half, wait),
        closed_within(&mut kept, wait),
    );
    for (what, closed) in [
        ("a connection that sends nothing", silent),
        ("a half-sent request head", half),
        ("a kept-alive connection after its answer", kept),
    ] {
        let closed = closed.unwrap_or_else(|| panic!("{what} is still open after {wait:?}"));
        assert!(
            closed >= Duration::from_millis(500),
            "{what} is given its time: closed after {closed:?}"
        );
    }
}

#[tokio::test]
async fn idle_sockets_at_the_connection_cap_delay_a_request_by_at_most_the_header_timeout() {
    let server = Binary::start(&["--header-timeout-ms", "1000", "--max-connections", "8"]);
    let mut idle = Vec::new();
    for _ in 0..8 {
        idle.push(TcpStream::connect(server.addr).await.expect("connects"));
    }
    // The server takes them all before the request below arrives.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    let res = reqwest::Client::new()
        .get(format!("{}/api/v1/health", server.base))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .expect("answered once the idle sockets are closed");
    let waited = started.elapsed();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        waited >= Duration::from_millis(500),
        "the ninth connection waited for a slot: {waited:?}"
    );
    assert!(
        waited < Duration::from_millis(2500),
        "it waited no longer than the header timeout: {waited:?}"
    );
    drop(idle);
}

/// The finding as reported: 300 idle sockets made a server allowed 256 files refuse everyone.
#[tokio::test]
async fn a_server_allowed_256_files_still_answers_after_300_idle_sockets() {
    let server = Binary::start_with_files(
        256,
        &["--header-timeout-ms", "1000", "--max-connections", "192"],
    );
    let mut idle = Vec::new();
    for _ in 0..300 {
        idle.push(TcpStream::connect(server.addr).await.expect("connects"));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let res = reqwest::Client::new()
        .get(format!("{}/api/v1/health", server.base))
        .timeout(Duration::from_secs(6))
        .send()
        .await
        .expect("answered once idle sockets are closed");
    assert_eq!(res.status(), StatusCode::OK);
    drop(idle);
}

#[tokio::test]
async fn a_slow_request_gets_a_json_timeout_while_live_streams_stay_open() {
    let server = Binary::start(&["--request-timeout-ms", "500", "--header-timeout-ms", "500"]);

    let mut stream = reqwest::get(format!("{}/api/v1/changes/stream", server.base))
        .await
        .expect("a stream");
    assert_eq!(stream.status(), StatusCode::OK);
    let first = stream.chunk().await.expect("reads").expect("the head");
    assert!(String::from_utf8_lossy(&first).contains("data:"));

    // A report whose body stops half way: the answer may not wait for the rest.
    let mut slow = TcpStream::connect(server.addr).await.expect("connects");
    slow.write_all(
        b"POST /api/v1/reports HTTP/1.1\r\nHost: vecinos\r\nContent-Type: application/json\r\n\
          Content-Length: 200\r\n\r\n{\"id\":",
    )
    .await
    .expect("writes");
    let started = Instant::now();
    let answer = read_answer(&mut slow, Duration::from_secs(3)).await;
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(2));
    let body = answer.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    let error: ErrorBody = serde_json::from_str(body).expect("an ErrorBody");
    assert_eq!(error.code, "timeout");
    let header = |name: &str| {
        answer
            .lines()
            .any(|l| l.to_ascii_lowercase().starts_with(name))
    };
    assert!(
        header("content-security-policy:") && header("cross-origin-resource-policy:"),
        "a timeout carries the security headers: {answer}"
    );

    // Three request (and header) timeouts later, the stream is still open.
    let next = tokio::time::timeout(Duration::from_millis(1500), stream.chunk()).await;
    match next {
        Err(_) => {}
        Ok(Ok(Some(_))) => {}
        Ok(other) => panic!("the live stream ended: {other:?}"),
    }
}

#[tokio::test]
async fn a_request_body_that_stalls_is_abandoned_after_the_body_timeout() {
    let server = Binary::start(&["--body-timeout-ms", "500", "--request-timeout-ms", "20000"]);
    let mut slow = TcpStream::connect(server.addr).await.expect("connects");
    slow.write_all(
        b"POST /api/v1/reports HTTP/1.1\r\nHost: vecinos\r\nContent-Type: application/json\r\n\
          Content-Length: 200\r\n\r\n{\"id\":",
    )
    .await
    .expect("writes");
    let started = Instant::now();
    let answer = read_answer(&mut slow, Duration::from_secs(5)).await;
    let waited = started.elapsed();
    assert!(answer.starts_with("HTTP/1.1 4"), "{answer}");
    assert!(
        waited < Duration::from_secs(3),
        "answered after {waited:?}: {answer}"
    );
    assert!(
        closed_within(&mut slow, Duration::from_secs(2))
            .await
            .is_some(),
        "the connection with the unread body is closed"
    );
}

#[tokio::test]
async fn sigterm_stops_the_server_gracefully_with_a_live_stream_open() {
    let mut server = Binary::start(&[]);
    let mut stream = reqwest::get(format!("{}/api/v1/changes/stream", server.base))
        .await
        .expect("a stream");
    stream.chunk().await.expect("reads").expect("the head");
    let mut idle = TcpStream::connect(server.addr).await.expect("connects");
    let mut kept = TcpStream::connect(server.addr).await.expect("connects");
    kept.write_all(HEALTH).await.expect("writes");
    read_answer(&mut kept, Duration::from_secs(3)).await;
    // Neither the idle connections (10 s to send a head) nor the grace period (10 s) hold it up.
    let started = Instant::now();
    assert!(
        server.stop_with("TERM", Duration::from_secs(3)),
        "the server stopped with status 0, its database closed"
    );
    let ended = tokio::time::timeout(Duration::from_secs(2), async {
        while let Ok(Some(_)) = stream.chunk().await {}
    })
    .await;
    assert!(ended.is_ok(), "the live stream ended");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(
        closed_within(&mut idle, Duration::from_secs(2))
            .await
            .is_some()
    );
}

#[tokio::test]
async fn https_sends_hsts_and_secure_cookies_and_the_old_flag_still_works() {
    let data = tempfile::tempdir().expect("data");
    let mut add = Command::new(BIN)
        .arg("--data")
        .arg(data.path())
        .args(["user", "add", "ana"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    add.stdin
        .take()
        .expect("stdin")
        .write_all(b"a long organiser password\n")
        .expect("writes");
    assert!(add.wait().expect("ends").success());

    let hsts = |res: &reqwest::Response| {
        res.headers()
            .get("strict-transport-security")
            .map(|v| v.to_str().unwrap_or_default().to_owned())
    };
    let plain = Binary::start_in(data.path(), None, &[], &[]);
    let res = reqwest::get(format!("{}/api/v1/health", plain.base))
        .await
        .expect("request");
    assert_eq!(hsts(&res), None, "no HSTS over plain HTTP");
    drop(plain);

    for (args, env) in [
        (&["--https"][..], &[][..]),
        (&[], &[("VECINOS_HTTPS", "true")]),
        (&["--secure-cookies"], &[]),
        (&[], &[("VECINOS_SECURE_COOKIES", "true")]),
    ] {
        let server = Binary::start_in(data.path(), None, args, env);
        let what = format!("{args:?} {env:?}");
        let res = reqwest::get(format!("{}/", server.base))
            .await
            .expect("request");
        assert_eq!(
            hsts(&res).as_deref(),
            Some("max-age=63072000; includeSubDomains"),
            "{what}"
        );
        let res = reqwest::Client::new()
            .post(format!("{}/api/v1/session", server.base))
            .json(&serde_json::json!({"name": "ana", "password": "a long organiser password"}))
            .send()
            .await
            .expect("signs in");
        assert!(res.status().is_success(), "{what}: {}", res.status());
        let cookie = res
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(
            cookie.contains("; Secure") && cookie.contains("HttpOnly"),
            "{what}: {cookie}"
        );
    }
}
