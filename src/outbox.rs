//! Reports waiting on the phone, and their delivery, exactly once.
//!
//! A report is written to the outbox (its own IndexedDB transaction) before anything else is
//! tried. When the phone is online the engine delivers what waits there: the proof of work is
//! computed then, with the server's current salt, in slices that give the page back between
//! them, and the report goes to `POST /api/v1/reports`. Its id, made on the phone, is the
//! server's idempotency key: a report sent twice (an answer lost on the way back) is stored once.
//! After the receipt the report's content is deleted from the phone; a count remains, and for 7
//! days its id, with which only this phone can ask what became of it (`check_sent`).
//!
//! A refusal that can never succeed (a 4xx other than 408 and 429: the report is invalid) is
//! kept with the server's message, shown to the person and not retried. 408, 429, 5xx and
//! network failures leave the report waiting for the engine's next run.
//!
//! When the server's proof-of-work parameters are known (kept in local storage after each
//! pull), a report is stamped as soon as it is saved. The service worker can then send it by
//! Background Sync even if the app is closed (`public/sw.js`, same rules). A stamp whose salt
//! has expired by then is refused with `field: "stamp..."`; the app stamps it again.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use vecinos_core::pow::{self, Stamp};
use vecinos_core::{PowParams, Report, ReportKind};
use wasm_bindgen_futures::JsFuture;

use crate::api::{self, Config, Refusal, SyncError};
use crate::cache::{Cache, CacheError, DB_NAME, Sent};

/// A report as it waits in the outbox: `vecinos_core::Report`, its stamp once computed, and the
/// server's reason if it refused the report for good. The service worker reads the same JSON
/// (`public/sw.js`) to send it by Background Sync.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outgoing {
    pub id: Uuid,
    pub kind: ReportKind,
    pub description: String,
    #[serde(deserialize_with = "vecinos_core::time::utc")]
    pub observed_at: DateTime<Utc>,
    pub area: Option<String>,
    pub cross_streets: Option<String>,
    pub language: String,
    /// The proof of work, once computed.
    #[serde(default)]
    pub stamp: Option<Stamp>,
    /// The server's reason, once it refused the report for good.
    #[serde(default)]
    pub refused: Option<String>,
}

impl Outgoing {
    /// The report as the server takes it, once stamped.
    pub fn report(&self) -> Option<Report> {
        Some(Report {
            id: self.id,
            kind: self.kind,
            description: self.description.clone(),
            observed_at: self.observed_at,
            area: self.area.clone(),
            cross_streets: self.cross_streets.clone(),
            language: self.language.clone(),
            stamp: self.stamp.clone()?,
        })
    }
}

/// What the outbox holds, for the screens.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outbox {
    pub waiting: Vec<Outgoing>,
    pub sent: u32,
    /// The reports sent in the last 7 days (their ids only), oldest first.
    pub mine: Vec<Sent>,
}

pub async fn read(cache: &Cache) -> Result<Outbox, CacheError> {
    let waiting = cache
        .outbox()
        .await?
        .iter()
        .filter_map(|text| serde_json::from_str(text).ok())
        .collect();
    Ok(Outbox {
        waiting,
        sent: cache.sent_count().await?,
        mine: cache.sent_reports(js_sys::Date::now()).await?,
    })
}

/// Asks the server what became of each report in `mine` and keeps the answers (through a
/// connection of its own, closed at once, so quick exit is never held up). Returns the list as
/// it is now and whether every question was answered: it stops at the first failure (no
/// connection), keeping what it learnt before. A report the server no longer holds keeps its
/// last known status.
pub async fn check_sent(mine: &[Sent]) -> Result<(Vec<Sent>, bool), CacheError> {
    let mut told = Vec::new();
    let mut answered = true;
    for sent in mine {
        match api::report_fate(sent.id).await {
            Ok(Some(fate)) => told.push((sent.id, fate)),
            Ok(None) => {}
            Err(_) => {
                answered = false;
                break;
            }
        }
    }
    // Quick exit may have deleted everything while the questions were out: opening the database
    // again would make a new, empty one, a trace that the app was used.
    if crate::prefs::has_exited() {
        return Ok((Vec::new(), answered));
    }
    let now = js_sys::Date::now();
    let cache = Cache::open(DB_NAME).await?;
    let kept = cache.set_fates(&told, now).await;
    let mine = cache.sent_reports(now).await;
    cache.close();
    kept?;
    Ok((mine?, answered))
}

