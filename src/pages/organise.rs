//! Organise: sign in, the triage queue of received reports (verify as an alert, reject,
//! resolve), and edits of events, resources and cards with the server's version check.
//!
//! Reached from a quiet link under the alerts until signed in; then it is a tab. Nothing shown
//! here is written to the phone's storage (see `crate::organise`), so it needs a connection.
//!
//! An edit is made on the record as this phone has it and sent with its version. If someone
//! changed the record meanwhile, the server refuses and sends its version: the page shows, for
//! each field the organiser changed, their value and the server's, and the organiser keeps
//! theirs (only the fields they changed are written again, on top of the server's version, so
//! the other person's other changes stay) or takes the server's.

use chrono::{DateTime, Utc};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;
use vecinos_core::push::Audience;
use vecinos_core::triage::StoredReport;
use vecinos_core::validate::MAX_TITLE;
use vecinos_core::{ReportKind, ReportStatus};

use super::PushChoice;
use super::listing::WaitingEdits;
use super::map::{AreaMap, ReportsMap};
use super::revise::{PublicPlace, TranslationFields, translated};
use super::team::{AuditSection, SessionsSection, TeamSection};
use crate::api::{self, Moderation, Problem};
use crate::format;
use crate::i18n::{self, Lang, T, t};
use crate::live;
use crate::organise::Session;
use crate::route::{Link, Listing, Route};
use crate::state::Clock;

/// The lifetimes an organiser can give an alert, in minutes.
pub(super) const LIFETIMES: [u32; 4] = [30, 60, 120, 360];

#[component]
pub fn OrganisePage() -> impl IntoView {
    let session = expect_context::<Session>();
    move || match session.name.get() {
        None => view! { <SignIn /> }.into_any(),
        Some(name) => view! { <Triage name /> }.into_any(),
    }
}

/// The quiet way in, under the alerts, for organisers not signed in on this phone.
#[component]
pub fn OrganiserLink() -> impl IntoView {
    let session = expect_context::<Session>();
    move || {
        session.name.with(Option::is_none).then(|| {
            view! { <p class="quiet"><Link to=Route::Organise>{t(T::OrganiserLink)}</Link></p> }
        })
    }
}

/// "Edit" on a listing's page, for a signed-in organiser.
#[component]
pub fn EditLink(listing: Listing, id: Uuid) -> impl IntoView {
    let session = expect_context::<Session>();
    move || {
        session.name.with(Option::is_some).then(|| {
            view! { <Link to=Route::Edit(listing, id) class="action">{t(T::Edit)}</Link> }
        })
    }
}

pub(super) fn describe(problem: &Problem) -> String {
    match problem {
        Problem::Network => t(T::NeedsConnection).to_owned(),
        Problem::SignedOut => t(T::SessionEnded).to_owned(),
        Problem::BadCredentials => t(T::BadSignIn).to_owned(),
        Problem::Throttled => t(T::TooManyTries).to_owned(),
        Problem::Refused(reason) => T::ServerSaid.fill(&[("reason", reason)]),
        Problem::Conflict(None) => t(T::DeletedMeanwhile).to_owned(),
        Problem::Conflict(Some(_)) => t(T::ConflictTitle).to_owned(),
        Problem::Invalid(problems) => problems
            .iter()
            .map(|p| format!("{}: {}", p.field, p.message))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

#[component]
fn SignIn() -> impl IntoView {
    let session = expect_context::<Session>();
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Problem>);
    let busy = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        problem.set(None);
        spawn_local(async move {
            let name = name.get_untracked().trim().to_owned();
            let result = session.sign_in(&name, &password.get_untracked()).await;
            password.set(String::new());
            busy.set(false);
            problem.set(result.err());
        });
    };
    view! {
        <h1>{t(T::SignInTitle)}</h1>
        <form class="organise" on:submit=submit>
            <label class="field">
                <span>{t(T::OrganiserName)}</span>
                <input type="text" name="name" autocomplete="off" required prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev)) />
            </label>
            <label class="field">
                <span>{t(T::Password)}</span>
                <input type="password" name="password" autocomplete="off" required
                    prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
            </label>
            <button type="submit" class="primary" disabled=move || busy.get()>{t(T::SignIn)}</button>
        </form>
        <p class="message" role="alert">
            {move || match problem.get() {
                Some(p) => Some(describe(&p)),
                None => session.ended.get().then(|| t(T::SessionEnded).to_owned()),
            }}
        </p>
        <p class="note">{t(T::OrganiseNote)}</p>
    }
}

