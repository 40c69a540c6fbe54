import { describe, expect, it } from "vitest";
import {
  areaCodeFor,
  canonicalPhone,
  isValidPhone,
  maskPhone,
  normalizePhone,
  withAreaCode,
} from "./phone.rules.ts";

describe("isValidPhone", () => {
  it.each([
    "13812345678",
    "0570-3027351",
    "05703027351",
    "+86 138 1234 5678",
    "0570-3027351-801",
  ])("accepts %s", (p) => expect(isValidPhone(p)).toBe(true));
  it.each(["12345678901", "1381234567", "138123456789", "abc", "", "3027351"])("rejects %s", (p) =>
    expect(isValidPhone(p)).toBe(false));
  it("accepts a local number only when asked", () => {
    expect(isValidPhone("3027351", { allowLocal: true })).toBe(true);
  });
});

describe("maskPhone", () => {
  it("masks the middle four digits of a mobile", () => {
    expect(maskPhone("13812345678")).toBe("138****5678");
    expect(maskPhone("+86 138 1234 5678")).toBe("138****5678");
  });
  it("keeps only the last four digits of a landline", () => {
    expect(maskPhone("0570-3027351")).toBe("0570-***7351");
  });
  it("handles empty values", () => {
    expect(maskPhone(null)).toBe("");
    expect(normalizePhone("(0570) 3027351")).toBe("0570-3027351");
  });
});

describe("canonicalPhone: one normal form for what people type", () => {
  it.each([
    ["13905701234", "13905701234"],
    ["+86 139 0570 1234", "13905701234"],
    ["86-13905701234", "13905701234"],
    ["139-0570-1234", "13905701234"],
    ["0086 139 0570 1234", "13905701234"],
    ["１３９０５７０１２３４", "13905701234"],
    ["0570-3027351", "0570-3027351"],
    ["05703027351", "0570-3027351"],
    ["(0570) 3027351", "0570-3027351"],
    ["（0570）3027351", "0570-3027351"],
    ["0570 3027351 转 801", "0570-3027351-801"],
    ["0570-3027351-801", "0570-3027351-801"],
    ["+86 570 3027351", "0570-3027351"],
    ["01062345678", "010-62345678"],
    ["010-62345678", "010-62345678"],
    ["02162345678", "021-62345678"],
  ])("%s → %s", (typed, normal) => expect(canonicalPhone(typed)).toBe(normal));

  it("completes a 7- or 8-digit local landline with the region's area code where a landline is allowed", () => {
    expect(canonicalPhone("3027351", { allowLocal: true, areaCode: "0570" })).toBe("0570-3027351");
    expect(canonicalPhone("30273512", { allowLocal: true, areaCode: "0570" })).toBe("0570-30273512");
    expect(canonicalPhone("3027351-801", { allowLocal: true, areaCode: "0570" })).toBe("0570-3027351-801");
    expect(canonicalPhone("3027351", { allowLocal: true })).toBe("3027351");
    expect(canonicalPhone("3027351")).toBeNull();
    expect(canonicalPhone("0302735", { allowLocal: true, areaCode: "0570" })).toBeNull();
  });

  it("refuses what is not a phone", () => {
    for (const p of ["12345678901", "1381234567", "abc", "", "0570-0027351", "8612345"]) {
      expect(canonicalPhone(p)).toBeNull();
    }
  });

  it("takes the area code from the region's city (reference data), for every county of 衢州", () => {
    for (const code of ["330800", "330802", "330803", "330822", "330824", "330825", "330881"]) {
      expect(areaCodeFor(code)).toBe("0570");
    }
    expect(areaCodeFor("330100")).toBeNull();
    expect(areaCodeFor(null)).toBeNull();
    expect(withAreaCode("3027351", "330825")).toBe("0570-3027351");
    expect(withAreaCode("13905701234", "330825")).toBe("13905701234");
    expect(withAreaCode("", "330825")).toBe("");
  });

  it("keeps an unparseable draft value as typed, trimmed", () => {
    expect(normalizePhone(" 123 ")).toBe("123");
  });
});
