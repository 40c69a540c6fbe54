import { describe, expect, it } from "vitest";
import { normalizeUscc, usccCheckChar, validateUscc } from "./uscc.rules.ts";

// Codes whose check character is right (computed independently of this module).
const VALID = ["91110000100017643K", "91330000MA27U0WN2J", "123308000025584407"];

describe("validateUscc", () => {
  it.each(VALID)("accepts the valid code %s", (code) => {
    expect(validateUscc(code)).toEqual({ ok: true, value: code });
  });

  it("normalizes lower case, spaces and full-width characters", () => {
    expect(validateUscc(" 91330000ma27u0wn2j ")).toEqual({ ok: true, value: "91330000MA27U0WN2J" });
    expect(normalizeUscc("９１３３")).toBe("9133");
  });

  it("names a wrong length", () => {
    const r = validateUscc("91330000MA27U0WN2");
    expect(r).toEqual({ ok: false, message: "统一社会信用代码应为18位，当前为17位" });
  });

  it("asks for a code when empty", () => {
    expect(validateUscc("")).toMatchObject({ ok: false, message: "请输入统一社会信用代码" });
  });

  it.each(["I", "O", "Z", "S", "V", "-"])("names the position of the invalid character %s", (ch) => {
    const code = `91330000MA27U0W${ch}2J`;
    const r = validateUscc(code);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(`第16位“${ch}”不是有效字符`);
  });

  it("requires digits in the region code positions", () => {
    const r = validateUscc("91A30000MA27U0WN2J");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain("第3至8位");
  });

  it("rejects every wrong check character", () => {
    const body = "91330000MA27U0WN2";
    const right = usccCheckChar(body);
    expect(right).toBe("J");
    for (const ch of "0123456789ABCDEFGHJKLMNPQRTUWXY") {
      const r = validateUscc(body + ch);
      if (ch === right) expect(r.ok).toBe(true);
      else expect(r).toEqual({ ok: false, message: "校验位（第18位）不正确，请核对代码是否输错" });
    }
  });

  it("catches a single mistyped character", () => {
    expect(validateUscc("91330000MA27U0WN3J").ok).toBe(false);
  });

  it("maps a check sum of zero to the character 0", () => {
    // 17 zeros sum to 0, so the check character is 0, not the 31st.
    expect(usccCheckChar("00000000000000000")).toBe("0");
  });
});
