//! The map: upcoming events, the resources the Resources filters let through, and active alerts,
//! drawn by the map chunk (`map/`, Leaflet plus our bindings and clustering).
//!
//! The chunk is not in the first load: the first time this page opens, its stylesheets and
//! scripts are added to the document (`/map/...`, kept by the service worker from then on), and
//! the chunk's `MapView` is reached through the global its script defines. This page only hands
//! it arrays of places; it never sends anything anywhere. The tile server (from the server's
//! config, kept for offline use) is the one third party the map talks to.

use std::cell::RefCell;

use js_sys::{Array, Function, Object, Reflect};
use leptos::html::Div;
use leptos::prelude::*;
use vecinos_core::chunk::{MapWords, PlaceKind};
use vecinos_core::geo::{self, LatLon};
use vecinos_core::model::{active_alerts, upcoming};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::{locate, resources::local_now, shown};
use crate::api::Config;
use crate::format;
use crate::i18n::{self, T, t};
use crate::route::{Link, Route, go};
use crate::state::{Clock, Filters, Listings};

#[wasm_bindgen]
extern "C" {
    /// The map chunk's start, a global its script defines (wasm-bindgen's `no-modules` output).
    #[wasm_bindgen(js_name = wasm_bindgen)]
    fn start_chunk(options: &Object) -> js_sys::Promise;

    /// `map/src/lib.rs`'s `MapView`.
    #[wasm_bindgen(js_namespace = wasm_bindgen)]
    type MapView;
    #[wasm_bindgen(constructor, js_namespace = wasm_bindgen)]
    fn new(
        container: &web_sys::HtmlElement,
        bar: &web_sys::HtmlElement,
        tiles: &str,
        attribution: &str,
        words: &Object,
        open: &Function,
        centre: &[f64],
    ) -> MapView;
    /// `kinds` are `PlaceKind` bytes.
    #[wasm_bindgen(method)]
    fn show(this: &MapView, kinds: &[u8], corners: &[f64], texts: &Array, fit: bool);
    #[wasm_bindgen(static_method_of = MapView, js_namespace = wasm_bindgen)]
    fn small(
        container: &web_sys::HtmlElement,
        tiles: &str,
        attribution: &str,
        corners: &[f64],
    ) -> MapView;
    #[wasm_bindgen(static_method_of = MapView, js_namespace = wasm_bindgen)]
    fn picker(
        container: &web_sys::HtmlElement,
        tiles: &str,
        attribution: &str,
        at: &[f64],
        moved: &Function,
        zoom_in: &str,
        zoom_out: &str,
    ) -> MapView;
    #[wasm_bindgen(method)]
    fn locate(this: &MapView, lat: f64, lon: f64);
    #[wasm_bindgen(method)]
    fn remove(this: &MapView);
    #[wasm_bindgen(method)]
    fn free(this: &MapView);
}

/// How far the chunk's loading has come, so that a failed try (offline the first time) resumes
/// where it stopped: a script must never run twice.
#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Loaded {
    Nothing,
    Leaflet,
    Script,
    Started,
}

thread_local! {
    static CHUNK: RefCell<Loaded> = const { RefCell::new(Loaded::Nothing) };
}

async fn load_chunk() -> Result<(), JsValue> {
    let stage = CHUNK.with(|c| *c.borrow());
    let reached = |stage: Loaded| CHUNK.with(|c| *c.borrow_mut() = stage);
    if stage < Loaded::Leaflet {
        let styles = Array::of2(
            &add("link", "href", "/map/leaflet.css")?.into(),
            &add("link", "href", "/map/map.css")?.into(),
        );
        // Both awaited as one, so neither failure goes unhandled.
        JsFuture::from(js_sys::Promise::all(&styles)).await?;
        JsFuture::from(add("script", "src", "/map/leaflet.js")?).await?;
        reached(Loaded::Leaflet);
    }
    if stage < Loaded::Script {
        JsFuture::from(add("script", "src", "/map/vecinos_map.js")?).await?;
        reached(Loaded::Script);
    }
    if stage < Loaded::Started {
        let options = Object::new();
        Reflect::set(
            &options,
            &"module_or_path".into(),
            &"/map/vecinos_map_bg.wasm".into(),
        )?;
        JsFuture::from(start_chunk(&options)).await?;
        reached(Loaded::Started);
    }
    Ok(())
}

