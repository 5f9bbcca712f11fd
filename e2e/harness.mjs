// Shared by the end-to-end scenarios: start the real server binary, launch Debian's Chromium.
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const need = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the scenarios through \`cargo xtask test\``);
  return value;
};

/**
 * The interface text of `lang` as the translators' file `locales/<lang>.ftl` has it, by message
 * id, placeholders as `{ $name }`: scenarios in other languages look for what the file says, so a
 * change to the file shows up in the built app or fails them.
 */
export function words(lang) {
  const file = join(dirname(fileURLToPath(import.meta.url)), "..", "locales", `${lang}.ftl`);
  const messages = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const found = line.match(/^([a-z][a-z0-9-]*) = (.*)$/);
    if (found) messages[found[1]] = found[2];
  }
  return messages;
}

/**
 * Creates an organiser account in the data folder `data` with `vecinos-server user add`, which
 * reads the password from standard input.
 */
async function addOrganiser(data, { name, password }) {
  const child = spawn(need("VECINOS_SERVER_BIN"), ["--data", data, "user", "add", name], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  child.stdin.end(`${password}\n`);
  const code = await new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", resolve);
  });
  if (code !== 0) throw new Error(`user add ${name} failed (${code}): ${output}`);
}

/**
 * Starts vecinos-server on a free port with a fresh data folder and demo data. `dist` is the built
 * app to serve, by default VECINOS_DIST. With `organiser: { name, password }`, that organiser
 * account exists before the server starts (sign in with POST /api/v1/session). With `data`, the
 * server starts again on that folder (a restart), as it was left.
 */
export async function startServer({ dist = need("VECINOS_DIST"), organiser, env = {}, data: reused } = {}) {
  const data = reused ?? mkdtempSync(join(tmpdir(), "vecinos-e2e-"));
  if (organiser && !reused) {
    try {
      await addOrganiser(data, organiser);
    } catch (e) {
      rmSync(data, { recursive: true, force: true });
      throw e;
    }
  }
  const child = spawn(
    need("VECINOS_SERVER_BIN"),
    ["serve", "--addr", "127.0.0.1:0", "--data", data, "--dist", dist, "--demo"],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } },
  );
  // What the server logs, kept for the privacy checks and passed on as before.
  let log = "";
  child.stderr.on("data", (chunk) => {
    log += chunk;
    process.stderr.write(chunk);
  });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const found = out.match(/running at (http:\/\/\S+?)\/?\s/);
      if (found) resolve(found[1]);
    });
    child.on("exit", (code) => reject(new Error(`server exited early (${code}): ${out}`)));
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGINT");
    await exited;
  };
  return { url, data, log: () => log, stop, cleanup: async () => { await stop(); rmSync(data, { recursive: true, force: true }); } };
}

/**
 * Headless Chromium at a phone's size (390x844), with a real profile folder: Chromium refuses to
 * install apps from incognito contexts, which is what a plain `newContext` makes.
 */
export async function launchPhone() {
  const profile = mkdtempSync(join(tmpdir(), "vecinos-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

export function screenshotPath(name) {
  const dir = process.env.VECINOS_SCREENSHOTS ?? join(tmpdir(), "vecinos-screenshots");
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
}

/** The organiser account the scenarios create with `startServer({ organiser: ORGANISER })`. */
export const ORGANISER = { name: "ana", password: "a long organiser password" };

/**
 * A fresh server (with the organiser account, and `env` for its options) and phone for one
 * test, both closed when the test ends, and a page whose uncaught errors are collected.
 */
export async function setUp(t, env = {}) {
  const server = await startServer({ organiser: ORGANISER, env });
  let phone;
  try {
    phone = await launchPhone();
  } catch (e) {
    await server.cleanup();
    throw e;
  }
  t.after(async () => {
    await phone.close();
    await server.cleanup();
  });
  const page = await phone.context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return { server, phone, page, errors };
}

/** Signs the organiser in; returns the session cookie as `name=value`. */
export async function signIn(url, organiser = ORGANISER) {
  const res = await fetch(`${url}/api/v1/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(organiser),
  });
  if (res.status !== 200) throw new Error(`the organiser could not sign in: ${res.status}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("vecinos_session="));
  if (!cookie) throw new Error("sign-in set no session cookie");
  return cookie.split(";")[0];
}

/**
 * The reports the server has received and nobody has triaged yet, as an organiser sees them (every
 * page of them).
 * Signs in unless given a session cookie (signing in is slow by design: poll with a cookie).
 */
export async function receivedReports(url, cookie) {
  const headers = { cookie: cookie ?? (await signIn(url)) };
  const all = [];
  let query = "?limit=200";
  for (;;) {
    const res = await fetch(`${url}/api/v1/reports${query}`, { headers });
    if (res.status !== 200) throw new Error(`triage answered ${res.status}`);
    const page = await res.json();
    all.push(...page.reports);
    if (!page.next) return all;
    query = `?limit=200&after=${encodeURIComponent(page.next)}`;
  }
}

/**
 * Publishes a received report as an alert, as the triage form does by default: the organiser's
 * summary, and the report's own area and cross streets, which the organiser keeps (the server
 * publishes no place the organiser did not send). Returns the response.
 */
export function verifyReport(url, cookie, report, summary, ttl_minutes) {
  return fetch(`${url}/api/v1/reports/${report.id}/verify`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ summary, area: report.area, cross_streets: report.cross_streets, ttl_minutes }),
  });
}

/** Every record the public change feed holds, as one JSON string. */
export async function publicFeed(url) {
  const all = [];
  let since = 0;
  for (;;) {
    const page = await (await fetch(`${url}/api/v1/changes?since=${since}`)).json();
    all.push(...page.changes);
    since = page.cursor;
    if (!page.more) return JSON.stringify(all);
  }
}

/** Writes a report on the phone's report screen and waits until the server has it ("Sent"). */
export async function report(page, kind, words, streets, { minutesAgo } = {}) {
  await page.goto(page.url().replace(/\/[^/]*$/, "/report"));
  await page.getByRole("button", { name: kind }).click();
  if (minutesAgo) await page.getByRole("button", { name: `${minutesAgo} min ago` }).click();
  await page.getByLabel("Describe it briefly").fill(words);
  await page.getByLabel("Or cross streets").fill(streets);
  await page.getByRole("button", { name: "Save and send" }).click();
  await page.getByText("Sent", { exact: true }).waitFor();
}

/**
 * Puts items into the outbox directly, as the Report screen leaves them (or an older version or
 * an earlier day left them); the engine sends them on its next run.
 */
export function putInOutbox(page, items) {
  return page.evaluate(
    (items) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("vecinos");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction("outbox", "readwrite");
          for (const item of items) tx.objectStore("outbox").put(JSON.stringify(item), item.id);
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    items,
  );
}
