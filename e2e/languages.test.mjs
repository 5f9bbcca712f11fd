// Every language and every text size: search with the words neighbours use, Somali and Hmong
// dates from the app's own table, large text and narrow screens without sideways scrolling, and
// the title and focus following each move, in English, Spanish, Somali and Hmong. The texts
// expected come from the translators' files (locales/*.ftl), so a change there shows up here.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ORGANISER, launchPhone, screenshotPath, setUp, words } from "./harness.mjs";

const LANGS = ["en", "es", "so", "hmn"];

/** Everyday words, and the category each must find (its name in that language). */
const SEARCHES = {
  en: [["lawyer", "cat-legal-aid"], ["groceries", "cat-food"]],
  es: [["comida", "cat-food"], ["abogado", "cat-legal-aid"], ["salud", "cat-medical"], ["ayuda legal", "cat-legal-aid"]],
  so: [["cunto", "cat-food"], ["sharci", "cat-legal-aid"]],
  hmn: [["zaub mov", "cat-food"], ["kws lij choj", "cat-legal-aid"]],
};

async function choose(page, lang) {
  await page.locator("header.top select.lang").selectOption(lang);
  await page.waitForFunction((lang) => document.documentElement.lang === lang, lang);
}

/** The number in the list's "{ $n } found" line, in the language `lang`. */
async function shownCount(page, lang) {
  const [before, after] = words(lang).results.split("{ $n }");
  const text = (await page.locator("main p.count").textContent()).trim();
  assert.ok(text.startsWith(before) && text.endsWith(after), `"${text}" is the count line of ${lang}`);
  return Number(text.slice(before.length, text.length - after.length).replace(/\D/g, ""));
}

test("searching with the words neighbours use finds the listings, in every language", async (t) => {
  const { server, page, errors } = await setUp(t);
  await page.goto(`${server.url}/resources`);
  await page.locator("li.resource").first().waitFor();
  const search = page.locator('main input[type="search"]');
  const spanish = { en: "Spanish", es: "español", so: "Isbaanish", hmn: "lus Mev" };
  for (const lang of LANGS) {
    await choose(page, lang);
    // The language filter names each language in the interface language, in its sort order.
    const names = (await page.locator("main .toggles select option").allTextContents()).slice(1);
    assert.ok(names.includes(spanish[lang]), `${lang}: ${names}`);
    assert.ok(!names.some((name) => /^[a-z]{2,3}$/.test(name)), `${lang}: a bare code in ${names}`);
    const sorted = await page.evaluate(([names, lang]) => [...names].sort(new Intl.Collator(lang).compare), [names, lang]);
    assert.deepEqual(names, sorted, `${lang}: sorted`);
    const all = await shownCount(page, lang);
    for (const [query, category] of SEARCHES[lang]) {
      await search.fill(query);
      await page.waitForFunction(
        ([all, before]) => {
          const line = document.querySelector("main p.count")?.textContent ?? "";
          return line.startsWith(before) && !line.includes(String(all));
        },
        [all, words(lang).results.split("{ $n }")[0]],
      );
      const found = await shownCount(page, lang);
      assert.ok(found > 0 && found < all, `${lang} "${query}": ${found} of ${all}`);
      const kinds = await page.locator("li.resource .kind").allTextContents();
      assert.ok(
        kinds.some((kind) => kind.trim() === words(lang)[category]),
        `${lang} "${query}" finds ${words(lang)[category]}: ${kinds}`,
      );
    }
    await search.fill("");
  }
  assert.deepEqual(errors, []);
});