/// Adds a stylesheet link or a script to the document; the promise settles when it has loaded
/// or failed. A failed one is taken out again, so the next try adds it afresh.
fn add(tag: &str, attribute: &str, url: &str) -> Result<js_sys::Promise, JsValue> {
    let document = document();
    let element: web_sys::HtmlElement = document.create_element(tag)?.unchecked_into();
    element.set_attribute(attribute, url)?;
    if tag == "link" {
        element.set_attribute("rel", "stylesheet")?;
    }
    let head = document.head().ok_or("the page has no head")?;
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        element.set_onload(Some(&resolve));
        let added = element.clone();
        let failed = Closure::once_into_js(move || {
            added.remove();
            let _ = reject.call0(&JsValue::NULL);
        });
        element.set_onerror(Some(failed.unchecked_ref()));
    });
    head.append_child(&element)?;
    Ok(promise)
}

/// The map chunk loaded and the config to draw with; None when the chunk cannot be had (`note`
/// says so) or the page was left meanwhile (`note` is gone: nothing to draw into).
async fn ready(note: RwSignal<Option<T>>) -> Option<Config> {
    let setup = config();
    if load_chunk().await.is_err() {
        note.try_set(Some(T::MapFailed));
        return None;
    }
    let setup = setup.await;
    (!note.is_disposed()).then_some(setup)
}

/// The server's config when online (kept for later), else the last one kept.
async fn config() -> Config {
    if window().navigator().on_line()
        && let Ok(config) = Config::refresh().await
    {
        return config;
    }
    Config::kept().unwrap_or(Config::NONE)
}

/// The map's words in the person's language, as the chunk takes them: an object, by name.
fn words() -> Object {
    let words = MapWords {
        details: t(T::MapDetails).into(),
        zoom_in: t(T::MapZoomIn).into(),
        here: t(T::MapHere).into(),
        event: t(T::MapEvent).into(),
        resource: t(T::MapResource).into(),
        alert: t(T::MapAlert).into(),
        layers: t(T::MapLayers).into(),
        events: t(T::TabEvents).into(),
        resources: t(T::TabResources).into(),
        alerts: t(T::TabAlerts).into(),
        no_tiles: t(T::MapNoTiles).into(),
        legend: t(T::MapLegend).into(),
        group: t(T::MapLegendGroup).into(),
        alert_area: t(T::MapLegendAlert).into(),
        zoom_in_button: t(T::MapZoomInButton).into(),
        zoom_out_button: t(T::MapZoomOutButton).into(),
        close: t(T::MapClose).into(),
    };
    let object = Object::new();
    for (name, word) in words.named() {
        let _ = Reflect::set(&object, &name.into(), &word.into());
    }
    object
}

/// The places to draw, as the chunk takes them (see `map/src/lib.rs`), and what was left off.
#[derive(PartialEq, Default)]
struct Places {
    kinds: Vec<u8>,
    corners: Vec<f64>,
    texts: Vec<String>,
    /// Resources and alerts shown in the lists that have no place to draw.
    unplaced: usize,
}

impl Places {
    fn push(&mut self, kind: PlaceKind, corners: [f64; 4], title: &str, line: String, to: Route) {
        let [s, w, n, e] = corners;
        self.kinds.push(kind.byte());
        self.corners.extend([s, w, n, e]);
        self.texts.extend([title.to_owned(), line, to.path()]);
    }
}

fn places(listings: Listings, filters: Filters, now_ms: f64) -> Places {
    let now = chrono::DateTime::from_timestamp_millis(now_ms as i64).unwrap_or_default();
    let mut out = Places::default();
    let point = |lat, lon| [lat, lon, lat, lon];
    listings.events.with(|events| {
        for e in upcoming(events, now) {
            if let Some(p) = &e.place {
                let when = format::when(e.starts_at, &e.time_zone);
                let to = Route::Event(e.id);
                let (title, _) = shown(&e.translations, "title", &e.title, e.text_language());
                out.push(PlaceKind::Event, point(p.lat, p.lon), &title, when, to);
            }
        }
    });
    let set = listings.resources.get();
    let filter = filters.resources.get();
    for i in set.index.filter(&set.list, &filter, local_now(), None) {
        let r = &set.list[i];
        match &r.place {
            Some(p) => {
                let line = t(i18n::category(r.category)).to_owned();
                let to = Route::Resource(r.id);
                let (name, _) = shown(&r.translations, "name", &r.name, r.text_language());
                out.push(PlaceKind::Resource, point(p.lat, p.lon), &name, line, to);
            }
            None => out.unplaced += 1,
        }
    }
    listings.alerts.with(|alerts| {
        for a in active_alerts(alerts, now) {
            match a.area.as_deref().map(geo::decode) {
                Some(Ok(cell)) => {
                    let corners = [cell.min_lat, cell.min_lon, cell.max_lat, cell.max_lon];
                    let line = t(i18n::report_kind(a.kind)).to_owned();
                    out.push(PlaceKind::Alert, corners, &a.summary, line, Route::Alerts);
                }
                _ => out.unplaced += 1,
            }
        }
    });
    out
}

