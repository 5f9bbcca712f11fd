//! The map chunk: Leaflet bindings, and the markers and clusters drawn with them.
//!
//! It is a WASM module of its own, loaded with Leaflet only when the map is first opened, so the
//! app's first load does not carry it (ARCHITECTURE.md, "The map"). The app hands it plain arrays
//! (`MapView::show`): a kind per place, a box per place (south, west, north, east; a point has
//! equal corners) and three texts per place (title, one line, the app path of its page).
//!
//! Only what is on screen is drawn: after every move the places in view are grouped by
//! `vecinos_core::cluster` and the layer of markers is rebuilt, so 5,000 places cost no more DOM
//! than the few dozen markers a phone screen holds. Events and resources are pins; alerts are
//! never clustered: each is drawn in a pane of its own above the markers and clusters, as its
//! area (a geohash cell; while that cell is only a few pixels across, as a circle a fingertip
//! wide around it) with a red diamond in the middle, so it can be seen and tapped at every zoom.
//! A legend beside the layer switches says what the shapes mean. Every marker is a button with a
//! label, so the map works with a keyboard and a screen reader; the lists stay the way to
//! everything on it. `MapView::small` is a still map of one area, for the triage screen.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use js_sys::{Array, Function, Object, Reflect};
use vecinos_core::chunk::{MapWords, PlaceKind};
use vecinos_core::cluster::{self, View, project, unproject};
use vecinos_core::geo::LatLon;
use vecinos_core::text::fill;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement, MouseEvent};

/// Screen pixels per clustering cell: about a fingertip and a half.
const CELL_PX: f64 = 56.0;
/// The widest icon (a cluster of 100 or more): groups closer than this are merged, so no icon
/// lies over another.
const APART_PX: f64 = 48.0;
/// The closest zoom; places still together here are listed in one popup.
const MAX_ZOOM: f64 = 18.0;
/// The smallest an alert's area is drawn, in screen pixels across.
const MIN_AREA_PX: f64 = 44.0;
/// The alert's marker, in screen pixels across.
const ALERT_PX: f64 = 26.0;
/// The pane alerts are drawn in: above the markers and clusters (600), below popups (700).
const ALERT_PANE: &str = "alerts";
/// The closest a small map of one area zooms: the streets around it stay in view.
const SMALL_ZOOM: f64 = 15.0;
/// "Near me" zooms in at least this far.
const NEAR_ZOOM: f64 = 15.0;

#[wasm_bindgen]
extern "C" {
    /// `L.Map`.
    type LeafletMap;
    #[wasm_bindgen(js_namespace = L, js_name = map)]
    fn leaflet_map(container: &HtmlElement, options: &Object) -> LeafletMap;
    #[wasm_bindgen(method, js_name = setView)]
    fn set_view(this: &LeafletMap, centre: &Array, zoom: f64);
    #[wasm_bindgen(method, js_name = fitBounds)]
    fn fit_bounds(this: &LeafletMap, bounds: &Array, options: &Object);
    #[wasm_bindgen(method, js_name = getZoom)]
    fn zoom(this: &LeafletMap) -> f64;
    #[wasm_bindgen(method, js_name = getBounds)]
    fn bounds(this: &LeafletMap) -> LatLngBounds;
    #[wasm_bindgen(method)]
    fn on(this: &LeafletMap, events: &str, listener: &Function);
    #[wasm_bindgen(method, js_name = openPopup)]
    fn open_popup(this: &LeafletMap, content: &Element, at: &Array, options: &Object);
    #[wasm_bindgen(method)]
    fn remove(this: &LeafletMap);
    #[wasm_bindgen(method, js_name = createPane)]
    fn create_pane(this: &LeafletMap, name: &str);

    /// `L.LatLngBounds`.
    type LatLngBounds;
    #[wasm_bindgen(method, js_name = getSouth)]
    fn south(this: &LatLngBounds) -> f64;
    #[wasm_bindgen(method, js_name = getWest)]
    fn west(this: &LatLngBounds) -> f64;
    #[wasm_bindgen(method, js_name = getNorth)]
    fn north(this: &LatLngBounds) -> f64;
    #[wasm_bindgen(method, js_name = getEast)]
    fn east(this: &LatLngBounds) -> f64;

    /// Any Leaflet layer or control: markers, rectangles, groups, tiles, the scale.
    type Layer;
    #[wasm_bindgen(js_namespace = L, js_name = layerGroup)]
    fn layer_group() -> Layer;
    #[wasm_bindgen(js_namespace = L, js_name = marker)]
    fn marker(at: &Array, options: &Object) -> Layer;
    #[wasm_bindgen(js_namespace = L, js_name = divIcon)]
    fn div_icon(options: &Object) -> JsValue;
    #[wasm_bindgen(js_namespace = L, js_name = circleMarker)]
    fn circle_marker(at: &Array, options: &Object) -> Layer;
    #[wasm_bindgen(js_namespace = L, js_name = rectangle)]
    fn rectangle(corners: &Array, options: &Object) -> Layer;
    #[wasm_bindgen(js_namespace = L, js_name = tileLayer)]
    fn tile_layer(template: &str, options: &Object) -> Layer;
    #[wasm_bindgen(js_namespace = ["L", "control"], js_name = scale)]
    fn scale(options: &Object) -> Layer;
    #[wasm_bindgen(js_namespace = ["L", "control"], js_name = zoom)]
    fn zoom_control(options: &Object) -> Layer;
    #[wasm_bindgen(method, js_name = addTo)]
    fn add_to(this: &Layer, map: &LeafletMap);
    #[wasm_bindgen(method, js_name = addLayer)]
    fn add_layer(this: &Layer, layer: &Layer);
    #[wasm_bindgen(method, js_name = remove)]
    fn remove_from_map(this: &Layer);
    #[wasm_bindgen(method, js_name = clearLayers)]
    fn clear_layers(this: &Layer);
    #[wasm_bindgen(method, js_name = on)]
    fn on_layer(this: &Layer, events: &str, listener: &Function);
    #[wasm_bindgen(method, js_name = getElement)]
    fn element(this: &Layer) -> Option<Element>;
    #[wasm_bindgen(method, js_name = getLatLng)]
    fn lat_lng(this: &Layer) -> JsValue;
    #[wasm_bindgen(method, js_name = setLatLng)]
    fn set_lat_lng(this: &Layer, at: &JsValue);
    #[wasm_bindgen(js_namespace = L, js_name = control)]
    fn control(options: &Object) -> Layer;
    #[wasm_bindgen(js_namespace = ["L", "DomEvent"], js_name = disableClickPropagation)]
    fn no_click_through(element: &Element);
}

