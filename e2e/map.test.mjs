// The map: loaded only when first opened, the same places and filters as the lists, tiles from
// the deployment's tile server (here a local fixture that counts requests), the tiles a person
// viewed kept by the service worker, and a plain background with every marker when tiles fail.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  ORGANISER, launchPhone, receivedReports, screenshotPath, setUp, signIn, startServer, verifyReport,
} from "./harness.mjs";
import { startTileServer } from "./tiles.mjs";

/** The first map load compiles the map's WASM module: generous. */
const FIRST_DRAW = { timeout: 90_000 };
const UUID = /^\/resources\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TILES_UNAVAILABLE = "Map tiles are unavailable: places are shown on a plain background.";

/** A tile server, then the app's server pointed at it and a phone; all closed after the test. */
async function start(t) {
  const tiles = await startTileServer();
  t.after(() => tiles.close());
  const setup = await setUp(t, { VECINOS_TILE_URL: tiles.template, VECINOS_TILE_ATTRIBUTION: "Test tiles" });
  return { tiles, ...setup };
}

/** A tab of the bottom navigation. */
const tab = (page, name) => page.locator("nav.tabs").getByRole("link", { name });

const unavailableNote = (page) => page.locator("p.map-note", { hasText: TILES_UNAVAILABLE });

/** Opens the Map tab and waits for its first markers. */
async function openMap(page) {
  await tab(page, "Map").click();
  await page.getByRole("heading", { level: 1, name: "Map" }).waitFor();
  await page.locator(".leaflet-marker-icon.pin").first().waitFor(FIRST_DRAW);
  await settle(page);
}

/**
 * Waits until the map is still: no zoom animation or drag under way, not loading, and the same
 * markers (labels and positions), alert areas and notes over several looks 150 ms apart.
 */
async function settle(page) {
  let last = null;
  let same = 0;
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    const now = await page.evaluate(() => {
      if (document.querySelector(".leaflet-zoom-anim, .leaflet-dragging")) return null;
      if ((document.querySelector("main")?.textContent ?? "").includes("Loading the map")) return null;
      const parts = [...document.querySelectorAll(".leaflet-marker-icon, path.area-alert")].map(
        (el) => `${el.getAttribute("aria-label")}@${el.style.transform || el.getAttribute("d")}`,
      );
      for (const note of document.querySelectorAll("main p")) parts.push(note.textContent);
      return parts.join("|");
    });
    if (now !== null && now === last) {
      same += 1;
      if (same >= 3) return;
    } else {
      same = 0;
    }
    last = now;
    await page.waitForTimeout(150);
  }
  throw new Error("the map did not settle within 20 s");
}

/** The number of places a cluster label speaks for: "12 places: zoom in", "3 places here". */
function placesIn(label) {
  const found = /^(\d[\d,]*) places(: zoom in| here)$/.exec(label ?? "");
  return found ? Number(found[1].replace(/,/g, "")) : null;
}

/**
 * What the map draws: single event and resource pins, clusters and the places inside them, and
 * `total`, the places drawn in all. Every marker must be a labelled, focusable button of one
 * known kind.
 */
async function placesShown(page) {
  const markers = await page.evaluate(() =>
    // The person's own position ("Near me") is not a place.
    [...document.querySelectorAll(".leaflet-marker-icon:not(.pin-here)")].map((el) => ({
      classes: [...el.classList],
      role: el.getAttribute("role"),
      tabindex: el.getAttribute("tabindex"),
      label: el.getAttribute("aria-label"),
    })),
  );
  // Alerts are counted apart: never in a cluster, and not in `total`.
  const shown = { events: 0, resources: 0, alerts: 0, clusters: 0, clustered: 0, total: 0 };
  for (const m of markers) {
    const what = JSON.stringify(m);
    assert.ok(m.classes.includes("pin"), `every marker is a pin: ${what}`);
    assert.equal(m.role, "button", `a marker is a button: ${what}`);
    assert.equal(m.tabindex, "0", `a marker is focusable: ${what}`);
    const kinds = ["pin-event", "pin-resource", "pin-cluster", "pin-alert"].filter((k) => m.classes.includes(k));
    assert.equal(kinds.length, 1, `a marker is of one kind: ${what}`);
    if (kinds[0] === "pin-alert") {
      assert.match(m.label, /^Alert: \S/, what);
      shown.alerts += 1;
    } else if (kinds[0] === "pin-event") {
      assert.match(m.label, /^Event: \S/, what);
      shown.events += 1;
    } else if (kinds[0] === "pin-resource") {
      assert.match(m.label, /^Resource: \S/, what);
      shown.resources += 1;
    } else {
      const n = placesIn(m.label);
      assert.ok(n !== null && n >= 2, `a cluster says how many places it holds: ${what}`);
      shown.clusters += 1;
      shown.clustered += n;
    }
  }
  shown.total = shown.events + shown.resources + shown.clustered;
  return shown;
}