/// Saves a new report; nothing is sent here.
pub async fn save(cache: &Cache, report: &Outgoing) -> Result<(), CacheError> {
    let json = serde_json::to_string(report).map_err(|_| CacheError::Unreadable)?;
    cache.outbox_put(&report.id.to_string(), &json).await
}

/// Told how far a stamping has come, as a share of the hashing it takes on average (it can go
/// past 1 when a report is unlucky, though with proof-of-work v2's eight parts rarely by much).
/// Called after every slice once the stamping has run for half a second, so quick ones show
/// nothing, and with `None` when such a stamping ends.
pub type Progress<'a> = &'a dyn Fn(Option<f64>);

/// Stamps a saved report with the remembered parameters, if there are any (and they are ones a
/// stamp can be made for; otherwise delivery asks the server again).
pub async fn stamp(report: &mut Outgoing, progress: Progress<'_>) {
    if let Some(params) = Config::kept().and_then(|c| c.pow) {
        report.stamp = solve(report.id, &params, progress).await.ok();
    }
}

/// Sends every waiting report that has not been refused. Returns how many the server received.
pub async fn deliver(cache: &Cache, progress: Progress<'_>) -> Result<usize, SyncError> {
    let waiting: Vec<Outgoing> = read(cache)
        .await?
        .waiting
        .into_iter()
        .filter(|r| r.refused.is_none())
        .collect();
    let mut fresh: Option<PowParams> = None;
    let mut sent = 0;
    for mut outgoing in waiting {
        let (mut status, mut body) = (0, String::new());
        // At most twice: with the stamp made at saving, then with a new one if that expired, or
        // if the server is under load and asks for more work (429 and a higher difficulty in its
        // config: `server/src/admission.rs`), which gets the report in ahead of a flood.
        for _ in 0..2 {
            if outgoing.stamp.is_none() {
                let params = match &fresh {
                    Some(params) => params.clone(),
                    None => fresh.insert(current_pow().await?).clone(),
                };
                let stamp =
                    solve(outgoing.id, &params, progress)
                        .await
                        .map_err(|e| SyncError::Server {
                            status: 200,
                            message: e.to_string(),
                        })?;
                outgoing.stamp = Some(stamp);
                // Kept, so the next try (or the service worker's) does not stamp again.
                let json = serde_json::to_string(&outgoing).map_err(|_| CacheError::Unreadable)?;
                cache
                    .outbox_replace(&outgoing.id.to_string(), &json)
                    .await?;
            }
            let report = outgoing.report().ok_or(CacheError::Unreadable)?;
            (status, body) = api::post_report(&report).await?;
            let refusal = Refusal::read(&body);
            if status == 400
                && refusal.is_some_and(|r| r.field.is_some_and(|f| f.starts_with("stamp")))
            {
                outgoing.stamp = None;
                continue;
            }
            if status == 429 {
                let asked = fresh.insert(current_pow().await?).difficulty;
                if outgoing
                    .stamp
                    .as_ref()
                    .is_some_and(|s| s.difficulty < asked)
                {
                    outgoing.stamp = None;
                    continue;
                }
            }
            break;
        }
        match status {
            200 | 201 => {
                cache.outbox_sent(&outgoing.id.to_string()).await?;
                sent += 1;
            }
            408 | 429 | 500.. => {
                return Err(SyncError::Server {
                    status,
                    message: body,
                });
            }
            _ => {
                let reason = Refusal::read(&body).map_or(body, |r| r.message);
                let refused = Outgoing {
                    refused: Some(reason),
                    stamp: None,
                    ..outgoing
                };
                save(cache, &refused).await?;
            }
        }
    }
    Ok(sent)
}

