import cluster from "node:cluster";
import path from "node:path";
import { pathToFileURL } from "node:url";
import express from "express";
import type { ServerBuild } from "react-router";
import {
  DEMO_PASSWORD,
  demoClaimCodeLine,
  demoTwoFactorNote,
  hasDemoData,
  seedDemo,
} from "#src/modules/demo/seed-demo.server.ts";
import { adjustableClock, systemClock } from "#src/platform/clock.ts";
import { type Config, loadConfig } from "#src/platform/config.ts";
import type { AppContext } from "#src/platform/context.ts";
import { migrateToLatest } from "#src/platform/db/database.ts";
import { openConfiguredDatabase } from "#src/platform/db/open-configured.ts";
import { startRenderBroker } from "#src/platform/http/shared-renders.server.ts";
import { runDueJobs, startJobRunner } from "#src/platform/jobs/jobs.server.ts";
import { logger } from "#src/platform/logger.ts";
import { logDeliveryChannels } from "#src/platform/notify/adapters.server.ts";
import { warmUpCjkFonts } from "#src/platform/pdf/cjk-font.ts";
import { sweepStaleTempFiles } from "#src/platform/storage/sweep-temp.ts";
import { createApp } from "./app.server.ts";
import { JOB_HANDLERS, scheduleFeatureJobs } from "./features.server.ts";

/**
 * The server process. With KEPU_WORKERS > 1 (the default on a multi-core machine, except with
 * --dev) the primary migrates and seeds once, then forks that many workers that share the port;
 * a worker that dies is replaced. Workers keep no state that others need: sessions, rate limits
 * and cache generations live in the database.
 */
const dev = process.argv.includes("--dev");
const buildDir = path.resolve(process.env.KEPU_BUILD_DIR ?? "build");
const config = loadConfig();
const workers = dev ? 1 : config.workers;

if (cluster.isPrimary) {
  await prepareDatabase(config);
  if (workers > 1) runPrimary(workers);
  else await serve(config);
} else {
  await serve(config);
}

/** Migrations, and on an empty non-production database the demo data. Runs once per start. */
async function prepareDatabase(config: Config): Promise<void> {
  // Leftovers of writes a crash cut short; young ones may be a live upload, and are kept.
  const swept = await sweepStaleTempFiles(config.dataDir).catch((err) => {
    logger.warn({ err }, "sweeping temporary files failed");
    return [];
  });
  if (swept.length) logger.info({ count: swept.length }, "removed stale temporary files");
  const handle = openConfiguredDatabase(config);
  try {
    const applied = await migrateToLatest(handle);
    if (applied.length) logger.info({ applied }, "migrations applied");
    const ctx: AppContext = { db: handle.db, engine: handle.engine, clock: systemClock, config };
    await scheduleFeatureJobs(ctx);
    logDeliveryChannels(config);
    const userCount = Number(
      (
        await ctx.db
          .selectFrom("users")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
    if (userCount === 0 && !config.production && process.env.KEPU_NO_DEMO !== "1") {
      const accounts = await seedDemo(ctx);
      console.log("\n已写入演示数据（演示数据仅供体验，切勿用于生产）。演示账号，密码均为", DEMO_PASSWORD);
      for (const a of accounts)
        console.log(`  ${a.kind === "org" ? "法人登录" : "工作人员登录"}  ${a.login.padEnd(20)} ${a.name}`);
      const claim = await demoClaimCodeLine(ctx);
      if (claim) console.log(`  ${claim}`);
      console.log(`  ${demoTwoFactorNote()}`);
    } else if (userCount === 0) {
      console.log(
        "\n数据库中还没有用户。请先创建第一个管理员：\n  npm run kepu -- user:create --role admin --region 330800 --username admin --password '<至少8位，含三类字符>'\n",
      );
    }
  } finally {
    await handle.close();
  }
}

function runPrimary(count: number): void {
  let stopping = false;
  let listening = 0;
  // A worker that dies soon after starting (no build, a bad config) would otherwise be restarted
  // twice a second forever: wait longer after each quick death, up to a minute.
  let delayMs = 500;
  const startedAt = new Map<number, number>();
  const fork = () => {
    const w = cluster.fork();
    startedAt.set(w.id, Date.now());
  };
  cluster.on("listening", () => {
    if (++listening === count)
      console.log(
        `科普基地服务平台已启动：http://localhost:${config.port} （数据库：${config.engine}，${count} 个工作进程）`,
      );
  });
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return;
    const lived = Date.now() - (startedAt.get(worker.id) ?? 0);
    startedAt.delete(worker.id);
    delayMs = lived < 30_000 ? Math.min(delayMs * 2, 60_000) : 500;
    logger.error(
      { pid: worker.process.pid, code, signal, restartInMs: delayMs },
      "worker exited; starting another",
    );
    // Not unref'd: when the last worker has died, this timer is what keeps the primary alive.
    setTimeout(() => stopping || fork(), delayMs);
  });
  startRenderBroker();
  for (let i = 0; i < count; i++) fork();
  const shutdown = () => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
    const done = () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    };
    cluster.on("exit", done);
    done();
    setTimeout(() => process.exit(0), 8000).unref();
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

