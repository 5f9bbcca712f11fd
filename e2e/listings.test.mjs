// Listings from an organiser's phone: a new event with its date, time (in the event's own time
// zone) and point reaches another phone's list and map; a copy is made and deleted; a resource's
// category and hours (past midnight) are edited, and a bad field is refused next to itself with
// nothing typed lost.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ORGANISER, launchPhone, publicFeed, screenshotPath, setUp, signIn } from "./harness.mjs";

/** The live public records of a kind, by the change feed (the latest version of each). */
async function records(url, kind) {
  const latest = new Map();
  for (const change of JSON.parse(await publicFeed(url))) {
    if (change.op === "upsert" && change.record.kind === kind) latest.set(change.record.data.id, change.record.data);
    if (change.op === "delete") latest.delete(change.id);
  }
  return [...latest.values()];
}

async function signInOnPhone(page, url) {
  await page.goto(`${url}/organise`);
  await page.getByLabel("Name").fill(ORGANISER.name);
  await page.getByLabel("Password").fill(ORGANISER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText(`Signed in as ${ORGANISER.name}`).waitFor();
}

/** Waits up to 10 s for `check` to hold. */
async function until(check, what) {
  for (const end = Date.now() + 10_000; Date.now() < end; ) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(what);
}

/** A calendar day `days` from now, as YYYY-MM-DD. */
function dayFromNow(days) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

test("a new event with its date, time and point reaches another phone's list and map; a copy is made and deleted", async (t) => {
  const { server, page, errors } = await setUp(t);
  const second = await launchPhone();
  t.after(() => second.close());
  const other = await second.context.newPage();
  const otherErrors = [];
  other.on("pageerror", (e) => otherErrors.push(e.message));
  await other.goto(`${server.url}/events`);
  await other.getByText("Updated just now").waitFor();

  await signInOnPhone(page, server.url);
  await page.getByRole("link", { name: "New event" }).click();
  await page.getByRole("heading", { name: "New listing" }).waitFor();
  const title = "Example know-your-rights night";
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Kind of event").selectOption("training");
  // The zone first: the times are typed in it.
  await page.getByLabel("Time zone").fill("America/Chicago");
  const day = dayFromNow(7);
  await page.getByLabel("Starts").fill(`${day}T18:30`);
  await page.getByLabel("Description", { exact: true }).fill("Example: what to do at the door, with interpreters.");
  await page.getByLabel("Place", { exact: true }).fill("Example Community Hall");
  await page.getByLabel("Address").fill("100 Example Ave");
  await page.getByLabel("Latitude").fill("44.9601");
  // East of every demo place, so the map draws it alone rather than in a group.
  await page.getByLabel("Longitude").fill("-93.1502");
  await page.getByLabel("Organised by").fill("Example Network");
  await page.getByRole("button", { name: "Spanish" }).click();
  await page.getByLabel("Links").fill("https://example.org/kyr-night\n");
  await page.screenshot({ path: screenshotPath("listing-new-event"), fullPage: true });
  await page.getByRole("button", { name: "Create" }).click();
  await page.getByText("Created. Phones get it at their next update.").waitFor();

  // The server has it as typed: 18:30 in Chicago is 00:30 UTC the next day (CST, UTC-6).
  const made = (await records(server.url, "event")).find((e) => e.title === title);
  assert.ok(made, "the event is in the public feed");
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  assert.equal(made.starts_at, `${next}T00:30:00Z`);
  assert.equal(made.time_zone, "America/Chicago");
  assert.equal(made.kind, "training");
  assert.deepEqual(made.languages, ["en", "es"]);
  assert.deepEqual([made.place.lat, made.place.lon], [44.9601, -93.1502]);
  assert.equal(made.ends_at, null);
  assert.deepEqual(made.links, ["https://example.org/kyr-night"]);

  // The other phone shows it in its list, at its own time in Chicago, and on its map.
  const heading = other.getByRole("heading", { name: title });
  await heading.waitFor({ timeout: 30_000 });
  await heading.click();
  await other.getByText(/6:30\sPM/).first().waitFor();
  await other.locator('nav.tabs a[href="/map"]').click();
  await other.getByRole("searchbox").fill("know-your-rights night");
  await other.locator(`.leaflet-marker-icon[aria-label="Event: ${title}"]`).waitFor({ timeout: 60_000 });
  await other.screenshot({ path: screenshotPath("listing-new-event-map") });

  // A copy for next month, then deleted: only the original stays.
  await page.getByRole("link", { name: "Duplicate" }).click();
  await page.getByText("A copy: change what differs, then create it.").waitFor();
  assert.equal(await page.getByLabel("Title", { exact: true }).inputValue(), title);
  await page.getByLabel("Title", { exact: true }).fill(`${title} (January)`);
  await page.getByRole("button", { name: "Create" }).click();
  await page.getByText("Created. Phones get it at their next update.").waitFor();
  const copy = (await records(server.url, "event")).find((e) => e.title === `${title} (January)`);
  assert.ok(copy && copy.id !== made.id, "the copy is a listing of its own");
  assert.deepEqual(copy.place, made.place);
  await page.getByRole("button", { name: "Delete…" }).click();
  await page.getByRole("button", { name: "Delete for everyone" }).click();
  await page.getByRole("heading", { level: 1, name: "Upcoming events" }).waitFor();
  const left = (await records(server.url, "event")).filter((e) => e.title.startsWith(title));
  assert.deepEqual(left.map((e) => e.id), [made.id]);
  assert.deepEqual(errors, []);
  assert.deepEqual(otherErrors, []);
});

test("a resource's category and hours past midnight are edited; a bad field is refused next to itself, losing nothing", async (t) => {
  const { server, page, errors } = await setUp(t);
  // A resource with a place, and not already food.
  const { id } = (await records(server.url, "resource")).find((r) => r.place && r.category !== "food");
  await signInOnPhone(page, server.url);
  await page.goto(`${server.url}/resources/${id}`);
  await page.getByRole("link", { name: "Edit" }).click();
  await page.getByLabel("Category").selectOption("food");

  // Sunday night, 20:00 until 02:00 on Monday.
  const rows = page.locator(".hours-row");
  const before = await rows.count();
  await page.getByRole("button", { name: "Add opening hours" }).click();
  const row = rows.nth(before);
  await row.getByRole("combobox").selectOption("7");
  await row.getByLabel("Opens").fill("20:00");
  await row.getByLabel("Closes").fill("02:00");
  await row.getByText("closes the next day").waitFor();

  // The point on a map: the pin is dragged east, then the map tapped north of it.
  const latitudeNow = async () => Number(await page.getByLabel("Latitude").inputValue());
  const longitudeNow = async () => Number(await page.getByLabel("Longitude").inputValue());
  const [lat0, lon0] = [await latitudeNow(), await longitudeNow()];
  await page.getByRole("button", { name: "Set the point on a map" }).click();
  const pin = page.locator(".map-picker .pin-point");
  await pin.waitFor();
  const box = await pin.boundingBox();
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 30, y, { steps: 5 });
  await page.mouse.move(x + 60, y, { steps: 5 });
  await page.mouse.up();
  await until(async () => (await longitudeNow()) > lon0, "dragging the pin east moves the longitude");
  assert.ok(Math.abs((await latitudeNow()) - lat0) < 0.001, "and leaves the latitude");
  const lon1 = await longitudeNow();
  const picker = page.locator(".map-picker");
  const area = await picker.boundingBox();
  await page.mouse.click(x + 60, area.y + 20);
  await until(async () => (await latitudeNow()) > lat0, "a tap north of the pin moves it there");
  assert.ok(Math.abs((await longitudeNow()) - lon1) < 0.0005);
  await page.screenshot({ path: screenshotPath("listing-point-picker"), fullPage: false });

  // A latitude off the globe: refused under the field, with the rest as typed.
  await page.getByLabel("Latitude").fill("95");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByText("Some fields need a change: see the notes under them.").waitFor();
  // The first field to change has the focus.
  await page.waitForFunction(() => document.activeElement?.getAttribute("aria-invalid") === "true");
  const latitude = page.locator("label.field", { hasText: "Latitude" });
  await latitude.locator("small.problem").waitFor();
  assert.equal(await latitude.locator("input").getAttribute("aria-invalid"), "true");
  assert.equal(await page.locator("small.problem").count(), 1, "only the latitude is marked");
  assert.equal(await row.getByLabel("Closes").inputValue(), "02:00", "the hours typed are kept");
  assert.equal(await page.getByLabel("Category").inputValue(), "food");
  await page.screenshot({ path: screenshotPath("listing-field-problem"), fullPage: true });

  await page.getByLabel("Latitude").fill("44.97");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByText("Saved. Phones get it at their next update.").waitFor();
  assert.equal(await page.locator("small.problem").count(), 0);
  const saved = (await records(server.url, "resource")).find((r) => r.id === id);
  assert.equal(saved.category, "food");
  assert.equal(saved.place.lat, 44.97);
  assert.equal(saved.place.lon, await longitudeNow(), "the longitude from the map");
  assert.deepEqual(saved.opening_hours.at(-1), { weekday: 7, opens: "20:00", closes: "02:00" });
  assert.equal(saved.opening_hours.length, before + 1);
  assert.deepEqual(errors, []);
});

