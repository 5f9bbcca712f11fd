// Every screen, from the phone alone: after one visit online the server goes away, and every page
// still opens and shows the saved data, in English and Spanish, light and dark. Screenshots of each
// screen go to VECINOS_SCREENSHOTS for a person to look over.
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

const DEMO_EVENTS = 15;
const DEMO_RESOURCES = 40;

/** The interface texts the walk checks, per language (from src/i18n.rs). */
const TEXT = {
  en: {
    events: "Upcoming events",
    event: "Vigil for detained neighbours",
    eventBody: /Bring a candle/,
    resource: "Free immigration legal clinic",
    addToCalendar: "Add to calendar",
    share: "Share",
    back: "← Back",
    resources: "Resources",
    found: (n) => `${n} found`,
    tuesday: "Tuesday",
    monday: "Monday",
    closed: "Closed",
    lastVerified: "Last verified",
    rights: "Know your rights",
    otherLanguages: "Other languages",
    languageName: "English",
    source: "Source:",
    close: "Close",
    exit: "Exit",
    map: "Map",
    alerts: "Alerts",
    noAlerts: "No alerts right now.",
    reportTitle: "Report what you see",
    saveReport: "Save and send",
    mapFailed: "The map could not be loaded. The first time, it needs a connection; the lists work without one.",
    offline: "Offline: showing what is saved on this phone",
    tabs: ["Events", "Resources", "Map", "Alerts", "Rights"],
  },
  es: {
    events: "Próximos eventos",
    // The organisers' Spanish title of the vigil.
    event: "Vigilia por los vecinos detenidos",
    eventBody: /Traiga una vela/,
    resource: "Clínica legal de inmigración gratuita",
    addToCalendar: "Agregar al calendario",
    share: "Compartir",
    back: "← Volver",
    resources: "Recursos",
    found: (n) => `${n} encontrados`,
    tuesday: "Martes",
    monday: "Lunes",
    closed: "Cerrado",
    lastVerified: "Verificado por última vez",
    rights: "Conozca sus derechos",
    otherLanguages: "Otros idiomas",
    languageName: "español",
    source: "Fuente:",
    close: "Cerrar",
    exit: "Salir",
    map: "Mapa",
    alerts: "Alertas",
    noAlerts: "No hay alertas ahora.",
    reportTitle: "Reporte lo que ve",
    saveReport: "Guardar y enviar",
    mapFailed: "No se pudo cargar el mapa. La primera vez necesita conexión; las listas funcionan sin ella.",
    offline: "Sin conexión: se muestra lo guardado en este teléfono",
    tabs: ["Eventos", "Recursos", "Mapa", "Alertas", "Derechos"],
  },
};

/** The page background each colour scheme must give (style/main.css, --bg). */
const BACKGROUND = { light: "rgb(247, 245, 240)", dark: "rgb(12, 10, 9)" };

const plain = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

const text = async (locator) => (await locator.textContent()).trim();

const tab = (page, href) => page.locator(`nav.tabs a[href="${href}"]`);

/** A bottom-nav tab: moves inside the app, with no page load. */
async function openTab(page, href) {
  await tab(page, href).click();
  await page.waitForURL((url) => url.pathname === href);
  assert.equal(await tab(page, href).getAttribute("aria-current"), "page", `${href} is the current tab`);
}

async function shoot(page, name) {
  await page.screenshot({ path: screenshotPath(name) });
}

/** The names of every listed resource, pressing "Show more" until all are on the page. */
async function resourceNames(page) {
  while ((await page.locator("button.more").count()) > 0) {
    const before = await page.locator("li.resource").count();
    await page.locator("button.more").click();
    await page.locator("li.resource").nth(before).waitFor();
  }
  return page.locator("li.resource h2").allTextContents();
}

