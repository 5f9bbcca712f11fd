//! Listings from the phone: an organiser creates, edits, duplicates and deletes events, resources
//! and rights cards, every field of them (see `crate::edit` for which, and how each is held).
//!
//! An edit is made on the record as this phone has it and sent with its version. If someone
//! changed the record meanwhile, the server refuses and sends its version: the page shows, for
//! each field the organiser changed, their value and the server's, and the organiser keeps
//! theirs (only the fields they changed are written again, on top of the server's version, so
//! the other person's other changes stay) or takes the server's.
//!
//! Each problem the server finds is shown under its field, and nothing typed is lost. An event's
//! times are shown and typed in its own time zone, converted with the browser's Intl data. The
//! point is typed as coordinates or taken from the phone's position (there is no geocoder: the
//! address does not move it).

use chrono::SecondsFormat;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use uuid::Uuid;
use vecinos_core::geo::LatLon;
use vecinos_core::{EventKind, EventStatus, ResourceCategory};
use wasm_bindgen::JsCast;

use super::map::PointPicker;
use super::organise::describe;
use super::{BackTo, locate, new_id};
use crate::api::{self, Problem};
use crate::edit::{self, Field, Input, Period};
use crate::engine::Handle;
use crate::format;
use crate::i18n::{self, T, t};
use crate::organise::Session;
use crate::pending::{self, Pending};
use crate::route::{Link, Listing, Route, go};
use crate::state::Listings;

/// The languages offered as chips; a listing's others are kept and shown too.
const LANGUAGES: [&str; 12] = [
    "en", "es", "so", "hmn", "ar", "fr", "vi", "zh", "ht", "pt", "am", "sw",
];

/// The record with `id` as the phone's cache holds it, read once the cache is loaded and not
/// again: an update landing while the organiser types must not reset the form (the version
/// check catches it instead). It is the feed's own JSON, so an edit sends back every field as
/// the server wrote it. None while reading; Some(None) when the cache does not hold it.
fn cached(listing: Listing, id: Uuid) -> RwSignal<Option<Option<Value>>> {
    let listings = expect_context::<Listings>();
    let handle = expect_context::<Handle>();
    let record = RwSignal::new(None);
    Effect::new(move |read: Option<bool>| {
        if read == Some(true) || !listings.loaded.get() {
            return read.unwrap_or(false);
        }
        spawn_local(async move {
            let text = handle.record_text(listing.kind(), id).await;
            record.set(Some(
                text.and_then(|t| serde_json::from_str::<Value>(&t).ok()),
            ));
        });
        true
    });
    record
}

#[component]
pub fn EditPage(listing: Listing, id: Uuid) -> impl IntoView {
    // A change kept on the phone comes first: the organiser goes on from where they left it.
    let draft = RwSignal::new(None::<Option<Pending>>);
    spawn_local(async move { draft.set(Some(pending::of(id).await)) });
    let record = cached(listing, id);
    move || match (draft.get(), record.get()) {
        (Some(Some(draft)), _) => {
            let editing = (!draft.new).then_some(id);
            let record = draft.base.clone();
            view! { <ListingForm listing id=editing record copied=false draft /> }.into_any()
        }
        (Some(None), Some(Some(record))) => {
            view! { <ListingForm listing id=Some(id) record copied=false /> }.into_any()
        }
        (Some(None), Some(None)) => view! { <p class="empty">{t(T::Gone)}</p> }.into_any(),
        _ => view! { <p class="empty">{t(T::Loading)}</p> }.into_any(),
    }
}

/// A new listing: blank, with the phone's time zone, language and date, or a copy of `from`.
#[component]
pub fn NewPage(listing: Listing, from: Option<Uuid>) -> impl IntoView {
    let Some(from) = from else {
        let record = edit::blank(
            listing,
            &format::time_zone(),
            i18n::lang().code(),
            &format::today().to_string(),
        );
        return view! { <ListingForm listing id=None record copied=false /> }.into_any();
    };
    let original = cached(listing, from);
    (move || match original.get() {
        Some(Some(record)) => {
            let record = edit::copy(record);
            view! { <ListingForm listing id=None record copied=true /> }.into_any()
        }
        Some(None) => view! { <p class="empty">{t(T::Gone)}</p> }.into_any(),
        None => view! { <p class="empty">{t(T::Loading)}</p> }.into_any(),
    })
    .into_any()
}

