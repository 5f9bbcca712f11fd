// The sync engine against the real server: the first visit saves the whole feed, an organiser's
// edit and deletion reach the phone at its next pull, a cursor the server does not know makes the
// phone rebuild its cache (keeping the outbox), a server that is gone leaves the saved data on
// screen, and a second tab shows what another tab's pull saved. Each test has its own server
// (with an organiser account) and its own phone.
import assert from "node:assert/strict";
import { test } from "node:test";
import { screenshotPath, setUp, signIn } from "./harness.mjs";

const DEMO_RESOURCES = 40;
const RESOURCE = "Free immigration legal clinic";
const GONE = "This is no longer saved on this phone. It may have been removed.";
/** How long a pull may take before the test calls it stuck. */
const PULL_TIMEOUT = 15_000;

// --- The server, seen from node -----------------------------------------------------------------

/**
 * Pages through the whole change feed (small pages, so paging is exercised) and returns the
 * records it holds now, by kind and id, and the cursor of its last change.
 */
async function serverFeed(url) {
  const records = { event: new Map(), resource: new Map(), card: new Map(), alert: new Map() };
  let since = 0;
  for (let pages = 0; ; pages++) {
    assert.ok(pages < 100, "the feed ends");
    const res = await fetch(`${url}/api/v1/changes?since=${since}&limit=20`);
    assert.equal(res.status, 200, `GET /changes?since=${since}`);
    const page = await res.json();
    for (const change of page.changes) {
      if (change.op === "upsert") records[change.record.kind].set(change.record.data.id, change.record.data);
      else if (change.op === "delete") records[change.kind].delete(change.id);
      else assert.fail(`unknown change ${JSON.stringify(change)}`);
    }
    assert.ok(page.cursor >= since, "the cursor never goes back");
    since = page.cursor;
    if (!page.more) break;
  }
  // The cursor reached is the head: nothing after it, and one past it is from the future.
  const caughtUp = await (await fetch(`${url}/api/v1/changes?since=${since}`)).json();
  assert.deepEqual(caughtUp, { changes: [], cursor: since, more: false }, "the feed ends at its head");
  return { ...records, head: since };
}

function findByName(records, name) {
  const found = [...records.values()].filter((r) => r.name === name);
  assert.equal(found.length, 1, `one record named ${name}`);
  return found[0];
}

/** An organiser's API call, with the session and the version the change is based on. */
function organiser(url, cookie, method, path, { version, body } = {}) {
  const headers = { cookie };
  if (version !== undefined) headers["if-match"] = `"${version}"`;
  if (body !== undefined) headers["content-type"] = "application/json";
  return fetch(`${url}/api/v1${path}`, { method, headers, body: body && JSON.stringify(body) });
}

// --- The phone ----------------------------------------------------------------------------------

/**
 * Runs operations on the app's IndexedDB database in one transaction and returns their results:
 * ["records", store], ["keys", store], ["get", store, key], ["put", store, key, value]. Only for
 * after the app has created the database.
 *
 * "records" reads a kind's log (`<kind>.log`, see src/cache.rs): each value is one applied page,
 * `[["<id>", record or null], ...]` under the page's cursor; the latest change of an id wins and
 * null deletes it. It returns the records by id.
 */
function cache(page, ops) {
  return page.evaluate(async (ops) => {
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open("vecinos");
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    try {
      const writes = ops.some(([verb]) => verb === "put");
      const tx = db.transaction([...new Set(ops.map((op) => op[1]))], writes ? "readwrite" : "readonly");
      const done = new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onabort = () => reject(tx.error ?? new Error("transaction aborted"));
      });
      const result = (request) =>
        new Promise((resolve, reject) => {
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
      const results = await Promise.all(
        ops.map(([verb, name, key, value]) => {
          const store = tx.objectStore(name);
          if (verb === "records")
            return result(store.getAll()).then((pages) => {
              const records = new Map();
              for (const page of pages) {
                for (const [id, record] of JSON.parse(page)) {
                  if (record === null) records.delete(id);
                  else records.set(id, record);
                }
              }
              return Object.fromEntries(records);
            });
          if (verb === "keys") return result(store.getAllKeys());
          if (verb === "get") return result(store.get(key));
          if (verb === "put") return result(store.put(value, key));
          throw new Error(`unknown operation ${verb}`);
        }),
      );
      await done;
      return results;
    } finally {
      db.close();
    }
  }, ops);
}

