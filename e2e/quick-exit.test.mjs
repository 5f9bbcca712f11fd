// Quick exit: one tap leaves for a blank page and takes everything the app saved on the phone with
// it, and "back" does not bring the app or its data back.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchPhone, startServer } from "./harness.mjs";

let server;
let phone;

before(async () => {
  server = await startServer();
  phone = await launchPhone();
});

after(async () => {
  await phone?.close();
  await server?.cleanup();
});

/** What the origin holds, read from a page of that origin. */
function storage(page) {
  return page.evaluate(async () => ({
    databases: (await indexedDB.databases()).map((db) => db.name),
    caches: await caches.keys(),
    localStorage: Object.fromEntries(Object.entries(localStorage)),
    registrations: (await navigator.serviceWorker.getRegistrations()).map((r) => r.scope),
  }));
}

const EMPTY = { databases: [], caches: [], localStorage: {}, registrations: [] };

/** Opens a file of the app's origin that does not start the app, and reads the storage there. */
async function storageSeenFromAnotherTab(url) {
  const probe = await phone.context.newPage();
  try {
    const response = await probe.goto(`${url}/manifest.webmanifest`);
    assert.equal(response.status(), 200);
    assert.equal(await probe.locator("header.top").count(), 0, "the probe page is not the app");
    return await storage(probe);
  } finally {
    await probe.close();
  }
}

test("quick exit deletes everything the app saved, and back does not bring it back", async () => {
  const page = await phone.context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));

  await page.goto(server.url);
  await page.locator("li.card.event").first().waitFor();
  await page.locator("p.status", { hasText: "Updated just now" }).waitFor();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.locator("header.top select.lang").selectOption("es");
  await page.locator("main h1", { hasText: "Próximos eventos" }).waitFor();
  // Two more screens, so the tab's history has app pages to go back to.
  await page.locator('nav.tabs a[href="/resources"]').click();
  await page.locator("li.resource").first().waitFor();
  await page.locator('nav.tabs a[href="/rights"]').click();
  await page.locator("main ul.cards li").first().waitFor();

  const before = await storage(page);
  assert.ok(before.databases.includes("vecinos"), `the IndexedDB database exists: ${before.databases}`);
  assert.ok(before.caches.some((c) => c.startsWith("vecinos-shell-")), `the shell is cached: ${before.caches}`);
  assert.equal(before.localStorage["vecinos-lang"], "es");
  assert.equal(before.registrations.length, 1);

  // The page must empty itself in the same task as the tap, before any of the slow deletions.
  await page.evaluate(() => {
    new MutationObserver((_, observer) => {
      if (document.body.childElementCount === 0) {
        observer.disconnect();
        console.log(
          `vecinos-test cleared ${JSON.stringify({
            text: document.body.textContent,
            title: document.title,
            flag: sessionStorage.getItem("vecinos-exited"),
            localStorage: localStorage.length,
          })}`,
        );
      }
    }).observe(document.body, { childList: true });
  });
  const cleared = page.waitForEvent("console", {
    predicate: (m) => m.text().startsWith("vecinos-test cleared "),
    timeout: 5_000,
  });
  const appRequests = [];
  phone.context.on("request", (request) => {
    const { origin, pathname } = new URL(request.url());
    if (origin === server.url) appRequests.push(pathname);
  });

  const tapped = Date.now();
  await page.locator("header.top button.exit").tap();
  const seen = JSON.parse((await cleared).text().slice("vecinos-test cleared ".length));
  assert.deepEqual(seen, { text: "", title: "", flag: "1", localStorage: 0 }, "the screen empties at once");
  await page.waitForURL("about:blank");
  const leftAfter = Date.now() - tapped;
  assert.equal(await page.evaluate(() => document.body?.textContent ?? ""), "");
  assert.deepEqual(appRequests, [], "leaving asks the server for nothing");

  assert.deepEqual(await storageSeenFromAnotherTab(server.url), EMPTY, "nothing of the app is left");

  // Back, into the app's last screen: the app must leave again at once, without starting.
  appRequests.length = 0;
  const back = await page.goBack();
  assert.equal(back && new URL(back.url()).pathname, "/resources", "back loads the app's previous screen");
  await page.waitForURL("about:blank");
  assert.ok(appRequests.includes("/resources"), `the app's page came from the server: ${appRequests}`);
  assert.ok(appRequests.some((path) => path.endsWith(".wasm")), `the app started: ${appRequests}`);
  assert.ok(
    appRequests.every((path) => !path.startsWith("/api/") && path !== "/sw.js"),
    `going back neither syncs nor registers the service worker: ${appRequests}`,
  );
  assert.equal(await page.evaluate(() => document.body?.textContent ?? ""), "", "no app content is shown");
  assert.deepEqual(await storageSeenFromAnotherTab(server.url), EMPTY, "back brought no data back");

  assert.deepEqual(errors, [], "no uncaught errors in the page");
  console.log(`# quick exit reached about:blank ${leftAfter} ms after the tap`);
});
