//! Quick exit: one tap deletes everything the app stored on this phone and leaves for a blank
//! page.
//!
//! What goes: the IndexedDB database (records, outbox, cursor), every Cache Storage cache, every
//! key the app keeps in local storage (`prefs`) and the service-worker registration. The page's content is
//! removed at once, before the asynchronous deletions, so nothing stays on screen.
//!
//! An organiser's session is a cookie the page cannot delete: when local storage says an
//! organiser signed in on this phone (in this tab or another), the exit asks the server to end
//! it (a request that outlives the page), and the answer removes the cookie. So it does for the
//! trusted-browser cookie that signing in leaves, also after signing out (`Key::TrustedBrowser`).
//! Without a connection the cookies stay until they expire on their own. Otherwise leaving asks
//! the server for nothing.
//!
//! What stays: one flag in this tab's session storage, which the browser drops when the tab
//! closes. With it, "back" into the app, or a restore from the back/forward cache, leaves again
//! at once instead of starting the app and syncing its data back onto the phone.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::cache::{Cache, DB_NAME};
use crate::prefs::Key;
use crate::{api, engine, organise, prefs, push};

/// Leave even if the database cannot be deleted yet (another tab still holds it open); the
/// deletion completes once that tab closes.
const LEAVE_AFTER_MS: i32 = 2_000;

pub fn has_exited() -> bool {
    prefs::has_exited()
}

pub fn leave() {
    let _ = window().location().replace("about:blank");
}

/// Leaves again if the page comes back from the back/forward cache after a quick exit.
pub fn guard_back_navigation() {
    let listener = window_event_listener(leptos::ev::pageshow, |ev| {
        if ev.persisted() && has_exited() {
            leave();
        }
    });
    on_cleanup(move || listener.remove());
}

pub fn quick_exit() {
    let window = window();
    prefs::mark_exited();
    if let Some(body) = document().body() {
        body.set_inner_html("");
    }
    document().set_title("");
    if organise::signed_in_here() || prefs::get(Key::TrustedBrowser).is_some() {
        api::end_session_now();
    }
    push::forget_now();
    prefs::forget_all();
    if let Some(engine) = use_context::<engine::Handle>() {
        engine.close_cache();
    }
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
        wasm_bindgen::closure::Closure::once_into_js(leave).unchecked_ref(),
        LEAVE_AFTER_MS,
    );
    spawn_local(async {
        unregister_service_workers().await;
        delete_caches().await;
        let _ = Cache::delete(DB_NAME).await;
        leave();
    });
}

async fn unregister_service_workers() {
    let container = window().navigator().service_worker();
    let Ok(registrations) = JsFuture::from(container.get_registrations()).await else {
        return;
    };
    for registration in js_sys::Array::from(&registrations).iter() {
        if let Ok(registration) = registration.dyn_into::<web_sys::ServiceWorkerRegistration>()
            && let Ok(done) = registration.unregister()
        {
            let _ = JsFuture::from(done).await;
        }
    }
}

async fn delete_caches() {
    let Ok(caches) = window().caches() else {
        return;
    };
    let Ok(keys) = JsFuture::from(caches.keys()).await else {
        return;
    };
    for key in js_sys::Array::from(&keys).iter() {
        if let Some(name) = key.as_string() {
            let _ = JsFuture::from(caches.delete(&name)).await;
        }
    }
}
