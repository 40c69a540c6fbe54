/**
 * kepu benchmark harness: `npm run bench -- [--quick] [--engine sqlite|postgres|both] [--duration N]`.
 *
 * For each engine: starts the built production server (server.ts) on a fresh database, captures
 * each target's response once, starts a plain node:http baseline replaying those exact bytes,
 * loads app and baseline alike with autocannon, prints a table and writes bench/.out/*.json.
 * See bench/README.md.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { captureResponse, runLoad } from "./lib/load.ts";
import { type BenchOptions, type Engine, parseOptions, usage } from "./lib/options.ts";
import { baselineScript, outDir, repoRoot } from "./lib/paths.ts";
import { createTempDatabase } from "./lib/postgres.ts";
import {
  freePort,
  installExitHandlers,
  type NodeChild,
  onCleanup,
  requestMemory,
  runCleanups,
  spawnNodeChild,
  stopChild,
  waitForHealthy,
  waitUntilIdle,
} from "./lib/processes.ts";
import { type CapturedResponse, LISTENING_MESSAGE, READY_MESSAGE, ROUTES_MESSAGE } from "./lib/protocol.ts";
import {
  type EngineResult,
  formatEngine,
  type RunResult,
  ratio,
  type TargetResult,
  toMB,
} from "./lib/report.ts";

const STARTUP_TIMEOUT_MS = 180_000;

const progress = (msg: string) => process.stderr.write(`${msg}\n`);

/** Cleanup work of one engine run, also registered globally so a signal runs it too. */
function scope() {
  const items: Array<{ fn: () => Promise<void> | void; unregister: () => void }> = [];
  return {
    add(name: string, fn: () => Promise<void> | void) {
      items.push({ fn, unregister: onCleanup(name, fn) });
    },
    async close() {
      while (items.length) {
        const { fn, unregister } = items.pop()!;
        unregister();
        try {
          await fn();
        } catch (err) {
          console.error("清理失败 cleanup failed:", err instanceof Error ? err.message : err);
        }
      }
    },
  };
}

/** Data dirs of earlier runs that were killed outright (their process is gone). */
function removeStaleDataDirs(): void {
  for (const name of fs.readdirSync(os.tmpdir())) {
    const m = /^kepu-bench-(?:sqlite|postgres)-(\d+)-/.exec(name);
    if (!m || Number(m[1]) === process.pid) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ESRCH")
        fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
    }
  }
}

function header(raw: string[], name: string): string | null {
  for (let i = 0; i < raw.length; i += 2) if (raw[i].toLowerCase() === name) return raw[i + 1];
  return null;
}

async function startBaseline(
  captures: CapturedResponse[],
  logFile: string,
): Promise<{ child: NodeChild; url: string }> {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = spawnNodeChild("baseline", baselineScript, { env, logFile });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`baseline did not listen in time:\n${child.tail()}`)),
      30_000,
    );
    child.proc.on("message", (msg: { type?: string; port?: number }) => {
      if (msg?.type === READY_MESSAGE) child.proc.send({ type: ROUTES_MESSAGE, routes: captures });
      if (msg?.type === LISTENING_MESSAGE && msg.port) {
        clearTimeout(timer);
        resolve(msg.port);
      }
    });
    void child.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`baseline exited (${code}):\n${child.tail()}`));
    });
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