test("Somali and Hmong events show their dates in Somali and Hmong, from the app's own table", async (t) => {
  const { server, page, errors } = await setUp(t);
  await page.goto(`${server.url}/events`);
  await page.locator("li.event").first().waitFor();
  const english = words("en");
  const englishMonths = Array.from({ length: 12 }, (_, i) => english[`month-${i + 1}`]);
  for (const lang of ["so", "hmn"]) {
    const w = words(lang);
    await choose(page, lang);
    const months = Array.from({ length: 12 }, (_, i) => w[`month-${i + 1}`]);
    const weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].map((d) => w[d]);
    // Day headings past tomorrow: the weekday and month of the language, no English.
    const headings = (await page.locator("main h2").allTextContents()).map((h) => h.trim());
    const dated = headings.filter((h) => h !== w.today && h !== w.tomorrow);
    assert.ok(dated.length > 0, `${lang}: ${headings}`);
    for (const heading of dated) {
      assert.ok(weekdays.some((d) => heading.startsWith(d)), `${lang} heading "${heading}" starts with a weekday`);
      assert.ok(months.some((m) => heading.includes(m)), `${lang} heading "${heading}" names a month`);
      assert.ok(!englishMonths.some((m) => heading.includes(m)), `${lang} heading "${heading}" has no English month`);
    }
    // An event's own page: weekday, month and the clock's marks of the language.
    await page.locator("li.event a").first().click();
    const when = (await page.locator("article.detail p.when").first().textContent()).trim();
    assert.ok(weekdays.some((d) => when.startsWith(d)), `${lang}: "${when}"`);
    assert.ok(months.some((m) => when.includes(m)), `${lang}: "${when}"`);
    assert.ok(when.includes(w["date-am"]) || when.includes(w["date-pm"]), `${lang}: "${when}"`);
    assert.ok(!englishMonths.some((m) => when.includes(m)), `${lang}: "${when}"`);
    await page.screenshot({ path: screenshotPath(`event-detail-${lang}`) });
    await page.goBack();
    await page.locator("li.event").first().waitFor();
  }
  assert.deepEqual(errors, []);
});

/** What does not fit: sideways scrolling, Exit off screen or spilling, a label broken in a word. */
function misfits() {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) problems.push(`the page is ${root.scrollWidth} px wide`);
  const exit = document.querySelector("header.top button.exit");
  const box = exit.getBoundingClientRect();
  if (box.left < 0 || box.right > root.clientWidth || box.top < 0 || box.height === 0) {
    problems.push(`Exit is at ${Math.round(box.left)}..${Math.round(box.right)}`);
  }
  if (exit.scrollWidth > exit.clientWidth) problems.push("Exit's label spills out of it");
  for (const label of document.querySelectorAll("nav.tabs a, header.top button, main button, main .chip")) {
    const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) problems.push(`"${word[0]}" breaks inside the word`);
      }
    }
  }
  return problems;
}

test("at 200% text and on a 320 px screen nothing scrolls sideways, Exit stays whole on screen, and no label breaks inside a word", async (t) => {
  const { server, page, errors } = await setUp(t);
  await page.goto(`${server.url}/events`);
  await page.locator("li.event").first().waitFor();
  const sizes = [
    { width: 390, text: "200%" },
    { width: 320, text: "100%" },
    { width: 320, text: "150%" },
  ];
  const problems = [];
  for (const lang of LANGS) {
    await choose(page, lang);
    for (const { width, text } of sizes) {
      await page.setViewportSize({ width, height: 844 });
      await page.evaluate((size) => (document.documentElement.style.fontSize = size), text);
      const visit = async (link, path) => {
        await link.click();
        await page.waitForURL((url) => url.pathname === path);
        await page.locator("main h1").first().waitFor();
        for (const problem of await page.evaluate(misfits)) problems.push(`${lang} ${width} px ${text} ${path}: ${problem}`);
      };
      // Alerts last: its page links to the report form.
      for (const tab of ["/resources", "/rights", "/map", "/events", "/alerts"]) {
        await visit(page.locator(`nav.tabs a[href="${tab}"]`), tab);
      }
      await visit(page.locator('main a[href="/report"]').first(), "/report");
      if (text === "200%") {
        await visit(page.locator('nav.tabs a[href="/events"]'), "/events");
        await page.screenshot({ path: screenshotPath(`text-200-${lang}`) });
      }
    }
  }
  assert.deepEqual(problems, []);
  assert.deepEqual(errors, []);
});

