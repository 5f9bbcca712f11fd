//! The sync engine: when the cache is refreshed from the server, and what the person sees of it.
//!
//! Pages always render from IndexedDB first; the engine then pulls the change feed (see
//! `sync::pull`) and re-reads the cache if anything changed. It pulls on start, when the phone
//! comes back online, when the person returns to the app, when the server's live stream says the
//! feed moved (`live`), and on a timer: every 5 minutes while all is well, backing off from 30 s
//! to 30 min after failures. Only one pull runs at a time; a move said during a pull makes
//! another one follow at once.

use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;
use vecinos_core::search::{LocalTime, ResourceFilter, ResourceIndex};
use vecinos_core::{Alert, Card, Cursor, Event, RecordKind, Resource};

use crate::api::{self, Config, SyncError};
use crate::cache::{Cache, CacheError, DB_NAME};
use crate::i18n::{self, Lang, T, t};
use crate::mark;
use crate::outbox::{self, Outbox, Outgoing};
use crate::prefs::{self, Key};
use crate::state::{Listings, ResourceSet};
use crate::{live, sync};

#[derive(Clone, Debug)]
pub enum SyncState {
    Idle,
    Syncing,
    Failed(SyncError),
}

/// What the header shows, plus the way to the open cache (quick exit closes it).
#[derive(Clone, Copy)]
pub struct Handle {
    pub online: RwSignal<bool>,
    pub state: RwSignal<SyncState>,
    /// When the cache last caught up, in milliseconds since the epoch.
    pub synced_at: RwSignal<Option<f64>>,
    /// The reports waiting on the phone, and how many were sent.
    pub outbox: RwSignal<Outbox>,
    /// True while reports are being sent.
    pub delivering: RwSignal<bool>,
    /// How far a slow stamping has come (see `outbox::Progress`), while it runs.
    pub stamping: RwSignal<Option<f64>>,
    /// Bumped each time the engine has tried to send an organiser's listing changes saved on
    /// the phone (`crate::pending`), for the screens that list them.
    pub edits_sent: RwSignal<u32>,
    /// Bumped to make the engine run now (a report was saved).
    wake: RwSignal<u32>,
    /// The interface language, kept in the cache for the service worker's notifications.
    lang: StoredValue<Lang>,
    cache: StoredValue<Slot, LocalStorage>,
}

#[derive(Clone, Default)]
enum Slot {
    #[default]
    Closed,
    Opening,
    Open(Rc<Cache>),
}

#[derive(Clone, Copy)]
struct Engine {
    handle: Handle,
    listings: Listings,
    failures: StoredValue<u32>,
    timer: StoredValue<Option<TimeoutHandle>, LocalStorage>,
    /// The cursor of the cache as the pages last read it. Another tab of the app may move the
    /// cache forward; a pull here then applies nothing, but the pages must still be re-read.
    shown_cursor: StoredValue<Option<u64>>,
    /// The newest head the server's live stream said (`live`).
    live_head: StoredValue<u64>,
}

const CAUGHT_UP_DELAY: Duration = Duration::from_secs(5 * 60);

/// Time to wait before trying again after `failures` failures in a row.
pub fn backoff(failures: u32) -> Duration {
    let seconds = 30u64.saturating_mul(1 << failures.saturating_sub(1).min(6));
    Duration::from_secs(seconds.min(30 * 60))
}

