import type { EvaluationComputeResult, EvaluationSeedResult } from "./seed-evaluation.ts";
/** The printed tables and the JSON written to bench/.out/. */

import type { ExportResult, MemorySummary, UploadResult } from "./checks.ts";
import type { AuditFloodResult, OversizeResult } from "./edge.ts";
import type { FirstViewResult, FirstViewSide } from "./first-view.ts";
import type { LoadStats } from "./load.ts";
import { type Engine, serverWarmupSec } from "./options.ts";
import type { ActivitiesSeedResult } from "./seed-activities.ts";
import type { SeedResult } from "./seed-applications.ts";
import type { BasesSeedResult } from "./seed-bases.ts";
import type { VolunteersSeedResult } from "./seed-volunteers.ts";
import type { Suite } from "./targets.ts";

export interface MemoryMB {
  heapUsed: number;
  heapTotal: number;
  rss: number;
  external: number;
}

export interface TargetResult {
  name: string;
  /** As sent (with the call id filled in). */
  path: string;
  /** As written in targets.ts (`{call}` for the call id), for the table. */
  pathTemplate: string;
  /** The demo staff account the requests were signed in as, if any. */
  login: string | null;
  connections: number;
  /** Request headers sent (the session cookie is shown as `<session>`). */
  headers: Record<string, string>;
  /** Status and body size of the response the baseline replays. */
  captured: { status: number; bodyBytes: number; contentType: string | null; contentEncoding: string | null };
  app: LoadStats;
  baseline: LoadStats;
  /** app / baseline; null when the baseline value is 0 (latency has 1 ms resolution). */
  ratio: { throughput: number | null; p99: number | null };
  /** The p99 bar of the target, if it has one. */
  acceptance: { p99MaxMs: number; pass: boolean } | null;
  /** The throughput bar (app ÷ baseline req/s) of the target, if it has one. */
  throughputAcceptance: { minRatio: number; pass: boolean } | null;
  /** Connections the target's bars are stated for (targets.ts), before any --connections override. */
  statedConnections: number;
}

export interface EngineResult {
  engine: Engine;
  startupSec: number;
  health: unknown;
  /** The demo call the applications belong to. */
  callId: string | null;
  /** The generated base the detail targets load. */
  baseId: string | null;
  generation: SeedResult | null;
  basesGeneration: BasesSeedResult | null;
  activitiesGeneration: ActivitiesSeedResult | null;
  volunteersGeneration?: VolunteersSeedResult | null;
  /** The server's worker processes (KEPU_WORKERS, default one per core). */
  workers: { count: number; fromEnv: boolean };
  targets: TargetResult[];
  checks: {
    export: ExportResult | null;
    upload: UploadResult | null;
    /** The activities export, with its RSS-growth bar. */
    activitiesExport: (ExportResult & { maxGrowthMB: number; pass: boolean }) | null;
    /** The volunteers' county hours export, with its RSS-growth bar. */
    volunteerHoursExport?: (ExportResult & { maxGrowthMB: number; pass: boolean }) | null;
    /** The bases suite's first view of a directory page after a change, under a cached background load. */
    firstView: FirstViewResult | null;
    /** The edge suite: a 100 MB anonymous form post, refused at once. */
    oversize?: OversizeResult | null;
    auditFlood?: AuditFloodResult | null;
    /** The evaluation suite: a round's automatic indicators over every base, in a fresh process. */
    evaluationFigures?:
      | (EvaluationComputeResult & { maxSec: number; maxGrowthMB: number; pass: boolean })
      | null;
  };
  evaluationGeneration?: EvaluationSeedResult | null;
  memory: {
    appAfterStartup: MemoryMB;
    appAfterLoad: MemoryMB;
    appAfterChecks: MemoryMB | null;
    baselineAfterLoad: MemoryMB | null;
  };
  serverLog: string;
}

