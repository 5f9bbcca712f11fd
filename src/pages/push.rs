//! "Tell me about alerts near…": turning Web Push on and off (`crate::push`), honest about who
//! sees what. Used on the Alerts page for neighbours, and in Organise for new reports.

use leptos::prelude::*;
use leptos::task::spawn_local;
use vecinos_core::geo::LatLon;
use vecinos_core::push::Audience;

use super::{NotLoaded, lazy, locate};
use crate::i18n::{T, t};
use crate::push::{self, PushError, Watch};

fn describe(problem: &PushError) -> &'static str {
    match problem {
        PushError::Unsupported => t(T::PushUnsupported),
        PushError::Denied => t(T::PushDenied),
        PushError::NotOffered => t(T::PushNotOffered),
        PushError::NoArea => t(T::NoPosition),
        PushError::Network => t(T::NeedsConnection),
        PushError::Refused(_) => t(T::PushFailed),
    }
}

/// The choice, from its chunk: most people never turn push on.
#[component]
pub fn PushChoice(audience: Audience) -> impl IntoView {
    lazy(move || choice(audience))
}

split!(
    push,
    fn choice(audience: Audience) -> Result<AnyView, NotLoaded> {
        Ok(view! { <Choice audience /> }.into_any())
    }
);

#[component]
fn Choice(audience: Audience) -> impl IntoView {
    let watch = RwSignal::new(push::watching(audience));
    let problem = RwSignal::new(None::<PushError>);
    let busy = RwSignal::new(false);
    let position = RwSignal::new(None::<LatLon>);
    let position_failed = RwSignal::new(false);
    let turn_on = move |cells: Result<Vec<String>, PushError>, near: bool| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = match cells {
                Ok(cells) => push::turn_on(audience, cells, near).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(on) => {
                    watch.set(Some(on));
                    problem.set(None);
                }
                Err(e) => problem.set(Some(e)),
            }
            busy.set(false);
        });
    };
    // "Near me": the position is asked for, turned into cells here, and forgotten.
    Effect::new(move || {
        if let Some(here) = position.get() {
            position.set(None);
            turn_on(push::near(here), true);
        }
    });
    Effect::new(move || {
        if position_failed.get() {
            position_failed.set(false);
            problem.set(Some(PushError::NoArea));
        }
    });
    let turn_off = move |_| {
        busy.set(true);
        spawn_local(async move {
            match push::turn_off(audience).await {
                Ok(()) => watch.set(None),
                Err(e) => problem.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let (title, near_label, area_label) = match audience {
        Audience::Alerts => (T::PushTitle, T::PushNearMe, T::PushWholeArea),
        Audience::Reports => (T::PushReportsTitle, T::PushReportsNear, T::PushReportsArea),
    };
    let on_text = move |w: &Watch| match (audience, w.near) {
        (Audience::Alerts, true) => t(T::PushOnNear),
        (Audience::Alerts, false) => t(T::PushOnArea),
        (Audience::Reports, _) => t(T::PushReportsOn),
    };
    view! {
        <section class="push" aria-labelledby=format!("push-{}", audience.as_str())>
            <h2 id=format!("push-{}", audience.as_str())>{t(title)}</h2>
            {move || match watch.get() {
                Some(w) => view! {
                    <p>{on_text(&w)}</p>
                    <button type="button" class="action" disabled=move || busy.get() on:click=turn_off>
                        {t(T::PushTurnOff)}
                    </button>
                }.into_any(),
                None if !push::supported() => view! { <p class="note">{t(T::PushUnsupported)}</p> }.into_any(),
                None => view! {
                    <div class="actions">
                        <button type="button" class="action" disabled=move || busy.get()
                            on:click=move |_| locate(position, position_failed)>{t(near_label)}</button>
                        <button type="button" class="action" disabled=move || busy.get()
                            on:click=move |_| turn_on(push::whole_region(), false)>{t(area_label)}</button>
                    </div>
                }.into_any(),
            }}
            <p class="message refused" role="alert">{move || problem.with(|p| p.as_ref().map(describe))}</p>
            <p class="note">{t(T::PushHonest)}</p>
            <p class="note">{t(T::PushIphone)}</p>
        </section>
    }
}
