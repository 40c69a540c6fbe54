import { endOfShanghaiDay } from "#src/modules/calls/calls.rules.ts";
import { lastWorkingDay } from "#src/modules/notices/working-days.rules.ts";
import type { Role } from "#src/platform/db/schema.ts";

/** The durable job that delivers the outbox, and its key (one pending run at a time). */
export const OUTBOX_JOB = "outbox.deliver";
/** The daily job that sends due reminders. */
export const REMINDERS_JOB = "reminders.daily";

/** Attempts before an outbox message is given up as failed. */
export const OUTBOX_MAX_ATTEMPTS = 5;
/** Waits after the 1st, 2nd, 3rd and 4th failed attempt: 1 min, 5 min, 30 min, 2 h. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000] as const;

/** What becomes of a message whose attempt number `attempts` (1-based) just failed. */
export function afterFailedAttempt(
  attempts: number,
  now: Date,
): { status: "pending"; nextAttemptAt: string } | { status: "failed" } {
  if (attempts >= OUTBOX_MAX_ATTEMPTS) return { status: "failed" };
  const delay = RETRY_DELAYS_MS[Math.max(0, attempts - 1)];
  return { status: "pending", nextAttemptAt: new Date(now.getTime() + delay).toISOString() };
}

export type ReminderKind = "call_closing" | "return_deadline" | "county_waiting";

/** The reminders users expect, who gets each, and how it reads on the account page. */
export const REMINDER_KINDS: Record<ReminderKind, { label: string; roles: Role[] }> = {
  call_closing: { label: "申报截止前3天，提醒我提交尚未提交的草稿", roles: ["org"] },
  return_deadline: { label: "申报被退回修改时，重新提交期限前2天提醒我", roles: ["org"] },
  county_waiting: { label: "申报在本级等待审核超过5个工作日时提醒我", roles: ["county"] },
};

export const CALL_CLOSING_LEAD_MS = 3 * 86400_000;
export const RETURN_DEADLINE_LEAD_MS = 2 * 86400_000;
export const COUNTY_WAITING_WORKING_DAYS = 5;

export function reminderKindsFor(role: Role): ReminderKind[] {
  return (Object.keys(REMINDER_KINDS) as ReminderKind[]).filter((k) =>
    REMINDER_KINDS[k].roles.includes(role),
  );
}

/** The kinds a user turned off, from the stored JSON; anything unreadable counts as none. */
export function parseRemindersOff(json: string | null | undefined): ReminderKind[] {
  if (!json) return [];
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v)
      ? v.filter((k): k is ReminderKind => typeof k === "string" && k in REMINDER_KINDS)
      : [];
  } catch {
    return [];
  }
}

/** The Asia/Shanghai calendar day of an instant. */
export function shanghaiDate(instant: string | Date): string {
  return new Date(new Date(instant).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

const nextDay = (date: string) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
};

/**
 * When an application that reached a stage at `arrivedAt` has waited more than 5 working days:
 * the end (24:00, Asia/Shanghai) of the 5th working day after the day it arrived.
 */
export function waitingReminderDueAt(arrivedAt: string): string {
  return endOfShanghaiDay(lastWorkingDay(nextDay(shanghaiDate(arrivedAt)), COUNTY_WAITING_WORKING_DAYS));
}

/** The next 09:00 Asia/Shanghai strictly after `now`: when the daily reminders run. */
export function nextReminderRun(now: Date): string {
  const today = shanghaiDate(now);
  const at = new Date(`${today}T09:00:00+08:00`);
  if (at.getTime() > now.getTime()) return at.toISOString();
  return new Date(`${nextDay(today)}T09:00:00+08:00`).toISOString();
}

/** A deadline as people say it: the end of a day is "2023-02-28 24:00", not the next day's 00:00. */
export function deadlineText(instant: string): string {
  const local = new Date(new Date(instant).getTime() + 8 * 3600_000).toISOString();
  if (local.slice(11, 19) === "00:00:00") {
    const prev = new Date(new Date(instant).getTime() + 8 * 3600_000 - 86400_000).toISOString();
    return `${prev.slice(0, 10)} 24:00`;
  }
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}
