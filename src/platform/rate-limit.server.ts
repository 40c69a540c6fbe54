import type { AppContext } from "./context.ts";

/**
 * Fixed-window counters kept in the database, so limits hold across restarts and instances.
 * `hit` adds one and reports whether the caller is now over the limit.
 */
export async function hitRateLimit(
  ctx: AppContext,
  key: string,
  opts: { limit: number; windowMs: number },
): Promise<{ blocked: boolean; count: number; resetAt: Date }> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("rate_limits").selectAll().where("key", "=", key).executeTakeFirst();
    if (!row || new Date(row.reset_at) <= now) {
      const resetAt = new Date(now.getTime() + opts.windowMs);
      await trx
        .insertInto("rate_limits")
        .values({ key, count: 1, reset_at: resetAt.toISOString() })
        .onConflict((oc) => oc.column("key").doUpdateSet({ count: 1, reset_at: resetAt.toISOString() }))
        .execute();
      return { blocked: 1 > opts.limit, count: 1, resetAt };
    }
    const updated = await trx
      .updateTable("rate_limits")
      .set((eb) => ({ count: eb("count", "+", 1) }))
      .where("key", "=", key)
      .returning(["count", "reset_at"])
      .executeTakeFirstOrThrow();
    return { blocked: updated.count > opts.limit, count: updated.count, resetAt: new Date(updated.reset_at) };
  });
}

export async function peekRateLimit(
  ctx: AppContext,
  key: string,
): Promise<{ count: number; resetAt: Date } | null> {
  const row = await ctx.db.selectFrom("rate_limits").selectAll().where("key", "=", key).executeTakeFirst();
  if (!row || new Date(row.reset_at) <= ctx.clock.now()) return null;
  return { count: row.count, resetAt: new Date(row.reset_at) };
}

export async function setRateLimit(
  ctx: AppContext,
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

export async function clearRateLimit(ctx: AppContext, key: string): Promise<void> {
  await ctx.db.deleteFrom("rate_limits").where("key", "=", key).execute();
}
