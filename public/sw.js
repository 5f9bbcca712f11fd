// Vecinos service worker: keeps the app shell on the phone so the app starts with no connection.
// The post_build hook (cargo xtask precache) fills in VERSION and PRECACHE with the built,
// hashed file names. It never caches /api: data lives in IndexedDB, written by the app.
// A new version installs, then waits: the page offers "Reload" and asks it to take over, so a
// running page never has its files swapped underneath it. Each version answers from its own
// cache, so one page never mixes an old index.html with a new WASM file.
const VERSION = "dev";
const PRECACHE = [];
const SHELL = `vecinos-shell-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((key) => key.startsWith("vecinos-shell-") && key !== SHELL).map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) {
    return;
  }
  if (request.mode === "navigate") {
    // Every app route is the same document; the router inside picks the page.
    event.respondWith(caches.match("/index.html", { cacheName: SHELL }).then((hit) => hit || fetch(request)));
    return;
  }
  event.respondWith(caches.match(request, { cacheName: SHELL }).then((hit) => hit || fetch(request)));
});

// Background Sync (Chromium): reports saved while offline leave when a connection returns, even
// with the app closed. The rules are the app's (src/outbox.rs): a report goes with the stamp the
// app computed when saving it, and its id makes a second delivery harmless. After the receipt
// it is deleted and counted in one transaction. What the worker cannot send (not stamped yet,
// refused, or refused now) stays for the app; a busy or unreachable server makes the browser
// try again later.
self.addEventListener("sync", (event) => {
  if (event.tag === "vecinos-outbox") event.waitUntil(sendOutbox());
});

const done = (request) =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

async function sendOutbox() {
  const db = await done(indexedDB.open("vecinos"));
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
