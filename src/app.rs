//! The app shell: header (connection state, language, quick exit), the current page, the bottom
//! navigation, and the start-up work (open the cache, render from it, then refresh it).
//!
//! The whole view is re-created when the language changes (rare), so components read the
//! language once instead of subscribing to it.

use std::time::Duration;

use leptos::prelude::*;

use crate::engine::{self, SyncState};
use crate::i18n::{self, Lang, T, t};
use crate::organise::Session;
use crate::pages::{
    AlertsPage, CardPage, EditPage, EventPage, EventsPage, ExitButton, JoinPage, MapPage, NewPage,
    NotLoaded, OrganisePage, ReportPage, ResourcePage, ResourcesPage, RightsPage, active_count,
    lazy,
};
use crate::route::{self, Link, Route};
use crate::state::{Clock, Filters, Listings};
use crate::{exit, format, push, pwa};

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
    let listings = Listings::new();
    provide_context(listings);
    provide_context(Filters::new());
    let route = RwSignal::new(route::current());
    provide_context(route);
    let on_back = window_event_listener(leptos::ev::popstate, move |_| route.set(route::current()));
    route::follow_screens(route, lang);
    on_cleanup(move || on_back.remove());

    provide_context(Clock::start());
    let session = Session::start();
    provide_context(session);
    let sync = engine::start(listings, lang.get_untracked());
    // The server forgets push subscriptions after 30 days: renewed while the app is in use.
    set_timeout(|| leptos::task::spawn_local(push::renew()), Duration::ZERO);
    let update = pwa::start();
    exit::guard_back_navigation();
    // The first task paints the header and the tabs over the shell; the page is drawn in the
    // next one, so no single task at start keeps a slow phone from answering a tap.
    let drawn = RwSignal::new(false);
    set_timeout(move || drawn.set(true), Duration::ZERO);

    (move || {
        let _ = lang.get();
        view! {
            <Header sync />
            <main>{move || if drawn.get() {
                page(route.get())
            } else {
                view! { <p class="empty">{t(T::Loading)}</p> }.into_any()
            }}</main>
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

/// The current screen. Report, Organise and editing are WASM chunks of their own
/// (`pages::lazy`); the tabs' screens stay in the main WASM: each chunk is one more request
/// before the screen shows, which costs a slow network more than its bytes save.
fn page(route: Route) -> AnyView {
    match route {
        Route::Events => view! { <EventsPage /> }.into_any(),
        Route::Event(id) => view! { <EventPage id /> }.into_any(),
        Route::Resources => view! { <ResourcesPage /> }.into_any(),
        Route::Resource(id) => view! { <ResourcePage id /> }.into_any(),
        Route::Map => view! { <MapPage /> }.into_any(),
        Route::Alerts => view! { <AlertsPage /> }.into_any(),
        Route::Rights => view! { <RightsPage /> }.into_any(),
        Route::Card(id) => view! { <CardPage id /> }.into_any(),
        Route::Report => lazy(report),
        Route::Organise | Route::Edit(..) | Route::New(..) | Route::Join => {
            lazy(move || organise(route))
        }
        Route::NotFound => view! { <h1 class="empty">{t(T::NotFound)}</h1> }.into_any(),
    }
}

// Split points: the module name is the chunk's (`split_<name>-<hash>.wasm`).

split!(
    report,
    fn report() -> Result<AnyView, NotLoaded> {
        Ok(view! { <ReportPage /> }.into_any())
    }
);

split!(
    organise,
    fn organise(route: Route) -> Result<AnyView, NotLoaded> {
        Ok(match route {
            Route::Edit(listing, id) => view! { <EditPage listing id /> }.into_any(),
            Route::New(listing, from) => view! { <NewPage listing from /> }.into_any(),
            Route::Join => view! { <JoinPage /> }.into_any(),
            _ => view! { <OrganisePage /> }.into_any(),
        })
    }
);

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
            sync.tell_worker_lang(chosen);
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
