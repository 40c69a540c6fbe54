import { describe, expect, it } from "vitest";
import { MAX_PAGE, pageParam, pageSizeParam } from "./paging.rules.ts";

describe("pageParam", () => {
  it("reads a plain page number", () => {
    expect(pageParam("1")).toBe(1);
    expect(pageParam("37")).toBe(37);
    expect(pageParam(" 2 ")).toBe(2);
  });

  it("is page 1 for anything that is not a plain decimal", () => {
    for (const raw of [
      null,
      undefined,
      "",
      "0",
      "-1",
      "1e309",
      "1e3",
      "NaN",
      "Infinity",
      "0x10",
      "1.5",
      "abc",
      "１",
    ])
      expect(pageParam(raw), String(raw)).toBe(1);
  });

  it("clamps past the maximum, 20 digits included", () => {
    expect(pageParam("99999999999999999999")).toBe(MAX_PAGE);
    expect(pageParam("000000000000000000002")).toBe(2);
    expect(pageParam("501", 500)).toBe(500);
    expect(Number.isSafeInteger(pageParam("9".repeat(400)) * 1000)).toBe(true);
  });
});

describe("pageSizeParam", () => {
  it("falls back for junk and clamps to 1..max", () => {
    expect(pageSizeParam("abc", 20, 100)).toBe(20);
    expect(pageSizeParam("0", 20, 100)).toBe(1);
    expect(pageSizeParam("5000", 20, 100)).toBe(100);
    expect(pageSizeParam("50", 20, 100)).toBe(50);
  });
});