/** Events, an event, resources, a resource, rights, a card, map and report, asserting each. */
async function walk(page, lang, scheme) {
  const s = TEXT[lang];
  const tag = `${lang}-${scheme}`;
  await page.emulateMedia({ colorScheme: scheme });
  assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
  assert.equal(
    await page.evaluate(() => getComputedStyle(document.body).backgroundColor),
    BACKGROUND[scheme],
    `${tag}: the page follows the ${scheme} colour scheme`,
  );
  assert.deepEqual(
    (await page.locator("nav.tabs a").allTextContents()).map((t) => t.trim()),
    s.tabs,
    `${tag}: the tabs are translated`,
  );
  assert.equal(await text(page.locator("header.top button.exit")), s.exit);

  // Events.
  await openTab(page, "/events");
  await page.locator("main h1", { hasText: s.events }).waitFor();
  assert.equal(await page.locator("li.card.event").count(), DEMO_EVENTS, `${tag}: every demo event is listed`);
  assert.ok((await page.locator("section.day h2").count()) >= 2, `${tag}: events are grouped by day`);
  await shoot(page, `events-${tag}`);

  // One event.
  await page.locator("li.card.event a", { hasText: s.event }).click();
  await page.locator("article.detail h1", { hasText: s.event }).waitFor();
  const eventId = new URL(page.url()).pathname.match(/^\/events\/([0-9a-f-]{36})$/)?.[1];
  assert.ok(eventId, `${tag}: the event has its own address: ${page.url()}`);
  const calendar = page.locator("article.detail a", { hasText: s.addToCalendar });
  assert.equal(await calendar.getAttribute("href"), `/api/v1/events/${eventId}.ics`);
  await page.locator("article.detail button", { hasText: s.share }).waitFor();
  assert.match(await text(page.locator("article.detail .body")), s.eventBody);
  assert.equal(await text(page.locator("article.detail a.back")), s.back);
  await shoot(page, `event-detail-${tag}`);
  await page.locator("article.detail a.back").click();
  await page.waitForURL((url) => url.pathname === "/events");
  await page.locator("li.card.event").first().waitFor();

  // Resources.
  await openTab(page, "/resources");
  await page.locator("main h1", { hasText: s.resources }).waitFor();
  await page.locator("p.count", { hasText: s.found(DEMO_RESOURCES) }).waitFor();
  // 15 cards at a time; "Show more" adds 15 until all are shown.
  for (const shown of [15, 30, DEMO_RESOURCES]) {
    await page.locator("li.resource").nth(shown - 1).waitFor();
    assert.equal(await page.locator("li.resource").count(), shown, `${tag}: ${shown} cards shown`);
    if (shown < DEMO_RESOURCES) await page.locator("button.more").click();
  }
  assert.equal(await page.locator("button.more").count(), 0, "all 40 shown, nothing more to show");
  const call = page.locator("li.resource", { hasText: s.resource }).locator("a.call");
  assert.equal(await call.getAttribute("href"), "tel:612-555-0101");
  await shoot(page, `resources-${tag}`);

  // One resource.
  await page.locator("li.resource a", { hasText: s.resource }).click();
  await page.locator("article.detail h1", { hasText: s.resource }).waitFor();
  assert.match(new URL(page.url()).pathname, /^\/resources\/[0-9a-f-]{36}$/);
  const hours = page.locator("article.detail table.hours tr");
  assert.equal(await hours.count(), 7, `${tag}: the hours table has a row per weekday`);
  assert.deepEqual(
    (await hours.nth(0).locator("th, td").allTextContents()).map((t) => t.trim()),
    [s.monday, s.closed],
  );
  assert.deepEqual(
    (await hours.nth(1).locator("th, td").allTextContents()).map((t) => t.trim()),
    [s.tuesday, "10:00 – 16:00"],
  );
  assert.match(await text(page.locator("article.detail")), new RegExp(s.lastVerified));
  assert.equal(
    await page.locator("article.detail a.call").first().getAttribute("href"),
    "tel:612-555-0101",
  );
  await shoot(page, `resource-detail-${tag}`);
  await page.locator("article.detail a.back").click();
  await page.waitForURL((url) => url.pathname === "/resources");
  await page.locator("li.resource").first().waitFor();

  // Rights: the chosen language's card first, the other under "Other languages".
  await openTab(page, "/rights");
  await page.locator("main h1", { hasText: s.rights }).waitFor();
  const lists = page.locator("main ul.cards");
  await lists.first().locator("li").first().waitFor();
  assert.equal(await lists.count(), 2);
  assert.deepEqual(
    await lists.nth(0).locator("li").evaluateAll((items) => items.map((li) => li.lang)),
    [lang],
    `${tag}: the card in the chosen language comes first`,
  );
  assert.deepEqual(
    (await lists.nth(1).locator("li").evaluateAll((items) => items.map((li) => li.lang))).sort(),
    ["en", "es", "hmn", "so"].filter((other) => other !== lang),
    `${tag}: the cards in the other languages follow`,
  );
  const headings = await page.locator("main h2").allTextContents();
  assert.deepEqual(headings, [s.languageName, s.otherLanguages], `${tag}: both groups have a heading`);
  const title = await text(lists.nth(0).locator("li h3"));
  await shoot(page, `rights-${tag}`);

  // The card, full screen.
  await lists.nth(0).locator("li a").click();
  const card = page.locator("article.rights-card");
  await card.locator("h1", { hasText: title }).waitFor();
  assert.match(new URL(page.url()).pathname, /^\/rights\/[0-9a-f-]{36}$/);
  assert.equal(await card.getAttribute("lang"), lang);
  assert.match(await text(card.locator(".body")), /612-555-0100/);
  assert.match(await text(card.locator(".source").first()), new RegExp(`^${s.source}`));
  assert.equal(await text(card.locator("a.close")), s.close);
  assert.equal(await text(card.locator("button.exit")), s.exit);
  const box = await card.boundingBox();
  assert.deepEqual(box, { x: 0, y: 0, width: 390, height: 844 }, `${tag}: the card fills the screen`);
  const cardColour = await card.evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.equal(cardColour, scheme === "dark" ? "rgb(0, 0, 0)" : "rgb(255, 255, 255)");
  await shoot(page, `card-${tag}`);
  await card.locator("a.close").click();
  await page.waitForURL((url) => url.pathname === "/rights");
  await page.locator("main h1", { hasText: s.rights }).waitFor();

  // Alerts: none in the demo data, said plainly; reporting starts from here.
  await openTab(page, "/alerts");
  await page.locator("main h1", { hasText: s.alerts }).waitFor();
  assert.ok((await text(page.locator("main p.empty"))).startsWith(s.noAlerts));
  await shoot(page, `alerts-${tag}`);

  // Report: the form, in the chosen language, with a big button for each kind.
  await page.locator("main a.primary", { hasText: s.reportTitle }).click();
  await page.waitForURL((url) => url.pathname === "/report");
  assert.equal(await tab(page, "/alerts").getAttribute("aria-current"), "page", "reporting belongs to Alerts");
  await page.locator("main h1", { hasText: s.reportTitle }).waitFor();
  assert.equal(await page.locator("main button.report-kind").count(), 6);
  assert.equal(await text(page.locator("main button[type=submit]")), s.saveReport);
  await shoot(page, `report-${tag}`);

  // The map was never opened online, so its code is not on the phone: it says so plainly.
  await openTab(page, "/map");
  await page.locator("main h1", { hasText: s.map }).waitFor();
  await page.locator("main p.map-note", { hasText: s.mapFailed }).waitFor();
  assert.equal(await page.locator("main p.map-note").getAttribute("role"), "status");
  await shoot(page, `map-${tag}`);
}

