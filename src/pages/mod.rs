//! The pages. They render what `Listings` holds (read from the cache) and never wait for the
//! network. What few people open, or only organisers, is in WASM chunks of its own (`lazy`):
//! Report, Organise and editing, an organiser's alert actions, and turning on push.

mod alerts;
mod events;
mod listing;
mod map;
mod organise;
mod push;
mod report;
mod resources;
mod revise;
mod rights;
mod share;
mod team;

pub use alerts::{AlertsPage, active_count};
pub use events::{EventPage, EventsPage};
pub use listing::{EditPage, NewPage};
pub use map::MapPage;
pub use organise::OrganisePage;
use organise::{EditLink, OrganiserLink};
use push::PushChoice;
pub use report::ReportPage;
pub use resources::{ResourcePage, ResourcesPage};
pub use rights::{CardPage, RightsPage};
use share::{HotlineLink, ShareButton};
pub use team::JoinPage;

use chrono::{DateTime, Utc};
use js_sys::Math;
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use vecinos_core::geo::{EARTH_RADIUS_M, LatLon};
use vecinos_core::{Place, Translations};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::i18n::{self, T, t};
use crate::route::{Link, Route};
use crate::state::Listings;
use crate::{exit, format};

/// "Loading…" until the cache has been read (or `early` says there is something to show
/// already), then the page.
#[component]
fn Loaded(
    children: ChildrenFn,
    #[prop(optional, into)] early: Option<Signal<bool>>,
) -> impl IntoView {
    let listings = expect_context::<Listings>();
    let ready = Memo::new(move |_| listings.loaded.get() || early.is_some_and(|e| e.get()));
    view! {
        {move || if ready.get() {
            children().into_any()
        } else {
            view! { <p class="empty">{t(T::Loading)}</p> }.into_any()
        }}
        {move || {
            let unreadable = listings.unreadable.get();
            (unreadable > 0).then(|| view! {
                <p class="note">{T::Unreadable.fill(&[("n", &format::number(unreadable))])}</p>
            })
        }}
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

/// A detail page's way back to its list, and the message for a record that is gone.
#[component]
fn BackTo(to: Route) -> impl IntoView {
    view! { <Link to class="back">"← " {t(T::Back)}</Link> }
}

/// A part of the app that sits in a WASM chunk of its own (cut by xtask/src/split.rs) could not
/// be fetched.
pub struct NotLoaded;

impl From<SplitLoaderError> for NotLoaded {
    fn from(_: SplitLoaderError) -> Self {
        NotLoaded
    }
}

/// What `load` brings from a chunk: "Loading…" until it is there. A chunk is fetched when first
/// needed and precached by the service worker after the first visit; one that cannot be fetched
/// (offline before the worker has kept it) says so, with a way to try again.
pub fn lazy<F>(load: impl Fn() -> F + Send + Sync + 'static) -> AnyView
where
    F: Future<Output = Result<AnyView, NotLoaded>> + Send + 'static,
{
    let attempt = RwSignal::new(0_u32);
    (move || {
        attempt.track();
        let loading = load();
        view! {
            <Suspense fallback=|| view! { <p class="empty">{t(T::Loading)}</p> }>
                {Suspend::new(async move {
                    loading.await.unwrap_or_else(|NotLoaded| view! {
                        <p class="empty">{t(T::NotLoaded)}</p>
                        <button type="button" class="action" on:click=move |_| attempt.update(|n| *n += 1)>
                            {t(T::TryAgain)}
                        </button>
                    }.into_any())
                })}
            </Suspense>
        }
    })
    .into_any()
}

/// A random (version 4) id from the browser's `crypto.randomUUID`.
fn new_id() -> Option<uuid::Uuid> {
    let id = window().crypto().ok()?.random_uuid();
    uuid::Uuid::parse_str(&id).ok()
}

#[component]
fn Gone(to: Route) -> impl IntoView {
    view! {
        <BackTo to />
        <p class="empty">{t(T::Gone)}</p>
    }
}

/// Directions from wherever the person is, in OpenStreetMap: opened only when tapped, and only
/// the destination is in the link.
fn directions(place: &Place) -> String {
    format!(
        "https://www.openstreetmap.org/directions?route=%3B{}%2C{}",
        five_decimals(place.lat),
        five_decimals(place.lon)
    )
}

/// `x` to five decimals (about a metre), with integer formatting only: Rust's float formatting
/// would add kilobytes to the WASM.
fn five_decimals(x: f64) -> String {
    let scaled = (x * 100_000.0).round() as i64;
    let sign = if scaled < 0 { "-" } else { "" };
    let n = scaled.unsigned_abs();
    format!("{sign}{}.{:05}", n / 100_000, n % 100_000)
}

/// A listing's text field as this phone shows it: the organisers' translation into the interface
/// language if they wrote one, else the listing's own; with the language it is in, for the
/// element's `lang` (screen readers read it in that language's voice).
fn shown(translations: &Translations, field: &str, own: &str, own_lang: &str) -> (String, String) {
    let (text, lang) =
        vecinos_core::text_in(translations, i18n::lang().code(), field, own, own_lang);
    (text.to_owned(), lang.to_owned())
}

/// "Written in English", under a listing whose text is not all in the interface language: `langs`
/// are the languages of the texts shown (see [`shown`]); the first other than the interface's is
/// named (only the listing's own can be).
#[component]
fn WrittenIn(langs: Vec<String>) -> impl IntoView {
    let here = i18n::lang().code();
    langs.into_iter().find(|l| l != here).map(|lang| {
        let name = format::language_name(&lang);
        view! { <p class="muted written-in">{T::WrittenIn.fill(&[("language", &name)])}</p> }
    })
}

fn language_list(codes: &[String]) -> String {
    codes
        .iter()
        .map(|c| format::language_name(c))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Asks the browser for the phone's position, once. It is kept in memory only: for sorting, or
/// to be coarsened into a report's area.
fn locate(near: RwSignal<Option<LatLon>>, failed: RwSignal<bool>) {
    let Ok(geolocation) = window().navigator().geolocation() else {
        failed.set(true);
        return;
    };
    let found = Closure::once_into_js(move |position: JsValue| {
        let number = |path: [&str; 2]| {
            let coords = js_sys::Reflect::get(&position, &path[0].into()).ok()?;
            js_sys::Reflect::get(&coords, &path[1].into())
                .ok()?
                .as_f64()
        };
        let here = number(["coords", "latitude"]).zip(number(["coords", "longitude"]));
        failed.set(here.is_none());
        near.set(here.map(|(lat, lon)| LatLon { lat, lon }));
    });
    let refused = Closure::once_into_js(move || failed.set(true));
    if geolocation
        .get_current_position_with_error_callback(
            found.unchecked_ref(),
            Some(refused.unchecked_ref()),
        )
        .is_err()
    {
        failed.set(true);
    }
}

/// The phone's clock.
fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// The great-circle distance in metres: `vecinos_core::geo::distance_m`'s haversine, with the
/// browser's Math for the trigonometry. Rust's own sin and cos would add about 8 KB of libm to
/// the WASM for the few thousand calls a "nearest first" list makes.
fn metres_between(a: LatLon, b: LatLon) -> f64 {
    let (lat_a, lat_b) = (a.lat.to_radians(), b.lat.to_radians());
    let half_d_lat = ((lat_b - lat_a) / 2.0).abs();
    let half_d_lon = ((b.lon.to_radians() - a.lon.to_radians()) / 2.0).abs();
    let h = Math::sin(half_d_lat).powi(2)
        + Math::cos(lat_a) * Math::cos(lat_b) * Math::sin(half_d_lon).powi(2);
    let h = h.clamp(0.0, 1.0);
    2.0 * EARTH_RADIUS_M * Math::atan2(h.sqrt(), (1.0 - h).sqrt())
}

/// The browser's Math runs in Chromium only (`cargo test --target wasm32-unknown-unknown`).
#[cfg(all(test, target_arch = "wasm32"))]
mod browser {
    use super::*;
    use vecinos_core::geo::distance_m;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn distances_agree_with_core() {
        let places = [
            (44.9778, -93.2650),
            (44.9537, -93.0900),
            (-33.8688, 151.2093),
            (51.5072, -0.1276),
            (0.0, 179.9999),
            (0.0, -179.9999),
            (89.9, 10.0),
        ];
        for (lat, lon) in places {
            for (lat2, lon2) in places {
                let (a, b) = (
                    LatLon { lat, lon },
                    LatLon {
                        lat: lat2,
                        lon: lon2,
                    },
                );
                let (ours, core) = (metres_between(a, b), distance_m(a, b));
                assert!((ours - core).abs() < 1e-6, "{a:?} {b:?}: {ours} vs {core}");
            }
        }
        assert!(
            metres_between(
                LatLon {
                    lat: f64::NAN,
                    lon: 0.0
                },
                LatLon { lat: 0.0, lon: 0.0 }
            )
            .is_nan()
        );
    }
}
