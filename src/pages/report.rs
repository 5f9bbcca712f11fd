//! Report: a neighbour writes what they see in a few taps, with or without a connection.
//!
//! The position, if the person shares it, stays in memory and becomes a geohash area of 7
//! characters (about 150 m) before anything is saved; the area is what the person is shown and
//! what is sent. Saving puts the report in the outbox; the engine sends it (see `outbox`).

use chrono::Duration;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;
use vecinos_core::geo::{LatLon, coarsen};
use vecinos_core::validate::{MAX_REPORT_TEXT, MAX_TITLE};
use vecinos_core::{ReportKind, text};

use super::{HotlineLink, locate, new_id, now};
use crate::cache::Fate;
use crate::engine::Handle;
use crate::format;
use crate::i18n::{self, T, t};
use crate::outbox::{self, Outgoing};
use crate::state::Clock;

/// The choices for "when", in minutes before now.
const MINUTES_AGO: [i64; 4] = [0, 15, 30, 60];

#[component]
pub fn ReportPage() -> impl IntoView {
    let handle = expect_context::<Handle>();
    let kind = RwSignal::new(None::<ReportKind>);
    let description = RwSignal::new(String::new());
    let minutes_ago = RwSignal::new(0i64);
    let position = RwSignal::new(None::<LatLon>);
    let position_error = RwSignal::new(false);
    let cross_streets = RwSignal::new(String::new());
    let message = RwSignal::new(None::<T>);
    // The report saved last, to say "Sent" once the server has it.
    let saved = RwSignal::new(None::<Uuid>);
    let area = Memo::new(move |_| position.get().and_then(|p| coarsen(p).ok()));

    // A position someone could be found at, typed or pasted: warned about as it is typed, and
    // not saved (the server would refuse it).
    // Checked on the text as it would be sent: hidden characters inside a number do not hide it.
    let precise = Memo::new(move |_| {
        description.with(|d| text::has_precise_coordinate(&visible(d)))
            || cross_streets.with(|c| text::has_precise_coordinate(&visible(c)))
    });
    // True from a tap on "Save" until the report is in the outbox: a second tap meanwhile (a
    // double tap on a slow phone) must not save the same report twice.
    let saving = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        if precise.get_untracked() {
            message.set(Some(T::PreciseWarning));
            return;
        }
        let cross = visible(&cross_streets.get_untracked());
        let area = area.get_untracked();
        let (Some(chosen), true) = (kind.get_untracked(), area.is_some() || !cross.is_empty())
        else {
            message.set(Some(T::ReportIncomplete));
            return;
        };
        let Some(id) = new_id() else {
            message.set(Some(T::ErrStorage));
            return;
        };
        let report = Outgoing {
            id,
            kind: chosen,
            description: visible(&description.get_untracked()),
            observed_at: now() - Duration::minutes(minutes_ago.get_untracked()),
            area,
            cross_streets: (!cross.is_empty()).then_some(cross),
            language: i18n::lang().code().to_owned(),
            stamp: None,
            refused: None,
        };
        saving.set(true);
        let on_saved = move || {
            saving.set(false);
            kind.set(None);
            description.set(String::new());
            minutes_ago.set(0);
            position.set(None);
            cross_streets.set(String::new());
            saved.set(Some(id));
            message.set(Some(T::SavedWaiting));
        };
        spawn_local(async move {
            // A failure after saving (stamping) leaves the report waiting: the engine stamps it.
            // try_: the person may have left the page meanwhile.
            if handle.submit(report, on_saved).await.is_err()
                && saved.try_get_untracked() != Some(Some(id))
            {
                saving.set(false);
                message.set(Some(T::ErrStorage));
            }
        });
    };

    // "Sent" once the report saved last has left the outbox with the server's receipt; a
    // refusal is listed below with its reason.
    let status = move || {
        let waiting = saved.get().and_then(|id| {
            handle.outbox.with(|o| {
                o.waiting
                    .iter()
                    .find(|r| r.id == id)
                    .map(|r| r.refused.is_none())
            })
        });
        match (message.get(), waiting) {
            (Some(T::SavedWaiting), None) => t(T::Sent),
            (Some(T::SavedWaiting), Some(false)) => "",
            (Some(text), _) => t(text),
            (None, _) => "",
        }
    };

    view! {
        <h1>{t(T::ReportTitle)}</h1>
        <p>{t(T::ReportIntro)}</p>
        <HotlineLink />
        <form class="report" on:submit=submit novalidate>
            <fieldset>
                <legend>{t(T::WhatSeen)}</legend>
                <div class="kinds">
                    {ReportKind::ALL.into_iter().map(|k| view! {
                        <button type="button" class="report-kind" aria-pressed=move || (kind.get() == Some(k)).to_string()
                            on:click=move |_| kind.set(Some(k))>
                            {t(i18n::report_kind(k))}
                        </button>
                    }).collect_view()}
                </div>
            </fieldset>
            <label class="field">
                <span>{t(T::Describe)}</span>
                <textarea rows="3" maxlength=MAX_REPORT_TEXT prop:value=move || description.get()
                    on:input=move |ev| description.set(event_target_value(&ev))></textarea>
            </label>
            <fieldset>
                <legend>{t(T::When)}</legend>
                <div class="chips wrap">
                    {MINUTES_AGO.into_iter().map(|m| view! {
                        <button type="button" class="chip" aria-pressed=move || (minutes_ago.get() == m).to_string()
                            on:click=move |_| minutes_ago.set(m)>
                            {if m == 0 { t(T::Now).to_owned() } else { T::MinutesAgo.fill(&[("n", &m.to_string())]) }}
                        </button>
                    }).collect_view()}
                </div>
            </fieldset>
            <fieldset>
                <legend>{t(T::Where)}</legend>
                <button type="button" class="action" on:click=move |_| locate(position, position_error)>
                    {t(T::UseLocation)}
                </button>
                <p class="note" role="status">
                    {move || match (area.get(), position_error.get()) {
                        (Some(a), _) => T::AreaChosen.fill(&[("area", &a)]),
                        (None, true) => t(T::NoPosition).to_owned(),
                        (None, false) => String::new(),
                    }}
                </p>
                <label class="field">
                    <span>{t(T::CrossStreets)}</span>
                    <input type="text" maxlength=MAX_TITLE autocomplete="off" prop:value=move || cross_streets.get()
                        on:input=move |ev| cross_streets.set(event_target_value(&ev)) />
                </label>
                {move || precise.get().then(|| view! {
                    <p class="message refused" role="alert">{t(T::PreciseWarning)}</p>
                })}
            </fieldset>
            <p class="note">{t(T::WhatIsSent)}</p>
            <button type="submit" class="primary" disabled=move || saving.get()>{t(T::SaveReport)}</button>
        </form>
        <div class="outbox" role="status">
            <p class="message">{status}</p>
            {move || (handle.delivering.get() && handle.stamping.with(Option::is_none))
                .then(|| view! { <p>{t(T::Sending)}</p> })}
            {move || handle.stamping.get().map(|share| view! {
                <label class="stamping">
                    <span>{t(T::Preparing)}</span>
                    // The work varies from one report to the next. The bar shows the share of
                    // reports that would be ready by now (1 - e^-share), so it slows near its end
                    // rather than sitting full while the phone is still busy.
                    <progress max="1" value=1.0 - (-share).exp()></progress>
                </label>
            })}
            {move || {
                let waiting = handle.outbox.with(|o| o.waiting.iter().filter(|r| r.refused.is_none()).count());
                (waiting > 0).then(|| view! { <p>{T::WaitingCount.fill(&[("n", &waiting.to_string())])}</p> })
            }}
            {move || handle.outbox.with(|o| o.waiting.iter().filter_map(|r| r.refused.clone()).collect::<Vec<_>>())
                .into_iter()
                .map(|reason| view! { <p class="refused">{T::Refused.fill(&[("reason", &reason)])}</p> })
                .collect_view()}
            {move || {
                let sent = handle.outbox.with(|o| o.sent);
                (sent > 0).then(|| view! { <p class="muted">{T::SentCount.fill(&[("n", &sent.to_string())])}</p> })
            }}
        </div>
        <YourReports />
    }
}

