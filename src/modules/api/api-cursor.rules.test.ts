import { describe, expect, it } from "vitest";
import {
  type ActivitiesCursor,
  activitiesCursorSchema,
  type BasesCursor,
  basesCursorSchema,
  coursesCursorSchema,
  decodeCursor,
  encodeCursor,
} from "./api-cursor.rules.ts";

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

describe("API cursors", () => {
  it("round-trips each list's key", () => {
    const byName: BasesCursor = { s: "name", k: ["衢州市科技馆", "a1"] };
    expect(decodeCursor(basesCursorSchema, encodeCursor(basesCursorSchema, byName))).toEqual(byName);
    const newest: BasesCursor = { s: "newest", k: [2023, "", "某基地", "b2"] };
    expect(decodeCursor(basesCursorSchema, encodeCursor(basesCursorSchema, newest))).toEqual(newest);
    const past: ActivitiesCursor = { w: "past", k: ["2026-01-01T00:00:00.000Z", "c3"] };
    expect(decodeCursor(activitiesCursorSchema, encodeCursor(activitiesCursorSchema, past))).toEqual(past);
    const course = { k: ["2026-01-01T00:00:00.000Z", "d4"] as [string, string] };
    expect(decodeCursor(coursesCursorSchema, encodeCursor(coursesCursorSchema, course))).toEqual(course);
  });

  it("is opaque URL-safe text", () => {
    const c = encodeCursor(basesCursorSchema, { s: "county", k: ["330825", "名/称+?", "x"] });
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it("refuses what it did not make", () => {
    expect(decodeCursor(basesCursorSchema, "not a cursor")).toBeNull();
    expect(decodeCursor(basesCursorSchema, "garbage")).toBeNull();
    expect(decodeCursor(basesCursorSchema, b64({ p: 2 }))).toBeNull();
    expect(decodeCursor(basesCursorSchema, b64({ s: "name", k: ["only-name"] }))).toBeNull();
    expect(decodeCursor(basesCursorSchema, b64({ s: "newest", k: ["2023", "", "n", "i"] }))).toBeNull();
    expect(decodeCursor(basesCursorSchema, b64({ s: "other", k: ["n", "i"] }))).toBeNull();
    expect(decodeCursor(basesCursorSchema, b64({ s: "name", k: ["x".repeat(201), "i"] }))).toBeNull();
    expect(decodeCursor(activitiesCursorSchema, b64({ w: "soon", k: ["t", "i"] }))).toBeNull();
    // Another list's cursor is not this one's.
    expect(decodeCursor(activitiesCursorSchema, b64({ s: "name", k: ["n", "i"] }))).toBeNull();
    expect(decodeCursor(coursesCursorSchema, b64([1]))).toBeNull();
  });
});
