//! The server's accept loop, used instead of `axum::serve` so that no connection is held open for
//! nothing (issue 14, finding 6). ARCHITECTURE.md's "Connections" says how it fits with a proxy.
//!
//! - A request's head must arrive within `header_timeout` of the connection opening or of the
//!   previous answer: a silent socket, a half-sent head and a kept-alive connection left idle are
//!   all closed by then (hyper's header-read timeout, which runs whenever it waits for a head).
//! - At most `max_connections` are open at once, each a file descriptor. Past it the loop stops
//!   accepting: new connections wait in the kernel's listen queue, which holds no descriptor of
//!   ours, and are taken as soon as one closes; an idle one closes within `header_timeout`. Waiting
//!   rather than refusing means a burst delays people instead of failing them, and the descriptors
//!   left over stay with the database, so the server never runs out of them.
//! - The request and body timeouts belong to the app (`crate::app`), so that they are answered in
//!   the API's error shape and with the security headers.
//! - Stopping: no new connections; each open one finishes the request in flight and closes, an
//!   idle one at once. Live streams are ended by their owner (`Live::stop`) in the `shutdown`
//!   future. Connections still open after `shutdown_grace` are dropped.
//!
//! Nothing about a connection is logged: no address, not even its errors.

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tower::ServiceExt;

/// Descriptors kept aside for everything but connections: the database (SQLite's pool holds up to
/// 8 connections of 2 to 3 files each; PostgreSQL's up to 16 sockets), the runtime, the listener
/// and the standard streams.
pub const RESERVED_FILES: u64 = 64;

#[derive(Debug, Clone)]
pub struct Limits {
    /// Longest wait for a request's head, from the connection's start or the previous answer.
    pub header_timeout: Duration,
    /// Connections open at once (at least 1).
    pub max_connections: usize,
    /// How long a stop waits for open connections to finish.
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            max_connections: 1024,
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

impl Limits {
    /// The live streams these connections can hold: `wanted`, but never more than three quarters
    /// of the connections. A stream keeps its connection while the app is open; were every
    /// connection a stream, the next request would wait for one to end.
    pub fn live_streams(&self, wanted: usize) -> usize {
        let most = self.max_connections.max(1);
        wanted.min(most - most / 4)
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then stops as described above.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let most =
        u32::try_from(limits.max_connections.clamp(1, Semaphore::MAX_PERMITS)).unwrap_or(u32::MAX);
    let slots = Arc::new(Semaphore::new(most as usize));
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let (stop, stopping) = watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot,
            () = &mut shutdown => break,
        };
        // The semaphore is never closed.
        let Ok(slot) = slot else { break };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        match accepted {
            Ok((stream, _)) => {
                tokio::spawn(connection(
                    http.clone(),
                    stream,
                    app.clone(),
                    slot,
                    stopping.clone(),
                ));
            }
            Err(e) if is_about_one_connection(&e) => {}
            Err(e) => {
                // Out of descriptors (some other part of the process holds too many) and the like:
                // try again in a moment rather than spin.
                tracing::error!("accepting connections: {e}");
                tokio::select! {
                    () = tokio::time::sleep(Duration::from_secs(1)) => {}
                    () = &mut shutdown => break,
                }
            }
        }
    }
    drop(listener);
    stop.send_replace(true);
    if tokio::time::timeout(limits.shutdown_grace, slots.acquire_many(most))
        .await
        .is_err()
    {
        let open = most as usize - slots.available_permits();
        tracing::warn!(
            "{open} connections still open after {} s; closing them",
            limits.shutdown_grace.as_secs()
        );
    }
}

/// One connection, HTTP/1.1 (a TLS proxy in front speaks it to us). Holds its slot until closed.
async fn connection(
    http: http1::Builder,
    stream: TcpStream,
    app: Router,
    _slot: OwnedSemaphorePermit,
    mut stopping: watch::Receiver<bool>,
) {
    // Server-Sent Events are small writes that should leave at once.
    let _ = stream.set_nodelay(true);
    let service =
        hyper::service::service_fn(move |req: hyper::Request<Incoming>| app.clone().oneshot(req));
    let mut conn = std::pin::pin!(http.serve_connection(TokioIo::new(stream), service));
    tokio::select! {
        // A closed, timed-out or broken connection: nothing to report.
        _ = conn.as_mut() => return,
        _ = stopping.wait_for(|stop| *stop) => {}
    }
    conn.as_mut().graceful_shutdown();
    let _ = conn.await;
}

/// Errors of one incoming connection (it went away before it was accepted), not of the listener.
fn is_about_one_connection(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
    )
}

/// The process's soft limit on open files (`ulimit -n`), where the system says (Linux).
pub fn open_files_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    parse_open_files(&limits)
}

/// The soft limit from the "Max open files" line of `/proc/self/limits`; None when unlimited.
fn parse_open_files(limits: &str) -> Option<u64> {
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line["Max open files".len()..]
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_soft_open_files_limit_is_read_from_proc() {
        let limits = "Limit                     Soft Limit           Hard Limit           Units     \n\
                      Max processes             63408                63408                processes \n\
                      Max open files            1024                 524288               files     \n";
        assert_eq!(parse_open_files(limits), Some(1024));
        let unlimited =
            "Max open files            unlimited            unlimited            files\n";
        assert_eq!(parse_open_files(unlimited), None);
    }

    #[test]
    fn live_streams_leave_a_quarter_of_the_connections() {
        let limits = Limits {
            max_connections: 1024,
            ..Limits::default()
        };
        assert_eq!(limits.live_streams(10_000), 768);
        assert_eq!(limits.live_streams(100), 100);
        assert_eq!(limits.live_streams(0), 0);
        let one = Limits {
            max_connections: 1,
            ..Limits::default()
        };
        assert_eq!(one.live_streams(5), 1);
    }
}