/** The resources the map lists as serving an area and so not drawn ("<N> not on the map: ..."). */
async function notOnMap(page) {
  const notes = (await page.locator("main p").allTextContents()).join(" ");
  const found = /(\d[\d,]*) not on the map/.exec(notes);
  return found ? Number(found[1].replace(/,/g, "")) : 0;
}

/** Sets the map's layer checkboxes, e.g. `{ Events: false, Alerts: false }`. */
async function setLayers(page, wanted) {
  for (const [name, on] of Object.entries(wanted)) {
    const box = page.getByRole("checkbox", { name });
    // Should the checkboxes sit in Leaflet's collapsed layer control, open it first.
    const toggle = page.locator(".leaflet-control-layers-toggle");
    if (!(await box.isVisible()) && (await toggle.count()) > 0) await toggle.click();
    await box.setChecked(on);
  }
  await settle(page);
}

/** Zooms out by up to `levels` with Leaflet's control, stopping at the lowest zoom. */
async function zoomOut(page, levels) {
  const button = page.locator(".leaflet-control-zoom-out");
  for (let i = 0; i < levels; i += 1) {
    if (((await button.getAttribute("class")) ?? "").includes("leaflet-disabled")) return;
    await button.click();
    await settle(page);
  }
}

/**
 * Markers matching `selector` that a finger can reach: centre inside the map, away from its
 * edges (where Leaflet's controls sit), and not covered by anything else.
 */
function reachable(page, selector) {
  return page.evaluate((selector) => {
    const map = document.querySelector("div.map").getBoundingClientRect();
    const margin = 40;
    const found = [];
    document.querySelectorAll(selector).forEach((el, index) => {
      const box = el.getBoundingClientRect();
      const x = box.left + box.width / 2;
      const y = box.top + box.height / 2;
      if (box.width === 0 || x < map.left + margin || x > map.right - margin) return;
      if (y < map.top + margin || y > map.bottom - margin) return;
      const hit = document.elementFromPoint(x, y);
      if (hit && el.contains(hit)) found.push({ index, label: el.getAttribute("aria-label") });
    });
    return found;
  }, selector);
}

/**
 * Taps clusters (the fullest first) until a single resource pin can be tapped; returns it and
 * the resource's name.
 */
async function findResourcePin(page) {
  for (let step = 0; step < 12; step += 1) {
    const [pin] = await reachable(page, ".pin-resource");
    if (pin) {
      return { pin: page.locator(".pin-resource").nth(pin.index), name: pin.label.replace(/^Resource: /, "") };
    }
    const clusters = (await reachable(page, ".pin-cluster"))
      .filter((c) => c.label.endsWith(": zoom in"))
      .sort((a, b) => placesIn(b.label) - placesIn(a.label));
    if (clusters.length === 0) break;
    await page.locator(".pin-cluster").nth(clusters[0].index).click();
    await settle(page);
  }
  const labels = await page.locator(".leaflet-marker-icon").evaluateAll((els) => els.map((e) => e.getAttribute("aria-label")));
  throw new Error(`no resource pin could be reached by tapping clusters; markers: ${JSON.stringify(labels)}`);
}

/** The "<n> found" of the resources list, once it differs from `other`. */
async function listCount(page, other = null) {
  const found = await page.waitForFunction(
    (other) => {
      const match = /^\s*(\d[\d,]*) found\s*$/.exec(document.querySelector("p.count")?.textContent ?? "");
      if (!match) return null;
      const n = Number(match[1].replace(/,/g, ""));
      return n === other ? null : { n };
    },
    other,
    { timeout: 30_000 },
  );
  return (await found.jsonValue()).n;
}

/** Waits until the map shows tiles and every tile image on the page has loaded. */
async function tilesLoaded(page) {
  await page.waitForFunction(
    () => {
      const tiles = [...document.querySelectorAll("img.leaflet-tile")];
      return tiles.length > 0 && tiles.every((img) => img.classList.contains("leaflet-tile-loaded"));
    },
    null,
    { timeout: 30_000 },
  );
}

const loadedTileSources = (page) =>
  page.locator("img.leaflet-tile.leaflet-tile-loaded").evaluateAll((imgs) => imgs.map((img) => img.src));

/** Waits for the service worker and its control of the page, as offline.test.mjs does. */
async function controlled(page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

/** Every URL in Cache Storage. */
const cachedUrls = (page) =>
  page.evaluate(async () => {
    const urls = [];
    for (const key of await caches.keys()) {
      for (const request of await (await caches.open(key)).keys()) urls.push(request.url);
    }
    return urls;
  });

/** Of `urls`, those Cache Storage still lacks after waiting up to 20 s for them. */
async function notCached(page, urls) {
  let missing = urls;
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    missing = await page.evaluate(async (urls) => {
      const out = [];
      for (const url of urls) if (!(await caches.match(url))) out.push(url);
      return out;
    }, urls);
    if (missing.length === 0) break;
    await page.waitForTimeout(250);
  }
  return missing;
}

