//! What a signed-in organiser can do with a published alert, on the Alerts screen: update it (its
//! text, in each of the app's languages, its place and lifetime) or take it down ("false alarm"
//! or "it's over"), after which phones show "All clear" in its place for an hour. The phones get
//! the new version from the feed (at once when live), this one included.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use vecinos_core::places;
use vecinos_core::validate::{MAX_REPORT_TEXT, MAX_TITLE};
use vecinos_core::{Alert, WithdrawalReason};

use super::alerts::LastAction;
use super::organise::{LIFETIMES, area_choices, describe, lifetime};
use super::{NotLoaded, lazy};
use crate::api::{self, Problem};
use crate::i18n::{Lang, T, t};
use crate::organise::Session;

/// Update and take-down for one alert; nothing unless signed in as an organiser (the code is in
/// the organisers' chunk).
#[component]
pub fn AlertActions(alert: Alert) -> impl IntoView {
    let session = expect_context::<Session>();
    move || {
        session.name.with(Option::is_some).then(|| {
            let alert = alert.clone();
            lazy(move || actions(alert.clone()))
        })
    }
}

split!(
    organise,
    fn actions(alert: Alert) -> Result<AnyView, NotLoaded> {
        Ok(view! { <Actions alert /> }.into_any())
    }
);

#[derive(Clone, Copy, PartialEq)]
enum Open {
    Nothing,
    Update,
    TakeDown,
}

#[component]
fn Actions(alert: Alert) -> impl IntoView {
    let session = expect_context::<Session>();
    let open = RwSignal::new(Open::Nothing);
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<Problem>);
    let LastAction(done) = expect_context::<LastAction>();
    let (id, version) = (alert.id, alert.version);

    let summary = RwSignal::new(alert.summary.clone());
    let translations: Vec<(Lang, RwSignal<String>)> = Lang::ALL
        .into_iter()
        .map(|lang| {
            let text = alert.translations.get(lang.code()).cloned();
            (lang, RwSignal::new(text.unwrap_or_default()))
        })
        .collect();
    let place = RwSignal::new(alert.cross_streets.clone().unwrap_or_default());
    let areas = area_choices(alert.area.as_deref());
    let area = RwSignal::new(alert.area.clone());
    // None keeps the expiry as it is.
    let minutes = RwSignal::new(None::<u32>);

    let finish = move |result: Result<(), Problem>, message: T| {
        match session.check(result) {
            Ok(()) => {
                open.set(Open::Nothing);
                problem.set(None);
                done.set(Some((id, message)));
            }
            Err(p) => problem.set(Some(p)),
        }
        busy.set(false);
    };
    let texts = StoredValue::new(translations.clone());
    let save = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let translated = texts.with_value(|texts| translated(texts));
        let cross = place.get_untracked().trim().to_owned();
        let revision = serde_json::json!({
            "summary": summary.get_untracked().trim(),
            "translations": translated,
            "area": area.get_untracked(),
            "cross_streets": (!cross.is_empty()).then_some(cross),
            "ttl_minutes": minutes.get_untracked(),
        });
        spawn_local(async move {
            finish(
                api::update_alert(id, version, &revision).await,
                T::AlertUpdated,
            );
        });
    };
    let take_down = move |reason: WithdrawalReason| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            finish(api::withdraw_alert(id, reason).await, T::AlertTakenDown);
        });
    };
    let toggle = move |which: Open| {
        done.set(None);
        open.update(|o| *o = if *o == which { Open::Nothing } else { which });
    };
    view! {
        <div class="actions">
            <button type="button" class="action" aria-expanded=move || (open.get() == Open::Update).to_string()
                on:click=move |_| toggle(Open::Update)>{t(T::UpdateAlert)}</button>
            <button type="button" class="action" aria-expanded=move || (open.get() == Open::TakeDown).to_string()
                on:click=move |_| toggle(Open::TakeDown)>{t(T::TakeDown)}</button>
        </div>
        <p class="message refused" role="alert">{move || problem.with(|p| p.as_ref().map(describe))}</p>
        {move || (open.get() == Open::TakeDown).then(|| view! {
            <div class="actions">
                <button type="button" class="action" disabled=move || busy.get()
                    on:click=move |_| take_down(WithdrawalReason::FalseAlarm)>{t(T::FalseAlarm)}</button>
                <button type="button" class="action" disabled=move || busy.get()
                    on:click=move |_| take_down(WithdrawalReason::Over)>{t(T::ItIsOver)}</button>
            </div>
        })}
        {move || (open.get() == Open::Update).then(|| view! {
            <form class="verify" on:submit=save>
                <label class="field">
                    <span>{t(T::AlertText)}</span>
                    <textarea rows="2" maxlength=MAX_REPORT_TEXT required prop:value=move || summary.get()
                        on:input=move |ev| summary.set(event_target_value(&ev))></textarea>
                </label>
                <TranslationFields translations=translations.clone() />
                <PublicPlace place areas=areas.clone() area />
                <fieldset>
                    <legend>{t(T::AlertLifetimeFromNow)}</legend>
                    <div class="chips wrap">
                        <button type="button" class="chip" aria-pressed=move || minutes.with(Option::is_none).to_string()
                            on:click=move |_| minutes.set(None)>{t(T::KeepLifetime)}</button>
                        {LIFETIMES.into_iter().map(|m| view! {
                            <button type="button" class="chip" aria-pressed=move || (minutes.get() == Some(m)).to_string()
                                on:click=move |_| minutes.set(Some(m))>{lifetime(m)}</button>
                        }).collect_view()}
                    </div>
                </fieldset>
                <button type="submit" class="primary" disabled=move || busy.get()>{t(T::SaveAlert)}</button>
            </form>
        })}
    }
}