/// The server's proof-of-work parameters as of now (also kept for stamping at saving).
async fn current_pow() -> Result<PowParams, SyncError> {
    Config::refresh().await?.pow.ok_or(SyncError::Server {
        status: 200,
        message: "no proof-of-work parameters".into(),
    })
}

/// Hashes computed between two returns to the event loop. A stamp at the default difficulty is
/// about 65,000 hashes, which take roughly 0.1 s here and 0.3 to 0.6 s with the CPU slowed 4×
/// (a mid-range phone), so a slice is about 5 ms here and 20 to 35 ms there: well under the 50 ms
/// after which a tap feels ignored. Each return costs up to 4 ms (nested timers are clamped), so
/// much smaller slices would slow the stamping down; about 16 of them make a stamp.
const SLICE: u64 = 4_000;

/// Finds a stamp for the report (proof-of-work v2, `pow::Solver`), giving the page back after
/// every slice so it never freezes. Marked for `cargo xtask bench client`. Fails only for a
/// difficulty above `pow::MAX_DIFFICULTY`, which the server would refuse anyway.
async fn solve(
    id: Uuid,
    params: &PowParams,
    progress: Progress<'_>,
) -> Result<Stamp, pow::PowError> {
    let mut solver = pow::Solver::new(id, &params.salt, params.difficulty)?;
    crate::mark("vecinos:stamp-start");
    let began = js_sys::Date::now();
    loop {
        if let Some(stamp) = solver.search(SLICE) {
            crate::mark("vecinos:stamp-end");
            progress(None);
            return Ok(stamp);
        }
        if js_sys::Date::now() - began > 500.0 {
            progress(Some(solver.share_done()));
        }
        next_task().await;
    }
}

/// Resolves in a later task of the event loop.
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback(&resolve);
        }
    });
    let _ = JsFuture::from(promise).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_waiting_report_is_sent_as_cores_report() {
        let mut waiting = Outgoing {
            id: Uuid::from_u128(42),
            kind: ReportKind::HelpNeeded,
            description: "Groceries for a family".into(),
            observed_at: "2026-12-03T10:00:00Z".parse().expect("a time"),
            area: Some("9zvxvh8".into()),
            cross_streets: None,
            language: "es".into(),
            stamp: None,
            refused: None,
        };
        assert_eq!(waiting.report(), None, "not sent before it is stamped");
        waiting.stamp = Some(Stamp::v2(
            "vecinos-2026-12-03",
            16,
            (7..7 + pow::PARTS as u64).collect(),
        ));
        let report = waiting.report().expect("stamped");
        // The outbox's JSON is read as core's report too (the service worker sends it as it is).
        let kept = serde_json::to_string(&waiting).expect("serialises");
        assert!(
            kept.contains(r#""nonces":[7,8,9,10,11,12,13,14]"#),
            "{kept}"
        );
        assert_eq!(
            serde_json::from_str::<Report>(&kept).expect("a report"),
            report
        );
        let back: Outgoing = serde_json::from_str(&kept).expect("reads back");
        assert_eq!(back, waiting);
    }

    /// A report saved before proof-of-work v2 waits with a v1 stamp: it is read, sent and kept
    /// as it was (the server decides whether it is still accepted, and if not the phone stamps
    /// again).
    #[test]
    fn a_report_waiting_with_a_v1_stamp_is_sent_as_it_was() {
        let kept = r#"{"id":"00000000-0000-0000-0000-00000000002a","kind":"help_needed",
            "description":"Groceries for a family","observed_at":"2026-12-03T10:00:00Z",
            "area":"9zvxvh8","cross_streets":null,"language":"es",
            "stamp":{"salt":"vecinos-2026-12-03","difficulty":16,"nonce":7},"refused":null}"#;
        let waiting: Outgoing = serde_json::from_str(kept).expect("an old outbox entry reads");
        let stamp = waiting.stamp.clone().expect("stamped");
        assert_eq!(stamp, Stamp::v1("vecinos-2026-12-03", 16, 7));
        let sent = serde_json::to_value(waiting.report().expect("a report")).expect("json");
        assert_eq!(
            sent["stamp"],
            serde_json::json!({"salt": "vecinos-2026-12-03", "difficulty": 16, "nonce": 7})
        );
    }
}