/** What the phone has saved: resource ids, record counts, the cursor and the outbox. */
async function saved(page) {
  const [resources, events, cards, cursor, syncedAt, outboxKeys] = await cache(page, [
    ["records", "resource.log"],
    ["records", "event.log"],
    ["records", "card.log"],
    ["get", "meta", "cursor"],
    ["get", "meta", "synced_at"],
    ["keys", "outbox"],
  ]);
  const count = (records) => Object.keys(records).length;
  return {
    resourceIds: Object.keys(resources).sort(),
    events: count(events),
    cards: count(cards),
    cursor,
    syncedAt,
    outboxKeys,
  };
}

async function savedRecord(page, kind, id) {
  const [records] = await cache(page, [["records", `${kind}.log`]]);
  assert.ok(records[id], `${kind} ${id} is saved`);
  return records[id];
}

const marks = (page, name) => page.evaluate((name) => performance.getEntriesByName(name).length, name);

/** Waits until the page has finished at least one pull and none is running. */
async function settled(page) {
  await page.waitForFunction(
    () => {
      const ends = performance.getEntriesByName("vecinos:sync-end").length;
      return ends > 0 && ends === performance.getEntriesByName("vecinos:sync-start").length;
    },
    null,
    { timeout: PULL_TIMEOUT },
  );
}

/** Runs `trigger` on a settled page and waits for the pull it must start to end. */
async function pullAfter(page, trigger) {
  await settled(page);
  const [starts, ends] = [await marks(page, "vecinos:sync-start"), await marks(page, "vecinos:sync-end")];
  await trigger();
  await page
    .waitForFunction(
      ([starts, ends]) =>
        performance.getEntriesByName("vecinos:sync-start").length > starts &&
        performance.getEntriesByName("vecinos:sync-end").length > ends,
      [starts, ends],
      { timeout: PULL_TIMEOUT },
    )
    .catch((e) => {
      throw new Error(`the trigger did not lead to a finished pull: ${e.message}`);
    });
}

/** The network goes and comes back: the browser fires offline, then online. */
const networkBlip = (phone) => async () => {
  await phone.context.setOffline(true);
  await phone.context.setOffline(false);
};

/** An `online` event on the window, with the network up all along. */
const onlineEvent = (page) => () => page.evaluate(() => window.dispatchEvent(new Event("online")));

const status = (page) => page.locator("p.status");
const text = async (locator) => (await locator.textContent()).trim();

async function waitForStatus(page, expected) {
  await status(page).filter({ hasText: expected }).waitFor({ timeout: PULL_TIMEOUT });
  assert.equal(await text(status(page)), expected);
}

/** Lets the app render what it has: its reactive updates run before the next frames. */
const rendered = (page) =>
  page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done)))));

/** Types a query into the resources search and returns the names listed. */
async function search(page, query) {
  await page.locator(".search input").fill(query);
  await rendered(page);
  return page.locator("li.resource h2").allTextContents();
}

async function countShown(page) {
  await rendered(page);
  return text(page.locator("p.count"));
}

// --- The scenarios ------------------------------------------------------------------------------

test("a first visit saves everything the server's feed holds", async (t) => {
  const { server, page, errors } = await setUp(t);
  const feed = await serverFeed(server.url);
  assert.equal(feed.resource.size, DEMO_RESOURCES, "the demo data as the server has it");
  const opened = Date.now();

  await page.goto(`${server.url}/resources`);
  await waitForStatus(page, "Updated just now");
  await settled(page);

  const phone = await saved(page);
  assert.deepEqual(phone.resourceIds, [...feed.resource.keys()].sort(), "every resource, once");
  assert.equal(phone.events, feed.event.size, "every event");
  assert.equal(phone.cards, feed.card.size, "every card");
  assert.equal(phone.cursor, feed.head, "the cursor is the server's last change");
  assert.ok(
    typeof phone.syncedAt === "number" && phone.syncedAt >= opened - 1000 && phone.syncedAt <= Date.now(),
    `synced_at is the time of this pull: ${phone.syncedAt}`,
  );
  // Saved as sent: the record's JSON text, under its id.
  const clinic = findByName(feed.resource, RESOURCE);
  assert.deepEqual(await savedRecord(page, "resource", clinic.id), clinic);

  await page.locator("p.count", { hasText: `${DEMO_RESOURCES} found` }).waitFor();
  await page.screenshot({ path: screenshotPath("sync-first-visit") });
  assert.deepEqual(errors, []);
});

