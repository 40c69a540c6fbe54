import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

/**
 * End-to-end journeys through the real UI (tests/e2e). The app is started twice per run by the
 * `webServer` entries below, each on a fresh temporary data directory (or database), so the demo
 * data is seeded anew: one server for the journeys that keep to the present, and one whose clock the
 * CLOCK_SPECS move. The two projects run side by side.
 *
 *   bash tests/e2e/run.sh sqlite     # or: postgres (creates and drops a fresh database)
 *
 * Environment:
 *   E2E_DATABASE_URL   postgres://… to run the servers on PostgreSQL (run.sh sets it)
 *   E2E_CLOCK_DATABASE_URL  postgres://… for the clock-moving server (run.sh sets it with the above)
 *   E2E_PORT           port for the server (default 3210); the clock-moving server listens on the next
 *   CHROMIUM_PATH      browser binary (run.sh: /usr/bin/chromium-headless-shell, else /usr/bin/chromium;
 *                      never downloaded)
 *   E2E_SERVER_DIR     directory to start the server in (run.sh: a snapshot of the built app)
 *   E2E_OUTPUT_DIR     where traces and screenshots of failures go (default ./test-results)
 */
const port = Number(process.env.E2E_PORT ?? 3210);
const clockPort = port + 1;
const debianChromium = () =>
  existsSync("/usr/bin/chromium-headless-shell") ? "/usr/bin/chromium-headless-shell" : "/usr/bin/chromium";
const baseURL = `http://127.0.0.1:${port}`;
const clockBaseURL = `http://127.0.0.1:${clockPort}`;
if (process.env.E2E_DATABASE_URL && !process.env.E2E_CLOCK_DATABASE_URL)
  throw new Error(
    "E2E_DATABASE_URL is set without E2E_CLOCK_DATABASE_URL: the clock-moving server needs its own database",
  );

// A fresh data directory (the SQLite file) for every run. The config is evaluated by the runner
// and again by each worker; workers inherit the runner's environment (and need no directory),
// so it is made once, by the runner, and removed when the runner exits, whatever the outcome.
if (!process.env.E2E_DATA_DIR && process.env.TEST_WORKER_INDEX === undefined) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kepu-e2e-"));
  process.env.E2E_DATA_DIR = dir;
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
}
const dataDir = process.env.E2E_DATA_DIR ?? "";
if (dataDir && process.env.TEST_WORKER_INDEX === undefined)
  for (const sub of ["present", "clock"]) mkdirSync(path.join(dataDir, sub), { recursive: true });
const serverDir = path.resolve(process.env.E2E_SERVER_DIR || ".");

/** Specs that move the server clock. Files run in name order; activities.spec.ts moves it by minutes only. */
const CLOCK_SPECS = [
  "**/activities.spec.ts",
  "**/evaluation.spec.ts",
  "**/county-call.spec.ts",
  "**/recognition.spec.ts",
  "**/schools.spec.ts",
];

/** Workers for the journeys that keep to the present; one more runs the clock-moving specs. */
const presentWorkers = Number(process.env.E2E_WORKERS ?? 2);

/** The app on its own port and data directory; `databaseUrl` unset means SQLite in `dir`. */
function server(listenOn: number, dir: string, databaseUrl: string | undefined) {
  return {
    command: "npx tsx server.ts",
    // run.sh points this at a snapshot of the built app; by default, the repository itself.
    cwd: serverDir,
    url: `http://127.0.0.1:${listenOn}/healthz`,
    reuseExistingServer: false,
    timeout: 90_000,
    stdout: "ignore" as const,
    stderr: "pipe" as const,
    env: {
      PORT: String(listenOn),
      KEPU_HOST: "127.0.0.1",
      KEPU_BUILD_DIR: path.join(serverDir, "build"),
      KEPU_DATA_DIR: dir,
      // Empty means SQLite in KEPU_DATA_DIR; an inherited DATABASE_URL must not leak in.
      DATABASE_URL: databaseUrl ?? "",
      // Not "production": a fresh database gets the demo accounts and the 演示数据 banner.
      NODE_ENV: "test",
      KEPU_PRODUCTION: "0",
      KEPU_NO_DEMO: "0",
      KEPU_TRUST_PROXY: "0",
      KEPU_ALLOWED_ORIGINS: "",
      // One process, so the test clock (POST /__test/advance-clock) is the only clock.
      KEPU_WORKERS: "1",
      KEPU_TEST_HOOKS: "1",
      // The suites register many orgs from 127.0.0.1; the limit itself is tested in verification.int.test.ts.
      KEPU_REGISTER_PER_IP_HOUR: "1000",
    },
  };
}

export default defineConfig({
  testDir: "./tests/e2e",
  testMatch: "**/*.spec.ts",
  outputDir: process.env.E2E_OUTPUT_DIR || "./test-results",
  fullyParallel: true,
  workers: presentWorkers + 1,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
  // Generous: the journeys are short, but CI machines (and shared dev boxes) can be slow.
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [["list"]],
  use: {
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    actionTimeout: 20_000,
    navigationTimeout: 30_000,
    // Recording a trace of every test costs about 40% of the suite's time (login-roles: 82 s → 50 s
    // without). In CI a failing test is retried once with a trace, so a failure that repeats comes
    // with one; a local run keeps the trace of any test that fails.
    trace: process.env.CI ? "on-first-retry" : "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? debianChromium(),
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
  projects: [
    {
      name: "chromium",
      use: { ...devices["Desktop Chrome"], baseURL },
      testIgnore: CLOCK_SPECS,
      workers: presentWorkers,
    },
    // These move their server's clock (past a notice period, past an order's date), which would
    // expire everyone's session: so they have a server of their own and run one at a time, beside
    // the rest. The moves add up (15 days each for the 公示 journeys), and the demo calls stay open
    // for 60 days from seeding.
    {
      name: "chromium-clock",
      use: { ...devices["Desktop Chrome"], baseURL: clockBaseURL },
      testMatch: CLOCK_SPECS,
      workers: 1,
    },
  ],
  webServer: [
    server(port, path.join(dataDir, "present"), process.env.E2E_DATABASE_URL),
    server(clockPort, path.join(dataDir, "clock"), process.env.E2E_CLOCK_DATABASE_URL),
  ],
});
