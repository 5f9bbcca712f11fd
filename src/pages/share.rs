//! Share and call: an alert passed on to the chat groups networks already live in, and the
//! network's hotline one tap away.
//!
//! "Share" hands the alert's kind, text and place, with a link back to it, to the phone's share
//! sheet (the Web Share API); where there is none (most desktop browsers, Firefox), the same
//! words are copied for pasting. Nothing else about the alert or the person goes with it.
//!
//! "Call the hotline" is a `tel:` link to the number in the region's config, which the phone
//! keeps in local storage: it is there offline, and the call needs no data connection.

use leptos::prelude::*;
use leptos::task::spawn_local;
use vecinos_core::Alert;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::api::Config;
use crate::engine::Handle;
use crate::format;
use crate::i18n::{self, T, t};

/// The network's hotline as a call button, when the region names one. Read again after each
/// sync (a first visit learns it from the server's config then).
#[component]
pub fn HotlineLink() -> impl IntoView {
    let handle = expect_context::<Handle>();
    move || {
        handle.state.track();
        let (label, number) = Config::kept()?.hotline?;
        let dial = dialled(&number)?;
        Some(view! {
            <a class="hotline" href=format!("tel:{dial}")>
                <span class="hotline-call">{t(T::CallHotline)}</span>
                <span class="hotline-which">{label}" · "{number}</span>
            </a>
        })
    }
}

/// The number as a `tel:` link takes it: digits and a leading `+`, separators dropped; `None`
/// when nothing callable is left.
fn dialled(number: &str) -> Option<String> {
    let trimmed = number.trim();
    let plus = trimmed.starts_with('+');
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 3).then(|| if plus { format!("+{digits}") } else { digits })
}

/// "Share" for a verified alert that is still up (the card shows "All clear" instead of a
/// withdrawn one, without this button).
#[component]
pub fn ShareButton(alert: Alert) -> impl IntoView {
    let said = RwSignal::new(None::<T>);
    let kind = t(i18n::report_kind(alert.kind));
    let mut text = format!("{kind}: {}", alert.summary_in(i18n::lang().code()));
    if let Some(place) = format::place(alert.cross_streets.as_deref(), alert.area.as_deref()) {
        text.push('\n');
        text.push_str(&place);
    }
    let origin = window().location().origin().unwrap_or_default();
    let url = format!("{origin}/alerts#alert-{}", alert.id);
    let share = move |_| {
        let (text, url) = (text.clone(), url.clone());
        said.set(None);
        spawn_local(async move {
            match share_sheet(kind, &text, &url).await {
                Shared::Done | Shared::Cancelled => {}
                Shared::Unavailable => {
                    let copied = copy(&format!("{text}\n{url}")).await;
                    said.try_set(Some(if copied { T::Copied } else { T::CopyFailed }));
                }
            }
        });
    };
    view! {
        <div class="share">
            <button type="button" class="action share-button" on:click=share>{t(T::Share)}</button>
            <span class="note" role="status">{move || said.get().map(t)}</span>
        </div>
    }
}

enum Shared {
    Done,
    /// The person closed the share sheet.
    Cancelled,
    /// No share sheet here, or it refused these words: copy them instead.
    Unavailable,
}

/// `navigator.share({title, text, url})`, read by name: web-sys has it only as an unstable API.
async fn share_sheet(title: &str, text: &str, url: &str) -> Shared {
    let navigator = window().navigator();
    let Some(share) = js_sys::Reflect::get(&navigator, &"share".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return Shared::Unavailable;
    };
    let data = js_sys::Object::new();
    for (key, value) in [("title", title), ("text", text), ("url", url)] {
        let _ = js_sys::Reflect::set(&data, &key.into(), &value.into());
    }
    let Ok(promise) = share.call1(&navigator, &data) else {
        return Shared::Unavailable;
    };
    match JsFuture::from(js_sys::Promise::from(promise)).await {
        Ok(_) => Shared::Done,
        Err(e) if error_name(&e).as_deref() == Some("AbortError") => Shared::Cancelled,
        Err(_) => Shared::Unavailable,
    }
}

fn error_name(error: &JsValue) -> Option<String> {
    js_sys::Reflect::get(error, &"name".into())
        .ok()?
        .as_string()
}

/// `navigator.clipboard.writeText(text)`; false when the browser has no clipboard for pages or
/// refuses.
pub(super) async fn copy(text: &str) -> bool {
    let navigator = window().navigator();
    let Some(clipboard) = js_sys::Reflect::get(&navigator, &"clipboard".into())
        .ok()
        .filter(|c| c.is_object())
    else {
        return false;
    };
    let Some(write) = js_sys::Reflect::get(&clipboard, &"writeText".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return false;
    };
    match write.call1(&clipboard, &text.into()) {
        Ok(promise) => JsFuture::from(js_sys::Promise::from(promise)).await.is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::dialled;

    #[test]
    fn a_hotline_is_dialled_as_digits() {
        assert_eq!(dialled("555-0100").as_deref(), Some("5550100"));
        assert_eq!(
            dialled(" +1 (612) 555-0100 ").as_deref(),
            Some("+16125550100")
        );
        assert_eq!(dialled("call us"), None);
    }
}
