// Alerts: a report reaches the public only as an alert an organiser verified, in the organiser's
// words; the phone shows it with a badge, and drops it at its expiry time on its own, offline.
import assert from "node:assert/strict";
import { test } from "node:test";
import { publicFeed, receivedReports, report, screenshotPath, setUp, signIn, verifyReport } from "./harness.mjs";

test("verified reports appear as alerts with a badge, and each leaves at its expiry, offline too", async (t) => {
  const { server, phone, page, errors } = await setUp(t);
  await page.goto(`${server.url}/alerts`);
  await page.getByText("Updated just now").waitFor();
  await page.getByText("No alerts right now.").waitFor();

  await report(page, "Checkpoint", "Reporter's own words about a checkpoint", "Lake St & 14th Ave");
  await report(page, "Help needed", "Reporter's own words asking for help", "Main St & 2nd Ave");

  // Received, not verified: nothing of them is public.
  const cookie = await signIn(server.url);
  const inbox = await receivedReports(server.url, cookie);
  assert.equal(inbox.length, 2);
  assert.ok(!(await publicFeed(server.url)).includes("Reporter's own words"), "unverified reports stay private");

  const verify = async (words, summary, ttl) => {
    const received = inbox.find((r) => r.description === words);
    const res = await verifyReport(server.url, cookie, received, summary, ttl);
    assert.equal(res.status, 201, `verified: ${await res.text()}`);
  };
  await verify("Reporter's own words about a checkpoint", "Example checkpoint reported at Lake St", 90);
  await verify("Reporter's own words asking for help", "Example family needs a ride", 1);
  const feed = await publicFeed(server.url);
  assert.ok(feed.includes("Example checkpoint reported at Lake St"));
  assert.ok(!feed.includes("Reporter's own words"), "the public sees the organiser's words only");

  // The phone's next pull brings both alerts; the tab shows how many are up.
  await page.goto(`${server.url}/alerts`);
  await page.getByText("Updated just now").waitFor();
  const cards = page.locator("li.alert h2");
  await cards.nth(1).waitFor();
  assert.deepEqual(await cards.allTextContents(), ["Example family needs a ride", "Example checkpoint reported at Lake St"],
    "newest first");
  assert.equal((await page.locator('nav.tabs a[href="/alerts"] .badge').textContent()).trim(), "2");
  assert.ok((await page.locator("li.alert").first().textContent()).includes("Main St & 2nd Ave"));
  await page.screenshot({ path: screenshotPath("alerts-two"), fullPage: true });

  // Offline, two minutes later: the one-minute alert is gone, the other stays. The page's clock
  // jumps ahead; the app notices at its next 30-second look at the time.
  await phone.context.setOffline(true);
  await page.getByText("Offline: showing what is saved on this phone").waitFor();
  await page.clock.install();
  await page.clock.fastForward("02:00");
  await page.waitForFunction(() => document.querySelectorAll("li.alert").length === 1, null, { timeout: 45_000 });
  assert.deepEqual(await cards.allTextContents(), ["Example checkpoint reported at Lake St"]);
  assert.equal((await page.locator('nav.tabs a[href="/alerts"] .badge').textContent()).trim(), "1");
  await page.screenshot({ path: screenshotPath("alerts-offline"), fullPage: true });
  assert.deepEqual(errors, []);
});
