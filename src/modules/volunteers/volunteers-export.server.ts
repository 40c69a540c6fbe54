import type { Writable } from "node:stream";
import { type ExpressionBuilder, sql } from "kysely";
import { authorize } from "#src/modules/accounts/authorize.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import { withBulkReader } from "#src/platform/db/bulk-reader.server.ts";
import type { Database } from "#src/platform/db/database.ts";
import type { DB } from "#src/platform/db/schema.ts";
import { batchesAcross, type SheetColumn, streamSheet } from "#src/platform/xlsx/stream-sheet.server.ts";
import { hoursText, STVS_STATUS_LABELS, VOLUNTEER_STATUS_LABELS } from "./volunteers.rules.ts";
import { loadOwnBase, type RosterPageRow, volunteerScope } from "./volunteers.server.ts";

const BATCH = 1000;

export interface HoursRow {
  id: string;
  region_code: string;
  service_date: string;
  minutes: number;
  stvs_no: string;
  volunteer_name: string;
  activity_name: string;
  team_name: string | null;
  stvs_org_no: string | null;
  base_name: string;
}

/** The columns stvs and the 全国科普日 platform ask for, keyed by the national numbers. */
const HOURS_COLUMNS: SheetColumn<HoursRow>[] = [
  { header: "志愿者编号", width: 20, value: (r) => r.stvs_no },
  { header: "姓名", width: 14, value: (r) => r.volunteer_name },
  { header: "活动名称", width: 36, value: (r) => r.activity_name },
  { header: "服务日期", width: 12, value: (r) => r.service_date },
  { header: "服务时长（小时）", width: 16, value: (r) => Number(hoursText(r.minutes)) },
  { header: "服务队组织编号", width: 20, value: (r) => r.stvs_org_no ?? "" },
  { header: "服务队名称", width: 36, value: (r) => r.team_name ?? "" },
  { header: "基地名称", width: 36, value: (r) => r.base_name },
];

export const HOURS_EXPORT_HEADERS = HOURS_COLUMNS.map((c) => c.header);

function hoursQuery(db: Database) {
  return db
    .selectFrom("volunteer_services as s")
    .innerJoin("volunteers as v", "v.id", "s.volunteer_id")
    .innerJoin("activities as a", "a.id", "s.activity_id")
    .innerJoin("bases as b", "b.id", "s.base_id")
    .leftJoin("volunteer_teams as t", "t.base_id", "s.base_id")
    .select([
      "s.id",
      "s.region_code",
      "s.service_date",
      "s.minutes",
      "v.stvs_no",
      "v.name as volunteer_name",
      "a.name as activity_name",
      "t.name as team_name",
      "t.stvs_org_no",
      "b.name as base_name",
    ])
    .where("s.status", "=", "confirmed");
}

/** Keyset on (service_date, id), the order of the indexes. */
const after = (last: HoursRow | null) => (eb: ExpressionBuilder<DB & { s: DB["volunteer_services"] }, "s">) =>
  last
    ? eb.or([
        eb("s.service_date", ">", last.service_date),
        eb.and([eb("s.service_date", "=", last.service_date), eb("s.id", ">", last.id)]),
      ])
    : sql<boolean>`1 = 1`;

export interface HoursFilter {
  year?: number;
}

function yearRange(filter: HoursFilter) {
  return filter.year
    ? { from: `${filter.year}-01-01`, to: `${filter.year}-12-31` }
    : { from: "0000-01-01", to: "9999-12-31" };
}

/** The base's own confirmed service hours. Audited before the first byte. */
export async function prepareOwnHoursXlsx(ctx: AppContext, actor: Actor, filter: HoursFilter = {}) {
  const base = await loadOwnBase(ctx, actor);
  const { from, to } = yearRange(filter);
  await recordAudit(ctx, ctx.db, actor, {
    action: "volunteer.export_hours",
    targetType: "base",
    targetId: base.id,
    detail: { year: filter.year ?? null },
  });
  return (out: Writable) =>
    withBulkReader(ctx, (db) =>
      streamSheet<HoursRow>(out, {
        sheetName: "志愿服务时长",
        columns: HOURS_COLUMNS,
        batchSize: BATCH,
        nextBatch: (last) =>
          hoursQuery(db)
            .where("s.base_id", "=", base.id)
            .where("s.service_date", ">=", from)
            .where("s.service_date", "<=", to)
            .where(after(last) as never)
            .orderBy("s.service_date")
            .orderBy("s.id")
            .limit(BATCH)
            .execute() as Promise<HoursRow[]>,
      }),
    );
}