/**
 * Presses `key` (Tab or Shift+Tab) until the focused element matches `selector`, at most `max`
 * times; true when it got there.
 */
async function pressUntilFocused(page, key, selector, max) {
  for (let i = 0; i <= max; i += 1) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return true;
    if (i < max) await page.keyboard.press(key);
  }
  return false;
}

test("the map loads on demand and shows the demo places; a marker opens its detail", async (t) => {
  const { tiles, server, page, errors } = await start(t);
  const requested = [];
  page.on("request", (request) => requested.push(request.url()));
  const mapFiles = () =>
    requested.filter((u) => u.startsWith(`${server.url}/map/`)).map((u) => new URL(u).pathname);

  await page.goto(`${server.url}/events`);
  await page.getByRole("heading", { name: "Know-your-rights training" }).waitFor();
  await page.getByText("Updated just now").waitFor();
  await controlled(page);

  // Nothing of the map is fetched or precached before it is opened.
  assert.deepEqual(mapFiles(), [], "no request to /map/ before the map is opened");
  assert.equal(tiles.requests, 0, "no tile is fetched before the map is opened");
  const precached = (await cachedUrls(page)).filter((u) => u.startsWith(server.url));
  assert.ok(precached.length > 0, "the shell is precached");
  assert.deepEqual(precached.filter((u) => new URL(u).pathname.startsWith("/map/")), [],
    "the map's files are not in the precache");

  // Opening the tab loads Leaflet and the map's WASM, then draws the demo places.
  await page.evaluate(() => {
    window.__stay = 1;
  });
  await openMap(page);
  assert.equal(new URL(page.url()).pathname, "/map");
  const files = mapFiles();
  assert.ok(files.some((p) => /leaflet[^/]*\.js$/.test(p)), `Leaflet's script was loaded: ${files}`);
  assert.ok(files.some((p) => /leaflet[^/]*\.css$/.test(p)), `Leaflet's CSS was loaded: ${files}`);
  assert.ok(files.some((p) => p.endsWith(".wasm")), `the map's WASM was loaded: ${files}`);
  assert.equal(await page.locator("div.map.leaflet-container").count(), 1, "one Leaflet map");
  assert.equal(await page.locator("p.map-note", { hasText: "Loading the map…" }).filter({ visible: true }).count(), 0,
    "the loading note is gone");
  const marks = await page.evaluate(() =>
    ["vecinos:map-start", "vecinos:map-drawn"].map((name) => performance.getEntriesByName(name)[0]?.startTime ?? null),
  );
  assert.ok(marks[0] !== null && marks[1] !== null && marks[1] >= marks[0], `map marks in order: ${marks}`);

  // Tiles come from the configured tile server, with its attribution; a scale is shown.
  await tilesLoaded(page);
  assert.ok(tiles.requests > 0, "tiles were fetched from the tile server");
  const sources = await loadedTileSources(page);
  assert.ok(sources.length > 0 && sources.every((s) => s.startsWith(`${tiles.url}/tiles/`)),
    `tiles come from VECINOS_TILE_URL: ${sources}`);
  assert.match(await page.locator(".leaflet-control-attribution").textContent(), /Test tiles/);
  await page.locator(".leaflet-control-scale").waitFor();
  assert.equal(await unavailableNote(page).isVisible(), false, "online, tiles are not said to be unavailable");

  // Events and resources are both drawn: hiding events leaves fewer places, all resources.
  const everything = await placesShown(page);
  await page.screenshot({ path: screenshotPath("map-online") });
  await setLayers(page, { Events: false, Alerts: false });
  const resources = await placesShown(page);
  assert.equal(resources.events, 0, "no event pin with the Events layer off");
  assert.ok(resources.total > 0, "resource places are drawn");
  assert.ok(everything.total > resources.total, `events are drawn too: ${everything.total} > ${resources.total}`);

  // Tapping a resource's pin opens its card; "Details" moves the app to the resource's page.
  const { pin, name } = await findResourcePin(page);
  await pin.click();
  const popup = page.locator(".leaflet-popup-content");
  await popup.waitFor();
  assert.equal((await popup.locator("strong").first().textContent()).trim(), name, "the card names the place");
  const details = popup.locator("a.open");
  assert.equal((await details.textContent()).trim(), "Details");
  const href = new URL(await details.getAttribute("href"), page.url()).pathname;
  assert.match(href, UUID);
  await page.screenshot({ path: screenshotPath("map-popup") });
  await details.click();
  await page.waitForURL((url) => url.pathname === href);
  await page.getByRole("heading", { level: 1, name, exact: true }).waitFor();
  assert.equal(await page.evaluate(() => window.__stay), 1, "the detail opened without loading a page");
  assert.deepEqual(errors, []);
});