/// A place's CSS class: a pin for events and resources, a diamond for an alert (its area is
/// `area-alert`).
fn class(kind: PlaceKind) -> &'static str {
    match kind {
        PlaceKind::Event => "pin pin-event",
        PlaceKind::Resource => "pin pin-resource",
        PlaceKind::Alert => "pin pin-alert",
    }
}

struct Place {
    kind: PlaceKind,
    /// South, west, north, east.
    corners: [f64; 4],
    title: String,
    line: String,
    path: String,
}

struct Inner {
    map: LeafletMap,
    container: HtmlElement,
    /// The markers of the current view, rebuilt after every move.
    drawn: Layer,
    /// The alerts, in their own pane above the markers, also rebuilt after every move.
    alerts: Layer,
    places: Vec<Place>,
    /// Each place's centre in world units, as `cluster` wants it.
    points: Vec<(f64, f64)>,
    words: MapWords,
    /// Kinds switched off in the layers control.
    hidden: [bool; 3],
    /// The "you are here" dot, on the phone only.
    here: Option<Layer>,
    /// Listeners of the markers now drawn; replaced with them.
    marker_listeners: Vec<Closure<dyn FnMut(JsValue)>>,
    this: Weak<RefCell<Inner>>,
}

/// A Leaflet map with the app's places on it, drawn into the element it is given.
#[wasm_bindgen]
pub struct MapView {
    inner: Rc<RefCell<Inner>>,
    _listeners: Vec<Closure<dyn FnMut(JsValue)>>,
}