test("every screen opens from the phone with the server gone, in English and Spanish, light and dark", async () => {
  const page = await phone.context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) errors.push(m.text());
  });

  // One visit online: the data syncs and the service worker takes the page.
  await page.goto(server.url);
  await page.locator("li.card.event").first().waitFor();
  await page.locator("p.status", { hasText: "Updated just now" }).waitFor();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

  // Look at the demo resources through the app to pick one whose name has an accent.
  await openTab(page, "/resources");
  await page.locator("p.count", { hasText: TEXT.en.found(DEMO_RESOURCES) }).waitFor();
  const accented = (await resourceNames(page)).find((name) => plain(name) !== name.toLowerCase());
  assert.ok(accented, "the demo data has a resource whose name has an accent");
  // The first three words, without accents or capitals, e.g. "linea de apoyo".
  const query = plain(accented).split(/\s+/).slice(0, 3).join(" ");
  assert.notEqual(query, accented.toLowerCase().split(/\s+/).slice(0, 3).join(" "), "the query drops an accent");

  // The server is gone: the page reloads from the service worker, the data from IndexedDB.
  await server.stop();
  await page.goto(`${server.url}/events`);
  await page.locator("li.card.event").first().waitFor();
  await page.locator("p.status.failed", { hasText: "Could not update" }).waitFor();

  await walk(page, "en", "light");

  // Search typed offline, without accents or capitals, finds the accented name.
  await openTab(page, "/resources");
  await page.locator(".search input").fill(query);
  await page.locator("li.resource h2", { hasText: accented }).waitFor();
  const found = await resourceNames(page);
  assert.ok(found.length < DEMO_RESOURCES, `the search narrows the list: ${found.length}`);
  assert.equal(await text(page.locator("p.count")), TEXT.en.found(found.length));
  await shoot(page, "search-en-light");
  await page.locator(".search input").fill("");
  await page.locator("p.count", { hasText: TEXT.en.found(DEMO_RESOURCES) }).waitFor();

  // A category chip narrows the list to that category; "All" brings everything back.
  const food = page.locator(".chips button.chip", { hasText: /^Food$/ });
  const all = page.locator(".chips button.chip", { hasText: /^All$/ });
  assert.equal(await all.getAttribute("aria-pressed"), "true");
  assert.equal(await food.getAttribute("aria-pressed"), "false");
  await food.click();
  await page.waitForFunction(
    (n) => !document.querySelector("p.count")?.textContent.startsWith(`${n} `),
    DEMO_RESOURCES,
  );
  assert.equal(await food.getAttribute("aria-pressed"), "true");
  assert.equal(await all.getAttribute("aria-pressed"), "false");
  const kinds = await page.locator("li.resource p.kind").allTextContents();
  assert.ok(kinds.length > 0 && kinds.length < DEMO_RESOURCES, `some food resources: ${kinds.length}`);
  assert.ok(kinds.every((k) => k.trim() === "Food"), `only food is listed: ${kinds}`);
  assert.equal(await text(page.locator("p.count")), TEXT.en.found(kinds.length));
  await shoot(page, "filter-en-light");
  await all.click();
  await page.locator("p.count", { hasText: TEXT.en.found(DEMO_RESOURCES) }).waitFor();

  await walk(page, "en", "dark");

  // Spanish: the whole interface follows, and the choice survives a reload with no server.
  await page.locator("header.top select.lang").selectOption("es");
  await page.locator("html[lang=es]").waitFor({ state: "attached" });
  await page.locator("main h1", { hasText: TEXT.es.map }).waitFor();
  await openTab(page, "/events");
  await page.reload();
  await page.locator("main h1", { hasText: TEXT.es.events }).waitFor();
  assert.equal(await page.locator("header.top select.lang").inputValue(), "es");
  await walk(page, "es", "light");

  // No network at all: the status says so, and everything still opens.
  await phone.context.setOffline(true);
  await page.locator("p.status.offline", { hasText: TEXT.es.offline }).waitFor();
  await walk(page, "es", "dark");

  assert.deepEqual(errors, [], "no uncaught errors and no CSP refusals in the page");
});
