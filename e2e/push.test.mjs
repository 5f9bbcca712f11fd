// Web Push, end to end, against a local push-service stand-in (server/examples/push_standin):
// Chromium here cannot reach a real push service, so `PushManager.subscribe` is replaced with
// one that returns a subscription made with test keys, whose private half the stand-in gets so
// it can decrypt what it receives. The service worker's `push` handler is driven through CDP.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createECDH, randomBytes } from "node:crypto";
import { test } from "node:test";
import { ORGANISER, launchPhone, publicFeed, receivedReports, screenshotPath, signIn, startServer, verifyReport } from "./harness.mjs";

const b64url = (buffer) => Buffer.from(buffer).toString("base64url");

async function standIn() {
  const bin = process.env.VECINOS_PUSH_STANDIN;
  if (!bin) throw new Error("VECINOS_PUSH_STANDIN is not set: run the scenarios through `cargo xtask test`");
  const child = spawn(bin, ["0"], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const found = out.match(/push stand-in at (http:\/\/\S+)/);
      if (found) resolve(found[1].replace(/\/$/, ""));
    });
    child.on("exit", (code) => reject(new Error(`the stand-in exited (${code})`)));
  });
  const put = (path, body) =>
    fetch(`${url}${path}`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return {
    url,
    /** A subscription the stand-in can decrypt: endpoint and keys as `toJSON()` gives them. */
    async subscription(name) {
      const ecdh = createECDH("prime256v1");
      ecdh.generateKeys();
      const auth = randomBytes(16);
      await put(`/keys/${name}`, { private_key: b64url(ecdh.getPrivateKey()), auth: b64url(auth) });
      return { endpoint: `${url}/push/${name}`, keys: { p256dh: b64url(ecdh.getPublicKey()), auth: b64url(auth) } };
    },
    answer: (name, status) => put(`/answer/${name}`, { status }),
    received: async () => (await fetch(`${url}/received`)).json(),
    stop: () => child.kill(),
  };
}

/** The browser's PushManager, answering with `subscription` instead of a push service's. */
function fakePushManager(subscription) {
  const made = { ...subscription, toJSON: () => subscription, unsubscribe: async () => true };
  let current = null;
  PushManager.prototype.subscribe = async () => (current = made);
  PushManager.prototype.getSubscription = async () => current;
}

