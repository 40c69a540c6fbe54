import { AREA_CODES } from "#src/platform/db/reference-data.ts";

/**
 * Phones as people write them: "+86 139 0570 1234", "139-0570-1234", "(0570) 3027351", "3027351转801".
 * Each is stored in one normal form: a mobile as 11 digits (13905701234), a landline as
 * area code-number[-extension] (0570-3027351, 0570-3027351-801).
 */
const MOBILE = /^1[3-9]\d{9}$/;
/** A landline as typed with a dash after the area code. */
const LANDLINE_SPLIT = /^(0\d{2,3})-([2-9]\d{6,7})(?:-(\d{1,6}))?$/;
/** A landline typed as one run of digits; the area code's length is decided below. */
const LANDLINE_RUN = /^(0\d{9,11})(?:-(\d{1,6}))?$/;
/** A local landline without area code, as the notice writes it (3027351); local numbers never start 0 or 1. */
const LOCAL = /^([2-9]\d{6,7})(?:-(\d{1,6}))?$/;

export interface PhoneOptions {
  /** Accept a 7–8 digit local number (a 预约 or 联系 line), completed with `areaCode` when given. */
  allowLocal?: boolean;
  /** The area code of the record's region (`areaCodeFor`), e.g. "0570". */
  areaCode?: string | null;
}

function clean(input: string): string {
  let p = input
    .trim()
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[－—–]/g, "-")
    .replace(/\s*(?:转|ext\.?|x|#)\s*(\d{1,6})$/i, "-$1")
    .replace(/[\s().（）]/g, "")
    .replace(/--+/g, "-");
  // A country code only in front of a whole national number (not a local number that starts 86).
  const intl = /^(?:\+|00)?86-?(.*)$/.exec(p);
  if (intl && intl[1].replace(/-/g, "").length >= 10) {
    const rest = intl[1];
    p = /^[01]/.test(rest) ? rest : `0${rest}`;
  }
  return p;
}

/** 010 and 02X are three-digit area codes; every other one has four. */
function splitRun(digits: string): [string, string] {
  const len = /^0[12]/.test(digits) ? 3 : 4;
  return [digits.slice(0, len), digits.slice(len)];
}

/** The normal form of a phone, or null when it is not a phone number. */
export function canonicalPhone(input: string, opts: PhoneOptions = {}): string | null {
  const p = clean(input);
  const mobile = p.replace(/-/g, "");
  if (MOBILE.test(mobile)) return mobile;
  const ext = (e: string | undefined) => (e ? `-${e}` : "");
  const split = LANDLINE_SPLIT.exec(p);
  if (split) return `${split[1]}-${split[2]}${ext(split[3])}`;
  const run = LANDLINE_RUN.exec(p);
  if (run) {
    const [area, local] = splitRun(run[1]);
    if (/^[2-9]\d{6,7}$/.test(local)) return `${area}-${local}${ext(run[2])}`;
    return null;
  }
  const local = LOCAL.exec(p);
  if (local && opts.allowLocal) {
    return opts.areaCode ? `${opts.areaCode}-${local[1]}${ext(local[2])}` : `${local[1]}${ext(local[2])}`;
  }
  return null;
}

export function isValidPhone(input: string, opts: PhoneOptions = {}): boolean {
  return canonicalPhone(input, opts) !== null;
}

/** The normal form, or the input trimmed when it is not a phone (a draft keeps what was typed). */
export function normalizePhone(input: string, opts: PhoneOptions = {}): string {
  return canonicalPhone(input, opts) ?? input.trim();
}

/** The area code of a region's city (330825 → 0570), from the reference data; null when unknown. */
export function areaCodeFor(regionCode: string | null | undefined): string | null {
  if (!regionCode || !/^\d{6}$/.test(regionCode)) return null;
  return AREA_CODES[`${regionCode.slice(0, 4)}00`] ?? null;
}

/** A stored local number (3027351) completed with the region's area code (0570-3027351); others unchanged. */
export function withAreaCode(phone: string, regionCode: string | null | undefined): string {
  if (phone === "" || !LOCAL.test(phone)) return phone;
  return normalizePhone(phone, { allowLocal: true, areaCode: areaCodeFor(regionCode) });
}

export const PHONE_MESSAGE = "请输入正确的电话号码：11位手机号，或带区号的固定电话（如 0570-3027351）";

/**
 * A person's phone on public pages: a mobile keeps its first 3 and last 4 digits (138****5678);
 * a landline keeps its area code and last 4 digits (0570-***7351); anything else its last 4.
 */
export function maskPhone(input: string | null | undefined): string {
  if (!input) return "";
  const p = canonicalPhone(input) ?? input;
  if (MOBILE.test(p)) return `${p.slice(0, 3)}****${p.slice(7)}`;
  const l = LANDLINE_SPLIT.exec(p);
  if (l) {
    const local = l[2];
    return `${l[1]}-${"*".repeat(local.length - 4)}${local.slice(-4)}`;
  }
  const digits = p.replace(/\D/g, "");
  if (digits.length > 4) return `${"*".repeat(digits.length - 4)}${digits.slice(-4)}`;
  return "****";
}
