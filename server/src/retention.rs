//! The retention timer: once a minute, expire alerts, delete old reports for real and collect old
//! tombstones (see `Store::sweep`), then scrub the files of what was deleted (`Store::scrub`).

use std::time::Duration;

use crate::store::{Retention, SharedStore};

pub fn spawn(store: SharedStore, retention: Retention) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            match store.sweep(chrono::Utc::now(), retention).await {
                Ok(sweep) if sweep != Default::default() => {
                    tracing::info!(?sweep, "retention sweep");
                    // What the sweep deleted must not stay readable in the database's files.
                    if let Err(e) = store.scrub().await {
                        tracing::error!("scrubbing after the sweep failed: {e}");
                    }
                }
                Ok(_) => {}
                Err(e) => tracing::error!("retention sweep failed: {e}"),
            }
        }
    })
}