/// How far back triage looks.
#[derive(Clone, Copy, PartialEq)]
enum Window {
    Any,
    Hour,
    Day,
    Week,
}

impl Window {
    const ALL: [Window; 4] = [Self::Any, Self::Hour, Self::Day, Self::Week];

    fn label(self) -> T {
        match self {
            Self::Any => T::AnyTime,
            Self::Hour => T::LastHour,
            Self::Day => T::LastDay,
            Self::Week => T::LastWeek,
        }
    }

    /// Received since then, from `now` (milliseconds since the epoch).
    fn since(self, now: f64) -> Option<DateTime<Utc>> {
        let hours = match self {
            Self::Any => return None,
            Self::Hour => 1,
            Self::Day => 24,
            Self::Week => 24 * 7,
        };
        DateTime::from_timestamp_millis(now as i64 - hours * 3_600_000)
    }
}

#[component]
fn Triage(name: String) -> impl IntoView {
    let session = expect_context::<Session>();
    let status = RwSignal::new(ReportStatus::Received);
    let kind = RwSignal::new(None::<ReportKind>);
    let window = RwSignal::new(Window::Any);
    // An index into the region's neighbourhoods (the config kept on the phone).
    let place = RwSignal::new(None::<usize>);
    let neighbourhoods = StoredValue::new(
        api::Config::kept()
            .map(|c| c.neighbourhoods)
            .unwrap_or_default(),
    );
    // What the list shows now: answers to anything else are dropped.
    let asked = StoredValue::new(None::<api::Triage>);
    // None while loading.
    let reports = RwSignal::new(None::<Vec<StoredReport>>);
    // Where the next (older) page starts, when there is one.
    let next = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<Problem>);
    let done = RwSignal::new(None::<String>);
    // Received reports ticked for rejecting at once.
    let selected = RwSignal::new(Vec::<Uuid>::new());
    // Loading, empty or not: the list below is rebuilt only when this changes, so the keyed
    // items stay put while one leaves.
    let shown = Memo::new(move |_| reports.with(|r| r.as_ref().map(Vec::is_empty)));
    let current = move || api::Triage {
        status: status.get_untracked(),
        kind: kind.get_untracked(),
        since: window.get_untracked().since(js_sys::Date::now()),
        cells: place
            .get_untracked()
            .and_then(|i| neighbourhoods.with_value(|n| n.get(i).map(|n| n.cells.clone())))
            .unwrap_or_default(),
    };
    let still = move |triage: &api::Triage| asked.with_value(|a| a.as_ref() == Some(triage));
    // Fetched by hand rather than with a `LocalResource`: its async machinery adds 9 KB brotli
    // to the first load (measured with `cargo xtask bench`), for one list.
    let load = move || {
        reports.set(None);
        selected.set(Vec::new());
        let triage = current();
        asked.set_value(Some(triage.clone()));
        spawn_local(async move {
            let result = session.check(api::reports(&triage, None).await);
            // A slower answer for other filters must not land here.
            if !still(&triage) {
                return;
            }
            problem.set(result.as_ref().err().cloned());
            let page = result.ok();
            next.set(page.as_ref().and_then(|p| p.next.clone()));
            reports.set(Some(page.map(|p| p.reports).unwrap_or_default()));
        });
    };
    // One older page at a time; an answer is kept only if the list still ends where it was
    // asked from (a refresh meanwhile starts the list again), and never twice the same report.
    let fetching = RwSignal::new(false);
    let older = move |_| {
        let (Some(after), Some(triage)) = (next.get_untracked(), asked.get_value()) else {
            return;
        };
        if fetching.get_untracked() {
            return;
        }
        fetching.set(true);
        spawn_local(async move {
            let answer = session.check(api::reports(&triage, Some(&after)).await);
            let current = still(&triage)
                && next.try_get_untracked().flatten().as_deref() == Some(after.as_str());
            match answer {
                Ok(page) if current => {
                    next.set(page.next);
                    reports.update(|list| {
                        let list = list.get_or_insert_default();
                        let fresh: Vec<StoredReport> = page
                            .reports
                            .into_iter()
                            .filter(|r| list.iter().all(|had| had.id != r.id))
                            .collect();
                        list.extend(fresh);
                    });
                }
                Ok(_) => {}
                Err(p) => problem.set(Some(p)),
            }
            fetching.try_set(false);
        });
    };
    Effect::new(move |_| {
        status.track();
        kind.track();
        window.track();
        place.track();
        load();
    });
    // New reports arriving while the screen is open (`live`): fetched without "Loading…", so the
    // list and an open form stay as they are. The first number only says how things stand.
    let arrivals = StoredValue::new(None::<u64>);
    live::follow(api::RECEIVED, move |n| {
        let first = arrivals.try_update_value(|seen| seen.replace(n).is_none());
        let showing_new = status.get_untracked() == ReportStatus::Received
            && reports.with_untracked(Option::is_some);
        if first != Some(false) || !showing_new {
            return;
        }
        let Some(triage) = asked.get_value() else {
            return;
        };
        spawn_local(async move {
            let Ok(page) = session.check(api::reports(&triage, None).await) else {
                return;
            };
            if still(&triage) {
                next.try_set(page.next);
                reports.try_set(Some(page.reports));
            }
        });
    });
    let sign_out = move |_| {
        spawn_local(async move {
            match session.sign_out().await {
                Err(Problem::Network) => done.set(Some(t(T::SignOutNeedsConnection).to_owned())),
                Err(p) => problem.set(Some(p)),
                Ok(()) => {}
            }
        });
    };
    let remove = move |id: Uuid, message: String| {
        reports.update(|list| {
            if let Some(list) = list {
                list.retain(|r| r.id != id);
            }
        });
        selected.update(|ids| ids.retain(|&i| i != id));
        done.set(Some(message));
    };
    let select_all = move |_| {
        selected.set(reports.with(|list| {
            list.iter()
                .flatten()
                .filter(|r| r.status == ReportStatus::Received)
                .map(|r| r.id)
                .collect()
        }));
    };
    let rejecting = RwSignal::new(false);
    let reject_selected = move |_| {
        let ids = selected.get_untracked();
        if ids.is_empty() || rejecting.get_untracked() {
            return;
        }
        rejecting.set(true);
        spawn_local(async move {
            match session.check(api::reject_reports(&ids).await) {
                Ok(n) => {
                    reports.update(|list| {
                        if let Some(list) = list {
                            list.retain(|r| !ids.contains(&r.id));
                        }
                    });
                    selected.set(Vec::new());
                    done.set(Some(
                        T::RejectedMany.fill(&[("n", &format::number(n as usize))]),
                    ));
                }
                Err(p) => problem.set(Some(p)),
            }
            rejecting.try_set(false);
        });
    };
    // Everything the filters select in their time window, beyond the pages loaded: two taps.
    let confirm_window = RwSignal::new(false);
    let reject_window = move |_| {
        if rejecting.get_untracked() {
            return;
        }
        rejecting.set(true);
        confirm_window.set(false);
        let triage = current();
        spawn_local(async move {
            match session.check(api::reject_window(&triage, js_sys::Date::now()).await) {
                Ok(n) => {
                    selected.set(Vec::new());
                    done.set(Some(
                        T::RejectedMany.fill(&[("n", &format::number(n as usize))]),
                    ));
                    load();
                }
                Err(p) => problem.set(Some(p)),
            }
            rejecting.try_set(false);
        });
    };
    // The listed reports' areas, for the map of them all.
    let areas = Signal::derive(move || {
        reports.with(|list| {
            list.iter()
                .flatten()
                .filter_map(|r| r.area.clone())
                .collect::<Vec<_>>()
        })
    });
    let tab = move |s: ReportStatus, label: T| {
        view! {
            <button type="button" class="chip" aria-pressed=move || (status.get() == s).to_string()
                on:click=move |_| { done.set(None); status.set(s) }>
                {t(label)}
            </button>
        }
    };
    let pick_kind = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        kind.set(ReportKind::ALL.into_iter().find(|k| k.as_str() == value));
    };
    let pick_window = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev).parse().unwrap_or(0);
        window.set(Window::ALL.get(value).copied().unwrap_or(Window::Any));
    };
    let pick_place = move |ev: leptos::ev::Event| place.set(event_target_value(&ev).parse().ok());
    view! {
        <h1>{t(T::OrganiseTitle)}</h1>
        <div class="signed-in">
            <span>{T::SignedInAs.fill(&[("name", &name)])}</span>
            <button type="button" class="action" on:click=sign_out>{t(T::SignOut)}</button>
        </div>
        <WaitingEdits />
        <p class="note">{t(T::ReportsNotKept)}</p>
        <div class="toggles">
            {tab(ReportStatus::Received, T::TriageNew)}
            {tab(ReportStatus::Verified, T::TriageVerified)}
            <button type="button" class="chip" on:click=move |_| load()>{t(T::Refresh)}</button>
        </div>
        <div class="toggles triage-filters">
            <select aria-label=t(T::FilterKind) on:change=pick_kind>
                <option value="">{t(T::AnyKind)}</option>
                {ReportKind::ALL.map(|k| view! { <option value=k.as_str()>{t(i18n::report_kind(k))}</option> })}
            </select>
            <select aria-label=t(T::FilterWhen) on:change=pick_window>
                {Window::ALL.into_iter().enumerate().map(|(i, w)| view! {
                    <option value=i.to_string()>{t(w.label())}</option>
                }).collect_view()}
            </select>
            {neighbourhoods.with_value(|n| !n.is_empty()).then(|| view! {
                <select aria-label=t(T::FilterWhere) on:change=pick_place>
                    <option value="">{t(T::Everywhere)}</option>
                    {neighbourhoods.with_value(|n| n.iter().enumerate().map(|(i, n)| view! {
                        <option value=i.to_string()>{n.name.clone()}</option>
                    }).collect_view())}
                </select>
            })}
        </div>
        <p class="message" role="status">{move || done.get()}</p>
        <p class="message refused" role="alert">{move || problem.with(|p| p.as_ref().map(describe))}</p>
        {move || (status.get() == ReportStatus::Received && shown.get() == Some(false)).then(|| view! {
            <div class="actions bulk">
                <button type="button" class="action" on:click=select_all>{t(T::SelectAllShown)}</button>
                <button type="button" class="action" disabled=move || rejecting.get() || selected.with(Vec::is_empty)
                    on:click=reject_selected>
                    {move || T::RejectSelected.fill(&[("n", &format::number(selected.with(Vec::len)))])}
                </button>
                {move || (window.get() != Window::Any).then(|| view! {
                    <button type="button" class="action" aria-expanded=move || confirm_window.get().to_string()
                        disabled=move || rejecting.get() on:click=move |_| confirm_window.update(|c| *c = !*c)>
                        {t(T::RejectWindow)}
                    </button>
                })}
            </div>
            {move || confirm_window.get().then(|| view! {
                <p class="note">{t(T::RejectWindowNote)}</p>
                <div class="actions">
                    <button type="button" class="action danger" disabled=move || rejecting.get() on:click=reject_window>
                        {move || t(window.get().label())}" · "{t(T::RejectAllOfThem)}
                    </button>
                    <button type="button" class="action" on:click=move |_| confirm_window.set(false)>{t(T::Cancel)}</button>
                </div>
            })}
        })}
        {move || (shown.get() == Some(false)).then(|| view! { <ReportsMap areas /> })}
        {move || match shown.get() {
            None => view! { <p class="empty">{t(T::Loading)}</p> }.into_any(),
            Some(true) => view! { <p class="empty">{t(T::NoReports)}</p> }.into_any(),
            // Keyed: a report leaving the list leaves the others (and an open form) as they are.
            Some(false) => view! {
                <ul class="cards triage">
                    <For each=move || reports.get().unwrap_or_default() key=|r| r.id let(report)>
                        <TriageItem report remove problem selected />
                    </For>
                </ul>
            }.into_any(),
        }}
        {move || next.with(Option::is_some).then(|| view! {
            <button type="button" class="action" disabled=move || fetching.get() on:click=older>{t(T::ShowOlder)}</button>
        })}
        <section class="new-listings">
            <h2>{t(T::NewListings)}</h2>
            <div class="actions">
                <Link to=Route::New(Listing::Event, None) class="action">{t(T::NewEvent)}</Link>
                <Link to=Route::New(Listing::Resource, None) class="action">{t(T::NewResource)}</Link>
                <Link to=Route::New(Listing::Card, None) class="action">{t(T::NewCard)}</Link>
            </div>
        </section>
        <TeamSection me=name.clone() />
        <SessionsSection />
        <AuditSection />
        <PushChoice audience=Audience::Reports />
    }
}

