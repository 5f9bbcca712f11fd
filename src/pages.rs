//! The pages behind the bottom navigation. They only render what `Listings` holds.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use vecinos_core::model::upcoming;
use vecinos_core::{Event, EventStatus, Resource};
use wasm_bindgen::{JsCast, JsValue};

use crate::app::Listings;

#[component]
pub fn EventsPage() -> impl IntoView {
    let listings = expect_context::<Listings>();
    let items = move || {
        let now = DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default();
        listings.events.with(|events| {
            upcoming(events, now)
                .into_iter()
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <h1>"Events"</h1>
        <Show when=move || listings.loaded.get() fallback=|| view! { <p class="empty">"Loading…"</p> }>
            <Show when=move || !items().is_empty() fallback=|| view! { <p class="empty">"No upcoming events saved on this phone yet."</p> }>
                <ul class="cards">
                    <For each=items key=|e| (e.id, e.version) let:event>
                        <EventCard event />
                    </For>
                </ul>
            </Show>
        </Show>
    }
}

#[component]
fn EventCard(event: Event) -> impl IntoView {
    let when = format_when(event.starts_at, &event.time_zone);
    let status = match event.status {
        EventStatus::Scheduled => None,
        EventStatus::Cancelled => Some("Cancelled"),
        EventStatus::Postponed => Some("Postponed"),
    };
    view! {
        <li class="card event">
            <p class="kind">{event.kind.label()}</p>
            <h2>{event.title}</h2>
            {status.map(|s| view! { <p class="badge">{s}</p> })}
            <p class="when">{when}</p>
            {event.place.map(|p| view! { <p class="where">{p.name}</p> })}
            <p class="langs">{event.languages.join(" · ")}</p>
        </li>
    }
}

#[component]
pub fn ResourcesPage() -> impl IntoView {
    let listings = expect_context::<Listings>();
    let items = move || {
        let mut list = listings.resources.get();
        list.sort_by(|a, b| a.name.cmp(&b.name));
        list
    };
    view! {
        <h1>"Resources"</h1>
        <Show when=move || listings.loaded.get() fallback=|| view! { <p class="empty">"Loading…"</p> }>
            <Show when=move || !items().is_empty() fallback=|| view! { <p class="empty">"No resources saved on this phone yet."</p> }>
                <ul class="cards">
                    <For each=items key=|r| (r.id, r.version) let:resource>
                        <ResourceCard resource />
                    </For>
                </ul>
            </Show>
        </Show>
    }
}

#[component]
fn ResourceCard(resource: Resource) -> impl IntoView {
    let area = resource.place.map(|p| p.address).or(resource.service_area);
    view! {
        <li class="card resource">
            <p class="kind">{resource.category.label()}</p>
            <h2>{resource.name}</h2>
            <p class="org">{resource.organisation}</p>
            {area.map(|a| view! { <p class="where">{a}</p> })}
            {resource.phones.into_iter().map(|p| {
                let href = format!("tel:{}", p.number);
                view! { <a class="call" href=href>{p.number}</a> }
            }).collect_view()}
        </li>
    }
}

/// Placeholder for the sections that later releases fill in; says so plainly.
#[component]
pub fn NotYetPage(title: &'static str) -> impl IntoView {
    view! {
        <h1>{title}</h1>
        <p class="empty">"This section is not in this version of the app yet."</p>
    }
}

/// "Sat, Nov 28, 5:00 PM CST" in the event's own time zone, by the browser's Intl data. A zone the
/// browser does not know (damaged or future data) falls back to UTC instead of throwing.
fn format_when(at: DateTime<Utc>, zone: &str) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    let format = |zone: &str| {
        let options = js_sys::Object::new();
        for (key, value) in [
            ("weekday", "short"),
            ("month", "short"),
            ("day", "numeric"),
            ("hour", "numeric"),
            ("minute", "2-digit"),
            ("timeZone", zone),
            ("timeZoneName", "short"),
        ] {
            let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
        }
        // Through Reflect.apply, so that Intl's RangeError comes back as an Err.
        let method = js_sys::Reflect::get(&date, &"toLocaleString".into()).ok()?;
        let args = js_sys::Array::of2(&"en-US".into(), &options);
        let method: &js_sys::Function = method.unchecked_ref();
        js_sys::Reflect::apply(method, &date, &args)
            .ok()?
            .as_string()
    };
    format(zone).or_else(|| format("UTC")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    use super::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn times_show_in_the_event_zone_and_unknown_zones_fall_back_to_utc() {
        let at = Utc
            .with_ymd_and_hms(2026, 11, 28, 23, 0, 0)
            .single()
            .expect("a valid time");
        let chicago = format_when(at, "America/Chicago");
        assert!(
            chicago.starts_with("Sat, Nov 28, 5:00") && chicago.ends_with("CST"),
            "{chicago}"
        );
        let unknown = format_when(at, "Mars/Olympus_Mons");
        assert!(
            unknown.starts_with("Sat, Nov 28, 11:00") && unknown.ends_with("UTC"),
            "{unknown}"
        );
    }
}
