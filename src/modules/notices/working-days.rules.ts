import chineseDays from "chinese-days";
import { endOfShanghaiDay } from "#src/modules/calls/calls.rules.ts";

/**
 * Working days by the official calendar (国务院办公厅 holiday notices, 调休 included), from the
 * `chinese-days` data shipped with the package, so it works offline. For a year the data does not
 * cover yet, Monday–Friday counts.
 */
export const isWorkingDay = (date: string): boolean => chineseDays.isWorkday(date);

const addDays = (date: string, n: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

/**
 * The last day of a notice period of `workingDays` working days starting on `startDate`
 * (counted when it is itself a working day).
 */
export function lastWorkingDay(startDate: string, workingDays: number): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(startDate)) throw new Error(`not a date: ${startDate}`);
  if (!Number.isInteger(workingDays) || workingDays < 1)
    throw new Error(`working days must be ≥ 1: ${workingDays}`);
  let day = startDate;
  let counted = 0;
  for (let i = 0; i < 400; i++) {
    if (isWorkingDay(day)) counted++;
    if (counted === workingDays) return day;
    day = addDays(day, 1);
  }
  throw new Error("no working days found within 400 days");
}

/** The instant a notice period ends: the end (24:00, Asia/Shanghai) of its last working day. */
export function noticeEndsAt(startDate: string, workingDays: number): { lastDay: string; endsAt: string } {
  const lastDay = lastWorkingDay(startDate, workingDays);
  return { lastDay, endsAt: endOfShanghaiDay(lastDay) };
}
