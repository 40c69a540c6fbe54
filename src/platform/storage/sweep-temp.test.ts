import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STALE_TEMP_AGE_MS, sweepStaleTempFiles } from "./sweep-temp.ts";

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "kepu-sweep-"));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const now = new Date("2026-03-10T10:00:00Z");

function file(rel: string, ageMs: number): string {
  const p = path.join(root, ...rel.split("/"));
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, "x");
  const at = new Date(now.getTime() - ageMs);
  fs.utimesSync(p, at, at);
  return p;
}

describe("sweepStaleTempFiles", () => {
  it("removes crash leftovers older than an hour and nothing else", async () => {
    const oldTmp = file("files/2026/03/.abc.0123456789ab.tmp", STALE_TEMP_AGE_MS + 60_000);
    const oldPart = file("tmp/uploads/1700000000000-0011223344556677.part", 3 * STALE_TEMP_AGE_MS);
    // An upload another worker is writing right now, and one just under the age.
    const activeTmp = file("files/2026/03/.def.0123456789ab.tmp", 5_000);
    const youngPart = file("tmp/uploads/1700000000001-0011223344556677.part", STALE_TEMP_AGE_MS - 60_000);
    const stored = file("files/2026/01/0190a000-0000-7000-8000-000000000001", 10 * STALE_TEMP_AGE_MS);
    const db = file("kepu.sqlite", 10 * STALE_TEMP_AGE_MS);

    const removed = await sweepStaleTempFiles(root, { now });
    expect(removed.sort()).toEqual([oldTmp, oldPart].sort());
    for (const kept of [activeTmp, youngPart, stored, db]) expect(fs.existsSync(kept), kept).toBe(true);
    for (const gone of [oldTmp, oldPart]) expect(fs.existsSync(gone)).toBe(false);
  });

  it("is quiet about a directory that does not exist", async () => {
    expect(await sweepStaleTempFiles(path.join(root, "missing"), { now })).toEqual([]);
  });
});