/// Starts the engine for the app's lifetime.
pub fn start(listings: Listings, lang: Lang) -> Handle {
    let handle = Handle {
        online: RwSignal::new(window().navigator().on_line()),
        state: RwSignal::new(SyncState::Idle),
        synced_at: RwSignal::new(None),
        outbox: RwSignal::new(Outbox::default()),
        delivering: RwSignal::new(false),
        stamping: RwSignal::new(None),
        edits_sent: RwSignal::new(0),
        wake: RwSignal::new(0),
        lang: StoredValue::new(lang),
        cache: StoredValue::new_local(Slot::Closed),
    };
    provide_context(handle);
    restore_first_screen(&listings);
    let engine = Engine {
        handle,
        listings,
        failures: StoredValue::new(0),
        timer: StoredValue::new_local(None),
        shown_cursor: StoredValue::new(None),
        live_head: StoredValue::new(0),
    };
    // The server says when the feed moves: pull at once if this phone is behind.
    live::follow(api::HEADS, move |head| {
        engine.live_head.set_value(head);
        if engine
            .shown_cursor
            .get_value()
            .is_none_or(|shown| head > shown)
        {
            spawn_local(run(engine));
        }
    });
    let listeners = [
        window_event_listener(leptos::ev::online, move |_| {
            handle.online.set(true);
            spawn_local(run(engine));
        }),
        window_event_listener(leptos::ev::offline, move |_| handle.online.set(false)),
    ];
    let on_visible = window_event_listener(leptos::ev::visibilitychange, move |_| {
        if !document().hidden() {
            spawn_local(run(engine));
        }
    });
    on_cleanup(move || {
        for listener in listeners {
            listener.remove();
        }
        on_visible.remove();
    });
    // Runs at start, in a task of its own after the first render (one long task at start would
    // keep a slow phone from answering a tap), and again whenever `wake` is bumped.
    set_timeout(move || spawn_local(run(engine)), Duration::ZERO);
    Effect::watch(
        move || handle.wake.track(),
        move |_, _, _| spawn_local(run(engine)),
        false,
    );
    handle
}

impl Handle {
    /// Saves a report in the outbox (nothing is done before it is saved) and calls `saved`.
    /// Then stamps it with the remembered proof-of-work parameters, asks for a Background Sync
    /// and has the engine deliver it if the phone is online. Asks the browser to keep the data.
    pub async fn submit(
        self,
        mut report: Outgoing,
        saved: impl FnOnce(),
    ) -> Result<(), CacheError> {
        let Slot::Open(cache) = self.cache.get_value() else {
            return Err(CacheError::Storage);
        };
        // Claimed before the report is saved, so no run of the engine sends it while it is being
        // stamped (and then saves it back after its receipt). If a delivery is already under
        // way, it read the outbox before this report existed; it sends this one when it is done
        // (see `deliver`), stamping it then.
        let claimed = !self.delivering.get_untracked();
        self.delivering.set(true);
        let result = self
            .save_and_stamp(&cache, &mut report, claimed, saved)
            .await;
        if claimed {
            self.delivering.set(false);
        }
        if let Ok(outbox) = outbox::read(&cache).await {
            self.outbox.set(outbox);
        }
        if result.is_ok() && report.stamp.is_some() {
            crate::pwa::send_in_background();
        }
        self.refresh();
        result
    }

    async fn save_and_stamp(
        self,
        cache: &Cache,
        report: &mut Outgoing,
        stamp: bool,
        saved: impl FnOnce(),
    ) -> Result<(), CacheError> {
        outbox::save(cache, report).await?;
        // The pages see it waiting before they are told it was saved: "Sent" is shown only once
        // it has left the outbox.
        if let Ok(outbox) = outbox::read(cache).await {
            self.outbox.set(outbox);
        }
        saved();
        crate::pwa::keep_data();
        if !stamp {
            return Ok(());
        }
        outbox::stamp(report, &|p| self.stamping.set(p)).await;
        match report.stamp {
            Some(_) => outbox::save(cache, report).await,
            None => Ok(()),
        }
    }

    /// One record's JSON text from the cache, as the feed sent it (what an organiser edits).
    pub async fn record_text(self, kind: RecordKind, id: Uuid) -> Option<String> {
        let Slot::Open(cache) = self.cache.get_value() else {
            return None;
        };
        cache.texts(kind).await.ok()?.record(&id.to_string())
    }

    /// Keeps the chosen language where the service worker reads it.
    pub fn tell_worker_lang(self, lang: Lang) {
        self.lang.set_value(lang);
        if let Slot::Open(cache) = self.cache.get_value() {
            spawn_local(async move {
                let _ = cache.set_lang(lang.code()).await;
            });
        }
    }

    /// Runs the engine now (an organiser's edit was saved: pull it).
    pub fn refresh(self) {
        self.wake.update(|n| *n += 1);
    }

    /// Closes this page's connection to the cache, so the database can be deleted.
    pub fn close_cache(self) {
        let slot = self.cache.try_update_value(std::mem::take);
        if let Some(Slot::Open(cache)) = slot
            && let Ok(cache) = Rc::try_unwrap(cache)
        {
            cache.close();
        }
    }
}

