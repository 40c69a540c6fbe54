import type { Kysely } from "kysely";
import type { Actor, AppContext } from "#src/platform/context.ts";
import type { BaseWarning, DB, WarningStatus } from "#src/platform/db/schema.ts";
import { newId } from "#src/platform/ids.ts";

/**
 * The writes every step of a warning shares, kept free of the use cases so the bases module can
 * open a warning inside its own transaction (a late change report, 第十八条(三)).
 */

/** One step on the base's timeline (base_warning_events). */
export async function recordWarningEvent(
  ctx: Pick<AppContext, "clock">,
  db: Kysely<DB>,
  actor: Actor | null,
  e: { warningId: string; baseId: string; action: string; status: WarningStatus; note?: string },
): Promise<void> {
  await db
    .insertInto("base_warning_events")
    .values({
      id: newId(),
      warning_id: e.warningId,
      base_id: e.baseId,
      action: e.action,
      status: e.status,
      actor_id: actor?.user?.id ?? null,
      actor_role: actor?.user?.role ?? null,
      note: e.note ?? "",
      at: ctx.clock.now().toISOString(),
    })
    .execute();
}

/**
 * The warning a late change report puts the base on (第十八条(三)): open, so the office or city can
 * order 整改 or lift it like any other. The caller has set bases.status = 'warning' in the same
 * transaction.
 */
export async function openLateChangeWarning(
  ctx: Pick<AppContext, "clock">,
  trx: Kysely<DB>,
  actor: Actor,
  base: { id: string; region_code: string },
  reason: string,
  changeReportId: string,
): Promise<BaseWarning> {
  const now = ctx.clock.now().toISOString();
  const row = await trx
    .insertInto("base_warnings")
    .values({
      id: newId(),
      base_id: base.id,
      region_code: base.region_code,
      source: "late_change",
      status: "open",
      reason,
      evidence: `变更申报 ${changeReportId}`,
      created_by: actor.user?.id ?? null,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordWarningEvent(ctx, trx, actor, {
    warningId: row.id,
    baseId: base.id,
    action: "issue",
    status: "open",
    note: reason,
  });
  return row;
}
