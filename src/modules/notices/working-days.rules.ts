import chineseDays from "chinese-days";
import { endOfShanghaiDay } from "#src/modules/calls/calls.rules.ts";

/**
 * Days an admin entered for a year the package does not cover yet (【节假日设置】): 放假 days and
 * 调休 working days (a weekend worked). They take precedence over `chinese-days`.
 */
export interface ExtraDays {
  holidays: readonly string[];
  workdays: readonly string[];
}

export const NO_EXTRA_DAYS: ExtraDays = { holidays: [], workdays: [] };

/**
 * Working days by the official calendar (国务院办公厅 holiday notices, 调休 included), from the
 * `chinese-days` data shipped with the package, so it works offline, plus the days an admin entered.
 * For a year neither covers, Monday–Friday counts (and `uncoveredYears` warns the office).
 */
export function isWorkingDay(date: string, extra: ExtraDays = NO_EXTRA_DAYS): boolean {
  if (extra.holidays.includes(date)) return false;
  if (extra.workdays.includes(date)) return true;
  return chineseDays.isWorkday(date);
}

/** Does the package's holiday data cover `year`? Every covered year has official holidays (元旦 at least). */
export function packageCoversYear(year: number): boolean {
  return chineseDays.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0;
}

/**
 * The years of a period (from `startDate` to `lastDay`) whose holidays are known to neither the package
 * nor the admin's entries: its working days there are only a Monday–Friday guess.
 */
export function uncoveredYears(
  startDate: string,
  lastDay: string,
  extra: ExtraDays = NO_EXTRA_DAYS,
): number[] {
  const entered = new Set([...extra.holidays, ...extra.workdays].map((d) => Number(d.slice(0, 4))));
  const years: number[] = [];
  for (let y = Number(startDate.slice(0, 4)); y <= Number(lastDay.slice(0, 4)); y++) {
    if (!packageCoversYear(y) && !entered.has(y)) years.push(y);
  }
  return years;
}

/** The warning shown to the office for such years, or null. */
export function calendarWarning(years: readonly number[]): string | null {
  if (years.length === 0) return null;
  const list = years.map((y) => `${y}年`).join("、");
  return `系统内置的法定节假日数据不含${list}，该期间暂按周一至周五计算工作日，可能不准确。请管理员在【节假日设置】中录入${list}的放假和调休安排后再发布。`;
}

const addDays = (date: string, n: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

/**
 * The last day of a notice period of `workingDays` working days starting on `startDate`
 * (counted when it is itself a working day).
 */
export function lastWorkingDay(
  startDate: string,
  workingDays: number,
  extra: ExtraDays = NO_EXTRA_DAYS,
): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(startDate)) throw new Error(`not a date: ${startDate}`);
  if (!Number.isInteger(workingDays) || workingDays < 1)
    throw new Error(`working days must be ≥ 1: ${workingDays}`);
  let day = startDate;
  let counted = 0;
  for (let i = 0; i < 400; i++) {
    if (isWorkingDay(day, extra)) counted++;
    if (counted === workingDays) return day;
    day = addDays(day, 1);
  }
  throw new Error("no working days found within 400 days");
}

/** The instant a notice period ends: the end (24:00, Asia/Shanghai) of its last working day. */
export function noticeEndsAt(
  startDate: string,
  workingDays: number,
  extra: ExtraDays = NO_EXTRA_DAYS,
): { lastDay: string; endsAt: string } {
  const lastDay = lastWorkingDay(startDate, workingDays, extra);
  return { lastDay, endsAt: endOfShanghaiDay(lastDay) };
}
