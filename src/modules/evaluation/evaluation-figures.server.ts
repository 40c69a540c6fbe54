import { type Expression, type Kysely, type SqlBool, sql } from "kysely";
import type { Engine } from "#src/platform/config.ts";
import type { DB } from "#src/platform/db/schema.ts";
import type { AutoKey, Figure } from "./evaluation.rules.ts";

/**
 * The automatic indicators of a round, computed from the platform's own records for the round's
 * year: one set-based query per figure over all bases (grouped by base), never a query per base, so
 * a province's 50 000 bases take one pass each. The evidence lists use the same predicates, so
 * "12 场" opens exactly those 12.
 *
 * The year is Beijing time: an activity belongs to the year of its start month; a change report
 * and volunteer hours to the year of their date.
 */

export interface YearBounds {
  year: number;
  firstMonth: string;
  lastMonth: string;
  firstDay: string;
  lastDay: string;
  /** UTC instants of the Beijing year's start and the next one's. */
  from: string;
  to: string;
}

export function yearBounds(year: number): YearBounds {
  return {
    year,
    firstMonth: `${year}-01`,
    lastMonth: `${year}-12`,
    firstDay: `${year}-01-01`,
    lastDay: `${year}-12-31`,
    from: new Date(`${year}-01-01T00:00:00+08:00`).toISOString(),
    to: new Date(`${year + 1}-01-01T00:00:00+08:00`).toISOString(),
  };
}

/** The instant an activity's 活动小结 falls due (activities.rules reportDueAt), as SQL. */
function reportDue(engine: Engine) {
  return engine === "postgres"
    ? sql<string>`(((a.ends_at::timestamptz at time zone 'Asia/Shanghai')::date + 8)::timestamp at time zone 'Asia/Shanghai')`
    : sql<string>`strftime('%Y-%m-%dT%H:%M:%fZ', date(a.ends_at, '+8 hours', '+8 days'), '-8 hours')`;
}

function onTime(engine: Engine): Expression<SqlBool> {
  return engine === "postgres"
    ? sql<SqlBool>`a.report_status = 'accepted' and a.report_submitted_at::timestamptz < ${reportDue(engine)}`
    : sql<SqlBool>`a.report_status = 'accepted' and a.report_submitted_at < ${reportDue(engine)}`;
}

const QUARTER = sql<number>`(cast(substr(a.start_month, 6, 2) as integer) + 2) / 3`;

type Counts = Map<string, Figure>;

async function byBase(
  rows: Promise<{ base_id: string; n: unknown; of?: unknown }[]>,
  scale = 1,
): Promise<Counts> {
  const out: Counts = new Map();
  for (const r of await rows) {
    const f: Figure = { value: Math.round((Number(r.n ?? 0) / scale) * 10) / 10 };
    if (r.of !== undefined) f.of = Number(r.of ?? 0);
    out.set(r.base_id, f);
  }
  return out;
}

/** One figure for every base that has any (a base missing from the map has 0). */
export function computeFigure(db: Kysely<DB>, engine: Engine, key: AutoKey, year: number): Promise<Counts> {
  const y = yearBounds(year);
  const activities = () =>
    db
      .selectFrom("activities as a")
      .where("a.start_month", ">=", y.firstMonth)
      .where("a.start_month", "<=", y.lastMonth)
      .groupBy("a.base_id");
  const campaignLinks = () =>
    db
      .selectFrom("activity_campaigns as ac")
      .innerJoin("activities as a", "a.id", "ac.activity_id")
      .innerJoin("campaigns as c", "c.id", "ac.campaign_id")
      .where("c.year", "=", year)
      .groupBy("a.base_id");
  switch (key) {
    case "activities_held":
      return byBase(
        activities()
          .select((eb) => ["a.base_id", eb.fn.countAll().as("n")])
          .execute(),
      );
    case "participants":
      return byBase(
        activities()
          .where("a.report_status", "=", "accepted")
          .select((eb) => ["a.base_id", eb.fn.sum("a.actual_participants").as("n")])
          .execute(),
      );
    case "reports_on_time":
      return byBase(
        activities()
          .select([
            "a.base_id",
            sql<number>`sum(case when ${onTime(engine)} then 1 else 0 end)`.as("n"),
            sql<number>`count(*)`.as("of"),
          ])
          .execute(),
      );
    case "campaigns_joined":
      return byBase(
        campaignLinks()
          .select(["a.base_id", sql<number>`count(distinct ac.campaign_id)`.as("n")])
          .execute(),
      );
    case "campaign_free_opening":
      return byBase(
        campaignLinks()
          .where("a.fee", "in", ["free", "discounted"])
          .select(["a.base_id", sql<number>`count(distinct a.id)`.as("n")])
          .execute(),
      );
    case "school_activities":
      return byBase(
        campaignLinks()
          .where("c.kind", "=", "double_reduction")
          .select(["a.base_id", sql<number>`count(distinct a.id)`.as("n")])
          .execute(),
      );
    case "volunteer_team":
      return byBase(
        db
          .selectFrom("volunteer_teams")
          .where("stvs_status", "=", "registered")
          .where("registered_on", "<=", y.lastDay)
          .select(["base_id", sql<number>`1`.as("n")])
          .execute(),
      );
    case "volunteer_hours":
      return byBase(
        db
          .selectFrom("volunteer_services")
          .where("status", "=", "confirmed")
          .where("service_date", ">=", y.firstDay)
          .where("service_date", "<=", y.lastDay)
          .groupBy("base_id")
          .select((eb) => ["base_id", eb.fn.sum("minutes").as("n")])
          .execute(),
        60,
      );
    case "late_change_reports":
      return byBase(
        db
          .selectFrom("change_reports")
          .where("late", "=", 1)
          .where("filed_at", ">=", y.from)
          .where("filed_at", "<", y.to)
          .groupBy("base_id")
          .select((eb) => ["base_id", eb.fn.countAll().as("n")])
          .execute(),
      );
    case "info_quarters":
      return byBase(
        activities()
          .whereRef("a.created_at", "<", "a.starts_at")
          .select(["a.base_id", sql<number>`count(distinct ${QUARTER})`.as("n")])
          .execute(),
      );
  }
}

