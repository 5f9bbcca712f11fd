// The alert lifecycle on two phones and an organiser: an organiser updates an alert from the
// Alerts screen (with its text in Spanish too) and both phones show the new text; takes it down
// as a false alarm and both phones show "All clear" instead, until an hour later by the page's
// clock; resolving a report takes its alert down as "over".
import assert from "node:assert/strict";
import { test } from "node:test";
import { ORGANISER, launchPhone, publicFeed, receivedReports, report, screenshotPath, setUp, signIn, verifyReport } from "./harness.mjs";

test("an alert is updated, taken down as a false alarm, and resolved, on two phones at once", async (t) => {
  const { server, page, errors } = await setUp(t);
  const second = await launchPhone();
  t.after(() => second.close());
  const other = await second.context.newPage();
  const otherErrors = [];
  other.on("pageerror", (e) => otherErrors.push(e.message));

  await page.goto(`${server.url}/alerts`);
  await page.getByText("Updated just now").waitFor();
  await report(page, "Checkpoint", "Reporter's words about a checkpoint", "Lake St & 14th Ave");
  await report(page, "Help needed", "Reporter's words asking for help", "Main St & 2nd Ave");
  const cookie = await signIn(server.url);
  const inbox = await receivedReports(server.url, cookie);
  const publish = async (words, summary) => {
    const res = await verifyReport(server.url, cookie, inbox.find((r) => r.description === words), summary, 120);
    assert.equal(res.status, 201, await res.text());
  };
  await publish("Reporter's words about a checkpoint", "Example checkpoint at Lake St");

  // The second phone reads Spanish.
  await other.goto(`${server.url}/alerts`);
  await other.locator("select.lang").selectOption("es");
  await other.getByText("Example checkpoint at Lake St").waitFor();

  // The organiser signs in on the first phone and updates the checkpoint from the Alerts screen.
  await page.goto(`${server.url}/organise`);
  await page.getByLabel("Name").fill(ORGANISER.name);
  await page.getByLabel("Password").fill(ORGANISER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText(`Signed in as ${ORGANISER.name}`).waitFor();
  await page.locator('nav.tabs a[href="/alerts"]').click();
  const checkpoint = page.locator("li.alert", { hasText: "Example checkpoint at Lake St" });
  await checkpoint.getByRole("button", { name: "Update…" }).click();
  await checkpoint.getByLabel("Alert text, as the public will see it").fill("Example checkpoint moved to the bridge");
  await checkpoint.getByText("The text in other languages").click();
  await checkpoint.getByLabel("Español").fill("Ejemplo: el control se movió al puente");
  await checkpoint.getByRole("button", { name: "for 1 h" }).click();
  // Another alert arriving live leaves the open form as it is.
  await publish("Reporter's words asking for help", "Example family needs a ride");
  await page.locator("li.alert h2", { hasText: "Example family needs a ride" }).waitFor({ timeout: 15_000 });
  assert.equal(await checkpoint.getByLabel("Alert text, as the public will see it").inputValue(),
    "Example checkpoint moved to the bridge");
  await page.screenshot({ path: screenshotPath("alert-update"), fullPage: true });
  await checkpoint.getByRole("button", { name: "Save alert" }).click();
  await page.getByText("Alert updated.", { exact: false }).waitFor();

  // Both phones show the new version, untouched: each in its language.
  await page.locator("li.alert h2", { hasText: "Example checkpoint moved to the bridge" }).waitFor({ timeout: 15_000 });
  await other.locator("li.alert h2", { hasText: "Ejemplo: el control se movió al puente" }).waitFor({ timeout: 15_000 });
  assert.equal(await other.getByText("Example checkpoint at Lake St").count(), 0);

  // Taken down as a false alarm: its text leaves both phones, "All clear" takes its place.
  const updated = page.locator("li.alert", { hasText: "Example checkpoint moved to the bridge" });
  await updated.getByRole("button", { name: "Take down…" }).click();
  await updated.getByRole("button", { name: "False alarm" }).click();
  await page.locator("li.alert.clear", { hasText: "Checkpoint: it was a false alarm." }).waitFor({ timeout: 15_000 });
  await other.locator("li.alert.clear", { hasText: "fue una falsa alarma" }).waitFor({ timeout: 15_000 });
  assert.equal(await other.getByText("Ejemplo: el control se movió al puente").count(), 0);
  assert.ok(!(await publicFeed(server.url)).includes("moved to the bridge"), "the text is gone from the server too");
  assert.equal((await other.locator('nav.tabs a[href="/alerts"] .badge').textContent()).trim(), "1",
    "an all clear is not an alert");
  await page.screenshot({ path: screenshotPath("alert-all-clear"), fullPage: true });
  await other.screenshot({ path: screenshotPath("alert-all-clear-es"), fullPage: true });

  // Resolving the other report takes its alert down as over.
  const ride = inbox.find((r) => r.description === "Reporter's words asking for help");
  const resolved = await fetch(`${server.url}/api/v1/reports/${ride.id}/resolve`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: "{}",
  });
  assert.equal(resolved.status, 200);
  await other.locator("li.alert.clear", { hasText: "ya terminó" }).waitFor({ timeout: 15_000 });
  assert.equal(await other.getByText("Example family needs a ride").count(), 0);

  // An hour later by the page's clock, the all clears are gone too.
  await other.clock.install();
  await other.clock.fastForward(61 * 60 * 1000);
  await other.waitForFunction(() => document.querySelectorAll("li.alert").length === 0, null, { timeout: 45_000 });
  assert.deepEqual(errors, []);
  assert.deepEqual(otherErrors, []);
});