export interface RunResult {
  timestamp: string;
  commit: string | null;
  node: string;
  platform: string;
  cpus: number;
  totalMemGB: number;
  options: {
    durationSec: number;
    warmupSec: number;
    quick: boolean;
    connectionsOverride: number | null;
    suites: Suite[];
    applications: number;
    uploadMB: number;
    bases: number;
    activities: number;
  };
  engines: EngineResult[];
}

export function toMB(u: NodeJS.MemoryUsage): MemoryMB {
  const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
  return { heapUsed: mb(u.heapUsed), heapTotal: mb(u.heapTotal), rss: mb(u.rss), external: mb(u.external) };
}

export function ratio(app: number, baseline: number): number | null {
  return baseline > 0 ? Math.round((app / baseline) * 1000) / 1000 : null;
}

const fmt = (n: number | null, digits = 1) => (n === null || !Number.isFinite(n) ? "n/a" : n.toFixed(digits));

function table(header: string[], rows: string[][], leftCols = 2): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < leftCols ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

const p99 = (s: LoadStats) => (s.totalRequests ? fmt(s.latencyP99Ms, 0) : "n/a");

/** autocannon counts timeouts among errors too. */
function problems(s: LoadStats): number {
  return s.errors + s.non2xx;
}

/** PASS when the app completed requests without errors and kept at least this share of the baseline's req/s. */
export function throughputAcceptance(
  minRatio: number | undefined,
  app: LoadStats,
  baseline: LoadStats,
): TargetResult["throughputAcceptance"] {
  if (minRatio === undefined) return null;
  const r = ratio(app.requestsPerSec, baseline.requestsPerSec);
  return { minRatio, pass: app.totalRequests > 0 && problems(app) === 0 && r !== null && r >= minRatio };
}

/** PASS when the app completed requests without errors and its p99 is within the bar. */
export function p99Acceptance(p99MaxMs: number | undefined, app: LoadStats): TargetResult["acceptance"] {
  if (p99MaxMs === undefined) return null;
  return {
    p99MaxMs,
    pass: app.totalRequests > 0 && problems(app) === 0 && app.latencyP99Ms <= p99MaxMs,
  };
}

const memCells = (m: MemorySummary) => `${fmt(m.beforeMB)}/${fmt(m.peakMB)}/${fmt(m.afterMB)}`;

