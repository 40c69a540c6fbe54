import type { AppContext } from "#src/platform/context.ts";
import { enqueueJob } from "#src/platform/jobs/jobs.server.ts";
import { nextReminderRun, OUTBOX_JOB, REMINDERS_JOB } from "./notifications.rules.ts";
import { OUTBOX_JOB_HANDLERS } from "./outbox.server.ts";
import { REMINDER_JOB_HANDLERS } from "./reminders.server.ts";

export const NOTIFICATION_JOB_HANDLERS = { ...OUTBOX_JOB_HANDLERS, ...REMINDER_JOB_HANDLERS };

/**
 * At start: the outbox job runs now (whatever was queued while the server was down), and the daily
 * reminders job exists. A reminders run that is still pending keeps its time, so a run missed
 * while the server was down happens at once; one that finished or gave up is set for 09:00.
 */
export async function scheduleNotificationJobs(ctx: AppContext): Promise<void> {
  const now = ctx.clock.now();
  await enqueueJob(ctx.db, ctx, { kind: OUTBOX_JOB, runAt: now.toISOString(), uniqueKey: OUTBOX_JOB });
  const daily = await ctx.db
    .selectFrom("jobs")
    .select("status")
    .where("unique_key", "=", REMINDERS_JOB)
    .executeTakeFirst();
  if (!daily || daily.status === "done" || daily.status === "failed")
    await enqueueJob(ctx.db, ctx, {
      kind: REMINDERS_JOB,
      runAt: nextReminderRun(now),
      uniqueKey: REMINDERS_JOB,
    });
}
