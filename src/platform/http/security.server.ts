import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { NextFunction, Request, Response } from "express";
import type { Config } from "../config.ts";

const NONCE_BYTES = 16;
/** Random bytes drawn 256 nonces at a time: one call into the CSPRNG instead of one per request. */
let pool = Buffer.alloc(0);
let used = 0;

/** 128 random bits, base64: a fresh CSP nonce. */
export function newNonce(): string {
  if (used + NONCE_BYTES > pool.length) {
    pool = randomBytes(NONCE_BYTES * 256);
    used = 0;
  }
  used += NONCE_BYTES;
  return pool.toString("base64", used - NONCE_BYTES, used);
}

/** Sets the CSP (with this response's nonce) and the baseline security headers on a response. */
export type SecurityHeaderSetter = (res: Pick<ServerResponse, "setHeader">, nonce: string) => void;

export function securityHeaderSetter(config: Config, opts: { dev: boolean }): SecurityHeaderSetter {
  const connect = opts.dev ? "'self' ws: wss:" : "'self'";
  // Everything but the nonce is the same for every response.
  const before = "default-src 'self'; script-src ";
  const after = [
    "",
    // antd's CSS-in-JS inserts <style> elements at run time.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect}`,
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  return (res, nonce) => {
    const script = opts.dev ? "'self' 'unsafe-inline' 'unsafe-eval'" : `'self' 'nonce-${nonce}'`;
    res.setHeader("Content-Security-Policy", before + script + after);
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
    if (config.production) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  };
}

/** Per-request CSP nonce plus the baseline security headers. */
export function securityHeaders(config: Config, opts: { dev: boolean }) {
  const set = securityHeaderSetter(config, opts);
  return (_req: Request, res: Response, next: NextFunction) => {
    const nonce = newNonce();
    res.locals.nonce = nonce;
    set(res, nonce);
    next();
  };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF: a state-changing request must come from our own origin, as its Origin header
 * (or, failing that, its Referer) shows. Browsers send Origin on every POST.
 */
export function isSameOrigin(
  req: Pick<Request, "method" | "protocol" | "get">,
  allowedOrigins: string[],
): boolean {
  if (SAFE_METHODS.has(req.method)) return true;
  let origin = req.get("origin");
  if (!origin || origin === "null") {
    const referer = req.get("referer");
    if (!referer) return false;
    try {
      origin = new URL(referer).origin;
    } catch {
      return false;
    }
  }
  const own = `${req.protocol}://${req.get("host")}`;
  return origin === own || allowedOrigins.includes(origin);
}