function formatChecks(r: EngineResult): { lines: string[]; acceptance: string[]; warnings: string[] } {
  const { export: ex, upload: up } = r.checks;
  const rows: string[][] = [];
  const acceptance: string[] = [];
  const warnings: string[] = [];
  if (ex) {
    rows.push([
      ex.name,
      `GET /review/export.xlsx?call={call} as ${ex.login}`,
      fmt(ex.app.seconds, 2),
      ex.baseline ? fmt(ex.baseline.seconds, 3) : "n/a",
      ex.baseline ? fmt(ratio(ex.app.seconds, ex.baseline.seconds), 1) : "n/a",
      fmt(ex.app.bytes / 1024 / 1024, 2),
      ex.app.rows === null ? "n/a" : String(ex.app.rows),
      memCells(ex.app.memory),
      fmt(ex.app.memory.growthMB),
      ex.baseline ? fmt(ex.baseline.memory.growthMB) : "n/a",
    ]);
    acceptance.push(
      ex.app.problem
        ? `  FAIL  export-xlsx      ${ex.app.problem}`
        : `  OK    export-xlsx      valid XLSX (PK), ${ex.app.rows} data rows as expected, ${fmt(ex.app.seconds, 2)} s, ${fmt(ex.app.bytes / 1024 / 1024, 2)} MB, RSS ${fmt(ex.app.memory.beforeMB)} → peak ${fmt(ex.app.memory.peakMB)} → ${fmt(ex.app.memory.afterMB)} MB`,
    );
  }
  const ef = r.checks.evaluationFigures;
  if (ef)
    acceptance.push(
      `  ${ef.pass ? "PASS" : "FAIL"}  evaluation-figures  ${ef.entries} bases' automatic indicators in ${fmt(ef.seconds, 1)} s (≤ ${ef.maxSec} s), ` +
        `RSS ${fmt(ef.rssBeforeMB)} → peak ${fmt(ef.rssPeakMB)} MB, growth ${fmt(ef.growthMB)} MB (< ${ef.maxGrowthMB} MB)`,
    );
  for (const ax of [r.checks.activitiesExport, r.checks.volunteerHoursExport]) {
    if (!ax) continue;
    rows.push([
      ax.name,
      `GET ${ax.path} as ${ax.login}`,
      fmt(ax.app.seconds, 2),
      ax.baseline ? fmt(ax.baseline.seconds, 3) : "n/a",
      ax.baseline ? fmt(ratio(ax.app.seconds, ax.baseline.seconds), 1) : "n/a",
      fmt(ax.app.bytes / 1024 / 1024, 2),
      ax.app.rows === null ? "n/a" : String(ax.app.rows),
      memCells(ax.app.memory),
      fmt(ax.app.memory.growthMB),
      ax.baseline ? fmt(ax.baseline.memory.growthMB) : "n/a",
    ]);
    acceptance.push(
      ax.app.problem
        ? `  FAIL  ${ax.name}  ${ax.app.problem}`
        : `  ${ax.pass ? "PASS" : "FAIL"}  ${ax.name}  ${ax.app.rows} rows streamed, peak RSS growth ${fmt(ax.app.memory.growthMB)} MB ${ax.pass ? "<" : "≥"} ${ax.maxGrowthMB} MB (${fmt(ax.app.seconds, 1)} s, ${fmt(ax.app.bytes / 1024 / 1024, 1)} MB)`,
    );
  }
  if (up) {
    if (up.app) {
      rows.push([
        up.name,
        `POST /files/application/<draft>/${up.slot} (${fmt(up.fileBytes / 1024 / 1024, 0)} MB MP4)`,
        fmt(up.app.seconds, 2),
        up.baseline ? fmt(up.baseline.seconds, 3) : "n/a",
        up.baseline ? fmt(ratio(up.app.seconds, up.baseline.seconds), 1) : "n/a",
        fmt(up.fileBytes / 1024 / 1024, 0),
        "",
        memCells(up.app.memory),
        fmt(up.app.memory.growthMB),
        up.baseline ? fmt(up.baseline.memory.growthMB) : "n/a",
      ]);
      if (up.app.problem) warnings.push(`upload-video: ${up.app.problem}`);
    }
    acceptance.push(
      up.skipped
        ? `  FAIL  upload-video     not measured: ${up.skipped}`
        : up.app?.problem
          ? `  FAIL  upload-video     upload refused or wrong: ${up.app.problem}`
          : `  ${up.pass ? "PASS" : "FAIL"}  upload-video     peak RSS growth ${fmt(up.app!.memory.growthMB)} MB ${up.pass ? "<" : "≥"} ${up.maxGrowthMB} MB while streaming ${fmt(up.fileBytes / 1024 / 1024, 0)} MB (${fmt(up.app!.mbPerSec, 0)} MB/s; baseline ${up.baseline ? `${fmt(up.baseline.mbPerSec, 0)} MB/s, +${fmt(up.baseline.memory.growthMB)} MB` : "n/a"})`,
    );
  }
  const lines = rows.length
    ? [
        table(
          [
            "check",
            "what",
            "app s",
            "base s",
            "s app/base",
            "MB",
            "rows",
            "app RSS before/peak/after MB",
            "app RSS growth MB",
            "base RSS growth MB",
          ],
          rows,
        ),
      ]
    : [];
  return { lines, acceptance, warnings };
}

