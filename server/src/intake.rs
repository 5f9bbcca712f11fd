//! Report intake in batches: submissions that arrive while a commit is under way wait for the
//! next one and are written together in one transaction, so one durable commit (one fsync) serves
//! many reports. Under light load a batch is a single report and nothing waits.

use std::sync::Arc;

use chrono::Utc;
use tokio::sync::{Notify, mpsc, oneshot};
use vecinos_core::Report;

use crate::live::Live;
use crate::store::{SharedStore, StoreError, Stored};

/// The most reports written in one transaction.
const MAX_BATCH: usize = 256;

#[derive(Debug, Clone, thiserror::Error)]
pub enum IntakeError {
    /// The batch's transaction failed; every report in it gets the same error.
    #[error("{0}")]
    Store(Arc<StoreError>),
    #[error("report intake has stopped")]
    Stopped,
}

type Reply = oneshot::Sender<Result<Stored, IntakeError>>;

#[derive(Clone)]
pub struct Intake {
    queue: mpsc::Sender<(Report, Reply)>,
}

impl Intake {
    /// Starts the writer task on the current tokio runtime.
    /// Wakes `push` after a batch that stored new reports (organisers are told of them), and
    /// tells organisers' open triage screens through `live`.
    pub fn start(store: SharedStore, push: Arc<Notify>, live: Arc<Live>) -> Self {
        let (queue, mut incoming) = mpsc::channel::<(Report, Reply)>(MAX_BATCH * 4);
        tokio::spawn(async move {
            let mut batch = Vec::with_capacity(MAX_BATCH);
            while incoming.recv_many(&mut batch, MAX_BATCH).await > 0 {
                let (reports, replies): (Vec<Report>, Vec<Reply>) = batch.drain(..).unzip();
                match store.add_reports(&reports, Utc::now()).await {
                    Ok(receipts) => {
                        if receipts
                            .iter()
                            .any(|stored| matches!(stored, Stored::New(_)))
                        {
                            push.notify_one();
                            live.reports_arrived();
                        }
                        for (reply, receipt) in replies.into_iter().zip(receipts) {
                            let _ = reply.send(Ok(receipt));
                        }
                    }
                    Err(e) => {
                        let error = IntakeError::Store(Arc::new(e));
                        for reply in replies {
                            let _ = reply.send(Err(error.clone()));
                        }
                    }
                }
            }
        });
        Self { queue }
    }

    /// Stores the report (at most once per id).
    pub async fn submit(&self, report: Report) -> Result<Stored, IntakeError> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send((report, reply))
            .await
            .map_err(|_| IntakeError::Stopped)?;
        answer.await.map_err(|_| IntakeError::Stopped)?
    }
}

/// How many reports wait for an organiser, as last counted: intake stops taking new ones past a
/// cap (429, and the phone keeps the report) instead of burying real reports under a flood or
/// dropping any. Counted again at most once a second, so triage that empties the queue reopens it
/// within a second.
pub struct Backlog {
    store: SharedStore,
    cap: u64,
    counted: tokio::sync::Mutex<Option<(u64, std::time::Instant)>>,
}

impl Backlog {
    pub fn new(store: SharedStore, cap: u64) -> Self {
        Self {
            store,
            cap,
            counted: tokio::sync::Mutex::new(None),
        }
    }

    /// True when as many reports wait unreviewed as the cap allows.
    pub async fn full(&self) -> Result<bool, StoreError> {
        let mut counted = self.counted.lock().await;
        let count = match *counted {
            Some((count, at)) if at.elapsed() < std::time::Duration::from_secs(1) => count,
            _ => {
                let count = self.store.unreviewed().await?;
                *counted = Some((count, std::time::Instant::now()));
                count
            }
        };
        Ok(count >= self.cap)
    }
}
