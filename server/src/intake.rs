//! Report intake in batches: submissions that arrive while a commit is under way wait for the
//! next one and are written together in one transaction, so one durable commit (one fsync) serves
//! many reports. Under light load a batch is a single report and nothing waits.

use std::sync::Arc;

use chrono::Utc;
use tokio::sync::{Notify, mpsc, oneshot};
use vecinos_core::{Receipt, Report};

use crate::live::Live;
use crate::store::{SharedStore, StoreError};

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

type Reply = oneshot::Sender<Result<(Receipt, bool), IntakeError>>;

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
                        if receipts.iter().any(|(_, new)| *new) {
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

    /// Stores the report (at most once per id) and returns its receipt and whether it was new.
    pub async fn submit(&self, report: Report) -> Result<(Receipt, bool), IntakeError> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send((report, reply))
            .await
            .map_err(|_| IntakeError::Stopped)?;
        answer.await.map_err(|_| IntakeError::Stopped)?
    }
}
