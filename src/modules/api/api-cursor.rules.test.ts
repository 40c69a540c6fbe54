import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./api-cursor.rules.ts";

describe("API cursors", () => {
  it("round-trips a page and starts at the first page without one", () => {
    expect(decodeCursor(encodeCursor(7))).toBe(7);
    expect(decodeCursor(undefined)).toBe(1);
    expect(decodeCursor("")).toBe(1);
  });

  it("refuses what it did not make", () => {
    expect(decodeCursor("not-a-cursor")).toBeNull();
    expect(decodeCursor(Buffer.from('{"p":0}').toString("base64url"))).toBeNull();
    expect(decodeCursor(Buffer.from('{"p":1.5}').toString("base64url"))).toBeNull();
    expect(decodeCursor(Buffer.from('{"p":99999}').toString("base64url"))).toBeNull();
    expect(decodeCursor(Buffer.from("[1]").toString("base64url"))).toBeNull();
  });
});
