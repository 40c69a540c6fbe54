import { type Kysely, sql } from "kysely";

/**
 * County-level calls and bases (第十九条).
 *
 * - `bases.level`: the level that named the base, `city` or `county`. Every base before this migration
 *   was named by the city.
 * - `applications.level`: the level of the application's call, copied at creation so the rule of one
 *   application in progress per organization can hold per level: a county-level base may apply to a city
 *   call. The partial unique index moves from (org_id) to (org_id, level).
 */
export function countyLevel() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .alterTable("bases")
        .addColumn("level", "text", (c) => c.notNull().defaultTo("city"))
        .execute();
      await db.schema
        .alterTable("applications")
        .addColumn("level", "text", (c) => c.notNull().defaultTo("city"))
        .execute();
      await db
        .updateTable("applications")
        .set({
          level: sql`(select calls.level from calls where calls.id = applications.call_id)`,
        })
        .execute();
      await db.schema.dropIndex("applications_one_active_per_org").execute();
      await db.schema
        .createIndex("applications_one_active_per_org_level")
        .on("applications")
        .columns(["org_id", "level"])
        .unique()
        .where(sql.ref("status"), "not in", ["withdrawn", "rejected", "not_recommended"])
        .execute();
    },
  };
}