test("an organiser's edit reaches the phone at its next pull, and a replay changes nothing", async (t) => {
  // Without live updates, so that the test's triggers alone start pulls.
  const { server, phone, page, errors } = await setUp(t, { VECINOS_LIVE_STREAMS: "0" });
  await page.goto(`${server.url}/resources`);
  await waitForStatus(page, "Updated just now");
  await settled(page);
  const before = await saved(page);
  const feed = await serverFeed(server.url);
  assert.equal(before.cursor, feed.head);
  const clinic = findByName(feed.resource, RESOURCE);
  assert.equal((await savedRecord(page, "resource", clinic.id)).version, clinic.version);

  const renamed = "Zephyr Street legal clinic";
  const cookie = await signIn(server.url);
  const res = await organiser(server.url, cookie, "PUT", `/resources/${clinic.id}`, {
    version: clinic.version,
    body: { ...clinic, name: renamed },
  });
  assert.equal(res.status, 200, `PUT answered ${res.status}: ${await res.clone().text()}`);
  const stored = await res.json();
  assert.equal(stored.data.name, renamed);
  assert.equal(stored.data.version, clinic.version + 1, "the server counts the edit");

  await pullAfter(page, networkBlip(phone));
  await waitForStatus(page, "Updated just now");

  // The list and the page show the new name; the old one is gone from the phone.
  await rendered(page);
  assert.deepEqual(await search(page, "Zephyr"), [renamed]);
  assert.equal(await countShown(page), "1 found");
  assert.ok(!(await search(page, RESOURCE)).includes(RESOURCE), "the old name is not listed");
  await search(page, "");
  assert.equal(await countShown(page), `${DEMO_RESOURCES} found`);
  await search(page, "Zephyr");
  await page.locator("li.resource a", { hasText: renamed }).first().click();
  await page.waitForURL((url) => url.pathname === `/resources/${clinic.id}`);
  assert.equal(await text(page.locator("article.detail h1")), renamed);
  await page.screenshot({ path: screenshotPath("sync-edited") });

  const after = await saved(page);
  const record = await savedRecord(page, "resource", clinic.id);
  assert.equal(record.name, renamed);
  assert.equal(record.version, clinic.version + 1, "the saved record is the new version");
  assert.equal(after.cursor, (await serverFeed(server.url)).head, "caught up with the edit");
  assert.ok(after.cursor > before.cursor);
  assert.deepEqual(after.resourceIds, before.resourceIds, "the edit replaced the record, added none");

  // Replay: back to the cursor from before the edit, so the next pull brings the edit again.
  await cache(page, [["put", "meta", "cursor", before.cursor]]);
  await pullAfter(page, onlineEvent(page));
  const replayed = await saved(page);
  assert.equal(replayed.cursor, after.cursor, "the replay brought the cursor back to the head");
  assert.deepEqual(replayed.resourceIds, before.resourceIds, "no record twice, none lost");
  assert.deepEqual(await savedRecord(page, "resource", clinic.id), record);
  await waitForStatus(page, "Updated just now");
  await rendered(page);
  assert.equal(await text(page.locator("article.detail h1")), renamed);
  await page.locator("article.detail a.back").click();
  await page.waitForURL((url) => url.pathname === "/resources");
  await search(page, "");
  assert.equal(await countShown(page), `${DEMO_RESOURCES} found`);
  assert.deepEqual(errors, []);
});