#[component]
fn TriageItem(
    report: StoredReport,
    remove: impl Fn(Uuid, String) + Copy + Send + Sync + 'static,
    problem: RwSignal<Option<Problem>>,
    selected: RwSignal<Vec<Uuid>>,
) -> impl IntoView {
    let session = expect_context::<Session>();
    let Clock(clock) = expect_context::<Clock>();
    let id = report.id;
    let kind = t(i18n::report_kind(report.kind));
    let place = format::place(report.cross_streets.as_deref(), report.area.as_deref());
    let seen = move || {
        format::ago(
            clock.get() - report.observed_at.timestamp_millis() as f64,
            [T::SeenNow, T::SeenMinutes, T::SeenHours, T::SeenDays],
        )
    };
    let received = report.status == ReportStatus::Received;
    let verifying = RwSignal::new(false);
    // What the public will see: the organiser's to write. The place starts from the reporter's
    // words, for the organiser to check (no home addresses, no names) before publishing.
    let summary = RwSignal::new(kind.to_owned());
    let public_place = RwSignal::new(report.cross_streets.clone().unwrap_or_default());
    let area_choices = area_choices(report.area.as_deref());
    let public_area = RwSignal::new(area_choices.first().cloned().flatten());
    let translations: Vec<(Lang, RwSignal<String>)> = Lang::ALL
        .into_iter()
        .map(|lang| (lang, RwSignal::new(String::new())))
        .collect();
    let texts = StoredValue::new(translations.clone());
    let minutes = RwSignal::new(LIFETIMES[1]);
    // One action at a time: a double tap must not send it twice. `set` after the await is safe
    // when the item has left the list meanwhile (a disposed signal ignores it).
    let busy = RwSignal::new(false);
    let act = move |action: Moderation, message: T| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match session.check(api::moderate(id, action).await) {
                Ok(()) => remove(id, t(message).to_owned()),
                Err(p) => problem.set(Some(p)),
            }
            busy.set(false);
        });
    };
    let publish = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let text = summary.get_untracked().trim().to_owned();
        let place = public_place.get_untracked().trim().to_owned();
        let area = public_area.get_untracked();
        let lifetime = minutes.get_untracked();
        let translations = texts.with_value(|texts| translated(texts));
        spawn_local(async move {
            let alert = api::Publication {
                summary: &text,
                area: area.as_deref(),
                cross_streets: (!place.is_empty()).then_some(place.as_str()),
                translations,
                minutes: lifetime,
            };
            match session.check(api::verify(id, &alert).await) {
                Ok(until) => remove(id, T::Published.fill(&[("time", &format::time(until, ""))])),
                Err(p) => problem.set(Some(p)),
            }
            busy.set(false);
        });
    };
    view! {
        <li class="card report-item">
            {received.then(|| view! {
                <label class="select">
                    <input type="checkbox" prop:checked=move || selected.with(|ids| ids.contains(&id))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            selected.update(|ids| {
                                ids.retain(|&i| i != id);
                                if on {
                                    ids.push(id);
                                }
                            });
                        } />
                    <span>{t(T::SelectReport)}</span>
                </label>
            })}
            <p class="kind">{kind}</p>
            <h2>{place}</h2>
            {report.area.clone().map(|area| view! { <AreaMap area /> })}
            <p class="muted">{seen}</p>
            {(!report.description.is_empty()).then(|| view! { <p class="said">{report.description.clone()}</p> })}
            <div class="actions">
                {received.then(|| view! {
                    <button type="button" class="action" aria-expanded=move || verifying.get().to_string()
                        on:click=move |_| verifying.update(|v| *v = !*v)>{t(T::Verify)}</button>
                    <button type="button" class="action" disabled=move || busy.get()
                        on:click=move |_| act(Moderation::Reject, T::RejectedDone)>{t(T::Reject)}</button>
                })}
                <button type="button" class="action" disabled=move || busy.get()
                    on:click=move |_| act(Moderation::Resolve, T::ResolvedDone)>{t(T::Resolve)}</button>
            </div>
            {move || verifying.get().then(|| view! {
                <form class="verify" on:submit=publish>
                    <label class="field">
                        <span>{t(T::AlertText)}</span>
                        <textarea rows="2" maxlength=MAX_TITLE required prop:value=move || summary.get()
                            on:input=move |ev| summary.set(event_target_value(&ev))></textarea>
                    </label>
                    <TranslationFields translations=translations.clone() />
                    <PublicPlace place=public_place areas=area_choices.clone() area=public_area />
                    <fieldset>
                        <legend>{t(T::AlertLifetime)}</legend>
                        <div class="chips wrap">
                            {LIFETIMES.into_iter().map(|m| view! {
                                <button type="button" class="chip" aria-pressed=move || (minutes.get() == m).to_string()
                                    on:click=move |_| minutes.set(m)>{lifetime(m)}</button>
                            }).collect_view()}
                        </div>
                    </fieldset>
                    <button type="submit" class="primary" disabled=move || busy.get()>{t(T::Publish)}</button>
                </form>
            })}
        </li>
    }
}

