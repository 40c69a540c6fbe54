import { type Kysely, sql } from "kysely";
import type { SessionFigure } from "#src/platform/auth/session.server.ts";
import type { AppContext } from "#src/platform/context.ts";
import type { DB, Notification, Role } from "#src/platform/db/schema.ts";
import { newId } from "#src/platform/ids.ts";
import { enqueueJob } from "#src/platform/jobs/jobs.server.ts";
import type { OutboxAdapter } from "#src/platform/notify/outbound.ts";
import { OUTBOX_JOB } from "./notifications.rules.ts";

export interface NotifyInput {
  userIds: string[];
  kind: string;
  title: string;
  body: string;
  link?: string;
}

/**
 * Puts a message in each user's in-app inbox and queues an SMS (users with a phone) and an email
 * (users with an email) in the outbox, inside the caller's transaction, so a notice exists exactly
 * when the change it announces does; the delivery job is scheduled in the same transaction.
 */
export async function notify(
  ctx: Pick<AppContext, "clock"> & Partial<Pick<AppContext, "config">>,
  db: Kysely<DB>,
  input: NotifyInput,
): Promise<void> {
  const ids = [...new Set(input.userIds)];
  if (ids.length === 0) return;
  const now = ctx.clock.now().toISOString();
  await db
    .insertInto("notifications")
    .values(
      ids.map((user_id) => ({
        id: newId(),
        user_id,
        kind: input.kind,
        title: input.title,
        body: input.body,
        link: input.link ?? null,
        created_at: now,
        read_at: null,
      })),
    )
    .execute();
  const recipients = await db
    .selectFrom("users")
    .select(["phone", "email"])
    .where("id", "in", ids)
    .where((eb) => eb.or([eb("phone", "is not", null), eb("email", "is not", null)]))
    .where("disabled_at", "is", null)
    .execute();
  const row = (channel: "sms" | "email", recipient: string, subject: string, body: string) => ({
    id: newId(),
    channel,
    kind: input.kind,
    recipient,
    subject,
    body,
    status: "pending" as const,
    last_error: null,
    created_at: now,
    next_attempt_at: now,
    sent_at: null,
  });
  const mail = emailBody(input, ctx.config?.publicUrl ?? "");
  const rows = recipients.flatMap((r) => [
    ...(r.phone
      ? [row("sms", r.phone, input.title, `【科普基地服务平台】${input.title}：${input.body}`)]
      : []),
    ...(r.email ? [row("email", r.email, `【科普基地服务平台】${input.title}`, mail)] : []),
  ]);
  if (rows.length === 0) return;
  await db.insertInto("outbox").values(rows).execute();
  await enqueueJob(db, ctx, { kind: OUTBOX_JOB, runAt: now, uniqueKey: OUTBOX_JOB });
}

function emailBody(input: NotifyInput, publicUrl: string): string {
  const link = input.link ? `\n\n查看详情：${publicUrl}${input.link}` : "";
  return `您好：\n\n${input.body}${link}\n\n此邮件由科普基地服务平台自动发送，请勿直接回复。如不想再收到提醒，可在平台【账号信息】中关闭。`;
}

/** Active staff with `role` whose region covers `regionCode` (the region itself or one above it). */
export async function reviewersFor(db: Kysely<DB>, role: Role, regionCodes: string[]): Promise<string[]> {
  if (regionCodes.length === 0) return [];
  const rows = await db
    .selectFrom("users")
    .select("id")
    .where("role", "=", role)
    .where("region_code", "in", regionCodes)
    .where("disabled_at", "is", null)
    .execute();
  return rows.map((r) => r.id);
}

export async function listNotifications(
  ctx: AppContext,
  userId: string,
  opts: { unreadOnly?: boolean; limit?: number } = {},
): Promise<Notification[]> {
  let q = ctx.db.selectFrom("notifications").selectAll().where("user_id", "=", userId);
  if (opts.unreadOnly) q = q.where("read_at", "is", null);
  return q
    .orderBy("id", "desc")
    .limit(opts.limit ?? 50)
    .execute();
}

/** The header's badge reads "99+" past 99 (antd Badge's overflowCount), so no count goes further. */
export const UNREAD_COUNT_CAP = 100;

/** The name under which the unread count is read with the session (`user.figures`). */
export const UNREAD_FIGURE = "unread";

/**
 * The user's unread notifications, up to UNREAD_COUNT_CAP (staff can hold tens of thousands, one
 * per base of a round, which a full count reads). The header shows it on every page, so it is a
 * session figure: read in the session's own query, with no round trip of its own.
 */
export const unreadCountFigure: SessionFigure = (eb) =>
  eb
    .selectFrom(
      eb
        .selectFrom("notifications")
        .select(sql.lit(1).as("one"))
        .whereRef("notifications.user_id", "=", "users.id")
        .where("notifications.read_at", "is", null)
        .limit(UNREAD_COUNT_CAP)
        .as("u"),
    )
    .select((e) => e.fn.countAll<number>().as("n"))
    .$asScalar();

/** Marks the user's own notifications read; ids of other users' messages are ignored. */
export async function markNotificationsRead(
  ctx: AppContext,
  userId: string,
  ids: string[] | "all",
): Promise<void> {
  let q = ctx.db
    .updateTable("notifications")
    .set({ read_at: ctx.clock.now().toISOString() })
    .where("user_id", "=", userId)
    .where("read_at", "is", null);
  if (ids !== "all") {
    if (ids.length === 0) return;
    q = q.where("id", "in", ids);
  }
  await q.execute();
}

export type { OutboxAdapter };

export const recordingAdapter = (
  channel: "email" | "sms",
): OutboxAdapter & { sent: { recipient: string; subject: string; body: string; kind: string }[] } => {
  const sent: { recipient: string; subject: string; body: string; kind: string }[] = [];
  return { channel, sent, send: async (m) => void sent.push(m) };
};