#[wasm_bindgen]
impl MapView {
    /// A map in `container` centred at `centre` (latitude, longitude, zoom), its layer switches in
    /// `bar` (an empty element above it, so they never cover a popup), with tiles from
    /// `tiles` (a `{z}/{x}/{y}` template; empty for none). `words` is an object holding
    /// `vecinos_core::chunk::MapWords` by name. `open(path)` is called when a place's link is followed.
    #[wasm_bindgen(constructor)]
    pub fn new(
        container: HtmlElement,
        bar: HtmlElement,
        tiles: &str,
        attribution: &str,
        words: Object,
        open: Function,
        centre: &[f64],
    ) -> MapView {
        let words =
            MapWords::from_named(|name| Reflect::get(&words, &name.into()).ok()?.as_string());
        let map = leaflet_map(
            &container,
            &options(&[
                ("maxZoom", MAX_ZOOM.into()),
                ("minZoom", 2.0.into()),
                ("keyboard", true.into()),
                ("zoomControl", false.into()),
            ]),
        );
        // Leaflet's zoom buttons, in the app's language.
        zoom_control(&options(&[
            ("zoomInTitle", words.zoom_in_button.as_str().into()),
            ("zoomOutTitle", words.zoom_out_button.as_str().into()),
        ]))
        .add_to(&map);
        let at = |i: usize, default: f64| centre.get(i).copied().unwrap_or(default);
        map.set_view(&pair(at(0, 0.0), at(1, 0.0)), at(2, 2.0));
        scale(&options(&[("imperial", false.into())])).add_to(&map);
        let mut listeners = Vec::new();
        // Shown while tiles cannot be had: the markers stay, on the plain background.
        let note = element("p", "map-note", &words.no_tiles);
        let _ = note.set_attribute("role", "status");
        add_control(&map, "bottomleft", &note);
        listeners.extend(tile_layer_with_status(&map, tiles, attribution, note));
        let inner = Inner::create(map, container.clone(), words);
        let weak = Rc::downgrade(&inner);
        let redraw = Closure::<dyn FnMut(JsValue)>::new(move |_| {
            if let Some(inner) = weak.upgrade() {
                Inner::draw(&inner);
            }
        });
        inner
            .borrow()
            .map
            .on("moveend", redraw.as_ref().unchecked_ref());
        listeners.push(redraw);
        listeners.push(layer_switches(&inner, &bar));
        legend(&inner.borrow().words, &bar);
        // A place's "Details" link moves the app instead of loading a page. Listened for in the
        // capture phase, before Leaflet's own handlers see the click.
        let follow = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let Ok(event) = event.dyn_into::<MouseEvent>() else {
                return;
            };
            if event.ctrl_key() || event.meta_key() || event.shift_key() || event.button() != 0 {
                return;
            }
            let link = event
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|t| t.closest("a.open").ok().flatten());
            if let Some(path) = link.and_then(|l| l.get_attribute("href")) {
                event.prevent_default();
                let _ = open.call1(&JsValue::NULL, &path.into());
            }
        });
        let _ = container.add_event_listener_with_callback_and_bool(
            "click",
            follow.as_ref().unchecked_ref(),
            true,
        );
        listeners.push(follow);
        MapView {
            inner,
            _listeners: listeners,
        }
    }

    /// A still map of areas (south, west, north, east, four numbers each) in `container`, for
    /// the triage screen: no panning or zooming (the page scrolls over it), each area drawn as
    /// an alert's is and the streets around them in view.
    pub fn small(
        container: HtmlElement,
        tiles: &str,
        attribution: &str,
        corners: &[f64],
    ) -> MapView {
        let still = JsValue::FALSE;
        let map = leaflet_map(
            &container,
            &options(&[
                ("maxZoom", MAX_ZOOM.into()),
                ("zoomControl", still.clone()),
                ("dragging", still.clone()),
                ("touchZoom", still.clone()),
                ("scrollWheelZoom", still.clone()),
                ("doubleClickZoom", still.clone()),
                ("boxZoom", still.clone()),
                ("keyboard", still),
            ]),
        );
        let note = element("p", "map-note", "");
        let listeners = tile_layer_with_status(&map, tiles, attribution, note);
        let inner = Inner::create(map, container, MapWords::default());
        let all = corners.chunks_exact(4).fold(None::<[f64; 4]>, |b, c| {
            Some(match b {
                None => [c[0], c[1], c[2], c[3]],
                Some([s, w, n, e]) => [c[0].min(s), c[1].min(w), c[2].max(n), c[3].max(e)],
            })
        });
        if let Some([s, w, n, e]) = all {
            let map = inner.borrow().handle();
            map.fit_bounds(
                &Array::of2(&pair(s, w), &pair(n, e)),
                &options(&[
                    ("padding", Array::of2(&24.into(), &24.into()).into()),
                    ("maxZoom", SMALL_ZOOM.into()),
                ]),
            );
            for c in corners.chunks_exact(4) {
                let area = area([c[0], c[1], c[2], c[3]], map.zoom(), false);
                inner.borrow().alerts.add_layer(&area);
            }
        }
        MapView {
            inner,
            _listeners: listeners,
        }
    }

    /// A map to set a listing's point on, in `container`: a pin at `at` (latitude, longitude,
    /// zoom) that is dragged, or moved by a tap on the map; `moved(lat, lon)` is called after
    /// each move. The coordinates stay typeable beside it (a pin cannot be dragged by keyboard).
    /// `zoom_in` and `zoom_out` name the zoom buttons in the app's language.
    pub fn picker(
        container: HtmlElement,
        tiles: &str,
        attribution: &str,
        at: &[f64],
        moved: Function,
        zoom_in: &str,
        zoom_out: &str,
    ) -> MapView {
        let map = leaflet_map(
            &container,
            &options(&[
                ("maxZoom", MAX_ZOOM.into()),
                ("keyboard", true.into()),
                ("zoomControl", false.into()),
            ]),
        );
        zoom_control(&options(&[
            ("zoomInTitle", zoom_in.into()),
            ("zoomOutTitle", zoom_out.into()),
        ]))
        .add_to(&map);
        let coordinate = |i: usize| at.get(i).copied().unwrap_or_default();
        map.set_view(&pair(coordinate(0), coordinate(1)), coordinate(2));
        scale(&options(&[("imperial", false.into())])).add_to(&map);
        let note = element("p", "map-note", "");
        let mut listeners = tile_layer_with_status(&map, tiles, attribution, note);
        let pin = marker(
            &pair(coordinate(0), coordinate(1)),
            &options(&[
                ("draggable", true.into()),
                ("autoPan", true.into()),
                ("icon", icon("pin pin-event pin-point", "", 28.0)),
            ]),
        );
        pin.add_to(&map);
        let pin = Rc::new(pin);
        let tell = {
            let moved = moved.clone();
            move |at: &JsValue| {
                let number = |name: &str| Reflect::get(at, &name.into()).ok()?.as_f64();
                if let (Some(lat), Some(lng)) = (number("lat"), number("lng")) {
                    let _ = moved.call2(&JsValue::NULL, &lat.into(), &lng.into());
                }
            }
        };
        let dragged = {
            let (pin, tell) = (pin.clone(), tell.clone());
            Closure::<dyn FnMut(JsValue)>::new(move |_| tell(&pin.lat_lng()))
        };
        pin.on_layer("dragend", dragged.as_ref().unchecked_ref());
        let tapped = {
            let pin = pin.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
                if let Ok(at) = Reflect::get(&event, &"latlng".into()) {
                    pin.set_lat_lng(&at);
                    tell(&at);
                }
            })
        };
        map.on("click", tapped.as_ref().unchecked_ref());
        listeners.extend([dragged, tapped]);
        MapView {
            inner: Inner::create(map, container, MapWords::default()),
            _listeners: listeners,
        }
    }

    /// Puts these places on the map instead of the ones before (see the module docs for the
    /// arrays). With `fit`, the view moves to show them all. Sets the `vecinos:map-start` and
    /// `vecinos:map-drawn` performance marks around the work.
    pub fn show(&self, kinds: &[u8], corners: &[f64], texts: Array, fit: bool) {
        mark("vecinos:map-start");
        let text = |i: usize| {
            u32::try_from(i)
                .ok()
                .and_then(|i| texts.get(i).as_string())
                .unwrap_or_default()
        };
        let places: Vec<Place> = kinds
            .iter()
            .zip(corners.chunks_exact(4))
            .enumerate()
            .filter_map(|(i, (&kind, c))| {
                Some(Place {
                    kind: PlaceKind::from_byte(kind)?,
                    corners: [c[0], c[1], c[2], c[3]],
                    title: text(3 * i),
                    line: text(3 * i + 1),
                    path: text(3 * i + 2),
                })
            })
            .collect();
        {
            let mut inner = self.inner.borrow_mut();
            inner.points = places
                .iter()
                .map(|p| {
                    let [s, w, n, e] = p.corners;
                    let (x0, y0) = project(LatLon { lat: n, lon: w });
                    let (x1, y1) = project(LatLon { lat: s, lon: e });
                    ((x0 + x1) / 2.0, (y0 + y1) / 2.0)
                })
                .collect();
            inner.places = places;
            let count = inner.places.len().to_string();
            let _ = inner.container.set_attribute("data-places", &count);
        }
        let all = self
            .inner
            .borrow()
            .places
            .iter()
            .fold(None::<[f64; 4]>, |b, p| {
                let [s, w, n, e] = p.corners;
                Some(match b {
                    None => [s, w, n, e],
                    Some([bs, bw, bn, be]) => [s.min(bs), w.min(bw), n.max(bn), e.max(be)],
                })
            });
        if let Some(b) = all.filter(|_| fit) {
            let map = self.inner.borrow().handle();
            fit_to(&map, b);
        }
        // Drawn now even when fitting: a fit that does not move the map fires no move event.
        Inner::draw(&self.inner);
        mark("vecinos:map-drawn");
    }

    /// Centres the map on the phone's position and marks it there. The position goes no further
    /// than this map.
    pub fn locate(&self, lat: f64, lon: f64) {
        let map = self.inner.borrow().handle();
        if let Some(old) = self.inner.borrow_mut().here.take() {
            old.remove_from_map();
        }
        let dot = marker(
            &pair(lat, lon),
            &options(&[
                ("icon", icon("pin pin-here", "", 18.0)),
                ("interactive", false.into()),
                ("keyboard", false.into()),
            ]),
        );
        dot.add_to(&map);
        self.inner.borrow_mut().here = Some(dot);
        map.set_view(&pair(lat, lon), map.zoom().max(NEAR_ZOOM));
    }

    /// Takes the map out of the page and lets go of everything it holds.
    pub fn remove(&self) {
        let map = self.inner.borrow().handle();
        // Leaflet 1.9 ends a zoom animation on a timer that outlives `remove` and then reads the
        // removed panes ("_leaflet_pos" of undefined) when the page is left mid-zoom; the timer
        // does nothing once the map says it is not zooming.
        let _ = Reflect::set(&map, &"_animatingZoom".into(), &JsValue::FALSE);
        map.remove();
        self.inner.borrow_mut().marker_listeners.clear();
    }
}

