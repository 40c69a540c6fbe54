import type { ExpressionBuilder } from "kysely";
import { authorize } from "#src/modules/accounts/authorize.server.ts";
import { listCounties, regionSubtree } from "#src/modules/regions/regions.server.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import { fromJson, jsonHelpers } from "#src/platform/db/json-subqueries.ts";
import type { ActivityType, CampaignKind, DB } from "#src/platform/db/schema.ts";
import {
  ACTIVITY_TYPE_LABELS,
  ACTIVITY_TYPES,
  CAMPAIGN_KIND_LABELS,
  participationRate,
} from "./activities.rules.ts";

export interface ActivityStats {
  year: number;
  total: { activities: number; participants: number; reported: number; accepted: number };
  byCounty: { code: string; name: string; activities: number; participants: number }[];
  byType: { type: ActivityType; label: string; activities: number; participants: number }[];
  byMonth: { month: string; activities: number; participants: number }[];
  byBase: { baseId: string; name: string; activities: number; participants: number }[];
  byCampaign: { id: string; title: string; kind: string; activities: number; participants: number }[];
  participation: {
    code: string;
    name: string;
    bases: number;
    participating: number;
    rate: number;
  }[];
}

const TOP_BASES = 20;

type Row = Record<string, unknown>;

const rowsOf = (v: unknown): Row[] => fromJson<Row[] | null>(v) ?? [];
const num = (v: unknown) => Number(v ?? 0);

/**
 * 活动统计 for the staff member's counties. Read from the running totals that triggers keep in the
 * same transaction as every activity, report and campaign tag (migration 0011), so the figures are
 * exact at every moment and no year of activities is scanned.
 *
 * One statement, each part a JSON array: on PostgreSQL every statement is a round trip of about
 * 0.7 ms, which with eight of them was most of the page's cost under load.
 */
