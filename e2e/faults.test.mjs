// Delivery under faults: the phone talks to the real server through a proxy that, for report
// submissions, answers 500 or 429 without passing the request on, or passes it on and then cuts
// the connection before the answer (the server committed, the phone never heard). Whatever
// happens, the server ends up holding every report exactly once.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { test } from "node:test";
import { ORGANISER, launchPhone, putInOutbox, receivedReports, startServer } from "./harness.mjs";

const REPORTS = 200;

/** A small deterministic random source, so a failing run can be replayed with its seed. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Forwards everything to `target`; report submissions meet a fault with probability 0.6. */
async function faultyProxy(target, seed) {
  const next = random(seed);
  const faults = { forwarded: 0, refused500: 0, refused429: 0, cutAfterCommit: 0 };
  const server = http.createServer((req, res) => {
    const isReport = req.method === "POST" && req.url === "/api/v1/reports";
    const roll = isReport ? next() : 1;
    if (roll < 0.15) {
      faults.refused500 += 1;
      req.resume();
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ code: "internal", message: "injected failure" }));
      return;
    }
    if (roll < 0.3) {
      faults.refused429 += 1;
      req.resume();
      res.writeHead(429, { "content-type": "application/json", "retry-after": "1" });
      res.end(JSON.stringify({ code: "throttled", message: "injected throttle" }));
      return;
    }
    const cut = roll < 0.6;
    const upstream = http.request(
      `${target}${req.url}`,
      { method: req.method, headers: { ...req.headers, host: new URL(target).host } },
      (answer) => {
        if (cut) {
          // The server has stored the report; its answer never reaches the phone.
          faults.cutAfterCommit += 1;
          answer.resume();
          answer.on("end", () => res.socket.destroy());
          return;
        }
        faults.forwarded += isReport ? 1 : 0;
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.socket.destroy());
    req.pipe(upstream);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, faults, close: () => server.close() };
}

test(`${REPORTS} reports through random 500s, 429s and answers lost after commit arrive exactly once`, async (t) => {
  const server = await startServer({ organiser: ORGANISER });
  const seed = Number(process.env.VECINOS_FAULT_SEED ?? Date.now() % 100000);
  const proxy = await faultyProxy(server.url, seed);
  const phone = await launchPhone();
  t.after(async () => {
    await phone.close();
    proxy.close();
    await server.cleanup();
  });
  const page = await phone.context.newPage();
  await page.goto(`${proxy.url}/report`);
  await page.getByText("Updated just now").waitFor();

  // The outbox as the Report screen leaves it: one item per report, sent by the engine.
  const items = Array.from({ length: REPORTS }, (_, i) => ({
    id: randomUUID(),
    kind: ["enforcement_seen", "detained", "checkpoint", "help_needed", "help_offered", "correction"][i % 6],
    description: `Fault run report ${i}`,
    observed_at: new Date(Date.now() - i * 1000).toISOString(),
    area: null,
    cross_streets: `Example St & ${i}th Ave`,
    language: "en",
  }));
  await putInOutbox(page, items);
  const ids = items.map((item) => item.id);

  // Each engine run sends until a fault stops it; coming online again starts the next run.
  const waiting = () =>
    page.evaluate(
      () =>
        new Promise((resolve) => {
          const open = indexedDB.open("vecinos");
          open.onsuccess = () => {
            const count = open.result.transaction("outbox").objectStore("outbox").count();
            count.onsuccess = () => {
              open.result.close();
              resolve(count.result);
            };
          };
        }),
    );
  let runs = 0;
  while ((await waiting()) > 0) {
    runs += 1;
    assert.ok(runs < 2000, `the outbox empties (seed ${seed}, ${await waiting()} left)`);
    const before = await page.evaluate(() => performance.getEntriesByName("vecinos:delivered").length);
    await page.evaluate(() => window.dispatchEvent(new Event("online")));
    await page.waitForFunction(
      (before) => performance.getEntriesByName("vecinos:delivered").length > before,
      before,
      { timeout: 60_000 },
    );
  }

  const received = (await receivedReports(server.url)).map((r) => r.id);
  assert.equal(received.length, REPORTS, `seed ${seed}: every report once, ${JSON.stringify(proxy.faults)}`);
  assert.deepEqual(new Set(received), new Set(ids), `seed ${seed}: exactly the reports sent`);
  assert.ok(proxy.faults.cutAfterCommit > 0 && proxy.faults.refused500 > 0 && proxy.faults.refused429 > 0,
    `every kind of fault happened: ${JSON.stringify(proxy.faults)}`);
  const sent = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const open = indexedDB.open("vecinos");
        open.onsuccess = () => {
          const get = open.result.transaction("meta").objectStore("meta").get("sent_reports");
          get.onsuccess = () => {
            open.result.close();
            resolve(get.result);
          };
        };
      }),
  );
  assert.equal(sent, REPORTS, "the phone counted each report once");

  // Privacy: after all of this, the server's files hold the reports but nothing of who sent them:
  // no IP address, no user agent, and the reports table has no place for either, nor for a
  // position (only the area and cross streets the phone chose to send).
  const agent = await page.evaluate(() => navigator.userAgent);
  await server.stop();
  const files = readdirSync(server.data);
  assert.ok(files.some((f) => f.endsWith(".db") || f.endsWith(".sqlite")), `a SQLite database: ${files}`);
  const stored = files.map((f) => readFileSync(join(server.data, f)).toString("latin1")).join("\n");
  assert.ok(stored.includes("Fault run report 199"), "the files hold the reports (the check reads the right thing)");
  for (const trace of ["127.0.0.1", agent, "HeadlessChrome", "Mozilla/5.0"]) {
    assert.ok(!stored.includes(trace), `the server stored ${trace}`);
  }
  // Nor what it logged: the only address in the log may be its own listening one, never a client's.
  const logged = server.log();
  assert.ok(logged.includes("stopped"), "the check reads the server's log");
  for (const trace of ["127.0.0.1", agent, "HeadlessChrome", "Mozilla/5.0"]) {
    assert.ok(!logged.includes(trace), `the server logged ${trace}`);
  }
  const table = stored.match(/CREATE TABLE reports \(([^)]*)\)/)?.[1];
  assert.ok(table, "the reports table's definition is in the file");
  const columns = table.split(",").map((line) => line.trim().split(/\s+/)[0]);
  // alert_id: the alert a verified report was published as (deleted with the report).
  assert.deepEqual(columns.sort(), [
    "alert_id", "area", "cross_streets", "description", "id", "kind", "language", "observed_at", "received_at", "status", "updated_at",
  ]);
});