impl Inner {
    /// The map's state, with a layer for the markers and one in the alerts' pane.
    fn create(map: LeafletMap, container: HtmlElement, words: MapWords) -> Rc<RefCell<Inner>> {
        // Stacked by map.css (`.leaflet-alerts-pane`): the CSP allows no inline style.
        map.create_pane(ALERT_PANE);
        let drawn = layer_group();
        drawn.add_to(&map);
        let alerts = layer_group();
        alerts.add_to(&map);
        Rc::new_cyclic(|this| {
            RefCell::new(Inner {
                map,
                container,
                drawn,
                alerts,
                places: Vec::new(),
                points: Vec::new(),
                words,
                hidden: [false; 3],
                here: None,
                marker_listeners: Vec::new(),
                this: this.clone(),
            })
        })
    }

    /// Another handle on the map, so that no borrow of `Inner` is held while Leaflet works: a
    /// move can redraw at once, from within the call that moved the map.
    fn handle(&self) -> LeafletMap {
        self.map.clone().unchecked_into()
    }

    /// Rebuilds the markers for what is in view (plus half a screen around it, so a short pan
    /// shows markers straight away).
    fn draw(this: &Rc<RefCell<Inner>>) {
        let mut inner = this.borrow_mut();
        inner.drawn.clear_layers();
        inner.alerts.clear_layers();
        inner.marker_listeners.clear();
        let bounds = inner.map.bounds();
        let (x0, y0) = project(LatLon {
            lat: bounds.north(),
            lon: bounds.west(),
        });
        let (x1, y1) = project(LatLon {
            lat: bounds.south(),
            lon: bounds.east(),
        });
        let (pad_x, pad_y) = ((x1 - x0) / 2.0, (y1 - y0) / 2.0);
        let view = View {
            x0: x0 - pad_x,
            y0: y0 - pad_y,
            x1: x1 + pad_x,
            y1: y1 + pad_y,
        };
        let zoom = inner.map.zoom();
        let (alerts, shown): (Vec<usize>, Vec<usize>) = (0..inner.places.len())
            .filter(|&i| !inner.hidden[usize::from(inner.places[i].kind.byte())])
            .partition(|&i| inner.places[i].kind == PlaceKind::Alert);
        // Alerts are never grouped: each is drawn, wherever it is, above the clusters.
        for i in alerts {
            inner.draw_alert(i, zoom);
        }
        let points: Vec<(f64, f64)> = shown.iter().map(|&i| inner.points[i]).collect();
        let level = zoom.round() as u8;
        let groups = cluster::cluster(&points, level, CELL_PX, view);
        for mut group in cluster::separate(groups, level, APART_PX) {
            for member in &mut group.members {
                *member = shown[*member];
            }
            match group.members[..] {
                [one] => inner.draw_place(one),
                _ => inner.draw_cluster(&group, zoom),
            }
        }
    }

