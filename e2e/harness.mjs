// Shared by the end-to-end scenarios: start the real server binary, launch Debian's Chromium.
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const need = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the scenarios through \`cargo xtask test\``);
  return value;
};

/**
 * Starts vecinos-server on a free port with a fresh data folder and demo data. `dist` is the built
 * app to serve, by default VECINOS_DIST.
 */
export async function startServer({ dist = need("VECINOS_DIST") } = {}) {
  const data = mkdtempSync(join(tmpdir(), "vecinos-e2e-"));
  const child = spawn(
    need("VECINOS_SERVER_BIN"),
    ["serve", "--addr", "127.0.0.1:0", "--data", data, "--dist", dist, "--demo"],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
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
  return { url, stop, cleanup: async () => { await stop(); rmSync(data, { recursive: true, force: true }); } };
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
