/**
 * The edge suite's checks (issue 14). First: a 100 MB anonymous form post to /register must be refused
 * with 413 within a second, before the server reads it, and without growing the server's memory.
 */
import { spawnSync } from "node:child_process";
import http from "node:http";
import autocannon, { type Result } from "autocannon";
import { openLiveDb } from "./bulk-db.ts";
import { repoRoot } from "./paths.ts";
import { assertLoopback, type NodeChild, requestMemory } from "./processes.ts";

const MB = 1024 * 1024;
export const OVERSIZE_POST_BYTES = 100 * MB;
export const OVERSIZE_MAX_SECONDS = 1;
export const OVERSIZE_MAX_RSS_GROWTH_MB = 16;

export interface OversizeResult {
  path: string;
  status: number;
  seconds: number;
  /** Bytes the client had written when the answer came. */
  sentBytes: number;
  growthMB: number;
  pass: boolean;
}

export async function measureOversizePost(child: NodeChild, appUrl: string): Promise<OversizeResult> {
  const url = new URL("/register", appUrl);
  const before = (await requestMemory(child)).rss;
  const started = performance.now();
  let sent = 0;
  const status = await new Promise<number>((resolve, reject) => {
    let answered = false;
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: "POST",
        path: url.pathname,
        headers: {
          origin: url.origin,
          "content-type": "application/x-www-form-urlencoded",
          "content-length": String(OVERSIZE_POST_BYTES),
        },
      },
      (res) => {
        answered = true;
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    // The server closes the connection after its answer: a write error then is expected.
    req.on("error", (err) => {
      if (!answered) reject(err);
    });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const pump = () => {
      while (!answered && sent < OVERSIZE_POST_BYTES) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once("drain", pump);
          return;
        }
      }
      if (!answered) req.end();
    };
    pump();
  });
  const seconds = (performance.now() - started) / 1000;
  const after = (await requestMemory(child)).rss;
  const growthMB = Math.round(((after - before) / MB) * 10) / 10;
  return {
    path: url.pathname,
    status,
    seconds: Math.round(seconds * 1000) / 1000,
    sentBytes: sent,
    growthMB,
    pass: status === 413 && seconds < OVERSIZE_MAX_SECONDS && growthMB < OVERSIZE_MAX_RSS_GROWTH_MB,
  };
}

/**
 * The audit flood (issue 14): 10 s of cross-origin POSTs on 8 connections. Each is refused (403) and
 * would once have written an `access.denied` row; repeated denials from one source are aggregated, so
 * the run may add fewer than 100 audit rows, and the hash chain must still verify afterwards.
 */
export const FLOOD_SECONDS = 10;
export const FLOOD_CONNECTIONS = 8;
export const FLOOD_MAX_AUDIT_ROWS = 100;

export interface AuditFloodResult {
  requests: number;
  refused: number;
  auditRowsAdded: number;
  chainVerified: boolean;
  pass: boolean;
}

export async function measureAuditFlood(env: NodeJS.ProcessEnv, appUrl: string): Promise<AuditFloodResult> {
  const url = new URL("/login/staff", appUrl);
  assertLoopback(url.href);
  const db = await openLiveDb(env);
  try {
    const count = async () =>
      Number((await db.select<{ n: number | string }>("select count(*) as n from audit_events"))[0].n);
    const before = await count();
    const result = await new Promise<Result>((resolve, reject) => {
      autocannon(
        {
          url: url.href,
          method: "POST",
          connections: FLOOD_CONNECTIONS,
          duration: FLOOD_SECONDS,
          headers: { origin: "http://evil.example", "content-type": "application/x-www-form-urlencoded" },
          body: "username=admin&password=not-the-password",
        },
        (err, res) => (err ? reject(err) : resolve(res)),
      );
    });
    const auditRowsAdded = (await count()) - before;
    const verify = spawnSync("npx", ["tsx", "src/cli/kepu.ts", "audit:verify"], {
      cwd: repoRoot,
      env,
      encoding: "utf8",
    });
    const refused = result.statusCodeStats?.["403"]?.count ?? 0;
    const chainVerified = verify.status === 0;
    return {
      requests: result.requests.total,
      refused,
      auditRowsAdded,
      chainVerified,
      pass: refused > 0 && auditRowsAdded < FLOOD_MAX_AUDIT_ROWS && chainVerified,
    };
  } finally {
    await db.close();
  }
}
