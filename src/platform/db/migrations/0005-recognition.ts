import type { Kysely } from "kysely";

/**
 * 公示 (public notices) with their listed applications and objections; bases with their change
 * reports; and the durable jobs table that closes notices and sends reminders.
 */
export function recognition() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable("jobs")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("kind", "text", (c) => c.notNull())
        /** At most one pending job per key (e.g. the close of one notice). */
        .addColumn("unique_key", "text", (c) => c.unique())
        .addColumn("payload", "text", (c) => c.notNull().defaultTo("{}"))
        .addColumn("run_at", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull().defaultTo("pending"))
        .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("locked_until", "text")
        .addColumn("last_error", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("finished_at", "text")
        .execute();
      await db.schema.createIndex("jobs_due").on("jobs").columns(["status", "run_at"]).execute();

      await db.schema
        .createTable("public_notices")
        .addColumn("id", "text", (c) => c.primaryKey())
        /** proposed: the 拟认定名单 under notice; naming: the announcement of named bases. */
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("call_id", "text", (c) => c.references("calls.id"))
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("contact", "text", (c) => c.notNull())
        .addColumn("starts_at", "text", (c) => c.notNull())
        .addColumn("working_days", "integer", (c) => c.notNull())
        .addColumn("ends_at", "text", (c) => c.notNull())
        /** open → closed (by the job at ends_at) → named; a naming notice is just "published". */
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("published_by", "text", (c) => c.references("users.id"))
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .createIndex("public_notices_starts")
        .on("public_notices")
        .columns(["starts_at"])
        .execute();

      await db.schema
        .createTable("notice_entries")
        .addColumn("notice_id", "text", (c) => c.notNull().references("public_notices.id"))
        .addColumn("application_id", "text", (c) => c.references("applications.id"))
        .addColumn("base_id", "text")
        .addColumn("seq", "integer", (c) => c.notNull())
        /** What the public sees, as published. */
        .addColumn("base_name", "text", (c) => c.notNull())
        .addColumn("unit_name", "text", (c) => c.notNull())
        .addColumn("region_code", "text", (c) => c.notNull())
        .addColumn("category_code", "text")
        /** listed → named, or removed after an upheld objection. */
        .addColumn("outcome", "text", (c) => c.notNull().defaultTo("listed"))
        .addPrimaryKeyConstraint("notice_entries_pk", ["notice_id", "seq"])
        .execute();
      await db.schema
        .createIndex("notice_entries_application")
        .on("notice_entries")
        .columns(["application_id"])
        .execute();

      await db.schema
        .createTable("objections")
        .addColumn("id", "text", (c) => c.primaryKey())
        /** Given to the objector, with the phone it checks the status. */
        .addColumn("ref_no", "text", (c) => c.notNull().unique())
        .addColumn("notice_id", "text", (c) => c.notNull().references("public_notices.id"))
        .addColumn("application_id", "text", (c) => c.references("applications.id"))
        .addColumn("objector_name", "text", (c) => c.notNull())
        .addColumn("objector_phone", "text", (c) => c.notNull())
        /** unit | individual */
        .addColumn("objector_kind", "text", (c) => c.notNull())
        .addColumn("objector_unit", "text")
        .addColumn("content", "text", (c) => c.notNull())
        /** pending → upheld | dismissed */
        .addColumn("status", "text", (c) => c.notNull().defaultTo("pending"))
        .addColumn("reply", "text")
        /** For an upheld objection: back_to_office | reject. */
        .addColumn("upheld_action", "text")
        .addColumn("handled_by", "text", (c) => c.references("users.id"))
        .addColumn("handled_at", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("ip", "text")
        .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .createIndex("objections_notice")
        .on("objections")
        .columns(["notice_id", "created_at"])
        .execute();

      await db.schema
        .createTable("bases")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("uscc", "text", (c) => c.notNull().unique())
        .addColumn("org_id", "text", (c) => c.references("users.id"))
        .addColumn("application_id", "text", (c) => c.references("applications.id"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("unit_name", "text", (c) => c.notNull())
        .addColumn("region_code", "text", (c) => c.notNull().references("regions.code"))
        .addColumn("category_code", "text", (c) => c.notNull().references("categories.code"))
        .addColumn("address", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("intro", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("opening_form", "text")
        .addColumn("opening_hours", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("open_days", "integer")
        .addColumn("area_sqm", "real")
        .addColumn("booking_phone", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("leader_name", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("leader_phone", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("contact_name", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("contact_phone", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("volunteer_team_name", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("volunteer_count", "integer")
        .addColumn("batch_no", "integer")
        .addColumn("recognized_year", "integer", (c) => c.notNull())
        .addColumn("recognized_at", "text")
        .addColumn("certificate_no", "text", (c) => c.unique())
        .addColumn("naming_notice_id", "text", (c) => c.references("public_notices.id"))
        /** active | warning | revoked */
        .addColumn("status", "text", (c) => c.notNull().defaultTo("active"))
        .addColumn("warning_note", "text")
        .addColumn("revoked_at", "text")
        /** 1–5: the 第十八条 reason. */
        .addColumn("revocation_reason", "integer")
        .addColumn("revocation_note", "text")
        /** province | nation, when recommended upwards. */
        .addColumn("recommended_level", "text")
        .addColumn("recommended_note", "text")
        .addColumn("recommended_at", "text")
        /** Lower-case text for the keyword search: name, unit, address. */
        .addColumn("search_text", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .createIndex("bases_directory")
        .on("bases")
        .columns(["status", "region_code", "category_code", "recognized_year"])
        .execute();
      await db.schema.createIndex("bases_status_name").on("bases").columns(["status", "name"]).execute();
      await db.schema.createIndex("bases_org").on("bases").columns(["org_id"]).execute();

      await db.schema
        .createTable("change_reports")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("base_id", "text", (c) => c.notNull().references("bases.id"))
        /** rename | reorganization | split | merger | contact */
        .addColumn("kind", "text", (c) => c.notNull())
        /** The date the change happened (YYYY-MM-DD, Asia/Shanghai). */
        .addColumn("happened_on", "text", (c) => c.notNull())
        /** JSON: the new values (name, unit_name, contact …) and the explanation. */
        .addColumn("details", "text", (c) => c.notNull())
        /** pending → approved | returned */
        .addColumn("status", "text", (c) => c.notNull().defaultTo("pending"))
        /** 1 when filed more than 3 months after happened_on (第十八条(三)). */
        .addColumn("late", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("reply", "text")
        .addColumn("filed_by", "text", (c) => c.notNull().references("users.id"))
        .addColumn("filed_at", "text", (c) => c.notNull())
        .addColumn("decided_by", "text", (c) => c.references("users.id"))
        .addColumn("decided_at", "text")
        .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .createIndex("change_reports_base")
        .on("change_reports")
        .columns(["base_id", "filed_at"])
        .execute();
      await db.schema
        .createIndex("change_reports_status")
        .on("change_reports")
        .columns(["status", "filed_at"])
        .execute();
    },
  };
}