export async function activityStats(ctx: AppContext, actor: Actor, year: number): Promise<ActivityStats> {
  const me = await authorize(ctx, actor, "activities:stats");
  const scope = await regionSubtree(ctx, me.regionCode);
  const inScope = scope.length ? scope : [""];
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, "0")}`);
  const { jsonArrayFrom } = jsonHelpers(ctx.engine);

  const cells = ctx.db
    .selectFrom("activity_stats_cells")
    .where("region_code", "in", inScope)
    .where("start_month", ">=", months[0])
    .where("start_month", "<=", months[11]);
  const sums = (eb: ExpressionBuilder<DB, "activity_stats_cells">) =>
    [eb.fn.sum<number>("activities").as("n"), eb.fn.sum<number>("participants").as("p")] as const;
  const row = await ctx.db
    .selectNoFrom((eb) => [
      jsonArrayFrom(cells.select((eb) => ["region_code as k", ...sums(eb)]).groupBy("region_code")).as(
        "byCounty",
      ),
      jsonArrayFrom(cells.select((eb) => ["type as k", ...sums(eb)]).groupBy("type")).as("byType"),
      jsonArrayFrom(cells.select((eb) => ["start_month as k", ...sums(eb)]).groupBy("start_month")).as(
        "byMonth",
      ),
      jsonArrayFrom(
        eb
          .selectFrom("activity_stats_reports")
          .select((eb) => ["report_status as k", eb.fn.sum<number>("activities").as("n")])
          .where("region_code", "in", inScope)
          .where("start_month", ">=", months[0])
          .where("start_month", "<=", months[11])
          .groupBy("report_status"),
      ).as("reports"),
      // The region's own rows: its activities in every county below it, summed per base (0011).
      jsonArrayFrom(
        eb
          .selectFrom("activity_stats_bases as s")
          .innerJoin("bases as b", "b.id", "s.base_id")
          .select(["s.base_id as id", "b.name", "s.activities as n", "s.participants as p"])
          .where("s.start_year", "=", String(year))
          .where("s.region_code", "=", scope.length ? me.regionCode : "")
          .where("s.activities", ">", 0)
          .orderBy("s.activities", "desc")
          .orderBy("s.base_id")
          .limit(TOP_BASES),
      ).as("top"),
      jsonArrayFrom(
        eb
          .selectFrom("campaigns as c")
          .leftJoin(
            (eb) =>
              eb
                .selectFrom("activity_stats_campaigns")
                .select((eb) => [
                  "campaign_id",
                  eb.fn.sum<number>("activities").as("n"),
                  eb.fn.sum<number>("participants").as("p"),
                ])
                .where("region_code", "in", inScope)
                .groupBy("campaign_id")
                .as("t"),
            (join) => join.onRef("t.campaign_id", "=", "c.id"),
          )
          .select(["c.id", "c.title", "c.kind", "c.starts_on", "t.n", "t.p"])
          .where("c.year", "=", year),
      ).as("campaigns"),
      jsonArrayFrom(
        eb
          .selectFrom("activity_stats_participation")
          .select(["region_code as k", "bases as n"])
          .where("campaign_year", "=", year)
          .where("region_code", "in", inScope),
      ).as("participating"),
      jsonArrayFrom(
        eb
          .selectFrom("base_counts")
          .select((eb) => ["region_code as k", eb.fn.sum<number>("bases").as("n")])
          .where("status", "!=", "revoked")
          .where("region_code", "in", inScope)
          .groupBy("region_code"),
      ).as("bases"),
    ])
    .executeTakeFirstOrThrow();
  const counties = (await listCounties(ctx)).filter((c) => scope.includes(c.code));

  /** Keyed figures of one part: activities and participants by `k`. */
  const figures = (part: unknown) =>
    new Map(rowsOf(part).map((r) => [String(r.k), { activities: num(r.n), participants: num(r.p) }]));
  /** Keyed counts of one part: `n` by `k`. */
  const counts = (part: unknown) => new Map(rowsOf(part).map((r) => [String(r.k), num(r.n)]));
  const zero = { activities: 0, participants: 0 };
  const byCounty = figures(row.byCounty);
  const byType = figures(row.byType);
  const byMonth = figures(row.byMonth);
  const reports = counts(row.reports);
  const participating = counts(row.participating);
  const bases = counts(row.bases);
  const reportN = (status: string) => reports.get(status) ?? 0;
  const total = { ...zero };
  for (const f of byCounty.values()) {
    total.activities += f.activities;
    total.participants += f.participants;
  }
  // JSON arrays keep no order of their own: sort as the SQL ordered.
  const order = (a: Row, b: Row, key: string) =>
    String(a[key]) < String(b[key]) ? -1 : String(a[key]) > String(b[key]) ? 1 : 0;
  const top = rowsOf(row.top)
    .sort((a, b) => num(b.n) - num(a.n) || order(a, b, "id"))
    .map((b) => ({
      baseId: String(b.id),
      name: String(b.name),
      activities: num(b.n),
      participants: num(b.p),
    }));
  const campaigns = rowsOf(row.campaigns).sort((a, b) => order(a, b, "starts_on") || order(a, b, "id"));
  return {
    year,
    total: {
      ...total,
      reported: reportN("submitted") + reportN("accepted") + reportN("returned"),
      accepted: reportN("accepted"),
    },
    byCounty: counties.map((c) => ({ code: c.code, name: c.name, ...(byCounty.get(c.code) ?? zero) })),
    byType: ACTIVITY_TYPES.map((t) => ({
      type: t,
      label: ACTIVITY_TYPE_LABELS[t],
      ...(byType.get(t) ?? zero),
    })),
    byMonth: months.map((m) => ({ month: m, ...(byMonth.get(m) ?? zero) })),
    byBase: top,
    byCampaign: campaigns.map((c) => ({
      id: String(c.id),
      title: String(c.title),
      kind: CAMPAIGN_KIND_LABELS[c.kind as CampaignKind],
      activities: num(c.n),
      participants: num(c.p),
    })),
    participation: counties.map((c) => {
      const n = bases.get(c.code) ?? 0;
      const p = participating.get(c.code) ?? 0;
      return { code: c.code, name: c.name, bases: n, participating: p, rate: participationRate(p, n) };
    }),
  };
}
