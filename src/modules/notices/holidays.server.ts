import type { Kysely } from "kysely";
import { authorize } from "#src/modules/accounts/authorize.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import type { DB } from "#src/platform/db/schema.ts";
import type { HolidayYearInput } from "./holidays.schema.ts";
import { type ExtraDays, packageCoversYear } from "./working-days.rules.ts";

/** The admin's 放假 and 调休 days, for `working-days.rules.ts`. */
export async function loadExtraDays(db: Kysely<DB>): Promise<ExtraDays> {
  const rows = await db.selectFrom("holidays").select(["day", "kind"]).orderBy("day").execute();
  return {
    holidays: rows.filter((r) => r.kind === "holiday").map((r) => r.day),
    workdays: rows.filter((r) => r.kind === "workday").map((r) => r.day),
  };
}

/** The entered 放假 and 调休 days, for staff who set or read notice periods. */
export async function getNoticeCalendar(ctx: AppContext, actor: Actor): Promise<ExtraDays> {
  await authorize(ctx, actor, "notices:manage");
  return loadExtraDays(ctx.db);
}

/** 【节假日设置】: the years entered, and the next years the bundled calendar lacks. */
export async function listHolidayYears(ctx: AppContext, actor: Actor) {
  await authorize(ctx, actor, "holidays:manage");
  const extra = await loadExtraDays(ctx.db);
  const byYear = new Map<number, { holidays: string[]; workdays: string[] }>();
  for (const [kind, days] of [
    ["holidays", extra.holidays],
    ["workdays", extra.workdays],
  ] as const) {
    for (const d of days) {
      const y = Number(d.slice(0, 4));
      if (!byYear.has(y)) byYear.set(y, { holidays: [], workdays: [] });
      byYear.get(y)![kind].push(d);
    }
  }
  const thisYear = Number(new Date(ctx.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 4));
  const missing = [thisYear, thisYear + 1, thisYear + 2].filter(
    (y) => !packageCoversYear(y) && !byYear.has(y),
  );
  return {
    years: [...byYear.entries()].sort(([a], [b]) => b - a).map(([year, days]) => ({ year, ...days })),
    missing,
  };
}

/** Replaces one year's entered days, in one transaction with the audit event. */
export async function saveHolidayYear(ctx: AppContext, actor: Actor, input: HolidayYearInput): Promise<void> {
  const me = await authorize(ctx, actor, "holidays:manage");
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await loadExtraDays(trx);
    await trx.deleteFrom("holidays").where("year", "=", input.year).execute();
    const rows = [
      ...input.holidays.map((day) => ({ day, kind: "holiday" as const })),
      ...input.workdays.map((day) => ({ day, kind: "workday" as const })),
    ].map((r) => ({ ...r, year: input.year, created_by: me.id, created_at: now }));
    if (rows.length > 0) await trx.insertInto("holidays").values(rows).execute();
    const inYear = (days: readonly string[]) => days.filter((d) => d.startsWith(`${input.year}-`));
    await recordAudit(ctx, trx, actor, {
      action: "holidays.save",
      targetType: "holidays",
      targetId: String(input.year),
      detail: {
        before: { holidays: inYear(before.holidays), workdays: inYear(before.workdays) },
        after: { holidays: input.holidays, workdays: input.workdays },
      },
    });
  });
}
