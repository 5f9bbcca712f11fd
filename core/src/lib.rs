//! vecinos-core: the domain model and the sync protocol, shared by the server and the PWA client.
//!
//! Plain Rust and serde only. It must never depend on web-sys, tokio or sqlx, so that it builds for
//! wasm32 and native alike and its logic is tested natively.

pub mod model;
pub mod sync;

pub use model::{
    Event, EventKind, EventStatus, OpeningHours, Phone, Place, Resource, ResourceCategory,
};
pub use sync::{Change, ChangePage, Cursor, ErrorBody, Record, RecordKind};