function formatFirstView(f: FirstViewResult | null): {
  lines: string[];
  acceptance: string[];
  warnings: string[];
} {
  if (!f) return { lines: [], acceptance: [], warnings: [] };
  const p = f.plan;
  const lines = [
    `first-view-after-change: ${p.rounds} rounds, ~${p.spacingMs} ms apart: update base ${p.changedBaseId} and bump the bases generation in one transaction, ` +
      `then one anonymous GET (kept-alive connection) of ${p.timedPaths.length} pages in turn; background: ${p.connections} connections cycling ${p.backgroundPaths.length} other cached pages`,
  ];
  const sides = [
    ["app", f.app],
    ["app, no background", f.appIdle],
    ["baseline", f.baseline],
  ] as Array<[string, FirstViewSide | null]>;
  lines.push(
    table(
      [
        "side",
        "timed",
        "miss",
        "hit",
        "other",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        "change p50/max ms",
        "bg req/s",
        "bg p99 ms",
        "bg errors",
      ],
      sides
        .filter((x): x is [string, FirstViewSide] => x[1] !== null)
        .map(([who, s]) => [
          who,
          String(s.timed),
          who.startsWith("app") ? String(s.misses) : "n/a",
          who.startsWith("app") ? String(s.hits) : "n/a",
          String(s.other),
          fmt(s.latency.p50Ms),
          fmt(s.latency.p95Ms),
          fmt(s.latency.p99Ms),
          fmt(s.latency.maxMs),
          `${fmt(s.changeMs.p50Ms)}/${fmt(s.changeMs.maxMs)}`,
          s.background ? fmt(s.background.requestsPerSec) : "-",
          s.background ? p99(s.background) : "-",
          s.background ? String(problems(s.background)) : "-",
        ]),
      1,
    ),
  );
  if (f.app)
    lines.push(
      "",
      table(
        ["first view (app), page", "n", "p50 ms", "p95 ms", "p99 ms", "max ms"],
        f.app.perPath.map((x) => [
          x.path,
          String(x.n),
          fmt(x.p50Ms),
          fmt(x.p95Ms),
          fmt(x.p99Ms),
          fmt(x.maxMs),
        ]),
        1,
      ),
    );
  const acceptance: string[] = [];
  const warnings: string[] = [];
  const a = f.app;
  if (!a) acceptance.push("  FAIL  first-view-after-change  not measured");
  else {
    const base =
      (f.appIdle ? `; with no background load p99 ${fmt(f.appIdle.latency.p99Ms)} ms` : "") +
      (f.baseline ? `; baseline p99 ${fmt(f.baseline.latency.p99Ms)} ms` : "");
    acceptance.push(
      `  ${f.pass ? "PASS" : "FAIL"}  first-view-after-change  p99 ${fmt(a.latency.p99Ms)} ms ${a.latency.p99Ms <= f.maxP99Ms ? "≤" : ">"} ${f.maxP99Ms} ms over ${a.misses} first views (misses) after a change (p50 ${fmt(a.latency.p50Ms)}, p95 ${fmt(a.latency.p95Ms)}${base})` +
        (f.problem ? `; INVALID samples: ${f.problem}` : ""),
    );
    if (f.problem) warnings.push(`first-view-after-change: ${f.problem}`);
    for (const [who, s] of sides) {
      const bg = s?.background;
      if (bg && problems(bg) > 0)
        warnings.push(`first-view-after-change ${who} background: ${bg.errors} errors, ${bg.non2xx} non-2xx`);
      if (bg && bg.drainSec > 1)
        warnings.push(
          `first-view-after-change ${who}: needed ${bg.drainSec.toFixed(1)}s after the run to finish in-flight requests`,
        );
      if (s && who === "app, no background" && s.hits + s.other > 0)
        warnings.push(`first-view-after-change ${who}: ${s.hits} hits, ${s.other} not 200 (left out)`);
    }
  }
  return { lines, acceptance, warnings };
}

