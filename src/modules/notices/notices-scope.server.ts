import type { ExpressionBuilder } from "kysely";
import type { AppContext, SessionUser } from "#src/platform/context.ts";
import type { DB } from "#src/platform/db/schema.ts";
import { AppError } from "#src/platform/errors.ts";

/**
 * Whose 公示 and naming a staff user runs (第十九条): the city office the city-level calls, a county
 * 科协 its own county-level calls. Used in the `where` of every staff query on notices, with `calls`
 * joined (left-joined for notices: one without a call is the office's).
 */
export function callsManagedBy(me: SessionUser) {
  return (eb: ExpressionBuilder<DB, "calls">) =>
    me.role === "county"
      ? eb.and([eb("calls.level", "=", "county"), eb("calls.region_code", "=", me.regionCode)])
      : eb("calls.level", "=", "city");
}

/** The same, for `public_notices` left-joined to `calls`. */
export function noticesManagedBy(me: SessionUser) {
  return (eb: ExpressionBuilder<DB, "public_notices" | "calls">) =>
    me.role === "county"
      ? eb.and([eb("calls.level", "=", "county"), eb("calls.region_code", "=", me.regionCode)])
      : eb.or([eb("public_notices.call_id", "is", null), eb("calls.level", "=", "city")]);
}

/** Refuses a call whose 公示 the user does not run, as if it did not exist. */
export async function assertNoticeCall(ctx: AppContext, me: SessionUser, callId: string): Promise<void> {
  const call = await ctx.db
    .selectFrom("calls")
    .select("calls.id")
    .where("calls.id", "=", callId)
    .where(callsManagedBy(me))
    .executeTakeFirst();
  if (!call) throw new AppError("NOT_FOUND", "未找到该申报项目");
}

/** Refuses a notice the user does not run, as if it did not exist. */
export async function assertNoticeManaged(ctx: AppContext, me: SessionUser, noticeId: string): Promise<void> {
  const notice = await ctx.db
    .selectFrom("public_notices")
    .leftJoin("calls", "calls.id", "public_notices.call_id")
    .select("public_notices.id")
    .where("public_notices.id", "=", noticeId)
    .where(noticesManagedBy(me))
    .executeTakeFirst();
  if (!notice) throw new AppError("NOT_FOUND", "未找到该公示");
}