test("the title and the focus follow every move, in every language", async (t) => {
  const { server, page, errors } = await setUp(t);
  await page.goto(`${server.url}/events`);
  await page.locator("li.event").first().waitFor();
  const focused = () => page.evaluate(() => document.activeElement.matches("main h1") && document.activeElement.textContent.trim());
  for (const lang of LANGS) {
    await choose(page, lang);
    for (const [tab, key] of [["/resources", "resources-title"], ["/rights", "rights-title"], ["/events", "events-title"]]) {
      await page.locator(`nav.tabs a[href="${tab}"]`).click();
      await page.waitForFunction(() => document.activeElement.matches("main h1"));
      const heading = await focused();
      assert.equal(heading, words(lang)[key], `${lang} ${tab}`);
      assert.equal(await page.title(), `${heading} · Vecinos`, `${lang} ${tab}`);
    }
    const first = page.locator("li.event a").first();
    const name = (await first.locator("h3, h2").first().textContent()).trim();
    await first.click();
    await page.waitForFunction((name) => document.title === `${name} · Vecinos`, name);
    assert.equal(await focused(), name, `${lang}: the event's page`);
    await page.goBack();
    await page.locator("li.event").first().waitFor();
  }
  assert.deepEqual(errors, []);
});

test("a listing written in several languages shows the phone's language, else its own and says which; an organiser adds a language", async (t) => {
  const { server, page, errors } = await setUp(t);
  await page.goto(`${server.url}/events`);
  await page.locator("li.event").first().waitFor();
  const writtenIn = (lang, name) => words(lang)["written-in"].replace("{ $language }", name);

  // Spanish: the organisers' Spanish title and description, nothing else to say.
  await choose(page, "es");
  // The first of the two: the other is an event written in Spanish to begin with.
  const spanish = page.locator('li.event h3[lang="es"]', { hasText: "Taller: conozca sus derechos" }).first();
  await spanish.waitFor();
  await spanish.click();
  await page.locator('main h1[lang="es"]', { hasText: "Taller: conozca sus derechos" }).waitFor();
  await page.locator('main p.body[lang="es"]', { hasText: "Aprenda qué decir" }).waitFor();
  await page.screenshot({ path: screenshotPath("event-translated-es") });
  assert.equal(await page.locator("main .written-in").count(), 0);
  // A title in Spanish over a description only in English: it says the text is in English.
  await page.goBack();
  await page.locator("li.event h3", { hasText: "Observación de la corte" }).click();
  await page.locator("main .written-in", { hasText: writtenIn("es", "inglés") }).waitFor();
  await page.locator('main p.body[lang="en"]').waitFor();

  // Somali: the Somali title; the description stays English and says so.
  await choose(page, "so");
  await page.goto(`${server.url}/events`);
  await page.locator('li.event h3[lang="so"]', { hasText: "Tababar: ogow xuquuqdaada" }).first().click();
  await page.locator("main .written-in", { hasText: writtenIn("so", "Ingiriisi") }).waitFor();
  await page.screenshot({ path: screenshotPath("event-translated-so") });

  // Search finds a listing by its translation, whatever the phone shows.
  await choose(page, "en");
  await page.goto(`${server.url}/resources`);
  await page.locator('main input[type="search"]').fill("entrega de comida");
  await page.locator("li.resource h2", { hasText: "Grocery delivery for families staying home" }).waitFor();

  // An organiser gives the legal clinic its Somali name; a Somali phone shows it.
  await page.goto(`${server.url}/organise`);
  await page.getByLabel("Name").fill(ORGANISER.name);
  await page.getByLabel("Password").fill(ORGANISER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText(`Signed in as ${ORGANISER.name}`).waitFor();
  await page.goto(`${server.url}/resources`);
  await page.locator('main input[type="search"]').fill("free immigration legal clinic");
  await page.locator("li.resource h2", { hasText: "Free immigration legal clinic" }).click();
  await page.getByRole("link", { name: "Edit" }).click();
  await page.getByRole("heading", { name: "Other languages" }).waitFor();
  // The listing's own language (English, its first) has no translation fields.
  assert.equal(await page.getByLabel("Name in English").isVisible(), false);
  await page.getByLabel("Name in Somali").fill("Rug sharci oo bilaash ah (tusaale)");
  await page.getByRole("heading", { name: "Other languages" }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath("listing-edit-translations") });
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByText("Saved. Phones get it at their next update.").waitFor();

  const phone = await launchPhone();
  t.after(() => phone.close());
  const somali = await phone.context.newPage();
  await somali.goto(`${server.url}/resources`);
  await somali.locator("header.top select.lang").selectOption("so");
  await somali.locator('main input[type="search"]').fill("rug sharci");
  await somali.locator('li.resource h2[lang="so"]', { hasText: "Rug sharci oo bilaash ah (tusaale)" }).waitFor();
  assert.deepEqual(errors, []);
});
