import { authorize } from "#src/modules/accounts/authorize.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import type { Outbox } from "#src/platform/db/schema.ts";
import { AppError, notFound } from "#src/platform/errors.ts";
import { enqueueJob, type JobHandler } from "#src/platform/jobs/jobs.server.ts";
import { logger } from "#src/platform/logger.ts";
import { outboxAdaptersFor } from "#src/platform/notify/adapters.server.ts";
import { maskRecipient } from "#src/platform/notify/mask.rules.ts";
import type { OutboxAdapter } from "#src/platform/notify/outbound.ts";
import { afterFailedAttempt, OUTBOX_JOB } from "./notifications.rules.ts";

/** A claim older than this is presumed dead (the process stopped mid-send) and may be taken again. */
const CLAIM_MS = 10 * 60_000;
/** The safety net: the delivery job comes back at least this often while it has nothing else to do. */
const SWEEP_MS = 5 * 60_000;
const BATCH = 20;

export interface DeliveryResult {
  claimed: number;
  sent: number;
}

/**
 * Claims up to `limit` due messages for the channels it has adapters for and sends them. The claim
 * is one UPDATE … RETURNING over the due rows (on PostgreSQL they are locked with SKIP LOCKED;
 * SQLite has one writer), so two workers never hold the same row. A failure is retried after
 * 1 min, 5 min, 30 min and 2 h, then the message is failed and shown to staff.
 */
export async function deliverOutbox(
  ctx: AppContext,
  adapters: OutboxAdapter[],
  limit = BATCH,
): Promise<DeliveryResult> {
  const channels = [...new Set(adapters.map((a) => a.channel))];
  if (channels.length === 0) return { claimed: 0, sent: 0 };
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const lease = new Date(now.getTime() + CLAIM_MS).toISOString();
  const claimed = await ctx.db
    .updateTable("outbox")
    .set({ status: "sending", locked_until: lease })
    .where((eb) => {
      let due = eb
        .selectFrom("outbox")
        .select("id")
        .where("channel", "in", channels)
        .where((w) =>
          w.or([
            w.and([w("status", "=", "pending"), w("next_attempt_at", "<=", nowIso)]),
            w.and([w("status", "=", "sending"), w("locked_until", "<", nowIso)]),
          ]),
        )
        .orderBy("next_attempt_at")
        .limit(limit);
      if (ctx.engine === "postgres") due = due.forUpdate().skipLocked();
      return eb.and([
        eb("id", "in", due),
        // Checked again on the row itself: a row another worker claimed meanwhile is left alone.
        eb.or([
          eb.and([eb("status", "=", "pending"), eb("next_attempt_at", "<=", nowIso)]),
          eb.and([eb("status", "=", "sending"), eb("locked_until", "<", nowIso)]),
        ]),
      ]);
    })
    .returningAll()
    .execute();

  let sent = 0;
  for (const m of claimed) {
    const adapter = adapters.find((a) => a.channel === m.channel)!;
    const attempts = m.attempts + 1;
    try {
      await adapter.send({ recipient: m.recipient, subject: m.subject, body: m.body, kind: m.kind });
      await ctx.db
        .updateTable("outbox")
        .set({ status: "sent", sent_at: ctx.clock.now().toISOString(), attempts, locked_until: null })
        .where("id", "=", m.id)
        .where("locked_until", "=", lease)
        .execute();
      sent++;
    } catch (e) {
      const next = afterFailedAttempt(attempts, ctx.clock.now());
      logger.warn(
        {
          outbox: m.id,
          channel: m.channel,
          to: maskRecipient(m.channel, m.recipient),
          attempts,
          err: String(e),
        },
        "outbox message not sent",
      );
      await ctx.db
        .updateTable("outbox")
        .set({
          attempts,
          last_error: String(e instanceof Error ? e.message : e).slice(0, 500),
          status: next.status,
          next_attempt_at: next.status === "pending" ? next.nextAttemptAt : null,
          locked_until: null,
        })
        .where("id", "=", m.id)
        .where("locked_until", "=", lease)
        .execute();
    }
  }
  return { claimed: claimed.length, sent };
}

