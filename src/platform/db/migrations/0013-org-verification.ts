import { type Kysely, sql } from "kysely";

/**
 * Verified organizations and explicit base ownership (issue 13).
 * - base_accounts: which account acts for which base. Until now a base belonged to whichever account
 *   had registered its USCC, and a base's USCC is public. Links are backfilled only where the base was
 *   named from that account's own application (reviewed by county and city); imported bases get none.
 * - org_verifications: an org account's verification (documents checked by county staff, or a claim code).
 *   Accounts that already own a base by application, submitted an application, or were created by staff
 *   count as verified; every other existing self-registered account starts unverified.
 * - base_claim_codes: one-time codes county staff print for a base; only a hash is stored.
 */
export function orgVerification() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable("base_accounts")
        .addColumn("base_id", "text", (c) => c.notNull().references("bases.id"))
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
        /** application | claim_code | verification | demo */
        .addColumn("via", "text", (c) => c.notNull())
        .addColumn("created_by", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("base_accounts_pk", ["base_id", "user_id"])
        .execute();
      await db.schema.createIndex("base_accounts_user").on("base_accounts").columns(["user_id"]).execute();

      await db.schema
        .createTable("org_verifications")
        .addColumn("user_id", "text", (c) => c.primaryKey().references("users.id"))
        /** unverified | pending | returned | verified */
        .addColumn("status", "text", (c) => c.notNull())
        /** documents | claim_code | staff | application, once verified */
        .addColumn("via", "text")
        .addColumn("reason", "text")
        .addColumn("submitted_at", "text")
        .addColumn("decided_by", "text")
        .addColumn("decided_at", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .createIndex("org_verifications_queue")
        .on("org_verifications")
        .columns(["status", "submitted_at"])
        .execute();

      await db.schema
        .createTable("base_claim_codes")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("base_id", "text", (c) => c.notNull().references("bases.id"))
        .addColumn("code_hash", "text", (c) => c.notNull().unique())
        .addColumn("issued_by", "text")
        .addColumn("issued_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .addColumn("used_at", "text")
        .addColumn("used_by", "text")
        .addColumn("voided_at", "text")
        .execute();
      await db.schema
        .createIndex("base_claim_codes_base")
        .on("base_claim_codes")
        .columns(["base_id"])
        .execute();

      const now = new Date().toISOString();
      await sql`
        insert into base_accounts (base_id, user_id, via, created_by, created_at)
        select b.id, a.org_id, 'application', null, ${now}
        from bases b join applications a on a.id = b.application_id`.execute(db);
      await sql`
        insert into org_verifications (user_id, status, via, created_at, updated_at, decided_at)
        select u.id, 'verified',
          case when exists (select 1 from base_accounts l where l.user_id = u.id)
                 or exists (select 1 from applications a where a.org_id = u.id and a.submitted_at is not null)
               then 'application' else 'staff' end,
          ${now}, ${now}, ${now}
        from users u
        where u.role = 'org' and (
          exists (select 1 from base_accounts l where l.user_id = u.id)
          or exists (select 1 from applications a where a.org_id = u.id and a.submitted_at is not null)
          or exists (select 1 from audit_events e where e.action = 'user.create' and e.target_id = u.id))`.execute(
        db,
      );
    },
  };
}
