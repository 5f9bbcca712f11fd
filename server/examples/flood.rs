//! Junk flood for `cargo xtask bench server`: while posts arrive at ten times the server's report
//! rate, do real reports still get in? Printed as one line of JSON for xtask to tabulate.
//!
//! Usage: flood URL RATE SECONDS. The server runs with `--report-rate RATE`. Two floods, one after
//! the other, each SECONDS long at 10 × RATE posts a second:
//! - `garbage`: stamps that do no work (one hash each for the server to refuse);
//! - `base work`: valid stamps at the base difficulty, computed beforehand (an attacker with
//!   hardware to spare).
//!
//! Meanwhile a real phone sends one report a second and behaves as the app does (src/outbox.rs):
//! it stamps at the difficulty the config asks for; told 429, it reads the config again, stamps
//! again if the difficulty went up and sends at once, otherwise waits for Retry-After (at most
//! 5 s). A real report counts as accepted when the server answers 201 before the flood ends.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use serde_json::{Value, json};
use uuid::Uuid;
use vecinos_core::pow;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, rate, seconds] = &args[..] else {
        return Err("usage: flood URL RATE SECONDS".into());
    };
    let (rate, seconds): (u64, u64) = (rate.parse()?, seconds.parse()?);
    let client = reqwest::Client::new();
    let config: Value = client
        .get(format!("{url}/api/v1/config"))
        .send()
        .await?
        .json()
        .await?;
    let salt = config["pow"]["salt"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let base = u8::try_from(config["pow"]["difficulty"].as_u64().unwrap_or(0))?;
    let junk = (rate * 10 * seconds) as usize;

    let garbage: Vec<Value> = (0..junk)
        .map(|_| {
            let id = Uuid::new_v4();
            // Nonces that do no work for this id.
            let nonce = (0..)
                .find(|&n| {
                    let stamp = stamp(&salt, base, n);
                    pow::verify(id, &stamp, base, pow::V1::Refused).is_err()
                })
                .unwrap_or(0);
            report(id, &stamp(&salt, base, nonce), "junk")
        })
        .collect();
    let worked: Vec<Value> = (0..junk)
        .map(|_| {
            let id = Uuid::new_v4();
            let stamp = pow::solve(id, &salt, base).unwrap_or(stamp(&salt, base, 0));
            report(id, &stamp, "junk")
        })
        .collect();

    let mut results = serde_json::Map::new();
    for (i, (name, posts)) in [("garbage", garbage), ("base work", worked)]
        .into_iter()
        .enumerate()
    {
        if i > 0 {
            // A difficulty raised by the flood before falls back first.
            tokio::time::sleep(vecinos_server::admission::HOLD + Duration::from_secs(1)).await;
        }
        let figures = flood(&client, url, rate, seconds, posts).await;
        results.insert(name.into(), figures);
    }
    println!("{}", Value::Object(results));
    Ok(())
}

/// A v2 stamp whose every part has the same nonce.
fn stamp(salt: &str, difficulty: u8, nonce: u64) -> pow::Stamp {
    pow::Stamp::v2(salt, difficulty, vec![nonce; pow::PARTS])
}

fn report(id: Uuid, stamp: &pow::Stamp, words: &str) -> Value {
    json!({
        "id": id,
        "kind": "checkpoint",
        "description": words,
        "observed_at": Utc::now().to_rfc3339(),
        "area": "9zvxvf2",
        "cross_streets": null,
        "language": "en",
        "stamp": stamp,
    })
}

async fn flood(
    client: &reqwest::Client,
    url: &str,
    rate: u64,
    seconds: u64,
    posts: Vec<Value>,
) -> Value {
    let until = Instant::now() + Duration::from_secs(seconds);
    let junk_accepted = Arc::new(AtomicUsize::new(0));
    let mut senders = Vec::new();
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / (rate * 10) as f64));
    let flooding = {
        let (client, url, junk_accepted) = (client.clone(), url.to_owned(), junk_accepted.clone());
        tokio::spawn(async move {
            for body in posts {
                tick.tick().await;
                if Instant::now() >= until {
                    break;
                }
                let (client, url, accepted) = (client.clone(), url.clone(), junk_accepted.clone());
                tokio::spawn(async move {
                    let res = client
                        .post(format!("{url}/api/v1/reports"))
                        .json(&body)
                        .send()
                        .await;
                    if res.is_ok_and(|r| r.status() == reqwest::StatusCode::CREATED) {
                        accepted.fetch_add(1, Ordering::Relaxed);
                    }
                });
            }
        })
    };
    // The real phone: one report a second, each on its own until accepted or the flood ends.
    let mut every = tokio::time::interval(Duration::from_secs(1));
    while Instant::now() + Duration::from_secs(2) < until {
        every.tick().await;
        let (client, url) = (client.clone(), url.to_owned());
        senders.push(tokio::spawn(async move {
            send_real(&client, &url, until).await
        }));
    }
    let mut accepted = Vec::new();
    let mut sent = 0;
    for sender in senders {
        sent += 1;
        if let Ok(Some(outcome)) = sender.await {
            accepted.push(outcome);
        }
    }
    let _ = flooding.await;
    let mut waits: Vec<f64> = accepted.iter().map(|(secs, _)| *secs).collect();
    waits.sort_by(f64::total_cmp);
    json!({
        "junk_per_second": rate * 10,
        "junk_accepted": junk_accepted.load(Ordering::Relaxed),
        "real_sent": sent,
        "real_accepted": accepted.len(),
        "max_attempts": accepted.iter().map(|(_, attempts)| *attempts).max().unwrap_or(0),
        "max_seconds": waits.last().copied().unwrap_or(0.0),
        "seconds": seconds,
    })
}

/// Sends one real report as the app would; the seconds it took and the attempts, once accepted.
async fn send_real(client: &reqwest::Client, url: &str, until: Instant) -> Option<(f64, u32)> {
    let start = Instant::now();
    let id = Uuid::new_v4();
    let mut stamped: Option<pow::Stamp> = None;
    let mut attempts = 0;
    while Instant::now() < until {
        let (salt, difficulty) = asked(client, url).await?;
        if stamped.as_ref().is_none_or(|s| s.difficulty < difficulty) {
            stamped = pow::solve(id, &salt, difficulty);
        }
        attempts += 1;
        let body = report(id, stamped.as_ref()?, "Two vans outside the school");
        let res = client
            .post(format!("{url}/api/v1/reports"))
            .json(&body)
            .send()
            .await
            .ok()?;
        match res.status() {
            reqwest::StatusCode::CREATED | reqwest::StatusCode::OK => {
                return Some((start.elapsed().as_secs_f64(), attempts));
            }
            reqwest::StatusCode::TOO_MANY_REQUESTS => {
                let wait = res
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok()?.parse().ok())
                    .unwrap_or(1u64)
                    .min(5);
                // A raised difficulty is tried at once; otherwise the phone waits.
                let (_, now_asked) = asked(client, url).await?;
                if stamped.as_ref().is_none_or(|s| s.difficulty >= now_asked) {
                    tokio::time::sleep(Duration::from_secs(wait)).await;
                }
            }
            _ => return None,
        }
    }
    None
}

/// The salt and difficulty the config asks for now.
async fn asked(client: &reqwest::Client, url: &str) -> Option<(String, u8)> {
    let config: Value = client
        .get(format!("{url}/api/v1/config"))
        .send()
        .await
        .ok()?
        .json()
        .await
        .ok()?;
    let difficulty = u8::try_from(config["pow"]["difficulty"].as_u64()?).ok()?;
    Some((config["pow"]["salt"].as_str()?.to_owned(), difficulty))
}
