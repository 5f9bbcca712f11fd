//! The organisers' team on the phone: an invite link to make (it works once, for a day), the
//! organisers, whom an admin can remove (their sessions end at once), the audit trail, and the
//! page a new organiser opens from the link to choose their name and password.
//!
//! The invite's token travels in the link's fragment (`/join#<token>`), which browsers never send
//! to a server or put in a Referer; the page takes it out of the address and its history at once.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use super::organise::describe;
use super::share::copy;
use crate::api::{self, JoinProblem, Problem};
use crate::format;
use crate::i18n::{T, t};
use crate::organise::Session;
use crate::route::{Link, Route};

/// Under triage: the invite link and the team. `me` is the signed-in organiser.
#[component]
pub fn TeamSection(me: String) -> impl IntoView {
    let session = expect_context::<Session>();
    let team = RwSignal::new(None::<api::Team>);
    let problem = RwSignal::new(None::<Problem>);
    let link = RwSignal::new(None::<String>);
    let said = RwSignal::new(None::<String>);
    // Whose removal waits for a second tap.
    let confirming = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let load = move || {
        spawn_local(async move {
            match session.check(api::team().await) {
                Ok(answer) => {
                    team.try_set(Some(answer));
                }
                Err(p) => {
                    problem.try_set(Some(p));
                }
            }
        });
    };
    load();
    let make = move |_| {
        busy.set(true);
        said.set(None);
        spawn_local(async move {
            match session.check(api::invite().await) {
                Ok(token) => {
                    let origin = window().location().origin().unwrap_or_default();
                    link.set(Some(format!("{origin}{}#{token}", Route::Join.path())));
                }
                Err(p) => problem.set(Some(p)),
            }
            busy.set(false);
        });
    };
    let copy_link = move |_| {
        if let Some(text) = link.get_untracked() {
            spawn_local(async move {
                let copied = copy(&text).await;
                said.try_set(Some(
                    t(if copied { T::LinkCopied } else { T::CopyFailed }).to_owned(),
                ));
            });
        }
    };
    let remove = move |who: String| {
        busy.set(true);
        spawn_local(async move {
            match session.check(api::remove_organiser(&who).await) {
                Ok(()) => {
                    said.set(Some(T::OrganiserRemoved.fill(&[("name", &who)])));
                    confirming.set(None);
                    load();
                }
                Err(p) => problem.set(Some(p)),
            }
            busy.set(false);
        });
    };
    let member = move |m: api::Member, admin: bool| {
        let removable = admin && m.name != me;
        view! {
            <li>
                <span class="name">{m.name.clone()}</span>
                {m.admin.then(|| view! { <span class="muted">" · "{t(T::AdminRole)}</span> })}
                {removable.then(|| {
                    let asking = m.name.clone();
                    move || if confirming.get().as_deref() == Some(asking.as_str()) {
                        let yes = asking.clone();
                        view! {
                            <p>{T::ConfirmRemove.fill(&[("name", &yes)])}</p>
                            <div class="actions">
                                <button type="button" class="action danger" disabled=move || busy.get()
                                    on:click=move |_| remove(yes.clone())>{t(T::RemoveOrganiser)}</button>
                                <button type="button" class="action" on:click=move |_| confirming.set(None)>
                                    {t(T::Cancel)}
                                </button>
                            </div>
                        }.into_any()
                    } else {
                        let name = asking.clone();
                        view! {
                            <button type="button" class="action" on:click=move |_| confirming.set(Some(name.clone()))>
                                {t(T::RemoveOrganiser)}
                            </button>
                        }.into_any()
                    }
                })}
            </li>
        }
    };
    view! {
        <section class="team" aria-labelledby="team-title">
            <h2 id="team-title">{t(T::TeamTitle)}</h2>
            <button type="button" class="action" disabled=move || busy.get() on:click=make>{t(T::MakeInvite)}</button>
            {move || link.get().map(|text| view! {
                <label class="field">
                    <span>{t(T::InviteLink)}</span>
                    <input type="text" readonly prop:value=text />
                </label>
                <button type="button" class="action" on:click=copy_link>{t(T::CopyLink)}</button>
                <p class="note">{t(T::InviteNote)}</p>
            })}
            <p class="message" role="status">{move || said.get()}</p>
            <p class="message refused" role="alert">{move || problem.with(|p| p.as_ref().map(describe))}</p>
            <ul class="members">
                {move || team.get().map(|answer| {
                    let admin = answer.admin;
                    answer.members.into_iter().map(|m| member(m, admin)).collect_view()
                })}
            </ul>
        </section>
    }
}