async function until(what, check, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function setUpPush(t) {
  const push = await standIn();
  const server = await startServer({ organiser: ORGANISER, env: { VECINOS_ALLOW_LOOPBACK_PUSH: "true" } });
  const phone = await launchPhone();
  t.after(async () => {
    await phone.close();
    await server.cleanup();
    push.stop();
  });
  await phone.context.grantPermissions(["notifications", "geolocation"], { origin: server.url });
  // Inside the demo region.
  await phone.context.setGeolocation({ latitude: 44.948312, longitude: -93.236211 });
  const errors = [];
  const page = await phone.context.newPage();
  page.on("pageerror", (e) => errors.push(e.message));
  return { push, server, phone, page, errors };
}

/** Saves a report with the phone's area on its report screen, and verifies it as an alert. */
async function alertHere(page, server, words, summary) {
  await page.goto(`${server.url}/report`);
  await page.getByRole("button", { name: "Checkpoint" }).click();
  await page.getByRole("button", { name: "Use my location" }).click();
  await page.getByText("Your position became an area about 150 m across").waitFor();
  await page.getByLabel("Describe it briefly").fill(words);
  await page.getByRole("button", { name: "Save and send" }).click();
  await page.getByText("Sent", { exact: true }).waitFor();
  const cookie = await signIn(server.url);
  const received = (await receivedReports(server.url, cookie)).find((r) => r.description === words);
  const res = await verifyReport(server.url, cookie, received, summary, 60);
  assert.equal(res.status, 201, await res.text());
}

test("a phone that opted in gets each alert near it once, decrypted, and quick exit ends it", async (t) => {
  const { push, server, phone, page, errors } = await setUpPush(t);
  const mine = await push.subscription("phone");
  await phone.context.addInitScript(fakePushManager, mine);

  await page.goto(`${server.url}/alerts`);
  await page.getByText("Updated just now").waitFor();
  await page.getByText("Google, Apple or Mozilla").waitFor();
  await page.getByRole("button", { name: "Tell me about alerts near me" }).click();
  await page.getByText("On: verified alerts within about 5 km").waitFor();
  await page.screenshot({ path: screenshotPath("push-on"), fullPage: true });

  // Two other subscriptions, made through the API: one far away, one whose push service says
  // it is gone (410).
  const far = await push.subscription("far");
  const gone = await push.subscription("gone");
  await push.answer("gone", 410);
  for (const [sub, cells] of [[far, ["u4pru"]], [gone, ["9zvxv", "9zvxy", "9zvxt", "9zvxw", "9zvxs", "9zvxu", "9zvxe", "9zvxg", "9zvxq"]]]) {
    const res = await fetch(`${server.url}/api/v1/push/subscriptions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...sub, cells, audience: "alerts" }),
    });
    assert.equal(res.status, 201, await res.text());
  }

  await alertHere(page, server, "Words of the pushed report", "Example pushed alert");
  const toPhone = await until("the push to the phone", async () => {
    const list = (await push.received()).filter((r) => r.name === "phone");
    return list.length ? list : null;
  });
  await new Promise((r) => setTimeout(r, 2_000));
  const received = await push.received();
  assert.equal(received.filter((r) => r.name === "phone").length, 1, `exactly one push to the phone: ${JSON.stringify(received)}`);
  assert.equal(received.filter((r) => r.name === "far").length, 0, "none to a phone far away");
  const payload = JSON.parse(toPhone[0].payload);
  assert.deepEqual(Object.keys(payload).sort(), ["alert", "kind"], "ids and kinds only");
  assert.equal(payload.kind, "checkpoint");
  assert.ok(!toPhone[0].payload.includes("Example pushed alert"), "no text goes through the push service");

  // The 410 made the server drop that subscription: the next alert is not tried there again.
  const triedGone = received.filter((r) => r.name === "gone").length;
  await push.answer("gone", 201);

  // Quick exit ends the phone's subscription on the server too (once the app's renewal at start
  // is done: an exit never races it in this test).
  const renewed = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/v1/push/subscriptions");
  await page.goto(`${server.url}/alerts`);
  assert.equal((await renewed).status(), 200, "the app renews its subscription when it starts");
  await page.locator("header.top button.exit").tap();
  await page.waitForURL("about:blank");
  // Nothing of it is left on the phone either.
  const probe = await phone.context.newPage();
  await probe.goto(`${server.url}/nothing.txt`);
  assert.deepEqual(await probe.evaluate(() => Object.keys(localStorage)), [], "local storage is empty");
  const other = await phone.context.newPage();
  await phone.context.clearPermissions();
  await alertHereWithoutPhone(server, other, "Words of a later report", "Example later alert");
  await new Promise((r) => setTimeout(r, 3_000));
  const after = await push.received();
  assert.equal(after.filter((r) => r.name === "phone").length, 1, "nothing more after quick exit");
  assert.equal(after.filter((r) => r.name === "gone").length, triedGone, "a 410 dropped that subscription");
  assert.deepEqual(errors, []);
});

/** A later alert near the same place, reported from a fresh tab of the (exited) phone. */
async function alertHereWithoutPhone(server, page, words, summary) {
  await page.context().grantPermissions(["geolocation"], { origin: server.url });
  return alertHere(page, server, words, summary);
}

/** What the service worker is showing now. */
const notifications = (page) =>
  page.evaluate(async () =>
    (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag })),
  );

test("the worker shows a push in the phone's language, also an empty one, and a tap opens the alert", async (t) => {
  const { server, phone, page, errors } = await setUpPush(t);
  await page.goto(`${server.url}/alerts`);
  await page.getByText("Updated just now").waitFor();
  await alertHere(page, server, "Words of the report", "Example alert for the push");
  const alert = JSON.parse(await publicFeed(server.url)).find((c) => c.record?.kind === "alert").record.data;

  await page.goto(`${server.url}/alerts`);
  await page.locator("select.lang").selectOption("es");
  await page.getByRole("heading", { name: "Alertas", exact: true }).waitFor();
  // The language reaches IndexedDB, where the worker reads it.
  await until("the language kept for the worker", () =>
    page.evaluate(
      () =>
        new Promise((resolve) => {
          const open = indexedDB.open("vecinos");
          open.onsuccess = () => {
            const get = open.result.transaction("meta").objectStore("meta").get("lang");
            get.onsuccess = () => resolve(get.result === "es");
          };
        }),
    ),
  );

  const cdp = await phone.context.newCDPSession(page);
  const registration = new Promise((resolve) =>
    cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
      const mine = registrations.find((r) => r.scopeURL.startsWith(server.url) && !r.isDeleted);
      if (mine) resolve(mine.registrationId);
    }),
  );
  await cdp.send("ServiceWorker.enable");
  const registrationId = await registration;
  const deliver = (data) =>
    cdp.send("ServiceWorker.deliverPushMessage", { origin: `${server.url}/`, registrationId, data });

  // CDP now and then drops a push sent while the worker starts: delivered again until shown.
  const shownAfter = async (data, what, find) => {
    for (let tries = 1; ; tries++) {
      await deliver(data);
      try {
        return await until(what, async () => find(await notifications(page)), 5_000);
      } catch (e) {
        if (tries === 3) throw e;
      }
    }
  };
  const shown = await shownAfter(JSON.stringify({ alert: alert.id, kind: "checkpoint" }), "the alert's notification",
    (list) => list.find((n) => n.tag === `vecinos-alert-${alert.id}`));
  assert.deepEqual(shown, {
    title: "Alerta verificada cerca de ti",
    body: "Example alert for the push",
    tag: `vecinos-alert-${alert.id}`,
  });

  // An empty push (or one the worker cannot read) still shows a notification, in Spanish.
  const generic = await shownAfter("", "the generic notification", (list) => list.find((n) => n.tag === "vecinos-alert"));
  assert.deepEqual(generic, { title: "Alerta verificada cerca de ti", body: "Abre Vecinos para verla.", tag: "vecinos-alert" });

  // A tap on the alert's notification opens that alert in the app's window.
  await page.goto(`${server.url}/events`);
  const [worker] = phone.context.serviceWorkers();
  await worker.evaluate(async (tag) => {
    const [note] = await self.registration.getNotifications({ tag });
    self.dispatchEvent(new NotificationEvent("notificationclick", { notification: note }));
  }, `vecinos-alert-${alert.id}`);
  await page.waitForURL((url) => url.pathname === "/alerts" && url.hash === `#alert-${alert.id}`);
  await page.locator(`#alert-${alert.id}`).waitFor();
  await page.screenshot({ path: screenshotPath("push-opened"), fullPage: true });
  assert.deepEqual(errors, []);
});
