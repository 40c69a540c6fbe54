import type { Kysely } from "kysely";

/**
 * Second factor for staff (TOTP, RFC 6238) and its single-use recovery codes. The secret is kept
 * encrypted (AES-256-GCM, see src/platform/crypto/secret-box.server.ts); `last_step` is the last
 * accepted time step, so a code cannot be used twice. A session with `pending` set ("verify" or
 * "enrol") has passed the password only and counts as signed out everywhere else.
 */
export function twoFactor() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable("user_two_factor")
        .addColumn("user_id", "text", (c) => c.primaryKey().references("users.id").onDelete("cascade"))
        .addColumn("secret_enc", "text", (c) => c.notNull())
        // Null while the user has been shown the secret but not yet confirmed a code.
        .addColumn("enabled_at", "text")
        .addColumn("last_step", "bigint")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("recovery_codes")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("code_hash", "text", (c) => c.notNull())
        .addColumn("used_at", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("recovery_codes_user_hash")
        .on("recovery_codes")
        .columns(["user_id", "code_hash"])
        .unique()
        .execute();
      await db.schema.alterTable("sessions").addColumn("pending", "text").execute();
    },
  };
}
