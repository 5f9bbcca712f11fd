//! The Vecinos PWA client (Leptos, client-side rendered, compiled to WASM).
//!
//! Everything on screen is read from the local IndexedDB cache; the network only ever refreshes
//! that cache. Components stay thin: the domain logic lives in `vecinos-core`.

pub mod api;
pub mod cache;
mod i18n;
mod live;
pub mod outbox;
pub mod sync;

mod app;
mod edit;
mod engine;
mod exit;
mod format;
mod organise;
mod pages;
mod prefs;
mod push;
mod pwa;
mod route;
mod shell;
mod state;

pub use app::App;
pub use shell::start;

/// A performance mark, read by `cargo xtask bench client`.
fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}
