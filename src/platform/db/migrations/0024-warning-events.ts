import type { Kysely } from "kysely";

/**
 * Dynamic management (动态管理): the steps of a warning (`base_warnings`, migration 0021) as rows of
 * their own, so a base's staff timeline shows each one (who, role, when, what, a note) and the
 * reminder job can tell which reminders went out already (one per warning and kind).
 */
export function warningEvents() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable("base_warning_events")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("warning_id", "text", (c) => c.notNull().references("base_warnings.id"))
        .addColumn("base_id", "text", (c) => c.notNull())
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("actor_id", "text")
        .addColumn("actor_role", "text")
        .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("base_warning_events_base")
        .on("base_warning_events")
        .columns(["base_id", "at"])
        .execute();
      await db.schema
        .createIndex("base_warning_events_warning")
        .on("base_warning_events")
        .columns(["warning_id", "action"])
        .execute();
    },
  };
}
