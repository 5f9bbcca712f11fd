//! Push fan-out driver for `cargo xtask bench server`: subscribes COUNT phones (cell 9zvxv) with
//! endpoints at a running push stand-in (examples/push_standin), signs in as the organiser
//! `bench` (password `bench password 1234`), sends and verifies one report in that cell, and
//! times until the stand-in has accepted COUNT pushes. Prints one line of JSON.
//!
//! Usage: push_load URL STANDIN_URL COUNT. The server must run with --pow-difficulty 0,
//! --allow-loopback-push and a --push-rate of at least COUNT.

use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use futures::StreamExt;
use serde_json::json;
use uuid::Uuid;
use web_push_native::p256::SecretKey;
use web_push_native::p256::elliptic_curve::rand_core::OsRng;
use web_push_native::p256::elliptic_curve::sec1::ToEncodedPoint;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, standin, count] = &args[..] else {
        return Err("usage: push_load URL STANDIN_URL COUNT".into());
    };
    let count: usize = count.parse()?;
    let client = reqwest::Client::new();

    let subscribed = futures::stream::iter(0..count)
        .map(|i| {
            let (client, url) = (client.clone(), url.clone());
            let key = SecretKey::random(&mut OsRng).public_key();
            let body = json!({
                "endpoint": format!("{standin}/push/s{i}"),
                "keys": {
                    "p256dh": URL_SAFE_NO_PAD.encode(key.to_encoded_point(false).as_bytes()),
                    "auth": URL_SAFE_NO_PAD.encode(Uuid::new_v4().as_bytes()),
                },
                "cells": ["9zvxv"],
                "audience": "alerts",
            });
            async move {
                let res = client
                    .post(format!("{url}/api/v1/push/subscriptions"))
                    .json(&body)
                    .send()
                    .await;
                res.is_ok_and(|r| r.status() == reqwest::StatusCode::CREATED)
            }
        })
        .buffer_unordered(32)
        .filter(|ok| std::future::ready(*ok))
        .count()
        .await;

    let session = client
        .post(format!("{url}/api/v1/session"))
        .json(&json!({ "name": "bench", "password": "bench password 1234" }))
        .send()
        .await?
        .error_for_status()?;
    let cookie = session
        .headers()
        .get(reqwest::header::SET_COOKIE)
        .and_then(|c| c.to_str().ok())
        .and_then(|c| c.split(';').next())
        .ok_or("no session cookie")?
        .to_owned();
    let id = Uuid::new_v4();
    let salt = vecinos_server::config::pow_salt(Utc::now());
    client
        .post(format!("{url}/api/v1/reports"))
        .json(&json!({
            "id": id,
            "kind": "checkpoint",
            "description": "Checkpoint on the bridge",
            "observed_at": Utc::now().to_rfc3339(),
            "area": "9zvxvf2",
            "cross_streets": null,
            "language": "en",
            "stamp": { "salt": salt, "difficulty": 0, "nonces": vec![0u64; vecinos_core::pow::PARTS] },
        }))
        .send()
        .await?
        .error_for_status()?;
    let started = Instant::now();
    client
        .post(format!("{url}/api/v1/reports/{id}/verify"))
        .header(reqwest::header::COOKIE, cookie)
        .json(&json!({ "summary": "Checkpoint on the bridge" }))
        .send()
        .await?
        .error_for_status()?;
    let mut received = 0;
    while received < subscribed && started.elapsed() < Duration::from_secs(300) {
        tokio::time::sleep(Duration::from_millis(20)).await;
        received = client
            .get(format!("{standin}/count"))
            .send()
            .await?
            .text()
            .await?
            .parse()?;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{}",
        json!({
            "subscribed": subscribed,
            "pushes": received,
            "seconds": seconds,
            "per_second": received as f64 / seconds,
        })
    );
    Ok(())
}