test("a deletion reaches the phone: gone from the list, and its open page says so", async (t) => {
  const { server, page, errors } = await setUp(t);
  await page.goto(`${server.url}/resources`);
  await waitForStatus(page, "Updated just now");
  await page.locator("p.count", { hasText: `${DEMO_RESOURCES} found` }).waitFor();
  const feed = await serverFeed(server.url);
  const clinic = findByName(feed.resource, RESOURCE);

  // The person has the resource's page open when the organiser removes it.
  assert.deepEqual(await search(page, RESOURCE), [RESOURCE]);
  await page.locator("li.resource a", { hasText: RESOURCE }).first().click();
  await page.waitForURL((url) => url.pathname === `/resources/${clinic.id}`);
  await page.locator("article.detail h1", { hasText: RESOURCE }).waitFor();

  const cookie = await signIn(server.url);
  const res = await organiser(server.url, cookie, "DELETE", `/resources/${clinic.id}`, { version: clinic.version });
  assert.equal(res.status, 204, `DELETE answered ${res.status}: ${await res.text()}`);
  const afterDelete = await serverFeed(server.url);
  assert.equal(afterDelete.resource.size, DEMO_RESOURCES - 1, "the server no longer has it");

  // Nothing on the phone is touched: the server's live stream says the feed moved.
  await page.locator("main p.empty", { hasText: GONE }).waitFor({ timeout: PULL_TIMEOUT });
  assert.equal(await page.locator("article.detail").count(), 0, "the record's details are gone too");
  await waitForStatus(page, "Updated just now");
  await page.screenshot({ path: screenshotPath("sync-deleted-detail") });

  const phone = await saved(page);
  assert.equal(phone.cursor, afterDelete.head);
  assert.deepEqual(phone.resourceIds, [...afterDelete.resource.keys()].sort());
  assert.ok(!phone.resourceIds.includes(clinic.id));

  await page.locator("main a.back").click();
  await page.waitForURL((url) => url.pathname === "/resources");
  assert.deepEqual(await search(page, RESOURCE), [], "not found by name");
  await search(page, "");
  assert.equal(await countShown(page), `${DEMO_RESOURCES - 1} found`);
  assert.deepEqual(errors, []);
});

test("a cursor the server does not know makes the phone rebuild its cache, keeping the outbox", async (t) => {
  const { server, page, errors } = await setUp(t);
  await page.goto(`${server.url}/resources`);
  await waitForStatus(page, "Updated just now");
  await settled(page);
  const feed = await serverFeed(server.url);
  const ids = [...feed.resource.keys()].sort();
  assert.deepEqual((await saved(page)).resourceIds, ids);

  // Another database's state: a cursor far ahead, a resource the server never had, one of its
  // resources missing; and a report waiting in the outbox.
  const future = feed.head + 1_000_000;
  const [missing] = ids;
  const phantom = { ...findByName(feed.resource, RESOURCE), id: "0badc0de-0000-4000-8000-000000000001", name: "Phantom clinic" };
  const outboxItem = JSON.stringify({ id: "5e9d0000-0000-4000-8000-00000000000a", kind: "sighting", note: "waiting" });
  await cache(page, [
    ["put", "meta", "cursor", future],
    ["put", "resource.log", future, JSON.stringify([[phantom.id, phantom], [missing, null]])],
    ["put", "outbox", "report-1", outboxItem],
  ]);
  const res = await fetch(`${server.url}/api/v1/changes?since=${future}`);
  assert.equal(res.status, 410, "the server refuses a cursor from the future");
  assert.equal((await res.json()).code, "resync");

  // The app starts again with that cache: its pull gets 410 and starts over from the beginning.
  const pulls = [];
  page.on("response", (r) => {
    const url = new URL(r.url());
    if (url.pathname === "/api/v1/changes") pulls.push({ since: Number(url.searchParams.get("since")), status: r.status() });
  });
  await page.reload();
  await settled(page);
  await waitForStatus(page, "Updated just now");
  assert.deepEqual(pulls.slice(0, 2), [
    { since: future, status: 410 },
    { since: 0, status: 200 },
  ]);

  const phone = await saved(page);
  assert.equal(phone.cursor, feed.head, "the cursor is the server's head again");
  assert.deepEqual(phone.resourceIds, ids, "every resource the server has, and only those");
  assert.equal(phone.events, feed.event.size);
  assert.equal(phone.cards, feed.card.size);
  assert.deepEqual(phone.outboxKeys, ["report-1"], "the outbox is untouched");
  assert.equal((await cache(page, [["get", "outbox", "report-1"]]))[0], outboxItem);

  assert.equal(await countShown(page), `${DEMO_RESOURCES} found`);
  assert.deepEqual(await search(page, "Phantom"), [], "the phantom record is not shown");
  assert.deepEqual(errors, []);
});