#[component]
pub fn MapPage() -> impl IntoView {
    let listings = expect_context::<Listings>();
    let filters = expect_context::<Filters>();
    let Clock(now) = expect_context::<Clock>();
    let container = NodeRef::<Div>::new();
    // Left empty here: the map chunk puts its layer switches in it.
    let bar = NodeRef::<Div>::new();
    // The map, with the callback it holds, once the chunk is there.
    let map_view = StoredValue::new_local(None::<(MapView, Closure<dyn FnMut(JsValue)>)>);
    // Loading, failed, or nothing to say (the map is up).
    let note = RwSignal::new(Some(T::MapLoading));
    let position_error = RwSignal::new(false);
    let shown = Memo::new(move |_| places(listings, filters, now.get()));
    let unplaced = move || shown.with(|p| p.unplaced);

    // The chunk calls back outside any reactive scope; moving the app needs this page's owner.
    let owner = Owner::current();
    Effect::new(move || {
        let owner = owner.clone();
        let (Some(element), Some(bar)) = (container.get(), bar.get()) else {
            return;
        };
        // Read here, where the language is known: the task below runs outside this page.
        let words = words();
        leptos::task::spawn_local(async move {
            let Some(setup) = ready(note).await else {
                return;
            };
            let open = Closure::<dyn FnMut(JsValue)>::new(move |path: JsValue| {
                if let (Some(path), Some(owner)) = (path.as_string(), &owner) {
                    owner.with(|| go(Route::from_path(&path)));
                }
            });
            let map = MapView::new(
                &element,
                &bar,
                &setup.tiles,
                &setup.attribution,
                &words,
                open.as_ref().unchecked_ref(),
                &setup.centre,
            );
            map_view.set_value(Some((map, open)));
            note.set(None);
        });
    });
    // The places whenever they change (the first time, the view fits them), and "Near me": the
    // map moves to the phone's position, which goes no further than the map.
    let done = StoredValue::new((false, None::<LatLon>));
    Effect::new(move || {
        if note.get().is_some() {
            return;
        }
        let near = filters.near.get();
        let (fitted, located) = done.get_value();
        map_view.with_value(|v| {
            let Some((v, _)) = v else {
                return;
            };
            shown.with(|p| {
                let texts = p.texts.iter().map(|s| JsValue::from_str(s));
                let fit = !fitted && !p.kinds.is_empty();
                v.show(&p.kinds, &p.corners, &texts.collect(), fit);
                if let Some(LatLon { lat, lon }) = near.filter(|_| near != located) {
                    v.locate(lat, lon);
                }
                done.set_value((fitted || fit, near));
            });
        });
    });
    on_cleanup(move || {
        map_view.update_value(|v| {
            if let Some((v, _)) = v.take() {
                v.remove();
                v.free();
            }
        });
    });

    let filter = filters.resources;
    let search = move |ev: leptos::ev::Event| {
        let query = event_target_value(&ev);
        filter.update(|f| f.query = query);
    };
    let filtered =
        move || filter.with(|f| f.category.is_some() || f.language.is_some() || f.open_now);
    view! {
        <div class="map-head">
            <h1>{t(T::TabMap)}</h1>
            <button type="button" class="chip" on:click=move |_| {
                // Centred again on each tap, even if the phone has not moved.
                done.update_value(|d| d.1 = None);
                locate(filters.near, position_error);
            }>
                {t(T::NearMe)}
            </button>
        </div>
        <div class="filters">
            <label class="search">
                <span class="visually-hidden">{t(T::Search)}</span>
                <input type="search" placeholder=t(T::SearchHint) autocomplete="off"
                    prop:value=move || filter.with(|f| f.query.clone()) on:input=search />
            </label>
            {move || filtered().then(|| view! {
                <p class="note">{t(T::MapFiltered)} " " <Link to=Route::Resources>{t(T::ChangeFilters)}</Link></p>
            })}
        </div>
        {move || note.get().map(|n| view! { <p class="map-note" role="status">{t(n)}</p> })}
        {move || position_error.get().then(|| view! { <p class="map-note">{t(T::NoPosition)}</p> })}
        <div class="map-bar" node_ref=bar></div>
        <div class="map" node_ref=container role="region" aria-label=t(T::MapLabel)></div>
        {move || filters.near.with(Option::is_some).then(|| view! { <p class="note">{t(T::PositionStays)}</p> })}
        {move || (unplaced() > 0).then(|| view! {
            <p class="note">{T::MapNotPlaced.fill(&[("n", &format::number(unplaced()))])}</p>
        })}
    }
}