test("filters apply to the map and are kept between list and map", async (t) => {
  const { server, page, errors } = await start(t);
  await page.goto(`${server.url}/events`);
  await page.getByText("Updated just now").waitFor();
  await page.locator("li.card.event").first().waitFor();
  const eventsListed = await page.locator("li.card.event").count();
  await tab(page, "Resources").click();
  const all = await listCount(page);

  // With everything in view (zoomed out), the map holds the lists' places.
  await openMap(page);
  await zoomOut(page, 3);
  await setLayers(page, { Events: true, Resources: false, Alerts: false });
  const events = await placesShown(page);
  assert.equal(events.resources, 0, "no resource pin with the Resources layer off");
  assert.equal(events.total, eventsListed, "every listed event is on the map");
  await setLayers(page, { Events: false, Resources: true });
  const resources = await placesShown(page);
  assert.equal(resources.events, 0, "no event pin with the Events layer off");
  const unplaced = await notOnMap(page);
  assert.ok(unplaced > 0, "the demo's area-only resources are counted as not on the map");
  assert.equal(resources.total + unplaced, all, "drawn + not on the map = the resources listed");

  // A search typed on the list applies on the map, to resources only.
  await tab(page, "Resources").click();
  await page.getByRole("searchbox").fill("legal");
  const legal = await listCount(page, all);
  assert.ok(legal > 0 && legal < all, `the search narrows the list: ${legal} of ${all}`);
  assert.equal(await page.locator("li.card.resource").count(), Math.min(legal, 15));
  await openMap(page);
  assert.equal(await page.getByRole("searchbox").inputValue(), "legal", "the map shows the list's search");
  await zoomOut(page, 3);
  await setLayers(page, { Events: false, Resources: true, Alerts: false });
  const legalShown = await placesShown(page);
  const legalUnplaced = await notOnMap(page);
  assert.ok(legalShown.total > 0 && legalShown.total < resources.total,
    `the map narrows too: ${legalShown.total} of ${resources.total}`);
  assert.equal(legalShown.total + legalUnplaced, legal, "the map and the list agree on the search");
  await setLayers(page, { Events: true, Resources: false });
  assert.equal((await placesShown(page)).total, events.total, "the resource search leaves events alone");

  // A search typed on the map is the list's search too.
  await setLayers(page, { Events: false, Resources: true });
  await page.getByRole("searchbox").fill("food");
  await settle(page);
  const foodShown = await placesShown(page);
  const foodUnplaced = await notOnMap(page);
  assert.ok(foodShown.total > 0, "food places are drawn");
  await page.screenshot({ path: screenshotPath("map-filtered") });
  await tab(page, "Resources").click();
  assert.equal(await page.getByRole("searchbox").inputValue(), "food", "the list shows the map's search");
  const food = await listCount(page);
  assert.ok(food < all, `the list is narrowed: ${food} of ${all}`);
  assert.equal(foodShown.total + foodUnplaced, food, "the list and the map agree on the search");
  assert.deepEqual(errors, []);
});

