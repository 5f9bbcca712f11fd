//! The app shell: header (connection state, language, quick exit), the current page, the bottom
//! navigation, and the start-up work (open the cache, render from it, then refresh it).
//!
//! Routing is a path-to-`Route` match plus the History API, not a router crate: the app shell
//! must stay within its first-load size budget, and a handful of paths need no more.
//!
//! The whole view is re-created when the language changes (rare), so components read the
//! language once instead of subscribing to it.

use std::sync::Arc;

use leptos::prelude::*;
use uuid::Uuid;
use vecinos_core::search::{ResourceFilter, ResourceIndex};
use vecinos_core::{Alert, Card, Event, RecordKind, Resource};
use wasm_bindgen::JsValue;

use crate::engine::{self, SyncState};
use crate::i18n::{self, Lang, T, t};
use crate::organise::Session;
use crate::pages::{
    AlertsPage, CardPage, EditPage, EventPage, EventsPage, MapPage, OrganisePage, ReportPage,
    ResourcePage, ResourcesPage, RightsPage, active_count,
};
use crate::{exit, format, organise, pwa};

/// Where the app is: one value per page, parsed from and written to the URL path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Events,
    Event(Uuid),
    Resources,
    Resource(Uuid),
    Map,
    Alerts,
    Report,
    Rights,
    Card(Uuid),
    Organise,
    Edit(RecordKind, Uuid),
    NotFound,
}

impl Route {
    pub const TABS: [Route; 5] = [
        Self::Events,
        Self::Resources,
        Self::Map,
        Self::Alerts,
        Self::Rights,
    ];

    pub fn from_path(path: &str) -> Self {
        let path = path.trim_end_matches('/');
        let (section, id) = match path.rsplit_once('/') {
            Some((
                section @ ("/events"
                | "/resources"
                | "/rights"
                | "/organise/events"
                | "/organise/resources"
                | "/organise/cards"),
                id,
            )) => match Uuid::try_parse(id) {
                Ok(id) => (section, Some(id)),
                Err(_) => return Self::NotFound,
            },
            _ => (path, None),
        };
        match (section, id) {
            ("" | "/events", None) => Self::Events,
            ("/events", Some(id)) => Self::Event(id),
            ("/resources", None) => Self::Resources,
            ("/resources", Some(id)) => Self::Resource(id),
            ("/map", None) => Self::Map,
            ("/alerts", None) => Self::Alerts,
            ("/report", None) => Self::Report,
            ("/rights", None) => Self::Rights,
            ("/rights", Some(id)) => Self::Card(id),
            ("/organise", None) => Self::Organise,
            ("/organise/events", Some(id)) => Self::Edit(RecordKind::Event, id),
            ("/organise/resources", Some(id)) => Self::Edit(RecordKind::Resource, id),
            ("/organise/cards", Some(id)) => Self::Edit(RecordKind::Card, id),
            _ => Self::NotFound,
        }
    }

    pub fn path(self) -> String {
        match self {
            Self::Events => "/events".into(),
            Self::Event(id) => format!("/events/{id}"),
            Self::Resources => "/resources".into(),
            Self::Resource(id) => format!("/resources/{id}"),
            Self::Map => "/map".into(),
            Self::Alerts => "/alerts".into(),
            Self::Report => "/report".into(),
            Self::Rights => "/rights".into(),
            Self::Card(id) => format!("/rights/{id}"),
            Self::Organise => "/organise".into(),
            Self::Edit(kind, id) => format!("/organise/{}/{id}", organise::collection(kind)),
            Self::NotFound => "/".into(),
        }
    }

    /// The tab a page belongs to, for the bottom navigation.
    pub fn tab(self) -> Option<Route> {
        match self {
            Self::Event(_) => Some(Self::Events),
            Self::Resource(_) => Some(Self::Resources),
            Self::Card(_) => Some(Self::Rights),
            // Reporting is reached from the alerts: one tab for what is happening nearby.
            Self::Report => Some(Self::Alerts),
            Self::Edit(..) => Some(Self::Organise),
            Self::NotFound => None,
            tab => Some(tab),
        }
    }

    fn label(self) -> T {
        match self.tab() {
            Some(Self::Resources) => T::TabResources,
            Some(Self::Map) => T::TabMap,
            Some(Self::Alerts) => T::TabAlerts,
            Some(Self::Rights) => T::TabRights,
            Some(Self::Organise) => T::TabOrganise,
            _ => T::TabEvents,
        }
    }
}

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

/// The resource filters, kept while the person moves between pages.
#[derive(Clone, Copy)]
pub struct Filters {
    pub resources: RwSignal<ResourceFilter>,
    /// The phone's position when the person asked for "nearest first"; it never leaves the phone.
    pub near: RwSignal<Option<vecinos_core::geo::LatLon>>,
}

