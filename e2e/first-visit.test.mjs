// The first visit on a slow phone: the shell in index.html is painted before the WASM arrives,
// its Exit works while the app loads, it says "Loading…" (never "nothing saved") until the cache
// has been read, and Report works offline after one online visit to the home screen.
import assert from "node:assert/strict";
import { test } from "node:test";
import { launchPhone, receivedReports, screenshotPath, setUp, signIn, startServer } from "./harness.mjs";

/** What the origin holds, read from a page of that origin. */
function storage(page) {
  return page.evaluate(async () => ({
    databases: (await indexedDB.databases()).map((db) => db.name),
    caches: await caches.keys(),
    localStorage: Object.keys(localStorage),
    registrations: (await navigator.serviceWorker.getRegistrations()).length,
  }));
}

test("quick exit while the WASM is held back wipes everything and leaves", async (t) => {
  const { server, phone, page, errors } = await setUp(t);
  await page.goto(server.url);
  await page.locator("li.card.event").first().waitFor();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.locator("header.top select.lang").selectOption("es");
  await page.locator("main h1", { hasText: "Próximos eventos" }).waitFor();
  const before = await storage(page);
  assert.ok(before.databases.includes("vecinos"), `the database exists: ${before.databases}`);
  assert.ok(before.caches.length > 0 && before.registrations === 1);
  assert.ok(before.localStorage.includes("vecinos-lang"));

  // The WASM never arrives: out of the service worker's cache, and held at the network.
  await page.evaluate(async () => {
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        if (request.url.endsWith(".wasm")) await cache.delete(request);
      }
    }
  });
  const held = [];
  await phone.context.route(/\.wasm$/, (route) => held.push(route));
  // One tab, as on a phone: an open app elsewhere would hold the database until it closed.
  await page.close();

  const loading = await phone.context.newPage();
  loading.on("pageerror", (e) => errors.push(e.message));
  await loading.goto(`${server.url}/resources`, { waitUntil: "domcontentloaded" });
  const exit = loading.locator("#shell header.top button.exit");
  // The shell speaks the chosen language and marks the section being opened.
  assert.equal(await exit.textContent(), "Salir");
  assert.equal(await loading.locator("#shell main p.empty").textContent(), "Cargando…");
  assert.equal(await loading.locator('#shell nav.tabs a[aria-current="page"]').textContent(), "Recursos");
  assert.equal(await loading.evaluate(() => document.documentElement.lang), "es");
  await loading.screenshot({ path: screenshotPath("shell-loading-es") });
  assert.ok(held.length > 0, "the test holds the WASM request");
  assert.equal(await loading.locator("#shell").count(), 1, "the app has not started");

  await exit.click();
  await loading.waitForURL("about:blank");
  for (const route of held) await route.abort().catch(() => {});
  await phone.context.unroute(/\.wasm$/);

  // Seen from a file of the origin that does not start the app.
  const probe = await phone.context.newPage();
  await probe.goto(`${server.url}/manifest.webmanifest`);
  assert.deepEqual(await storage(probe), { databases: [], caches: [], localStorage: [], registrations: 0 });
  assert.deepEqual(errors, []);
});

