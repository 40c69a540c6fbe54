import { describe, expect, it } from "vitest";
import { formatBytes, ZipBudget, zipViolationMessage } from "./zip-limits.rules.ts";

const limits = { maxEntries: 3, maxEntryBytes: 100, maxTotalBytes: 150 };

describe("ZipBudget", () => {
  it("allows entries and bytes up to each limit exactly", () => {
    const b = new ZipBudget(limits);
    expect(b.startEntry("a", 100)).toBeNull();
    expect(b.addBytes(100)).toBeNull();
    expect(b.startEntry("b", 50)).toBeNull();
    expect(b.addBytes(50)).toBeNull();
    expect(b.startEntry("c", 0)).toBeNull();
    expect(b.totalBytes).toBe(150);
  });

  it("names the entry count passed", () => {
    const b = new ZipBudget(limits);
    for (const n of ["a", "b", "c"]) expect(b.startEntry(n, 0)).toBeNull();
    expect(b.startEntry("d", 0)).toEqual({ kind: "entries", limit: 3 });
  });

  it("counts inflated bytes, not declared ones: one byte over an entry's limit is refused", () => {
    const b = new ZipBudget(limits);
    expect(b.startEntry("sheet", 10)).toBeNull();
    expect(b.addBytes(60)).toBeNull();
    expect(b.addBytes(41)).toEqual({ kind: "entry", entry: "sheet", limit: 100 });
  });

  it("refuses a declared size over a limit before inflating anything", () => {
    expect(new ZipBudget(limits).startEntry("big", 101)).toEqual({ kind: "entry", entry: "big", limit: 100 });
    const b = new ZipBudget(limits);
    b.startEntry("a", 100);
    b.addBytes(100);
    expect(b.startEntry("b", 51)).toEqual({ kind: "total", limit: 150 });
  });

  it("refuses the total across entries, each under its own limit", () => {
    const b = new ZipBudget(limits);
    b.startEntry("a", 0);
    expect(b.addBytes(90)).toBeNull();
    b.startEntry("b", 0);
    expect(b.addBytes(61)).toEqual({ kind: "total", limit: 150 });
  });
});

describe("messages", () => {
  it("name the limit in units people read", () => {
    expect(formatBytes(20 * 1024 * 1024)).toBe("20 MB");
    expect(formatBytes(1536 * 1024)).toBe("1.5 MB");
    expect(formatBytes(2048)).toBe("2 KB");
    expect(zipViolationMessage({ kind: "entry", entry: "x.xml", limit: 20 * 1024 * 1024 })).toBe(
      "压缩文件中的“x.xml”解压后超过 20 MB，请拆分后再上传",
    );
    expect(zipViolationMessage({ kind: "entries", limit: 200 })).toBe(
      "压缩文件包含的部件超过200个，无法读取",
    );
  });
});