/// Where the organiser is signed in: this phone, and their other sessions by when each was last
/// used (the server keeps nothing else about them), each of which they can end.
#[component]
pub fn SessionsSection() -> impl IntoView {
    let session = expect_context::<Session>();
    let list = RwSignal::new(Vec::<api::SessionSeen>::new());
    let problem = RwSignal::new(None::<Problem>);
    let said = RwSignal::new(None::<T>);
    let busy = RwSignal::new(false);
    let now = js_sys::Date::now();
    let load = move || {
        spawn_local(async move {
            match session.check(api::sessions().await) {
                Ok(answer) => {
                    list.try_set(answer);
                }
                Err(p) => {
                    problem.try_set(Some(p));
                }
            }
        });
    };
    load();
    let end = move |id: String| {
        busy.set(true);
        spawn_local(async move {
            match session.check(api::end_session(&id).await) {
                Ok(()) => {
                    said.set(Some(T::SignedOutThere));
                    load();
                }
                Err(p) => problem.set(Some(p)),
            }
            busy.set(false);
        });
    };
    let row = move |s: api::SessionSeen| {
        let when = match (s.this, s.last_seen) {
            (true, _) => t(T::ThisPhone).to_owned(),
            (false, Some(at)) => format::ago(
                now - at.timestamp_millis() as f64,
                [T::UsedNow, T::UsedMinutes, T::UsedHours, T::UsedDays],
            ),
            (false, None) => t(T::NotUsedYet).to_owned(),
        };
        let id = s.id;
        view! {
            <li>
                <span class="name">{when}</span>
                {(!s.this).then(|| view! {
                    <button type="button" class="action" disabled=move || busy.get()
                        on:click=move |_| end(id.clone())>{t(T::EndSession)}</button>
                })}
            </li>
        }
    };
    view! {
        <section class="team" aria-labelledby="sessions-title">
            <h2 id="sessions-title">{t(T::SessionsTitle)}</h2>
            <p class="note">{t(T::SessionsNote)}</p>
            <p class="message" role="status">{move || said.get().map(t)}</p>
            <p class="message refused" role="alert">{move || problem.with(|p| p.as_ref().map(describe))}</p>
            <ul class="members">{move || list.get().into_iter().map(row).collect_view()}</ul>
        </section>
    }
}

/// How many lines of the audit trail the screen shows.
const AUDIT_LINES: u32 = 50;

/// The words for an action of the audit trail (`server/src/store`); an action this version does
/// not know is shown as the server wrote it.
fn action_words(action: &str) -> Option<T> {
    Some(match action {
        "create" => T::AuditCreated,
        "update" | "updated" => T::AuditChanged,
        "delete" => T::AuditDeleted,
        "import" => T::AuditImported,
        "verified" => T::AuditPublished,
        "rejected" => T::AuditRejected,
        "resolved" => T::AuditResolved,
        "withdrawn: false alarm" => T::AuditFalseAlarm,
        "withdrawn: over" | "withdrawn" => T::AuditOver,
        "invite" => T::AuditInvite,
        "join" => T::AuditJoin,
        "remove_organiser" => T::AuditRemoved,
        _ => return None,
    })
}