/** Staff: confirmed hours of every base in the actor's region (or one county of it), county by county. */
export async function prepareScopeHoursXlsx(
  ctx: AppContext,
  actor: Actor,
  filter: HoursFilter & { county?: string } = {},
) {
  const me = await authorize(ctx, actor, "volunteers:read");
  let scope = await volunteerScope(ctx, me);
  if (filter.county) scope = scope.filter((c) => c === filter.county);
  const { from, to } = yearRange(filter);
  await recordAudit(ctx, ctx.db, actor, {
    action: "volunteer.export_hours",
    targetType: "region",
    targetId: me.regionCode,
    detail: { year: filter.year ?? null, county: filter.county ?? null },
  });
  return (out: Writable) =>
    withBulkReader(ctx, (db) =>
      streamSheet<HoursRow>(out, {
        sheetName: "志愿服务时长",
        columns: HOURS_COLUMNS,
        batchSize: BATCH,
        nextBatch: batchesAcross<HoursRow, string>(
          scope,
          (r) => r.region_code,
          BATCH,
          (region, last, limit) =>
            hoursQuery(db)
              .where("s.region_code", "=", region)
              .where("s.service_date", ">=", from)
              .where("s.service_date", "<=", to)
              .where(after(last) as never)
              .orderBy("s.service_date")
              .orderBy("s.id")
              .limit(limit)
              .execute() as Promise<HoursRow[]>,
        ),
      }),
    );
}

interface RosterRow extends RosterPageRow {
  status: "active" | "left";
  minutes: number | string | null;
}

const ROSTER_COLUMNS: SheetColumn<RosterRow>[] = [
  { header: "姓名", width: 14, value: (r) => r.name },
  { header: "手机号", width: 16, value: (r) => r.phone },
  { header: "志愿者编号", width: 20, value: (r) => r.stvs_no },
  { header: "专业特长", width: 24, value: (r) => r.specialty },
  { header: "加入日期", width: 12, value: (r) => r.joined_on ?? "" },
  { header: "状态", width: 8, value: (r) => VOLUNTEER_STATUS_LABELS[r.status] },
  { header: "累计服务时长（小时）", width: 18, value: (r) => Number(hoursText(Number(r.minutes ?? 0))) },
];

export const ROSTER_EXPORT_HEADERS = ROSTER_COLUMNS.map((c) => c.header);

/** The base's own roster with each volunteer's confirmed hours. Audited before the first byte. */
export async function prepareOwnRosterXlsx(ctx: AppContext, actor: Actor) {
  const base = await loadOwnBase(ctx, actor);
  await recordAudit(ctx, ctx.db, actor, {
    action: "volunteer.export_roster",
    targetType: "base",
    targetId: base.id,
  });
  return (out: Writable) =>
    withBulkReader(ctx, (db) =>
      streamSheet<RosterRow>(out, {
        sheetName: "志愿者名册",
        columns: ROSTER_COLUMNS,
        batchSize: BATCH,
        nextBatch: (last) => {
          let q = db
            .selectFrom("volunteers as v")
            .select(["v.id", "v.name", "v.phone", "v.stvs_no", "v.specialty", "v.joined_on", "v.status"])
            .select((eb) =>
              eb
                .selectFrom("volunteer_services as s")
                .select((e) => e.fn.sum<number>("s.minutes").as("m"))
                .whereRef("s.volunteer_id", "=", "v.id")
                .where("s.status", "=", "confirmed")
                .as("minutes"),
            )
            .where("v.base_id", "=", base.id);
          if (last) q = q.where("v.id", ">", last.id);
          return q.orderBy("v.id").limit(BATCH).execute();
        },
      }),
    );
}

export { STVS_STATUS_LABELS };
