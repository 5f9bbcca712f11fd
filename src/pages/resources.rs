//! Resources: search, category chips, language, "open now", "nearest first", and one resource's
//! page. Filtering runs in Rust over a prebuilt index (`vecinos_core::search`); the list renders
//! a page of results at a time, so 10,000 cached resources cost no more DOM than 15. Typing
//! further narrows the previous result instead of searching everything again.

use std::sync::Arc;

use leptos::prelude::*;
use uuid::Uuid;
use vecinos_core::geo::LatLon;
use vecinos_core::order::sort_by;
use vecinos_core::search::{LocalTime, ResourceFilter, is_open};
use vecinos_core::{Resource, ResourceCategory};

use super::{
    BackTo, EditLink, Gone, Loaded, WrittenIn, directions, language_list, locate, metres_between,
    shown,
};
use crate::format;
use crate::i18n::{self, T, t};
use crate::mark;
use crate::route::{Link, Listing, Route};
use crate::state::{Filters, Listings, ResourceSet};

/// Cards rendered at a time: a phone screen shows about four, and every card rendered costs time
/// on each keystroke.
const PAGE: usize = crate::engine::FIRST_SCREEN;

/// What the list shows, with what it was computed from, so the next keystroke can narrow it.
struct Shown {
    filter: ResourceFilter,
    near: Option<LatLon>,
    /// The resource set the hits index into; a sync replaces it. Held, so that its address
    /// cannot be reused by the next set while compared.
    set: Arc<ResourceSet>,
    hits: Vec<usize>,
}

impl PartialEq for Shown {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.set, &other.set)
            && self.filter == other.filter
            && self.near == other.near
            && self.hits == other.hits
    }
}

pub(super) fn local_now() -> LocalTime {
    let (weekday, minute_of_day) = format::local_weekday_minute();
    LocalTime {
        weekday,
        minute_of_day,
    }
}

