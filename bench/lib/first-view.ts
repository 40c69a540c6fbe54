/**
 * The bases suite's first-view-after-change check: issue 4's "uncached (first view after a change)".
 *
 * While a background load of anonymous visitors keeps the directory pages busy in the response
 * cache, the check repeatedly makes a real change visible to the server (one base's row updated and
 * the `bases` generation bumped in one transaction, as the app does) and then times one anonymous
 * GET of a directory page. That page is never requested by the background load, so the timed request
 * is the first view of it since the change and must be a cache miss (`X-Kepu-Cache: miss`); a hit
 * would mean the change was not seen and the sample is not what it claims to be, so hits are counted
 * and kept out of the percentiles. The background pages are invalidated by every change as well, so
 * each worker re-renders them once while the timed request runs: the render queue a real change meets.
 *
 * The same sequence (background load, change, timed GET) then runs against the baseline, which
 * replays the captured bytes: what the machine, the load generator and node:http cost on their own.
 */
import http from "node:http";
import type { LiveDb } from "./bulk-db.ts";
import { type LoadStats, startLoad } from "./load.ts";
import { assertLoopback, waitUntilIdle } from "./processes.ts";

export const FIRST_VIEW_MAX_P99_MS = 100;

export interface FirstViewPlan {
  /** Pages the background load cycles through (all cacheable, anonymous). */
  backgroundPaths: string[];
  /** Pages timed after each change, in turn; none of them is in the background mix. */
  timedPaths: string[];
  /** The base whose row each change updates (its page is one of the timed pages). */
  changedBaseId: string;
  rounds: number;
  spacingMs: number;
  connections: number;
  warmupSec: number;
}

export interface Percentiles {
  n: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface FirstViewSide {
  /** Timed requests made (one per round). */
  timed: number;
  /** Answered `X-Kepu-Cache: miss` (app) — the valid samples. On the baseline every 200 counts. */
  misses: number;
  /** Answered `X-Kepu-Cache: hit` (app): the change was not seen; kept out of the percentiles. */
  hits: number;
  /** Not 200, or no X-Kepu-Cache header on the app. */
  other: number;
  latency: Percentiles;
  perPath: Array<{ path: string } & Percentiles>;
  /** The change transaction, as the harness timed it (database round trip included). */
  changeMs: Percentiles;
  /** null: measured without a background load. */
  background: LoadStats | null;
  seconds: number;
}

export interface FirstViewResult {
  name: "first-view-after-change";
  plan: FirstViewPlan;
  app: FirstViewSide | null;
  /** The same rounds with no background load: the render alone, without the queue a change meets. */
  appIdle: FirstViewSide | null;
  baseline: FirstViewSide | null;
  maxP99Ms: number;
  /** PASS: no hits, no other answers, and the app's p99 over the misses within the bar. */
  pass: boolean | null;
  problem: string | null;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Nearest-rank percentiles, ms to 0.1. */
export function percentiles(values: readonly number[]): Percentiles {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => (s.length ? round1(s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]) : 0);
  return { n: s.length, p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99), maxMs: at(1) };
}

/** One GET over a kept-alive connection (as a browser would), timed from sending to the last byte. */
function timedGet(
  agent: http.Agent,
  baseUrl: string,
  path: string,
): Promise<{ ms: number; status: number; cache: string | null }> {
  const url = new URL(path, baseUrl);
  assertLoopback(url.href);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.get(url, { agent, timeout: 30_000 }, (res) => {
      res.resume();
      res.on("error", reject);
      res.on("end", () => {
        const cache = res.headers["x-kepu-cache"];
        resolve({
          ms: performance.now() - started,
          status: res.statusCode ?? 0,
          cache: typeof cache === "string" ? cache : null,
        });
      });
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on("error", reject);
  });
}

/**
 * Runs the sequence against `baseUrl`: warm-up of the background load, then `rounds` times
 * (wait `spacingMs`, change, timed GET), then stops the load and waits for the server to be idle.
 * `checkCache`: the app (count hits and misses by X-Kepu-Cache); false for the baseline.
 */
export async function runFirstView(
  baseUrl: string,
  plan: FirstViewPlan,
  db: LiveDb,
  checkCache: boolean,
  progress: (msg: string) => void,
  /** false: no background load (the app idle apart from the timed requests), for comparison. */
  withBackground = true,
): Promise<FirstViewSide> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const load = withBackground
    ? startLoad(baseUrl, plan.backgroundPaths, { connections: plan.connections })
    : null;
  let background: LoadStats | null = null;
  try {
    // Every worker caches the background pages, and the timed pages have been rendered before.
    if (load) await new Promise((r) => setTimeout(r, plan.warmupSec * 1000));
    for (const p of plan.timedPaths) await timedGet(agent, baseUrl, p);
    const started = performance.now();
    const all: number[] = [];
    const byPath = new Map<string, number[]>(plan.timedPaths.map((p) => [p, []]));
    const changes: number[] = [];
    let misses = 0;
    let hits = 0;
    let other = 0;
    for (let i = 0; i < plan.rounds; i++) {
      await new Promise((r) => setTimeout(r, plan.spacingMs));
      const c0 = performance.now();
      await db.changeBase(plan.changedBaseId, 200 + (i % 160));
      changes.push(performance.now() - c0);
      const path = plan.timedPaths[i % plan.timedPaths.length];
      const r = await timedGet(agent, baseUrl, path);
      const valid = r.status === 200 && (!checkCache || r.cache === "miss");
      if (valid) {
        misses++;
        all.push(r.ms);
        byPath.get(path)?.push(r.ms);
      } else if (r.status === 200 && r.cache === "hit") hits++;
      else other++;
      if ((i + 1) % 50 === 0) progress(`  ${i + 1}/${plan.rounds} first views`);
    }
    const seconds = (performance.now() - started) / 1000;
    if (load) {
      background = await load.stop();
      background.drainSec = await waitUntilIdle(baseUrl + plan.backgroundPaths[0]);
    }
    return {
      timed: plan.rounds,
      misses,
      hits,
      other,
      latency: percentiles(all),
      perPath: [...byPath].map(([path, v]) => ({ path, ...percentiles(v) })),
      changeMs: percentiles(changes),
      background,
      seconds: round1(seconds),
    };
  } finally {
    if (load && !background) await load.stop().catch(() => {});
    agent.destroy();
  }
}