/// "Your reports": what became of the reports this phone sent in the last 7 days. The server is
/// asked once per visit of the screen (and on "Check again"), each id on its own; offline, or
/// when a question fails, the last known statuses are shown and said to be so.
#[component]
fn YourReports() -> impl IntoView {
    let handle = expect_context::<Handle>();
    let Clock(now) = expect_context::<Clock>();
    let checking = RwSignal::new(false);
    let last_known = RwSignal::new(false);
    let check = move || {
        let mine = handle.outbox.with_untracked(|o| o.mine.clone());
        if mine.is_empty() || checking.get_untracked() {
            return;
        }
        if !handle.online.get_untracked() {
            last_known.set(true);
            return;
        }
        checking.set(true);
        spawn_local(async move {
            let answered = match outbox::check_sent(&mine).await {
                Ok((list, answered)) => {
                    handle.outbox.update(|o| o.mine = list);
                    answered
                }
                Err(_) => false,
            };
            // try_: the person may have left the screen meanwhile.
            last_known.try_set(!answered);
            checking.try_set(false);
        });
    };
    // Once per visit, as soon as the kept ids are read (the engine may still be opening the
    // cache when the screen opens). Reports sent during the visit are known to be received.
    let asked = StoredValue::new(false);
    Effect::new(move |_| {
        if !asked.get_value() && handle.outbox.with(|o| !o.mine.is_empty()) {
            asked.set_value(true);
            check();
        }
    });
    let rows = move || {
        let now = now.get();
        handle.outbox.with(|o| {
            o.mine
                .iter()
                .rev()
                .map(|sent| {
                    let ago = format::ago(
                        now - sent.at,
                        [T::SentNow, T::SentMinutes, T::SentHours, T::SentDays],
                    );
                    let (class, fate) = match sent.fate {
                        Some(Fate::Received) => ("fate", t(T::FateReceived)),
                        Some(Fate::Published) => ("fate published", t(T::FatePublished)),
                        Some(Fate::NotPublished) => ("fate not-published", t(T::FateNotPublished)),
                        Some(Fate::Resolved) => ("fate", t(T::FateResolved)),
                        None => ("fate", ""),
                    };
                    view! {
                        <li>
                            {ago}{(!fate.is_empty()).then_some(": ")}
                            <span class=class>{fate}</span>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    move || {
        handle.outbox.with(|o| !o.mine.is_empty()).then(|| {
            view! {
                <section class="mine" aria-labelledby="your-reports">
                    <h2 id="your-reports">{t(T::YourReports)}</h2>
                    <ul class="mine-list">{rows}</ul>
                    <p class="note" role="status">
                        {move || if checking.get() {
                            t(T::Checking)
                        } else if last_known.get() {
                            t(T::FatesLastKnown)
                        } else {
                            ""
                        }}
                    </p>
                    <button type="button" class="action" disabled=move || checking.get()
                        on:click=move |_| check()>
                        {t(T::CheckAgain)}
                    </button>
                    <p class="note">{t(T::YourReportsNote)}</p>
                </section>
            }
        })
    }
}

/// `typed` as it is sent: trimmed, without hidden formatting characters (direction overrides,
/// zero-width spaces) that would make the server refuse it, and empty when nothing visible is
/// left.
fn visible(typed: &str) -> String {
    let kept: String = typed
        .chars()
        .filter(|c| !text::is_hidden_formatting(*c))
        .collect();
    if text::is_blank(&kept) {
        String::new()
    } else {
        kept.trim().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::visible;

    #[test]
    fn what_is_sent_has_no_hidden_formatting_and_invisible_text_is_nothing() {
        assert_eq!(visible("  Lake St\u{200b} & 5th\u{202e} "), "Lake St & 5th");
        assert_eq!(visible(" \u{200b}\u{200d} "), "");
        assert_eq!(visible("vans"), "vans");
        assert!(vecinos_core::text::has_precise_coordinate(&visible(
            "44.96\u{200b}30512"
        )));
    }
}