#[component]
pub fn ResourcesPage() -> impl IntoView {
    let listings = expect_context::<Listings>();
    let filters = expect_context::<Filters>();
    let filter = filters.resources;
    let results = Memo::new(move |earlier: Option<&Shown>| {
        let filter = filter.get();
        let near = filters.near.get();
        let set = listings.resources.get();
        mark("vecinos:filter-start");
        let hits = match earlier {
            Some(e) if Arc::ptr_eq(&e.set, &set) && e.near == near && filter.refines(&e.filter) => {
                set.index.refine(&e.hits, &set.list, &filter, local_now())
            }
            _ => {
                let distance = near.map(|here| move |place| metres_between(here, place));
                let distance = distance.as_ref().map(|d| d as &dyn Fn(LatLon) -> f64);
                set.index.filter(&set.list, &filter, local_now(), distance)
            }
        };
        mark("vecinos:filter-end");
        Shown {
            filter,
            near,
            set,
            hits,
        }
    });
    let complete = move || listings.resources.with(|s| s.complete);
    // Conditions as memos: the parts they show are rebuilt only when the answer changes.
    let has_any = Memo::new(move |_| listings.resources.with(|s| !s.list.is_empty()));
    let has_hits = Memo::new(move |_| results.with(|r| !r.hits.is_empty()));
    let shown = RwSignal::new(PAGE);
    // Every change of filter starts again from the first page of results.
    let refine = move |change: &dyn Fn(&mut ResourceFilter)| {
        shown.set(PAGE);
        filter.update(|f| change(f));
    };
    let has_more = Memo::new(move |_| complete() && results.with(|r| r.hits.len()) > shown.get());
    let visible = move || {
        let set = listings.resources.get();
        results.with(|r| {
            r.hits
                .iter()
                .take(shown.get())
                .map(|&i| set.list[i].clone())
                .collect::<Vec<_>>()
        })
    };
    let search = move |ev: leptos::ev::Event| {
        let query = event_target_value(&ev);
        refine(&|f| f.query = query.clone());
    };
    let pick_language = move |ev: leptos::ev::Event| {
        let code = event_target_value(&ev);
        refine(&|f| f.language = (!code.is_empty()).then(|| code.clone()));
    };
    let position_error = RwSignal::new(false);
    let toggle_near = move |_| {
        if filters.near.get_untracked().is_some() {
            filters.near.set(None);
        } else {
            locate(filters.near, position_error);
        }
    };
    let chip = move |category: Option<ResourceCategory>| {
        let label = category.map_or(T::AllCategories, i18n::category);
        view! {
            <button type="button" class="chip"
                aria-pressed=move || (filter.with(|f| f.category) == category).to_string()
                on:click=move |_| refine(&|f| f.category = category)>
                {t(label)}
            </button>
        }
    };
    view! {
        <h1>{t(T::ResourcesTitle)}</h1>
        <div class="filters">
            <label class="search">
                <span class="visually-hidden">{t(T::Search)}</span>
                <input type="search" placeholder=t(T::SearchHint) autocomplete="off"
                    prop:value=move || filter.with(|f| f.query.clone()) on:input=search />
            </label>
            <div class="chips" role="group" aria-label=t(T::Categories)>
                {chip(None)}
                {ResourceCategory::ALL.map(|c| chip(Some(c)))}
            </div>
            <div class="toggles">
                <select aria-label=t(T::Languages) on:change=pick_language>
                    <option value="">{t(T::AnyLanguage)}</option>
                    {move || {
                        let chosen = filter.with(|f| f.language.clone());
                        let mut languages: Vec<(String, String)> = listings.resources.with(|s| {
                            s.index.languages().iter().map(|c| (format::language_name(c), c.clone())).collect()
                        });
                        languages.sort_by(|a, b| format::collate(&a.0, &b.0));
                        languages.into_iter().map(|(name, code)| {
                            let selected = chosen.as_deref() == Some(code.as_str());
                            view! { <option value=code.clone() selected=selected>{name}</option> }
                        }).collect_view()
                    }}
                </select>
                <button type="button" class="chip" aria-pressed=move || filter.with(|f| f.open_now).to_string()
                    on:click=move |_| refine(&|f| f.open_now = !f.open_now)>
                    {t(T::OpenNow)}
                </button>
                <button type="button" class="chip" aria-pressed=move || filters.near.with(Option::is_some).to_string()
                    on:click=toggle_near>
                    {t(T::NearestFirst)}
                </button>
            </div>
            <p class="note">
                {move || match (position_error.get(), filters.near.with(Option::is_some)) {
                    (true, _) => t(T::NoPosition),
                    (false, true) => t(T::PositionStays),
                    (false, false) => "",
                }}
            </p>
        </div>
        <Loaded early=Signal::derive(move || listings.resources.with(|s| !s.list.is_empty()))>
            {move || if has_any.get() {
                view! {
                    <div class="count-row">
                        <p class="count" role="status">
                            {move || if complete() {
                                T::Results.fill(&[("n", &format::number(results.with(|r| r.hits.len())))])
                            } else {
                                t(T::Loading).to_owned()
                            }}
                        </p>
                        <Link to=Route::Map>{t(T::MapShow)}</Link>
                    </div>
                    {move || if has_hits.get() {
                        view! {
                            <ul class="cards">
                                {move || visible().into_iter().map(|resource| view! {
                                    <ResourceCard resource near=filters.near.get_untracked() />
                                }).collect_view()}
                            </ul>
                            {move || has_more.get().then(|| view! {
                                <button type="button" class="action more" on:click=move |_| shown.update(|n| *n += PAGE)>
                                    {t(T::ShowMore)}
                                </button>
                            })}
                        }.into_any()
                    } else {
                        view! {
                            <p class="empty">{t(T::NoMatches)}</p>
                            <button type="button" class="action" on:click=move |_| refine(&|f| *f = ResourceFilter::default())>
                                {t(T::ClearFilters)}
                            </button>
                        }.into_any()
                    }}
                }.into_any()
            } else {
                view! { <p class="empty">{t(T::NoResources)}</p> }.into_any()
            }}
        </Loaded>
    }
}

fn area(resource: &Resource) -> Option<String> {
    match &resource.place {
        Some(place) => Some(place.address.clone()),
        None => resource.service_area.clone(),
    }
}

#[component]
fn ResourceCard(resource: Resource, near: Option<LatLon>) -> impl IntoView {
    let distance = near.zip(resource.place.as_ref()).map(|(here, place)| {
        format::distance(metres_between(
            here,
            LatLon {
                lat: place.lat,
                lon: place.lon,
            },
        ))
    });
    let area = area(&resource);
    let (name, name_lang) = shown(
        &resource.translations,
        "name",
        &resource.name,
        resource.text_language(),
    );
    view! {
        <li class="card resource">
            <Link to=Route::Resource(resource.id)>
                <p class="kind">{t(i18n::category(resource.category))}</p>
                <h2 lang=name_lang>{name}</h2>
                <p class="org">{resource.organisation}</p>
                {area.map(|a| view! { <p class="where">{a}</p> })}
                {distance.map(|d| view! { <p class="where">{d}</p> })}
            </Link>
            {resource.phones.into_iter().take(1).map(|p| view! {
                <a class="call" href=format!("tel:{}", p.number)>{T::Call.fill(&[("number", &p.number)])}</a>
            }).collect_view()}
        </li>
    }
}