test("with the server gone, a pull says it could not update and the list stays", async (t) => {
  const { server, page, errors } = await setUp(t);
  await page.goto(`${server.url}/resources`);
  await waitForStatus(page, "Updated just now");
  await settled(page);
  await page.locator("p.count", { hasText: `${DEMO_RESOURCES} found` }).waitFor();
  const names = await page.locator("li.resource h2").allTextContents();
  assert.ok(names.length > 0);
  const before = await saved(page);

  // Count the listed resources on every change of the page from now on.
  await page.evaluate(() => {
    const count = () => document.querySelectorAll("li.resource").length;
    window.fewestListed = count();
    new MutationObserver(() => {
      window.fewestListed = Math.min(window.fewestListed, count());
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });

  await server.stop();
  assert.equal(await page.evaluate(() => navigator.onLine), true, "the phone itself is online");
  await pullAfter(page, onlineEvent(page));
  await waitForStatus(page, "Could not update: no connection to the server. Showing what is saved.");
  assert.ok(await status(page).evaluate((p) => p.classList.contains("failed")), "shown as a failure");
  await page.screenshot({ path: screenshotPath("sync-server-down") });

  assert.equal(await countShown(page), `${DEMO_RESOURCES} found`);
  assert.deepEqual(await page.locator("li.resource h2").allTextContents(), names, "the same list");
  assert.ok((await page.evaluate(() => window.fewestListed)) > 0, "the list was never blank");
  const after = await saved(page);
  assert.deepEqual(after, before, "a failed pull changes nothing saved");
  assert.deepEqual(errors, []);
});

test("a second tab shows a deletion another tab's pull already saved", async (t) => {
  // Without live updates, so that only the test decides when each tab pulls.
  const { server, phone, page: tabA, errors } = await setUp(t, { VECINOS_LIVE_STREAMS: "0" });
  await tabA.goto(`${server.url}/resources`);
  await waitForStatus(tabA, "Updated just now");
  await settled(tabA);
  // The second tab opens once the first has saved the feed, so it only reads the cache.
  const tabB = await phone.context.newPage();
  tabB.on("pageerror", (e) => errors.push(`tab B: ${e.message}`));
  await tabB.goto(`${server.url}/resources`);
  await waitForStatus(tabB, "Updated just now");
  await settled(tabB);
  for (const tab of [tabA, tabB]) assert.equal(await countShown(tab), `${DEMO_RESOURCES} found`);
  assert.deepEqual(await search(tabB, RESOURCE), [RESOURCE]);
  await search(tabB, "");

  const feed = await serverFeed(server.url);
  const clinic = findByName(feed.resource, RESOURCE);
  const cookie = await signIn(server.url);
  const res = await organiser(server.url, cookie, "DELETE", `/resources/${clinic.id}`, { version: clinic.version });
  assert.equal(res.status, 204, `DELETE answered ${res.status}: ${await res.text()}`);
  const afterDelete = await serverFeed(server.url);
  assert.equal(afterDelete.resource.size, DEMO_RESOURCES - 1);

  // Tab A pulls the deletion and saves it: the shared cache's cursor moves to the head.
  await pullAfter(tabA, onlineEvent(tabA));
  await waitForStatus(tabA, "Updated just now");
  await tabA.locator("p.count", { hasText: `${DEMO_RESOURCES - 1} found` }).waitFor({ timeout: PULL_TIMEOUT });
  assert.equal((await saved(tabA)).cursor, afterDelete.head, "tab A saved the deletion");
  // Tab B has not pulled since: it still shows what it read before.
  assert.equal(await countShown(tabB), `${DEMO_RESOURCES} found`);

  // Tab B's own pull starts from the cursor A saved, so it brings and applies nothing; the page
  // must still be re-read, because the cache moved on since B last read it.
  const pulls = [];
  tabB.on("response", (r) => {
    const url = new URL(r.url());
    if (url.pathname !== "/api/v1/changes") return;
    const since = Number(url.searchParams.get("since"));
    pulls.push(r.json().then((body) => ({ since, status: r.status(), changes: body.changes.length })));
  });
  await pullAfter(tabB, onlineEvent(tabB));
  assert.deepEqual(
    await Promise.all(pulls),
    [{ since: afterDelete.head, status: 200, changes: 0 }],
    "tab B's pull found the cache already at the head",
  );
  await waitForStatus(tabB, "Updated just now");
  assert.equal(await countShown(tabB), `${DEMO_RESOURCES - 1} found`, "tab B re-read the cache");
  assert.deepEqual(await search(tabB, RESOURCE), [], "tab B no longer lists the deleted resource");
  assert.deepEqual(errors, []);
});
