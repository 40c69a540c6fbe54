/**
 * The edge suite's check (issue 14): a 100 MB anonymous form post to /register must be refused
 * with 413 within a second, before the server reads it, and without growing the server's memory.
 */
import http from "node:http";
import { type NodeChild, requestMemory } from "./processes.ts";

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
