//! Live updates: the server's stream of feed heads (`GET /api/v1/changes/stream`, Server-Sent
//! Events), so an alert published now is pulled now instead of at the next timer.
//!
//! The stream carries only sequence numbers; what they point at comes through the usual pull.
//! When it fails (no connection, a proxy cutting it, the server restarting) it is closed and
//! opened again after a growing pause (`retry_after`), and the engine's timer goes on meanwhile.
//! On every (re)connection the server first says its head as it is, so the app catches up on
//! what it missed while cut off.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::api;

/// The pause before opening the stream again after `failures` failures in a row: 1 s, doubling
/// up to a minute.
pub fn retry_after(failures: u32) -> Duration {
    Duration::from_secs(1u64 << failures.saturating_sub(1).min(6)).min(Duration::from_secs(60))
}

type Handler = Closure<dyn FnMut(web_sys::Event)>;

struct Follower {
    url: &'static str,
    source: RefCell<Option<web_sys::EventSource>>,
    failures: Cell<u32>,
    /// Set on each stream this follower opens.
    on_message: Handler,
    on_error: Handler,
}

/// Follows the server's stream at `url` (`api::HEADS`, or `api::RECEIVED` for an organiser's
/// triage) for as long as the current reactive owner lives, calling `on_head` with each number
/// it says.
pub fn follow(url: &'static str, on_head: impl Fn(u64) + 'static) {
    let follower = Rc::new_cyclic(|this: &Weak<Follower>| {
        let (mine, again) = (this.clone(), this.clone());
        Follower {
            url,
            source: RefCell::new(None),
            failures: Cell::new(0),
            on_message: Closure::new(move |event: web_sys::Event| {
                if let Some(follower) = mine.upgrade() {
                    follower.failures.set(0);
                }
                let head = event
                    .dyn_ref::<web_sys::MessageEvent>()
                    .and_then(|m| m.data().as_string())
                    .and_then(|data| data.trim().parse().ok());
                if let Some(head) = head {
                    on_head(head);
                }
            }),
            on_error: Closure::new(move |_| {
                if let Some(follower) = again.upgrade() {
                    failed(&follower);
                }
            }),
        }
    });
    open(&follower);
    let kept = StoredValue::new_local(Some(follower));
    on_cleanup(move || {
        if let Some(Some(follower)) = kept.try_update_value(Option::take) {
            close(&follower);
        }
    });
}

fn open(follower: &Rc<Follower>) {
    let Ok(source) = api::events(follower.url) else {
        return failed(follower);
    };
    source.set_onmessage(Some(follower.on_message.as_ref().unchecked_ref()));
    source.set_onerror(Some(follower.on_error.as_ref().unchecked_ref()));
    *follower.source.borrow_mut() = Some(source);
}

/// Closes the failed stream (the browser's own retry would ignore the back-off) and opens a new
/// one later.
fn failed(follower: &Rc<Follower>) {
    close(follower);
    let failures = follower.failures.get() + 1;
    follower.failures.set(failures);
    let weak = Rc::downgrade(follower);
    let reopen = Closure::once_into_js(move || {
        if let Some(follower) = weak.upgrade() {
            open(&follower);
        }
    });
    let millis = i32::try_from(retry_after(failures).as_millis()).unwrap_or(i32::MAX);
    let _ = window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(reopen.unchecked_ref(), millis);
}

fn close(follower: &Follower) {
    if let Some(source) = follower.source.borrow_mut().take() {
        source.set_onmessage(None);
        source.set_onerror(None);
        source.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_is_retried_soon_then_at_most_every_minute() {
        let secs: Vec<u64> = (1..=9).map(|n| retry_after(n).as_secs()).collect();
        assert_eq!(secs, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(retry_after(u32::MAX).as_secs(), 60);
        assert_eq!(retry_after(0).as_secs(), 1);
    }
}
