import { type Kysely, sql } from "kysely";

const STAGES = [
  ["decided_county", "county_review"],
  ["decided_city", "city_review"],
  ["decided_office", "office_confirmation"],
] as const;

/**
 * The reviewer queue at tens of thousands of applications. Each application records which review
 * stages have decided it (so "N of M done" is an index count, not a scan of the trail), and the
 * counts and the page sorted by last change are served from indexes.
 */
export function reviewQueueIndexes() {
  return {
    async up(db: Kysely<any>): Promise<void> {
      for (const [column, stage] of STAGES) {
        await db.schema
          .alterTable("applications")
          .addColumn(column, "integer", (c) => c.notNull().defaultTo(0))
          .execute();
        await sql`update applications set ${sql.ref(column)} = 1 where exists (
            select 1 from application_events e where e.application_id = applications.id
            and e.from_status = ${stage} and e.action not in ('withdraw', 'inspect'))`.execute(db);
      }
      await db.schema
        .createIndex("applications_call_region_status")
        .on("applications")
        .columns(["call_id", "region_code", "status", "decided_county", "decided_city", "decided_office"])
        .execute();
      await db.schema
        .createIndex("applications_call_updated")
        .on("applications")
        .columns(["call_id", "updated_at", "id"])
        .execute();
    },
  };
}
