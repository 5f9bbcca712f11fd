// Reports, written on the phone: saved in the outbox before anything is sent, delivered once the
// connection returns, received by the server exactly once, and never carrying a precise position.
import assert from "node:assert/strict";
import { test } from "node:test";
import { putInOutbox, receivedReports as received, screenshotPath, setUp, signIn } from "./harness.mjs";

const GEOHASH_7 = /^[0-9b-hjkmnp-z]{7}$/;

/** A fresh server and phone, on the report screen once the first pull is done. */
async function onReportScreen(t, env = {}) {
  const story = await setUp(t, env);
  await story.page.goto(`${story.server.url}/report`);
  await story.page.getByText("Updated just now").waitFor();
  return story;
}

/** The outbox's items (JSON text, by key) and the count of sent reports, read from IndexedDB. */
function outbox(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("vecinos");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(["outbox", "meta"]);
          const keys = tx.objectStore("outbox").getAllKeys();
          const values = tx.objectStore("outbox").getAll();
          const sent = tx.objectStore("meta").get("sent_reports");
          tx.oncomplete = () => {
            open.result.close();
            resolve({
              items: Object.fromEntries(keys.result.map((k, i) => [k, values.result[i]])),
              sent: sent.result ?? 0,
            });
          };
        };
      }),
  );
}

test("a report written offline is saved on the phone and reaches the server once when the connection returns", async (t) => {
  const { server, phone, page, errors } = await onReportScreen(t);
  await phone.context.setOffline(true);
  await page.getByText("Offline: showing what is saved on this phone").waitFor();

  // Nothing chosen yet: the form says what is missing and saves nothing.
  await page.getByRole("button", { name: "Save and send" }).click();
  await page.getByText("Choose what is happening, and say where").waitFor();
  assert.deepEqual((await outbox(page)).items, {});

  await page.getByRole("button", { name: "Someone detained" }).click();
  await page.getByLabel("Describe it briefly").fill("Two agents took a man from the bus stop");
  await page.getByRole("button", { name: "15 min ago" }).click();
  await page.getByLabel("Or cross streets").fill("Lake St & 14th Ave");
  // A double tap, as on a slow phone: one report.
  await page.getByRole("button", { name: "Save and send" }).dblclick();
  await page.getByText("Saved on this phone: it will be sent when you are online.").waitFor();
  await page.getByText("Waiting to be sent: 1").waitFor();
  await page.screenshot({ path: screenshotPath("report-saved-offline"), fullPage: true });

  const saved = await outbox(page);
  assert.equal(Object.keys(saved.items).length, 1, "a double tap saves once");
  const [id] = Object.keys(saved.items);
  const item = JSON.parse(saved.items[id]);
  assert.equal(item.kind, "detained");
  assert.equal(item.cross_streets, "Lake St & 14th Ave");
  assert.equal(item.area, null);
  const minutesAgo = (Date.now() - Date.parse(item.observed_at)) / 60_000;
  assert.ok(minutesAgo > 14 && minutesAgo < 17, `observed about 15 minutes ago (${minutesAgo})`);
  assert.deepEqual(await received(server.url), [], "nothing reached the server while offline");

  // The connection returns: the engine delivers the report.
  await phone.context.setOffline(false);
  await page.getByText("Sent", { exact: true }).waitFor();
  await page.getByText("Reports sent from this phone: 1").waitFor();
  await page.screenshot({ path: screenshotPath("report-sent"), fullPage: true });

  const reports = await received(server.url);
  assert.equal(reports.length, 1);
  assert.equal(reports[0].id, id, "the phone's id is the report's id");
  assert.equal(reports[0].kind, "detained");
  assert.equal(reports[0].description, "Two agents took a man from the bus stop");
  assert.equal(reports[0].cross_streets, "Lake St & 14th Ave");
  assert.deepEqual(await outbox(page), { items: {}, sent: 1 }, "after the receipt only a count remains");

  // More runs of the engine (coming online again, returning to the app) send nothing twice.
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange", { bubbles: true })));
  await page.getByText("Updated just now").waitFor();
  assert.equal((await received(server.url)).length, 1, "the server holds the report once");
  assert.deepEqual(errors, []);
});