/// The areas an alert can show for a report in `area`: the report's own cell, then coarser ones
/// down to about 5 km, then none. An alert's area can only be made coarser, never finer.
pub(super) fn area_choices(area: Option<&str>) -> Vec<Option<String>> {
    let finest = area.map_or(0, str::len);
    let mut choices: Vec<Option<String>> = (finest.min(5)..=finest)
        .rev()
        .filter_map(|len| area?.get(..len).map(|cell| Some(cell.to_owned())))
        .collect();
    choices.push(None);
    choices
}

pub(super) fn lifetime(minutes: u32) -> String {
    if minutes < 60 {
        T::ForMinutes.fill(&[("n", &minutes.to_string())])
    } else {
        T::ForHours.fill(&[("n", &(minutes / 60).to_string())])
    }
}

#[cfg(test)]
mod tests {
    use super::area_choices;

    #[test]
    fn an_alert_area_can_only_be_the_reports_or_coarser() {
        let cell = |c: &str| Some(c.to_owned());
        assert_eq!(
            area_choices(Some("9zvxvf2")),
            [cell("9zvxvf2"), cell("9zvxvf"), cell("9zvxv"), None]
        );
        assert_eq!(area_choices(Some("9zv")), [cell("9zv"), None]);
        assert_eq!(area_choices(None), [None]);
    }
}
