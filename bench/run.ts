/**
 * kepu benchmark harness:
 * `npm run bench -- [--quick] [--engine sqlite|postgres|both] [--suite core|applications|all] [--duration N]`.
 *
 * For each engine: starts the built production server (server.ts) on a fresh database (for the
 * applications suite: once to migrate and seed the demo data, then again after generating 20,000
 * applications), captures each target's response once (signed in where the target says so), starts
 * a plain node:http baseline replaying those exact bytes, loads app and baseline alike with
 * autocannon, times the XLSX export and a large video upload against both, prints the tables with
 * the acceptance lines and writes bench/.out/*.json.
 * See bench/README.md.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../src/modules/demo/seed-demo.server.ts";
import { openBulkDb, openLiveDb } from "./lib/bulk-db.ts";
import {
  applicationSlotKinds,
  type ExportResult,
  measureExportApp,
  measureExportBaseline,
  measureUploadApp,
  measureUploadBaseline,
  type UploadResult,
  videoSlot,
} from "./lib/checks.ts";
import {
  type AuditFloodResult,
  FLOOD_CONNECTIONS,
  FLOOD_MAX_AUDIT_ROWS,
  FLOOD_SECONDS,
  measureAuditFlood,
  measureOversizePost,
  OVERSIZE_MAX_RSS_GROWTH_MB,
  OVERSIZE_MAX_SECONDS,
  type OversizeResult,
} from "./lib/edge.ts";
import {
  FIRST_VIEW_MAX_P99_MS,
  type FirstViewPlan,
  type FirstViewResult,
  runFirstView,
} from "./lib/first-view.ts";
import { captureResponse, runLoad } from "./lib/load.ts";
import {
  type BenchOptions,
  type Engine,
  needsEvaluationRound,
  needsGeneratedActivities,
  needsGeneratedBases,
  needsGeneratedData,
  needsGeneratedSchools,
  needsGeneratedVolunteers,
  parseOptions,
  serverWarmupSec,
  usage,
} from "./lib/options.ts";
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
import {
  type CapturedResponse,
  LISTENING_MESSAGE,
  READY_MESSAGE,
  ROUTES_ADDED_MESSAGE,
  ROUTES_MESSAGE,
} from "./lib/protocol.ts";
import {
  type EngineResult,
  formatEngine,
  p99Acceptance,
  type RunResult,
  ratio,
  type TargetResult,
  throughputAcceptance,
  toMB,
} from "./lib/report.ts";
import { type ActivitiesSeedResult, seedActivities } from "./lib/seed-activities.ts";
import { type SeedResult, seedApplications } from "./lib/seed-applications.ts";
import { type BasesSeedResult, seedBases } from "./lib/seed-bases.ts";
import {
  computeEvaluationFigures,
  type EvaluationSeedResult,
  prepareEvaluationRound,
} from "./lib/seed-evaluation.ts";
import { type SchoolsSeedResult, seedSchools } from "./lib/seed-schools.ts";
import { seedVolunteers, type VolunteersSeedResult } from "./lib/seed-volunteers.ts";
import { logIn, startDraft } from "./lib/session.ts";
import {
  ACTIVITIES_EXPORT_MAX_RSS_GROWTH_MB,
  EVALUATION_FIGURES_MAX_RSS_GROWTH_MB,
  EVALUATION_FIGURES_MAX_SEC,
  FIRST_VIEW,
  type Target,
  UPLOAD_MAX_RSS_GROWTH_MB,
  VOLUNTEER_HOURS_EXPORT_MAX_RSS_GROWTH_MB,
} from "./lib/targets.ts";

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

/** Sends more routes to a running baseline and waits until they are in place. */
function addBaselineRoutes(child: NodeChild, routes: CapturedResponse[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.proc.off("message", onMessage);
      reject(new Error("baseline did not take the new routes in time"));
    }, 30_000);
    const onMessage = (msg: { type?: string }) => {
      if (msg?.type === ROUTES_ADDED_MESSAGE) {
        clearTimeout(timer);
        child.proc.off("message", onMessage);
        resolve();
      }
    };
    child.proc.on("message", onMessage);
    child.proc.send({ type: ROUTES_MESSAGE, routes });
  });
}

