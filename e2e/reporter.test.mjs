// The reporter's side of an alert (issue 15, parts 4 and 5): the phone that sent a report learns
// what became of it, and nothing else, with an id only it holds; quick exit forgets the ids. A
// verified alert can be shared to a group chat, and the network's hotline is one tap away, also
// offline.
import assert from "node:assert/strict";
import { test } from "node:test";
import { receivedReports, report, screenshotPath, setUp, signIn, verifyReport } from "./harness.mjs";

/** What the phone keeps of the reports it sent, read from IndexedDB ("" when nothing). */
function keptIds(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("vecinos");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction("meta").objectStore("meta").get("my_reports");
          get.onsuccess = () => {
            open.result.close();
            resolve(get.result ?? "");
          };
        };
      }),
  );
}

/** Opens the report screen the way a person does: from the Alerts tab, without a reload. */
async function openReportScreen(page) {
  await page.locator('nav.tabs a[href="/alerts"]').click();
  await page.locator("main h1", { hasText: "Alerts" }).waitFor();
  await page.locator("main a.primary", { hasText: "Report what you see" }).click();
  await page.locator("main h1", { hasText: "Report what you see" }).waitFor();
}

test("the reporter's phone shows what became of its reports, offline the last known, and quick exit forgets them", async (t) => {
  const { server, phone, page, errors } = await setUp(t);
  const asked = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.startsWith("/api/v1/reports/status")) {
      asked.push({ method: request.method(), url: request.url(), body: request.postData() });
    }
  });
  await page.goto(`${server.url}/report`);
  await page.getByText("Updated just now").waitFor();
  assert.equal(await page.locator("section.mine").count(), 0, "nothing sent yet: no list");

  await report(page, "Checkpoint", "Reporter's words about a checkpoint", "Lake St & 14th Ave");
  const mine = page.locator("section.mine");
  await mine.getByText("Sent just now: received, waiting for organisers").waitFor();
  await report(page, "Help needed", "Reporter's words asking for help", "Main St & 2nd Ave");
  await mine.locator("li").nth(1).waitFor();

  // Kept: each report's id, when it was sent and its status; none of its words or place.
  const kept = await keptIds(page);
  const lines = kept.trim().split("\n");
  assert.equal(lines.length, 2, kept);
  for (const line of lines) assert.match(line, /^[0-9a-f-]{36} \d{13} received$/);
  assert.ok(!/Reporter|Lake|Main|checkpoint|help/i.test(kept), `only ids are kept: ${kept}`);

  const cookie = await signIn(server.url);
  const inbox = await receivedReports(server.url, cookie);
  const find = (words) => inbox.find((r) => r.description.includes(words));
  const checkpoint = find("checkpoint");
  const help = find("help");
  assert.ok(lines.some((l) => l.startsWith(checkpoint.id)) && lines.some((l) => l.startsWith(help.id)));
  const res = await verifyReport(server.url, cookie, checkpoint, "Example checkpoint reported at Lake St", 90);
  assert.equal(res.status, 201, await res.text());
  const rejected = await fetch(`${server.url}/api/v1/reports/${help.id}/reject`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: "{}",
  });
  assert.equal(rejected.status, 200, await rejected.text());

  // Back on the report screen, the phone asks and shows the change: newest first.
  asked.length = 0;
  await openReportScreen(page);
  await mine.getByText("not published", { exact: true }).waitFor();
  await mine.getByText("published as an alert", { exact: true }).waitFor();
  assert.deepEqual(
    (await mine.locator("li").allTextContents()).map((s) => s.trim()),
    ["Sent just now: not published", "Sent just now: published as an alert"],
  );
  assert.equal(asked.length, 2, "once per report per visit");
  for (const question of asked) {
    assert.equal(question.method, "POST");
    assert.equal(new URL(question.url).search, "", "the id never sits in a URL");
    assert.match(JSON.parse(question.body).id, /^[0-9a-f-]{36}$/);
  }
  await page.screenshot({ path: screenshotPath("reporter-your-reports"), fullPage: true });

  // "Check again" asks again, and the statuses were kept with the ids.
  await mine.getByRole("button", { name: "Check again" }).click();
  await page.waitForFunction(() => !document.querySelector("section.mine button").disabled);
  assert.equal(asked.length, 4);
  assert.match(await keptIds(page), new RegExp(`^${checkpoint.id} \\d+ published$`, "m"));
  assert.match(await keptIds(page), new RegExp(`^${help.id} \\d+ not_published$`, "m"));

  // Offline: the last known statuses, said to be so, and the hotline still there to call.
  await phone.context.setOffline(true);
  await page.getByText("Offline: showing what is saved on this phone").waitFor();
  await openReportScreen(page);
  await mine.getByText("Last known: the phone could not ask the server just now.").waitFor();
  assert.equal(await mine.locator("li").count(), 2);
  await mine.getByText("published as an alert", { exact: true }).waitFor();
  const hotline = page.locator("main a.hotline");
  assert.equal(await hotline.getAttribute("href"), "tel:5550100");
  assert.match(await hotline.textContent(), /Call the hotline.*Example rapid-response hotline · 555-0100/);
  await page.screenshot({ path: screenshotPath("reporter-offline"), fullPage: true });
  await phone.context.setOffline(false);

  // Quick exit forgets the ids with everything else: a new visit knows of no report.
  await page.locator("header.top button.exit").tap();
  await page.waitForURL("about:blank");
  const again = await phone.context.newPage();
  await again.goto(`${server.url}/report`);
  await again.getByText("Updated just now").waitFor();
  assert.equal(await again.locator("section.mine").count(), 0, "no reports known after quick exit");
  assert.equal(await keptIds(again), "");
  await again.close();
  assert.deepEqual(errors, []);
});