/// The audit trail, fetched when asked for: who did what, newest first.
#[component]
pub fn AuditSection() -> impl IntoView {
    let session = expect_context::<Session>();
    let lines = RwSignal::new(None::<Vec<api::AuditEntry>>);
    let problem = RwSignal::new(None::<Problem>);
    let show = move |_| {
        spawn_local(async move {
            match session.check(api::audit(AUDIT_LINES).await) {
                Ok(entries) => {
                    lines.try_set(Some(entries));
                }
                Err(p) => {
                    problem.try_set(Some(p));
                }
            }
        });
    };
    view! {
        <section class="audit" aria-labelledby="audit-title">
            <h2 id="audit-title">{t(T::AuditTitle)}</h2>
            <button type="button" class="action" on:click=show>{t(T::AuditShow)}</button>
            <p class="message refused" role="alert">{move || problem.with(|p| p.as_ref().map(describe))}</p>
            <ol class="audit-lines">
                {move || lines.get().map(|entries| entries.into_iter().map(|e| {
                    let what = action_words(&e.action).map_or(e.action.clone(), |w| t(w).to_owned());
                    view! {
                        <li>
                            <span class="muted">{format::when(e.at, "")}</span>
                            " · " <strong>{e.actor}</strong> " " {what}
                            {(!e.target.is_empty()).then(|| view! { " " <span class="target">{e.target}</span> })}
                        </li>
                    }
                }).collect_view())}
            </ol>
        </section>
    }
}

/// The invite's token from the address's fragment, which is then taken out of the address and
/// of the history entry.
fn take_token() -> String {
    let location = window().location();
    let fragment = location.hash().unwrap_or_default();
    if !fragment.is_empty()
        && let Ok(history) = window().history()
    {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&Route::Join.path()));
    }
    fragment.trim_start_matches('#').to_owned()
}

#[component]
pub fn JoinPage() -> impl IntoView {
    let token = StoredValue::new(take_token());
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problem = RwSignal::new(
        token
            .with_value(String::is_empty)
            .then_some(JoinProblem::Used),
    );
    let joined = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        problem.set(None);
        spawn_local(async move {
            let chosen = name.get_untracked().trim().to_owned();
            let result = api::join(&token.get_value(), &chosen, &password.get_untracked()).await;
            match result {
                Ok(()) => {
                    password.set(String::new());
                    joined.set(true);
                }
                Err(p) => problem.set(Some(p)),
            }
            busy.set(false);
        });
    };
    let said = move |field: JoinProblem| {
        move || {
            (problem.get() == Some(field)).then(|| match field {
                JoinProblem::Name => t(T::NameTaken),
                JoinProblem::Password => t(T::PasswordTooShort),
                JoinProblem::Used => t(T::InviteUsed),
                JoinProblem::Network => t(T::NeedsConnection),
                JoinProblem::Other => t(T::JoinFailed),
            })
        }
    };
    view! {
        <h1>{t(T::JoinTitle)}</h1>
        {move || if joined.get() {
            view! {
                <p class="message">{t(T::Joined)}</p>
                <Link to=Route::Organise class="primary">{t(T::SignIn)}</Link>
            }.into_any()
        } else {
            view! {
                <p class="note">{t(T::JoinNote)}</p>
                <form class="organise" on:submit=submit>
                    <label class="field">
                        <span>{t(T::OrganiserName)}</span>
                        <input type="text" name="name" autocomplete="off" required prop:value=move || name.get()
                            on:input=move |ev| name.set(event_target_value(&ev)) />
                    </label>
                    <p class="message refused" role="alert">{said(JoinProblem::Name)}</p>
                    <label class="field">
                        <span>{t(T::Password)}</span>
                        <input type="password" name="password" autocomplete="new-password" required minlength="12"
                            aria-describedby="password-hint"
                            prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
                    </label>
                    <p class="note" id="password-hint">{t(T::PasswordHint)}</p>
                    <p class="message refused" role="alert">{said(JoinProblem::Password)}</p>
                    <button type="submit" class="primary" disabled=move || busy.get()>{t(T::Join)}</button>
                </form>
                <p class="message refused" role="alert">
                    {said(JoinProblem::Used)}{said(JoinProblem::Network)}{said(JoinProblem::Other)}
                </p>
            }.into_any()
        }}
    }
}
