import { type Kysely, sql } from "kysely";
import type { Engine } from "../../config.ts";

/**
 * The staff statistics read running totals instead of scanning a year of activities. Even from a
 * covering index (0010) the scan of 500,000 activities took 1.1 s on SQLite and 1.6 s on PostgreSQL.
 * These tables are kept by triggers in the same transaction as the write, so the figures are exact
 * at every moment, and each read of the statistics touches a few thousand rows at most:
 *
 * - `activity_stats_cells`: activities and participants by county, month and type (totals, by
 *   county, by type, by month), and `activity_stats_reports`: activities by county, month and report
 *   status (kept apart, so the cells a year are a third as many);
 * - `activity_stats_bases`: by year, region and base, where the region is the activity's county and
 *   each of its ancestors (city, province), so a staff member's top bases are the first rows of
 *   their own region in the `activity_stats_bases_top` index, with no grouping;
 * - `activity_stats_campaigns`: by campaign and county;
 * - `activity_stats_campaign_bases`: campaign tags by the campaign's year, county and base, and
 *   `activity_stats_participation`: how many bases of a county have at least one such tag;
 * - `base_counts`: bases by county, category, opening form and status: the participation rate's
 *   denominator, and the public directory's totals for any filter without a keyword.
 *
 * Participants count `coalesce(actual_participants, 0)`, as the scan did. Rows whose count falls to
 * zero stay; readers skip them. The region hierarchy is reference data written by 0001; a change to
 * it would need these tables rebuilt. SQLite keeps them with row triggers. On PostgreSQL the
 * activity and tag tables have statement triggers over transition tables, so a bulk insert costs one
 * grouped upsert per statement, not one per row; each upsert takes its rows in key order, so two
 * writers lock shared rows in the same order.
 */
export function activityStatsRollups(engine: Engine) {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      // SQLite: rows stored in key order, so a range read does not look each row up by rowid.
      const clustered = sql.raw(engine === "sqlite" ? " without rowid" : "");
      await sql`create table activity_stats_cells (
        region_code text not null,
        start_month text not null,
        type text not null,
        activities bigint not null,
        participants bigint not null,
        primary key (region_code, start_month, type)
      )${clustered}`.execute(db);
      await sql`create table activity_stats_reports (
        region_code text not null,
        start_month text not null,
        report_status text not null,
        activities bigint not null,
        primary key (region_code, start_month, report_status)
      )${clustered}`.execute(db);
      await sql`create table activity_stats_bases (
        start_year text not null,
        region_code text not null,
        base_id text not null,
        activities bigint not null,
        participants bigint not null,
        primary key (start_year, region_code, base_id)
      )${clustered}`.execute(db);
      await sql`create index activity_stats_bases_top
        on activity_stats_bases (start_year, region_code, activities desc, base_id)`.execute(db);
      await sql`create table activity_stats_campaigns (
        campaign_id text not null,
        region_code text not null,
        activities bigint not null,
        participants bigint not null,
        primary key (campaign_id, region_code)
      )${clustered}`.execute(db);
      await sql`create table activity_stats_campaign_bases (
        campaign_year integer not null,
        region_code text not null,
        base_id text not null,
        links bigint not null,
        primary key (campaign_year, region_code, base_id)
      )${clustered}`.execute(db);
      await sql`create table activity_stats_participation (
        campaign_year integer not null,
        region_code text not null,
        bases bigint not null,
        primary key (campaign_year, region_code)
      )${clustered}`.execute(db);
      // opening_form is optional on a base; '' stands for none here (a key column cannot be null).
      await sql`create table base_counts (
        region_code text not null,
        category_code text not null,
        opening_form text not null,
        status text not null,
        bases bigint not null,
        primary key (region_code, category_code, opening_form, status)
      )${clustered}`.execute(db);
      await backfill(db);
      // 0010's covering index served the scans these tables replace; nothing else reads it.
      await db.schema.dropIndex("activities_stats").execute();
      await rowTriggers(db, engine);
      if (engine === "postgres") await postgresActivityTriggers(db);
      else await sqliteActivityTriggers(db);
    },
  };
}

