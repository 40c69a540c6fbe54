import { type Kysely, sql } from "kysely";
import type { Engine } from "../../config.ts";
import { CATEGORIES, REGIONS } from "../reference-data.ts";

export function foundation(engine: Engine) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable("regions")
        .addColumn("code", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("parent_code", "text", (c) => c.references("regions.code"))
        .addColumn("level", "text", (c) => c.notNull())
        .addColumn("sort", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      await db.insertInto("regions").values(REGIONS).execute();

      await db.schema
        .createTable("categories")
        .addColumn("code", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull().unique())
        .addColumn("description", "text", (c) => c.notNull())
        .addColumn("sort", "integer", (c) => c.notNull())
        .execute();
      await db.insertInto("categories").values(CATEGORIES).execute();

      await db.schema
        .createTable("users")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("username", "text", (c) => c.unique())
        .addColumn("uscc", "text", (c) => c.unique())
        .addColumn("display_name", "text", (c) => c.notNull())
        .addColumn("contact_name", "text")
        .addColumn("phone", "text")
        .addColumn("region_code", "text", (c) => c.notNull().references("regions.code"))
        .addColumn("password_hash", "text", (c) => c.notNull())
        .addColumn("must_change_password", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("disabled_at", "text")
        .addColumn("last_login_at", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
        .addCheckConstraint("users_login_key", sql`(username is null) <> (uscc is null)`)
        .execute();
      await db.schema.createIndex("users_region_role").on("users").columns(["region_code", "role"]).execute();

      await db.schema
        .createTable("sessions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("last_seen_at", "text", (c) => c.notNull())
        .addColumn("ip", "text")
        .addColumn("user_agent", "text")
        .execute();
      await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();

      await db.schema
        .createTable("audit_events")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("at", "text", (c) => c.notNull())
        .addColumn("actor_id", "text")
        .addColumn("actor_label", "text")
        .addColumn("actor_role", "text")
        .addColumn("ip", "text")
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("target_type", "text")
        .addColumn("target_id", "text")
        .addColumn("outcome", "text", (c) => c.notNull())
        .addColumn("detail", "text")
        .execute();
      await db.schema.createIndex("audit_events_at").on("audit_events").column("at").execute();
      await db.schema
        .createIndex("audit_events_actor")
        .on("audit_events")
        .columns(["actor_id", "at"])
        .execute();
      await db.schema
        .createIndex("audit_events_action")
        .on("audit_events")
        .columns(["action", "at"])
        .execute();
      // Append-only: the database itself refuses to change or remove an audit event.
      if (engine === "postgres") {
        await sql`create function audit_events_append_only() returns trigger language plpgsql as $$
          begin raise exception 'audit_events is append-only'; end $$`.execute(db);
        await sql`create trigger audit_events_no_update before update or delete on audit_events
          for each row execute function audit_events_append_only()`.execute(db);
      } else {
        await sql`create trigger audit_events_no_update before update on audit_events
          begin select raise(abort, 'audit_events is append-only'); end`.execute(db);
        await sql`create trigger audit_events_no_delete before delete on audit_events
          begin select raise(abort, 'audit_events is append-only'); end`.execute(db);
      }

      await db.schema
        .createTable("rate_limits")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("count", "integer", (c) => c.notNull())
        .addColumn("reset_at", "text", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("settings")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("value", "text", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("calls")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("batch_no", "integer")
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("level", "text", (c) => c.notNull())
        .addColumn("region_code", "text", (c) => c.notNull().references("regions.code"))
        .addColumn("opens_at", "text", (c) => c.notNull())
        .addColumn("closes_at", "text", (c) => c.notNull())
        .addColumn("categories", "text", (c) => c.notNull())
        .addColumn("county_targets", "text", (c) => c.notNull())
        .addColumn("notice", "text", (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.references("users.id"))
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .createIndex("calls_region_closes")
        .on("calls")
        .columns(["region_code", "closes_at"])
        .execute();
    },
  };
}