    fn draw_place(&mut self, i: usize) {
        let place = &self.places[i];
        let [s, w, n, e] = place.corners;
        let centre = pair((s + n) / 2.0, (w + e) / 2.0);
        let layer = marker(
            &pair(s, w),
            &options(&[
                ("icon", icon(class(place.kind), "", 28.0)),
                ("keyboard", true.into()),
            ]),
        );
        let label = format!("{} {}", self.words.kind(place.kind), place.title);
        let content = card(place, &self.words.details);
        let group = self.drawn.clone().unchecked_into();
        self.add_with_popup(&group, &layer, &label, content, centre);
    }

    /// An alert: its area, and a diamond in its middle that is the alert's button. A tap on
    /// either opens its card.
    fn draw_alert(&mut self, i: usize, zoom: f64) {
        let place = &self.places[i];
        let [s, w, n, e] = place.corners;
        let centre = pair((s + n) / 2.0, (w + e) / 2.0);
        let group: Layer = self.alerts.clone().unchecked_into();
        let shape = area(place.corners, zoom, true);
        let label = format!("{} {}", self.words.kind(place.kind), place.title);
        let content = card(place, &self.words.details);
        self.add_with_popup(&group, &shape, "", content.clone(), centre.clone());
        // The diamond says which alert it is; the area is only its outline for screen readers.
        if let Some(el) = shape.element() {
            let _ = el.set_attribute("aria-hidden", "true");
            let _ = el.remove_attribute("role");
            let _ = el.remove_attribute("tabindex");
        }
        let diamond = marker(
            &centre,
            &options(&[
                ("icon", icon(class(PlaceKind::Alert), "!", ALERT_PX)),
                ("keyboard", true.into()),
                ("pane", ALERT_PANE.into()),
            ]),
        );
        self.add_with_popup(&group, &diamond, &label, content, centre);
    }

