/** Load generation (autocannon) and the one-time capture of a response for the baseline. */

import { fork } from "node:child_process";
import http from "node:http";
import { fileURLToPath } from "node:url";
import autocannon, { type Instance, type Result } from "autocannon";
import { assertLoopback, onCleanup } from "./processes.ts";
import type { CapturedResponse } from "./protocol.ts";

export interface LoadStats {
  /** Completed requests divided by the measured duration. */
  requestsPerSec: number;
  latencyAvgMs: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  totalRequests: number;
  durationSec: number;
  /** Bytes read per completed response (headers + body); app and baseline should match. */
  bytesPerResponse: number;
  /** Connection errors and timeouts (autocannon counts a timeout as an error too). */
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  /** Seconds the server needed after the run to finish requests left in flight. */
  drainSec: number;
}

export interface LoadOptions {
  connections: number;
  durationSec: number;
  headers?: Record<string, string>;
}

/** Seconds a single request may take before autocannon counts a timeout. */
const REQUEST_TIMEOUT_SEC = 10;

export async function runLoad(url: string, opts: LoadOptions): Promise<LoadStats> {
  assertLoopback(url);
  let instance: Instance | undefined;
  const unregister = onCleanup(`autocannon ${url}`, () => instance?.stop());
  try {
    const result = await new Promise<Result>((resolve, reject) => {
      instance = autocannon(
        {
          url,
          connections: opts.connections,
          duration: opts.durationSec,
          timeout: REQUEST_TIMEOUT_SEC,
          // No Accept-Encoding unless a target asks for one: app and baseline both send identity.
          headers: opts.headers ?? {},
        },
        (err, res) => (err ? reject(err) : resolve(res)),
      );
    });
    return toStats(result);
  } finally {
    unregister();
  }
}

/**
 * Starts an open-ended load that cycles through `paths` on every connection, until `stop()`,
 * which resolves with the statistics of the whole run. It runs in a child process (load-process.mjs),
 * so this process stays free to time other requests.
 */
export function startLoad(
  baseUrl: string,
  paths: readonly string[],
  opts: { connections: number; headers?: Record<string, string> },
): { stop(): Promise<LoadStats> } {
  assertLoopback(baseUrl);
  const child = fork(fileURLToPath(new URL("./load-process.mjs", import.meta.url)), [
    JSON.stringify({
      url: baseUrl,
      paths: [...paths],
      connections: opts.connections,
      headers: opts.headers ?? {},
      timeout: REQUEST_TIMEOUT_SEC,
    }),
  ]);
  const unregister = onCleanup(`autocannon ${baseUrl}`, () => {
    child.kill();
  });
  const done = new Promise<Result>((resolve, reject) => {
    child.once("message", (m: { result?: Result; error?: string }) =>
      m.result ? resolve(m.result) : reject(new Error(m.error ?? "load process failed")),
    );
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`load process exited (${code})`)));
  });
  return {
    async stop() {
      try {
        child.send("stop");
        return toStats(await done);
      } finally {
        unregister();
      }
    },
  };
}

function toStats(r: Result): LoadStats {
  const total = r.requests.total;
  const statusCodes: Record<string, number> = {};
  for (const [code, s] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = s.count;
  return {
    requestsPerSec: r.duration > 0 ? total / r.duration : 0,
    latencyAvgMs: r.latency.average,
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    latencyMaxMs: r.latency.max,
    totalRequests: total,
    durationSec: r.duration,
    bytesPerResponse: total > 0 ? r.throughput.total / total : 0,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    statusCodes,
    drainSec: 0,
  };
}

/** Hop-by-hop and per-response headers that node:http writes itself. */
const NODE_OWNED = new Set(["date", "connection", "keep-alive"]);

/**
 * Fetches `path` once from the app with node:http (no decompression, the same request
 * headers autocannon will send) and keeps status, raw headers and body bytes.
 */
export function captureResponse(
  baseUrl: string,
  path: string,
  headers: Record<string, string> = {},
  /** Longest pause between bytes before giving up (not a limit on the whole download). */
  idleTimeoutMs = 30_000,
): Promise<CapturedResponse> {
  const url = new URL(path, baseUrl);
  assertLoopback(url.href);
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, timeout: idleTimeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const rawHeaders: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          if (!NODE_OWNED.has(res.rawHeaders[i].toLowerCase()))
            rawHeaders.push(res.rawHeaders[i], res.rawHeaders[i + 1]);
        }
        const match: Record<string, string> = {};
        for (const [k, v] of Object.entries(headers)) match[k.toLowerCase()] = v;
        resolve({
          path,
          match,
          status: res.statusCode ?? 0,
          statusMessage: res.statusMessage ?? "",
          rawHeaders,
          bodyBase64: Buffer.concat(chunks).toString("base64"),
        });
      });
    });
    req.on("timeout", () => req.destroy(new Error(`capture of ${path} timed out`)));
    req.on("error", reject);
  });
}
