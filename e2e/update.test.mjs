// A new version: it installs in the background and waits; the running page keeps working on the
// old one and offers "Reload"; only then does the new version take over, and the old shell cache
// goes.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { launchPhone, startServer } from "./harness.mjs";

let dist;
let server;
let phone;

before(async () => {
  // A copy of the built app that this test can publish a new version into. Keeping the build's
  // timestamps makes the edited files strictly newer, as a real deploy would.
  dist = mkdtempSync(join(tmpdir(), "vecinos-dist-"));
  cpSync(process.env.VECINOS_DIST, dist, { recursive: true, preserveTimestamps: true });
  server = await startServer({ dist });
  phone = await launchPhone();
});

after(async () => {
  await phone?.close();
  await server?.cleanup();
  if (dist) rmSync(dist, { recursive: true, force: true });
});

const MARKER = '<meta name="vecinos-test-build" content="2">';
const VERSION = /const VERSION = "([0-9a-f]+)";/;

/** Edits a file of the served copy, removing its precompressed siblings so the edit is served. */
function edit(file, change) {
  const path = join(dist, file);
  const old = readFileSync(path, "utf8");
  const changed = change(old);
  assert.notEqual(changed, old, `${file} changed`);
  writeFileSync(path, changed);
  rmSync(`${path}.br`, { force: true });
  rmSync(`${path}.gz`, { force: true });
}

const shellCaches = (page) =>
  page.evaluate(async () => (await caches.keys()).filter((key) => key.startsWith("vecinos-shell-")));

const hasMarker = (page) => page.locator('meta[name="vecinos-test-build"]').count();

test("a new version waits until the person taps Reload, then replaces the old one", async () => {
  const oldVersion = readFileSync(join(dist, "sw.js"), "utf8").match(VERSION)?.[1];
  assert.ok(oldVersion, "sw.js names its version");
  let newVersion;
  do newVersion = randomBytes(8).toString("hex");
  while (newVersion === oldVersion);

  const page = await phone.context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(server.url);
  await page.locator("li.card.event").first().waitFor();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  assert.deepEqual(await shellCaches(page), [`vecinos-shell-${oldVersion}`]);
  assert.equal(await page.locator("div.update").count(), 0, "no update offer for the first install");

  // Publish a new version on the server.
  edit("sw.js", (text) => text.replace(VERSION, `const VERSION = "${newVersion}";`));
  edit("index.html", (text) => text.replace("</head>", `${MARKER}</head>`));
  const served = await (await fetch(`${server.url}/index.html`)).text();
  assert.ok(served.includes(MARKER), "the server now serves the new index.html");

  // The app finds it, the new worker installs into its own cache and waits.
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
  const banner = page.locator("div.update");
  await banner.waitFor();
  assert.equal((await banner.locator("span").textContent()).trim(), "A new version is ready");
  const waiting = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    return { waiting: registration.waiting?.state, active: registration.active?.state };
  });
  assert.deepEqual(waiting, { waiting: "installed", active: "activated" });
  assert.deepEqual(
    (await shellCaches(page)).sort(),
    [`vecinos-shell-${oldVersion}`, `vecinos-shell-${newVersion}`].sort(),
    "both versions' caches exist while the new one waits",
  );

  // The old page keeps working.
  assert.equal(await hasMarker(page), 0);
  await page.locator('nav.tabs a[href="/resources"]').click();
  await page.locator("p.count", { hasText: "40 found" }).waitFor();
  await page.locator('nav.tabs a[href="/rights"]').click();
  await page.locator("main ul.cards li").first().waitFor();
  await page.locator('nav.tabs a[href="/events"]').click();
  await page.locator("li.card.event").first().waitFor();
  await banner.waitFor();

  // A second page opened now still gets the old version: the waiting worker does not serve.
  const second = await phone.context.newPage();
  second.on("pageerror", (e) => errors.push(`second page: ${e.message}`));
  await second.goto(`${server.url}/resources`);
  await second.locator("li.resource").first().waitFor();
  assert.equal(await hasMarker(second), 0, "the second page got the old index.html");
  assert.ok(await second.evaluate(() => navigator.serviceWorker.controller !== null));

  // Reload: the new worker takes over and the page reloads into the new version.
  const reloaded = page.waitForEvent("load");
  await banner.locator("button", { hasText: "Reload" }).click();
  await reloaded;
  await page.locator('meta[name="vecinos-test-build"]').waitFor({ state: "attached" });
  await page.locator("li.card.event").first().waitFor();
  assert.equal(await page.locator("li.card.event").count(), 15, "the events still render");
  assert.equal(await page.locator("div.update").count(), 0, "no offer once the new version runs");
  assert.deepEqual(await shellCaches(page), [`vecinos-shell-${newVersion}`], "only the new shell cache remains");
  const running = await page.evaluate(async (cacheName) => {
    const registration = await navigator.serviceWorker.getRegistration();
    const index = await caches.match("/index.html", { cacheName });
    return {
      controlled: navigator.serviceWorker.controller?.state,
      waiting: registration.waiting,
      index: index && (await index.text()),
    };
  }, `vecinos-shell-${newVersion}`);
  assert.equal(running.controlled, "activated");
  assert.equal(running.waiting, null);
  assert.ok(running.index?.includes(MARKER), "the new cache holds the new index.html");

  await second.close();
  assert.deepEqual(errors, [], "no uncaught errors in the pages");
});
