// Organisers on a phone: sign in from the app, triage received reports (publish one as an alert
// with its text and lifetime, reject another), edit a listing across someone else's edit, and
// sign out leaving nothing of the organiser's on the phone.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { ORGANISER, launchPhone, publicFeed, putInOutbox, receivedReports, report, screenshotPath, setUp, signIn } from "./harness.mjs";

async function reportsWith(url, cookie, status) {
  const res = await fetch(`${url}/api/v1/reports?status=${status}&limit=200`, { headers: { cookie } });
  assert.equal(res.status, 200);
  return (await res.json()).reports;
}

/** Everything the app stored on the phone, as one string: IndexedDB, local storage, caches. */
async function phoneStorage(page) {
  return page.evaluate(async () => {
    const texts = [JSON.stringify({ ...localStorage })];
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const store of db.objectStoreNames) {
        const values = await new Promise((resolve, reject) => {
          const request = db.transaction(store).objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        texts.push(JSON.stringify(values));
      }
      db.close();
    }
    for (const key of await caches.keys()) {
      const cache = await caches.open(key);
      for (const request of await cache.keys()) texts.push(request.url);
    }
    return texts.join("\n");
  });
}

async function signInOnPhone(page, password = ORGANISER.password) {
  await page.getByLabel("Name").fill(ORGANISER.name);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("an organiser signs in on the phone, publishes one report as an alert, rejects another, and signs out leaving nothing", async (t) => {
  const { server, phone, page, errors } = await setUp(t);
  await page.goto(`${server.url}/alerts`);
  await page.getByText("Updated just now").waitFor();
  await report(page, "Checkpoint", "Reporter's words: a checkpoint by the school", "Lake St & 14th Ave", { minutesAgo: 15 });
  // The server keeps receipt times to the second and orders one second's reports by id: the
  // second report leaves a second later, so newest first is a fixed order.
  await page.waitForTimeout(1100);
  await report(page, "Help needed", "Reporter's words: a family needs a ride", "Main St & 2nd Ave");

  // Not signed in: no Organise tab, only the quiet link under the alerts.
  await page.locator('nav.tabs a[href="/alerts"]').click();
  assert.equal(await page.locator('nav.tabs a[href="/organise"]').count(), 0);
  await page.getByRole("link", { name: "Organisers: sign in" }).click();
  await signInOnPhone(page, "not the password");
  await page.getByText("That name and password do not match.").waitFor();
  await signInOnPhone(page);
  await page.getByText(`Signed in as ${ORGANISER.name}`).waitFor();
  await page.locator('nav.tabs a[href="/organise"]').waitFor();

  // The queue, newest first, with kind, place, time and the reporter's words.
  const items = page.locator("li.report-item");
  await items.nth(1).waitFor();
  assert.deepEqual(await items.locator("h2").allTextContents(), ["Main St & 2nd Ave", "Lake St & 14th Ave"]);
  assert.deepEqual(await items.locator(".kind").allTextContents(), ["Help needed", "Checkpoint"]);
  assert.deepEqual(await items.locator(".muted").allTextContents(), ["Seen just now", "Seen 15 min ago"]);
  assert.ok((await items.nth(1).textContent()).includes("a checkpoint by the school"));
  await page.screenshot({ path: screenshotPath("organise-triage"), fullPage: true });

  // A draft alert started on the other report survives the checkpoint leaving the list.
  await items.first().getByRole("button", { name: "Publish as alert…" }).click();
  await items.first().getByLabel("Alert text, as the public will see it").fill("Example: a draft kept open");

  // Publish the checkpoint with the organiser's text, for 2 hours.
  const checkpoint = items.nth(1);
  await checkpoint.getByRole("button", { name: "Publish as alert…" }).click();
  const text = checkpoint.getByLabel("Alert text, as the public will see it");
  assert.equal(await text.inputValue(), "Checkpoint", "the kind, to start from");
  // The public place starts from the reporter's words, for the organiser to check and send.
  const place = checkpoint.getByLabel("Place, as the public will see it");
  assert.equal(await place.inputValue(), "Lake St & 14th Ave");
  await checkpoint.getByText("Everyone can read this: no home addresses, no names.").waitFor();
  await text.fill("Example: checkpoint confirmed at Lake St & 14th Ave");
  await place.fill("Lake St, by the school");
  await checkpoint.getByRole("button", { name: "for 2 h" }).click();
  await page.screenshot({ path: screenshotPath("organise-verify"), fullPage: true });
  await checkpoint.getByRole("button", { name: "Publish alert" }).click();
  await page.getByText(/^Alert published until /).waitFor();
  assert.equal(await items.count(), 1, "the published report leaves the queue");
  assert.equal(await items.first().getByLabel("Alert text, as the public will see it").inputValue(),
    "Example: a draft kept open", "the other report's open form is untouched");

  await items.first().getByRole("button", { name: "Reject" }).click();
  await page.getByText("Report rejected: it will not be published.").waitFor();
  await page.getByText("No reports here.").waitFor();

  // The server agrees, and the public sees the organiser's words for 2 hours, never the reporter's.
  const cookie = await signIn(server.url);
  assert.equal((await reportsWith(server.url, cookie, "received")).length, 0);
  assert.deepEqual((await reportsWith(server.url, cookie, "verified")).map((r) => r.cross_streets), ["Lake St & 14th Ave"]);
  assert.deepEqual((await reportsWith(server.url, cookie, "rejected")).map((r) => r.cross_streets), ["Main St & 2nd Ave"]);
  const alerts = JSON.parse(await publicFeed(server.url))
    .filter((c) => c.op === "upsert" && c.record.kind === "alert")
    .map((c) => c.record.data);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].summary, "Example: checkpoint confirmed at Lake St & 14th Ave");
  assert.equal(alerts[0].cross_streets, "Lake St, by the school", "the place the organiser sent");
  assert.equal((Date.parse(alerts[0].expires_at) - Date.parse(alerts[0].verified_at)) / 60_000, 120);
  assert.ok(!(await publicFeed(server.url)).includes("Reporter's words"));

  // The published list shows it; the phone's alerts show it after the next pull.
  await page.getByRole("button", { name: "Published", exact: true }).click();
  await items.first().waitFor();
  assert.equal(await items.locator("h2").textContent(), "Lake St & 14th Ave");
  await page.reload();
  await page.locator('nav.tabs a[href="/alerts"]').click();
  await page.getByText("Example: checkpoint confirmed at Lake St & 14th Ave").waitFor();

  // Sign out: the session ends on the server and nothing of the organiser's stays on the phone.
  const sessionCookie = (await phone.context.cookies()).find((c) => c.name === "vecinos_session");
  assert.ok(sessionCookie, "signed in through a session cookie");
  assert.equal(sessionCookie.httpOnly, true);
  await page.locator('nav.tabs a[href="/organise"]').click();
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.getByRole("button", { name: "Sign in" }).waitFor();
  assert.equal(await page.locator('nav.tabs a[href="/organise"]').count(), 0, "the Organise tab is gone");
  assert.equal((await phone.context.cookies()).filter((c) => c.name === "vecinos_session").length, 0);
  const stale = await fetch(`${server.url}/api/v1/reports`, {
    headers: { cookie: `vecinos_session=${sessionCookie.value}` },
  });
  assert.equal(stale.status, 401, "the old session no longer works on the server");
  const stored = await phoneStorage(page);
  const local = await page.evaluate(() => ({ ...localStorage }));
  assert.ok(!Object.values(local).includes(ORGANISER.name), `the organiser's name is gone: ${JSON.stringify(local)}`);
  assert.ok(!stored.includes("Reporter's words"), "no report was ever stored");
  assert.ok(stored.includes("Example: checkpoint confirmed"), "the public alert stays (sanity check of the dump)");
  await page.reload();
  await page.getByRole("button", { name: "Sign in" }).waitFor();
  assert.deepEqual(errors, []);
});

