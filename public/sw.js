// Vecinos service worker: keeps the app shell on the phone so the app starts with no connection.
// The post_build hook (cargo xtask post-build) fills in VERSION and PRECACHE with the built,
// hashed file names. It never caches /api: data lives in IndexedDB, written by the app.
// The map chunk (/map/) is not precached: it is kept, per version, once the map was opened (and
// fetched by a new version as it installs, if the old one had it). Map
// tiles (every image that is not part of the app) are kept in a bounded cache of their own, so
// the places a person looked at work offline; nothing is ever fetched ahead of being viewed.
// A new version installs, then waits: the page offers "Reload" and asks it to take over, so a
// running page never has its files swapped underneath it. Each version answers from its own
// cache, so one page never mixes an old index.html with a new WASM file.
const VERSION = "dev";
const PRECACHE = [];
// The map chunk's files, fetched when the map is first opened (filled in like PRECACHE).
const MAP_FILES = [];
const SHELL = `vecinos-shell-${VERSION}`;
const MAP = `vecinos-map-${VERSION}`;
const TILES = "vecinos-tiles";
// About 10 MB of typical street tiles; the oldest go first.
const MAX_TILES = 500;
const MAX_TILE_AGE_MS = 30 * 24 * 60 * 60 * 1000;
// When a tile was kept, on the copy in the cache (its own response headers are not kept).
const STORED = "x-vecinos-stored";


self.addEventListener("install", (event) => {
  event.waitUntil(Promise.all([caches.open(SHELL).then((cache) => cache.addAll(PRECACHE)), keepMapOnUpdate()]));
});

// Someone who has used the map keeps it offline across an update: the new version fetches its
// map files while it installs (online, as installing is). Best effort: without them the map
// loads when next opened online.
async function keepMapOnUpdate() {
  const used = (await caches.keys()).some((key) => key.startsWith("vecinos-map-") && key !== MAP);
  if (!used) return;
  try {
    await (await caches.open(MAP)).addAll(MAP_FILES);
  } catch {
    await caches.delete(MAP);
  }
}

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => /^vecinos-(shell|map)-/.test(key) && key !== SHELL && key !== MAP)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.pathname.startsWith("/api/")) return;
  if (url.origin !== self.location.origin) {
    // The only third party the app talks to is the map's tile server.
    if (request.destination === "image") event.respondWith(tile(request, event));
    return;
  }
  if (request.mode === "navigate") {
    // Every app route is the same document; the router inside picks the page.
    event.respondWith(caches.match("/index.html", { cacheName: SHELL }).then((hit) => hit || fetch(request)));
    return;
  }
  if (url.pathname.startsWith("/map/")) {
    event.respondWith(keep(MAP, request));
    return;
  }
  event.respondWith(
    caches.match(request, { cacheName: SHELL }).then((hit) => {
      if (hit) return hit;
      // A tile server on this origin: its images are the only ones the shell does not hold.
      return request.destination === "image" ? tile(request, event) : fetch(request);
    }),
  );
});

// From the cache when there, else from the network, kept for next time.
async function keep(cacheName, request) {
  const cache = await caches.open(cacheName);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

// A map tile: kept ones first while younger than MAX_TILE_AGE_MS, else the network (keeping what
// it sends), else an older kept copy. Without either, the request fails and the map shows its
// plain background.
async function tile(request, event) {
  const cache = await caches.open(TILES);
  const hit = await cache.match(request);
  if (hit && Date.now() - Number(hit.headers.get(STORED)) < MAX_TILE_AGE_MS) return hit;
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    if (hit) return hit;
    throw error;
  }
  // Opaque answers (a tile server without CORS) are not kept: the browser counts each as megabytes.
  if (response.ok) {
    const headers = { "content-type": response.headers.get("content-type") ?? "image/png", [STORED]: String(Date.now()) };
    const copy = new Response(await response.clone().blob(), { headers });
    event.waitUntil(cache.put(request, copy).then(trimTilesSoon));
  }
  return response;
}

