// `cargo xtask bench client`: the main thread's long tasks (over 50 ms) while the app starts, with
// the CPU four times slower, against a running server with the demo data (VECINOS_BENCH_URL).
// For each section: a first visit in a fresh profile, then a start from the phone's cache. Prints
// one line of JSON: { "/events": { first: [ms, ...], cached: [ms, ...], shell_ms, app_ms }, ... }.
import { launchPhone } from "./harness.mjs";

const url = process.env.VECINOS_BENCH_URL;
if (!url) throw new Error("VECINOS_BENCH_URL is not set: run through `cargo xtask bench client`");
const SECTIONS = ["/events", "/resources", "/alerts", "/rights"];

// Collects long tasks from the navigation on, and when the shell and the app were first painted.
const watch = () => {
  window.__long = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__long.push(Math.round(entry.duration));
  }).observe({ type: "longtask", buffered: true });
  new MutationObserver((_, observer) => {
    if (!window.__shell && document.getElementById("shell")) window.__shell = performance.now();
    if (document.querySelector("main") && !document.getElementById("shell")) {
      window.__app = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
};

/** Loads `path` with the CPU 4x slower and returns its long tasks once the app has settled. */
async function start(phone, page, path) {
  const cdp = await phone.context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  await page.goto(`${url}${path}`);
  await page.waitForFunction(() => performance.getEntriesByName("vecinos:cache-shown").length > 0, null, {
    timeout: 60_000,
  });
  // What follows the first render (the pull, the lists drawn again) counts too.
  await page.waitForTimeout(3000);
  const seen = await page.evaluate(() => ({
    long: window.__long,
    shell_ms: Math.round(window.__shell ?? -1),
    app_ms: Math.round(window.__app ?? -1),
  }));
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
  await cdp.detach();
  return seen;
}

const result = {};
for (const path of SECTIONS) {
  const phone = await launchPhone();
  try {
    await phone.context.addInitScript(watch);
    const page = await phone.context.newPage();
    const first = await start(phone, page, path);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const cached = await start(phone, page, path);
    result[path] = { first: first.long, cached: cached.long, shell_ms: first.shell_ms, app_ms: first.app_ms };
  } finally {
    await phone.close();
  }
}
console.log(JSON.stringify(result));
