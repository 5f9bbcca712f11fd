//! vecinos-core: the domain model and the sync protocol, shared by the server and the PWA client.
//!
//! Plain Rust and serde only. It must never depend on web-sys, tokio or sqlx, so that it builds for
//! wasm32 and native alike and its logic is tested natively.

pub mod chunk;
pub mod cluster;
pub mod geo;
pub mod model;
pub mod order;
pub mod places;
pub mod pow;
pub mod push;
pub mod search;
pub mod sync;
pub mod text;
pub mod time;
pub mod triage;
pub mod validate;

pub use model::{
    Alert, Card, Event, EventKind, EventStatus, OpeningHours, Phone, Place, Record, RecordKind,
    Report, ReportKind, ReportStatus, Resource, ResourceCategory, Translations, Withdrawal,
    WithdrawalReason, text_in,
};
pub use sync::{
    Change, ChangePage, ClientConfig, Cursor, ErrorBody, PowParams, RESYNC, Receipt, Region, Tiles,
};
pub use triage::{ReportPage, StoredReport};
