import type { Kysely } from "kysely";

/**
 * A counter per kind of data, bumped in the transaction that changes it. Caches remember the
 * counter they were filled under, so every process sees a change at its next read.
 */
export function generations() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable("generations")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("value", "bigint", (c) => c.notNull().defaultTo(0))
        .execute();
    },
  };
}
