// `cargo xtask bench client`: measured in the page, in headless Chromium at a phone's size, against
// a running server (VECINOS_BENCH_URL) holding 10,000 resources. Prints one line of JSON.
import { launchPhone } from "./harness.mjs";

const url = process.env.VECINOS_BENCH_URL;
if (!url) throw new Error("VECINOS_BENCH_URL is not set: run through `cargo xtask bench client`");
const expected = Number(process.env.VECINOS_BENCH_RESOURCES ?? 10000);

// Records, in the page, when the first resource card enters the DOM (ms since navigation).
const watchFirstCard = () => {
  new MutationObserver((_, observer) => {
    if (document.querySelector("li.resource")) {
      window.__firstCard = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
};

const phone = await launchPhone();
try {
  await phone.context.addInitScript(watchFirstCard);
  const page = await phone.context.newPage();

  // 1. First visit: the initial sync into IndexedDB, between the engine's marks.
  await page.goto(`${url}/resources`);
  await page.waitForFunction(() => performance.getEntriesByName("vecinos:sync-end").length > 0, null, {
    timeout: 120_000,
  });
  const sync = await page.evaluate(() => {
    const [start] = performance.getEntriesByName("vecinos:sync-start");
    const [end] = performance.getEntriesByName("vecinos:sync-end");
    return end.startTime - start.startTime;
  });
  const synced = await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("vecinos");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          // Each value of the log is one applied page of [id, record] pairs (src/cache.rs).
          const pages = open.result.transaction("resource.log").objectStore("resource.log").getAll();
          pages.onsuccess = () => resolve(new Set(pages.result.flatMap((p) => JSON.parse(p).map(([id]) => id))).size);
        };
      }),
  );
  if (synced < expected) throw new Error(`only ${synced} of ${expected} resources synced`);

  // 2. Start from the cache: a fresh page load (shell from the service worker) until the first
  // resource card is on screen, and until all 10,000 are read and searchable. Five runs; the
  // medians count.
  const starts = [];
  const wasmStarts = [];
  const complete = [];
  for (let run = 0; run < 5; run += 1) {
    await page.reload();
    await page.waitForFunction(() => performance.getEntriesByName("vecinos:cache-shown").length > 0, null, {
      timeout: 60_000,
    });
    const times = await page.evaluate(() => ({
      first: window.__firstCard,
      start: performance.getEntriesByName("vecinos:start")[0].startTime,
      complete: performance.getEntriesByName("vecinos:cache-shown")[0].startTime,
    }));
    starts.push(times.first);
    wasmStarts.push(times.start);
    complete.push(times.complete);
  }

  // 3. Search keystrokes over the whole cache: from the input event until the list is updated
  // (the app's effects run as microtasks, so a macrotask later the DOM is current). The next
  // macrotask comes from a MessageChannel: nested setTimeout(0) calls are clamped to 4 ms, which
  // would be counted as the app's time.
  const keystrokes = await page.evaluate(async () => {
    const input = document.querySelector(".search input");
    const times = [];
    const filters = [];
    for (const query of ["l", "le", "leg", "lega", "legal", "legal ", "legal a", "legal ai", "legal aid",
      "c", "cl", "cli", "clin", "clini", "clinic", "", "f", "fo", "foo", "food"]) {
      const start = performance.now();
      input.value = query;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      await new Promise((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = resolve;
        channel.port2.postMessage(0);
      });
      times.push(performance.now() - start);
      // The filtering alone: the app marks it, rendering excluded.
      const [begin] = performance.getEntriesByName("vecinos:filter-start").slice(-1);
      const [end] = performance.getEntriesByName("vecinos:filter-end").slice(-1);
      if (begin && end && begin.startTime >= start) filters.push(end.startTime - begin.startTime);
    }
    return { times, filters };
  });
  const count = await page.textContent("p.count");

  // 4. A report's proof of work at the server's difficulty, with the CPU slowed 4× (Lighthouse's
  // phone-class setting): from the app's marks around the stamping, twenty reports (the budget is
  // on the slowest of them).
  await page.goto(`${url}/report`);
  await page.getByText("Updated just now").waitFor({ timeout: 60_000 });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  const stamps = [];
  for (let run = 0; run < 20; run += 1) {
    const before = await page.evaluate(() => performance.getEntriesByName("vecinos:stamp-end").length);
    await page.getByRole("button", { name: "Checkpoint" }).click();
    await page.getByLabel("Or cross streets").fill(`Bench St & ${run}th Ave`);
    await page.getByRole("button", { name: "Save and send" }).click();
    await page.waitForFunction(
      (before) => performance.getEntriesByName("vecinos:stamp-end").length > before,
      before,
      { timeout: 60_000 },
    );
    stamps.push(
      await page.evaluate(() => {
        const [start] = performance.getEntriesByName("vecinos:stamp-start").slice(-1);
        const [end] = performance.getEntriesByName("vecinos:stamp-end").slice(-1);
        return end.startTime - start.startTime;
      }),
    );
  }
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
  await cdp.detach();

  // 5. The map over the whole cache: a fresh page load of /map (the map's code is fetched now,
  // the records come from IndexedDB), from the map's start of placing markers until they are
  // drawn. The map marks each time it is given places (first maybe the 15 early resources, then
  // all of them), so the last pair counts, once no new one came for 2 s. Then the long tasks
  // (over 50 ms) while zooming and panning, and how many places the map holds.
  await page.goto(`${url}/map`);
  await page.waitForFunction(() => performance.getEntriesByName("vecinos:map-drawn").length > 0, null, {
    timeout: 60_000,
  });
  for (let draws = 0, quiet = 0; quiet < 4; ) {
    await page.waitForTimeout(500);
    const now = await page.evaluate(() => performance.getEntriesByName("vecinos:map-drawn").length);
    quiet = now === draws ? quiet + 1 : 0;
    draws = now;
  }
  const drawn = await page.evaluate(() => {
    const [start] = performance.getEntriesByName("vecinos:map-start").slice(-1);
    const ends = performance.getEntriesByName("vecinos:map-drawn");
    const [end] = ends.slice(-1);
    const places = document.querySelector("div.map")?.getAttribute("data-places");
    return {
      ms: end.startTime - start.startTime,
      at: end.startTime,
      draws: ends.length,
      places: places == null ? null : Number(places),
      markers: document.querySelectorAll(".leaflet-marker-icon.pin").length,
    };
  });
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const task of list.getEntries()) window.__longTasks.push(task.duration);
    }).observe({ type: "longtask" });
  });
  const pause = () => page.waitForTimeout(800);
  for (const control of [".leaflet-control-zoom-in", ".leaflet-control-zoom-in"]) {
    await page.locator(control).click();
    await pause();
  }
  // A drag across a third of the map, from a spot of bare map (not a marker or a control).
  const drag = await page.evaluate(() => {
    const map = document.querySelector("div.map").getBoundingClientRect();
    for (let fy = 0.5; fy < 0.9; fy += 0.05) {
      for (let fx = 0.5; fx < 0.9; fx += 0.05) {
        const x = map.left + map.width * fx;
        const y = map.top + map.height * fy;
        const hit = document.elementFromPoint(x, y);
        if (hit?.closest(".leaflet-container") && !hit.closest(".leaflet-marker-icon, .leaflet-control, path")) {
          return { x, y, dx: map.width / 3, dy: map.height / 4 };
        }
      }
    }
    return null;
  });
  if (!drag) throw new Error("no bare spot of map to drag from");
  await page.mouse.move(drag.x, drag.y);
  await page.mouse.down();
  await page.mouse.move(drag.x - drag.dx, drag.y - drag.dy, { steps: 20 });
  await page.mouse.up();
  await pause();
  for (const control of [".leaflet-control-zoom-out", ".leaflet-control-zoom-out", ".leaflet-control-zoom-out"]) {
    await page.locator(control).click();
    await pause();
  }
  const longTasks = await page.evaluate(() => window.__longTasks);
  // Resource places drawn: single pins plus what the clusters hold ("12 places: zoom in"), with
  // the other layers off; after zooming out one level past the start, so all of them are in view.
  for (const layer of ["Events", "Alerts"]) {
    await page.getByRole("checkbox", { name: layer }).uncheck();
  }
  await pause();
  const resourcePlaces = await page.evaluate(() => {
    let n = 0;
    for (const el of document.querySelectorAll(".leaflet-marker-icon.pin")) {
      if (el.classList.contains("pin-resource")) n += 1;
      const cluster = /^(\d[\d,]*) places/.exec(el.getAttribute("aria-label") ?? "");
      if (el.classList.contains("pin-cluster") && cluster) n += Number(cluster[1].replace(/,/g, ""));
    }
    return n;
  });

  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    JSON.stringify({
      resources: synced,
      sync_ms: sync,
      first_list_ms: median(starts),
      first_list_runs: starts,
      app_start_ms: median(wasmStarts),
      all_searchable_ms: median(complete),
      keystroke_median_ms: median(keystrokes.times),
      keystroke_max_ms: Math.max(...keystrokes.times),
      filter_median_ms: median(keystrokes.filters),
      filter_max_ms: Math.max(...keystrokes.filters),
      filters_measured: keystrokes.filters.length,
      keystroke_runs: keystrokes.times.map((ms) => Math.round(ms * 10) / 10),
      last_count: count,
      stamp_median_ms: median(stamps),
      stamp_max_ms: Math.max(...stamps),
      map_markers_ms: drawn.ms,
      map_drawn_at_ms: drawn.at,
      map_draws: drawn.draws,
      map_places: drawn.places,
      map_marker_elements: drawn.markers,
      map_resource_places: resourcePlaces,
      map_long_tasks: longTasks.length,
      map_longest_task_ms: Math.max(0, ...longTasks),
    }),
  );
} finally {
  await phone.close();
}
