// Live updates: a phone with Alerts open shows a newly verified alert without being touched, also
// after a proxy cuts its live connection and after the server restarts (it reconnects and
// catches up). The phone talks to the server through a proxy the test can cut and re-point.
import assert from "node:assert/strict";
import { createServer, request } from "node:http";
import { test } from "node:test";
import { ORGANISER, launchPhone, receivedReports, report, screenshotPath, signIn, startServer, verifyReport } from "./harness.mjs";

const STREAM = "/api/v1/changes/stream";

/** A plain HTTP proxy to `target` (changeable) that counts live streams and can cut them. */
async function liveProxy(target) {
  const streams = new Set();
  let opened = 0;
  const proxy = createServer((req, res) => {
    const upstream = request(
      `${proxy.target}${req.url}`,
      { method: req.method, headers: { ...req.headers, host: new URL(proxy.target).host } },
      (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        if (req.url === STREAM && answer.statusCode === 200) {
          opened += 1;
          streams.add(res);
          res.on("close", () => streams.delete(res));
        }
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  proxy.target = target;
  await new Promise((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${proxy.address().port}`,
    retarget: (url) => (proxy.target = url),
    opened: () => opened,
    open: () => streams.size,
    cut: () => {
      for (const res of streams) res.destroy();
    },
    close: () => {
      for (const res of streams) res.destroy();
      proxy.close();
    },
  };
}

async function until(what, check, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test("an open phone shows a newly verified alert untouched, after a cut stream and a server restart", async (t) => {
  let server = await startServer({ organiser: ORGANISER });
  const proxy = await liveProxy(server.url);
  const phone = await launchPhone();
  t.after(async () => {
    await phone.close();
    proxy.close();
    await server.cleanup();
  });
  const errors = [];
  const page = await phone.context.newPage();
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${proxy.url}/alerts`);
  await page.getByText("No alerts right now.").waitFor();
  await until("the live stream", () => proxy.open() === 1);
  // Set once; a reload or a navigation of this page would lose it.
  await page.evaluate(() => (window.untouched = true));

  // Another tab of the same phone sends the reports; the organiser verifies them by the API.
  const writer = await phone.context.newPage();
  await writer.goto(`${proxy.url}/alerts`);
  const publish = async (words, summary) => {
    await report(writer, "Checkpoint", words, "Lake St & 14th Ave");
    const cookie = await signIn(server.url);
    const received = (await receivedReports(server.url, cookie)).find((r) => r.description === words);
    const res = await verifyReport(server.url, cookie, received, summary, 60);
    assert.equal(res.status, 201, await res.text());
  };
  const shown = (summary) => page.locator("li.alert h2", { hasText: summary }).waitFor({ timeout: 15_000 });

  await publish("Words of the first report", "Example alert one");
  await shown("Example alert one");

  // The proxy cuts the live connection: the phone opens a new one and still hears of the next.
  const before = proxy.opened();
  proxy.cut();
  await until("a new stream after the cut", () => proxy.opened() > before && proxy.open() >= 1);
  await publish("Words of the second report", "Example alert two");
  await shown("Example alert two");

  // The server restarts on the same data: the phone reconnects and catches up with what was
  // published while it was away.
  await server.stop();
  server = await startServer({ data: server.data });
  proxy.retarget(server.url);
  await publish("Words of the third report", "Example alert three");
  await shown("Example alert three");

  assert.deepEqual(
    await page.locator("li.alert h2").allTextContents(),
    ["Example alert three", "Example alert two", "Example alert one"],
  );
  assert.equal(await page.evaluate(() => window.untouched), true, "the page was never reloaded");
  await page.screenshot({ path: screenshotPath("alerts-live"), fullPage: true });
  assert.deepEqual(errors, []);
});

test("an organiser's open triage screen shows a new report as it arrives, keeping an open draft", async (t) => {
  const server = await startServer({ organiser: ORGANISER });
  const phone = await launchPhone();
  t.after(async () => {
    await phone.close();
    await server.cleanup();
  });
  const errors = [];
  const page = await phone.context.newPage();
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${server.url}/alerts`);
  await page.getByText("Updated just now").waitFor();
  await report(page, "Checkpoint", "Words of the first report", "Lake St & 14th Ave");
  await page.goto(`${server.url}/organise`);
  await page.getByLabel("Name").fill(ORGANISER.name);
  await page.getByLabel("Password").fill(ORGANISER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  const items = page.locator("li.report-item");
  await items.first().waitFor();
  assert.equal(await items.count(), 1);
  // A draft alert is open on the first report.
  await items.first().getByRole("button", { name: "Publish as alert…" }).click();
  await page.getByLabel("Alert text, as the public will see it").fill("An organiser's draft");

  // Another tab of the phone (any neighbour) sends a report: the screen shows it untouched.
  const writer = await phone.context.newPage();
  await writer.goto(`${server.url}/alerts`);
  await report(writer, "Help needed", "Words of the second report", "Main St & 2nd Ave");
  await page.locator("li.report-item", { hasText: "Words of the second report" }).waitFor({ timeout: 15_000 });
  assert.equal(await items.count(), 2);
  assert.equal(await page.getByLabel("Alert text, as the public will see it").inputValue(), "An organiser's draft", "the draft stays");
  await page.screenshot({ path: screenshotPath("organise-live"), fullPage: true });
  assert.deepEqual(errors, []);
});