/** The latest public version of a record, from the change feed. */
async function published(url, id) {
  const changes = JSON.parse(await publicFeed(url)).filter((c) => c.op === "upsert" && c.record.data.id === id);
  return changes.at(-1).record.data;
}

async function put(url, cookie, collection, record) {
  const res = await fetch(`${url}/api/v1/${collection}/${record.id}`, {
    method: "PUT",
    headers: { cookie, "content-type": "application/json", "if-match": `"${record.version}"` },
    body: JSON.stringify(record),
  });
  assert.equal(res.status, 200, await res.text());
}

test("an edit that crosses someone else's shows both versions, and the organiser's choice is what the server keeps", async (t) => {
  const { server, page, errors } = await setUp(t);
  await page.goto(`${server.url}/organise`);
  await signInOnPhone(page);
  await page.getByText(`Signed in as ${ORGANISER.name}`).waitFor();

  // Open a resource and edit it from its page.
  await page.locator('nav.tabs a[href="/resources"]').click();
  await page.locator("li.resource a").first().click();
  const id = page.url().split("/").at(-1);
  await page.getByRole("link", { name: "Edit" }).click();
  const description = page.getByLabel("Description", { exact: true });
  const before = await published(server.url, id);
  assert.equal(await description.inputValue(), before.description, "the form starts from the phone's copy");

  // Meanwhile another organiser changes the description and the cost.
  const cookie = await signIn(server.url);
  await put(server.url, cookie, "resources", { ...before, description: "Example: changed on another phone", cost: "Example: free" });

  await description.fill("Example: changed on this phone");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  const conflict = page.locator("section.conflict");
  await conflict.waitFor();
  assert.deepEqual(await conflict.locator(".versions h3").allTextContents(), ["Description"], "the field both changed");
  await conflict.getByText("Other changes made on the server are kept either way.").waitFor();
  const versions = await conflict.locator(".versions").first().locator("p").allTextContents();
  assert.deepEqual(versions, ["Your editExample: changed on this phone", "Now on the serverExample: changed on another phone"]);
  await page.screenshot({ path: screenshotPath("organise-conflict"), fullPage: true });

  // Keep mine: the description is this phone's, the other organiser's cost stays.
  await conflict.getByRole("button", { name: "Keep my edit" }).click();
  await page.getByText("Saved. Phones get it at their next update.").waitFor();
  const kept = await published(server.url, id);
  assert.equal(kept.description, "Example: changed on this phone");
  assert.equal(kept.cost, "Example: free");
  assert.equal(kept.version, before.version + 2);

  // Another crossing edit, and this time the server's version is taken.
  await put(server.url, cookie, "resources", { ...kept, name: "Example Legal Aid (new name)" });
  await page.getByLabel("Name", { exact: true }).fill("Example name from this phone");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await conflict.waitFor();
  await conflict.getByRole("button", { name: "Use the server's" }).click();
  await conflict.waitFor({ state: "detached" });
  assert.equal(await page.getByLabel("Name", { exact: true }).inputValue(), "Example Legal Aid (new name)");
  const taken = await published(server.url, id);
  assert.equal(taken.name, "Example Legal Aid (new name)");
  assert.equal(taken.version, kept.version + 1, "taking the server's version sends nothing");
  assert.deepEqual(errors, []);
});

