// Moving between screens: the document's title is the screen's heading (a listing's own name on
// its page), in the chosen language, and after a move the focus is on that heading, where a screen
// reader starts reading; opening the app takes nobody's focus.
import assert from "node:assert/strict";
import { test } from "node:test";
import { setUp, words } from "./harness.mjs";

test("each screen names the document after its heading, and a move takes the focus to that heading", async (t) => {
  const { server, page, errors } = await setUp(t);
  await page.goto(`${server.url}/events`);
  await page.getByText("Updated just now").waitFor();
  await page.waitForFunction(() => document.title === "Upcoming events · Vecinos");
  // Opening the app takes nobody's focus.
  assert.equal(await page.evaluate(() => document.activeElement.tagName), "BODY");

  const focusedHeading = () => page.evaluate(() => document.activeElement.matches("main h1") && document.activeElement.textContent);
  await page.locator('nav.tabs a[href="/resources"]').click();
  await page.waitForFunction(() => document.activeElement.matches("main h1"));
  assert.equal(await page.title(), `${await focusedHeading()} · Vecinos`);
  // A listing's page is named after the listing.
  const first = page.locator("li.resource a").first();
  const name = (await first.locator("h2").textContent()).trim();
  await first.click();
  await page.waitForFunction((name) => document.title === `${name} · Vecinos`, name);
  assert.equal(await focusedHeading(), name);
  // Back, and in Spanish: the title follows the language too.
  await page.goBack();
  await page.waitForFunction(() => document.activeElement.matches("main h1"));
  await page.locator("select.lang").selectOption("es");
  await page.waitForFunction(() => document.title.endsWith(" · Vecinos") && document.title.startsWith("Recursos"));
  // The report screen comes from a chunk of its own: its heading is found when it is drawn.
  await page.locator('nav.tabs a[href="/alerts"]').click();
  await page.getByRole("link", { name: words("es")["report-title"] }).click();
  await page.waitForFunction(() => document.activeElement.matches("main h1") && document.title.startsWith(document.activeElement.textContent));
  assert.deepEqual(errors, []);
});