/** Starts server.ts and waits for /healthz; checks the engine it reports. */
async function startApp(
  s: ReturnType<typeof scope>,
  engine: Engine,
  env: NodeJS.ProcessEnv,
  appUrl: string,
  serverLog: string,
): Promise<{ app: NodeChild; startupSec: number; health: { engine?: string } }> {
  const started = performance.now();
  const app = spawnNodeChild("app server", path.join(repoRoot, "server.ts"), { env, logFile: serverLog });
  s.add("stop app server", () => stopChild(app));
  const health = (await waitForHealthy(`${appUrl}/healthz`, app, STARTUP_TIMEOUT_MS)) as { engine?: string };
  const startupSec = (performance.now() - started) / 1000;
  if (health?.engine !== engine)
    throw new Error(`/healthz reports engine ${JSON.stringify(health?.engine)}, expected ${engine}`);
  return { app, startupSec, health };
}

/**
 * The demo staff accounts' sessions, signed in once each through the login form; `school:` and
 * `base:` sign in at 法人登录 with the schools suite's generated school and the demo base's USCC
 * (from the schools or the volunteers suite).
 */
function sessions(appUrl: string, units: { school?: string; base?: string } | null = null) {
  const cookies = new Map<string, Promise<string>>();
  return (login: string) => {
    let c = cookies.get(login);
    if (!c) {
      const unit = login === "school:bench" ? units?.school : login === "base:demo" ? units?.base : null;
      if (login.includes(":") && !unit) throw new Error(`${login}: no generated schools or volunteers data`);
      c = unit ? logIn(appUrl, "org", unit, DEMO_PASSWORD) : logIn(appUrl, "staff", login, DEMO_PASSWORD);
      cookies.set(login, c);
    }
    return c;
  };
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
    for (const k of Object.keys(env)) if (/^KEPU_MAX_.*_MB$/.test(k)) delete env[k];
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

    let generation: SeedResult | null = null;
    let basesGeneration: BasesSeedResult | null = null;
    let activitiesGeneration: ActivitiesSeedResult | null = null;
    let schoolsGeneration: SchoolsSeedResult | null = null;
    let volunteersGeneration: VolunteersSeedResult | null = null;
    let evaluationGeneration: EvaluationSeedResult | null = null;
    let evaluationFigures: EngineResult["checks"]["evaluationFigures"] = null;
    if (needsGeneratedData(opts) || needsGeneratedBases(opts)) {
      // First start: migrations and the demo data (accounts, the open call), as on a new install.
      progress(
        `[${engine}] 准备 first start (migrate + demo data), log: ${path.relative(repoRoot, serverLog)}`,
      );
      const prep = await startApp(s, engine, env, appUrl, serverLog);
      await stopChild(prep.app);
      if (needsGeneratedData(opts)) {
        progress(`[${engine}] 生成数据 generating ${opts.applications} applications…`);
        generation = await seedApplications(env, opts.applications);
        progress(
          `[${engine}] 生成完成 generated ${generation.applications} applications, ${generation.users} users, ` +
            `${generation.events} events, ${generation.files} file rows in ${generation.seconds.toFixed(1)}s`,
        );
      }
      if (needsGeneratedBases(opts)) {
        progress(`[${engine}] 生成数据 generating ${opts.bases} bases…`);
        basesGeneration = await seedBases(env, opts.bases);
        progress(
          `[${engine}] 生成完成 generated ${basesGeneration.bases} bases in ${basesGeneration.seconds.toFixed(1)}s`,
        );
      }
      if (needsGeneratedActivities(opts)) {
        progress(`[${engine}] 生成数据 generating ${opts.activities} activities…`);
        activitiesGeneration = await seedActivities(env, opts.activities);
        progress(
          `[${engine}] 生成完成 generated ${activitiesGeneration.activities} activities in ${activitiesGeneration.seconds.toFixed(1)}s`,
        );
      }
      if (needsEvaluationRound(opts)) {
        progress(`[${engine}] 生成数据 preparing the evaluation round (open, review, scoring)…`);
        evaluationGeneration = await prepareEvaluationRound(env);
        const g = evaluationGeneration;
        progress(
          `[${engine}] 生成完成 round ${g.year} with ${g.entries} bases (${g.assigned} assigned to city), ` +
            `opened in ${g.openSec.toFixed(1)}s, in 评分 after ${g.totalSec.toFixed(1)}s`,
        );
        if (opts.checks.some((c) => c.name === "evaluation-figures")) {
          progress(`[${engine}] evaluation-figures: computing the round's automatic indicators…`);
          const c = await computeEvaluationFigures(env, g.roundId);
          evaluationFigures = {
            ...c,
            maxSec: EVALUATION_FIGURES_MAX_SEC,
            maxGrowthMB: EVALUATION_FIGURES_MAX_RSS_GROWTH_MB,
            pass:
              c.seconds <= EVALUATION_FIGURES_MAX_SEC && c.growthMB < EVALUATION_FIGURES_MAX_RSS_GROWTH_MB,
          };
          progress(
            `[${engine}] evaluation-figures: ${c.entries} bases in ${c.seconds.toFixed(1)}s, RSS ${c.rssBeforeMB} → ${c.rssPeakMB} MB (+${c.growthMB} MB)`,
          );
        }
        // Opening the round and computing its figures rewrote all 50,000 entries (twice with the check
        // above): on PostgreSQL, as after the bulk seeding, vacuum as autovacuum would have by the time
        // evaluators open 【评分】 (it may be off on the bench's server). Counting a county's entries
        // otherwise visits the heap for every dead row version: 55 ms instead of under 1 ms.
        if (engine === "postgres") {
          const bulk = await openBulkDb(env);
          try {
            await bulk.analyze();
          } finally {
            await bulk.close();
          }
        }
      }
      if (needsGeneratedSchools(opts)) {
        progress(`[${engine}] 生成数据 generating school catalogue items and orders…`);
        schoolsGeneration = await seedSchools(env);
        const g = schoolsGeneration;
        progress(
          `[${engine}] 生成完成 generated ${g.items} items, ${g.schools} schools, ${g.orders} orders ` +
            `(measured school ${g.schoolOrders}, demo base ${g.baseOrders}) in ${g.seconds.toFixed(1)}s`,
        );
      }
      if (needsGeneratedVolunteers(opts)) {
        progress(`[${engine}] 生成数据 generating volunteers and service records…`);
        volunteersGeneration = await seedVolunteers(env);
        const g = volunteersGeneration;
        progress(
          `[${engine}] 生成完成 generated ${g.teams} teams, ${g.volunteers} volunteers, ${g.activities} activities, ` +
            `${g.services} service records in ${g.seconds.toFixed(1)}s`,
        );
      }
    }

    progress(
      `[${engine}] 启动应用 starting server.ts on ${appUrl} (log: ${path.relative(repoRoot, serverLog)})`,
    );
    const { app, startupSec, health } = await startApp(s, engine, env, appUrl, serverLog);
    const appAfterStartup = await requestMemory(app);
    const callId = generation?.callId ?? null;
    const baseId = basesGeneration?.sampleBaseId ?? null;
    const cookieOf = sessions(appUrl, {
      school: schoolsGeneration?.schoolLogin,
      base: schoolsGeneration?.baseLogin ?? volunteersGeneration?.baseLogin,
    });

    const targets: Array<Target & { headers: Record<string, string> }> = [];
    for (const t of opts.targets) {
      if (t.path.includes("{call}") && !callId) throw new Error(`${t.name}: no call id (no generated data)`);
      if (t.path.includes("{base}") && !baseId) throw new Error(`${t.name}: no base id (no generated bases)`);
      if (/\{(abase|month|year)\}/.test(t.path) && !activitiesGeneration)
        throw new Error(`${t.name}: no generated activities`);
      if (t.path.includes("{volunteer}") && !volunteersGeneration)
        throw new Error(`${t.name}: no generated volunteers`);
      const a = activitiesGeneration;
      targets.push({
        ...t,
        path: t.path
          .replaceAll("{call}", callId ?? "")
          .replaceAll("{base}", baseId ?? "")
          .replaceAll("{abase}", a?.sampleBaseId ?? "")
          .replaceAll("{month}", a?.month ?? "")
          .replaceAll("{year}", String(a?.year ?? ""))
          .replaceAll("{volunteer}", volunteersGeneration?.sampleVolunteerId ?? "")
          .replaceAll("{eentry}", evaluationGeneration?.sampleEntryId ?? ""),
        headers: { ...t.headers, ...(t.login ? { cookie: await cookieOf(t.login) } : {}) },
      });
    }

    const captures: CapturedResponse[] = [];
    for (const t of targets) {
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

    // A freshly started server is not yet the one pages meet in production: its code is not yet
    // optimized, its heap not yet grown, its pool's connections not yet opened (nor, on PostgreSQL,
    // their statements prepared). Its first target's 2 s warm-up did not cover that: the same page
    // measured first came out at up to twice the p99 it had when measured third (PostgreSQL,
    // /scoring/{eentry}: 127 ms, then 69 ms). So every target loads the app once before any is
    // measured, and a figure no longer depends on its place in the suite.
    if (opts.warmupSec > 0) {
      for (const t of targets) {
        const connections = opts.connections ?? t.connections;
        progress(`[${engine}] ${t.name} app: 预热服务器 server warm-up ${serverWarmupSec(opts)}s`);
        await runLoad(appUrl + t.path, {
          connections,
          durationSec: serverWarmupSec(opts),
          headers: t.headers,
        });
        await waitUntilIdle(appUrl + t.path, t.headers);
      }
    }

    const results: TargetResult[] = [];
    for (const [i, t] of targets.entries()) {
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
        pathTemplate: opts.targets[i].path,
        login: t.login ?? null,
        connections,
        headers: Object.fromEntries(
          Object.entries(t.headers).map(([k, v]) => [k, k === "cookie" ? "<session>" : v]),
        ),
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
        acceptance: p99Acceptance(t.acceptP99Ms, appStats),
        throughputAcceptance: throughputAcceptance(t.acceptMinThroughputRatio, appStats, baseStats),
        statedConnections: opts.targets[i].connections,
      });
    }
    const appAfterLoad = await requestMemory(app);
    const baselineAfterLoad = await requestMemory(baseline.child).catch(() => null);

    const checkNames = new Set(opts.checks.map((c) => c.name));
    let firstView: FirstViewResult | null = null;
    if (checkNames.has("first-view-after-change")) {
      if (!baseId) throw new Error("first-view-after-change needs the generated bases");
      firstView = await measureFirstView(engine, env, appUrl, baseline, baseId, opts);
    }

    let oversize: OversizeResult | null = null;
    if (checkNames.has("oversize-post")) {
      progress(`[${engine}] oversize-post: 100 MB anonymous POST /register`);
      oversize = await measureOversizePost(app, appUrl);
      progress(
        `[${engine}] oversize-post ${oversize.pass ? "PASS" : "FAIL"}: ${oversize.status} in ${oversize.seconds}s ` +
          `after ${(oversize.sentBytes / 1024 / 1024).toFixed(1)} MB sent, server RSS +${oversize.growthMB} MB ` +
          `(bars: 413, < ${OVERSIZE_MAX_SECONDS}s, < ${OVERSIZE_MAX_RSS_GROWTH_MB} MB)`,
      );
    }

    let auditFlood: AuditFloodResult | null = null;
    if (checkNames.has("audit-flood")) {
      progress(
        `[${engine}] audit-flood: ${FLOOD_SECONDS} s of cross-origin POST /login/staff at ${FLOOD_CONNECTIONS} connections`,
      );
      auditFlood = await measureAuditFlood(env, appUrl);
      progress(
        `[${engine}] audit-flood ${auditFlood.pass ? "PASS" : "FAIL"}: ${auditFlood.refused} of ${auditFlood.requests} ` +
          `requests refused, ${auditFlood.auditRowsAdded} audit rows added, audit:verify ${auditFlood.chainVerified ? "passed" : "FAILED"} ` +
          `(bars: < ${FLOOD_MAX_AUDIT_ROWS} rows, chain intact)`,
      );
    }

    let exportResult: ExportResult | null = null;
    if (checkNames.has("export-xlsx")) {
      if (!callId || !generation) throw new Error("export-xlsx needs the generated applications");
      const exportPath = `/review/export.xlsx?call=${callId}`;
      const cookie = await cookieOf("longyou");
      progress(`[${engine}] export-xlsx app: 下载 downloading ${exportPath} as longyou`);
      const { result, capture } = await measureExportApp(
        app,
        appUrl,
        exportPath,
        "longyou",
        cookie,
        generation.longyou,
      );
      exportResult = result;
      if (capture.status === 200) {
        await addBaselineRoutes(baseline.child, [capture]);
        progress(`[${engine}] export-xlsx baseline: 下载 downloading`);
        exportResult.baseline = await measureExportBaseline(baseline.child, baseline.url, exportPath, cookie);
      }
    }

    /** An export with an RSS-growth bar: downloaded from the app, then the same bytes from the baseline. */
    const barredExport = async (
      name: "export-activities-xlsx" | "export-volunteer-hours-xlsx",
      exportPath: string,
      login: "city" | "longyou",
      expectedRows: number,
      maxGrowthMB: number,
    ) => {
      const cookie = await cookieOf(login);
      progress(`[${engine}] ${name} app: 下载 downloading ${exportPath} as ${login}`);
      const { result, capture } = await measureExportApp(
        app,
        appUrl,
        exportPath,
        login,
        cookie,
        expectedRows,
        name,
      );
      const out = {
        ...result,
        maxGrowthMB,
        pass: result.app.problem === null && result.app.memory.growthMB < maxGrowthMB,
      };
      if (capture.status === 200) {
        await addBaselineRoutes(baseline.child, [capture]);
        progress(`[${engine}] ${name} baseline: 下载 downloading`);
        out.baseline = await measureExportBaseline(baseline.child, baseline.url, exportPath, cookie);
      }
      return out;
    };

    let activitiesExport: EngineResult["checks"]["activitiesExport"] = null;
    if (checkNames.has("export-activities-xlsx")) {
      if (!activitiesGeneration) throw new Error("export-activities-xlsx needs the generated activities");
      activitiesExport = await barredExport(
        "export-activities-xlsx",
        `/admin/activity-stats/export.xlsx?${activitiesGeneration.exportQuery}`,
        "city",
        activitiesGeneration.exportRows,
        ACTIVITIES_EXPORT_MAX_RSS_GROWTH_MB,
      );
    }

    let volunteerHoursExport: EngineResult["checks"]["volunteerHoursExport"] = null;
    if (checkNames.has("export-volunteer-hours-xlsx")) {
      if (!volunteersGeneration)
        throw new Error("export-volunteer-hours-xlsx needs the generated volunteers");
      volunteerHoursExport = await barredExport(
        "export-volunteer-hours-xlsx",
        `/admin/volunteers/hours.xlsx?${volunteersGeneration.exportQuery}`,
        "longyou",
        volunteersGeneration.exportRows,
        VOLUNTEER_HOURS_EXPORT_MAX_RSS_GROWTH_MB,
      );
    }

    let uploadResult: UploadResult | null = null;
    if (checkNames.has("upload-video")) {
      if (!callId) throw new Error("upload-video needs the demo call");
      const fileBytes = opts.uploadMB * 1024 * 1024;
      const slot = videoSlot();
      uploadResult = {
        name: "upload-video",
        path: null,
        slot: slot?.id ?? null,
        fileBytes,
        skipped: null,
        app: null,
        baseline: null,
        maxGrowthMB: UPLOAD_MAX_RSS_GROWTH_MB,
        pass: null,
      };
      if (!slot) {
        uploadResult.skipped =
          `no application slot accepts video in src/modules/files/slots.ts (${applicationSlotKinds()}); ` +
          `a slot in APPLICATION_SLOT_IDS needs "video" in its kinds (e.g. "others")`;
        uploadResult.pass = false;
      } else {
        const org = DEMO_ACCOUNTS.find((a) => a.kind === "org");
        if (!org) throw new Error("no demo org account in DEMO_ACCOUNTS");
        const orgCookie = await logIn(appUrl, "org", org.login, DEMO_PASSWORD);
        const draftId = await startDraft(appUrl, orgCookie, callId);
        const uploadPath = `/files/application/${draftId}/${slot.id}`;
        uploadResult.path = uploadPath;
        progress(
          `[${engine}] upload-video app: 上传 streaming ${opts.uploadMB} MB to ${uploadPath} as ${org.login}`,
        );
        try {
          const { side, capture } = await measureUploadApp(app, appUrl, uploadPath, orgCookie, fileBytes);
          uploadResult.app = side;
          if (side.problem === null) {
            await addBaselineRoutes(baseline.child, [capture]);
            progress(`[${engine}] upload-video baseline: 上传 streaming ${opts.uploadMB} MB`);
            uploadResult.baseline = await measureUploadBaseline(
              baseline.child,
              baseline.url,
              uploadPath,
              fileBytes,
            );
          }
          uploadResult.pass = side.problem === null && side.memory.growthMB < UPLOAD_MAX_RSS_GROWTH_MB;
        } catch (err) {
          // The server cut the upload off without an answer (or the client failed): report, go on.
          uploadResult.skipped = `the upload failed: ${err instanceof Error ? err.message : err}`;
          uploadResult.pass = false;
        }
      }
    }
    const appAfterChecks =
      exportResult || uploadResult || activitiesExport || volunteerHoursExport || firstView
        ? await requestMemory(app)
        : null;

    return {
      engine,
      startupSec,
      health,
      callId,
      baseId,
      generation,
      basesGeneration,
      activitiesGeneration,
      volunteersGeneration,
      workers: workersOf(env),
      targets: results,
      checks: {
        export: exportResult,
        upload: uploadResult,
        activitiesExport,
        volunteerHoursExport,
        firstView,
        oversize,
        auditFlood,
        evaluationFigures,
      },
      evaluationGeneration,
      memory: {
        appAfterStartup: toMB(appAfterStartup),
        appAfterLoad: toMB(appAfterLoad),
        appAfterChecks: appAfterChecks && toMB(appAfterChecks),
        baselineAfterLoad: baselineAfterLoad && toMB(baselineAfterLoad),
      },
      serverLog: path.relative(repoRoot, serverLog),
    };
  } finally {
    await s.close();
  }
}