/** The ids of the reports waiting in the outbox, and whether each is stamped. */
function waiting(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("vecinos");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction("outbox").objectStore("outbox").getAll();
          all.onsuccess = () => {
            open.result.close();
            resolve(all.result.map((json) => JSON.parse(json)).map((r) => ({ id: r.id, stamped: !!r.stamp })));
          };
        };
      }),
  );
}

test("a report the service worker sends with the app closed is kept for asking too", async (t) => {
  const { server, phone, page, errors } = await setUp(t);
  await page.goto(`${server.url}/report`);
  await page.getByText("Updated just now").waitFor();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await phone.context.setOffline(true);
  await page.getByRole("button", { name: "Help needed" }).click();
  await page.getByLabel("Or cross streets").fill("Main St & 2nd Ave");
  await page.getByRole("button", { name: "Save and send" }).click();
  let items = [];
  for (let tries = 0; !(items.length === 1 && items[0].stamped); tries++) {
    assert.ok(tries < 300, `stamped within 30 s: ${JSON.stringify(items)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    items = await waiting(page);
  }
  // The app is closed; the browser's Background Sync wakes the worker (driven here through CDP).
  const other = await phone.context.newPage();
  const cdp = await phone.context.newCDPSession(other);
  const registrations = [];
  cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations: r }) => registrations.push(...r));
  await cdp.send("ServiceWorker.enable");
  await page.close();
  await phone.context.setOffline(false);
  const registration = registrations.find((r) => r.scopeURL.startsWith(server.url) && !r.isDeleted);
  assert.ok(registration, "the app's service worker is registered");
  await cdp.send("ServiceWorker.dispatchSyncEvent", {
    origin: server.url,
    registrationId: registration.registrationId,
    tag: "vecinos-outbox",
    lastChance: false,
  });
  const cookie = await signIn(server.url);
  let reports = [];
  for (let i = 0; i < 40 && reports.length === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    reports = await receivedReports(server.url, cookie);
  }
  assert.equal(reports.length, 1, "delivered with the app closed");
  await other.goto(`${server.url}/report`);
  await other.locator("section.mine").getByText("Sent just now: received, waiting for organisers").waitFor();
  assert.match(await keptIds(other), new RegExp(`^${items[0].id} \\d{13} received\n$`));
  assert.deepEqual(errors, []);
});

/** A verified alert, published from a report the phone sent. */
async function publishedAlert(server, page) {
  await page.goto(`${server.url}/report`);
  await page.getByText("Updated just now").waitFor();
  await report(page, "Checkpoint", "Reporter's words about a checkpoint", "Lake St & 14th Ave");
  const cookie = await signIn(server.url);
  const [received] = await receivedReports(server.url, cookie);
  const res = await verifyReport(server.url, cookie, received, "Example checkpoint reported at Lake St", 90);
  const body = await res.text();
  assert.equal(res.status, 201, body);
  return JSON.parse(body).id;
}

test("Share hands a verified alert's words and link to the share sheet, or copies them; the hotline is on Alerts", async (t) => {
  const { server, phone, page, errors } = await setUp(t);
  // The share sheet, as a phone has it: records what it was given.
  await page.addInitScript(() => {
    window.shared = [];
    Object.defineProperty(Navigator.prototype, "share", {
      configurable: true,
      value: async (data) => {
        window.shared.push(data);
      },
    });
  });
  const id = await publishedAlert(server, page);
  await page.goto(`${server.url}/alerts`);
  const card = page.locator(`li#alert-${id}`);
  await card.waitFor();
  const hotline = page.locator("main a.hotline");
  assert.equal(await hotline.getAttribute("href"), "tel:5550100");
  await card.getByRole("button", { name: "Share" }).click();
  await page.waitForFunction(() => window.shared.length === 1);
  const [data] = await page.evaluate(() => window.shared);
  assert.equal(data.title, "Checkpoint");
  assert.match(data.text, /^Checkpoint: Example checkpoint reported at Lake St\n/);
  assert.ok(data.text.includes("Lake St & 14th Ave"), data.text);
  assert.ok(!data.text.includes("Reporter's words"), "the organiser's words, never the report's");
  assert.equal(data.url, `${server.url}/alerts#alert-${id}`);
  await page.screenshot({ path: screenshotPath("alert-share"), fullPage: true });

  // Without a share sheet (desktop browsers): the same words and link are copied.
  const plain = await phone.context.newPage();
  await plain.addInitScript(() => {
    delete Navigator.prototype.share;
    window.copied = [];
    Object.defineProperty(Navigator.prototype, "clipboard", {
      configurable: true,
      get: () => ({ writeText: async (text) => void window.copied.push(text) }),
    });
  });
  await plain.goto(`${server.url}/alerts`);
  const plainCard = plain.locator(`li#alert-${id}`);
  await plainCard.getByRole("button", { name: "Share" }).click();
  await plainCard.getByText("Copied: paste it into your group chat.").waitFor();
  const [copied] = await plain.evaluate(() => window.copied);
  assert.equal(copied, `${data.text}\n${data.url}`);

  // A share sheet the person closes says nothing; a clipboard that refuses says so.
  await plain.evaluate(() => {
    Object.defineProperty(Navigator.prototype, "clipboard", {
      configurable: true,
      get: () => ({ writeText: async () => Promise.reject(new DOMException("no", "NotAllowedError")) }),
    });
  });
  await plainCard.getByRole("button", { name: "Share" }).click();
  await plainCard.getByText("Could not copy.").waitFor();

  // In Spanish and the dark theme, once, for the screenshot (with a clipboard that takes it).
  await plain.evaluate(() => {
    Object.defineProperty(Navigator.prototype, "clipboard", {
      configurable: true,
      get: () => ({ writeText: async (text) => void window.copied.push(text) }),
    });
  });
  await plain.emulateMedia({ colorScheme: "dark" });
  await plain.locator("header.top select.lang").selectOption("es");
  await plain.locator("main h1", { hasText: "Alertas" }).waitFor();
  await plain.locator(`li#alert-${id}`).getByRole("button", { name: "Compartir" }).click();
  await plain.getByText("Copiado: péguelo en el chat de su grupo.").waitFor();
  await plain.locator("main a.hotline", { hasText: "Llamar a la línea de ayuda" }).waitFor();
  await plain.screenshot({ path: screenshotPath("alert-share-es-dark"), fullPage: true });
  await plain.goto(`${server.url}/report`);
  await plain.locator("section.mine li").first().waitFor();
  await plain.getByText("publicado como alerta").waitFor();
  await plain.screenshot({ path: screenshotPath("reporter-your-reports-es-dark"), fullPage: true });
  await plain.close();
  assert.deepEqual(errors, []);
});
