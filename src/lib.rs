//! The Vecinos PWA client (Leptos, client-side rendered, compiled to WASM).
//!
//! Everything on screen is read from the local IndexedDB cache; the network only ever refreshes
//! that cache. Components stay thin: the domain logic lives in `vecinos-core`.

pub mod cache;
pub mod sync;

mod app;
mod pages;

pub use app::{App, Section};
