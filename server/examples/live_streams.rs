//! Idle live connections for `cargo xtask bench server`: opens COUNT concurrent
//! `GET /api/v1/changes/stream` requests to a running server, reads each one's first event, prints
//! one line of JSON (`{"open": COUNT}`) and holds them open until standard input closes.
//!
//! Usage: live_streams URL COUNT. Each connection is a file descriptor here and in the server:
//! run both with RLIMIT_NOFILE above COUNT.

use futures::{StreamExt, TryStreamExt};
use serde_json::json;

type Error = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, count] = &args[..] else {
        return Err("usage: live_streams URL COUNT".into());
    };
    let count: usize = count.parse()?;
    let client = reqwest::Client::new();
    let streams: Vec<reqwest::Response> = futures::stream::iter(0..count)
        .map(|_| {
            let request = client.get(format!("{url}/api/v1/changes/stream"));
            async move {
                let mut stream = request.send().await?.error_for_status()?;
                // The first event says the feed's head; after it the stream is idle.
                stream
                    .chunk()
                    .await?
                    .ok_or("a stream ended before its first event")?;
                Ok::<_, Error>(stream)
            }
        })
        .buffer_unordered(64)
        .try_collect()
        .await?;
    println!("{}", json!({ "open": streams.len() }));
    tokio::task::spawn_blocking(|| std::io::stdin().read_line(&mut String::new())).await??;
    drop(streams);
    Ok(())
}