const P = (row: string) => `coalesce(${row}.actual_participants, 0)`;

/** The region `code` and its ancestors, one `code` column (the hierarchy has at most three levels). */
const withAncestors = (code: string) =>
  `select ${code} as code
   union all select g1.parent_code from regions g1 where g1.code = ${code} and g1.parent_code is not null
   union all select g2.parent_code from regions g1 join regions g2 on g2.code = g1.parent_code
     where g1.code = ${code} and g2.parent_code is not null`;

/**
 * The statements that count the totals from scratch, in order: 0011 runs them over an existing
 * installation, and the bench's generator runs them after a bulk load with triggers off (on
 * PostgreSQL the statement triggers cost about 60 µs an activity in a load of millions).
 */
export const ACTIVITY_STATS_TABLES = [
  "activity_stats_cells",
  "activity_stats_reports",
  "activity_stats_bases",
  "activity_stats_campaigns",
  "activity_stats_campaign_bases",
  "activity_stats_participation",
  "base_counts",
] as const;

export const ACTIVITY_STATS_BACKFILL: readonly string[] = [
  `insert into activity_stats_cells
    select region_code, start_month, type, count(*), sum(${P("activities")})
    from activities group by region_code, start_month, type`,
  `insert into activity_stats_reports
    select region_code, start_month, report_status, count(*)
    from activities group by region_code, start_month, report_status`,
  // Per county first (one pass over the activities), then spread to each county's ancestors.
  `insert into activity_stats_bases
    select substr(start_month, 1, 4), region_code, base_id, count(*), sum(${P("activities")})
    from activities group by substr(start_month, 1, 4), region_code, base_id`,
  `insert into activity_stats_bases
    select b.start_year, up.code, b.base_id, sum(b.activities), sum(b.participants)
    from activity_stats_bases b join (
      select r.code as county, r.parent_code as code from regions r where r.parent_code is not null
      union all select r.code, p.parent_code from regions r join regions p on p.code = r.parent_code
        where p.parent_code is not null
    ) up on up.county = b.region_code
    group by b.start_year, up.code, b.base_id`,
  `insert into activity_stats_campaigns
    select l.campaign_id, a.region_code, count(*), sum(${P("a")})
    from activity_campaigns l join activities a on a.id = l.activity_id
    group by l.campaign_id, a.region_code`,
  `insert into activity_stats_campaign_bases
    select c.year, a.region_code, a.base_id, count(*)
    from activity_campaigns l join activities a on a.id = l.activity_id join campaigns c on c.id = l.campaign_id
    group by c.year, a.region_code, a.base_id`,
  `insert into activity_stats_participation
    select campaign_year, region_code, count(*) from activity_stats_campaign_bases
    group by campaign_year, region_code`,
  `insert into base_counts
    select region_code, category_code, coalesce(opening_form, ''), status, count(*) from bases
    group by region_code, category_code, coalesce(opening_form, ''), status`,
];

async function backfill(db: Kysely<unknown>): Promise<void> {
  for (const text of ACTIVITY_STATS_BACKFILL) await sql.raw(text).execute(db);
}

// ---- upserts shared by both engines: `source` yields the key columns, then the deltas ----

const CELLS_KEY = "region_code, start_month, type";
const REPORTS_KEY = "region_code, start_month, report_status";
const BASES_KEY = "start_year, region_code, base_id";
const CAMPAIGNS_KEY = "campaign_id, region_code";
const CAMPAIGN_BASES_KEY = "campaign_year, region_code, base_id";
const SUMS = ["activities", "participants"];