    fn draw_cluster(&mut self, group: &cluster::Cluster, zoom: f64) {
        let n = group.members.len().to_string();
        let centre = unproject(group.centre.0, group.centre.1);
        let size = if group.members.len() < 100 {
            40.0
        } else {
            48.0
        };
        let layer = marker(
            &pair(centre.lat, centre.lon),
            &options(&[
                ("icon", icon("pin pin-cluster", &n, size)),
                ("keyboard", true.into()),
            ]),
        );
        if zoom >= MAX_ZOOM {
            let label = fill(&self.words.here, &[("n", &n)]);
            let content = list(group.members.iter().map(|&i| &self.places[i]));
            let drawn = self.drawn.clone().unchecked_into();
            self.add_with_popup(
                &drawn,
                &layer,
                &label,
                content,
                pair(centre.lat, centre.lon),
            );
            return;
        }
        let nw = unproject(group.min.0, group.min.1);
        let se = unproject(group.max.0, group.max.1);
        let corners = [se.lat, nw.lon, nw.lat, se.lon];
        let this = self.this.clone();
        let zoom_in = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            if is_tap_or_enter(&event).is_some()
                && let Some(inner) = this.upgrade()
            {
                let map = inner.borrow().handle();
                fit_to(&map, corners);
            }
        });
        layer.on_layer("click keypress", zoom_in.as_ref().unchecked_ref());
        self.marker_listeners.push(zoom_in);
        self.drawn.add_layer(&layer);
        label(&layer, &fill(&self.words.zoom_in, &[("n", &n)]));
    }

    /// Draws `layer` into `group`, labelled `text`; a tap or Enter opens `content` in a popup at
    /// `at`. The popup is the map's, not the marker's, so that redrawing the markers (the popup's
    /// own pan moves the map) leaves it open. Opened with Enter, it takes the focus.
    fn add_with_popup(
        &mut self,
        group: &Layer,
        layer: &Layer,
        text: &str,
        content: Element,
        at: Array,
    ) {
        let map = self.handle();
        let close = self.words.close.clone();
        let open = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let Some(key) = is_tap_or_enter(&event) else {
                return;
            };
            // Kept clear of the zoom buttons in the top-left corner.
            let padding = Array::of2(&8.into(), &96.into());
            map.open_popup(
                &content,
                &at,
                &options(&[("autoPanPaddingTopLeft", padding.into())]),
            );
            // Leaflet names its close button in English.
            if let Ok(Some(popup)) = content.closest(".leaflet-popup")
                && let Ok(Some(button)) = popup.query_selector(".leaflet-popup-close-button")
            {
                let _ = button.set_attribute("aria-label", &close);
                let _ = button.set_attribute("title", &close);
            }
            if key
                && let Ok(Some(first)) = content.query_selector("a")
                && let Ok(first) = first.dyn_into::<HtmlElement>()
            {
                let _ = first.focus();
            }
        });
        layer.on_layer("click keypress", open.as_ref().unchecked_ref());
        self.marker_listeners.push(open);
        group.add_layer(layer);
        label(layer, text);
    }
}

