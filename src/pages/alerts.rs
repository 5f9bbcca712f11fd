//! Alerts: what organisers have verified, until it expires, and the way to report.
//!
//! Only verified alerts reach the phone (the public feed carries nothing else). Each leaves the
//! screen at its expiry time by the phone's clock, offline too. "Nearest first" measures from
//! the centre of each alert's area, on the phone; the position is never sent.

use chrono::DateTime;
use leptos::prelude::*;
use uuid::Uuid;
use vecinos_core::geo::{self, LatLon};
use vecinos_core::model::{active_alerts, shown_alerts};
use vecinos_core::push::Audience;
use vecinos_core::{Alert, Withdrawal, WithdrawalReason};

use super::revise::AlertActions;
use super::{HotlineLink, Loaded, OrganiserLink, PushChoice, ShareButton, locate, metres_between};
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

/// What an organiser's last action on an alert came to ("Alert updated."), kept by the page:
/// the alert's card is made anew when the new version arrives, before or after the answer.
#[derive(Clone, Copy)]
pub struct LastAction(pub RwSignal<Option<(Uuid, T)>>);

/// The last action's outcome, under the alert it was about.
#[component]
fn ActionDone(id: Uuid) -> impl IntoView {
    let LastAction(last) = expect_context::<LastAction>();
    let said = move || last.with(|l| l.filter(|(about, _)| *about == id).map(|(_, m)| t(m)));
    view! { <p class="message" role="status">{said}</p> }
}

#[component]
pub fn AlertsPage() -> impl IntoView {
    provide_context(LastAction(RwSignal::new(None)));
    let listings = expect_context::<Listings>();
    let Clock(now) = expect_context::<Clock>();
    let near = RwSignal::new(None::<LatLon>);
    let position_error = RwSignal::new(false);
    let shown = move || {
        let now_ms = now.get();
        let here = near.get();
        listings.alerts.with(|alerts| {
            let mut list: Vec<(Alert, Option<f64>)> = shown_alerts(alerts, at(now_ms))
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
            list
        })
    };
    // Active alerts and the "All clear" of withdrawn ones.
    // A memo: what hangs below re-renders only when this changes, not on every tick.
    let has_any = Memo::new(move |_| {
        listings
            .alerts
            .with(|a| !shown_alerts(a, at(now.get())).is_empty())
    });
    view! {
        <h1>{t(T::AlertsTitle)}</h1>
        <Link to=Route::Report class="primary">{t(T::ReportTitle)}</Link>
        // All below waits for the cache (and on a first visit for the region's hotline), so it
        // never says "no alerts" too early nor moves down when the hotline arrives.
        <Loaded>
            <HotlineLink />
            {move || if has_any.get() {
                view! {
                    <div class="toggles">
                        <button type="button" class="chip" aria-pressed=move || near.with(Option::is_some).to_string()
                            on:click=move |_| if near.get_untracked().is_some() { near.set(None) } else { locate(near, position_error) }>
                            {t(T::NearestFirst)}
                        </button>
                    </div>
                    <p class="note">{move || if position_error.get() { t(T::NoPosition) } else if near.with(Option::is_some) { t(T::PositionStays) } else { "" }}</p>
                    // Keyed, so a card stays as it is (an organiser's open form too) while the
                    // clock ticks and other alerts come and go; a new version is a new card.
                    <ul class="cards alerts">
                        <For each=shown key=|(a, d)| (a.id, a.version, a.withdrawn.is_some(), d.map(f64::to_bits))
                            children=|(alert, distance)| view! { <AlertCard alert distance /> } />
                    </ul>
                }.into_any()
            } else {
                view! { <p class="empty">{t(T::NoAlerts)}</p> }.into_any()
            }}
            <OrganiserLink />
            // Last: it comes from a chunk of its own a moment later, and moves nothing when it does.
            <PushChoice audience=Audience::Alerts />
        </Loaded>
    }
}

#[component]
fn AlertCard(alert: Alert, distance: Option<f64>) -> impl IntoView {
    if let Some(withdrawal) = alert.withdrawn.clone() {
        return view! { <AllClear alert withdrawal /> }.into_any();
    }
    let Clock(now) = expect_context::<Clock>();
    let verified = alert.verified_at.timestamp_millis() as f64;
    let checked = move || {
        format::ago(
            now.get() - verified,
            [
                T::CheckedNow,
                T::CheckedMinutes,
                T::CheckedHours,
                T::CheckedDays,
            ],
        )
    };
    let until = T::Until.fill(&[("time", &format::time(alert.expires_at, ""))]);
    let place = format::place(alert.cross_streets.as_deref(), alert.area.as_deref());
    view! {
        <li class="card alert" id=format!("alert-{}", alert.id)>
            <p class="kind">{t(i18n::report_kind(alert.kind))}</p>
            <h2>{alert.summary_in(i18n::lang().code()).to_owned()}</h2>
            {place.map(|p| view! { <p class="where">{p}</p> })}
            {distance.map(|d| view! { <p class="where">{format::distance(d)}</p> })}
            <p class="muted">{checked}" · "{until}</p>
            <ShareButton alert=alert.clone() />
            <AlertActions alert=alert.clone() />
            <ActionDone id=alert.id />
        </li>
    }
    .into_any()
}

/// In place of a withdrawn alert, for an hour: what is clear, and why.
#[component]
fn AllClear(alert: Alert, withdrawal: Withdrawal) -> impl IntoView {
    let kind = t(i18n::report_kind(alert.kind));
    let why = match withdrawal.reason {
        WithdrawalReason::FalseAlarm => T::WasFalseAlarm,
        WithdrawalReason::Over => T::WasOver,
    };
    let place = format::place(alert.cross_streets.as_deref(), alert.area.as_deref());
    view! {
        <li class="card alert clear" id=format!("alert-{}", alert.id)>
            <p class="kind">{t(T::AllClear)}</p>
            <h2>{why.fill(&[("kind", kind)])}</h2>
            {place.map(|p| view! { <p class="where">{p}</p> })}
            <p class="muted">{T::TakenDownAt.fill(&[("time", &format::time(withdrawal.at, ""))])}</p>
            <ActionDone id=alert.id />
        </li>
    }
}
