// Safari and Firefox have no Background Sync: reports written offline must still leave when the
// app is opened again, and when the person returns to it, with nothing else to send them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { receivedReports as received, setUp } from "./harness.mjs";

/** A browser without Background Sync, whose `online` events never reach the app. */
function withoutBackgroundSync() {
  delete window.SyncManager;
  Object.defineProperty(ServiceWorkerRegistration.prototype, "sync", { get: () => undefined });
  // Registered before the app's own listener: only opening and returning are left as triggers.
  window.addEventListener("online", (event) => event.stopImmediatePropagation());
}

/** Whether every report waiting in the outbox is stamped (saving ends with stamping). */
const allStamped = (page) =>
  page.evaluate(
    () =>
      new Promise((resolve) => {
        const open = indexedDB.open("vecinos");
        open.onsuccess = () => {
          const all = open.result.transaction("outbox").objectStore("outbox").getAll();
          all.onsuccess = () => {
            open.result.close();
            resolve(all.result.length > 0 && all.result.every((text) => JSON.parse(text).stamp));
          };
        };
      }),
  );

async function saveOffline(page, words) {
  await page.getByRole("button", { name: "Help needed" }).click();
  await page.getByLabel("Describe it briefly").fill(words);
  await page.getByLabel("Or cross streets").fill("Main St & 2nd Ave");
  await page.getByRole("button", { name: "Save and send" }).click();
  await page.getByText("Saved on this phone: it will be sent when you are online.").waitFor();
  // The app runs once more when stamping ends (still offline here, so it sends nothing).
  for (let tries = 0; !(await allStamped(page)); tries++) {
    if (tries > 200) throw new Error("the report was never stamped");
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 300));
}

test("without Background Sync, reports written offline leave on opening and on returning to the app", async (t) => {
  // Without live updates too: their reconnection after an outage is a trigger of its own.
  const { server, phone, page, errors } = await setUp(t, { VECINOS_LIVE_STREAMS: "0" });
  await phone.context.addInitScript(withoutBackgroundSync);
  await page.goto(`${server.url}/report`);
  await page.getByText("Updated just now").waitFor();
  assert.equal(await page.evaluate(() => "SyncManager" in window), false);

  // Written offline, then the app is closed before the connection returns.
  await phone.context.setOffline(true);
  await saveOffline(page, "Words written offline, sent on opening");
  await page.close();
  await phone.context.setOffline(false);
  assert.deepEqual(await received(server.url), [], "nothing sent it while the app was closed");

  // Opening the app sends it.
  const again = await phone.context.newPage();
  again.on("pageerror", (e) => errors.push(e.message));
  await again.goto(`${server.url}/report`);
  await again.getByText("Reports sent from this phone: 1").waitFor();
  assert.equal((await received(server.url)).length, 1);

  // Written offline with the app open; the connection returns while the person is elsewhere.
  await phone.context.setOffline(true);
  await saveOffline(again, "Words written offline, sent on returning");
  await phone.context.setOffline(false);
  await new Promise((r) => setTimeout(r, 1_500));
  assert.equal((await received(server.url)).length, 1, "no online event reached the app");
  // The person comes back to the app.
  // As the browser fires it: at the document, bubbling.
  await again.evaluate(() => document.dispatchEvent(new Event("visibilitychange", { bubbles: true })));
  await again.getByText("Reports sent from this phone: 2").waitFor();
  const reports = await received(server.url);
  assert.deepEqual(
    reports.map((r) => r.description).sort(),
    ["Words written offline, sent on opening", "Words written offline, sent on returning"],
  );
  assert.deepEqual(errors, []);
});
