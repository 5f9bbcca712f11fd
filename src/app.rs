//! The app shell: header with the connection state, the routed page, the bottom navigation, and
//! the start-up work (open the cache, render from it, then refresh it from the server).

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;
use vecinos_core::{Event, RecordKind, Resource};

use crate::cache::{Cache, DB_NAME};
use crate::pages::{EventsPage, NotYetPage, ResourcesPage};
use crate::sync;

/// What the lists show, as loaded from the cache.
#[derive(Clone, Copy)]
pub struct Listings {
    pub events: RwSignal<Vec<Event>>,
    pub resources: RwSignal<Vec<Resource>>,
    /// False until the cache has been read once: lists say "loading", not "nothing here".
    pub loaded: RwSignal<bool>,
}

#[derive(Clone, Debug, PartialEq)]
enum SyncState {
    Idle,
    Syncing,
    Done,
    Failed(String),
}

#[component]
pub fn App() -> impl IntoView {
    let listings = Listings {
        events: RwSignal::new(Vec::new()),
        resources: RwSignal::new(Vec::new()),
        loaded: RwSignal::new(false),
    };
    provide_context(listings);
    let online = RwSignal::new(navigator_online());
    let sync_state = RwSignal::new(SyncState::Idle);
    let cache: StoredValue<Option<Rc<Cache>>, LocalStorage> = StoredValue::new_local(None);

    let refresh = move || {
        spawn_local(async move {
            let cache = match cache.get_value() {
                Some(cache) => cache,
                None => match Cache::open(DB_NAME).await {
                    Ok(opened) => {
                        let opened = Rc::new(opened);
                        cache.set_value(Some(opened.clone()));
                        show_cached(&opened, listings).await;
                        opened
                    }
                    Err(e) => {
                        sync_state.set(SyncState::Failed(e.to_string()));
                        listings.loaded.set(true);
                        return;
                    }
                },
            };
            if !navigator_online() || sync_state.get_untracked() == SyncState::Syncing {
                return;
            }
            sync_state.set(SyncState::Syncing);
            match sync::pull(&cache, "").await {
                Ok(applied) => {
                    if applied > 0 {
                        show_cached(&cache, listings).await;
                    }
                    sync_state.set(SyncState::Done);
                }
                Err(e) => sync_state.set(SyncState::Failed(e.to_string())),
            }
        });
    };
    refresh();
    register_service_worker();

    let on_online = window_event_listener(leptos::ev::online, move |_| {
        online.set(true);
        refresh();
    });
    let on_offline = window_event_listener(leptos::ev::offline, move |_| online.set(false));
    on_cleanup(move || {
        on_online.remove();
        on_offline.remove();
    });

    let status = move || match (online.get(), sync_state.get()) {
        (false, _) => "Offline: showing what is saved on this phone".to_owned(),
        (true, SyncState::Syncing) => "Updating…".to_owned(),
        (true, SyncState::Failed(reason)) => format!("Could not update ({reason}); showing what is saved"),
        (true, SyncState::Done) => "Up to date".to_owned(),
        (true, SyncState::Idle) => String::new(),
    };

    view! {
        <Router>
            <header class="top">
                <span class="brand">"Vecinos"</span>
                <span class="status" class:offline=move || !online.get() role="status" data-online=move || online.get().to_string()>
                    {status}
                </span>
            </header>
            <main>
                <Routes fallback=|| view! { <p class="empty">"This page does not exist."</p> }>
                    <Route path=path!("/") view=EventsPage />
                    <Route path=path!("/events") view=EventsPage />
                    <Route path=path!("/resources") view=ResourcesPage />
                    <Route path=path!("/map") view=|| view! { <NotYetPage title="Map" /> } />
                    <Route path=path!("/report") view=|| view! { <NotYetPage title="Report" /> } />
                    <Route path=path!("/rights") view=|| view! { <NotYetPage title="Know your rights" /> } />
                </Routes>
            </main>
            <nav class="tabs" aria-label="Sections">
                <A href="/events">"Events"</A>
                <A href="/resources">"Resources"</A>
                <A href="/map">"Map"</A>
                <A href="/report">"Report"</A>
                <A href="/rights">"Rights"</A>
            </nav>
        </Router>
    }
}

/// Reads the cache into the list signals.
async fn show_cached(cache: &Cache, listings: Listings) {
    if let Ok(events) = cache.load::<Event>(RecordKind::Event).await {
        listings.events.set(events.records);
    }
    if let Ok(resources) = cache.load::<Resource>(RecordKind::Resource).await {
        listings.resources.set(resources.records);
    }
    listings.loaded.set(true);
}

fn navigator_online() -> bool {
    window().navigator().on_line()
}

fn register_service_worker() {
    let container = window().navigator().service_worker();
    // A failed registration only means no offline start; the app itself still works.
    let _ = container.register("/sw.js");
}
