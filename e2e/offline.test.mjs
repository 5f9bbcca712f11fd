// The walking skeleton's story: open the app, see the demo events, install it, lose the server
// and the network, and still see everything from the phone.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchPhone, screenshotPath, startServer } from "./harness.mjs";

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

test("the app lists the demo data, installs, and works with the server gone", async () => {
  const page = await phone.context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // The server's Content-Security-Policy must let the app run: any refusal is a bug.
  page.on("console", (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) errors.push(m.text());
  });

  await page.goto(server.url);
  await page.getByRole("heading", { name: "Know-your-rights training" }).waitFor();
  await page.getByText("Updated just now").waitFor();

  // The service worker installs, precaches the shell and takes control of the page.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

  const cdp = await phone.context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
  assert.deepEqual(installabilityErrors, [], "Chromium considers the app installable");
  // A CDP session left attached stops Playwright's offline emulation from reaching the page.
  await cdp.detach();

  const cached = await page.evaluate(async () => {
    const urls = [];
    for (const key of await caches.keys()) {
      for (const request of await (await caches.open(key)).keys()) urls.push(new URL(request.url).pathname);
    }
    return urls;
  });
  assert.ok(cached.includes("/index.html"), `shell precached: ${cached}`);
  assert.ok(cached.some((u) => u.endsWith(".wasm")), "the WASM is precached");
  assert.ok(!cached.some((u) => u.startsWith("/api/")), "nothing from /api is in Cache Storage");
  await page.screenshot({ path: screenshotPath("events-online") });

  // The server is gone: the reload comes from the service worker, the lists from IndexedDB.
  await server.stop();
  await page.reload();
  await page.getByRole("heading", { name: "Know-your-rights training" }).waitFor();
  await page.getByText("Could not update").waitFor();

  // No network at all: the phone says so and still shows everything it saved.
  await phone.context.setOffline(true);
  await page.reload();
  await page.getByText("Offline: showing what is saved on this phone").waitFor();
  await page.getByRole("heading", { name: "Vigil for detained neighbours" }).waitFor();
  await page.screenshot({ path: screenshotPath("events-offline") });

  await page.getByRole("link", { name: "Resources" }).click();
  // The list shows 15 at a time, in name order; this one is further down.
  await page.locator("button.more").click();
  await page.getByRole("heading", { name: "Free immigration legal clinic" }).waitFor();
  assert.equal(await page.getByRole("link", { name: "612-555-0101" }).getAttribute("href"), "tel:612-555-0101");
  await page.screenshot({ path: screenshotPath("resources-offline") });

  assert.deepEqual(errors, [], "no uncaught errors and no CSP refusals in the page");
});