test("edits made offline wait on the phone, survive closing the app, and are sent once on reconnect; one that crossed another's is settled in the conflict view", async (t) => {
  const { server, phone, page, errors } = await setUp(t);
  const [first, second] = (await records(server.url, "resource")).slice(0, 2);
  await signInOnPhone(page, server.url);
  // Controlled by the service worker (with every chunk kept), so the app opens offline.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

  // Offline, two edits are saved on the phone.
  await page.goto(`${server.url}/organise/resources/${first.id}`);
  await page.getByLabel("Description", { exact: true }).waitFor();
  await phone.context.setOffline(true);
  await page.getByLabel("Description", { exact: true }).fill("Example: edited with no connection");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByText("Saved on this phone: it is sent when the phone is online.").waitFor();
  await page.goto(`${server.url}/organise/resources/${second.id}`);
  await page.getByLabel("Name", { exact: true }).fill("Example name from the phone");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByText("Saved on this phone: it is sent when the phone is online.").waitFor();

  // Meanwhile another organiser renames the second one.
  const cookie = await signIn(server.url);
  const res = await fetch(`${server.url}/api/v1/resources/${second.id}`, {
    method: "PUT",
    headers: { cookie, "content-type": "application/json", "if-match": `"${second.version}"` },
    body: JSON.stringify({ ...second, name: "Example name from the office" }),
  });
  assert.equal(res.status, 200, await res.text());

  // The app is closed and opened again, still offline: both wait.
  await page.close();
  const again = await phone.context.newPage();
  again.on("pageerror", (e) => errors.push(e.message));
  await again.goto(`${server.url}/organise`);
  const waiting = again.locator("section.waiting-edits li");
  await waiting.first().waitFor();
  assert.deepEqual((await waiting.allTextContents()).sort(), [
    `${first.name} · Sent when online`,
    "Example name from the phone · Sent when online",
  ].sort());
  await again.screenshot({ path: screenshotPath("listing-waiting-offline"), fullPage: true });

  // Back online: the first is sent once; the second waits for the organiser's choice.
  await phone.context.setOffline(false);
  await waiting.filter({ hasText: "Someone else changed it too: open it to choose" }).waitFor({ timeout: 30_000 });
  await again.waitForFunction(() => document.querySelectorAll("section.waiting-edits li").length === 1);
  const sent = (await records(server.url, "resource")).find((r) => r.id === first.id);
  assert.equal(sent.description, "Example: edited with no connection");
  assert.equal(sent.version, first.version + 1, "sent once");
  assert.deepEqual(sent.opening_hours, first.opening_hours, "hours left alone stay as they were (24:00 too)");

  await waiting.getByRole("link").click();
  const conflict = again.locator("section.conflict");
  await conflict.waitFor();
  const versions = await conflict.locator(".versions").first().locator("p").allTextContents();
  assert.deepEqual(versions, ["Your editExample name from the phone", "Now on the serverExample name from the office"]);
  await conflict.getByRole("button", { name: "Keep my edit" }).click();
  await again.getByText("Saved. Phones get it at their next update.").waitFor();
  const kept = (await records(server.url, "resource")).find((r) => r.id === second.id);
  assert.equal(kept.name, "Example name from the phone");
  assert.equal(kept.version, second.version + 2);
  await again.locator('nav.tabs a[href="/organise"]').click();
  await again.getByText(`Signed in as ${ORGANISER.name}`).waitFor();
  assert.equal(await again.locator("section.waiting-edits").count(), 0, "nothing waits any more");

  // A change kept offline can be let go: it is never sent.
  await phone.context.setOffline(true);
  await again.goto(`${server.url}/organise/resources/${first.id}`);
  await again.getByLabel("Description", { exact: true }).fill("Example: a change thought better of");
  await again.getByRole("button", { name: "Save", exact: true }).click();
  await again.getByText("Saved on this phone: it is sent when the phone is online.").waitFor();
  await again.getByRole("button", { name: "Forget this change" }).click();
  await again.getByText(`Signed in as ${ORGANISER.name}`).waitFor();
  assert.equal(await again.locator("section.waiting-edits").count(), 0);
  await phone.context.setOffline(false);
  await again.evaluate(() => window.dispatchEvent(new Event("online")));
  await again.waitForTimeout(1000);
  const untouched = (await records(server.url, "resource")).find((r) => r.id === first.id);
  assert.equal(untouched.version, sent.version, "nothing was sent");
  assert.deepEqual(errors, []);
});