let trimming = null;
function trimTilesSoon() {
  trimming ??= trimTiles().finally(() => (trimming = null));
  return trimming;
}

// Keeps at most MAX_TILES tiles, none older than MAX_TILE_AGE_MS. Cache keys come oldest first
// (a tile kept again moves to the end), so the loop stops at the first young enough to stay.
async function trimTiles() {
  const cache = await caches.open(TILES);
  const keys = await cache.keys();
  let excess = keys.length - MAX_TILES;
  for (const key of keys) {
    if (excess-- > 0) {
      await cache.delete(key);
      continue;
    }
    const kept = await cache.match(key);
    if (kept && Date.now() - Number(kept.headers.get(STORED)) < MAX_TILE_AGE_MS) break;
    await cache.delete(key);
  }
}

// Background Sync (Chromium): reports saved while offline leave when a connection returns, even
// with the app closed. The rules are the app's (src/outbox.rs): a report goes with the stamp the
// app computed when saving it, and its id makes a second delivery harmless. After the receipt
// it is deleted and counted, and its id kept (keepSent), in one transaction. What the worker
// cannot send (not stamped yet, refused, or refused now) stays for the app; a busy or
// unreachable server makes the browser try again later.
self.addEventListener("sync", (event) => {
  if (event.tag === "vecinos-outbox") event.waitUntil(sendOutbox());
});

const done = (request) =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

