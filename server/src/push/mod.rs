//! Web Push to closed phones (RFC 8030, RFC 8291 aes128gcm, RFC 8292 VAPID), with
//! `web-push-native` for all of the cryptography.
//!
//! Publishing a verified alert, or storing new reports, queues one job in the same transaction
//! (`push_jobs`); the worker started here expands it into one push per covering subscription,
//! never inside the organiser's request. Payloads are generic (`vecinos_core::push::Payload`).
//! Nothing about a subscription or its endpoint is ever logged.

mod send;
mod vapid;
mod worker;

pub use send::{Message, Outcome, Sender};
pub use vapid::Vapid;

use crate::AppState;

/// Starts the fan-out worker when the server has a VAPID key; it runs until aborted.
pub fn spawn(state: &AppState) -> Option<tokio::task::JoinHandle<()>> {
    let vapid = state.config.vapid.clone()?;
    let worker = worker::Worker {
        store: state.store.clone(),
        sender: std::sync::Arc::new(Sender::new(vapid)),
        wake: state.push_wake.clone(),
        lease: chrono::Duration::from_std(state.config.push_lease)
            .unwrap_or(chrono::Duration::seconds(30)),
    };
    Some(tokio::spawn(worker.run()))
}