// Sources select from no table with `where true`: without a WHERE, SQLite could read the `on
// conflict` that follows as part of the select.
function upsert(table: string, key: string, sums: string[], source: string): string {
  const set = sums.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(", ");
  return `insert into ${table} (${key}, ${sums.join(", ")}) ${source} on conflict (${key}) do update set ${set}`;
}
const cells = (source: string) => upsert("activity_stats_cells", CELLS_KEY, SUMS, source);
const reports = (source: string) => upsert("activity_stats_reports", REPORTS_KEY, ["activities"], source);
const bases = (source: string) => upsert("activity_stats_bases", BASES_KEY, SUMS, source);
const campaigns = (source: string) => upsert("activity_stats_campaigns", CAMPAIGNS_KEY, SUMS, source);
const campaignBases = (source: string) =>
  upsert("activity_stats_campaign_bases", CAMPAIGN_BASES_KEY, ["links"], source);
const participation = (source: string) =>
  upsert("activity_stats_participation", "campaign_year, region_code", ["bases"], source);
const baseCounts = (source: string) =>
  upsert("base_counts", "region_code, category_code, opening_form, status", ["bases"], source);

/**
 * Triggers on single rows, the same on both engines: a base counted by county, category, opening
 * form and status, and a county's participating bases following its campaign tag rows across zero.
 */
