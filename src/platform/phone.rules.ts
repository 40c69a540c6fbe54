/** Mainland mobile (11 digits, 1[3-9]…) or landline with area code, optional extension. */
const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^(0\d{2,3})-?(\d{7,8})(?:-(\d{1,6}))?$/;
/** Local landline without area code, as the seed writes it (3027351). */
const LOCAL = /^\d{7,8}$/;

export function normalizePhone(input: string): string {
  return input.replace(/[\s()（）]/g, "").replace(/^\+?86-?/, "");
}

export function isValidPhone(input: string, opts: { allowLocal?: boolean } = {}): boolean {
  const p = normalizePhone(input);
  return MOBILE.test(p) || LANDLINE.test(p) || (!!opts.allowLocal && LOCAL.test(p));
}

export const PHONE_MESSAGE = "请输入正确的电话号码：11位手机号，或带区号的固定电话（如 0570-3027351）";

/**
 * A person's phone on public pages: a mobile keeps its first 3 and last 4 digits (138****5678);
 * a landline keeps its area code and last 4 digits (0570-***7351); anything else its last 4.
 */
export function maskPhone(input: string | null | undefined): string {
  if (!input) return "";
  const p = normalizePhone(input);
  if (MOBILE.test(p)) return `${p.slice(0, 3)}****${p.slice(7)}`;
  const l = LANDLINE.exec(p);
  if (l) {
    const local = l[2];
    return `${l[1]}-${"*".repeat(local.length - 4)}${local.slice(-4)}`;
  }
  const digits = p.replace(/\D/g, "");
  if (digits.length > 4) return `${"*".repeat(digits.length - 4)}${digits.slice(-4)}`;
  return "****";
}