export function formatEngine(r: EngineResult, run: Pick<RunResult, "options">): string {
  const o = run.options;
  const out: string[] = [];
  out.push(
    `== engine: ${r.engine}   measured ${o.durationSec}s after ${o.warmupSec}s warm-up per run, the app first warmed up ${serverWarmupSec(o)}s per target   (server ready in ${r.startupSec.toFixed(1)}s)`,
    `   server: ${r.workers.count} worker process${r.workers.count === 1 ? "" : "es"} (${r.workers.fromEnv ? "KEPU_WORKERS" : "KEPU_WORKERS unset: one per core, at most 8"}); load generator and baseline share the same machine`,
  );
  if (r.activitiesGeneration) {
    const g = r.activitiesGeneration;
    out.push(
      `   generated before start: ${g.activities} activities (${g.tags} campaign tags, ${g.campaigns} campaigns) in ${g.seconds.toFixed(1)}s (insert ${g.insertSec.toFixed(1)}s; commit ${g.commitSec.toFixed(1)}s${r.engine === "postgres" ? `; totals ${g.totalsSec.toFixed(1)}s; analyze ${g.analyzeSec.toFixed(1)}s` : ""}); calendar month ${g.month}, stats year ${g.year}`,
    );
  }
  if (r.volunteersGeneration) {
    const g = r.volunteersGeneration;
    out.push(
      `   generated before start: ${g.teams} teams, ${g.volunteers} volunteers, ${g.activities} activities, ${g.services} service records in ${g.seconds.toFixed(1)}s${r.engine === "postgres" ? ` (analyze ${g.analyzeSec.toFixed(1)}s)` : ""}; ` +
        `demo base's team ${g.demoTeamSize} volunteers, {volunteer} = ${g.sampleVolunteerId} (${g.sampleServices} services)`,
    );
  }
  if (r.basesGeneration) {
    const g = r.basesGeneration;
    out.push(
      `   generated before start: ${g.bases} bases in ${g.seconds.toFixed(1)}s (insert ${g.insertSec.toFixed(1)}s; commit ${g.commitSec.toFixed(1)}s${r.engine === "postgres" ? `; analyze ${g.analyzeSec.toFixed(1)}s` : ""}); ` +
        `statuses: ${Object.entries(g.perStatus)
          .map(([k, v]) => `${k} ${v}`)
          .join(", ")}`,
      `   {base} = ${r.baseId}; *-uncached targets send Cache-Control: no-cache on every request (the response cache skips its lookup and renders): ` +
        "a render-throughput stress figure, no bar; the acceptance's first view after a change is first-view-after-change below",
    );
  }
  if (r.generation) {
    const g = r.generation;
    out.push(
      `   generated before start: ${g.applications} applications, ${g.users} org users, ${g.events} events, ${g.files} file rows in ${g.seconds.toFixed(1)}s` +
        ` (inserts: ${Object.entries(g.insertSec)
          .map(([k, v]) => `${k} ${v.toFixed(1)}s`)
          .join(
            ", ",
          )}; commit ${g.commitSec.toFixed(1)}s${r.engine === "postgres" ? `; analyze ${g.analyzeSec.toFixed(1)}s` : ""})`,
      `   龙游县 ${g.longyou} of ${g.applications}; statuses: ${Object.entries(g.perStatus)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}`,
    );
  }
  if (r.callId) out.push(`   {call} = ${r.callId}`);
  if (r.targets.length)
    out.push(
      table(
        [
          "target",
          "path",
          "as",
          "conns",
          "app req/s",
          "base req/s",
          "req/s app/base",
          "app p99 ms",
          "base p99 ms",
          "p99 app/base",
          "app p50 ms",
          "KB/resp",
          "errors app/base",
        ],
        r.targets.map((t) => [
          t.name,
          t.pathTemplate,
          t.login ?? "-",
          String(t.connections),
          fmt(t.app.requestsPerSec),
          fmt(t.baseline.requestsPerSec),
          fmt(t.ratio.throughput, 3),
          p99(t.app),
          p99(t.baseline),
          fmt(t.ratio.p99, 2),
          t.app.totalRequests ? fmt(t.app.latencyP50Ms, 0) : "n/a",
          fmt(t.captured.bodyBytes / 1024),
          `${problems(t.app)}/${problems(t.baseline)}`,
        ]),
        3,
      ),
    );
  const checks = formatChecks(r);
  if (checks.lines.length) out.push("", ...checks.lines);
  const fv = formatFirstView(r.checks.firstView);
  if (fv.lines.length) out.push("", ...fv.lines);
  checks.acceptance.push(...fv.acceptance);
  checks.warnings.push(...fv.warnings);
  out.push("");
  const m = r.memory;
  const memRows = [
    ["app server, after startup", m.appAfterStartup],
    ["app server, after load", m.appAfterLoad],
    ...(m.appAfterChecks ? [["app server, after checks", m.appAfterChecks] as const] : []),
    ...(m.baselineAfterLoad ? [["baseline, after load", m.baselineAfterLoad] as const] : []),
  ] as Array<readonly [string, MemoryMB]>;
  out.push(
    table(
      ["memory (MB)", "heapUsed", "heapTotal", "RSS"],
      memRows.map(([label, mem]) => [label, fmt(mem.heapUsed), fmt(mem.heapTotal), fmt(mem.rss)]),
      1,
    ),
  );
  const acceptance: string[] = [];
  for (const t of r.targets) {
    if (!t.acceptance) continue;
    const bar = t.acceptance.p99MaxMs;
    const detail = t.app.totalRequests
      ? `p99 ${fmt(t.app.latencyP99Ms, 0)} ms ${t.app.latencyP99Ms <= bar ? "≤" : ">"} ${bar} ms at ${t.connections} connections` +
        (problems(t.app) ? `, ${problems(t.app)} errors` : "")
      : "no request completed";
    acceptance.push(`  ${t.acceptance.pass ? "PASS" : "FAIL"}  ${t.name.padEnd(15)}  ${detail}`);
  }
  for (const t of r.targets) {
    if (!t.throughputAcceptance) continue;
    const { minRatio, pass } = t.throughputAcceptance;
    acceptance.push(
      `  ${pass ? "PASS" : "FAIL"}  ${t.name.padEnd(15)}  ${fmt(t.app.requestsPerSec)} req/s = ${fmt(t.ratio.throughput, 3)} of the baseline's ${fmt(t.baseline.requestsPerSec)} (bar ≥ ${minRatio}) at ${t.connections} connections`,
    );
  }
  acceptance.push(...checks.acceptance);
  if (acceptance.length) out.push("", `验收 acceptance (${r.engine}):`, ...acceptance);

  const warnings: string[] = [...checks.warnings];
  for (const t of r.targets) {
    if ((t.acceptance || t.throughputAcceptance) && t.connections !== t.statedConnections)
      warnings.push(
        `${t.name}: the bar is stated for ${t.statedConnections} connections, this run used ${t.connections}`,
      );
    for (const [who, s] of [
      ["app", t.app],
      ["baseline", t.baseline],
    ] as const) {
      if (s.totalRequests === 0)
        warnings.push(
          `${t.name} ${who}: no request completed within the run (too slow for its length or connections)`,
        );
      else if (s.drainSec > 1)
        warnings.push(
          `${t.name} ${who}: needed ${s.drainSec.toFixed(1)}s after the run to finish in-flight requests`,
        );
      if (problems(s) > 0)
        warnings.push(
          `${t.name} ${who}: ${s.errors} errors (${s.timeouts} of them timeouts), ${s.non2xx} non-2xx (status ${JSON.stringify(s.statusCodes)})`,
        );
    }
    const a = t.app.bytesPerResponse;
    const b = t.baseline.bytesPerResponse;
    // autocannon counts the bytes of responses still arriving when the run ends, but not those
    // responses: with few completed requests that alone can add up to `connections` responses' worth.
    const inFlight = (t.connections * b) / Math.max(1, t.app.totalRequests);
    if (a > 0 && b > 0 && Math.abs(a - b) / b > 0.02 && Math.abs(a - b) > inFlight)
      warnings.push(
        `${t.name}: app sends ${a.toFixed(0)} B/response, baseline ${b.toFixed(0)} B: not like for like`,
      );
  }
  if (warnings.length) out.push("", "警告 warnings:", ...warnings.map((w) => `  ! ${w}`));
  return out.join("\n");
}
