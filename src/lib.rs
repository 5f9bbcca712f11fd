//! The Vecinos PWA client (Leptos, client-side rendered, compiled to WASM).
//!
//! Everything on screen is read from the local IndexedDB cache; the network only ever refreshes
//! that cache. Components stay thin: the domain logic lives in `vecinos-core`.

/// A split point (`split!(chunk, fn name(args) -> Result<T, E> { … })`): in the app, built with
/// the `split` feature (index.html asks Trunk for it), the function is in the WASM chunk `chunk`
/// (cut by xtask/src/split.rs) and calling it fetches that first, with `E:
/// From<SplitLoaderError>` for a failed fetch. Without the feature (the tests, which no splitter
/// runs on) it is a plain async function.
macro_rules! split {
    ($chunk:ident, fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty $body:block) => {
        #[cfg(feature = "split")]
        #[::leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn $name($($arg: $ty),*) -> $ret $body

        #[cfg(not(feature = "split"))]
        async fn $name($($arg: $ty),*) -> $ret $body
    };
}

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
mod pending;
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