async function benchEngine(engine: Engine, opts: BenchOptions, stamp: string): Promise<EngineResult> {
  const s = scope();
  try {
    removeStaleDataDirs();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `kepu-bench-${engine}-${process.pid}-`));
    s.add(`remove ${dataDir}`, () => fs.rmSync(dataDir, { recursive: true, force: true }));

    const env: NodeJS.ProcessEnv = { ...process.env, KEPU_DATA_DIR: dataDir };
    // The same kind of server every time: production builds, demo data on the fresh database.
    delete env.NODE_ENV;
    delete env.KEPU_PRODUCTION;
    delete env.KEPU_NO_DEMO;
    delete env.NODE_OPTIONS;
    delete env.DATABASE_URL;
    if (engine === "postgres") {
      const db = await createTempDatabase(stamp);
      s.add(`drop database ${db.name}`, () => db.drop());
      env.DATABASE_URL = db.url;
      progress(`[${engine}] 临时数据库 temporary database ${db.name}`);
    }
    const port = await freePort();
    env.PORT = String(port);
    const appUrl = `http://127.0.0.1:${port}`;
    const serverLog = path.join(outDir, `server-${engine}-${stamp}.log`);

    progress(
      `[${engine}] 启动应用 starting server.ts on ${appUrl} (log: ${path.relative(repoRoot, serverLog)})`,
    );
    const started = performance.now();
    const app = spawnNodeChild("app server", path.join(repoRoot, "server.ts"), { env, logFile: serverLog });
    s.add("stop app server", () => stopChild(app));
    const health = (await waitForHealthy(`${appUrl}/healthz`, app, STARTUP_TIMEOUT_MS)) as {
      engine?: string;
    };
    const startupSec = (performance.now() - started) / 1000;
    if (health?.engine !== engine)
      throw new Error(`/healthz reports engine ${JSON.stringify(health?.engine)}, expected ${engine}`);
    const appAfterStartup = await requestMemory(app);

    const captures: CapturedResponse[] = [];
    for (const t of opts.targets) {
      const c = await captureResponse(appUrl, t.path, t.headers);
      const expected = t.expectStatus ?? 200;
      if (c.status !== expected)
        throw new Error(
          `${t.name} ${t.path}: app answered ${c.status}, expected ${expected}:\n${app.tail()}`,
        );
      captures.push(c);
    }
    const baseline = await startBaseline(captures, path.join(outDir, `baseline-${engine}-${stamp}.log`));
    s.add("stop baseline", () => stopChild(baseline.child));

    const results: TargetResult[] = [];
    for (const [i, t] of opts.targets.entries()) {
      const connections = opts.connections ?? t.connections;
      const load = async (who: string, base: string) => {
        const url = base + t.path;
        if (opts.warmupSec > 0) {
          progress(
            `[${engine}] ${t.name} ${who}: 预热 warm-up ${opts.warmupSec}s, ${connections} connections`,
          );
          await runLoad(url, { connections, durationSec: opts.warmupSec, headers: t.headers });
          await waitUntilIdle(url, t.headers);
        }
        progress(`[${engine}] ${t.name} ${who}: 测量 measuring ${opts.durationSec}s`);
        const stats = await runLoad(url, { connections, durationSec: opts.durationSec, headers: t.headers });
        stats.drainSec = await waitUntilIdle(url, t.headers);
        return stats;
      };
      const appStats = await load("app", appUrl);
      const baseStats = await load("baseline", baseline.url);
      const c = captures[i];
      results.push({
        name: t.name,
        path: t.path,
        connections,
        headers: t.headers ?? {},
        captured: {
          status: c.status,
          bodyBytes: Buffer.from(c.bodyBase64, "base64").length,
          contentType: header(c.rawHeaders, "content-type"),
          contentEncoding: header(c.rawHeaders, "content-encoding"),
        },
        app: appStats,
        baseline: baseStats,
        ratio: {
          throughput: ratio(appStats.requestsPerSec, baseStats.requestsPerSec),
          p99:
            appStats.totalRequests && baseStats.totalRequests
              ? ratio(appStats.latencyP99Ms, baseStats.latencyP99Ms)
              : null,
        },
      });
    }
    const appAfterLoad = await requestMemory(app);
    const baselineAfterLoad = await requestMemory(baseline.child).catch(() => null);
    return {
      engine,
      startupSec,
      health,
      targets: results,
      memory: {
        appAfterStartup: toMB(appAfterStartup),
        appAfterLoad: toMB(appAfterLoad),
        baselineAfterLoad: baselineAfterLoad && toMB(baselineAfterLoad),
      },
      serverLog: path.relative(repoRoot, serverLog),
    };
  } finally {
    await s.close();
  }
}

function gitCommit(): string | null {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { cwd: repoRoot, encoding: "utf8" }).trim();
  } catch {
    return null;
  }
}

async function main(): Promise<number> {
  installExitHandlers();
  let opts: BenchOptions | "help";
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    console.error(usage);
    return 2;
  }
  if (opts === "help") {
    console.log(usage);
    return 0;
  }
  if (!fs.existsSync(path.join(repoRoot, "build", "server", "index.js"))) {
    console.error(
      "没有找到 build/server/index.js：请用 `npm run bench`（会先构建）或先运行 `npm run build`。",
    );
    return 2;
  }
  fs.mkdirSync(outDir, { recursive: true });
  const timestamp = new Date().toISOString();
  const stamp = timestamp.replace(/[-:]/g, "").replace(/\..*$/, "");

  // Hard upper bound on the whole run: startup, capture and every load run, with slack.
  // Each run may need up to 60 s to drain (waitUntilIdle) after warm-up and after measuring.
  const perRunSec = opts.warmupSec + opts.durationSec + 2 * 70;
  const budgetSec =
    opts.engines.length * (STARTUP_TIMEOUT_MS / 1000 + 60 + opts.targets.length * 2 * perRunSec);
  const watchdog = setTimeout(() => {
    console.error(`\n超过时间上限 ${budgetSec}s，中止 (run exceeded its ${budgetSec}s budget, aborting)`);
    void runCleanups().finally(() => process.exit(1));
  }, budgetSec * 1000);

  const run: RunResult = {
    timestamp,
    commit: gitCommit(),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpus: os.availableParallelism(),
    totalMemGB: Math.round(os.totalmem() / 1024 ** 3),
    options: {
      durationSec: opts.durationSec,
      warmupSec: opts.warmupSec,
      quick: opts.quick,
      connectionsOverride: opts.connections ?? null,
    },
    engines: [],
  };
  let exitCode = 0;
  try {
    for (const engine of opts.engines) {
      const r = await benchEngine(engine, opts, stamp);
      run.engines.push(r);
      console.log(`\n${formatEngine(r, run)}\n`);
    }
  } catch (err) {
    console.error("\n基准测试失败 bench failed:", err instanceof Error ? err.message : err);
    exitCode = 1;
  } finally {
    clearTimeout(watchdog);
    await runCleanups();
  }
  if (run.engines.length) {
    const file = path.join(outDir, `results-${stamp}.json`);
    fs.writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
    console.log(`结果 results: ${path.relative(repoRoot, file)}`);
  }
  return exitCode;
}

process.exit(await main());
