//! What the engine and the pages share: the listings read from the cache, the resource filters
//! and the clock. Provided as context by the app shell; the engine writes the listings, the pages
//! read them.

use std::sync::Arc;

use leptos::prelude::*;
use vecinos_core::geo::LatLon;
use vecinos_core::search::{ResourceFilter, ResourceIndex};
use vecinos_core::{Alert, Card, Event, Resource};

/// The resources with their search index, rebuilt together whenever the cache is read.
#[derive(Default)]
pub struct ResourceSet {
    pub list: Vec<Resource>,
    pub index: ResourceIndex,
    /// False while only the saved first screen is shown, before the cache has been read.
    pub complete: bool,
}

/// What the pages show, as loaded from the cache.
#[derive(Clone, Copy)]
pub struct Listings {
    pub events: RwSignal<Vec<Event>>,
    pub resources: RwSignal<Arc<ResourceSet>>,
    pub cards: RwSignal<Vec<Card>>,
    /// Verified alerts, expired ones included: pages hide those past `expires_at`.
    pub alerts: RwSignal<Vec<Alert>>,
    /// Records the cache holds but this version cannot read.
    pub unreadable: RwSignal<usize>,
    /// False until the cache has been read once: lists say "loading", not "nothing here".
    pub loaded: RwSignal<bool>,
}

impl Listings {
    /// Nothing yet: the engine fills them from the cache.
    pub fn new() -> Self {
        Self {
            events: RwSignal::new(Vec::new()),
            resources: RwSignal::new(Arc::default()),
            cards: RwSignal::new(Vec::new()),
            alerts: RwSignal::new(Vec::new()),
            unreadable: RwSignal::new(0),
            loaded: RwSignal::new(false),
        }
    }
}

/// The resource filters, kept while the person moves between pages.
#[derive(Clone, Copy)]
pub struct Filters {
    pub resources: RwSignal<ResourceFilter>,
    /// The phone's position when the person asked for "nearest first"; it never leaves the phone.
    pub near: RwSignal<Option<LatLon>>,
}

impl Filters {
    pub fn new() -> Self {
        Self {
            resources: RwSignal::new(ResourceFilter::default()),
            near: RwSignal::new(None),
        }
    }
}

/// The phone's clock in milliseconds, re-read every 30 s, so "Updated 3 min ago" stays true
/// and expired alerts leave the screen on their own, offline too.
#[derive(Clone, Copy)]
pub struct Clock(pub RwSignal<f64>);

impl Clock {
    pub fn start() -> Clock {
        let now = RwSignal::new(js_sys::Date::now());
        let tick = set_interval_with_handle(
            move || now.set(js_sys::Date::now()),
            std::time::Duration::from_secs(30),
        );
        on_cleanup(move || {
            if let Ok(tick) = tick {
                tick.clear();
            }
        });
        Clock(now)
    }
}