/** What an evidence list shows for one counted record. */
export interface EvidenceRow {
  id: string;
  title: string;
  date: string;
  detail: string;
  link: string | null;
}

/** The records a base's figure counts, by the same predicates as `computeFigure`. */
export async function listEvidence(
  db: Kysely<DB>,
  engine: Engine,
  key: AutoKey,
  year: number,
  baseId: string,
): Promise<EvidenceRow[]> {
  const y = yearBounds(year);
  const activities = () =>
    db
      .selectFrom("activities as a")
      .where("a.base_id", "=", baseId)
      .where("a.start_month", ">=", y.firstMonth)
      .where("a.start_month", "<=", y.lastMonth)
      .select([
        "a.id",
        "a.name",
        "a.starts_at",
        "a.actual_participants",
        "a.report_status",
        "a.fee",
        "a.direction",
      ])
      .orderBy("a.starts_at")
      .orderBy("a.id");
  const campaignActivities = () =>
    db
      .selectFrom("activity_campaigns as ac")
      .innerJoin("activities as a", "a.id", "ac.activity_id")
      .innerJoin("campaigns as c", "c.id", "ac.campaign_id")
      .where("a.base_id", "=", baseId)
      .where("c.year", "=", year);
  const asActivity = (r: { id: string; name: string; starts_at: string }, detail: string): EvidenceRow => ({
    id: r.id,
    title: r.name,
    date: r.starts_at,
    detail,
    link: `/activities/${r.id}`,
  });
  switch (key) {
    case "activities_held":
      return (await activities().execute()).map((r) => asActivity(r, ""));
    case "participants":
      return (await activities().where("a.report_status", "=", "accepted").execute()).map((r) =>
        asActivity(r, `${r.actual_participants ?? 0} 人次`),
      );
    case "reports_on_time":
      return (await activities().where(onTime(engine)).execute()).map((r) =>
        asActivity(r, "按时提交，已通过"),
      );
    case "campaigns_joined": {
      const rows = await campaignActivities()
        .select(["c.id", "c.title", "c.starts_on", sql<number>`count(*)`.as("n")])
        .groupBy(["c.id", "c.title", "c.starts_on"])
        .orderBy("c.starts_on")
        .execute();
      return rows.map((r) => ({
        id: r.id,
        title: r.title,
        date: r.starts_on,
        detail: `${Number(r.n)} 场活动`,
        link: null,
      }));
    }
    case "campaign_free_opening":
    case "school_activities": {
      let q = campaignActivities();
      q =
        key === "school_activities"
          ? q.where("c.kind", "=", "double_reduction")
          : q.where("a.fee", "in", ["free", "discounted"]);
      const rows = await q
        .select(["a.id", "a.name", "a.starts_at", "a.fee", "a.direction"])
        .distinct()
        .orderBy("a.starts_at")
        .orderBy("a.id")
        .execute();
      return rows.map((r) =>
        asActivity(
          r,
          key === "school_activities"
            ? r.direction === "out"
              ? "走出去"
              : "请进来"
            : r.fee === "free"
              ? "免费"
              : "优惠",
        ),
      );
    }
    case "volunteer_team": {
      const rows = await db
        .selectFrom("volunteer_teams")
        .where("base_id", "=", baseId)
        .where("stvs_status", "=", "registered")
        .where("registered_on", "<=", y.lastDay)
        .select(["base_id", "name", "registered_on", "stvs_org_no"])
        .execute();
      return rows.map((r) => ({
        id: r.base_id,
        title: r.name,
        date: r.registered_on ?? "",
        detail: `组织编号 ${r.stvs_org_no}`,
        link: null,
      }));
    }
    case "volunteer_hours": {
      const rows = await db
        .selectFrom("volunteer_services as s")
        .innerJoin("activities as a", "a.id", "s.activity_id")
        .where("s.base_id", "=", baseId)
        .where("s.status", "=", "confirmed")
        .where("s.service_date", ">=", y.firstDay)
        .where("s.service_date", "<=", y.lastDay)
        .select(["s.id", "a.name", "s.service_date", "s.minutes", "a.id as activity_id"])
        .orderBy("s.service_date")
        .orderBy("s.id")
        .execute();
      return rows.map((r) => ({
        id: r.id,
        title: r.name,
        date: r.service_date,
        detail: `${Math.round((r.minutes / 60) * 10) / 10} 小时`,
        link: `/activities/${r.activity_id}`,
      }));
    }
    case "late_change_reports": {
      const rows = await db
        .selectFrom("change_reports")
        .where("base_id", "=", baseId)
        .where("late", "=", 1)
        .where("filed_at", ">=", y.from)
        .where("filed_at", "<", y.to)
        .select(["id", "kind", "filed_at", "happened_on"])
        .orderBy("filed_at")
        .execute();
      return rows.map((r) => ({
        id: r.id,
        title: "变更申报（逾期）",
        date: r.filed_at,
        detail: `变更发生于 ${r.happened_on}`,
        link: null,
      }));
    }
    case "info_quarters": {
      const rows = await activities().whereRef("a.created_at", "<", "a.starts_at").execute();
      return rows.map((r) =>
        asActivity(r, `第${Math.floor((Number(r.starts_at.slice(5, 7)) + 2) / 3)}季度预告`),
      );
    }
  }
}
