/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character alphabet
 * (digits and capitals without I, O, Z, S, V); the 18th is a mod-31 check character.
 */
export const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type UsccResult = { ok: true; value: string } | { ok: false; message: string };

/** Trims and upper-cases what a person typed; full-width characters become half-width. */
export function normalizeUscc(input: string): string {
  return input
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, "")
    .toUpperCase();
}

export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

export function validateUscc(input: string): UsccResult {
  const value = normalizeUscc(input ?? "");
  if (value.length === 0) return { ok: false, message: "请输入统一社会信用代码" };
  if (value.length !== 18) {
    return { ok: false, message: `统一社会信用代码应为18位，当前为${value.length}位` };
  }
  for (let i = 0; i < 18; i++) {
    if (!USCC_ALPHABET.includes(value[i])) {
      return {
        ok: false,
        message: `第${i + 1}位“${value[i]}”不是有效字符：只能是数字或除 I、O、Z、S、V 以外的大写字母`,
      };
    }
  }
  if (!/^\d{6}$/.test(value.slice(2, 8))) {
    return { ok: false, message: "第3至8位应为登记管理机关的行政区划码，只能是数字" };
  }
  if (usccCheckChar(value.slice(0, 17)) !== value[17]) {
    return { ok: false, message: "校验位（第18位）不正确，请核对代码是否输错" };
  }
  return { ok: true, value };
}
