import { type Kysely, sql } from "kysely";

/** When each password was set, for the optional maximum password age (KEPU_PASSWORD_MAX_AGE_DAYS). */
export function passwordAge() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable("users").addColumn("password_changed_at", "text").execute();
      await sql`update users set password_changed_at = updated_at`.execute(db);
    },
  };
}
