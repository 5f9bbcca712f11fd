// `cargo xtask bench server`: seconds from an organiser's verify request to the alert on an open
// phone's screen. Headless Chromium holds /alerts open against a running server
// (VECINOS_BENCH_URL, started with --pow-difficulty 0 and the organiser `bench`); each run sends a
// report through the API, then times from just before the verify request until the alert's
// summary is in `li.alert h2`, never touching the page. Prints one line of JSON.
import { launchPhone, signIn } from "./harness.mjs";

const url = process.env.VECINOS_BENCH_URL;
if (!url) throw new Error("VECINOS_BENCH_URL is not set: run through `cargo xtask bench server`");
const RUNS = 5;

async function post(path, body, headers = {}) {
  const res = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
}

const phone = await launchPhone();
try {
  // Remembers the app's live stream, to start measuring only once it is open.
  await phone.context.addInitScript(() => {
    const Native = window.EventSource;
    window.EventSource = class extends Native {
      constructor(...args) {
        super(...args);
        window.__live = this;
      }
    };
  });
  const page = await phone.context.newPage();
  await page.goto(`${url}/alerts`);
  await page.getByText("Updated just now").waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => window.__live?.readyState === EventSource.OPEN, null, { timeout: 30_000 });

  const cookie = await signIn(url, { name: "bench", password: "bench password 1234" });
  const { pow } = await (await fetch(`${url}/api/v1/config`)).json();
  const seconds = [];
  for (let run = 0; run < RUNS; run += 1) {
    const id = crypto.randomUUID();
    await post("/api/v1/reports", {
      id,
      kind: "checkpoint",
      description: `Bench report ${run}`,
      observed_at: new Date().toISOString(),
      area: "9zvxvf2",
      cross_streets: `Bench St & ${run}th Ave`,
      language: "en",
      // Proof of work v2 at difficulty 0: any eight nonces do.
      stamp: { salt: pow.salt, difficulty: 0, nonces: [0, 0, 0, 0, 0, 0, 0, 0] },
    });
    const summary = `Bench alert number ${run}`;
    const start = performance.now();
    await post(`/api/v1/reports/${id}/verify`, { summary, area: "9zvxvf2", ttl_minutes: 60 }, { cookie });
    await page.waitForFunction(
      (summary) => [...document.querySelectorAll("li.alert h2")].some((h) => h.textContent === summary),
      summary,
      { polling: 10, timeout: 60_000 },
    );
    seconds.push((performance.now() - start) / 1000);
  }

  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(JSON.stringify({ median_s: median(seconds), max_s: Math.max(...seconds), runs: seconds }));
} finally {
  await phone.close();
}