async fn run(engine: Engine) {
    let Engine {
        handle, listings, ..
    } = engine;
    let cache = match handle.cache.get_value() {
        Slot::Open(cache) => cache,
        Slot::Opening => return,
        Slot::Closed => {
            handle.cache.set_value(Slot::Opening);
            match Cache::open(DB_NAME).await {
                Ok(opened) => {
                    let opened = Rc::new(opened);
                    handle.cache.set_value(Slot::Open(opened.clone()));
                    let _ = opened.set_lang(handle.lang.get_value().code()).await;
                    let cursor = opened.cursor().await.ok().map(|c| c.0);
                    // Never synced, and online: the first pull is about to fill the cache, and
                    // the lists say "Loading…" until it has, never "nothing saved" before it.
                    if cursor != Some(Cursor::START.0) || !window().navigator().on_line() {
                        show(engine, &opened, cursor).await;
                    }
                    if let Ok(outbox) = outbox::read(&opened).await {
                        handle.outbox.set(outbox);
                    }
                    if let Ok(at) = opened.synced_at().await {
                        handle.synced_at.set(at);
                    }
                    opened
                }
                Err(e) => {
                    handle.cache.set_value(Slot::Closed);
                    handle.state.set(SyncState::Failed(e.into()));
                    listings.loaded.set(true);
                    return;
                }
            }
        }
    };
    if !window().navigator().on_line() {
        show_once(engine, &cache).await;
        return;
    }
    deliver(handle, &cache).await;
    if matches!(handle.state.get_untracked(), SyncState::Syncing) {
        return;
    }
    handle.state.set(SyncState::Syncing);
    mark("vecinos:sync-start");
    let result = sync::pull(&cache, "").await;
    mark("vecinos:sync-end");
    let delay = match result {
        Ok(applied) => {
            let cursor = cache.cursor().await.ok().map(|c| c.0);
            // A first visit learns the region (its hotline) before the pages are first shown, so
            // nothing appears above what is already on screen.
            let first_show = !listings.loaded.get_untracked();
            if first_show {
                let _ = Config::refresh().await;
            }
            if applied > 0 || cursor != engine.shown_cursor.get_value() {
                show(engine, &cache, cursor).await;
            }
            show_once(engine, &cache).await;
            handle.synced_at.set(cache.synced_at().await.ok().flatten());
            // Kept for stamping reports written offline later.
            if !first_show {
                let _ = Config::refresh().await;
            }
            engine.failures.set_value(0);
            handle.state.set(SyncState::Idle);
            // The feed moved again while this pull ran: pull again now.
            if cursor.is_some_and(|c| engine.live_head.get_value() > c) {
                Duration::ZERO
            } else {
                CAUGHT_UP_DELAY
            }
        }
        Err(e) => {
            show_once(engine, &cache).await;
            let failures = engine.failures.get_value() + 1;
            engine.failures.set_value(failures);
            handle.state.set(SyncState::Failed(e));
            backoff(failures)
        }
    };
    schedule(engine, delay);
}

/// Sends what waits in the outbox; a failure leaves it there for the next run.
async fn deliver(handle: Handle, cache: &Cache) {
    if handle.delivering.get_untracked() {
        return;
    }
    handle.delivering.set(true);
    // A second round sends what was saved during the first (see `Handle::submit`).
    for _ in 0..2 {
        let sent = outbox::deliver(cache, &|p| handle.stamping.set(p)).await;
        let Ok(outbox) = outbox::read(cache).await else {
            break;
        };
        let more = outbox.waiting.iter().any(|r| r.refused.is_none());
        handle.outbox.set(outbox);
        if sent.is_err() || !more {
            break;
        }
    }
    // An organiser's listing changes saved offline, once the reports are out.
    if crate::organise::signed_in_here() && cache.edits().await.is_ok_and(|e| !e.is_empty()) {
        crate::pending::send_waiting().await;
        handle.edits_sent.update(|n| *n += 1);
    }
    handle.delivering.set(false);
    mark("vecinos:delivered");
}

