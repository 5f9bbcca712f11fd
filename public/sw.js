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
