//! Web Push, opt-in: alerts near a place, or new reports for an organiser, shown by the service
//! worker while the app is closed (`public/sw.js`).
//!
//! What leaves the phone: the browser's push endpoint and keys, and a few coarse cells (geohashes
//! of at most 5 characters, about 5 km), made here from the phone's position or the region's
//! bounds. The position itself stays. The server keeps them 30 days; the app renews them each
//! time it starts. The phone remembers what it asked for (`prefs`), so the screen can say so and
//! quick exit can end it on the server.

use std::pin::Pin;

use js_sys::{Object, Reflect};
use leptos::wasm_split::SplitLoaderError;
use serde::{Deserialize, Serialize};
use vecinos_core::geo::{self, BBox, LatLon};
use vecinos_core::push::Unsubscription;
use vecinos_core::push::{Audience, MAX_CELL_LEN, MAX_CELLS, Subscription, SubscriptionKeys};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::api::{self, Config, SyncError};
use crate::prefs::{self, Key};

/// What this phone asked the server for, per audience.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Watch {
    pub endpoint: String,
    pub cells: Vec<String>,
    /// Near the phone's position (else the whole region).
    pub near: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PushError {
    /// This browser has no Web Push (or no service worker yet).
    Unsupported,
    /// The person or the browser refused notifications.
    Denied,
    /// The server sends no pushes.
    NotOffered,
    /// No position, or a region too large to name in a few cells.
    NoArea,
    Network,
    Refused(String),
}

impl From<SyncError> for PushError {
    fn from(e: SyncError) -> Self {
        match e {
            SyncError::Network => Self::Network,
            other => Self::Refused(other.to_string()),
        }
    }
}

fn key(audience: Audience) -> Key {
    match audience {
        Audience::Alerts => Key::PushAlerts,
        Audience::Reports => Key::PushReports,
    }
}

/// What the phone asked for, if push is on for `audience`.
pub fn watching(audience: Audience) -> Option<Watch> {
    serde_json::from_str(&prefs::get(key(audience))?).ok()
}

pub fn supported() -> bool {
    web_sys::window().is_some_and(|w| Reflect::has(&w, &"PushManager".into()).unwrap_or(false))
}

/// The cells around the phone's position.
pub fn near(position: LatLon) -> Result<Vec<String>, PushError> {
    geo::cells_around(position, MAX_CELL_LEN).map_err(|_| PushError::NoArea)
}

/// The cells covering the deployment's region.
pub fn whole_region() -> Result<Vec<String>, PushError> {
    let [min_lat, min_lon, max_lat, max_lon] = Config::kept()
        .and_then(|c| c.bounds)
        .ok_or(PushError::NoArea)?;
    let region = BBox {
        min_lat,
        min_lon,
        max_lat,
        max_lon,
    };
    Some(geo::covering(&region, MAX_CELLS, MAX_CELL_LEN))
        .filter(|cells| !cells.is_empty())
        .ok_or(PushError::NoArea)
}

/// The service worker's `PushManager`.
async fn push_manager() -> Result<JsValue, PushError> {
    let ready = web_sys::window()
        .ok_or(PushError::Unsupported)?
        .navigator()
        .service_worker()
        .ready()
        .map_err(|_| PushError::Unsupported)?;
    let registration = JsFuture::from(ready)
        .await
        .map_err(|_| PushError::Unsupported)?;
    Reflect::get(&registration, &"pushManager".into())
        .ok()
        .filter(|m| !m.is_undefined())
        .ok_or(PushError::Unsupported)
}

