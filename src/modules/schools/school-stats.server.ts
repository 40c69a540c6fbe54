import type { Writable } from "node:stream";
import { sql } from "kysely";
import { authorize } from "#src/modules/accounts/authorize.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { regionSubtree } from "#src/modules/regions/regions.server.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import { type SheetColumn, streamSheet } from "#src/platform/xlsx/stream-sheet.server.ts";
import { median, STATS_BY_LABELS, type StatsBy } from "./schools.rules.ts";

/**
 * 科普助力双减 statistics for staff, per county, school or base in the actor's region: orders,
 * acceptance rate, median time to answer, students reached, satisfaction, late cancellations and
 * no-shows. The figures are what the annual evaluation's automatic indicators will read.
 */

export type { StatsBy };
export { STATS_BY_LABELS };

export interface StatsRow {
  key: string;
  name: string;
  orders: number;
  answered: number;
  accepted: number;
  /** accepted / answered, in percent (one decimal); null before any answer. */
  acceptanceRate: number | null;
  /** Median minutes from the order to the base's answer. */
  medianAnswerHours: number | null;
  studentsReached: number;
  ratings: number;
  satisfaction: number | null;
  lateCancels: number;
  noShows: number;
}

export async function getSchoolStats(ctx: AppContext, actor: Actor, by: StatsBy): Promise<StatsRow[]> {
  const me = await authorize(ctx, actor, "school-stats:read");
  const scope = await regionSubtree(ctx, me.regionCode);
  const keyCol =
    by === "county"
      ? "school_orders.base_region_code"
      : by === "school"
        ? "school_orders.school_id"
        : "school_orders.base_id";
  const rows = await ctx.db
    .selectFrom("school_orders")
    .select([
      sql<string>`${sql.ref(keyCol)}`.as("key"),
      "school_orders.status",
      "school_orders.answered_at",
      "school_orders.answer_minutes",
      "school_orders.scheduled_date",
      "school_orders.delivered_students",
      "school_orders.rated_at",
      "school_orders.rating_content",
      "school_orders.rating_organization",
      "school_orders.rating_safety",
      "school_orders.late_cancel",
    ])
    .where("school_orders.base_region_code", "in", scope.length ? scope : [""])
    .execute();
  const groups = new Map<string, typeof rows>();
  for (const r of rows) groups.set(r.key, [...(groups.get(r.key) ?? []), r]);
  const keys = [...groups.keys()];
  const names = new Map<string, string>();
  if (keys.length) {
    const named =
      by === "county"
        ? await ctx.db
            .selectFrom("regions")
            .select(["code as key", "name"])
            .where("code", "in", keys)
            .execute()
        : by === "school"
          ? await ctx.db
              .selectFrom("users")
              .select(["id as key", "display_name as name"])
              .where("id", "in", keys)
              .execute()
          : await ctx.db.selectFrom("bases").select(["id as key", "name"]).where("id", "in", keys).execute();
    for (const n of named) names.set(n.key, n.name);
  }
  const out: StatsRow[] = [];
  for (const [key, list] of groups) {
    const answered = list.filter((r) => r.answered_at !== null);
    const accepted = list.filter((r) => r.scheduled_date !== null);
    const rated = list.filter((r) => r.rated_at !== null);
    const scoreSum = rated.reduce(
      (s, r) => s + (r.rating_content ?? 0) + (r.rating_organization ?? 0) + (r.rating_safety ?? 0),
      0,
    );
    const mid = median(answered.map((r) => r.answer_minutes ?? 0));
    out.push({
      key,
      name: names.get(key) ?? key,
      orders: list.length,
      answered: answered.length,
      accepted: accepted.length,
      acceptanceRate: answered.length ? Math.round((accepted.length / answered.length) * 1000) / 10 : null,
      medianAnswerHours: mid === null ? null : Math.round((mid / 60) * 10) / 10,
      studentsReached: list.reduce(
        (s, r) => s + (r.status === "delivered" ? (r.delivered_students ?? 0) : 0),
        0,
      ),
      ratings: rated.length,
      satisfaction: rated.length ? Math.round((scoreSum / (rated.length * 3)) * 10) / 10 : null,
      lateCancels: list.filter((r) => r.late_cancel === 1).length,
      noShows: list.filter((r) => r.status === "not_held").length,
    });
  }
  return out.sort((a, b) => b.orders - a.orders || a.name.localeCompare(b.name, "zh-CN"));
}

const columns = (by: StatsBy): SheetColumn<StatsRow>[] => [
  { header: STATS_BY_LABELS[by], width: 30, value: (r) => r.name },
  { header: "点单数", width: 10, value: (r) => r.orders },
  { header: "已答复", width: 10, value: (r) => r.answered },
  { header: "接单数", width: 10, value: (r) => r.accepted },
  { header: "接单率（%）", width: 12, value: (r) => r.acceptanceRate },
  { header: "答复时长中位数（小时）", width: 20, value: (r) => r.medianAnswerHours },
  { header: "服务学生人次", width: 14, value: (r) => r.studentsReached },
  { header: "评价数", width: 10, value: (r) => r.ratings },
  { header: "满意度（5分制）", width: 16, value: (r) => r.satisfaction },
  { header: "临期取消", width: 10, value: (r) => r.lateCancels },
  { header: "未开展", width: 10, value: (r) => r.noShows },
];

export const STATS_EXPORT_HEADERS = (by: StatsBy) => columns(by).map((c) => c.header);

/** The same table as XLSX (audited). */
export async function prepareSchoolStatsXlsx(ctx: AppContext, actor: Actor, by: StatsBy) {
  const rows = await getSchoolStats(ctx, actor, by);
  await recordAudit(ctx, ctx.db, actor, {
    action: "school_order.export",
    targetType: "region",
    targetId: actor.user!.regionCode,
    detail: { by, rows: rows.length },
  });
  return (out: Writable) =>
    streamSheet<StatsRow>(out, {
      sheetName: "科普助力双减统计",
      columns: columns(by),
      batchSize: rows.length + 1,
      nextBatch: async (last) => (last ? [] : rows),
    });
}