type Form = StoredValue<Vec<(&'static Field, RwSignal<String>)>>;

/// The form's fields the organiser changed from `base`, the version the edit began from.
fn changes(form: Form, base: StoredValue<Value>) -> Vec<(&'static Field, String)> {
    let now = form.with_value(|form| {
        form.iter()
            .map(|(field, value)| (*field, value.get_untracked()))
            .collect::<Vec<_>>()
    });
    edit::changed(now, &base.get_value())
}

/// The value of the form's field of `input`, if it has one (an event's time zone).
fn signal_of(form: Form, input: Input) -> Option<RwSignal<String>> {
    form.with_value(|form| {
        form.iter()
            .find(|(field, _)| field.input == input)
            .map(|(_, value)| *value)
    })
}

/// The listing changes kept on this phone, each with what waits on it and a way to open it;
/// nothing when there are none. Read again each time the engine has tried to send them.
#[component]
pub fn WaitingEdits() -> impl IntoView {
    let handle = expect_context::<Handle>();
    let waiting = RwSignal::new(Vec::<Pending>::new());
    Effect::new(move |_| {
        handle.edits_sent.track();
        spawn_local(async move { waiting.set(pending::all().await) });
    });
    move || {
        (!waiting.with(Vec::is_empty)).then(|| {
            view! {
                <section class="waiting-edits">
                    <h2>{t(T::WaitingEdits)}</h2>
                    <ul>
                        {waiting.get().into_iter().map(|p| {
                            let state = match (&p.theirs, &p.refused) {
                                (Some(_), _) => T::EditNeedsChoice,
                                (None, Some(_)) => T::EditRefused,
                                (None, None) => T::EditWaiting,
                            };
                            view! {
                                <li>
                                    <Link to=Route::Edit(p.listing, p.id)>{p.title()}</Link>
                                    <span class="muted">" · "{t(state)}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
    }
}

/// The form of one listing. `draft` is a change kept on the phone, which the form starts from
/// (and forgets once it is sent or the organiser takes the server's version).
#[component]
fn ListingForm(
    listing: Listing,
    id: Option<Uuid>,
    record: Value,
    copied: bool,
    #[prop(optional)] draft: Option<Pending>,
) -> impl IntoView {
    let session = expect_context::<Session>();
    let handle = expect_context::<Handle>();
    // None until the server has the listing.
    let id = RwSignal::new(id);
    // A new listing's id, made on the phone: sent twice, it is stored once.
    let made = draft
        .as_ref()
        .map(|d| d.id)
        .or_else(new_id)
        .unwrap_or_default();
    let start = draft
        .as_ref()
        .map_or_else(|| record.clone(), Pending::edited);
    let form: Vec<(&'static Field, RwSignal<String>)> = edit::fields(listing)
        .iter()
        .map(|f| (f, RwSignal::new(edit::read(&start, f))))
        .collect();
    let form = StoredValue::new(form);
    // The version this edit is made on top of (for a new listing, what it started from).
    let base = StoredValue::new(record);
    // A change kept on the phone, until it is sent or let go.
    let kept = RwSignal::new(draft.is_some());
    let problem = RwSignal::new(draft.and_then(|d| match (d.theirs, d.refused, d.deleted) {
        (_, _, true) => Some(Problem::Conflict(None)),
        (Some(theirs), _, _) => Some(Problem::Conflict(Some(theirs))),
        (None, Some(reason), _) => Some(Problem::Refused(reason)),
        (None, None, false) => None,
    }));
    let saved = RwSignal::new(None::<T>);
    let busy = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let zone = signal_of(form, Input::TimeZone)
        .map_or_else(|| Signal::stored(String::new()), Signal::from);
    // try_: the organiser may have left the page before the server answered.
    let reset = move |record: Value| {
        form.try_with_value(|form| {
            for (field, value) in form {
                value.set(edit::read(&record, field));
            }
        });
        base.try_set_value(record);
    };
    let take_theirs = move |theirs: Value| {
        reset(theirs);
        kept.set(false);
        spawn_local(pending::forget(id.get_untracked().unwrap_or(made)));
    };
    // The moves between pages need this page's owner, which an answer arriving later lacks.
    let owner = StoredValue::new(Owner::current());
    // Lets go of the change kept on the phone; the list of what waits is on the Organise tab.
    let let_go = move |_| {
        let owner = owner.get_value();
        let key = id.get_untracked().unwrap_or(made);
        spawn_local(async move {
            pending::forget(key).await;
            if let Some(owner) = &owner {
                owner.with(|| go(Route::Organise));
            }
        });
    };
    let send = move |on_top_of: Value| {
        if busy.get_untracked() {
            return;
        }
        let changes = changes(form, base);
        let mut edited = edit::with_changes(on_top_of.clone(), &changes);
        let editing = id.get_untracked();
        if editing.is_none()
            && let Some(fields) = edited.as_object_mut()
        {
            fields.insert("id".into(), serde_json::json!(made));
        }
        busy.set(true);
        saved.set(None);
        let offline = !handle.online.get_untracked();
        spawn_local(async move {
            let saving = async {
                match editing {
                    _ if offline => Err(Problem::Network),
                    Some(id) => {
                        api::save(listing.kind(), id, &edited, edit::version(&on_top_of)).await
                    }
                    None => api::create(listing.kind(), &edited).await,
                }
            };
            let result = session.check(saving.await);
            match result {
                Ok(stored) => {
                    pending::forget(editing.unwrap_or(made)).await;
                    kept.set(false);
                    if editing.is_none() {
                        id.set(Some(made));
                    }
                    reset(stored);
                    problem.set(None);
                    saved.set(Some(if editing.is_some() {
                        T::SavedEdit
                    } else {
                        T::Created
                    }));
                    handle.refresh();
                }
                // Kept on the phone, and sent when it is online.
                Err(Problem::Network) => {
                    let key = editing.unwrap_or(made);
                    let change = Pending::new(listing, key, editing.is_none(), on_top_of, &changes);
                    match pending::keep(&change).await {
                        Ok(()) => {
                            problem.set(None);
                            kept.set(true);
                            saved.set(Some(T::KeptOnPhone));
                        }
                        Err(_) => problem.set(Some(Problem::Network)),
                    }
                }
                Err(p) => {
                    let invalid = matches!(p, Problem::Invalid(_));
                    problem.set(Some(p));
                    if invalid {
                        focus_first_problem();
                    }
                }
            }
            busy.set(false);
        });
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        send(base.get_value());
    };
    let delete = move |_| {
        let Some(existing) = id.get_untracked() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let version = base.with_value(edit::version);
        let owner = owner.get_value();
        spawn_local(async move {
            let result = session.check(api::delete(listing.kind(), existing, version).await);
            busy.set(false);
            match result {
                Ok(()) => {
                    pending::forget(existing).await;
                    handle.refresh();
                    if let Some(owner) = &owner {
                        owner.with(|| go(listing.list()));
                    }
                }
                Err(p) => problem.set(Some(p)),
            }
        });
    };
    // The server's problems about no field of the form.
    let unplaced = move || {
        problem.with(|p| match p {
            Some(Problem::Invalid(list)) => list
                .iter()
                .filter(|p| {
                    form.with_value(|form| !form.iter().any(|(f, _)| edit::answers(f, &p.field)))
                })
                .map(|p| format!("{}: {}", p.field, p.message))
                .collect(),
            _ => Vec::new(),
        })
    };
    let (back, heading) = match id.get_untracked() {
        Some(id) => (listing.page(id), T::EditTitle),
        None => (Route::Organise, T::NewListings),
    };
    let own = own_language(form);
    view! {
        <BackTo to=back />
        <h1>{t(heading)}</h1>
        {copied.then(|| view! { <p class="note">{t(T::DuplicateNote)}</p> })}
        <form class="organise edit" on:submit=submit>
            {form.get_value().into_iter().map(|(field, value)| {
                // The listing's words in other languages come last, under one heading; the
                // fields of its own language (its first) are hidden, as its own text is that.
                let heading = field_is_first_translation(form, field)
                    .then(|| view! { <h2>{t(T::OtherLanguages)}</h2> });
                let hidden = move || field.lang.is_some_and(|l| own.get() == l.code());
                let said = Signal::derive(move || problem.with(|p| match p {
                    Some(Problem::Invalid(list)) => {
                        let mine: Vec<_> = list.iter()
                            .filter(|p| edit::answers(field, &p.field))
                            .map(|p| p.message.as_str())
                            .collect();
                        (!mine.is_empty()).then(|| mine.join("; "))
                    }
                    _ => None,
                }));
                let position = (field.label == T::FieldLongitude).then(|| view! { <Position form /> });
                view! {
                    {heading}
                    <div class="field-wrap" hidden=hidden><FieldInput field value zone problem=said /></div>
                    {position}
                }
            }).collect_view()}
            <button type="submit" class="primary" disabled=move || busy.get()>
                {move || t(if id.with(Option::is_some) { T::Save } else { T::Create })}
            </button>
        </form>
        <p class="message" role="status">
            {move || saved.get().map(t)}
            {move || (saved.get() == Some(T::Created)).then(|| id.get()).flatten().map(|id| view! {
                " "<Link to=listing.page(id)>{t(T::OpenListing)}</Link>
            })}
        </p>
        {move || match problem.get() {
            Some(Problem::Conflict(Some(theirs))) => {
                let changes = changes(form, base);
                view! { <ConflictView changes theirs zone keep=send take=take_theirs problem /> }.into_any()
            }
            Some(Problem::Invalid(_)) => view! {
                <div class="message refused" role="alert">
                    <p>{t(T::FixFields)}</p>
                    {unplaced().into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                </div>
            }.into_any(),
            other => view! {
                <p class="message refused" role="alert">{other.as_ref().map(describe)}</p>
            }.into_any(),
        }}
        {move || kept.get().then(|| view! {
            <div class="actions">
                <button type="button" class="action danger" on:click=let_go>{t(T::LetGoChange)}</button>
            </div>
        })}
        {move || id.get().map(|existing| view! {
            <section class="listing-actions">
                <div class="actions">
                    <Link to=Route::New(listing, Some(existing)) class="action">{t(T::Duplicate)}</Link>
                    <button type="button" class="action" aria-expanded=move || deleting.get().to_string()
                        on:click=move |_| deleting.update(|d| *d = !*d)>{t(T::DeleteListing)}</button>
                </div>
                {move || deleting.get().then(|| view! {
                    <p class="note">{t(T::DeleteNote)}</p>
                    <div class="actions">
                        <button type="button" class="action danger" disabled=move || busy.get() on:click=delete>
                            {t(T::DeleteForEveryone)}
                        </button>
                        <button type="button" class="action" on:click=move |_| deleting.set(false)>{t(T::Cancel)}</button>
                    </div>
                })}
            </section>
        })}
    }
}

/// Moves the focus to the first field the server refused, once it is marked.
fn focus_first_problem() {
    request_animation_frame(|| {
        let first = document()
            .query_selector(
                "form.edit :is(input, textarea)[aria-invalid='true'], \
                 form.edit fieldset[aria-invalid='true'] :is(input, select, button)",
            )
            .ok()
            .flatten()
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(first) = first {
            let _ = first.focus();
        }
    });
}

/// The option value of a kind or category: its name in the API.
fn code(value: impl serde::Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Whether `field` is the form's first field in another language.
fn field_is_first_translation(form: Form, field: &Field) -> bool {
    form.with_value(|pairs| {
        pairs
            .iter()
            .find(|(f, _)| f.lang.is_some())
            .is_some_and(|(f, _)| std::ptr::eq(*f, field))
    })
}

/// The language the listing's own text is in, as the form now says: a card's language, or the
/// first of a listing's languages (English if it lists none).
fn own_language(form: Form) -> Signal<String> {
    let source = form.with_value(|pairs| {
        pairs
            .iter()
            .find(|(f, _)| matches!(f.input, Input::Languages | Input::Language))
            .map(|(_, value)| *value)
    });
    Signal::derive(move || {
        let first = source.map(|v| v.with(|s| s.split(',').next().unwrap_or("").trim().to_owned()));
        first
            .filter(|code| !code.is_empty())
            .unwrap_or_else(|| "en".to_owned())
    })
}

#[component]
fn FieldInput(
    field: &'static Field,
    value: RwSignal<String>,
    zone: Signal<String>,
    problem: Signal<Option<String>>,
) -> impl IntoView {
    let label = match field.lang {
        Some(lang) => T::InLanguage.fill(&[
            ("field", t(field.label)),
            ("language", &format::language_name(lang.code())),
        ]),
        None => t(field.label).to_owned(),
    };
    let set = move |ev| value.set(event_target_value(&ev));
    let invalid = move || problem.with(Option::is_some).then_some("true");
    let said = move || {
        problem
            .get()
            .map(|p| view! { <small class="problem">{p}</small> })
    };
    let input = match field.input {
        Input::Languages => {
            return view! {
                <fieldset class="field" aria-invalid=invalid>
                    <legend>{label}</legend>
                    <LanguagesInput value />
                    {said}
                </fieldset>
            }
            .into_any();
        }
        Input::Hours => {
            return view! {
                <fieldset class="field hours" aria-invalid=invalid>
                    <legend>{label}</legend>
                    <HoursInput value />
                    {said}
                </fieldset>
            }
            .into_any();
        }
        Input::Links => view! {
            <textarea rows="3" maxlength=field.max * 4 autocomplete="off" aria-invalid=invalid
                prop:value=move || value.get() on:input=set></textarea>
        }
        .into_any(),
        Input::Text => view! {
            <textarea rows="5" required=field.required maxlength=field.max aria-invalid=invalid
                prop:value=move || value.get() on:input=set></textarea>
        }
        .into_any(),
        Input::Date => view! {
            <input type="date" required=field.required aria-invalid=invalid prop:value=move || value.get()
                on:input=set />
        }
        .into_any(),
        Input::Moment | Input::OptionalMoment => {
            let shown = move || {
                value.with(|v| vecinos_core::time::parse_utc(v))
                    .map(|at| format::wall_clock(at, &zone.get()))
                    .unwrap_or_default()
            };
            let typed = move |ev| {
                let text = event_target_value(&ev);
                let at = format::instant(&text, &zone.get_untracked());
                value.set(at.map(|at| at.to_rfc3339_opts(SecondsFormat::Secs, true)).unwrap_or_default());
            };
            view! {
                <input type="datetime-local" required=field.required aria-invalid=invalid prop:value=shown
                    on:change=typed />
            }
            .into_any()
        }
        Input::EventStatus => choices(
            value,
            EventStatus::ALL.map(|s| (s.as_str().to_owned(), i18n::event_status(s).unwrap_or(T::GoingAhead))),
        ),
        Input::EventKind => choices(value, EventKind::ALL.map(|k| (code(k), i18n::event_kind(k)))),
        Input::Category => choices(value, ResourceCategory::ALL.map(|c| (code(c), i18n::category(c)))),
        Input::Language => {
            let mut codes: Vec<String> = LANGUAGES.map(str::to_owned).to_vec();
            let now = value.get_untracked();
            if !now.is_empty() && !codes.contains(&now) {
                codes.push(now);
            }
            view! {
                <select on:change=set>
                    {codes.into_iter().map(|code| {
                        let name = format::language_name(&code);
                        let chosen = code.clone();
                        view! { <option value=code.clone() selected=move || value.with(|v| *v == chosen)>{name}</option> }
                    }).collect_view()}
                </select>
            }
            .into_any()
        }
        Input::Coordinate => view! {
            <input type="text" inputmode="decimal" autocomplete="off" maxlength="20" aria-invalid=invalid
                prop:value=move || value.get() on:input=set />
        }
        .into_any(),
        Input::Line | Input::Optional | Input::TimeZone => view! {
            <input type="text" required=field.required maxlength=field.max autocomplete="off" aria-invalid=invalid
                prop:value=move || value.get() on:input=set />
        }
        .into_any(),
    };
    view! { <label class="field"><span>{label}</span>{input}{said}</label> }.into_any()
}

/// A select over `options` (value, text) that writes the chosen value.
fn choices<const N: usize>(value: RwSignal<String>, options: [(String, T); N]) -> AnyView {
    view! {
        <select on:change=move |ev| value.set(event_target_value(&ev))>
            {options.map(|(code, text)| {
                let chosen = code.clone();
                view! { <option value=code selected=move || value.with(|v| *v == chosen)>{t(text)}</option> }
            })}
        </select>
    }
    .into_any()
}

/// Languages as chips, and any others as codes typed in; the value is "en,es".
#[component]
fn LanguagesInput(value: RwSignal<String>) -> impl IntoView {
    let codes = move || -> Vec<String> {
        value.with(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect()
        })
    };
    let toggle = move |code: &'static str| {
        let mut now = codes();
        match now.iter().position(|c| c == code) {
            Some(at) => {
                now.remove(at);
            }
            None => now.push(code.to_owned()),
        }
        value.set(now.join(","));
    };
    let others = move || {
        codes()
            .into_iter()
            .filter(|c| !LANGUAGES.contains(&c.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let typed = move |ev| {
        let mut now: Vec<String> = codes()
            .into_iter()
            .filter(|c| LANGUAGES.contains(&c.as_str()))
            .collect();
        for code in event_target_value(&ev).split(',') {
            let code = code.trim().to_lowercase();
            if !code.is_empty() && !now.contains(&code) {
                now.push(code);
            }
        }
        value.set(now.join(","));
    };
    view! {
        <div class="chips wrap">
            {LANGUAGES.map(|code| view! {
                <button type="button" class="chip" lang=code
                    aria-pressed=move || codes().iter().any(|c| c == code).to_string()
                    on:click=move |_| toggle(code)>{format::language_name(code)}</button>
            })}
        </div>
        <label class="field">
            <span>{t(T::OtherLanguageCodes)}</span>
            <input type="text" autocomplete="off" maxlength="60" prop:value=others on:change=typed />
        </label>
    }
}

/// The weekly opening hours as rows: a day, opening and closing times. A closing time
/// before the opening time closes the next day, and the row says so.
#[component]
fn HoursInput(value: RwSignal<String>) -> impl IntoView {
    // Rows with keys of their own, so typing in one leaves the others (and the focus) alone.
    let next_key = StoredValue::new(0usize);
    let make = move |periods: Vec<Period>| {
        periods
            .into_iter()
            .map(|p| {
                let key = next_key.get_value();
                next_key.set_value(key + 1);
                (key, RwSignal::new(p))
            })
            .collect::<Vec<_>>()
    };
    let rows = RwSignal::new(make(edit::periods(&value.get_untracked())));
    let current = move || rows.with(|r| r.iter().map(|(_, p)| p.get()).collect::<Vec<_>>());
    // The rows write the value; a value set from outside (the saved record) remakes the rows.
    Effect::new(move |_| {
        let periods = value.with(|v| edit::periods(v));
        if periods
            != rows.with_untracked(|r| r.iter().map(|(_, p)| p.get_untracked()).collect::<Vec<_>>())
        {
            rows.set(make(periods));
        }
    });
    let write = move || value.set(edit::hours_text(&current()));
    let add = move |_| {
        let day = rows.with(|r| r.last().map_or(1, |(_, p)| p.with(|p| p.weekday % 7 + 1)));
        rows.update(|r| {
            r.extend(make(vec![Period {
                weekday: day,
                opens: "09:00".into(),
                closes: "17:00".into(),
            }]))
        });
        write();
    };
    view! {
        {move || rows.with(Vec::is_empty).then(|| view! { <p class="note">{t(T::NoHours)}</p> })}
        <ul class="hours-rows">
            <For each=move || rows.get() key=|(key, _)| *key let((key, period))>
                <li class="hours-row">
                    <select aria-label=t(T::FieldHours) on:change=move |ev| {
                        if let Ok(day) = event_target_value(&ev).parse() {
                            period.update(|p| p.weekday = day);
                            write();
                        }
                    }>
                        {(1..=7u8).map(|day| view! {
                            <option value=day.to_string() selected=move || period.with(|p| p.weekday == day)>
                                {t(i18n::weekday(day))}
                            </option>
                        }).collect_view()}
                    </select>
                    <label><span>{t(T::HoursOpen)}</span>
                        <input type="time" required prop:value=move || period.with(|p| p.opens.clone())
                            on:change=move |ev| { period.update(|p| p.opens = event_target_value(&ev)); write(); } />
                    </label>
                    <label><span>{t(T::HoursClose)}</span>
                        // Midnight at the end of the day is 24:00 in the record, 00:00 here.
                        <input type="time" required
                            prop:value=move || period.with(|p| if p.closes == "24:00" { "00:00".to_owned() } else { p.closes.clone() })
                            on:change=move |ev| {
                                let typed = event_target_value(&ev);
                                period.update(|p| p.closes = if typed == "00:00" { "24:00".to_owned() } else { typed });
                                write();
                            } />
                    </label>
                    {move || period.with(|p| p.closes < p.opens)
                        .then(|| view! { <small class="note">{t(T::HoursNextDay)}</small> })}
                    <button type="button" class="action" on:click=move |_| {
                        rows.update(|r| r.retain(|(k, _)| *k != key));
                        write();
                    }>{t(T::RemoveHours)}</button>
                </li>
            </For>
        </ul>
        <button type="button" class="action" on:click=add>{t(T::AddHours)}</button>
    }
}

/// "Use this phone's position" for the listing's point, with what the point is for.
#[component]
fn Position(form: Form) -> impl IntoView {
    let here = RwSignal::new(None::<LatLon>);
    let failed = RwSignal::new(false);
    let slot = move |label: T| {
        form.with_value(|form| form.iter().find(|(f, _)| f.label == label).map(|(_, v)| *v))
    };
    Effect::new(move |_| {
        if let Some(LatLon { lat, lon }) = here.get()
            && let (Some(lat_slot), Some(lon_slot)) =
                (slot(T::FieldLatitude), slot(T::FieldLongitude))
        {
            // Five decimals: about a metre, enough for a door.
            lat_slot.set(format!("{lat:.5}"));
            lon_slot.set(format!("{lon:.5}"));
        }
    });
    let picker = slot(T::FieldLatitude)
        .zip(slot(T::FieldLongitude))
        .map(|(lat, lon)| view! { <PointPicker lat lon /> });
    view! {
        <p class="note">{t(T::PointNote)}</p>
        {picker}
        <button type="button" class="action" on:click=move |_| locate(here, failed)>{t(T::UsePosition)}</button>
        {move || failed.get().then(|| view! { <p class="note">{t(T::NoPosition)}</p> })}
    }
}

/// A value as the conflict view shows it.
fn shown(field: &Field, value: &str, zone: &str) -> String {
    match field.input {
        Input::Moment | Input::OptionalMoment => vecinos_core::time::parse_utc(value)
            .map(|at| format::when(at, zone))
            .unwrap_or_default(),
        Input::Hours => edit::periods(value)
            .iter()
            .map(|p| format!("{} {}–{}", t(i18n::weekday(p.weekday)), p.opens, p.closes))
            .collect::<Vec<_>>()
            .join(", "),
        Input::Languages => value
            .split(',')
            .filter(|c| !c.is_empty())
            .map(format::language_name)
            .collect::<Vec<_>>()
            .join(", "),
        _ => value.to_owned(),
    }
}

/// Both versions of each field the organiser changed, and the two ways out.
#[component]
fn ConflictView(
    changes: Vec<(&'static Field, String)>,
    theirs: Value,
    zone: Signal<String>,
    keep: impl Fn(Value) + Copy + Send + Sync + 'static,
    take: impl Fn(Value) + Copy + Send + Sync + 'static,
    problem: RwSignal<Option<Problem>>,
) -> impl IntoView {
    let zone = zone.get_untracked();
    let rows: Vec<_> = changes
        .into_iter()
        .map(|(field, mine)| (field, mine, edit::read(&theirs, field)))
        .filter(|(_, mine, now)| mine != now)
        .map(|(field, mine, now)| {
            (
                field.label,
                shown(field, &mine, &zone),
                shown(field, &now, &zone),
            )
        })
        .collect();
    let theirs = StoredValue::new(theirs);
    view! {
        <section class="conflict" role="alert">
            <h2>{t(T::ConflictTitle)}</h2>
            {rows.into_iter().map(|(label, mine, now)| view! {
                <div class="versions">
                    <h3>{t(label)}</h3>
                    <p><span class="muted">{t(T::Yours)}</span>{mine}</p>
                    <p><span class="muted">{t(T::Theirs)}</span>{now}</p>
                </div>
            }).collect_view()}
            <p class="note">{t(T::OtherChangesKept)}</p>
            <div class="actions">
                <button type="button" class="primary" on:click=move |_| keep(theirs.get_value())>{t(T::KeepMine)}</button>
                <button type="button" class="action" on:click=move |_| { take(theirs.get_value()); problem.set(None) }>
                    {t(T::UseTheirs)}
                </button>
            </div>
        </section>
    }
}
