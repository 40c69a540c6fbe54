import { describe, expect, it } from "vitest";
import { newId, randomToken } from "./ids.ts";

describe("newId", () => {
  it("is a version 7 UUID", () => {
    expect(newId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
  it("sorts in creation order, even within one millisecond", () => {
    const ids = Array.from({ length: 5000 }, () => newId(1_700_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
  it("sorts by time across milliseconds, and never goes back when the clock does", () => {
    const a = newId(2_000_000_000_000);
    const b = newId(2_000_000_000_001);
    const c = newId(1_000);
    expect(a < b && b < c).toBe(true);
  });
  it("makes tokens with at least 128 bits", () => {
    expect(Buffer.from(randomToken(), "base64url").length).toBeGreaterThanOrEqual(16);
  });
});
