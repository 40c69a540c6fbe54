import { parseArgs } from "node:util";
import {
  checks as allChecks,
  targets as allTargets,
  type Check,
  SUITES,
  type Suite,
  type Target,
} from "./targets.ts";

export type Engine = "sqlite" | "postgres";

export interface BenchOptions {
  engines: Engine[];
  durationSec: number;
  warmupSec: number;
  /** Overrides each target's connections when set. */
  connections: number | undefined;
  quick: boolean;
  suites: Suite[];
  targets: Target[];
  checks: Check[];
  /** Applications to generate for the applications suite. */
  applications: number;
  /** Size of the video the upload check streams, in MB. */
  uploadMB: number;
  /** Bases to generate for the bases suite (and the activities suite). */
  bases: number;
  /** Activities to generate for the activities suite. */
  activities: number;
}

export const usage = `用法 usage: npm run bench -- [选项 options]

  --engine sqlite|postgres|both   数据库（默认 sqlite，或环境变量 BENCH_ENGINE）
  --suite core|applications|bases|activities|schools|volunteers|edge|evaluation|all
                                  测哪一组（默认 all）：core = 首页、healthz；
                                  applications = 生成申报数据后测审核队列、XLSX 导出、视频上传；
                                  bases = 生成 50,000 个基地后测科普基地名录、筛选、搜索、详情（缓存与不缓存）；
                                  activities = 再生成 2,000,000 个活动，测活动日历、基地活动列表、活动统计、活动导出；
                                  schools = 再生成 250,000 个双减项目、1,000,000 个点单，测项目目录（县+年级筛选）、学校与基地的点单列表；
                                  volunteers = 再生成 200,000 名志愿者、2,000,000 条服务记录，测服务队名册、志愿者服务记录页、县服务时长导出
  --duration N                    每个目标的测量时长，秒（默认 10，最多 300）
  --warmup N                      测量前的预热时长，秒（默认 2，最多 60）
  --connections N                 覆盖所有目标的并发连接数（默认见 bench/lib/targets.ts）
  --only a,b                      只测这些目标或单次测量（按名称，如 home,review-city,export-xlsx）
  --apps N                        生成的申报数（默认 20000，至少 60）
  --upload-mb N                   上传视频的大小，MB（默认 200）
  --bases N                       生成的科普教育基地数（默认 50000，至少 100）
  --activities N                  生成的基地活动数（默认 2000000，至少 1000）
  --quick                         冒烟测试：--duration 2 --warmup 1
  -h, --help                      显示本帮助

  目标 targets: ${allTargets.map((t) => t.name).join(", ")}
  单次测量 checks: ${allChecks.map((c) => c.name).join(", ")}

  BENCH_PG_URL   PostgreSQL 管理连接（默认 postgres://postgres@127.0.0.1:5432/postgres）
`;

