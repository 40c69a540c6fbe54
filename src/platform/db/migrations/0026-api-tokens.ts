import type { Kysely } from "kysely";

/**
 * API tokens for integrations (issue 19): issued by an admin with a name, scopes, an optional region
 * limit, an optional base (for `write:activities`) and an expiry. Only the SHA-256 of the token is kept;
 * `prefix` (its first characters) lets the admin tell tokens apart. Revocation sets `revoked_at`.
 */
export function apiTokens() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable("api_tokens")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("token_hash", "text", (c) => c.notNull().unique())
        .addColumn("prefix", "text", (c) => c.notNull())
        .addColumn("scopes", "text", (c) => c.notNull())
        .addColumn("region_code", "text")
        .addColumn("base_id", "text", (c) => c.references("bases.id"))
        .addColumn("expires_at", "text", (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.notNull().references("users.id"))
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("revoked_at", "text")
        .addColumn("revoked_by", "text", (c) => c.references("users.id"))
        .addColumn("last_used_at", "text")
        .execute();
      await db.schema.createIndex("api_tokens_created").on("api_tokens").columns(["created_at"]).execute();
    },
  };
}