/// Moves to `route`, adding a history entry so the back button returns.
pub fn go(route: Route) {
    let current = expect_context::<RwSignal<Route>>();
    if current.get_untracked() != route {
        let _ = window()
            .history()
            .and_then(|h| h.push_state_with_url(&JsValue::NULL, "", Some(&route.path())));
        current.set(route);
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// A link inside the app: a real `href` (long-press, open in new tab), but a plain tap moves
/// without a page load.
#[component]
pub fn Link(
    to: Route,
    children: Children,
    #[prop(optional)] class: &'static str,
    /// Marks the link as the current page (the bottom navigation's tabs).
    #[prop(optional, into)]
    current: Option<Signal<bool>>,
) -> impl IntoView {
    let click = move |ev: leptos::ev::MouseEvent| {
        if ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.button() != 0 {
            return;
        }
        ev.prevent_default();
        go(to);
    };
    let current = move || current.is_some_and(|c| c.get()).then_some("page");
    view! { <a href=to.path() class=class aria-current=current on:click=click>{children()}</a> }
}

#[component]
pub fn App() -> impl IntoView {
    if exit::has_exited() {
        // The person left with quick exit; "back" must not bring the app or its data back.
        exit::leave();
        return ().into_any();
    }
    crate::mark("vecinos:start");
    let lang = RwSignal::new(i18n::initial_lang());
    i18n::apply_document_lang(lang.get_untracked());
    provide_context(lang);
    let listings = Listings {
        events: RwSignal::new(Vec::new()),
        resources: RwSignal::new(Arc::default()),
        cards: RwSignal::new(Vec::new()),
        alerts: RwSignal::new(Vec::new()),
        unreadable: RwSignal::new(0),
        loaded: RwSignal::new(false),
    };
    provide_context(listings);
    provide_context(Filters {
        resources: RwSignal::new(ResourceFilter::default()),
        near: RwSignal::new(None),
    });
    let route = RwSignal::new(Route::from_path(&current_path()));
    provide_context(route);
    let on_back = window_event_listener(leptos::ev::popstate, move |_| {
        route.set(Route::from_path(&current_path()))
    });
    on_cleanup(move || on_back.remove());

    provide_context(start_clock());
    let session = Session::start();
    provide_context(session);
    let sync = engine::start(listings);
    let update = pwa::start();
    exit::guard_back_navigation();

    (move || {
        let _ = lang.get();
        view! {
            <Header sync />
            <main>{move || page(route.get())}</main>
            <UpdateBanner update />
            <nav class="tabs" aria-label=t(T::Sections)>
                {Route::TABS.map(|tab| view! {
                    <Link to=tab current=Signal::derive(move || route.get().tab() == Some(tab))>
                        {t(tab.label())}
                        {(tab == Route::Alerts).then_some(move || {
                            let n = active_count();
                            (n > 0).then(|| view! { <span class="badge">{n}</span> })
                        })}
                    </Link>
                })}
                {move || session.name.with(Option::is_some).then(|| view! {
                    <Link to=Route::Organise current=Signal::derive(move || route.get().tab() == Some(Route::Organise))>
                        {t(T::TabOrganise)}
                    </Link>
                })}
            </nav>
        }
    })
    .into_any()
}

fn page(route: Route) -> AnyView {
    match route {
        Route::Events => view! { <EventsPage /> }.into_any(),
        Route::Event(id) => view! { <EventPage id /> }.into_any(),
        Route::Resources => view! { <ResourcesPage /> }.into_any(),
        Route::Resource(id) => view! { <ResourcePage id /> }.into_any(),
        Route::Map => view! { <MapPage /> }.into_any(),
        Route::Alerts => view! { <AlertsPage /> }.into_any(),
        Route::Report => view! { <ReportPage /> }.into_any(),
        Route::Rights => view! { <RightsPage /> }.into_any(),
        Route::Card(id) => view! { <CardPage id /> }.into_any(),
        Route::Organise => view! { <OrganisePage /> }.into_any(),
        Route::Edit(kind, id) => view! { <EditPage kind id /> }.into_any(),
        Route::NotFound => view! { <p class="empty">{t(T::NotFound)}</p> }.into_any(),
    }
}

/// The phone's clock in milliseconds, re-read every 30 s, so "Updated 3 min ago" stays true
/// and expired alerts leave the screen on their own, offline too.
#[derive(Clone, Copy)]
pub struct Clock(pub RwSignal<f64>);

fn start_clock() -> Clock {
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

#[component]
fn Header(sync: engine::Handle) -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    let Clock(now) = expect_context::<Clock>();
    let status = move || match (sync.online.get(), sync.state.get()) {
        (false, _) => t(T::Offline).to_owned(),
        (true, SyncState::Syncing) => t(T::Updating).to_owned(),
        (true, SyncState::Failed(reason)) => {
            T::SyncFailed.fill(&[("reason", &engine::describe(&reason))])
        }
        (true, SyncState::Idle) => match sync.synced_at.get() {
            Some(at) => format::updated_ago(now.get() - at),
            None => t(T::NeverUpdated).to_owned(),
        },
    };
    let choose = move |ev: leptos::ev::Event| {
        if let Some(chosen) = Lang::from_tag(&event_target_value(&ev)) {
            i18n::choose(chosen);
            lang.set(chosen);
        }
    };
    let current = lang.get_untracked();
    view! {
        <header class="top">
            <span class="brand">"Vecinos"</span>
            <select class="lang" aria-label=t(T::Language) on:change=choose>
                {Lang::ALL.map(|l| view! {
                    <option value=l.code() selected=l == current lang=l.code()>{l.name()}</option>
                })}
            </select>
            <ExitButton />
        </header>
        <p class="status" class:offline=move || !sync.online.get()
            class:failed=move || matches!(sync.state.get(), SyncState::Failed(_)) role="status">
            {status}
        </p>
    }
}

/// Quick exit, on every screen.
#[component]
pub fn ExitButton() -> impl IntoView {
    view! {
        <button class="exit" type="button" title=t(T::ExitHint) aria-label=t(T::ExitHint)
            on:click=|_| exit::quick_exit()>
            {t(T::Exit)}
        </button>
    }
}

#[component]
fn UpdateBanner(update: pwa::Update) -> impl IntoView {
    view! {
        {move || update.ready.get().then(|| view! {
            <div class="update" role="alert">
                <span>{t(T::UpdateReady)}</span>
                <button type="button" on:click=move |_| update.activate()>{t(T::Reload)}</button>
            </div>
        })}
    }
}

fn current_path() -> String {
    window().location().pathname().unwrap_or_default()
}
