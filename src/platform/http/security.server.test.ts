import { describe, expect, it } from "vitest";
import { isSameOrigin } from "./security.server.ts";

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
