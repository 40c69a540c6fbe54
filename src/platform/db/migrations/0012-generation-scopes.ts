import type { Kysely } from "kysely";

/**
 * Which records a bump of a generation touched: one row per record for a bump that names them,
 * none for a bump that may have touched anything. A cached page about one record stays valid
 * across bumps that name only other records (ADR 0011, "scoped changes").
 */
export function generationScopes() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable("generation_scopes")
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("value", "bigint", (c) => c.notNull())
        .addColumn("scope", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("generation_scopes_pk", ["key", "value", "scope"])
        .execute();
    },
  };
}