test("quick exit also ends a signed-in organiser's session, so the cookie does not outlive the exit", async (t) => {
  const { server, phone, page } = await setUp(t);
  await page.goto(`${server.url}/organise`);
  await signInOnPhone(page);
  await page.getByText(`Signed in as ${ORGANISER.name}`).waitFor();
  const { value } = (await phone.context.cookies()).find((c) => c.name === "vecinos_session");
  await page.getByRole("button", { name: /^Quick exit/ }).click();
  await page.waitForURL("about:blank");
  const ended = async () =>
    (await fetch(`${server.url}/api/v1/reports`, { headers: { cookie: `vecinos_session=${value}` } })).status === 401;
  const cookieGone = async () => !(await phone.context.cookies()).some((c) => c.name === "vecinos_session");
  for (let i = 0; i < 50 && !((await ended()) && (await cookieGone())); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(await ended(), "the session no longer works on the server");
  assert.ok(await cookieGone(), "the browser dropped the cookie");
});

test("sixty junk reports are rejected at once, by their kind, a selection and a time window, and the real one stays", async (t) => {
  const { server, page, errors } = await setUp(t);
  await page.goto(`${server.url}/report`);
  await page.getByText("Updated just now").waitFor();
  // A flood of "help offered" junk and one real checkpoint, in the outbox as the Report screen
  // leaves them; the engine stamps and sends them all.
  await putInOutbox(
    page,
    Array.from({ length: 61 }, (_, i) => ({
      id: randomUUID(),
      kind: i === 0 ? "checkpoint" : "help_offered",
      description: i === 0 ? "A real checkpoint by the example school" : `Junk ${i}`,
      observed_at: new Date(Date.now() - i * 1000).toISOString(),
      area: i === 0 ? null : "9zvxvf2",
      cross_streets: `Example St & ${i}th Ave`,
      language: "en",
    })),
  );
  const cookie = await signIn(server.url);
  for (let tries = 0; (await receivedReports(server.url, cookie)).length < 61; tries++) {
    assert.ok(tries < 160, "the engine delivers all 61 reports");
    await page.evaluate(() => window.dispatchEvent(new Event("online")));
    await page.waitForTimeout(500);
  }

  await page.goto(`${server.url}/organise`);
  await signInOnPhone(page);
  await page.locator("li.report-item").first().waitFor();
  await page.getByLabel("Kind").selectOption("help_offered");
  await page.getByText("A real checkpoint by the example school").waitFor({ state: "detached" });
  const items = page.locator("li.report-item");
  await page.waitForFunction(() => document.querySelectorAll("li.report-item").length === 50);
  assert.equal(await page.getByRole("button", { name: "Show older reports" }).count(), 1, "ten more on the next page");
  // The listed reports on one map: the 50 areas (the real one, with none, is filtered out).
  await page.getByRole("button", { name: "The reports on a map" }).click();
  const areas = page.getByRole("img", { name: "The areas of 50 reports listed, each about as precise as the reporter chose." });
  await areas.waitFor();
  await page.waitForFunction(() => document.querySelectorAll(".map-small path.area-alert").length === 50);
  await page.screenshot({ path: screenshotPath("triage-reports-map") });
  await page.getByRole("button", { name: "The reports on a map" }).click();
  await page.getByRole("button", { name: "Select all shown" }).click();
  await page.screenshot({ path: screenshotPath("triage-bulk-selected") });
  await page.getByRole("button", { name: "Reject selected (50)" }).click();
  await page.getByText("50 reports rejected: they will not be published.").waitFor();
  assert.equal(await items.count(), 0);

  // The rest of the flood, beyond the pages loaded: everything of that kind in the last hour.
  await page.getByLabel("When").selectOption({ label: "Last hour" });
  await page.waitForFunction(() => document.querySelectorAll("li.report-item").length === 10);
  await page.getByRole("button", { name: "Reject all in this time…" }).click();
  await page.getByRole("button", { name: "Last hour · reject all of them" }).click();
  await page.getByText("10 reports rejected: they will not be published.").waitFor();
  await page.getByText("No reports here.").waitFor();
  await page.getByLabel("When").selectOption({ label: "Any time" });

  // The real report is still waiting, on the server and on the screen.
  const left = await receivedReports(server.url, cookie);
  assert.deepEqual(left.map((r) => r.kind), ["checkpoint"]);
  const rejected = await reportsWith(server.url, cookie, "rejected");
  assert.equal(rejected.length, 60);
  assert.ok(rejected.every((r) => r.kind === "help_offered"));
  await page.getByLabel("Kind").selectOption("");
  await page.getByText("A real checkpoint by the example school").waitFor();
  assert.equal(await items.count(), 1);
  // One at a time still works beside the selection: ticking one and unticking it leaves none.
  await page.getByLabel("Select", { exact: true }).check();
  assert.equal(await page.getByRole("button", { name: "Reject selected (1)" }).isEnabled(), true);
  await page.getByLabel("Select", { exact: true }).uncheck();
  assert.equal(await page.getByRole("button", { name: "Reject selected (0)" }).isDisabled(), true);
  assert.deepEqual(errors, []);
});

test("an invite link makes a new organiser on their own phone, and an admin's removal ends their open session", async (t) => {
  const { server, phone, page, errors } = await setUp(t);
  const other = await launchPhone();
  t.after(() => other.close());
  await page.goto(`${server.url}/organise`);
  await signInOnPhone(page);
  await page.getByText(`Signed in as ${ORGANISER.name}`).waitFor();
  await page.getByRole("button", { name: "Make an invite link" }).click();
  const link = await page.getByLabel("Invite link").inputValue();
  assert.match(link, new RegExp(`^${server.url}/join#[0-9a-f]{64}$`));

  // The new organiser's phone: the token leaves the address at once.
  const newcomer = await other.context.newPage();
  newcomer.on("pageerror", (e) => errors.push(e.message));
  await newcomer.goto(link);
  await newcomer.getByRole("heading", { name: "Join the organisers" }).waitFor();
  assert.equal(new URL(newcomer.url()).hash, "", "the token is out of the address");
  await newcomer.getByLabel("Name").fill("bea");
  await newcomer.getByLabel("Password").fill("too short");
  await newcomer.getByRole("button", { name: "Join", exact: true }).click();
  // The browser asks for 12 characters itself; past that check, the server's answer is shown
  // next to the field, and nothing typed is lost.
  await newcomer.getByLabel("Password").evaluate((input) => input.removeAttribute("minlength"));
  await newcomer.getByRole("button", { name: "Join", exact: true }).click();
  await newcomer.getByText("Use at least 12 characters.").waitFor();
  assert.equal(await newcomer.getByLabel("Name").inputValue(), "bea");
  await newcomer.getByLabel("Name").fill(ORGANISER.name);
  await newcomer.getByLabel("Password").fill("bea's own long password");
  await newcomer.getByRole("button", { name: "Join", exact: true }).click();
  await newcomer.getByText("Another organiser has this name: choose another.").waitFor();
  await newcomer.getByLabel("Name").fill("bea");
  await newcomer.getByLabel("Password").fill("bea's own long password");
  await newcomer.screenshot({ path: screenshotPath("join") });
  await newcomer.getByRole("button", { name: "Join", exact: true }).click();
  await newcomer.getByText("You are an organiser now: sign in with your name and password.").waitFor();
  await newcomer.getByRole("link", { name: "Sign in" }).click();
  await newcomer.getByLabel("Name").fill("bea");
  await newcomer.getByLabel("Password").fill("bea's own long password");
  await newcomer.getByRole("button", { name: "Sign in" }).click();
  await newcomer.getByText("Signed in as bea").waitFor();
  // bea is no admin: no one to remove from her phone.
  await newcomer.locator("ul.members li", { hasText: "ana" }).waitFor();
  assert.equal(await newcomer.getByRole("button", { name: "Remove" }).count(), 0);

  // The link worked once.
  const again = await other.context.newPage();
  await again.goto(link);
  await again.getByLabel("Name").fill("cai");
  await again.getByLabel("Password").fill("cai's own long password");
  await again.getByRole("button", { name: "Join", exact: true }).click();
  await again.getByText("This invite link has been used or is more than a day old: ask for a new one.").waitFor();
  await again.close();

  // ana, the first account, is the admin: she removes bea, after a second tap.
  await page.reload();
  const bea = page.locator("ul.members li", { hasText: "bea" });
  await bea.getByRole("button", { name: "Remove" }).click();
  await bea.getByText("Remove bea? Their sessions end at once.").waitFor();
  await page.screenshot({ path: screenshotPath("team-remove"), fullPage: true });
  await bea.getByRole("button", { name: "Remove" }).click();
  await page.getByText("bea removed: signed out everywhere.").waitFor();
  await page.locator("ul.members li", { hasText: "bea" }).waitFor({ state: "detached" });

  // The audit trail, readable on the phone: who invited, who joined, who removed whom.
  await page.getByRole("button", { name: "Show the latest 50" }).click();
  const trail = page.locator("ol.audit-lines li");
  await trail.first().waitFor();
  await trail.last().scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath("audit") });
  const lines = await trail.allInnerTexts();
  for (const line of [/ana made an invite link$/, /ana brought in bea$/, /ana removed bea$/]) {
    assert.ok(lines.some((l) => line.test(l)), `${line} in ${JSON.stringify(lines)}`);
  }

  // bea's open session is over: the server answers 401, and her phone asks her to sign in.
  const status = await newcomer.evaluate(async () => (await fetch("/api/v1/reports")).status);
  assert.equal(status, 401);
  await newcomer.getByRole("button", { name: "Refresh" }).click();
  await newcomer.getByText("Your session has ended: sign in again.").waitFor();
  assert.deepEqual(errors, []);
});