/// Where an alert is, as the public will see it: the place in words, and its area (the choices
/// go from the report's cell to coarser ones, and none).
#[component]
pub fn PublicPlace(
    place: RwSignal<String>,
    areas: Vec<Option<String>>,
    area: RwSignal<Option<String>>,
) -> impl IntoView {
    view! {
        <label class="field">
            <span>{t(T::PublicPlace)}</span>
            <input type="text" maxlength=MAX_TITLE autocomplete="off" prop:value=move || place.get()
                on:input=move |ev| place.set(event_target_value(&ev)) />
            <small>{t(T::PublicPlaceNote)}</small>
        </label>
        {(areas.len() > 1).then(|| view! {
            <fieldset>
                <legend>{t(T::AreaShown)}</legend>
                <div class="chips wrap">
                    {areas.into_iter().map(|choice| {
                        let label = match &choice {
                            Some(cell) => T::AreaAbout.fill(&[("size", places::cell_size(cell.len()))]),
                            None => t(T::NoArea).to_owned(),
                        };
                        let chosen = choice.clone();
                        view! {
                            <button type="button" class="chip" aria-pressed=move || area.with(|a| *a == choice).to_string()
                                on:click=move |_| area.set(chosen.clone())>{label}</button>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
        })}
    }
}

/// The texts given of `translations`, by language code, as the API takes them.
pub fn translated(
    translations: &[(Lang, RwSignal<String>)],
) -> serde_json::Map<String, serde_json::Value> {
    translations
        .iter()
        .filter_map(|(lang, text)| {
            let text = text.get_untracked().trim().to_owned();
            (!text.is_empty()).then(|| (lang.code().to_owned(), text.into()))
        })
        .collect()
}

/// The alert's text in each of the app's languages (optional): each phone shows its own
/// language's, else the main text. Also on the form that publishes a report.
#[component]
pub fn TranslationFields(translations: Vec<(Lang, RwSignal<String>)>) -> impl IntoView {
    view! {
        <details class="translations">
            <summary>{t(T::InOtherLanguages)}</summary>
            {translations.into_iter().map(|(lang, text)| view! {
                <label class="field" lang=lang.code()>
                    <span>{lang.name()}</span>
                    <textarea rows="2" maxlength=MAX_REPORT_TEXT prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </label>
            }).collect_view()}
        </details>
    }
}