/**
 * first-view-after-change (first-view.ts): the app, then the baseline with the same pages captured
 * from the app and the same sequence of database changes.
 */
async function measureFirstView(
  engine: Engine,
  env: NodeJS.ProcessEnv,
  appUrl: string,
  baseline: { child: NodeChild; url: string },
  baseId: string,
  opts: BenchOptions,
): Promise<FirstViewResult> {
  const db = await openLiveDb(env);
  try {
    const others = await db.select<{ id: string }>(
      `select id from bases where status = 'active' and id <> '${baseId}' order by id limit 3`,
    );
    if (others.length < 3) throw new Error("first-view-after-change: fewer than 4 active bases");
    const fill = (p: string) =>
      p
        .replaceAll("{base}", baseId)
        .replaceAll("{bg1}", others[0].id)
        .replaceAll("{bg2}", others[1].id)
        .replaceAll("{bg3}", others[2].id);
    const plan: FirstViewPlan = {
      backgroundPaths: FIRST_VIEW.backgroundPaths.map(fill),
      timedPaths: FIRST_VIEW.timedPaths.map(fill),
      changedBaseId: baseId,
      rounds: opts.quick ? FIRST_VIEW.quickRounds : FIRST_VIEW.rounds,
      spacingMs: FIRST_VIEW.spacingMs,
      connections: opts.connections ?? FIRST_VIEW.connections,
      warmupSec: Math.max(2, opts.warmupSec),
    };
    const result: FirstViewResult = {
      name: "first-view-after-change",
      plan,
      app: null,
      appIdle: null,
      baseline: null,
      maxP99Ms: FIRST_VIEW_MAX_P99_MS,
      pass: null,
      problem: null,
    };
    const captures: CapturedResponse[] = [];
    for (const p of [...plan.backgroundPaths, ...plan.timedPaths]) {
      const c = await captureResponse(appUrl, p);
      if (c.status !== 200) throw new Error(`first-view-after-change: ${p} answered ${c.status}`);
      captures.push(c);
    }
    progress(
      `[${engine}] first-view-after-change app: ${plan.rounds} changes, ${plan.connections} background connections`,
    );
    const app = await runFirstView(appUrl, plan, db, true, progress);
    result.app = app;
    if (app.hits > 0 || app.other > 0)
      result.problem = `${app.hits} timed requests were cache hits and ${app.other} were not 200 misses`;
    result.pass = result.problem === null && app.misses > 0 && app.latency.p99Ms <= FIRST_VIEW_MAX_P99_MS;
    progress(`[${engine}] first-view-after-change app, no background load (for comparison)`);
    result.appIdle = await runFirstView(appUrl, plan, db, true, progress, false);
    await addBaselineRoutes(baseline.child, captures);
    progress(`[${engine}] first-view-after-change baseline: the same sequence`);
    result.baseline = await runFirstView(baseline.url, plan, db, false, progress);
    return result;
  } finally {
    await db.close();
  }
}