test("offline: viewed tiles come from the service worker's cache, unseen ones show the plain background", async (t) => {
  const { tiles, server, phone, page, errors } = await start(t);
  const answered = [];
  page.on("response", (response) => {
    if (response.ok()) answered.push(response.url());
  });
  await page.goto(`${server.url}/events`);
  await page.getByRole("heading", { name: "Know-your-rights training" }).waitFor();
  await page.getByText("Updated just now").waitFor();
  // Controlled before the map opens, so that its files and tiles pass through the worker.
  await controlled(page);
  await openMap(page);
  await tilesLoaded(page);
  const seen = await loadedTileSources(page);
  assert.ok(seen.length > 0, "tiles were shown online");

  // The worker kept the map's files and every tile viewed.
  const mapFiles = [...new Set(answered.filter((u) => u.startsWith(`${server.url}/map/`)))];
  assert.ok(mapFiles.length > 0, "the map's files were fetched");
  assert.deepEqual(await notCached(page, [...mapFiles, ...seen]), [],
    "the map's files and the viewed tiles are in Cache Storage");

  // No tile server, no app server, no network; and no HTTP cache to fall back on.
  const asked = tiles.requests;
  await tiles.stop();
  await server.stop();
  const cdp = await phone.context.newCDPSession(page);
  await cdp.send("Network.clearBrowserCache");
  // A CDP session left attached stops Playwright's offline emulation from reaching the page.
  await cdp.detach();
  await phone.context.setOffline(true);
  await page.reload();
  await page.getByText("Offline: showing what is saved on this phone").waitFor();
  await page.locator(".leaflet-marker-icon.pin").first().waitFor(FIRST_DRAW);
  await settle(page);

  // The tiles seen online are drawn again, from the worker's cache.
  try {
    await page.waitForFunction(
      (seen) => {
        const again = [...document.querySelectorAll("img.leaflet-tile")].filter((img) => seen.includes(img.src));
        return again.length > 0 && again.every((img) => img.classList.contains("leaflet-tile-loaded"));
      },
      seen,
      { timeout: 30_000 },
    );
  } catch (e) {
    const state = await page.locator("img.leaflet-tile").evaluateAll((imgs) => imgs.map((i) => `${i.src} ${i.className}`));
    throw new Error(`the viewed tiles did not load offline: ${e.message}\nseen: ${seen}\nnow: ${state}`);
  }
  const offlineSources = await loadedTileSources(page);
  assert.ok(offlineSources.every((s) => seen.includes(s)), `offline, only viewed tiles load: ${offlineSources}`);
  assert.equal(tiles.requests, asked, "nothing reached the stopped tile server");
  assert.ok((await placesShown(page)).total > 0, "the markers are drawn offline");
  await page.screenshot({ path: screenshotPath("map-offline-cached") });

  // A zoom level never viewed: no tiles, a plain background, every marker and the scale.
  const out = page.locator(".leaflet-control-zoom-out");
  const unseen = ((await out.getAttribute("class")) ?? "").includes("leaflet-disabled")
    ? page.locator(".leaflet-control-zoom-in")
    : out;
  await unseen.click();
  await settle(page);
  const note = unavailableNote(page);
  await note.waitFor({ timeout: 30_000 });
  assert.equal(await note.getAttribute("role"), "status", "the note is announced");
  assert.ok((await placesShown(page)).total > 0, "the markers stay without tiles");
  await page.locator(".leaflet-control-scale").waitFor();
  assert.equal(tiles.requests, asked, "nothing reached the stopped tile server");
  await page.screenshot({ path: screenshotPath("map-offline") });
  assert.deepEqual(errors, []);
});

test("the map works by keyboard: Tab reaches a marker, Enter opens its card, then its page", async (t) => {
  const { server, page, errors } = await start(t);
  await page.goto(`${server.url}/events`);
  await page.getByText("Updated just now").waitFor();
  await openMap(page);

  // One resource on the map: the demo has one dental listing.
  await setLayers(page, { Events: false, Alerts: false });
  const search = page.getByRole("searchbox");
  await search.fill("dental");
  await settle(page);
  await zoomOut(page, 1);
  const pin = page.locator(".pin-resource");
  assert.equal(await pin.count(), 1, "one resource pin");
  assert.equal(await page.locator(".pin-cluster").count(), 0, "no cluster");
  assert.equal(await pin.getAttribute("aria-label"), "Resource: Volunteer dental days");

  // From the search box, Tab (or Shift+Tab, should the map come first) reaches the marker.
  await search.focus();
  let reached = await pressUntilFocused(page, "Tab", ".pin-resource", 60);
  if (!reached) {
    await search.focus();
    reached = await pressUntilFocused(page, "Shift+Tab", ".pin-resource", 60);
  }
  assert.ok(reached, "the marker can be reached with the keyboard");
  await page.keyboard.press("Enter");
  const popup = page.locator(".leaflet-popup-content");
  await popup.waitFor();
  assert.equal((await popup.locator("strong").first().textContent()).trim(), "Volunteer dental days");
  assert.ok(await pressUntilFocused(page, "Tab", ".leaflet-popup-content a.open", 10), "Tab reaches Details");
  await page.keyboard.press("Enter");
  await page.waitForURL((url) => UUID.test(url.pathname));
  await page.getByRole("heading", { level: 1, name: "Volunteer dental days" }).waitFor();
  assert.deepEqual(errors, []);
});

/**
 * Reports from the phone's position (shared as an area), has the organiser publish it with
 * `summary`, and returns the report as the server received it.
 */
async function reportHereAndPublish(server, phone, page, { latitude, longitude }, words, summary) {
  await phone.context.grantPermissions(["geolocation"], { origin: server.url });
  await phone.context.setGeolocation({ latitude, longitude });
  await page.goto(`${server.url}/report`);
  await page.getByText("Updated just now").waitFor();
  await page.getByRole("button", { name: "Checkpoint" }).click();
  await page.getByLabel("Describe it briefly").fill(words);
  await page.getByRole("button", { name: "Use my location" }).click();
  await page.getByText("Your position became an area").waitFor();
  await page.getByRole("button", { name: "Save and send" }).click();
  await page.getByText("Sent", { exact: true }).waitFor();
  const cookie = await signIn(server.url);
  const received = (await receivedReports(server.url, cookie)).find((r) => r.description === words);
  assert.ok(received?.area, `the report carries an area: ${JSON.stringify(received)}`);
  if (summary) {
    const res = await verifyReport(server.url, cookie, received, summary, 90);
    assert.equal(res.status, 201, `verified: ${await res.text()}`);
  }
  return received;
}

