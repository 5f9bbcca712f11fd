//! Alerts: what organisers have verified, until it expires, and the way to report.
//!
//! Only verified alerts reach the phone (the public feed carries nothing else). Each leaves the
//! screen at its expiry time by the phone's clock, offline too. "Nearest first" measures from
//! the centre of each alert's area, on the phone; the position is never sent.

use chrono::DateTime;
use leptos::prelude::*;
use vecinos_core::Alert;
use vecinos_core::geo::{self, LatLon};
use vecinos_core::model::active_alerts;
use vecinos_core::push::Audience;

use super::{OrganiserLink, PushChoice, locate, metres_between};
use crate::format;
use crate::i18n::{self, T, t};
use crate::route::{Link, Route};
use crate::state::{Clock, Listings};

/// How many alerts are up now, for the tab's badge.
pub fn active_count() -> usize {
    let listings = expect_context::<Listings>();
    let Clock(now) = expect_context::<Clock>();
    listings
        .alerts
        .with(|alerts| active_alerts(alerts, at(now.get())).len())
}

fn at(millis: f64) -> DateTime<chrono::Utc> {
    DateTime::from_timestamp_millis(millis as i64).unwrap_or_default()
}

/// The centre of an alert's area, for measuring; alerts with cross streets only have none.
fn centre(alert: &Alert) -> Option<LatLon> {
    let cell = geo::decode(alert.area.as_deref()?).ok()?;
    Some(LatLon {
        lat: (cell.min_lat + cell.max_lat) / 2.0,
        lon: (cell.min_lon + cell.max_lon) / 2.0,
    })
}

#[component]
pub fn AlertsPage() -> impl IntoView {
    let listings = expect_context::<Listings>();
    let Clock(now) = expect_context::<Clock>();
    let near = RwSignal::new(None::<LatLon>);
    let position_error = RwSignal::new(false);
    let shown = move || {
        let now_ms = now.get();
        let here = near.get();
        listings.alerts.with(|alerts| {
            let mut list: Vec<(Alert, Option<f64>)> = active_alerts(alerts, at(now_ms))
                .into_iter()
                .map(|a| {
                    (
                        a.clone(),
                        here.zip(centre(a)).map(|(h, c)| metres_between(h, c)),
                    )
                })
                .collect();
            if here.is_some() {
                // Measured ones first, nearest first; the rest keep their order (newest first).
                vecinos_core::order::sort_by(&mut list, |a, b| match (a.1, b.1) {
                    (Some(x), Some(y)) => x.total_cmp(&y),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                });
            }
            list.into_iter()
                .map(|(alert, distance)| view! { <AlertCard alert distance now=now_ms /> })
                .collect_view()
        })
    };
    let has_any = move || active_count() > 0;
    view! {
        <h1>{t(T::AlertsTitle)}</h1>
        <Link to=Route::Report class="primary">{t(T::ReportTitle)}</Link>
        {move || if has_any() {
            view! {
                <div class="toggles">
                    <button type="button" class="chip" aria-pressed=move || near.with(Option::is_some).to_string()
                        on:click=move |_| if near.get_untracked().is_some() { near.set(None) } else { locate(near, position_error) }>
                        {t(T::NearestFirst)}
                    </button>
                </div>
                <p class="note">{move || if position_error.get() { t(T::NoPosition) } else if near.with(Option::is_some) { t(T::PositionStays) } else { "" }}</p>
                <ul class="cards alerts">{shown}</ul>
            }.into_any()
        } else {
            view! { <p class="empty">{t(T::NoAlerts)}</p> }.into_any()
        }}
        <PushChoice audience=Audience::Alerts />
        <OrganiserLink />
    }
}

#[component]
fn AlertCard(alert: Alert, distance: Option<f64>, now: f64) -> impl IntoView {
    let checked = format::ago(
        now - alert.verified_at.timestamp_millis() as f64,
        [
            T::CheckedNow,
            T::CheckedMinutes,
            T::CheckedHours,
            T::CheckedDays,
        ],
    );
    let until = T::Until.fill(&[("time", &format::time(alert.expires_at, ""))]);
    let place = match (&alert.cross_streets, &alert.area) {
        (Some(streets), _) => Some(streets.clone()),
        (None, Some(area)) => Some(T::AlertArea.fill(&[("area", area)])),
        (None, None) => None,
    };
    view! {
        <li class="card alert" id=format!("alert-{}", alert.id)>
            <p class="kind">{t(i18n::report_kind(alert.kind))}</p>
            <h2>{alert.summary}</h2>
            {place.map(|p| view! { <p class="where">{p}</p> })}
            {distance.map(|d| view! { <p class="where">{format::distance(d)}</p> })}
            <p class="muted">{checked}" · "{until}</p>
        </li>
    }
}
