//! Quick exit: one tap deletes everything the app stored on this phone and leaves for a blank
//! page.
//!
//! What goes: the IndexedDB database (records, outbox, cursor), every Cache Storage cache, local
//! storage (the language choice) and the service-worker registration. The page's content is
//! removed at once, before the asynchronous deletions, so nothing stays on screen.
//!
//! An organiser's session is a cookie the page cannot delete: when local storage says an
//! organiser signed in on this phone (in this tab or another), the exit asks the server to end
//! it (a request that outlives the page), and the answer removes the cookie. Without a
//! connection the cookie stays until the session expires on its own. Otherwise leaving asks the
//! server for nothing.
//!
//! What stays: one flag in this tab's session storage, which the browser drops when the tab
//! closes. With it, "back" into the app, or a restore from the back/forward cache, leaves again
//! at once instead of starting the app and syncing its data back onto the phone.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::cache::{Cache, DB_NAME};
use crate::engine;
use crate::organise::{self, SESSION};

const EXITED: &str = "vecinos-exited";
/// Leave even if the database cannot be deleted yet (another tab still holds it open); the
/// deletion completes once that tab closes.
const LEAVE_AFTER_MS: i32 = 2_000;

pub fn has_exited() -> bool {
    window()
        .session_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(EXITED).ok().flatten())
        .is_some()
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
    if let Ok(Some(session)) = window.session_storage() {
        let _ = session.set_item(EXITED, "1");
    }
    if let Some(body) = document().body() {
        body.set_inner_html("");
    }
    document().set_title("");
    if organise::signed_in_here() {
        end_session();
    }
    if let Ok(Some(local)) = window.local_storage() {
        let _ = local.clear();
    }
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

fn end_session() {
    let init = web_sys::RequestInit::new();
    init.set_method("DELETE");
    // web-sys has no setter for it: the field is set on the init object directly.
    let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &true.into());
    let _ = window().fetch_with_str_and_init(SESSION, &init);
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
