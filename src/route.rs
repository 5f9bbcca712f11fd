//! Where the app is: one `Route` per page, parsed from and written to the URL path, and the moves
//! between them (`go`, `Link`).
//!
//! A path-to-`Route` match plus the History API, not a router crate: the app shell must stay
//! within its first-load size budget, and a handful of paths need no more.

use leptos::prelude::*;
use uuid::Uuid;
use vecinos_core::RecordKind;
use wasm_bindgen::JsValue;

use crate::api;
use crate::i18n::T;

/// What an organiser edits from the phone (alerts are made by verifying a report).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Listing {
    Event,
    Resource,
    Card,
}

impl Listing {
    #[cfg(test)]
    pub const ALL: [Listing; 3] = [Self::Event, Self::Resource, Self::Card];

    pub fn kind(self) -> RecordKind {
        match self {
            Self::Event => RecordKind::Event,
            Self::Resource => RecordKind::Resource,
            Self::Card => RecordKind::Card,
        }
    }

    /// The list it is shown in.
    pub fn list(self) -> Route {
        match self {
            Self::Event => Route::Events,
            Self::Resource => Route::Resources,
            Self::Card => Route::Rights,
        }
    }

    /// The listing's own page.
    pub fn page(self, id: Uuid) -> Route {
        match self {
            Self::Event => Route::Event(id),
            Self::Resource => Route::Resource(id),
            Self::Card => Route::Card(id),
        }
    }
}

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
    Edit(Listing, Uuid),
    /// A new listing: blank, or a copy of the one with this id.
    New(Listing, Option<Uuid>),
    /// Joining the organisers with an invite (its token in the address's fragment).
    Join,
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
        if let Some(rest) = path.strip_prefix("/organise/") {
            return Self::organising(rest).unwrap_or(Self::NotFound);
        }
        let (section, id) = match path.rsplit_once('/') {
            Some((section @ ("/events" | "/resources" | "/rights"), id)) => {
                match Uuid::try_parse(id) {
                    Ok(id) => (section, Some(id)),
                    Err(_) => return Self::NotFound,
                }
            }
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
            ("/join", None) => Self::Join,
            _ => Self::NotFound,
        }
    }

    /// `/organise/<collection>/<id>`, `…/new` and `…/new/<id of the original>`.
    fn organising(rest: &str) -> Option<Self> {
        let mut parts = rest.split('/');
        let listing = match parts.next()? {
            "events" => Listing::Event,
            "resources" => Listing::Resource,
            "cards" => Listing::Card,
            _ => return None,
        };
        let id = |part: &str| Uuid::try_parse(part).ok();
        match (parts.next()?, parts.next(), parts.next()) {
            ("new", None, None) => Some(Self::New(listing, None)),
            ("new", Some(from), None) => Some(Self::New(listing, Some(id(from)?))),
            (edited, None, None) => Some(Self::Edit(listing, id(edited)?)),
            _ => None,
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
            Self::Join => "/join".into(),
            Self::Edit(listing, id) => {
                format!("/organise/{}/{id}", api::collection(listing.kind()))
            }
            Self::New(listing, None) => {
                format!("/organise/{}/new", api::collection(listing.kind()))
            }
            Self::New(listing, Some(id)) => {
                format!("/organise/{}/new/{id}", api::collection(listing.kind()))
            }
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
            Self::Edit(..) | Self::New(..) => Some(Self::Organise),
            Self::NotFound | Self::Join => None,
            tab => Some(tab),
        }
    }

    /// The name of the page's tab.
    pub fn label(self) -> T {
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

/// The route of the page's address now.
pub fn current() -> Route {
    Route::from_path(&window().location().pathname().unwrap_or_default())
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

/// Keeps the document's title the screen's ("Upcoming events · Vecinos", a listing's own title on
/// its page) and, after a move (not at start), takes the focus to the new screen's main heading,
/// so a screen reader starts there. A screen from a chunk may draw its heading a moment later:
/// it is looked for over a few seconds. Focus already in a field (typed into meanwhile) is left.
pub fn follow_screens(route: RwSignal<Route>, lang: RwSignal<crate::i18n::Lang>) {
    Effect::new(move |before: Option<Route>| {
        let now = route.get();
        lang.track();
        let moved = before.is_some_and(|b| b != now);
        // From the next frame: by then the screen before has been taken down.
        request_animation_frame(move || heading_when_drawn(now, moved, 0));
        now
    });
}

/// Up to 3 s of animation frames.
const HEADING_FRAMES: u32 = 180;

fn heading_when_drawn(route: Route, moved: bool, frame: u32) {
    let document = document();
    let heading = document.query_selector("main h1").ok().flatten();
    let Some(heading) = heading else {
        if frame < HEADING_FRAMES {
            request_animation_frame(move || heading_when_drawn(route, moved, frame + 1));
        } else {
            document.set_title(&format!("{} · Vecinos", crate::i18n::t(route.label())));
        }
        return;
    };
    let text = heading.text_content().unwrap_or_default();
    document.set_title(&format!("{} · Vecinos", text.trim()));
    show_current_tab(&document);
    let typing = document.active_element().is_some_and(|active| {
        matches!(active.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
    });
    if moved && !typing {
        let _ = heading.set_attribute("tabindex", "-1");
        if let Some(heading) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&heading) {
            let options = web_sys::FocusOptions::new();
            options.set_prevent_scroll(true);
            let _ = heading.focus_with_options(&options);
        }
    }
}

/// With large text the tab bar scrolls sideways (labels never break inside a word): the current
/// tab is brought to its middle.
fn show_current_tab(document: &web_sys::Document) {
    use wasm_bindgen::JsCast;
    let (Some(bar), Some(tab)) = (
        document.query_selector("nav.tabs").ok().flatten(),
        document
            .query_selector("nav.tabs a[aria-current=\"page\"]")
            .ok()
            .flatten()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()),
    ) else {
        return;
    };
    if bar.scroll_width() > bar.client_width() {
        bar.set_scroll_left(tab.offset_left() - (bar.client_width() - tab.offset_width()) / 2);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn every_route(id: Uuid) -> Vec<Route> {
        let mut all = vec![
            Route::Events,
            Route::Event(id),
            Route::Resources,
            Route::Resource(id),
            Route::Map,
            Route::Alerts,
            Route::Report,
            Route::Rights,
            Route::Card(id),
            Route::Organise,
            Route::Join,
        ];
        all.extend(Listing::ALL.map(|l| Route::Edit(l, id)));
        all.extend(Listing::ALL.map(|l| Route::New(l, None)));
        all.extend(Listing::ALL.map(|l| Route::New(l, Some(id))));
        all
    }

    #[test]
    fn every_route_survives_its_path() {
        let id = Uuid::from_u128(0x1234);
        for route in every_route(id) {
            assert_eq!(Route::from_path(&route.path()), route, "{}", route.path());
            assert_eq!(Route::from_path(&format!("{}/", route.path())), route);
        }
        assert_eq!(Route::from_path("/"), Route::Events);
        assert_eq!(Route::from_path(""), Route::Events);
    }

    #[test]
    fn unknown_paths_and_bad_ids_are_not_found() {
        for path in [
            "/nowhere",
            "/events/not-a-uuid",
            "/organise/alerts/00000000-0000-0000-0000-000000001234",
            "/map/00000000-0000-0000-0000-000000001234",
            "/events/00000000-0000-0000-0000-000000001234/more",
            "/organise/events",
            "/organise/events/new/not-a-uuid",
            "/organise/cards/new/00000000-0000-0000-0000-000000001234/more",
        ] {
            assert_eq!(Route::from_path(path), Route::NotFound, "{path}");
        }
    }

    #[test]
    fn pages_belong_to_their_tabs() {
        let id = Uuid::nil();
        assert_eq!(Route::Event(id).tab(), Some(Route::Events));
        assert_eq!(Route::Card(id).tab(), Some(Route::Rights));
        assert_eq!(Route::Report.tab(), Some(Route::Alerts));
        assert_eq!(Route::Edit(Listing::Card, id).tab(), Some(Route::Organise));
        assert_eq!(Route::NotFound.tab(), None);
        for tab in Route::TABS {
            assert_eq!(tab.tab(), Some(tab));
        }
        assert_eq!(Route::Resource(id).label(), T::TabResources);
        assert_eq!(Listing::Card.page(id), Route::Card(id));
        assert_eq!(Listing::Event.kind(), RecordKind::Event);
    }
}