/// An alert's area in the alerts' pane, drawn at `zoom`: the cell's rectangle, or, while that
/// would be a few pixels across, a circle a fingertip wide around it, which says "about here"
/// as the area does, never more. `interactive` areas take taps (their own only: the map's would
/// close the popup they open).
fn area([s, w, n, e]: [f64; 4], zoom: f64, interactive: bool) -> Layer {
    let style = options(&[
        ("className", "area-alert".into()),
        ("weight", 3.into()),
        ("pane", ALERT_PANE.into()),
        ("interactive", interactive.into()),
        ("bubblingMouseEvents", false.into()),
    ]);
    let (x0, _) = project(LatLon { lat: n, lon: w });
    let (x1, _) = project(LatLon { lat: s, lon: e });
    if (x1 - x0) * cluster::TILE_PX * zoom.exp2() < MIN_AREA_PX {
        let _ = Reflect::set(&style, &"radius".into(), &(MIN_AREA_PX / 2.0).into());
        circle_marker(&pair((s + n) / 2.0, (w + e) / 2.0), &style)
    } else {
        rectangle(&Array::of2(&pair(s, w), &pair(n, e)), &style)
    }
}

/// What the shapes mean, put into `bar` under the switches: events are circles, resources
/// squares (both shown on their switches), a numbered circle is several places, and an alert
/// a diamond in a dashed area.
fn legend(words: &MapWords, bar: &HtmlElement) {
    let list = element("ul", "map-legend", "");
    let _ = list.set_attribute("aria-label", &words.legend);
    for (class, mark, text) in [
        ("swatch swatch-cluster", "3", &words.group),
        ("swatch swatch-alert", "!", &words.alert_area),
    ] {
        let item = element("li", "", "");
        let swatch = element("span", class, "");
        let _ = swatch.set_attribute("aria-hidden", "true");
        let _ = swatch.append_child(&element("span", "", mark));
        let _ = item.append_child(&swatch);
        let _ = item.append_child(&element("span", "", text));
        let _ = list.append_child(&item);
    }
    let _ = bar.append_child(&list);
}

/// Gives a drawn layer's element a name and makes it a focusable button (paths are not by default).
fn label(layer: &Layer, text: &str) {
    if let Some(el) = layer.element() {
        let _ = el.set_attribute("aria-label", text);
        let _ = el.set_attribute("role", "button");
        let _ = el.set_attribute("tabindex", "0");
    }
}

/// Moves `map` to show the box south, west, north, east, but no closer than `MAX_ZOOM`.
fn fit_to(map: &LeafletMap, [s, w, n, e]: [f64; 4]) {
    map.fit_bounds(
        &Array::of2(&pair(s, w), &pair(n, e)),
        &options(&[
            ("padding", Array::of2(&32.into(), &32.into()).into()),
            ("maxZoom", MAX_ZOOM.into()),
        ]),
    );
}

/// `Some(false)` for a click, `Some(true)` for the Enter key on a focused marker (Leaflet passes
/// both as layer events), `None` for other keys.
fn is_tap_or_enter(event: &JsValue) -> Option<bool> {
    let kind = Reflect::get(event, &"type".into()).ok()?.as_string()?;
    match kind.as_str() {
        "click" => Some(false),
        "keypress" => {
            let original = Reflect::get(event, &"originalEvent".into()).ok()?;
            let key = Reflect::get(&original, &"key".into()).ok()?.as_string()?;
            (key == "Enter").then_some(true)
        }
        _ => None,
    }
}

/// The tile layer, if there is a template; `note` is shown while a tile in view has failed (and
/// always without a template), and hidden again once all tiles in view have loaded.
fn tile_layer_with_status(
    map: &LeafletMap,
    template: &str,
    attribution: &str,
    note: Element,
) -> Vec<Closure<dyn FnMut(JsValue)>> {
    if template.is_empty() {
        return Vec::new();
    }
    let _ = note.set_attribute("hidden", "");
    let layer = tile_layer(
        template,
        &options(&[
            ("attribution", attribution.into()),
            ("maxZoom", MAX_ZOOM.into()),
            // CORS, so the service worker can keep the tiles without opaque responses.
            ("crossOrigin", "anonymous".into()),
        ]),
    );
    let failed = Rc::new(RefCell::new(false));
    let (f1, n1) = (failed.clone(), note.clone());
    let on_error = Closure::<dyn FnMut(JsValue)>::new(move |_| {
        f1.replace(true);
        let _ = n1.remove_attribute("hidden");
    });
    let f2 = failed.clone();
    let on_loading = Closure::<dyn FnMut(JsValue)>::new(move |_| {
        f2.replace(false);
    });
    let on_load = Closure::<dyn FnMut(JsValue)>::new(move |_| {
        if !*failed.borrow() {
            let _ = note.set_attribute("hidden", "");
        }
    });
    layer.on_layer("tileerror", on_error.as_ref().unchecked_ref());
    layer.on_layer("loading", on_loading.as_ref().unchecked_ref());
    layer.on_layer("load", on_load.as_ref().unchecked_ref());
    layer.add_to(map);
    vec![on_error, on_loading, on_load]
}