test("the lists say Loading…, never 'nothing saved', until the cache has been read", async () => {
  const server = await startServer();
  const phone = await launchPhone();
  try {
    await phone.context.addInitScript(() => {
      // Every text the main area shows, from the first paint on.
      window.__seen = [];
      new MutationObserver(() => {
        const main = document.querySelector("main");
        const text = main ? main.innerText : "";
        if (text && window.__seen[window.__seen.length - 1] !== text) window.__seen.push(text);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    const nothingSaved = /No upcoming events saved|No resources saved/;
    const page = await phone.context.newPage();
    // The first visit: the cache is empty and the first pull fills it.
    await page.goto(server.url);
    await page.locator("li.card.event").first().waitFor();
    // The shell preloaded the feed's first page and the app's first pull took that download.
    const firstPages = () =>
      page.evaluate(() => performance.getEntriesByType("resource").filter((e) => e.name.endsWith("/api/v1/changes?since=0")).length);
    assert.equal(await firstPages(), 1, "the first page of the feed is downloaded once");
    let seen = await page.evaluate(() => window.__seen);
    assert.match(seen[0], /Loading…/, `the shell comes first: ${seen[0]}`);
    assert.ok(!seen.some((text) => nothingSaved.test(text)), `first visit: ${JSON.stringify(seen)}`);

    // A later start with a CPU four times slower, on the resources: the saved first screen or
    // "Loading…", then the list, and never "nothing saved".
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const cdp = await phone.context.newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    await page.goto(`${server.url}/resources`);
    await page.locator("li.resource").first().waitFor();
    assert.equal(await firstPages(), 0, "a later start preloads nothing");
    seen = await page.evaluate(() => window.__seen);
    assert.ok(!seen.some((text) => nothingSaved.test(text)), `later start: ${JSON.stringify(seen)}`);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
    await cdp.detach();
  } finally {
    await phone.close();
    await server.cleanup();
  }
});

test("after one online visit to the home screen, a first visit to Report works offline", async (t) => {
  const { server, phone, page, errors } = await setUp(t);
  await page.goto(server.url);
  await page.locator("li.card.event").first().waitFor();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  // Everything the Report screen needs is precached while the phone is idle.
  await page.waitForFunction(async () => {
    const keys = await caches.keys();
    return keys.length > 0 && (await navigator.serviceWorker.ready).active?.state === "activated";
  });

  await phone.context.setOffline(true);
  await page.goto(`${server.url}/report`);
  await page.getByRole("button", { name: "Checkpoint" }).click();
  await page.getByLabel("Describe it briefly").fill("Two unmarked vans outside the example laundromat");
  await page.getByLabel("Or cross streets").fill("Example Ave and 3rd St");
  await page.getByRole("button", { name: "Save and send" }).click();
  await page.getByText("Saved on this phone: it will be sent when you are online.").waitFor();
  await page.screenshot({ path: screenshotPath("report-first-visit-offline") });

  await phone.context.setOffline(false);
  await page.getByText("Sent", { exact: true }).waitFor({ timeout: 60_000 });
  const cookie = await signIn(server.url);
  const reports = await receivedReports(server.url, cookie);
  assert.equal(reports.filter((r) => r.description === "Two unmarked vans outside the example laundromat").length, 1);
  assert.deepEqual(errors, []);
});

test("a first visit fetches only the chunks of the screen it opens; one that cannot be fetched says so and loads on a retry", async (t) => {
  const { server, phone, page, errors } = await setUp(t);
  const fetched = [];
  page.on("request", (request) => fetched.push(new URL(request.url()).pathname));
  await page.goto(`${server.url}/report`);
  await page.getByRole("button", { name: "Checkpoint" }).waitFor();
  const chunks = (name) => fetched.filter((path) => path.startsWith(`/split_${name}-`));
  assert.ok(chunks("report").length > 0, `the report chunk: ${fetched}`);
  assert.deepEqual(chunks("organise"), [], "the page itself does not fetch the organisers' chunk");
  assert.deepEqual(chunks("push"), [], "nor the push chunk");
  // The shell's preload and the loader's fetch are one download.
  const downloads = await page.evaluate(() =>
    performance.getEntriesByType("resource").filter((e) => /\/split_report-[0-9a-f]{16}\.wasm$/.test(e.name)).length);
  assert.equal(downloads, 1, "the report chunk is downloaded once");
  // The tabs need no chunk.
  fetched.length = 0;
  await page.getByRole("link", { name: "Events" }).click();
  await page.locator("li.card.event").first().waitFor();
  assert.deepEqual(fetched.filter((path) => /^\/(split|chunk)_/.test(path)), []);

  // A phone that has not kept the organiser screens and cannot fetch them: the app says so and
  // keeps working; "Try again" loads them once the connection is back.
  await page.evaluate(async () => {
    for (const r of await navigator.serviceWorker.getRegistrations()) await r.unregister();
    for (const name of await caches.keys()) await caches.delete(name);
  });
  await page.close();
  // Routing also turns off the HTTP cache, which the worker's precaching had filled.
  const organise = /\/split_organise-[0-9a-f]{16}\.wasm$/;
  await phone.context.route(organise, (route) => route.abort());
  const fresh = await phone.context.newPage();
  fresh.on("pageerror", (e) => errors.push(e.message));
  await fresh.goto(`${server.url}/organise`);
  await fresh.getByText("This screen is not on this phone yet. Connect to the internet, then try again.").waitFor();
  await fresh.screenshot({ path: screenshotPath("section-not-loaded") });
  await fresh.getByRole("link", { name: "Events" }).click();
  await fresh.locator("li.card.event").first().waitFor();
  await fresh.goBack();
  await fresh.getByText("This screen is not on this phone yet.", { exact: false }).waitFor();
  await phone.context.unroute(organise);
  await fresh.getByRole("button", { name: "Try again" }).click();
  await fresh.getByRole("button", { name: "Sign in" }).waitFor();
  assert.deepEqual(errors, []);
});