/// Calls `method` of the push manager, returning what its promise gives.
async fn manager_call(
    manager: &JsValue,
    method: &str,
    arg: Option<&JsValue>,
) -> Result<JsValue, PushError> {
    let function: js_sys::Function = Reflect::get(manager, &method.into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or(PushError::Unsupported)?;
    let promise = match arg {
        Some(arg) => function.call1(manager, arg),
        None => function.call0(manager),
    }
    .map_err(|_| PushError::Unsupported)?;
    JsFuture::from(js_sys::Promise::from(promise))
        .await
        .map_err(|_| PushError::Denied)
}

/// This browser's push subscription, made if there is none (which may ask for permission).
async fn browser_subscription(public_key: &str) -> Result<(String, SubscriptionKeys), PushError> {
    #[derive(Deserialize)]
    struct Browser {
        endpoint: String,
        keys: SubscriptionKeys,
    }
    let manager = push_manager().await?;
    let mut subscription = manager_call(&manager, "getSubscription", None).await?;
    if subscription.is_null() || subscription.is_undefined() {
        let options = Object::new();
        let _ = Reflect::set(&options, &"userVisibleOnly".into(), &true.into());
        let _ = Reflect::set(&options, &"applicationServerKey".into(), &public_key.into());
        subscription = manager_call(&manager, "subscribe", Some(&options)).await?;
    }
    let json = js_sys::JSON::stringify(&subscription)
        .ok()
        .and_then(|j| j.as_string())
        .ok_or(PushError::Unsupported)?;
    let browser: Browser = serde_json::from_str(&json).map_err(|_| PushError::Unsupported)?;
    Ok((browser.endpoint, browser.keys))
}

/// Turns push on for `audience` in `cells` (or renews it).
pub async fn turn_on(
    audience: Audience,
    cells: Vec<String>,
    near: bool,
) -> Result<Watch, PushError> {
    if !supported() {
        return Err(PushError::Unsupported);
    }
    let config = match Config::refresh().await {
        Ok(config) => config,
        Err(SyncError::Network) => Config::kept().ok_or(PushError::Network)?,
        Err(e) => return Err(e.into()),
    };
    let public_key = config.push_key.ok_or(PushError::NotOffered)?;
    let (endpoint, keys) = browser_subscription(&public_key).await?;
    // Quick exit was tapped meanwhile: it ended the subscription, which must stay ended.
    if prefs::has_exited() {
        return Err(PushError::Unsupported);
    }
    api::push_subscribe(&Subscription {
        endpoint: endpoint.clone(),
        keys,
        cells: cells.clone(),
        audience,
    })
    .await?;
    let watch = Watch {
        endpoint,
        cells,
        near,
    };
    if let Ok(json) = serde_json::to_string(&watch) {
        prefs::set(key(audience), &json);
    }
    Ok(watch)
}

/// Turns push off for `audience`, on the server and, when nothing else needs it, in the browser.
pub async fn turn_off(audience: Audience) -> Result<(), PushError> {
    if let Some(watch) = watching(audience) {
        api::push_unsubscribe(&Unsubscription {
            endpoint: watch.endpoint,
            audience: Some(audience),
        })
        .await?;
    }
    prefs::remove(key(audience));
    let others = Audience::ALL.into_iter().any(|a| watching(a).is_some());
    if !others
        && let Ok(manager) = push_manager().await
        && let Ok(subscription) = manager_call(&manager, "getSubscription", None).await
        && let Ok(unsubscribe) = Reflect::get(&subscription, &"unsubscribe".into())
        && let Ok(unsubscribe) = unsubscribe.dyn_into::<js_sys::Function>()
        && let Ok(done) = unsubscribe.call0(&subscription)
    {
        let _ = JsFuture::from(js_sys::Promise::from(done)).await;
    }
    Ok(())
}

/// Renews what the phone asked for (the server forgets it after 30 days without), with the code
/// from the push chunk, fetched only if the phone asked for anything.
pub async fn renew() {
    if Audience::ALL.into_iter().any(|a| watching(a).is_some())
        && let Ok(renewal) = renewal().await
    {
        renewal.await;
    }
}

split!(
    push,
    fn renewal() -> Result<Pin<Box<dyn Future<Output = ()>>>, SplitLoaderError> {
        Ok(Box::pin(async {
            for audience in Audience::ALL {
                if let Some(watch) = watching(audience) {
                    let _ = turn_on(audience, watch.cells, watch.near).await;
                }
            }
        }))
    }
);

/// Quick exit: ends every subscription of this phone on the server, with a request that
/// outlives the page. The browser's own goes with the service worker.
pub fn forget_now() {
    let endpoint = Audience::ALL
        .into_iter()
        .find_map(watching)
        .map(|w| w.endpoint);
    if let Some(endpoint) = endpoint {
        api::push_forget_now(&endpoint);
    }
}
