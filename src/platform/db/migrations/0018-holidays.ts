import { type Kysely, sql } from "kysely";

const sqlKind = sql`kind in ('holiday', 'workday')`;

/**
 * 【节假日设置】: 放假 and 调休 days an admin enters for a year the bundled calendar (chinese-days)
 * does not cover yet. One row per day; `kind` is "holiday" (放假) or "workday" (调休上班).
 */
export function holidays() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable("holidays")
        .addColumn("day", "text", (c) => c.primaryKey())
        .addColumn("year", "integer", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull().check(sqlKind))
        .addColumn("created_by", "text", (c) => c.references("users.id"))
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("holidays_year").on("holidays").column("year").execute();
    },
  };
}