/// Puts `content` in a corner of the map as a Leaflet control; taps on it stay off the map.
fn add_control(map: &LeafletMap, corner: &str, content: &Element) {
    let control = control(&options(&[("position", corner.into())]));
    let content = content.clone();
    no_click_through(&content);
    let on_add = Closure::once_into_js(move |_: JsValue| JsValue::from(content));
    let _ = Reflect::set(&control, &"onAdd".into(), &on_add);
    control.add_to(map);
}

/// A kind's shape in the legend (map.css `.swatch-*`: the pins' looks, under names of their own so
/// that nothing taken for a marker matches them).
fn swatch(kind: PlaceKind) -> &'static str {
    match kind {
        PlaceKind::Event => "event",
        PlaceKind::Resource => "resource",
        PlaceKind::Alert => "alert",
    }
}

/// The switches for events, resources and alerts, put into `bar`.
fn layer_switches(inner: &Rc<RefCell<Inner>>, bar: &HtmlElement) -> Closure<dyn FnMut(JsValue)> {
    let this = inner.borrow();
    let form = element("fieldset", "map-layers", "");
    let _ = form.append_child(&element("legend", "visually-hidden", &this.words.layers));
    for kind in PlaceKind::ALL {
        let label = element("label", "", "");
        let input = element("input", "", "");
        let _ = input.set_attribute("type", "checkbox");
        let _ = input.set_attribute("checked", "");
        let _ = input.set_attribute("data-layer", &kind.byte().to_string());
        let _ = label.append_child(&input);
        // The switch shows its kind's shape: the first part of the legend.
        let swatch = element("span", &format!("swatch swatch-{}", swatch(kind)), "");
        let _ = swatch.set_attribute("aria-hidden", "true");
        let _ = swatch.append_child(&element(
            "span",
            "",
            if kind == PlaceKind::Alert { "!" } else { "" },
        ));
        let _ = label.append_child(&swatch);
        let _ = label.append_child(&element("span", "", this.words.layer(kind)));
        let _ = form.append_child(&label);
    }
    let weak = Rc::downgrade(inner);
    let switched = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
        let input = Reflect::get(&event, &"target".into())
            .ok()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        let (Some(input), Some(inner)) = (input, weak.upgrade()) else {
            return;
        };
        let layer = input
            .get_attribute("data-layer")
            .and_then(|l| PlaceKind::from_byte(l.parse().ok()?));
        if let Some(layer) = layer {
            inner.borrow_mut().hidden[usize::from(layer.byte())] = !input.checked();
            Inner::draw(&inner);
        }
    });
    let _ = form.add_event_listener_with_callback("change", switched.as_ref().unchecked_ref());
    let _ = bar.append_child(&form);
    switched
}

/// A place's popup: its title, one line, and the link to its page.
fn card(place: &Place, details: &str) -> Element {
    let card = element("div", "map-card", "");
    let _ = card.append_child(&element("strong", "", &place.title));
    if !place.line.is_empty() {
        let _ = card.append_child(&element("span", "", &place.line));
    }
    let _ = card.append_child(&link(&place.path, details));
    card
}

/// The popup of places that stay together at the closest zoom: one link each.
fn list<'a>(places: impl Iterator<Item = &'a Place>) -> Element {
    let list = element("ul", "map-list", "");
    for place in places {
        let item = element("li", "", "");
        let _ = item.append_child(&link(&place.path, &place.title));
        let _ = list.append_child(&item);
    }
    list
}

fn link(path: &str, text: &str) -> Element {
    let a = element("a", "open", text);
    let _ = a.set_attribute("href", path);
    a
}

fn element(tag: &str, class: &str, text: &str) -> Element {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect_throw("the map runs in a page");
    let el = document.create_element(tag).expect_throw("a known tag");
    if !class.is_empty() {
        el.set_class_name(class);
    }
    if !text.is_empty() {
        el.set_text_content(Some(text));
    }
    el
}

/// A Leaflet `divIcon` of `size` pixels, styled by `class` (map.css), holding `text`.
fn icon(class: &str, text: &str, size: f64) -> JsValue {
    let span = element("span", "", text);
    div_icon(&options(&[
        ("className", class.into()),
        ("html", span.into()),
        ("iconSize", Array::of2(&size.into(), &size.into()).into()),
    ]))
}

fn pair(a: f64, b: f64) -> Array {
    Array::of2(&a.into(), &b.into())
}

fn options(pairs: &[(&str, JsValue)]) -> Object {
    let object = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&object, &(*key).into(), value);
    }
    object
}

fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}
