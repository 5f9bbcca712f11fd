// WCAG 2.2 AA, as axe-core (pinned in package.json) checks it: every screen, a neighbour's and an
// organiser's, in English, Spanish, Somali and Hmong, light and dark, and offline, with no violation
// at all.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";
import { ORGANISER, publicFeed, setUp } from "./harness.mjs";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const LANGS = ["en", "es", "so", "hmn"];

/** The first live public record of each kind, by the change feed. */
async function firstOfEach(url) {
  const first = {};
  for (const change of JSON.parse(await publicFeed(url))) {
    if (change.op === "upsert") first[change.record.kind] ??= change.record.data.id;
  }
  return first;
}

/** Every violation on the page as it is now: "rule: element, element". */
async function violations(page) {
  await page.evaluate(AXE);
  const found = await page.evaluate((tags) => axe.run(document, { runOnly: { type: "tag", values: tags } }), TAGS);
  return found.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

test("every screen has no WCAG 2.2 AA violation that axe-core finds, in four languages, light and dark", async (t) => {
  const { server, page, errors } = await setUp(t);
  const ids = await firstOfEach(server.url);
  const neighbour = [
    "/events",
    `/events/${ids.event}`,
    "/resources",
    `/resources/${ids.resource}`,
    "/map",
    "/alerts",
    "/report",
    "/rights",
    `/rights/${ids.card}`,
    "/organise",
    "/join#0000",
    "/no-such-screen",
  ];
  const organiser = ["/organise", `/organise/events/${ids.event}`, `/organise/resources/${ids.resource}`, "/organise/cards/new"];

  const found = [];
  const check = async (screens, lang, scheme) => {
    await page.emulateMedia({ colorScheme: scheme });
    for (const path of screens) {
      await page.goto(`${server.url}${path}`);
      await page.locator("h1").first().waitFor({ timeout: 10_000 }).catch(() => found.push(`${lang} ${scheme} ${path}: no heading shown`));
      if (path === "/map") await page.locator(".leaflet-marker-icon, .map-note").first().waitFor();
      for (const v of await violations(page)) found.push(`${lang} ${scheme} ${path}: ${v}`);
    }
  };

  await page.goto(`${server.url}/events`);
  for (const lang of LANGS) {
    await page.locator("header.top select.lang").selectOption(lang);
    for (const scheme of ["light", "dark"]) await check(neighbour, lang, scheme);
  }

  // Offline, the screens come from the phone; the map shows what it kept.
  await page.locator("header.top select.lang").selectOption("en");
  await page.context().setOffline(true);
  for (const scheme of ["light", "dark"]) await check(["/events", "/map", "/report"], "en offline", scheme);
  await page.context().setOffline(false);

  await page.goto(`${server.url}/organise`);
  await page.getByLabel("Name").fill(ORGANISER.name);
  await page.getByLabel("Password").fill(ORGANISER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText(`Signed in as ${ORGANISER.name}`).waitFor();
  for (const lang of LANGS) {
    await page.locator("header.top select.lang").selectOption(lang);
    for (const scheme of ["light", "dark"]) await check(organiser, lang, scheme);
  }

  assert.deepEqual(found, []);
  assert.deepEqual(errors, []);
});
