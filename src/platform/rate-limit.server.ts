import { sql } from "kysely";
import type { AppContext } from "./context.ts";

export interface RateLimitHit {
  /** True when this hit took the count past the limit. */
  blocked: boolean;
  count: number;
  resetAt: Date;
}

/**
 * Fixed-window counters kept in the database, so limits hold across restarts, worker processes
 * and instances. `hit` adds one in a single upsert and returns the count it produced, so callers
 * that race each get a distinct count: counting before the costly check (a password hash) is
 * what keeps a burst of parallel attempts within the limit.
 */
export async function hitRateLimit(
  ctx: Pick<AppContext, "db" | "clock">,
  key: string,
  opts: { limit: number; windowMs: number },
): Promise<RateLimitHit> {
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const freshReset = new Date(now.getTime() + opts.windowMs).toISOString();
  const row = await ctx.db
    .insertInto("rate_limits")
    .values({ key, count: 1, reset_at: freshReset })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet({
        // An expired window starts again at 1; a live one counts on.
        count: sql<number>`case when rate_limits.reset_at <= ${nowIso} then 1 else rate_limits.count + 1 end`,
        reset_at: sql<string>`case when rate_limits.reset_at <= ${nowIso} then excluded.reset_at else rate_limits.reset_at end`,
      }),
    )
    .returning(["count", "reset_at"])
    .executeTakeFirstOrThrow();
  const count = Number(row.count);
  return { blocked: count > opts.limit, count, resetAt: new Date(row.reset_at) };
}

/** Takes back one hit that turned out not to count (a successful login against a failure limit). */
export async function releaseRateLimit(ctx: Pick<AppContext, "db">, key: string): Promise<void> {
  await ctx.db
    .updateTable("rate_limits")
    .set((eb) => ({ count: eb("count", "-", 1) }))
    .where("key", "=", key)
    .where("count", ">", 0)
    .execute();
}

export async function peekRateLimit(
  ctx: Pick<AppContext, "db" | "clock">,
  key: string,
): Promise<{ count: number; resetAt: Date } | null> {
  const row = await ctx.db.selectFrom("rate_limits").selectAll().where("key", "=", key).executeTakeFirst();
  if (!row || new Date(row.reset_at) <= ctx.clock.now()) return null;
  return { count: Number(row.count), resetAt: new Date(row.reset_at) };
}

/** Moves a live window's end (a lock that starts counting from the failure that set it). */
export async function extendRateLimit(
  ctx: Pick<AppContext, "db">,
  key: string,
  resetAt: Date,
): Promise<void> {
  await ctx.db
    .updateTable("rate_limits")
    .set({ reset_at: resetAt.toISOString() })
    .where("key", "=", key)
    .execute();
}

export async function setRateLimit(
  ctx: Pick<AppContext, "db">,
  key: string,
  count: number,
  resetAt: Date,
): Promise<void> {
  await ctx.db
    .insertInto("rate_limits")
    .values({ key, count, reset_at: resetAt.toISOString() })
    .onConflict((oc) => oc.column("key").doUpdateSet({ count, reset_at: resetAt.toISOString() }))
    .execute();
}

export async function clearRateLimit(ctx: Pick<AppContext, "db">, key: string): Promise<void> {
  await ctx.db.deleteFrom("rate_limits").where("key", "=", key).execute();
}