test("a shared position becomes a 7-character area before it is saved or sent", async (t) => {
  const { server, phone, page, errors } = await onReportScreen(t);
  await phone.context.grantPermissions(["geolocation"], { origin: server.url });
  await phone.context.setGeolocation({ latitude: 44.948312, longitude: -93.236211 });

  await page.getByRole("button", { name: "Checkpoint" }).click();
  await page.getByRole("button", { name: "Use my location" }).click();
  const note = page.getByText("Your position became an area about 150 m across");
  await note.waitFor();
  const area = (await note.textContent()).match(/\(([0-9a-z]+)\)/)[1];
  assert.match(area, GEOHASH_7);
  await page.screenshot({ path: screenshotPath("report-area"), fullPage: true });

  await page.getByRole("button", { name: "Save and send" }).click();
  await page.getByText("Reports sent from this phone: 1").waitFor();
  const [report] = await received(server.url);
  assert.equal(report.area, area, "the area is what was sent");
  assert.equal(report.cross_streets, null);
  const stored = JSON.stringify(report);
  assert.ok(!/44\.94|93\.23/.test(stored), `no coordinates reached the server: ${stored}`);
  assert.deepEqual(errors, []);
});

test("a report the server refuses is kept with its reason and not sent again", async (t) => {
  const { server, page, errors } = await onReportScreen(t);
  // An item an older version could have saved: a language the server does not accept.
  const bad = {
    id: "3f1c2b7a-1111-4aaa-8bbb-000000000001",
    kind: "help_needed",
    description: "Need a ride to court",
    observed_at: new Date().toISOString(),
    area: null,
    cross_streets: "Main St & 2nd Ave",
    language: "not a language",
  };
  await putInOutbox(page, [bad]);
  const posts = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && new URL(r.url()).pathname === "/api/v1/reports") posts.push(r.url());
  });
  await page.reload();
  await page.getByText("The server did not accept a report:").waitFor();
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await page.getByText("Updated just now").waitFor();
  assert.equal(posts.length, 1, "a refused report is not retried");
  const kept = await outbox(page);
  assert.equal(JSON.parse(kept.items[bad.id]).description, "Need a ride to court", "kept for the person");
  assert.ok(JSON.parse(kept.items[bad.id]).refused, "with the server's reason");
  assert.equal(kept.sent, 0);
  assert.deepEqual(await received(server.url), []);
  assert.deepEqual(errors, []);
});

