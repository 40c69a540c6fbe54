import type { Kysely } from "kysely";
import type { AppContext } from "#src/platform/context.ts";
import type { DB, Notification, Role } from "#src/platform/db/schema.ts";
import { newId } from "#src/platform/ids.ts";

export interface NotifyInput {
  userIds: string[];
  kind: string;
  title: string;
  body: string;
  link?: string;
}

/**
 * Puts a message in each user's in-app inbox and queues an SMS in the outbox, inside the
 * caller's transaction, so a notice exists exactly when the change it announces does.
 */
export async function notify(
  ctx: Pick<AppContext, "clock">,
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
  const phones = await db
    .selectFrom("users")
    .select("phone")
    .where("id", "in", ids)
    .where("phone", "is not", null)
    .where("disabled_at", "is", null)
    .execute();
  if (phones.length) {
    await db
      .insertInto("outbox")
      .values(
        phones.map((p) => ({
          id: newId(),
          channel: "sms" as const,
          recipient: p.phone!,
          subject: input.title,
          body: `【科普基地服务平台】${input.title}：${input.body}`,
          status: "pending" as const,
          last_error: null,
          created_at: now,
          sent_at: null,
        })),
      )
      .execute();
  }
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

export async function countUnread(ctx: AppContext, userId: string): Promise<number> {
  const r = await ctx.db
    .selectFrom("notifications")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

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

/** Outbox delivery: adapters send; the default one only records, so nothing leaves the machine. */
export interface OutboxAdapter {
  channel: "email" | "sms";
  send(message: { recipient: string; subject: string; body: string }): Promise<void>;
}

export const recordingAdapter = (channel: "email" | "sms"): OutboxAdapter & { sent: unknown[] } => {
  const sent: unknown[] = [];
  return { channel, sent, send: async (m) => void sent.push(m) };
};

/** Sends pending outbox messages through the adapters; failures stay pending with the error kept. */
export async function deliverOutbox(
  ctx: AppContext,
  adapters: OutboxAdapter[],
  limit = 100,
): Promise<number> {
  const pending = await ctx.db
    .selectFrom("outbox")
    .selectAll()
    .where("status", "=", "pending")
    .orderBy("created_at")
    .limit(limit)
    .execute();
  let sent = 0;
  for (const m of pending) {
    const adapter = adapters.find((a) => a.channel === m.channel);
    if (!adapter) continue;
    try {
      await adapter.send(m);
      await ctx.db
        .updateTable("outbox")
        .set((eb) => ({
          status: "sent",
          sent_at: ctx.clock.now().toISOString(),
          attempts: eb("attempts", "+", 1),
        }))
        .where("id", "=", m.id)
        .execute();
      sent++;
    } catch (e) {
      await ctx.db
        .updateTable("outbox")
        .set((eb) => ({
          attempts: eb("attempts", "+", 1),
          last_error: String(e).slice(0, 500),
          status: m.attempts + 1 >= 5 ? "failed" : "pending",
        }))
        .where("id", "=", m.id)
        .execute();
    }
  }
  return sent;
}