async function rowTriggers(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const define = async (name: string, event: string, table: string, when: string, body: string[]) => {
    const statements = body.map((s) => `${s};`).join("\n");
    if (engine === "sqlite") {
      await sql
        .raw(`create trigger ${name} after ${event} on ${table} when ${when} begin ${statements} end`)
        .execute(db);
      return;
    }
    await sql
      .raw(
        `create function ${name}() returns trigger language plpgsql as $$ begin ${statements} return null; end $$`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ${name} after ${event} on ${table} for each row when (${when}) execute function ${name}()`,
      )
      .execute(db);
  };
  const base = (r: string, s: number) =>
    baseCounts(
      `select ${r}.region_code, ${r}.category_code, coalesce(${r}.opening_form, ''), ${r}.status, ${s} where true`,
    );
  const keyed = ["region_code", "category_code", "opening_form", "status"];
  await define("base_counts_insert", "insert", "bases", "true", [base("new", 1)]);
  await define("base_counts_delete", "delete", "bases", "true", [base("old", -1)]);
  await define(
    "base_counts_update",
    `update of ${keyed.join(", ")}`,
    "bases",
    keyed.map((c) => `old.${c} is distinct from new.${c}`).join(" or "),
    [base("old", -1), base("new", 1)],
  );
  const took = (r: string, s: number | string) =>
    participation(`select ${r}.campaign_year, ${r}.region_code, ${s} where true`);
  await define(
    "activity_stats_participation_insert",
    "insert",
    "activity_stats_campaign_bases",
    "new.links > 0",
    [took("new", 1)],
  );
  await define(
    "activity_stats_participation_update",
    "update of links",
    "activity_stats_campaign_bases",
    "(old.links > 0) <> (new.links > 0)",
    [took("new", "case when new.links > 0 then 1 else -1 end")],
  );
}

// ---- SQLite: row triggers on activities and tags ----

async function sqliteActivityTriggers(db: Kysely<unknown>): Promise<void> {
  /** One activity row (`new` or `old`) counted with sign `s`. */
  const activityRow = (r: string, s: number) => [
    cells(`select ${r}.region_code, ${r}.start_month, ${r}.type, ${s}, ${s} * ${P(r)} where true`),
    reports(`select ${r}.region_code, ${r}.start_month, ${r}.report_status, ${s} where true`),
    bases(
      `select substr(${r}.start_month, 1, 4), c.code, ${r}.base_id, ${s}, ${s} * ${P(r)}
       from (${withAncestors(`${r}.region_code`)}) c where true`,
    ),
  ];
  /** The campaign tags of the updated activity, with its values from row `r`. */
  const tagsOf = (r: string, s: number) => [
    campaigns(
      `select l.campaign_id, ${r}.region_code, ${s}, ${s} * ${P(r)} from activity_campaigns l where l.activity_id = new.id`,
    ),
    campaignBases(
      `select c.year, ${r}.region_code, ${r}.base_id, ${s} from activity_campaigns l
       join campaigns c on c.id = l.campaign_id where l.activity_id = new.id`,
    ),
  ];
  /** One tag row (`new` or `old`) counted with sign `s`. */
  const tagRow = (r: string, s: number) => [
    campaigns(
      `select ${r}.campaign_id, a.region_code, ${s}, ${s} * ${P("a")} from activities a where a.id = ${r}.activity_id`,
    ),
    campaignBases(
      `select c.year, a.region_code, a.base_id, ${s} from activities a, campaigns c
       where a.id = ${r}.activity_id and c.id = ${r}.campaign_id`,
    ),
  ];
  const counted = ["region_code", "start_month", "type", "report_status", "actual_participants", "base_id"];
  const changed = counted.map((c) => `old.${c} is not new.${c}`).join(" or ");
  const trigger = (name: string, on: string, body: string[]) =>
    sql.raw(`create trigger ${name} ${on} begin ${body.map((s) => `${s};`).join("\n")} end`).execute(db);

  await trigger("activity_stats_insert", "after insert on activities", activityRow("new", 1));
  await trigger("activity_stats_delete", "after delete on activities", activityRow("old", -1));
  await trigger(
    "activity_stats_update",
    `after update of ${counted.join(", ")} on activities when ${changed}`,
    [...activityRow("old", -1), ...activityRow("new", 1), ...tagsOf("old", -1), ...tagsOf("new", 1)],
  );
  await trigger("activity_stats_tag_insert", "after insert on activity_campaigns", tagRow("new", 1));
  await trigger("activity_stats_tag_delete", "after delete on activity_campaigns", tagRow("old", -1));
  await trigger("activity_stats_tag_update", "after update on activity_campaigns", [
    ...tagRow("old", -1),
    ...tagRow("new", 1),
  ]);
  await trigger(
    "activity_stats_campaign_year",
    "after update of year on campaigns when old.year is not new.year",
    (["old", "new"] as const).map((r) =>
      campaignBases(
        `select ${r}.year, a.region_code, a.base_id, ${r === "old" ? -1 : 1} * count(*)
         from activity_campaigns l join activities a on a.id = l.activity_id
         where l.campaign_id = new.id group by a.region_code, a.base_id`,
      ),
    ),
  );
}

// ---- PostgreSQL: statement triggers over transition tables ----

async function postgresActivityTriggers(db: Kysely<unknown>): Promise<void> {
  /** The activity rows of `from`, under alias `r`, counted with sign `s` (a number or a column). */
  const activityRows = (from: string, s: string) => [
    cells(
      `select r.region_code, r.start_month, r.type, sum(${s}), sum(${s} * ${P("r")})
       from ${from} group by 1, 2, 3 having sum(${s}) <> 0 or sum(${s} * ${P("r")}) <> 0 order by 1, 2, 3`,
    ),
    reports(
      `select r.region_code, r.start_month, r.report_status, sum(${s})
       from ${from} group by 1, 2, 3 having sum(${s}) <> 0 order by 1, 2, 3`,
    ),
    bases(
      `select substr(r.start_month, 1, 4), c.code, r.base_id, sum(${s}), sum(${s} * ${P("r")})
       from ${from} cross join lateral (${withAncestors("r.region_code")}) c
       group by 1, 2, 3 having sum(${s}) <> 0 or sum(${s} * ${P("r")}) <> 0 order by 1, 2, 3`,
    ),
  ];
  // Each tag's activity looked up by its key: a lateral subquery keeps the planner to the primary
  // key, where a join may hash the whole table (it does for a bulk load, before any ANALYZE).
  const activityOf = (l: string) =>
    `cross join lateral (select region_code, base_id, actual_participants from activities where id = ${l}.activity_id) a`;
  const tagRows = (tags: string, s: string) => [
    campaigns(
      `select l.campaign_id, a.region_code, sum(${s}), sum(${s} * ${P("a")})
       from ${tags} l ${activityOf("l")} group by 1, 2 order by 1, 2`,
    ),
    campaignBases(
      `select c.year, a.region_code, a.base_id, sum(${s})
       from ${tags} l ${activityOf("l")} join campaigns c on c.id = l.campaign_id
       group by 1, 2, 3 order by 1, 2, 3`,
    ),
  ];
  const counted = ["region_code", "start_month", "type", "report_status", "actual_participants", "base_id"];
  const differs = `(${counted.map((c) => `o.${c}`).join(", ")}) is distinct from (${counted.map((c) => `n.${c}`).join(", ")})`;
  // An update's old rows with -1 and new rows with +1, only for activities whose counted columns changed.
  const changedRows = `(select o.*, -1 as s from old_rows o join new_rows n on n.id = o.id where ${differs}
    union all select n.*, 1 as s from new_rows n join old_rows o on o.id = n.id where ${differs})`;
  const updated = `${changedRows} r`;
  // The same rows once per campaign tag of their activity.
  const updatedTags = `(select l.campaign_id, x.region_code, x.base_id, x.s, x.s * coalesce(x.actual_participants, 0) as p
    from ${changedRows} x cross join lateral (select campaign_id from activity_campaigns where activity_id = x.id) l) t`;

  const fn = async (name: string, statements: string[]) =>
    sql
      .raw(
        `create function ${name}() returns trigger language plpgsql as $$ begin
         ${statements.map((s) => `${s};`).join("\n")}
         return null; end $$`,
      )
      .execute(db);
  const trigger = (name: string, event: string, table: string, transition: string) =>
    sql
      .raw(
        `create trigger ${name} after ${event} on ${table} referencing ${transition} for each statement execute function ${name}()`,
      )
      .execute(db);
  const oldAndNew = "old table as old_rows new table as new_rows";

  await fn("activity_stats_insert", activityRows("new_rows r", "1"));
  await trigger("activity_stats_insert", "insert", "activities", "new table as new_rows");
  await fn("activity_stats_delete", activityRows("old_rows r", "-1"));
  await trigger("activity_stats_delete", "delete", "activities", "old table as old_rows");
  await fn("activity_stats_update", [
    ...activityRows(updated, "r.s"),
    campaigns(
      `select t.campaign_id, t.region_code, sum(t.s), sum(t.p) from ${updatedTags}
       group by 1, 2 having sum(t.s) <> 0 or sum(t.p) <> 0 order by 1, 2`,
    ),
    campaignBases(
      `select c.year, t.region_code, t.base_id, sum(t.s) from ${updatedTags} join campaigns c on c.id = t.campaign_id
       group by 1, 2, 3 having sum(t.s) <> 0 order by 1, 2, 3`,
    ),
  ]);
  await trigger("activity_stats_update", "update", "activities", oldAndNew);
  await fn("activity_stats_tag_insert", tagRows("new_rows", "1"));
  await trigger("activity_stats_tag_insert", "insert", "activity_campaigns", "new table as new_rows");
  await fn("activity_stats_tag_delete", tagRows("old_rows", "-1"));
  await trigger("activity_stats_tag_delete", "delete", "activity_campaigns", "old table as old_rows");
  await fn("activity_stats_tag_update", [...tagRows("old_rows", "-1"), ...tagRows("new_rows", "1")]);
  await trigger("activity_stats_tag_update", "update", "activity_campaigns", oldAndNew);
  await fn("activity_stats_campaign_year", [
    campaignBases(
      `select y.year, a.region_code, a.base_id, sum(y.s)
       from (select o.id, o.year, -1 as s from old_rows o join new_rows n on n.id = o.id where o.year <> n.year
             union all select n.id, n.year, 1 from new_rows n join old_rows o on o.id = n.id where o.year <> n.year) y
       join activity_campaigns l on l.campaign_id = y.id join activities a on a.id = l.activity_id
       group by 1, 2, 3 having sum(y.s) <> 0 order by 1, 2, 3`,
    ),
  ]);
  await trigger("activity_stats_campaign_year", "update", "campaigns", oldAndNew);
}