/** Worker processes the server runs: KEPU_WORKERS, else one per core (at most 8), as the server decides. */
function workersOf(env: NodeJS.ProcessEnv): { count: number; fromEnv: boolean } {
  const raw = env.KEPU_WORKERS;
  if (raw) return { count: Number(raw), fromEnv: true };
  return { count: Math.min(os.availableParallelism(), 8), fromEnv: false };
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
  // With generated data: a first start, the generation, and the single checks (each bounded at 600 s).
  const perRunSec = opts.warmupSec + opts.durationSec + 2 * 70;
  const dataSec =
    (needsGeneratedData(opts) || needsGeneratedBases(opts) ? STARTUP_TIMEOUT_MS / 1000 : 0) +
    (needsGeneratedData(opts) ? 600 : 0) +
    (needsGeneratedBases(opts) ? 600 : 0) +
    (needsGeneratedActivities(opts) ? 1800 : 0) +
    (needsGeneratedSchools(opts) ? 1200 : 0) +
    (needsGeneratedVolunteers(opts) ? 1200 : 0);
  const checksSec = opts.checks.length * 2 * 600;
  const budgetSec =
    opts.engines.length *
    (STARTUP_TIMEOUT_MS / 1000 + 60 + dataSec + checksSec + opts.targets.length * 2 * perRunSec);
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
      suites: opts.suites,
      applications: opts.applications,
      uploadMB: opts.uploadMB,
      bases: opts.bases,
      activities: opts.activities,
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
