import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

/**
 * End-to-end journeys through the real UI (tests/e2e). The app is started once per run by the
 * `webServer` entry below, on a fresh temporary data directory, so the demo data is seeded anew.
 *
 *   bash tests/e2e/run.sh sqlite     # or: postgres (creates and drops a fresh database)
 *
 * Environment:
 *   E2E_DATABASE_URL   postgres://… to run the server on PostgreSQL (run.sh sets it)
 *   E2E_PORT           port for the server (default 3210)
 *   CHROMIUM_PATH      browser binary (default /usr/bin/chromium; never downloaded)
 */
const port = Number(process.env.E2E_PORT ?? 3210);
const baseURL = `http://127.0.0.1:${port}`;

// The config is evaluated in the runner and again in every worker; the workers inherit the
// runner's environment, so the temporary data directory is created only once.
process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), "kepu-e2e-"));
const dataDir = process.env.E2E_DATA_DIR;

export default defineConfig({
  testDir: "./tests/e2e",
  testMatch: "**/*.spec.ts",
  outputDir: "./test-results",
  globalTeardown: "./tests/e2e/global-teardown.ts",
  fullyParallel: true,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
  timeout: 45_000,
  expect: { timeout: 7_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    command: "npx tsx server.ts",
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 90_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      PORT: String(port),
      KEPU_DATA_DIR: dataDir,
      // Empty means SQLite in KEPU_DATA_DIR; an inherited DATABASE_URL must not leak in.
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? "",
      // Not "production": a fresh database gets the demo accounts and the 演示数据 banner.
      NODE_ENV: "test",
      KEPU_PRODUCTION: "0",
      KEPU_NO_DEMO: "0",
      KEPU_TRUST_PROXY: "0",
      KEPU_ALLOWED_ORIGINS: "",
    },
  },
});
