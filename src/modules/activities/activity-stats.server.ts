import { authorize } from "#src/modules/accounts/authorize.server.ts";
import { listCounties, regionSubtree } from "#src/modules/regions/regions.server.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import type { ActivityType } from "#src/platform/db/schema.ts";
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

/**
 * 活动统计 for the staff member's counties. Read from the running totals that triggers keep in the
 * same transaction as every activity, report and campaign tag (migration 0011), so the figures are
 * exact at every moment and no year of activities is scanned.
 */
export async function activityStats(ctx: AppContext, actor: Actor, year: number): Promise<ActivityStats> {
  const me = await authorize(ctx, actor, "activities:stats");
  const scope = await regionSubtree(ctx, me.regionCode);
  const inScope = scope.length ? scope : [""];
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, "0")}`);
  const num = (v: unknown) => Number(v ?? 0);

  const cells = (
    await ctx.db
      .selectFrom("activity_stats_cells")
      .select(["region_code", "type", "start_month", "activities", "participants"])
      .where("region_code", "in", inScope)
      .where("start_month", ">=", months[0])
      .where("start_month", "<=", months[11])
      .execute()
  ).map((c) => ({ ...c, activities: num(c.activities), participants: num(c.participants) }));
  const reports = await ctx.db
    .selectFrom("activity_stats_reports")
    .select((eb) => ["report_status", eb.fn.sum<number | string>("activities").as("n")])
    .where("region_code", "in", inScope)
    .where("start_month", ">=", months[0])
    .where("start_month", "<=", months[11])
    .groupBy("report_status")
    .execute();
  // The region's own rows: its activities in every county below it, summed per base (0011).
  const topCounts = await ctx.db
    .selectFrom("activity_stats_bases")
    .select(["base_id", "activities as n", "participants as p"])
    .where("start_year", "=", String(year))
    .where("region_code", "=", scope.length ? me.regionCode : "")
    .where("activities", ">", 0)
    .orderBy("activities", "desc")
    .orderBy("base_id")
    .limit(TOP_BASES)
    .execute();
  const topNames = new Map<string, string>();
  if (topCounts.length)
    for (const b of await ctx.db
      .selectFrom("bases")
      .select(["id", "name"])
      .where(
        "id",
        "in",
        topCounts.map((b) => b.base_id),
      )
      .execute())
      topNames.set(b.id, b.name);
  const campaigns = await ctx.db
    .selectFrom("campaigns")
    .select(["id", "title", "kind"])
    .where("year", "=", year)
    .orderBy("starts_on")
    .execute();
  const byCampaignRows = campaigns.length
    ? await ctx.db
        .selectFrom("activity_stats_campaigns")
        .select((eb) => [
          "campaign_id",
          eb.fn.sum<number | string>("activities").as("n"),
          eb.fn.sum<number | string>("participants").as("p"),
        ])
        .where(
          "campaign_id",
          "in",
          campaigns.map((c) => c.id),
        )
        .where("region_code", "in", inScope)
        .groupBy("campaign_id")
        .execute()
    : [];
  const participatingRows = await ctx.db
    .selectFrom("activity_stats_participation")
    .select(["region_code", "bases as n"])
    .where("campaign_year", "=", year)
    .where("region_code", "in", inScope)
    .execute();
  const baseCounts = await ctx.db
    .selectFrom("base_counts")
    .select((eb) => ["region_code", eb.fn.sum<number | string>("bases").as("n")])
    .where("status", "!=", "revoked")
    .where("region_code", "in", inScope)
    .groupBy("region_code")
    .execute();
  const counties = (await listCounties(ctx)).filter((c) => scope.includes(c.code));

  const sum = (rows: typeof cells) => ({
    activities: rows.reduce((s, x) => s + x.activities, 0),
    participants: rows.reduce((s, x) => s + x.participants, 0),
  });
  const reportN = (status: string) => num(reports.find((r) => r.report_status === status)?.n);
  return {
    year,
    total: {
      ...sum(cells),
      reported: reportN("submitted") + reportN("accepted") + reportN("returned"),
      accepted: reportN("accepted"),
    },
    byCounty: counties.map((c) => ({
      code: c.code,
      name: c.name,
      ...sum(cells.filter((x) => x.region_code === c.code)),
    })),
    byType: ACTIVITY_TYPES.map((t) => ({
      type: t,
      label: ACTIVITY_TYPE_LABELS[t],
      ...sum(cells.filter((x) => x.type === t)),
    })),
    byMonth: months.map((m) => ({ month: m, ...sum(cells.filter((x) => x.start_month === m)) })),
    byBase: topCounts.map((b) => ({
      baseId: b.base_id,
      name: topNames.get(b.base_id) ?? "",
      activities: num(b.n),
      participants: num(b.p),
    })),
    byCampaign: campaigns.map((c) => {
      const r = byCampaignRows.find((x) => x.campaign_id === c.id);
      return {
        id: c.id,
        title: c.title,
        kind: CAMPAIGN_KIND_LABELS[c.kind],
        activities: num(r?.n),
        participants: num(r?.p),
      };
    }),
    participation: counties.map((c) => {
      const bases = num(baseCounts.find((b) => b.region_code === c.code)?.n);
      const participating = num(participatingRows.find((p) => p.region_code === c.code)?.n);
      return {
        code: c.code,
        name: c.name,
        bases,
        participating,
        rate: participationRate(participating, bases),
      };
    }),
  };
}
