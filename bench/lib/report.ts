/** The printed table and the JSON written to bench/.out/. */
import type { LoadStats } from "./load.ts";
import type { Engine } from "./options.ts";

export interface MemoryMB {
  heapUsed: number;
  heapTotal: number;
  rss: number;
  external: number;
}

export interface TargetResult {
  name: string;
  path: string;
  connections: number;
  headers: Record<string, string>;
  /** Status and body size of the response the baseline replays. */
  captured: { status: number; bodyBytes: number; contentType: string | null; contentEncoding: string | null };
  app: LoadStats;
  baseline: LoadStats;
  /** app / baseline; null when the baseline value is 0 (latency has 1 ms resolution). */
  ratio: { throughput: number | null; p99: number | null };
}

export interface EngineResult {
  engine: Engine;
  startupSec: number;
  health: unknown;
  targets: TargetResult[];
  memory: { appAfterStartup: MemoryMB; appAfterLoad: MemoryMB; baselineAfterLoad: MemoryMB | null };
  serverLog: string;
}

export interface RunResult {
  timestamp: string;
  commit: string | null;
  node: string;
  platform: string;
  cpus: number;
  totalMemGB: number;
  options: { durationSec: number; warmupSec: number; quick: boolean; connectionsOverride: number | null };
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

export function formatEngine(r: EngineResult, run: Pick<RunResult, "options">): string {
  const o = run.options;
  const out: string[] = [];
  out.push(
    `== engine: ${r.engine}   measured ${o.durationSec}s after ${o.warmupSec}s warm-up per run   (server ready in ${r.startupSec.toFixed(1)}s)`,
  );
  out.push(
    table(
      [
        "target",
        "path",
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
        t.path,
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
    ),
  );
  out.push("");
  const m = r.memory;
  const memRows = [
    ["app server, after startup", m.appAfterStartup],
    ["app server, after load", m.appAfterLoad],
    ...(m.baselineAfterLoad ? [["baseline, after load", m.baselineAfterLoad] as const] : []),
  ] as Array<readonly [string, MemoryMB]>;
  out.push(
    table(
      ["memory (MB)", "heapUsed", "heapTotal", "RSS"],
      memRows.map(([label, mem]) => [label, fmt(mem.heapUsed), fmt(mem.heapTotal), fmt(mem.rss)]),
      1,
    ),
  );
  const warnings: string[] = [];
  for (const t of r.targets) {
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
    if (a > 0 && b > 0 && Math.abs(a - b) / b > 0.02)
      warnings.push(
        `${t.name}: app sends ${a.toFixed(0)} B/response, baseline ${b.toFixed(0)} B: not like for like`,
      );
  }
  if (warnings.length) out.push("", "警告 warnings:", ...warnings.map((w) => `  ! ${w}`));
  return out.join("\n");
}
