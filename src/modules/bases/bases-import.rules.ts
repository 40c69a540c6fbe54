/**
 * How the import reads a cell as the clerk meant it (issue 15.13): Excel date cells in the year column,
 * phone numbers that Excel stored as numbers (and so lost their leading 0), and what an update row
 * changes, field by field.
 */

import type { BaseStatus } from "#src/platform/db/schema.ts";
import { countyShortName } from "#src/platform/numbering.rules.ts";

export type CellValue = string | number | boolean | Date | null | undefined;

export interface CellReading {
  text: string;
  /** Said to the clerk beside the row: the cell was read, but not as typed. */
  note?: string;
}

const PHONE_KEYS = new Set(["bookingPhone", "leaderPhone", "contactPhone"]);

/** A Date cell in the year column means its year; in any other column, its calendar day. */
function fromDate(key: string, d: Date): string {
  // Excel stores a day with no zone; exceljs hands it over as that day at 00:00 UTC.
  return key === "recognizedYear" ? String(d.getUTCFullYear()) : d.toISOString().slice(0, 10);
}

/**
 * A phone Excel kept as a number: a mobile is whole (13905701234), but a landline written with its
 * area code lost the 0 (05703027351 → 5703027351). Put it back and say so.
 */
function fromPhoneNumber(n: number): CellReading {
  const digits = Number.isInteger(n) && n > 0 ? String(n) : String(n).trim();
  // 11 digits from 1 is a mobile; 9–11 digits otherwise are an area code and number without the 0.
  if (!/^1\d{10}$/.test(digits) && /^[1-9]\d{8,10}$/.test(digits)) {
    const restored = `0${digits}`;
    return {
      text: restored,
      note: `电话“${digits}”以数字格式保存，开头的0已丢失，已按“${restored}”读取；请将电话列设为文本格式`,
    };
  }
  return { text: digits };
}

/** The text of one cell for column `key`. */
export function readImportCell(key: string, value: CellValue): CellReading {
  if (value === null || value === undefined) return { text: "" };
  if (value instanceof Date) return { text: fromDate(key, value) };
  if (typeof value === "number") {
    if (PHONE_KEYS.has(key)) return fromPhoneNumber(value);
    return { text: String(value) };
  }
  return { text: String(value).trim() };
}

export interface FieldChange {
  column: string;
  from: string;
  to: string;
}

/** What an update would change, in the template's words; fields the import does not hold are not shown. */
export function fieldChanges(
  current: Record<string, unknown>,
  next: Record<string, unknown>,
  headerOf: Record<string, string | undefined>,
): FieldChange[] {
  const shown = (v: unknown) => (v === null || v === undefined ? "" : String(v));
  const out: FieldChange[] = [];
  for (const [k, v] of Object.entries(next)) {
    const header = headerOf[k];
    if (!header) continue;
    if (shown(current[k]) !== shown(v)) out.push({ column: header, from: shown(current[k]), to: shown(v) });
  }
  return out;
}

/**
 * The county a cell names, as clerks write it: the full name (柯城区), the short name that 附件2 itself
 * uses (柯城), the code, or the name behind its city (衢州市柯城区).
 */
export function matchCounty<C extends { code: string; name: string }>(
  value: string,
  counties: readonly C[],
): C | undefined {
  const v = value.replace(/\s+/g, "");
  if (!v) return undefined;
  return (
    counties.find((c) => c.name === v || c.code === v) ??
    counties.find((c) => countyShortName(c.name) === v) ??
    counties.find((c) => v.endsWith(c.name))
  );
}

/** A calendar day written as 2023-06-01, 2023/6/1, 2023.6.1 or 2023年6月1日; null when it is not one. */
export function parseImportDay(value: string): string | null {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return null;
  return `${m[1]}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** 状态 as a clerk writes it; 已认定 is the directory's word for 正常. */
export function parseImportStatus(value: string): BaseStatus | null | undefined {
  const v = value.replace(/\s+/g, "");
  if (v === "") return null;
  if (v === "正常" || v === "已认定") return "active";
  if (v === "警示") return "warning";
  if (v === "已撤销" || v === "撤销") return "revoked";
  return undefined;
}