/// A report's area on a small still map, for triage: shown when the organiser asks, so that a
/// long queue loads neither the map chunk nor tiles until then. The place in words is the
/// card's heading, just above.
#[component]
pub fn AreaMap(area: String) -> impl IntoView {
    let open = RwSignal::new(false);
    let corners = geo::decode(&area)
        .ok()
        .map(|c| vec![c.min_lat, c.min_lon, c.max_lat, c.max_lon]);
    corners.map(|corners| {
        let label = t(T::MapAreaLabel).to_owned();
        view! {
            <button type="button" class="action" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>{t(T::MapAreaShow)}</button>
            {move || open.get().then(|| view! { <SmallMap corners=corners.clone() label=label.clone() /> })}
        }
    })
}

/// "The reports on a map", for triage: the areas of the reports listed, on one still map, on
/// request. Reports with no area are left out, and the map says how many it shows.
#[component]
pub fn ReportsMap(areas: Signal<Vec<String>>) -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <button type="button" class="action" aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|o| *o = !*o)>{t(T::ReportsMapShow)}</button>
        {move || open.get().then(|| {
            let cells: Vec<_> = areas.get().iter().filter_map(|a| geo::decode(a).ok()).collect();
            let label = T::ReportsMapLabel.fill(&[("n", &format::number(cells.len()))]);
            let corners = cells.iter().flat_map(|c| [c.min_lat, c.min_lon, c.max_lat, c.max_lon]).collect();
            view! {
                <p class="note">{label.clone()}</p>
                <SmallMap corners label />
            }
        })}
    }
}

#[component]
fn SmallMap(corners: Vec<f64>, label: String) -> impl IntoView {
    let container = NodeRef::<Div>::new();
    let map_view = StoredValue::new_local(None::<MapView>);
    let note = RwSignal::new(Some(T::MapLoading));
    Effect::new(move || {
        let Some(element) = container.get() else {
            return;
        };
        let corners = corners.clone();
        leptos::task::spawn_local(async move {
            let Some(setup) = ready(note).await else {
                return;
            };
            let map = MapView::small(&element, &setup.tiles, &setup.attribution, &corners);
            map_view.set_value(Some(map));
            note.set(None);
        });
    });
    on_cleanup(move || {
        map_view.update_value(|v| {
            if let Some(v) = v.take() {
                v.remove();
                v.free();
            }
        });
    });
    view! {
        {move || note.get().map(|n| view! { <p class="map-note" role="status">{t(n)}</p> })}
        <div class="map map-small" node_ref=container role="img" aria-label=label></div>
    }
}

/// A listing's point on a map, on request: the pin is dragged or the map tapped, and the
/// coordinates follow (rounded to about a metre). It starts at the point typed, else at the
/// region's centre.
#[component]
pub fn PointPicker(lat: RwSignal<String>, lon: RwSignal<String>) -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <button type="button" class="action" aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|o| *o = !*o)>{t(T::PointOnMap)}</button>
        {move || open.get().then(|| view! { <PickerMap lat lon /> })}
    }
}

#[component]
fn PickerMap(lat: RwSignal<String>, lon: RwSignal<String>) -> impl IntoView {
    let container = NodeRef::<Div>::new();
    let map_view = StoredValue::new_local(None::<(MapView, Closure<dyn FnMut(f64, f64)>)>);
    let note = RwSignal::new(Some(T::MapLoading));
    Effect::new(move || {
        let Some(element) = container.get() else {
            return;
        };
        leptos::task::spawn_local(async move {
            let Some(setup) = ready(note).await else {
                return;
            };
            let typed = lat
                .get_untracked()
                .trim()
                .parse::<f64>()
                .ok()
                .zip(lon.get_untracked().trim().parse::<f64>().ok());
            let at = match typed {
                Some((la, lo)) => [la, lo, 16.0],
                None => setup.centre,
            };
            let moved = Closure::<dyn FnMut(f64, f64)>::new(move |la: f64, lo: f64| {
                // Five decimals: about a metre, enough for a door.
                lat.try_set(format!("{la:.5}"));
                lon.try_set(format!("{lo:.5}"));
            });
            let map = MapView::picker(
                &element,
                &setup.tiles,
                &setup.attribution,
                &at,
                moved.as_ref().unchecked_ref(),
                t(T::MapZoomInButton),
                t(T::MapZoomOutButton),
            );
            map_view.set_value(Some((map, moved)));
            note.set(None);
        });
    });
    on_cleanup(move || {
        map_view.update_value(|v| {
            if let Some((v, _)) = v.take() {
                v.remove();
                v.free();
            }
        });
    });
    view! {
        {move || note.get().map(|n| view! { <p class="map-note" role="status">{t(n)}</p> })}
        <div class="map map-small map-picker" node_ref=container role="application" aria-label=t(T::PointOnMapLabel)></div>
    }
}
