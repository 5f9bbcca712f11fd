//! Live updates for open apps: `GET /api/v1/changes/stream`, Server-Sent Events that say the
//! feed's newest sequence number whenever it moves. The app then pulls the change feed as it
//! always does; the stream carries no record, so it needs no access rule of its own and a
//! caught-up poll stays as cheap as it was.
//!
//! Why Server-Sent Events rather than a long poll: one response per open app that the server
//! writes a line to when the feed moves, instead of a new request every 25 s; the browser's
//! `EventSource` parses it, and the app adds its own back-off on top. An idle stream is a parked
//! task and a `watch` receiver.
//!
//! Organisers' triage screens follow a second stream (`GET /api/v1/reports/stream`, behind the
//! session) that only counts batches of new reports, so their queue updates while open.
//!
//! One watcher task per server learns that the feed moved: at once after a write through this
//! server (`FeedHead::moved`), and by reading the head once a second while any app listens, for
//! writes through another server or by retention. Streams end when the server stops, so a
//! graceful shutdown is not held open by them.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};

use crate::store::{FeedHead, SharedStore};

/// How often the head is read while apps listen, for changes made elsewhere.
const POLL: Duration = Duration::from_secs(1);
/// A comment line this often keeps proxies from closing an idle stream.
const KEEP_ALIVE: Duration = Duration::from_secs(20);

pub struct Live {
    head: watch::Sender<u64>,
    /// Bumped when new reports were stored: organisers' triage streams follow it.
    received: watch::Sender<u64>,
    stopping: watch::Sender<bool>,
    slots: Arc<Semaphore>,
}

impl Live {
    /// Starts the watcher task (needs a tokio runtime). At most `max_streams` streams are open at
    /// once (any larger number means "no limit"); the next app is refused and keeps polling on
    /// its timer.
    pub fn start(store: SharedStore, feed_head: Arc<FeedHead>, max_streams: usize) -> Arc<Live> {
        let live = Arc::new(Live {
            head: watch::Sender::new(0),
            received: watch::Sender::new(0),
            stopping: watch::Sender::new(false),
            slots: Arc::new(Semaphore::new(max_streams.min(Semaphore::MAX_PERMITS))),
        });
        tokio::spawn(watch_head(live.clone(), store, feed_head));
        live
    }

    /// A stream of the feed's head for one app, or `None` when all slots are taken.
    pub fn stream(&self) -> Option<Sse<impl Stream<Item = Result<Event, Infallible>> + use<>>> {
        self.follow(&self.head)
    }

    /// A stream for an organiser's triage screen: a number that grows whenever new reports
    /// were stored (never anything about them), or `None` when all slots are taken.
    pub fn received_stream(
        &self,
    ) -> Option<Sse<impl Stream<Item = Result<Event, Infallible>> + use<>>> {
        self.follow(&self.received)
    }

    /// New reports were stored.
    pub fn reports_arrived(&self) {
        self.received.send_modify(|n| *n += 1);
    }

    fn follow(
        &self,
        value: &watch::Sender<u64>,
    ) -> Option<Sse<impl Stream<Item = Result<Event, Infallible>> + use<>>> {
        let watching = Watching {
            value: value.subscribe(),
            stopping: self.stopping.subscribe(),
            _slot: self.slots.clone().try_acquire_owned().ok()?,
            first: true,
        };
        let events = futures_util::stream::unfold(watching, |mut w| async move {
            if !w.first {
                tokio::select! {
                    changed = w.value.changed() => changed.ok()?,
                    _ = w.stopping.wait_for(|stop| *stop) => return None,
                }
            }
            w.first = false;
            let value = *w.value.borrow_and_update();
            Some((Ok(Event::default().data(value.to_string())), w))
        });
        Some(Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)))
    }

    /// Ends every stream (the server is stopping).
    pub fn stop(&self) {
        self.stopping.send_replace(true);
    }

    /// Streams open now.
    pub fn listening(&self) -> usize {
        self.head.receiver_count()
    }
}

/// One stream: the value it follows, and its slot, given back when the stream is dropped.
struct Watching {
    value: watch::Receiver<u64>,
    stopping: watch::Receiver<bool>,
    _slot: OwnedSemaphorePermit,
    /// The first event says the value as it is, so a reconnecting app catches up at once.
    first: bool,
}

async fn watch_head(live: Arc<Live>, store: SharedStore, feed_head: Arc<FeedHead>) {
    let mut stopping = live.stopping.subscribe();
    loop {
        let woken = tokio::select! {
            () = feed_head.moved.notified() => true,
            () = tokio::time::sleep(POLL) => false,
            _ = stopping.wait_for(|stop| *stop) => return,
        };
        if !woken && live.listening() == 0 {
            continue;
        }
        // A failed read is tried again at the next tick; the apps' timers cover the gap.
        if let Ok(head) = store.head().await {
            feed_head.saw(head);
            live.head.send_if_modified(|seen| {
                let moved = *seen != head;
                *seen = head;
                moved
            });
        }
    }
}
