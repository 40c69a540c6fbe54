import { sql } from "kysely";
import { formatShanghai } from "#src/platform/clock.ts";
import type { AppContext } from "#src/platform/context.ts";
import { enqueueJob, type JobHandler } from "#src/platform/jobs/jobs.server.ts";
import {
  CALL_CLOSING_LEAD_MS,
  deadlineText,
  nextReminderRun,
  parseRemindersOff,
  REMINDERS_JOB,
  RETURN_DEADLINE_LEAD_MS,
  type ReminderKind,
  waitingReminderDueAt,
} from "./notifications.rules.ts";
import { type NotifyInput, notify } from "./notifications.server.ts";

interface Due {
  kind: ReminderKind;
  userId: string;
  /** What the reminder is about, so the same one is never sent twice. */
  target: string;
  message: Omit<NotifyInput, "userIds" | "kind">;
}

/**
 * The daily reminders, as of `ctx.clock`: drafts 3 days before their call closes, returned
 * applications 2 days before the revision deadline, and county staff about applications waiting
 * at their stage more than 5 working days. Each goes out once per kind, target and user (a row in
 * `reminders_sent`, written with the notification), and never to a user who turned the kind off.
 * Returns how many were sent.
 */
export async function sendDueReminders(ctx: AppContext): Promise<number> {
  const due = [...(await callClosing(ctx)), ...(await returnDeadline(ctx)), ...(await countyWaiting(ctx))];
  if (due.length === 0) return 0;
  const users = await ctx.db
    .selectFrom("users")
    .select(["id", "reminders_off"])
    .where("id", "in", [...new Set(due.map((d) => d.userId))])
    .where("disabled_at", "is", null)
    .execute();
  const off = new Map(users.map((u) => [u.id, parseRemindersOff(u.reminders_off)]));
  let sent = 0;
  for (const d of due) {
    const userOff = off.get(d.userId);
    if (!userOff || userOff.includes(d.kind)) continue;
    const key = `${d.kind}:${d.target}:${d.userId}`;
    const fresh = await ctx.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto("reminders_sent")
        .values({ key, kind: d.kind, user_id: d.userId, sent_at: ctx.clock.now().toISOString() })
        .onConflict((oc) => oc.column("key").doNothing())
        .returning("key")
        .executeTakeFirst();
      if (!row) return false;
      await notify(ctx, trx, { ...d.message, userIds: [d.userId], kind: `reminder.${d.kind}` });
      return true;
    });
    if (fresh) sent++;
  }
  return sent;
}

async function callClosing(ctx: AppContext): Promise<Due[]> {
  const now = ctx.clock.now();
  const rows = await ctx.db
    .selectFrom("applications as a")
    .innerJoin("calls as c", "c.id", "a.call_id")
    .select(["a.id", "a.org_id", "a.base_name", "c.title", "c.closes_at"])
    .where("a.status", "=", "draft")
    .where("c.closes_at", ">", now.toISOString())
    .where("c.closes_at", "<=", new Date(now.getTime() + CALL_CLOSING_LEAD_MS).toISOString())
    .execute();
  return rows.map((r) => ({
    kind: "call_closing",
    userId: r.org_id,
    target: r.id,
    message: {
      title: "申报即将截止，草稿尚未提交",
      body: `您在“${r.title}”中的申报${r.base_name ? `“${r.base_name}”` : ""}还是草稿，申报将于 ${deadlineText(r.closes_at)} 截止，请尽快完善并提交。`,
      link: `/applications/${r.id}/edit`,
    },
  }));
}

/** The 申报编号 in brackets after a name, when the application has one. */
const numberText = (no: string | null) => (no ? `（${no}）` : "");

async function returnDeadline(ctx: AppContext): Promise<Due[]> {
  const now = ctx.clock.now();
  const rows = await ctx.db
    .selectFrom("applications")
    .select(["id", "org_id", "base_name", "unit_name", "return_deadline", "application_no"])
    .where("status", "=", "returned")
    .where("return_deadline", ">", now.toISOString())
    .where("return_deadline", "<=", new Date(now.getTime() + RETURN_DEADLINE_LEAD_MS).toISOString())
    .execute();
  return rows.map((r) => ({
    kind: "return_deadline",
    userId: r.org_id,
    // A second return sets a new deadline: a new reminder.
    target: `${r.id}:${r.return_deadline}`,
    message: {
      title: "退回修改的申报即将到期",
      body: `您的申报“${r.base_name || r.unit_name}”${numberText(r.application_no)}已退回修改，请在 ${deadlineText(r.return_deadline!)} 前修改后重新提交，逾期将无法提交。`,
      link: `/applications/${r.id}`,
    },
  }));
}

async function countyWaiting(ctx: AppContext): Promise<Due[]> {
  const now = ctx.clock.now().toISOString();
  // When each application waiting for the county last arrived there.
  const rows = await ctx.db
    .selectFrom("applications as a")
    .innerJoin("application_events as e", (j) =>
      j.onRef("e.application_id", "=", "a.id").on("e.to_status", "=", "county_review"),
    )
    .select([
      "a.id",
      "a.region_code",
      "a.base_name",
      "a.unit_name",
      "a.application_no",
      sql<string>`max(e.at)`.as("arrived_at"),
    ])
    .where("a.status", "=", "county_review")
    .groupBy(["a.id", "a.region_code", "a.base_name", "a.unit_name", "a.application_no"])
    .execute();
  const waiting = rows.filter((r) => waitingReminderDueAt(r.arrived_at) <= now);
  if (waiting.length === 0) return [];
  const staff = await ctx.db
    .selectFrom("users")
    .select(["id", "region_code"])
    .where("role", "=", "county")
    .where("region_code", "in", [...new Set(waiting.map((r) => r.region_code))])
    .where("disabled_at", "is", null)
    .execute();
  return waiting.flatMap((r) =>
    staff
      .filter((u) => u.region_code === r.region_code)
      .map((u) => ({
        kind: "county_waiting" as const,
        userId: u.id,
        target: `${r.id}:${r.arrived_at}`,
        message: {
          title: "申报等待推荐已超过5个工作日",
          body: `“${r.base_name || r.unit_name}”${numberText(r.application_no)}于 ${formatShanghai(r.arrived_at)} 提交至县级，已等待超过5个工作日，请尽快审核。`,
          link: `/applications/${r.id}`,
        },
      })),
  );
}

/** The daily job: send what is due, then come back at 09:00 (Asia/Shanghai) tomorrow. */
export async function runRemindersJob(ctx: AppContext): Promise<void> {
  await sendDueReminders(ctx);
  await enqueueJob(ctx.db, ctx, {
    kind: REMINDERS_JOB,
    runAt: nextReminderRun(ctx.clock.now()),
    uniqueKey: REMINDERS_JOB,
  });
}

export const REMINDER_JOB_HANDLERS: Record<string, JobHandler> = {
  [REMINDERS_JOB]: (ctx) => runRemindersJob(ctx),
};