// Opens the app's database only if it is there. Opening a missing database makes an empty one:
// a sync or a push arriving just after quick exit must not put the database back on the phone.
const openExisting = () =>
  new Promise((resolve, reject) => {
    const request = indexedDB.open("vecinos");
    request.onupgradeneeded = () => request.transaction.abort();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

async function sendOutbox() {
  let db;
  try {
    db = await openExisting();
  } catch {
    return; // No database: nothing waits to be sent.
  }
  try {
    if (!db.objectStoreNames.contains("outbox")) return;
    const read = db.transaction("outbox");
    const keys = await done(read.objectStore("outbox").getAllKeys());
    const values = await done(read.objectStore("outbox").getAll());
    for (const [i, key] of keys.entries()) {
      let item;
      try {
        item = JSON.parse(values[i]);
      } catch {
        continue;
      }
      if (!item.stamp || item.refused) continue;
      // An outbox item without `refused` is `vecinos_core::Report` as it is: no copy of its
      // fields here (`outbox::tests::a_waiting_report_is_sent_as_cores_report` holds it so).
      const { refused, ...report } = item;
      const response = await fetch("/api/v1/reports", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(report),
      });
      if (response.status === 408 || response.status === 429 || response.status >= 500) {
        throw new Error(`the server answered ${response.status}; the browser will try again`);
      }
      if (!response.ok) continue;
      const write = db.transaction(["outbox", "meta"], "readwrite");
      const outbox = write.objectStore("outbox");
      if ((await done(outbox.get(key))) !== undefined) {
        outbox.delete(key);
        const meta = write.objectStore("meta");
        meta.put(((await done(meta.get("sent_reports"))) ?? 0) + 1, "sent_reports");
        await keepSent(meta, key);
      }
      await new Promise((resolve, reject) => {
        write.oncomplete = resolve;
        write.onerror = () => reject(write.error);
      });
    }
  } finally {
    db.close();
  }
}

// The id of a delivered report is kept for 7 days, so the app can ask what became of it: one
// line each, "<id> <sent, ms> <status>", as src/cache.rs writes them (newest 50 at most).
const KEEP_SENT_MS = 7 * 24 * 60 * 60 * 1000;
async function keepSent(meta, id) {
  const now = Date.now();
  const lines = String((await done(meta.get("my_reports"))) ?? "")
    .split("\n")
    .filter((line) => line && now - Number(line.split(" ")[1]) < KEEP_SENT_MS);
  lines.push(`${id} ${now} received`);
  meta.put(lines.slice(-50).map((line) => `${line}\n`).join(""), "my_reports");
}

// Web Push (opt-in, src/push.rs). A payload names an alert and its kind, or says that new
// reports arrived: never any text. The worker words the notification in the phone's language
// (kept in IndexedDB by the app) and, when it can, fetches the alert's summary, which is public.
// Every push shows a notification, also without a connection: browsers require it.
const PUSH_WORDS = {
  en: {
    alert: "Verified alert near you", reports: "New report to check", open: "Open Vecinos to see it.",
    clear: "All clear", false_alarm: "The alert near you was a false alarm.", over: "The alert near you is over.",
  },
  es: {
    alert: "Alerta verificada cerca de ti", reports: "Reporte nuevo por revisar", open: "Abre Vecinos para verla.",
    clear: "Todo despejado", false_alarm: "La alerta cerca de ti fue una falsa alarma.", over: "La alerta cerca de ti terminó.",
  },
  so: {
    alert: "Digniin la hubiyay oo kuu dhow", reports: "Warbixin cusub oo la hubinayo", open: "Fur Vecinos si aad u aragto.",
    clear: "Wax khatar ah ma jiraan", false_alarm: "Digniinta kuu dhowayd waxay ahayd qaylo-dhaan been ah.", over: "Digniinta kuu dhowayd way dhammaatay.",
  },
  hmn: {
    alert: "Ceeb toom kuaj lawm ze koj", reports: "Ntawv qhia tshiab yuav kuaj", open: "Qhib Vecinos saib.",
    clear: "Tsis muaj teeb meem lawm", false_alarm: "Lub ceeb toom ze koj tsis yog tiag.", over: "Lub ceeb toom ze koj dhau lawm.",
  },
};

self.addEventListener("push", (event) => {
  event.waitUntil(notify(event.data));
});

async function storedLang() {
  try {
    const db = await openExisting();
    try {
      if (!db.objectStoreNames.contains("meta")) return "en";
      return (await done(db.transaction("meta").objectStore("meta").get("lang"))) ?? "en";
    } finally {
      db.close();
    }
  } catch {
    return "en";
  }
}

async function notify(data) {
  let payload = {};
  try {
    payload = data ? data.json() : {};
  } catch {
    payload = {};
  }
  const lang = await storedLang();
  const words = PUSH_WORDS[lang] ?? PUSH_WORDS.en;
  if (payload.reports) {
    return self.registration.showNotification(words.reports, { tag: "vecinos-reports", data: { path: "/organise" } });
  }
  const id = typeof payload.alert === "string" && /^[0-9a-f-]{36}$/.test(payload.alert) ? payload.alert : null;
  // An update replaces the alert's notification (same tag); a withdrawal replaces it with "All
  // clear" and why.
  let title = words.alert;
  let body = words.open;
  if (id) {
    try {
      const res = await fetch(`/api/v1/alerts/${id}`);
      if (res.ok) {
        const alert = await res.json();
        if (alert.withdrawn) {
          title = words.clear;
          body = words[alert.withdrawn.reason] ?? words.over;
        } else {
          body = alert.translations?.[lang] || alert.summary || body;
        }
      }
    } catch {
      // No connection: the generic words stay.
    }
  }
  return self.registration.showNotification(title, {
    body,
    tag: id ? `vecinos-alert-${id}` : "vecinos-alert",
    data: { path: id ? `/alerts#alert-${id}` : "/alerts" },
  });
}

// Tapping a notification opens its screen: in the app's open window if there is one.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const path = event.notification.data?.path ?? "/alerts";
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const open = windows.find((w) => new URL(w.url).origin === self.location.origin);
      if (open) {
        // Focus needs the tap's permission; the window is navigated either way.
        const focused = await open.focus().catch(() => open);
        return focused.navigate(path);
      }
      return self.clients.openWindow(path);
    })(),
  );
});
