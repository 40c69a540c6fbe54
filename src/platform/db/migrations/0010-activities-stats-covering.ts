import type { Kysely } from "kysely";

/**
 * The staff statistics read a year of activities in the user's counties: counts and participants
 * by county, type and month, counts by report status, and the bases with the most activities. The
 * index of 0006 began with start_month, so SQLite (which has no statistics to weigh, the app does
 * not run ANALYZE) chose `activities_region_start` for `region_code in (…)` and read every row from
 * the table: 4–6 s a query over 500,000 activities. Led by region_code, then start_month, and holding
 * every column those queries read, this one is both the planner's choice and covering, on either
 * engine: about 0.1–0.3 s a query.
 */
export function activitiesStatsCovering() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.dropIndex("activities_stats").execute();
      await db.schema
        .createIndex("activities_stats")
        .on("activities")
        .columns(["region_code", "start_month", "type", "actual_participants", "report_status", "base_id"])
        .execute();
    },
  };
}
