import { describe, expect, it } from "vitest";
import { loadConfig } from "../config.ts";
import { isSameOrigin, newNonce, securityHeaders } from "./security.server.ts";

const req = (method: string, headers: Record<string, string>) => ({
  method,
  protocol: "http",
  get: (name: string) => ({ host: "kepu.example:3000", ...headers })[name.toLowerCase()],
});

describe("isSameOrigin", () => {
  it("lets safe methods through", () => {
    expect(isSameOrigin(req("GET", {}) as never, [])).toBe(true);
  });
  it("accepts a POST from our own origin", () => {
    expect(isSameOrigin(req("POST", { origin: "http://kepu.example:3000" }) as never, [])).toBe(true);
  });
  it("refuses a POST from another origin", () => {
    expect(isSameOrigin(req("POST", { origin: "http://evil.example" }) as never, [])).toBe(false);
  });
  it("refuses a POST with neither Origin nor Referer", () => {
    expect(isSameOrigin(req("POST", {}) as never, [])).toBe(false);
    expect(isSameOrigin(req("DELETE", { origin: "null" }) as never, [])).toBe(false);
  });
  it("falls back to the Referer", () => {
    expect(isSameOrigin(req("POST", { referer: "http://kepu.example:3000/login" }) as never, [])).toBe(true);
    expect(isSameOrigin(req("POST", { referer: "http://kepu.example.evil/x" }) as never, [])).toBe(false);
  });
  it("accepts configured extra origins", () => {
    expect(
      isSameOrigin(req("POST", { origin: "https://kepu.gov.cn" }) as never, ["https://kepu.gov.cn"]),
    ).toBe(true);
  });
});

describe("newNonce", () => {
  it("gives 128 random bits each time, never the same twice, across refills of its pool", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const n = newNonce();
      expect(Buffer.from(n, "base64")).toHaveLength(16);
      seen.add(n);
    }
    expect(seen.size).toBe(1000);
  });
});

describe("securityHeaders", () => {
  it("names the response's own nonce in a CSP with the baseline directives", () => {
    const headers = new Map<string, string>();
    const res = {
      locals: {} as Record<string, string>,
      setHeader: (k: string, v: string) => headers.set(k, v),
    };
    const csp = () => headers.get("Content-Security-Policy");
    securityHeaders(loadConfig({}), { dev: false })({} as never, res as never, () => {});
    const first = res.locals.nonce;
    expect(csp()).toBe(
      `default-src 'self'; script-src 'self' 'nonce-${first}'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; media-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'`,
    );
    securityHeaders(loadConfig({}), { dev: false })({} as never, res as never, () => {});
    expect(res.locals.nonce).not.toBe(first);
    expect(csp()).toContain(`'nonce-${res.locals.nonce}'`);
    expect(headers.get("X-Frame-Options")).toBe("DENY");
  });
});
