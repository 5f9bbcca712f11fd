//! The app shell: header with the connection state, the current section, the bottom navigation,
//! and the start-up work (open the cache, render from it, then refresh it from the server).
//!
//! Routing is a path-to-`Section` match plus the History API, not a router crate: the app shell
//! must stay within its first-load size budget, and five sections need no more.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use vecinos_core::{Event, RecordKind, Resource};
use wasm_bindgen::JsValue;

use crate::cache::{Cache, DB_NAME};
use crate::pages::{EventsPage, NotYetPage, ResourcesPage};
use crate::sync;

/// The app's sections, one per tab of the bottom navigation; the URL path names each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Events,
    Resources,
    Map,
    Report,
    Rights,
    NotFound,
}

impl Section {
    pub const TABS: [Section; 5] = [
        Self::Events,
        Self::Resources,
        Self::Map,
        Self::Report,
        Self::Rights,
    ];

    pub fn from_path(path: &str) -> Self {
        match path.trim_end_matches('/') {
            "" | "/events" => Self::Events,
            "/resources" => Self::Resources,
            "/map" => Self::Map,
            "/report" => Self::Report,
            "/rights" => Self::Rights,
            _ => Self::NotFound,
        }
    }

    pub fn path(self) -> &'static str {
        match self {
            Self::Events => "/events",
            Self::Resources => "/resources",
            Self::Map => "/map",
            Self::Report => "/report",
            Self::Rights => "/rights",
            Self::NotFound => "/",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Events => "Events",
            Self::Resources => "Resources",
            Self::Map => "Map",
            Self::Report => "Report",
            Self::Rights => "Rights",
            Self::NotFound => "",
        }
    }
}

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
        (true, SyncState::Failed(reason)) => {
            format!("Could not update ({reason}); showing what is saved")
        }
        (true, SyncState::Done) => "Up to date".to_owned(),
        (true, SyncState::Idle) => String::new(),
    };

    let section = RwSignal::new(Section::from_path(&current_path()));
    let on_back = window_event_listener(leptos::ev::popstate, move |_| {
        section.set(Section::from_path(&current_path()))
    });
    on_cleanup(move || on_back.remove());
    let page = move || match section.get() {
        Section::Events => view! { <EventsPage /> }.into_any(),
        Section::Resources => view! { <ResourcesPage /> }.into_any(),
        Section::Map => view! { <NotYetPage title="Map" /> }.into_any(),
        Section::Report => view! { <NotYetPage title="Report" /> }.into_any(),
        Section::Rights => view! { <NotYetPage title="Know your rights" /> }.into_any(),
        Section::NotFound => view! { <p class="empty">"This page does not exist."</p> }.into_any(),
    };
    let tab = move |target: Section| {
        let go = move |ev: leptos::ev::MouseEvent| {
            // Let the browser handle "open in new tab" and friends.
            if ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.button() != 0 {
                return;
            }
            ev.prevent_default();
            if section.get_untracked() != target {
                let _ = window()
                    .history()
                    .and_then(|h| h.push_state_with_url(&JsValue::NULL, "", Some(target.path())));
                section.set(target);
            }
        };
        view! {
            <a href=target.path() on:click=go aria-current=move || (section.get() == target).then_some("page")>
                {target.label()}
            </a>
        }
    };

    view! {
        <header class="top">
            <span class="brand">"Vecinos"</span>
            <span class="status" class:offline=move || !online.get() role="status">
                {status}
            </span>
        </header>
        <main>{page}</main>
        <nav class="tabs" aria-label="Sections">
            {Section::TABS.map(tab)}
        </nav>
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

fn current_path() -> String {
    window().location().pathname().unwrap_or_default()
}

fn navigator_online() -> bool {
    window().navigator().on_line()
}

fn register_service_worker() {
    let container = window().navigator().service_worker();
    // A failed registration only means no offline start; the app itself still works.
    let _ = container.register("/sw.js");
}
