import { type Kysely, sql } from "kysely";

/** Applications (申报), their review trail, stored files and notifications. */
export function applications() {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable("files")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("storage_key", "text", (c) => c.notNull().unique())
        .addColumn("original_name", "text", (c) => c.notNull())
        .addColumn("mime", "text", (c) => c.notNull())
        .addColumn("size", "bigint", (c) => c.notNull())
        .addColumn("sha256", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("width", "integer")
        .addColumn("height", "integer")
        .addColumn("thumb_key", "text")
        .addColumn("owner_type", "text", (c) => c.notNull())
        .addColumn("owner_id", "text", (c) => c.notNull())
        .addColumn("slot", "text", (c) => c.notNull())
        .addColumn("region_code", "text", (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.references("users.id"))
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("files_owner")
        .on("files")
        .columns(["owner_type", "owner_id", "slot"])
        .execute();

      await db.schema
        .createTable("applications")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("call_id", "text", (c) => c.notNull().references("calls.id"))
        .addColumn("org_id", "text", (c) => c.notNull().references("users.id"))
        .addColumn("region_code", "text", (c) => c.notNull().references("regions.code"))
        .addColumn("category_code", "text", (c) => c.references("categories.code"))
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("returned_from", "text")
        .addColumn("return_deadline", "text")
        .addColumn("base_name", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("unit_name", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("address", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("leader_name", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("leader_phone", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("contact_name", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("contact_phone", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("booking_phone", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("volunteer_team_name", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("volunteer_count", "integer")
        .addColumn("volunteer_leader", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("volunteer_leader_phone", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("opening_form", "text")
        .addColumn("area_sqm", "double precision")
        .addColumn("open_days", "integer")
        .addColumn("intro", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("honors", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("conditions", "text", (c) => c.notNull().defaultTo("[]"))
        .addColumn("city_score", "double precision")
        .addColumn("submitted_at", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .createIndex("applications_call_status")
        .on("applications")
        .columns(["call_id", "status"])
        .execute();
      await db.schema
        .createIndex("applications_region_status")
        .on("applications")
        .columns(["region_code", "status", "updated_at"])
        .execute();
      await db.schema
        .createIndex("applications_status_updated")
        .on("applications")
        .columns(["status", "updated_at"])
        .execute();
      // One application in progress (or recognized) per organization, even under concurrent submits.
      await db.schema
        .createIndex("applications_one_active_per_org")
        .on("applications")
        .column("org_id")
        .unique()
        .where(sql.ref("status"), "not in", ["withdrawn", "rejected", "not_recommended"])
        .execute();

      await db.schema
        .createTable("application_events")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("application_id", "text", (c) => c.notNull().references("applications.id"))
        .addColumn("at", "text", (c) => c.notNull())
        .addColumn("actor_id", "text", (c) => c.references("users.id"))
        .addColumn("actor_role", "text")
        .addColumn("actor_label", "text")
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("from_status", "text")
        .addColumn("to_status", "text", (c) => c.notNull())
        .addColumn("opinion", "text")
        .addColumn("internal_note", "text")
        .addColumn("opinion_date", "text")
        .addColumn("score", "double precision")
        .addColumn("detail", "text")
        .addColumn("version", "integer", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("application_events_app")
        .on("application_events")
        .columns(["application_id", "at"])
        .execute();
      // The version recorded with each transition is unique: two racing transitions cannot both land.
      await db.schema
        .createIndex("application_events_app_version")
        .on("application_events")
        .columns(["application_id", "version"])
        .unique()
        .execute();

      await db.schema
        .createTable("notifications")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("link", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("read_at", "text")
        .execute();
      await db.schema
        .createIndex("notifications_user")
        .on("notifications")
        .columns(["user_id", "read_at", "created_at"])
        .execute();

      await db.schema
        .createTable("outbox")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("channel", "text", (c) => c.notNull())
        .addColumn("recipient", "text", (c) => c.notNull())
        .addColumn("subject", "text", (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("last_error", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("sent_at", "text")
        .execute();
      await db.schema.createIndex("outbox_status").on("outbox").columns(["status", "created_at"]).execute();
    },
  };
}
