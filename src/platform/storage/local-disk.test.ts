import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../clock.ts";
import { openStorage } from "./index.ts";
import { LocalDiskStorage } from "./local-disk.ts";
import { assertValidKey, newStorageKey, StorageNotFoundError, variantKey } from "./storage.ts";

let root: string;
let storage: LocalDiskStorage;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "kepu-storage-"));
  storage = new LocalDiskStorage(root);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const allFiles = (dir: string): string[] =>
  fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => d.name);

describe("LocalDiskStorage", () => {
  it("stores, stats, reads and deletes an object, reporting size and SHA-256", async () => {
    const body = "科普教育基地".repeat(1000);
    const stored = await storage.put("2026/03/abc", Readable.from([Buffer.from(body)]));
    expect(stored.size).toBe(Buffer.byteLength(body));
    expect(stored.sha256).toBe(createHash("sha256").update(body).digest("hex"));
    expect(await storage.stat("2026/03/abc")).toEqual({ size: stored.size });
    expect(await text(await storage.get("2026/03/abc"))).toBe(body);
    expect(fs.existsSync(path.join(root, "2026", "03", "abc"))).toBe(true);

    await storage.delete("2026/03/abc");
    expect(await storage.stat("2026/03/abc")).toBeNull();
    await expect(storage.get("2026/03/abc")).rejects.toBeInstanceOf(StorageNotFoundError);
    await storage.delete("2026/03/abc"); // a second delete is fine
  });

  it("leaves nothing behind when the source stream fails midway", async () => {
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(1024, 1));
        this.destroy(new Error("client went away"));
      },
    });
    await expect(storage.put("2026/04/broken", failing)).rejects.toThrow("client went away");
    expect(await storage.stat("2026/04/broken")).toBeNull();
    expect(allFiles(path.join(root, "2026", "04"))).toEqual([]);
  });

  it("replaces an object atomically: readers see the old or the new bytes", async () => {
    await storage.put("2026/05/x", Readable.from([Buffer.from("old")]));
    await storage.put("2026/05/x", Readable.from([Buffer.from("new!")]));
    expect(await text(await storage.get("2026/05/x"))).toBe("new!");
    expect(allFiles(path.join(root, "2026", "05"))).toEqual(["x"]);
  });

  it("refuses keys that could escape the root or are not server-made", async () => {
    for (const bad of ["../x", "/etc/passwd", "a/../../b", "A/B", "a//b", "", "a/./b", "a\\b", ".hidden"]) {
      expect(() => assertValidKey(bad), bad).toThrow(/invalid storage key/);
    }
    await expect(storage.put("../escape", Readable.from(["x"]))).rejects.toThrow(/invalid storage key/);
    await expect(storage.get("a/../../etc/passwd")).rejects.toThrow(/invalid storage key/);
  });
});

describe("keys", () => {
  it("are yyyy/mm/<uuidv7>, with derived variant keys", () => {
    const key = newStorageKey(fixedClock("2026-01-31T20:00:00Z"));
    expect(key).toMatch(/^2026\/01\/[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(() => assertValidKey(key)).not.toThrow();
    expect(variantKey(key, "thumb")).toBe(`${key}-thumb`);
    expect(() => assertValidKey(variantKey(key, "thumb"))).not.toThrow();
  });
});

describe("openStorage", () => {
  it("roots local storage at <dataDir>/files and reuses it", () => {
    const a = openStorage({ dataDir: root }) as LocalDiskStorage;
    expect(a.root).toBe(path.join(root, "files"));
    expect(openStorage({ dataDir: root })).toBe(a);
  });
});