function intIn(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`--${name} 须为 ${min}–${max} 的整数：${raw}`);
  return n;
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      engine: { type: "string" },
      suite: { type: "string" },
      duration: { type: "string" },
      warmup: { type: "string" },
      connections: { type: "string" },
      only: { type: "string" },
      apps: { type: "string" },
      "upload-mb": { type: "string" },
      bases: { type: "string" },
      activities: { type: "string" },
      quick: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return "help";

  const engineRaw = values.engine ?? env.BENCH_ENGINE ?? "sqlite";
  const engines: Engine[] =
    engineRaw === "both"
      ? ["sqlite", "postgres"]
      : engineRaw === "sqlite" || engineRaw === "postgres"
        ? [engineRaw]
        : (() => {
            throw new Error(`--engine 须为 sqlite、postgres 或 both：${engineRaw}`);
          })();

  const suiteRaw = values.suite ?? "all";
  const suites: Suite[] =
    suiteRaw === "all"
      ? [...SUITES]
      : (SUITES as readonly string[]).includes(suiteRaw)
        ? [suiteRaw as Suite]
        : (() => {
            throw new Error(
              `--suite 须为 core、applications、bases、activities、schools、volunteers、edge、evaluation 或 all：${suiteRaw}`,
            );
          })();

  const quick = values.quick;
  const durationSec = intIn("duration", values.duration, quick ? 2 : 10, 1, 300);
  const warmupSec = intIn("warmup", values.warmup, quick ? 1 : 2, 0, 60);
  const connections =
    values.connections === undefined ? undefined : intIn("connections", values.connections, 0, 1, 1024);
  const applications = intIn("apps", values.apps, 20_000, 60, 1_000_000);
  const uploadMB = intIn("upload-mb", values["upload-mb"], 200, 1, 4000);
  const bases = intIn("bases", values.bases, 50_000, 100, 1_000_000);
  const activities = intIn("activities", values.activities, 2_000_000, 1000, 10_000_000);

  let targets = allTargets.filter((t) => suites.includes(t.suite));
  let checks = allChecks.filter((c) => suites.includes(c.suite));
  if (values.only) {
    // Names given explicitly are taken from every suite.
    const names = values.only
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const known = [...allTargets.map((t) => t.name), ...allChecks.map((c) => c.name)];
    const unknown = names.filter((n) => !known.includes(n));
    if (unknown.length)
      throw new Error(`未知目标 unknown target(s): ${unknown.join(", ")}（可选：${known.join(", ")}）`);
    targets = allTargets.filter((t) => names.includes(t.name));
    checks = allChecks.filter((c) => names.includes(c.name as string));
  }
  for (const t of targets) {
    if (!t.path.startsWith("/")) throw new Error(`target ${t.name}: path must start with "/"`);
  }
  if (new Set(targets.map((t) => t.name)).size !== targets.length)
    throw new Error("target names must be unique");
  return {
    engines,
    durationSec,
    warmupSec,
    connections,
    quick,
    suites,
    targets,
    checks,
    applications,
    uploadMB,
    bases,
    activities,
  };
}

/** Whether the run needs the generated bases (any bases- or activities-suite target or check). */
export function needsGeneratedBases(opts: Pick<BenchOptions, "targets" | "checks">): boolean {
  return (
    needsGeneratedActivities(opts) ||
    needsGeneratedSchools(opts) ||
    needsGeneratedVolunteers(opts) ||
    [...opts.targets, ...opts.checks].some((x) => x.suite === "bases")
  );
}

/** Whether the run needs the generated catalogue items, schools and orders (any schools-suite target). */
export function needsGeneratedSchools(opts: Pick<BenchOptions, "targets" | "checks">): boolean {
  return [...opts.targets, ...opts.checks].some((x) => x.suite === "schools");
}

/** Whether the run needs the generated volunteers and service records (any volunteers-suite target or check). */
export function needsGeneratedVolunteers(opts: Pick<BenchOptions, "targets" | "checks">): boolean {
  return [...opts.targets, ...opts.checks].some((x) => x.suite === "volunteers");
}

/** Whether the run needs the generated activities (any activities-suite target or check). */
export function needsGeneratedActivities(opts: Pick<BenchOptions, "targets" | "checks">): boolean {
  return (
    needsEvaluationRound(opts) || [...opts.targets, ...opts.checks].some((x) => x.suite === "activities")
  );
}

/** Whether the run needs the generated evaluation round (any evaluation-suite target or check). */
export function needsEvaluationRound(opts: Pick<BenchOptions, "targets" | "checks">): boolean {
  return [...opts.targets, ...opts.checks].some((x) => x.suite === "evaluation");
}

/** Whether the run needs the generated applications (any applications-suite target or check). */
export function needsGeneratedData(opts: Pick<BenchOptions, "targets" | "checks">): boolean {
  return [...opts.targets, ...opts.checks].some((x) => x.suite === "applications");
}

/** Seconds each target loads a freshly started app before any target is measured (none without warm-up). */
export const serverWarmupSec = (opts: Pick<BenchOptions, "warmupSec">) =>
  opts.warmupSec > 0 ? opts.warmupSec + 1 : 0;