test("a report saved offline is sent by the service worker's Background Sync with the app closed, once", async (t) => {
  const { server, phone, page, errors } = await onReportScreen(t);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await phone.context.setOffline(true);
  await page.getByRole("button", { name: "Help needed" }).click();
  await page.getByLabel("Describe it briefly").fill("A family needs a ride to the court hearing");
  await page.getByLabel("Or cross streets").fill("Main St & 2nd Ave");
  await page.getByRole("button", { name: "Save and send" }).click();
  await page.getByText("Saved on this phone: it will be sent when you are online.").waitFor();
  // Stamped at saving, with the parameters the last pull kept: the worker needs no WASM. Polled
  // from here: `waitForFunction` does not wait for an async predicate's answer (a promise is
  // truthy), which closed the app mid-stamping now and then.
  for (let tries = 0; ; tries++) {
    const items = Object.values((await outbox(page)).items).map((json) => JSON.parse(json));
    if (items.length === 1 && items[0].stamp) break;
    assert.ok(tries < 300, `the report is stamped within 30 s: ${JSON.stringify(items)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const [id] = Object.keys((await outbox(page)).items);

  // The app is closed. Another tab, on no page of the app, drives the browser's DevTools side.
  const other = await phone.context.newPage();
  const cdp = await phone.context.newCDPSession(other);
  const registrations = [];
  cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations: r }) => registrations.push(...r));
  await cdp.send("ServiceWorker.enable");
  await page.close();
  await phone.context.setOffline(false);
  const registration = registrations.find((r) => r.scopeURL.startsWith(server.url) && !r.isDeleted);
  assert.ok(registration, "the app's service worker is registered");
  const sync = () =>
    cdp.send("ServiceWorker.dispatchSyncEvent", {
      origin: server.url,
      registrationId: registration.registrationId,
      tag: "vecinos-outbox",
      lastChance: false,
    });
  await sync();
  const cookie = await signIn(server.url);
  let reports = [];
  for (let i = 0; i < 40 && reports.length === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    reports = await received(server.url, cookie);
  }
  assert.equal(reports.length, 1, "delivered with the app closed");
  assert.equal(reports[0].id, id);
  assert.equal(reports[0].description, "A family needs a ride to the court hearing");

  // A second sync finds nothing to send; the app, opened again, shows the count only.
  await sync();
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal((await received(server.url)).length, 1, "the server holds it once");
  await other.goto(`${server.url}/report`);
  await other.getByText("Reports sent from this phone: 1").waitFor();
  assert.deepEqual(await outbox(other), { items: {}, sent: 1 });
  assert.deepEqual(errors, []);
});


test("a report stamped with a salt the server no longer accepts is stamped again and delivered", async (t) => {
  const { server, page, errors } = await onReportScreen(t);
  // Saved days ago, offline, with the salt of that day, by an app from before proof of work v2
  // (one `nonce`): the app still reads it, the server refuses its salt and the app stamps again.
  const old = {
    id: "3f1c2b7a-2222-4aaa-8bbb-000000000002",
    kind: "checkpoint",
    description: "Checkpoint seen on the way to work",
    observed_at: new Date(Date.now() - 3 * 24 * 3600 * 1000).toISOString(),
    area: null,
    cross_streets: "Lake St & 14th Ave",
    language: "en",
    stamp: { salt: "a-salt-from-three-days-ago", difficulty: 16, nonce: 1 },
    refused: null,
  };
  await putInOutbox(page, [old]);
  await page.reload();
  await page.getByText("Reports sent from this phone: 1").waitFor();
  const [report] = await received(server.url);
  assert.equal(report.id, old.id);
  assert.deepEqual(await outbox(page), { items: {}, sent: 1 });
  assert.deepEqual(errors, []);
});

test("a stamping that takes over half a second shows a growing progress bar, and the screen says saved, not sent", async (t) => {
  // A harder proof of work and a CPU slowed 4x, so most stamps take seconds.
  const { server, page, errors } = await onReportScreen(t, { VECINOS_POW_DIFFICULTY: "20" });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  await page.evaluate(() => {
    window.progressSeen = [];
    new MutationObserver(() => {
      const bar = document.querySelector("label.stamping progress");
      if (bar) window.progressSeen.push(bar.value);
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  let slow = 0;
  for (let i = 0; i < 5 && slow === 0; i++) {
    await page.getByRole("button", { name: "Help offered" }).click();
    await page.getByLabel("Or cross streets").fill("Example St & 1st Ave");
    const before = await page.evaluate(() => {
      window.progressSeen = [];
      return performance.getEntriesByName("vecinos:delivered").length;
    });
    // While the bar shows, the screen says the report is saved, not yet sent.
    const shot = page.locator("label.stamping").waitFor({ timeout: 60_000 }).then(async () => {
      const message = await page.locator(".outbox .message").textContent();
      await page.screenshot({ path: screenshotPath("report-stamping"), fullPage: true });
      return message;
    }, () => null);
    await page.getByRole("button", { name: "Save and send" }).click();
    await page.waitForFunction((before) => performance.getEntriesByName("vecinos:delivered").length > before, before,
      { timeout: 60_000 });
    const { took, seen } = await page.evaluate(() => ({
      took: performance.getEntriesByName("vecinos:stamp-end").at(-1).startTime -
        performance.getEntriesByName("vecinos:stamp-start").at(-1).startTime,
      seen: window.progressSeen,
    }));
    // Rare at this difficulty, but a quick stamp must show no bar.
    if (took < 450) assert.deepEqual(seen, [], `no progress for a ${took} ms stamp`);
    if (took > 700) {
      slow += 1;
      assert.ok(seen.length > 0, `progress shown for a ${took} ms stamp`);
      assert.ok(seen.every((v, j) => v > 0 && v < 1 && (j === 0 || v >= seen[j - 1])), `it only grows: ${seen}`);
      assert.equal(await shot, "Saved on this phone: it will be sent when you are online.");
    }
    assert.equal(await page.locator("label.stamping").count(), 0, "the bar leaves once stamped");
  }
  assert.equal(slow, 1, "one stamp took over 0.7 s (at difficulty 20, with the CPU slowed 4x)");
  assert.ok((await received(server.url)).length >= 1);
  assert.deepEqual(errors, []);
});