/** The alert's diamond and area on the map, with their size on screen. */
const alertShapes = (page) =>
  page.evaluate(() => {
    const box = (el) => {
      const r = el.getBoundingClientRect();
      return { width: r.width, height: r.height };
    };
    return {
      pins: [...document.querySelectorAll(".leaflet-marker-icon.pin-alert")].map((el) => ({
        label: el.getAttribute("aria-label"),
        role: el.getAttribute("role"),
        tabindex: el.getAttribute("tabindex"),
        pane: el.parentElement.className,
        ...box(el),
      })),
      areas: [...document.querySelectorAll("path.area-alert")].map((el) => ({
        hidden: el.getAttribute("aria-hidden"),
        ...box(el),
      })),
    };
  });

test("an alert is drawn as its area with a diamond, labelled, and follows its layer", async (t) => {
  const { server, phone, page, errors } = await start(t);
  // In the demo city's south-west, away from its places.
  const summary = "Example checkpoint reported south-west of the park";
  await reportHereAndPublish(server, phone, page, { latitude: 44.915, longitude: -93.31 },
    "Reporter's own words about a checkpoint by the park", summary);

  await page.goto(`${server.url}/alerts`);
  await page.getByText("Updated just now").waitFor();
  await page.locator("li.alert h2", { hasText: summary }).waitFor();
  await openMap(page);
  // Alone on the map: its area, and one diamond in the alerts' own pane, which is its button.
  await setLayers(page, { Events: false, Resources: false, Alerts: true });
  const area = page.locator("path.area-alert");
  await area.waitFor();
  const shapes = await alertShapes(page);
  assert.equal(shapes.areas.length, 1, "one alert area");
  assert.equal(shapes.pins.length, 1, "one alert diamond");
  assert.equal(await page.locator(".leaflet-marker-icon:not(.pin-here):not(.pin-alert)").count(), 0, "and no other marker");
  assert.deepEqual(
    { label: shapes.pins[0].label, role: shapes.pins[0].role, tabindex: shapes.pins[0].tabindex },
    { label: `Alert: ${summary}`, role: "button", tabindex: "0" },
  );
  assert.match(shapes.pins[0].pane, /leaflet-alerts-pane/, "drawn in the alerts' pane");
  assert.equal(shapes.areas[0].hidden, "true", "the area is the diamond's outline for screen readers");
  await page.screenshot({ path: screenshotPath("map-alert") });

  // Its card opens from the keyboard, like a marker's; a tap on the area opens it too.
  await page.locator(".leaflet-marker-icon.pin-alert").focus();
  await page.keyboard.press("Enter");
  await page.locator(".leaflet-popup-content", { hasText: summary }).waitFor();

  await setLayers(page, { Alerts: false });
  assert.equal(await area.count(), 0, "the Alerts layer hides the area");
  assert.equal(await page.locator(".leaflet-marker-icon.pin-alert").count(), 0, "and the diamond");
  await setLayers(page, { Alerts: true });
  assert.equal(await area.count(), 1, "and shows it again");
  assert.deepEqual(errors, []);
});