test("an organiser sees where they are signed in, by when each phone was last used, and signs another out", async (t) => {
  const { server, page, errors } = await setUp(t);
  // Another phone's session, used once.
  const other = await signIn(server.url);
  assert.equal((await fetch(`${server.url}/api/v1/session`, { headers: { cookie: other } })).status, 200);

  await page.goto(`${server.url}/organise`);
  await signInOnPhone(page);
  const sessions = page.locator("section.team", { hasText: "Where you are signed in" });
  await sessions.getByText("This phone").waitFor();
  await sessions.getByText("Another phone, used just now").waitFor();
  assert.equal(await sessions.locator("li").count(), 2);
  await sessions.screenshot({ path: screenshotPath("organise-sessions") });
  await sessions.getByRole("button", { name: "Sign out there" }).click();
  await sessions.getByText("Signed out there: that phone must sign in again.").waitFor();
  await page.waitForFunction(() =>
    [...document.querySelectorAll("section.team li")].filter((li) => li.textContent.includes("phone")).length === 1);
  assert.equal((await fetch(`${server.url}/api/v1/session`, { headers: { cookie: other } })).status, 401);
  // This phone is still signed in.
  await page.reload();
  await page.getByText(`Signed in as ${ORGANISER.name}`).waitFor();
  assert.deepEqual(errors, []);
});
