//! Events: upcoming first, grouped by day in each event's own time zone, and one event's page.

use leptos::prelude::*;
use uuid::Uuid;
use vecinos_core::Event;
use vecinos_core::model::upcoming;
use vecinos_core::search::by_day;
use wasm_bindgen::{JsCast, JsValue};

use super::{BackTo, EditLink, Gone, Loaded, WrittenIn, directions, language_list, now, shown};
use crate::format;
use crate::i18n::{self, T, t};
use crate::route::{Link, Listing, Route};
use crate::state::Listings;

#[component]
pub fn EventsPage() -> impl IntoView {
    let listings = expect_context::<Listings>();
    let days = move || {
        listings.events.with(|events| {
            by_day(&upcoming(events, now()), |e| {
                format::day_in_zone(e.starts_at, &e.time_zone)
            })
            .into_iter()
            .map(|(day, events)| (day, events.into_iter().cloned().collect::<Vec<_>>()))
            .collect::<Vec<_>>()
        })
    };
    view! {
        <h1>{t(T::EventsTitle)}</h1>
        <Loaded>
            {move || {
                let days = days();
                if days.is_empty() {
                    return view! { <p class="empty">{t(T::NoEvents)}</p> }.into_any();
                }
                let today = format::today();
                days.into_iter()
                    .map(|(day, events)| view! {
                        <section class="day">
                            <h2>{format::day_heading(day, today)}</h2>
                            <ul class="cards">
                                {events.into_iter().map(|event| view! { <EventCard event /> }).collect_view()}
                            </ul>
                        </section>
                    })
                    .collect_view()
                    .into_any()
            }}
        </Loaded>
    }
}

#[component]
fn EventCard(event: Event) -> impl IntoView {
    let (title, title_lang) = shown(
        &event.translations,
        "title",
        &event.title,
        event.text_language(),
    );
    view! {
        <li class="card event">
            <Link to=Route::Event(event.id)>
                <p class="kind">{t(i18n::event_kind(event.kind))}</p>
                <h3 lang=title_lang>{title}</h3>
                {i18n::event_status(event.status).map(|s| view! { <p class="badge">{t(s)}</p> })}
                <p class="when">{format::time(event.starts_at, &event.time_zone)}</p>
                {event.place.map(|p| view! { <p class="where">{p.name}</p> })}
                <p class="langs">{language_list(&event.languages)}</p>
            </Link>
        </li>
    }
}

#[component]
pub fn EventPage(id: Uuid) -> impl IntoView {
    let listings = expect_context::<Listings>();
    let event = move || {
        listings
            .events
            .with(|events| events.iter().find(|e| e.id == id).cloned())
    };
    view! {
        <Loaded>
            {move || match event() {
                Some(event) => view! { <EventDetail event /> }.into_any(),
                None => view! { <Gone to=Route::Events /> }.into_any(),
            }}
        </Loaded>
    }
}

#[component]
fn EventDetail(event: Event) -> impl IntoView {
    let copied = RwSignal::new(false);
    let calendar = format!("/api/v1/events/{}.ics", event.id);
    let own = event.text_language().to_owned();
    let (title, title_lang) = shown(&event.translations, "title", &event.title, &own);
    let (description, description_lang) =
        shown(&event.translations, "description", &event.description, &own);
    let written_in = vec![title_lang.clone(), description_lang.clone()];
    let share_title = title.clone();
    let until = event
        .ends_at
        .map(|end| T::Until.fill(&[("time", &format::when(end, &event.time_zone))]));
    view! {
        <article class="detail">
            <BackTo to=Route::Events />
            <p class="kind">{t(i18n::event_kind(event.kind))}</p>
            <h1 lang=title_lang>{title}</h1>
            <WrittenIn langs=written_in />
            <EditLink listing=Listing::Event id=event.id />
            {i18n::event_status(event.status).map(|s| view! { <p class="banner">{t(s)}</p> })}
            <p class="when">{format::when(event.starts_at, &event.time_zone)}</p>
            {until.map(|u| view! { <p>{u}</p> })}
            {event.place.map(|place| {
                let href = directions(&place);
                view! {
                    <p class="where"><strong>{place.name}</strong><br />{place.address}</p>
                    {place.accessibility.map(|a| view! { <p><strong>{t(T::Accessibility)}": "</strong>{a}</p> })}
                    <a class="action" href=href target="_blank" rel="noopener">{t(T::Directions)}</a>
                }
            })}
            <p class="body" lang=description_lang>{description}</p>
            <p class="muted">{T::OrganisedBy.fill(&[("name", &event.organiser)])}</p>
            <p class="muted">{t(T::Languages)}": "{language_list(&event.languages)}</p>
            {(!event.links.is_empty()).then(|| view! {
                <h2>{t(T::Links)}</h2>
                <ul class="links">
                    {event.links.into_iter().map(|l| {
                        let href = l.clone();
                        view! { <li><a href=href target="_blank" rel="noopener">{l}</a></li> }
                    }).collect_view()}
                </ul>
            })}
            <div class="actions">
                <a class="action" href=calendar download="">{t(T::AddToCalendar)}</a>
                <button class="action" type="button" on:click=move |_| share(&share_title, copied)>
                    {t(T::Share)}
                </button>
            </div>
            {move || copied.get().then(|| view! { <p class="note" role="status">{t(T::LinkCopied)}</p> })}
        </article>
    }
}

/// The system share sheet where the browser has one (phones), else the link to the clipboard.
fn share(title: &str, copied: RwSignal<bool>) {
    let url = window().location().href().unwrap_or_default();
    let navigator: JsValue = window().navigator().into();
    let call = |target: &JsValue, method: &str, arg: &JsValue| -> bool {
        js_sys::Reflect::get(target, &method.into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .is_some_and(|f| f.call1(target, arg).is_ok())
    };
    let data = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&data, &"title".into(), &title.into());
    let _ = js_sys::Reflect::set(&data, &"url".into(), &url.as_str().into());
    if call(&navigator, "share", &data) {
        return;
    }
    let clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into()).unwrap_or_default();
    if call(&clipboard, "writeText", &url.as_str().into()) {
        copied.set(true);
    }
}
