//! The installed app: service-worker registration, the "new version" flow, and asking the
//! browser to keep the data.
//!
//! A new service worker installs in the background and then waits; it never takes over a page
//! that is running the old version. The app notices the waiting worker and offers "Reload"; only
//! then does the worker activate (the page asks it to), and the page reloads once the new worker
//! controls it. Each worker answers from its own versioned cache, so a page never mixes an old
//! index.html with a new WASM file.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerRegistration, ServiceWorkerState};

/// The update offer: `ready` turns true when a new version waits.
#[derive(Clone, Copy)]
pub struct Update {
    pub ready: RwSignal<bool>,
    registration: StoredValue<Option<ServiceWorkerRegistration>, LocalStorage>,
    reload_on_change: StoredValue<bool>,
}

pub fn start() -> Update {
    let update = Update {
        ready: RwSignal::new(false),
        registration: StoredValue::new_local(None),
        reload_on_change: StoredValue::new(false),
    };
    keep_data_if_installed();
    let container = window().navigator().service_worker();
    let on_change = Closure::<dyn Fn()>::new(move || {
        if update.reload_on_change.get_value() {
            reload();
        }
    });
    container.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
    on_change.forget();
    // After the first render, in a task of its own.
    set_timeout(move || spawn_local(register(update)), Duration::ZERO);
    // Look for a new version whenever the person comes back to the app.
    let on_visible = window_event_listener(leptos::ev::visibilitychange, move |_| {
        if !document().hidden()
            && let Some(registration) = update.registration.get_value()
            && let Ok(checked) = registration.update()
        {
            // Fails offline, or while a first install is still under way: nothing to do.
            spawn_local(async move {
                let _ = JsFuture::from(checked).await;
            });
        }
    });
    on_cleanup(move || on_visible.remove());
    update
}

async fn register(update: Update) {
    let container = window().navigator().service_worker();
    // A failed registration only means no offline start; the app itself still works.
    let Ok(registration) = JsFuture::from(container.register("/sw.js")).await else {
        return;
    };
    let Ok(registration) = registration.dyn_into::<ServiceWorkerRegistration>() else {
        return;
    };
    watch(update, &registration);
    update.registration.set_value(Some(registration));
}

/// Marks the update ready when a worker is waiting, now or after it finishes installing. The
/// first worker of a new phone installs with no controller: that is not an update.
fn watch(update: Update, registration: &ServiceWorkerRegistration) {
    let has_controller = || window().navigator().service_worker().controller().is_some();
    if registration.waiting().is_some() && has_controller() {
        update.ready.set(true);
    }
    let found = registration.clone();
    let on_found = Closure::<dyn Fn()>::new(move || {
        let Some(worker) = found.installing() else {
            return;
        };
        let watched = worker.clone();
        let on_state = Closure::<dyn Fn()>::new(move || {
            if watched.state() == ServiceWorkerState::Installed && has_controller() {
                update.ready.set(true);
            }
        });
        worker.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
        on_state.forget();
    });
    registration.set_onupdatefound(Some(on_found.as_ref().unchecked_ref()));
    on_found.forget();
}

impl Update {
    /// Lets the waiting worker take over; the page reloads when it does.
    ///
    /// Chromium can leave the new worker parked in "waiting" when a request reaches the old one
    /// just as it is asked to take over (about one tap in seven in the update test), and asking
    /// again does not wake it. A reload does: if the new worker has not taken over after three
    /// seconds, the page reloads anyway, and the offer returns if the old version is still the
    /// one running.
    pub fn activate(self) {
        let waiting = self.registration.get_value().and_then(|r| r.waiting());
        if let Some(worker) = waiting {
            self.reload_on_change.set_value(true);
            let _ = worker.post_message(&"skip-waiting".into());
            set_timeout(reload, std::time::Duration::from_secs(3));
        } else {
            reload();
        }
    }
}

fn reload() {
    let _ = window().location().reload();
}

/// Asks the browser not to evict the cache under storage pressure, once the app runs installed
/// (or is installed now). Saving a report asks too.
fn keep_data_if_installed() {
    let standalone = window()
        .match_media("(display-mode: standalone)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches());
    if standalone {
        keep_data();
    }
    let on_installed = window_event_listener_untyped("appinstalled", |_| keep_data());
    on_cleanup(move || on_installed.remove());
}

pub fn keep_data() {
    if let Ok(storage) = window().navigator().storage().persist() {
        spawn_local(async move {
            let _ = JsFuture::from(storage).await;
        });
    }
}

/// Asks the service worker to send the outbox by Background Sync, where the browser has it
/// (Chromium): the reports then leave when a connection returns, even with the app closed.
pub fn send_in_background() {
    let ready = window().navigator().service_worker().ready();
    spawn_local(async move {
        let Ok(ready) = ready else { return };
        let Ok(registration) = JsFuture::from(ready).await else {
            return;
        };
        let Ok(sync) = js_sys::Reflect::get(&registration, &"sync".into()) else {
            return;
        };
        let register = js_sys::Reflect::get(&sync, &"register".into()).ok();
        if let Some(register) = register
            .as_ref()
            .and_then(|r| r.dyn_ref::<js_sys::Function>())
            && let Ok(promise) = register.call1(&sync, &"vecinos-outbox".into())
        {
            let _ = JsFuture::from(js_sys::Promise::from(promise)).await;
        }
    });
}
