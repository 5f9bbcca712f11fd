//! Load generator for `cargo xtask bench server`: report submissions, change-feed polls of a
//! caught-up phone (the common pull: "anything new since my cursor?") and full 100-record pages
//! (a first sync), against a running server, printed as one line of JSON for xtask to tabulate.
//!
//! Usage: load URL REPORTS PULLS CONCURRENCY (PULLS polls, and PULLS / 10 full pages). The server must run with --pow-difficulty 0: the
//! benchmark measures the server, and proof of work is the phone's cost, not the server's.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use serde_json::json;
use tokio::sync::Mutex;
use uuid::Uuid;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, reports, pulls, concurrency] = &args[..] else {
        return Err("usage: load URL REPORTS PULLS CONCURRENCY".into());
    };
    let (reports, pulls, concurrency): (usize, usize, usize) =
        (reports.parse()?, pulls.parse()?, concurrency.parse()?);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()?;
    let salt = vecinos_server::config::pow_salt(Utc::now());

    let submit = {
        let (client, url) = (client.clone(), url.clone());
        move |_: usize| {
            let (client, url, salt) = (client.clone(), url.clone(), salt.clone());
            async move {
                let body = json!({
                    "id": Uuid::new_v4(),
                    "kind": "help_needed",
                    "description": "Family needs groceries delivered this week",
                    "observed_at": Utc::now().to_rfc3339(),
                    "area": "9zvxvf2",
                    "cross_streets": null,
                    "language": "es",
                    "stamp": { "salt": salt, "difficulty": 0, "nonces": vec![0u64; vecinos_core::pow::PARTS] },
                });
                let res = client
                    .post(format!("{url}/api/v1/reports"))
                    .json(&body)
                    .send()
                    .await?;
                Ok::<bool, reqwest::Error>(res.status() == reqwest::StatusCode::CREATED)
            }
        }
    };
    let (report_secs, report_latencies, report_ok) = run(reports, concurrency, submit).await;

    let latest: serde_json::Value = client
        .get(format!("{url}/api/v1/changes?since=0&limit=500"))
        .send()
        .await?
        .json()
        .await?;
    let cursor = latest["cursor"].as_u64().unwrap_or(0);
    let get = |query: String| {
        let (client, url) = (client.clone(), url.clone());
        move |_: usize| {
            let (client, url, query) = (client.clone(), url.clone(), query.clone());
            async move {
                let res = client
                    .get(format!("{url}/api/v1/changes?{query}"))
                    .send()
                    .await?;
                let ok = res.status().is_success();
                res.bytes().await?;
                Ok::<bool, reqwest::Error>(ok)
            }
        }
    };
    let polls = get(format!("since={cursor}"));
    let (pull_secs, pull_latencies, pull_ok) = run(pulls, concurrency, polls).await;
    let pages = pulls / 10;
    let full = get("since=0&limit=100".into());
    let (page_secs, page_latencies, page_ok) = run(pages, concurrency, full).await;

    println!(
        "{}",
        json!({
            "reports": { "count": reports, "ok": report_ok, "per_second": reports as f64 / report_secs,
                         "p50_ms": percentile(&report_latencies, 0.50), "p99_ms": percentile(&report_latencies, 0.99) },
            "pulls": { "count": pulls, "ok": pull_ok, "per_second": pulls as f64 / pull_secs,
                       "p50_ms": percentile(&pull_latencies, 0.50), "p99_ms": percentile(&pull_latencies, 0.99) },
            "pages": { "count": pages, "ok": page_ok, "per_second": pages as f64 / page_secs,
                       "p50_ms": percentile(&page_latencies, 0.50), "p99_ms": percentile(&page_latencies, 0.99) },
        })
    );
    Ok(())
}

/// Runs `total` requests through `concurrency` workers; returns seconds taken, every latency, and
/// how many succeeded.
async fn run<F, Fut>(total: usize, concurrency: usize, request: F) -> (f64, Vec<Duration>, usize)
where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = Result<bool, reqwest::Error>> + Send,
{
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let results = Arc::new(Mutex::new((Vec::with_capacity(total), 0usize)));
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (next, results, request) = (next.clone(), results.clone(), request.clone());
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= total {
                        return;
                    }
                    let sent = Instant::now();
                    let ok = request(i).await.unwrap_or(false);
                    let mut results = results.lock().await;
                    results.0.push(sent.elapsed());
                    results.1 += usize::from(ok);
                }
            })
        })
        .collect();
    for worker in workers {
        let _ = worker.await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let (latencies, ok) = std::mem::take(&mut *results.lock().await);
    (elapsed, latencies, ok)
}

fn percentile(latencies: &[Duration], q: f64) -> f64 {
    let mut sorted = latencies.to_vec();
    sorted.sort();
    let index = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted.get(index).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}