/// Reads the cache into the pages, remembering which cursor they show.
async fn show(engine: Engine, cache: &Cache, cursor: Option<u64>) {
    show_cached(cache, engine.listings).await;
    engine.shown_cursor.set_value(cursor);
}

/// Reads the cache into the pages if they have not been shown it yet (the first pull found
/// nothing new, failed, or the connection went).
async fn show_once(engine: Engine, cache: &Cache) {
    if !engine.listings.loaded.get_untracked() {
        let cursor = cache.cursor().await.ok().map(|c| c.0);
        show(engine, cache, cursor).await;
    }
}

fn schedule(engine: Engine, delay: Duration) {
    let next = set_timeout_with_handle(move || spawn_local(run(engine)), delay).ok();
    if let Some(Some(previous)) = engine
        .timer
        .try_update_value(|t| std::mem::replace(t, next))
    {
        previous.clear();
    }
}

/// Reads the cache into the page signals.
async fn show_cached(cache: &Cache, listings: Listings) {
    let mut unreadable = 0;
    if let Ok(events) = cache.load::<Event>(RecordKind::Event).await {
        unreadable += events.unreadable;
        listings.events.set(events.records);
    }
    match cache.texts(RecordKind::Resource).await {
        Ok(texts) => {
            let (texts, damaged) = texts.records();
            let (list, kept): (Vec<Resource>, Vec<&str>) = texts
                .iter()
                .filter_map(|t| Some((serde_json::from_str(t).ok()?, *t)))
                .unzip();
            unreadable += damaged + texts.len() - list.len();
            let index = ResourceIndex::new(&list).with_category_words(i18n::category_words);
            save_first_screen(&index, &list, &kept);
            listings.resources.set(Arc::new(ResourceSet {
                list,
                index,
                complete: true,
            }));
        }
        // Nothing readable: say so rather than keep the saved first screen "loading" forever.
        Err(_) => listings.resources.set(Arc::new(ResourceSet {
            complete: true,
            ..ResourceSet::default()
        })),
    }
    if let Ok(cards) = cache.load::<Card>(RecordKind::Card).await {
        unreadable += cards.unreadable;
        listings.cards.set(cards.records);
    }
    if let Ok(alerts) = cache.load::<Alert>(RecordKind::Alert).await {
        unreadable += alerts.unreadable;
        listings.alerts.set(alerts.records);
    }
    listings.unreadable.set(unreadable);
    listings.loaded.set(true);
    mark("vecinos:cache-shown");
}

/// How many resources the list renders at a time, and keeps for the next start.
pub const FIRST_SCREEN: usize = 15;

fn save_first_screen(index: &ResourceIndex, list: &[Resource], texts: &[&str]) {
    let any_time = LocalTime {
        weekday: 1,
        minute_of_day: 0,
    };
    let first: Vec<&str> = index
        .filter(list, &ResourceFilter::default(), any_time, None)
        .into_iter()
        .take(FIRST_SCREEN)
        .map(|i| texts[i])
        .collect();
    prefs::set(Key::FirstResources, &format!("[{}]", first.join(",")));
}

/// Shows the saved first screen of resources until the cache has been read: read synchronously at
/// start, it puts the list on screen before IndexedDB is even open. Decoding all 10,000 cached
/// resources takes much longer; the page shows the full list when that is done.
fn restore_first_screen(listings: &Listings) {
    let saved = prefs::get(Key::FirstResources);
    if let Some(list) = saved.and_then(|s| serde_json::from_str::<Vec<Resource>>(&s).ok()) {
        let index = ResourceIndex::new(&list).with_category_words(i18n::category_words);
        listings.resources.set(Arc::new(ResourceSet {
            list,
            index,
            complete: false,
        }));
    }
}

/// A sync failure in the person's language.
pub fn describe(error: &SyncError) -> String {
    match error {
        SyncError::Network => t(T::ErrNetwork).to_owned(),
        SyncError::Server { status, .. } => T::ErrServer.fill(&[("status", &status.to_string())]),
        SyncError::Cache(_) => t(T::ErrStorage).to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_30_seconds_up_to_30_minutes() {
        let secs: Vec<u64> = (1..=9).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(secs, [30, 60, 120, 240, 480, 960, 1800, 1800, 1800]);
        assert_eq!(backoff(u32::MAX).as_secs(), 1800);
    }
}