/**
 * The delivery job: batches until nothing is due, then comes back when the next retry is due,
 * and at least every 5 minutes as a safety net. `notify` moves it to now whenever it queues.
 */
export async function runOutboxJob(ctx: AppContext, adapters = outboxAdaptersFor(ctx.config)): Promise<void> {
  for (let round = 0; round < 10; round++) {
    const r = await deliverOutbox(ctx, adapters);
    if (r.claimed < BATCH) break;
  }
  const next = await ctx.db
    .selectFrom("outbox")
    .select((eb) => eb.fn.min("next_attempt_at").as("at"))
    .where("status", "=", "pending")
    .executeTakeFirst();
  const now = ctx.clock.now().getTime();
  const sweep = now + SWEEP_MS;
  const due = next?.at ? Math.min(Math.max(new Date(next.at).getTime(), now), sweep) : sweep;
  await enqueueJob(ctx.db, ctx, {
    kind: OUTBOX_JOB,
    runAt: new Date(due).toISOString(),
    uniqueKey: OUTBOX_JOB,
  });
}

export interface OutboxRow {
  id: string;
  channel: "email" | "sms";
  kind: string;
  recipient: string;
  subject: string;
  status: Outbox["status"];
  attempts: number;
  lastError: string | null;
  createdAt: string;
  nextAttemptAt: string | null;
}

/** 【消息发送记录】: messages not (yet) delivered, failed first, recipients masked. */
export async function listUndelivered(
  ctx: AppContext,
  actor: Actor,
  filter: { status?: "failed" | "pending" } = {},
): Promise<OutboxRow[]> {
  await authorize(ctx, actor, "outbox:manage");
  let q = ctx.db.selectFrom("outbox").selectAll();
  q =
    filter.status === "failed"
      ? q.where("status", "=", "failed")
      : filter.status === "pending"
        ? q.where("status", "in", ["pending", "sending"])
        : q.where("status", "in", ["failed", "pending", "sending"]);
  const rows = await q.orderBy("created_at", "desc").orderBy("id", "desc").limit(200).execute();
  const rank = { failed: 0, sending: 1, pending: 2, sent: 3 };
  return rows
    .sort((a, b) => rank[a.status] - rank[b.status])
    .map((m) => ({
      id: m.id,
      channel: m.channel,
      kind: m.kind,
      recipient: maskRecipient(m.channel, m.recipient),
      subject: m.subject,
      status: m.status,
      attempts: m.attempts,
      lastError: m.last_error,
      createdAt: m.created_at,
      nextAttemptAt: m.next_attempt_at,
    }));
}

/** 【重新发送】 a failed message: five fresh attempts from now; audited. */
export async function resendOutboxMessage(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  await authorize(ctx, actor, "outbox:manage");
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom("outbox")
      .select(["status", "attempts", "last_error", "channel"])
      .where("id", "=", id)
      .executeTakeFirst();
    if (!before) throw notFound();
    const r = await trx
      .updateTable("outbox")
      .set({ status: "pending", attempts: 0, next_attempt_at: now, locked_until: null })
      .where("id", "=", id)
      .where("status", "=", "failed")
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1)
      throw new AppError("CONFLICT", "该消息已不是发送失败状态，请刷新页面。");
    await enqueueJob(trx, ctx, { kind: OUTBOX_JOB, runAt: now, uniqueKey: OUTBOX_JOB });
    await recordAudit(ctx, trx, actor, {
      action: "outbox.resend",
      targetType: "outbox",
      targetId: id,
      detail: {
        channel: before.channel,
        before: { status: before.status, attempts: before.attempts, lastError: before.last_error },
        after: { status: "pending", attempts: 0 },
      },
    });
  });
}

export const OUTBOX_JOB_HANDLERS: Record<string, JobHandler> = {
  [OUTBOX_JOB]: (ctx) => runOutboxJob(ctx),
};