#[component]
pub fn ResourcePage(id: Uuid) -> impl IntoView {
    let listings = expect_context::<Listings>();
    let resource = move || {
        listings
            .resources
            .with(|set| set.list.iter().find(|r| r.id == id).cloned())
    };
    view! {
        <Loaded>
            {move || match resource() {
                Some(resource) => view! { <ResourceDetail resource /> }.into_any(),
                None => view! { <Gone to=Route::Resources /> }.into_any(),
            }}
        </Loaded>
    }
}

#[component]
fn ResourceDetail(resource: Resource) -> impl IntoView {
    let open = is_open(&resource.opening_hours, local_now());
    let has_hours = !resource.opening_hours.is_empty();
    let week = (1..=7u8).map(|day| {
        let mut periods: Vec<String> = resource
            .opening_hours
            .iter()
            .filter(|h| h.weekday == day)
            .map(|h| format!("{} – {}", h.opens, h.closes))
            .collect();
        sort_by(&mut periods, |a, b| a.cmp(b));
        let periods = if periods.is_empty() {
            t(T::Closed).to_owned()
        } else {
            periods.join(", ")
        };
        view! { <tr><th scope="row">{t(i18n::weekday(day))}</th><td>{periods}</td></tr> }
    });
    let own = resource.text_language().to_owned();
    let (name, name_lang) = shown(&resource.translations, "name", &resource.name, &own);
    let (description, description_lang) = shown(
        &resource.translations,
        "description",
        &resource.description,
        &own,
    );
    let written_in = vec![name_lang.clone(), description_lang.clone()];
    let eligibility = resource
        .eligibility
        .as_deref()
        .map(|e| shown(&resource.translations, "eligibility", e, &own));
    view! {
        <article class="detail">
            <BackTo to=Route::Resources />
            <p class="kind">{t(i18n::category(resource.category))}</p>
            <h1 lang=name_lang>{name}</h1>
            <WrittenIn langs=written_in />
            <EditLink listing=Listing::Resource id=resource.id />
            {open.then(|| view! { <p class="badge open">{t(T::OpenNow)}</p> })}
            <p class="org">{resource.organisation}</p>
            <p class="body" lang=description_lang>{description}</p>
            <div class="actions">
                {resource.phones.into_iter().map(|p| {
                    let label = p.label.map(|l| format!(" ({l})")).unwrap_or_default();
                    view! {
                        <a class="call" href=format!("tel:{}", p.number)>
                            {T::Call.fill(&[("number", &p.number)])}{label}
                        </a>
                    }
                }).collect_view()}
                {resource.website.map(|w| view! {
                    <a class="action" href=w target="_blank" rel="noopener">{t(T::Website)}</a>
                })}
            </div>
            {match (resource.place, resource.service_area) {
                (Some(place), _) => {
                    let href = directions(&place);
                    view! {
                        <p class="where"><strong>{place.name}</strong><br />{place.address}</p>
                        {place.accessibility.map(|a| view! { <p><strong>{t(T::Accessibility)}": "</strong>{a}</p> })}
                        <a class="action" href=href target="_blank" rel="noopener">{t(T::Directions)}</a>
                    }.into_any()
                }
                (None, Some(served)) => view! {
                    <p class="where">{T::AreaServed.fill(&[("area", &served)])}</p>
                    <p class="note">{t(T::AreaOnly)}</p>
                }.into_any(),
                (None, None) => ().into_any(),
            }}
            {has_hours.then(|| view! {
                <h2>{t(T::Hours)}</h2>
                <table class="hours">{week.collect_view()}</table>
            })}
            <p class="muted">{t(T::Languages)}": "{language_list(&resource.languages)}</p>
            {eligibility.map(|(e, lang)| view! { <h2>{t(T::Eligibility)}</h2><p lang=lang>{e}</p> })}
            {resource.cost.map(|c| view! { <h2>{t(T::Cost)}</h2><p>{c}</p> })}
            <p class="muted">{T::LastVerified.fill(&[("date", &format::date(resource.last_verified))])}</p>
        </article>
    }
}
