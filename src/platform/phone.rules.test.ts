import { describe, expect, it } from "vitest";
import { isValidPhone, maskPhone, normalizePhone } from "./phone.rules.ts";

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
    expect(normalizePhone("(0570) 3027351")).toBe("05703027351");
  });
});