test("an alert stands out at the widest zoom and after Near me, never clustered, and its place reads as a neighbourhood", async (t) => {
  const { server, phone, page, errors } = await start(t);
  // In the demo's Civic Center (example), among the resources around Placeholder Square.
  const here = { latitude: 44.97, longitude: -93.27 };
  const summary = "Example checkpoint reported by the square";
  const words = "Reporter's own words about a checkpoint by the square";
  const received = await reportHereAndPublish(server, phone, page, here, words, null);
  const place = "Near Civic Center (example) · about 150 m";

  // Triage: the report's place in words, and its area on a small map on request.
  await page.goto(`${server.url}/organise`);
  await page.getByLabel("Name").fill(ORGANISER.name);
  await page.getByLabel("Password").fill(ORGANISER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  const item = page.locator("li.report-item", { hasText: words });
  await item.waitFor();
  assert.equal((await item.locator("h2").textContent()).trim(), place);
  assert.ok(!(await item.textContent()).includes(received.area), "the raw area is not shown");
  await item.getByRole("button", { name: "Area on a map" }).click();
  const small = item.locator("div.map-small.leaflet-container");
  await small.locator("path.area-alert").waitFor(FIRST_DRAW);
  assert.equal(await small.getAttribute("aria-label"), "Map of the report's area");
  assert.equal(await small.locator(".leaflet-control-zoom").count(), 0, "a still map: no zoom buttons");
  await item.scrollIntoViewIfNeeded();
  await page.waitForTimeout(500);
  await page.screenshot({ path: screenshotPath("triage-area-map") });
  const cookie = await signIn(server.url);
  const res = await verifyReport(server.url, cookie, received, summary, 90);
  assert.equal(res.status, 201, `verified: ${await res.text()}`);

  // The alerts list says where in words, never the raw area.
  await page.goto(`${server.url}/alerts`);
  const card = page.locator("li.alert", { hasText: summary });
  await card.waitFor();
  assert.equal((await card.locator("p.where").first().textContent()).trim(), place);
  assert.ok(!(await card.textContent()).includes(received.area), "the raw area is not shown");
  await page.screenshot({ path: screenshotPath("alerts-neighbourhood") });

  // At the widest zoom the demo's places fold into clusters; the alert stays itself, on top,
  // big enough to see and tap.
  await openMap(page);
  await zoomOut(page, 20);
  const wide = await placesShown(page);
  assert.ok(wide.clusters > 0, `the places around are clustered: ${JSON.stringify(wide)}`);
  assert.equal(wide.alerts, 1, "the alert is drawn on its own");
  let shapes = await alertShapes(page);
  assert.equal(shapes.areas.length, 1, "with its area");
  assert.ok(shapes.areas[0].width >= 40 && shapes.areas[0].height >= 40, `the area is big enough to see: ${JSON.stringify(shapes)}`);
  assert.ok(shapes.pins[0].width >= 24, `the diamond is big enough to tap: ${JSON.stringify(shapes)}`);
  await page.screenshot({ path: screenshotPath("map-alert-wide") });
  const [tappable] = await reachable(page, ".leaflet-marker-icon.pin-alert");
  assert.equal(tappable?.label, `Alert: ${summary}`, "nothing covers the alert");
  // The legend says what the shapes mean.
  const legend = page.getByRole("list", { name: "What the shapes mean" });
  assert.deepEqual((await legend.locator("li").allTextContents()).map((s) => s.trim()), ["3Several places", "!Alert: about where"]);
  await page.screenshot({ path: screenshotPath("map-alert-wide") });

  // "Near me" zooms in on the phone, by the alert: still itself among the clusters around.
  await phone.context.setGeolocation({ latitude: 44.9702, longitude: -93.2703 });
  await page.getByRole("button", { name: "Near me" }).click();
  await page.locator(".pin-here").first().waitFor();
  await settle(page);
  const near = await placesShown(page);
  assert.equal(near.alerts, 1, `the alert is drawn on its own: ${JSON.stringify(near)}`);
  assert.ok(near.clusters > 0, `the resources around are clustered: ${JSON.stringify(near)}`);
  shapes = await alertShapes(page);
  assert.equal(shapes.areas.length, 1, "with its area");
  assert.ok(shapes.areas[0].width >= 40, `the area shows: ${JSON.stringify(shapes)}`);
  assert.equal((await reachable(page, ".leaflet-marker-icon.pin-alert"))[0]?.label, `Alert: ${summary}`, "nothing covers the alert");
  await page.screenshot({ path: screenshotPath("map-alert-near-me") });
  await page.locator(".leaflet-marker-icon.pin-alert").click();
  await page.locator(".leaflet-popup-content", { hasText: summary }).waitFor();
  // Still before the page goes: a map removed mid-pan trips Leaflet.
  await settle(page);

  // In Spanish and in the dark, once, for the screenshots.
  await page.emulateMedia({ colorScheme: "dark" });
  await page.locator("select.lang").selectOption("es");
  await tab(page, "Alertas").click();
  await page.locator("li.alert", { hasText: summary }).locator("p.where", { hasText: "Cerca de Civic Center (example) · unos 150 m" }).waitFor();
  await page.screenshot({ path: screenshotPath("alerts-neighbourhood-es-dark") });
  await tab(page, "Mapa").click();
  await page.locator(".leaflet-marker-icon.pin-alert").waitFor(FIRST_DRAW);
  // Left and opened again while it zooms to the phone: Leaflet's zoom must not outlive the map.
  await tab(page, "Alertas").click();
  await tab(page, "Mapa").click();
  await page.locator(".leaflet-marker-icon.pin-alert").waitFor(FIRST_DRAW);
  await page.getByRole("list", { name: "Qué significan las formas" }).waitFor();
  await settle(page);
  await page.screenshot({ path: screenshotPath("map-alert-es-dark") });
  assert.deepEqual(errors, []);
});

test("the map speaks the language chosen in the app", async (t) => {
  const { server, page, errors } = await start(t);
  await page.goto(`${server.url}/events`);
  await page.getByText("Updated just now").waitFor();
  await page.locator("select.lang").selectOption("es");
  await tab(page, "Mapa").click();
  await page.locator(".leaflet-marker-icon.pin").first().waitFor(FIRST_DRAW);
  for (const name of ["Eventos", "Recursos", "Alertas"]) {
    await page.getByRole("checkbox", { name }).waitFor();
  }
  const cluster = page.locator(".pin-cluster").first();
  assert.match(await cluster.getAttribute("aria-label"), /^\d+ lugares: acercar$/);
  const resource = page.locator(".pin-resource").first();
  assert.match(await resource.getAttribute("aria-label"), /^Recurso: \S/);
  await resource.click();
  await page.locator(".leaflet-popup-content a.open", { hasText: "Detalles" }).waitFor();
  // Leaflet's own controls too.
  assert.equal(await page.locator(".leaflet-control-zoom-in").getAttribute("aria-label"), "Acercar");
  assert.equal(await page.locator(".leaflet-control-zoom-out").getAttribute("aria-label"), "Alejar");
  await page.getByRole("button", { name: "Cerrar" }).click();
  await page.locator(".leaflet-popup").waitFor({ state: "detached" });
  assert.deepEqual(errors, []);
});

test("Near me centres the map on the phone's position, with one dot however often it is tapped", async (t) => {
  const { server, phone, page, errors } = await start(t);
  await phone.context.grantPermissions(["geolocation"]);
  await phone.context.setGeolocation({ latitude: 44.9481, longitude: -93.2760 });
  await page.goto(`${server.url}/events`);
  await page.getByText("Updated just now").waitFor();
  await openMap(page);
  const sent = [];
  page.on("request", (r) => sent.push(r.url()));
  for (let tap = 0; tap < 2; tap++) {
    await page.getByRole("button", { name: "Near me" }).click();
    await page.locator(".pin-here").first().waitFor();
    await settle(page);
  }
  assert.equal(await page.locator(".pin-here").count(), 1, "one dot for the phone");
  await page.getByText("Your position is used on this phone only and never sent.").waitFor();
  // The dot sits in the middle of the map: the view was centred on it.
  const [map, dot] = await Promise.all([
    page.locator("div.map").boundingBox(),
    page.locator(".pin-here").boundingBox(),
  ]);
  const middle = (box) => [box.x + box.width / 2, box.y + box.height / 2];
  const [[mx, my], [dx, dy]] = [middle(map), middle(dot)];
  assert.ok(Math.abs(mx - dx) < 4 && Math.abs(my - dy) < 4, `centred: map ${[mx, my]}, dot ${[dx, dy]}`);
  // Only tile images may leave the phone, and none carries the position in its address.
  assert.ok(sent.every((u) => !u.includes("44.94") && !u.includes("-93.27")), `no position in ${sent}`);
  assert.deepEqual(errors, []);
});

test("someone who used the map keeps it offline across an app update", async (t) => {
  // A copy of the built app, so that a new version can be published into it.
  const dist = mkdtempSync(join(tmpdir(), "vecinos-dist-"));
  cpSync(process.env.VECINOS_DIST, dist, { recursive: true, preserveTimestamps: true });
  t.after(() => rmSync(dist, { recursive: true, force: true }));
  const server = await startServer({ dist });
  t.after(() => server.cleanup());
  const phone = await launchPhone();
  t.after(() => phone.close());
  const page = await phone.context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const mapCaches = () => page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith("vecinos-map-")));

  await page.goto(`${server.url}/events`);
  await page.getByText("Updated just now").waitFor();
  await controlled(page);
  await openMap(page);
  const [before] = await mapCaches();
  assert.ok(before, "the map's files are kept once it was opened");

  // A new version is published; it installs while the phone is online, and takes over on Reload.
  const sw = join(dist, "sw.js");
  const version = randomBytes(8).toString("hex");
  writeFileSync(sw, readFileSync(sw, "utf8").replace(/const VERSION = "[0-9a-f]+";/, `const VERSION = "${version}";`));
  rmSync(`${sw}.br`, { force: true });
  rmSync(`${sw}.gz`, { force: true });
  await page.goto(`${server.url}/events`);
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
  await page.locator("div.update").waitFor();
  const kept = await page.evaluate(
    async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname).sort(),
    `vecinos-map-${version}`,
  );
  assert.ok(kept.includes("/map/leaflet.js") && kept.some((p) => p.endsWith(".wasm")),
    `the new version fetched the map as it installed: ${kept}`);
  const reloaded = page.waitForEvent("load");
  await page.locator("div.update button", { hasText: "Reload" }).click();
  await reloaded;
  assert.deepEqual(await mapCaches(), [`vecinos-map-${version}`], "the old version's map files are gone");

  // Offline, with the app server gone, the map still opens.
  await server.stop();
  await phone.context.setOffline(true);
  await page.goto(`${server.url}/map`);
  await page.locator(".leaflet-marker-icon.pin").first().waitFor(FIRST_DRAW);
  assert.deepEqual(errors, []);
});