async function serve(config: Config): Promise<void> {
  const handle = openConfiguredDatabase(config);
  const testHooks = process.env.KEPU_TEST_HOOKS === "1" && !config.production;
  const testClock = testHooks ? adjustableClock() : null;
  const ctx: AppContext = { db: handle.db, engine: handle.engine, clock: testClock ?? systemClock, config };
  let demo = await hasDemoData(ctx);
  setInterval(async () => {
    demo = await hasDemoData(ctx).catch(() => demo);
  }, 60_000).unref();

  let build: ServerBuild | (() => Promise<ServerBuild>);
  let viteMiddleware: import("express").RequestHandler | undefined;
  if (dev) {
    const vite = await import("vite");
    const server = await vite.createServer({ server: { middlewareMode: true } });
    viteMiddleware = server.middlewares;
    build = () => server.ssrLoadModule("virtual:react-router/server-build") as Promise<ServerBuild>;
  } else {
    build = (await import(pathToFileURL(path.join(buildDir, "server/index.js")).href)) as ServerBuild;
  }

  const app = createApp({
    ctx,
    build,
    demo: () => demo,
    viteMiddleware,
    clientDir: path.join(buildDir, "client"),
  });
  // Every worker polls; a claim is atomic, so each due job runs once.
  const stopJobs = startJobRunner(ctx, JOB_HANDLERS);
  const root = testClock ? withTestHooks(app, ctx, testClock, JOB_HANDLERS) : app;
  const server = root.listen(config.port, config.host, () => {
    // Font maps for PDFs take a moment to build; do it now rather than on the first download.
    setImmediate(() => warmUpCjkFonts());
    if (cluster.isPrimary)
      console.log(`科普基地服务平台已启动：http://localhost:${config.port} （数据库：${handle.engine}）`);
  });

  const shutdown = () => {
    stopJobs();
    server.close(() => void handle.close().then(() => process.exit(0)));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

/**
 * KEPU_TEST_HOOKS=1 (never in production, one worker): POST /__test/advance-clock?days=N moves
 * this process's clock forward and runs the jobs that fell due, so the e2e suite can go past a
 * notice period.
 */
function withTestHooks(
  app: import("express").Express,
  ctx: AppContext,
  clock: { advance(ms: number): void },
  handlers: Parameters<typeof runDueJobs>[1],
) {
  const root = express();
  root.post("/__test/advance-clock", async (req, res) => {
    const days = Number(req.query.days);
    if (!Number.isFinite(days) || days <= 0 || days > 400) {
      res.status(400).json({ error: "days must be 1–400" });
      return;
    }
    clock.advance(days * 86400_000);
    const ran = await runDueJobs(ctx, handlers);
    res.json({ now: ctx.clock.now().toISOString(), ran });
  });
  root.use(app);
  return root;
}
