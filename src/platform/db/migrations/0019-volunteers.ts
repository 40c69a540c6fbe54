import { type Kysely, sql } from "kysely";

/**
 * 科技志愿服务队 (issue 18): one team per base with its stvs registration, the roster of volunteers
 * (no 身份证: only what matching stvs needs) and the hours they served on the base's own activities.
 * Durations are whole minutes; service_date is the Beijing date the service starts on.
 */
export function volunteers() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable("volunteer_teams")
        .addColumn("base_id", "text", (c) => c.primaryKey().references("bases.id"))
        .addColumn("region_code", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("stvs_status", "text", (c) =>
          c
            .notNull()
            .defaultTo("unregistered")
            .check(sql`stvs_status in ('unregistered', 'pending', 'registered')`),
        )
        .addColumn("stvs_org_no", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("registered_on", "text")
        .addColumn("supervisor_type", "text", (c) => c.notNull().defaultTo("地方科协"))
        .addColumn("leader_name", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("leader_phone", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("contact_name", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("contact_phone", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .createIndex("volunteer_teams_region")
        .on("volunteer_teams")
        .columns(["region_code", "stvs_status"])
        .execute();

      await db.schema
        .createTable("volunteers")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("base_id", "text", (c) => c.notNull().references("bases.id"))
        .addColumn("region_code", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("phone", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("stvs_no", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("specialty", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("joined_on", "text")
        .addColumn("status", "text", (c) =>
          c.notNull().defaultTo("active").check(sql`status in ('active', 'left')`),
        )
        .addColumn("left_at", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
        .execute();
      // The roster page: a base's volunteers by name (keyset on name, id).
      await db.schema
        .createIndex("volunteers_base_name")
        .on("volunteers")
        .columns(["base_id", "status", "name", "id"])
        .execute();
      await db.schema
        .createIndex("volunteers_region")
        .on("volunteers")
        .columns(["region_code", "id"])
        .execute();
      // One stvs number per team (left volunteers have none: they are anonymized).
      await sql`create unique index volunteers_base_stvs on volunteers (base_id, stvs_no) where stvs_no <> ''`.execute(
        db,
      );

      await db.schema
        .createTable("volunteer_services")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("base_id", "text", (c) => c.notNull().references("bases.id"))
        .addColumn("region_code", "text", (c) => c.notNull())
        .addColumn("volunteer_id", "text", (c) => c.notNull().references("volunteers.id"))
        .addColumn("activity_id", "text", (c) => c.notNull().references("activities.id"))
        .addColumn("starts_at", "text", (c) => c.notNull())
        .addColumn("ends_at", "text", (c) => c.notNull())
        .addColumn("service_date", "text", (c) => c.notNull())
        .addColumn("minutes", "integer", (c) => c.notNull().check(sql`minutes > 0 and minutes <= 1440`))
        .addColumn("status", "text", (c) =>
          c.notNull().defaultTo("recorded").check(sql`status in ('recorded', 'confirmed')`),
        )
        .addColumn("confirmed_by", "text")
        .addColumn("confirmed_at", "text")
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      // A volunteer's record page and the overlap / daily-limit checks.
      await db.schema
        .createIndex("volunteer_services_volunteer")
        .on("volunteer_services")
        .columns(["volunteer_id", "starts_at"])
        .execute();
      await db.schema
        .createIndex("volunteer_services_activity")
        .on("volunteer_services")
        .columns(["activity_id", "volunteer_id"])
        .execute();
      // The hours export: by county, then date.
      await db.schema
        .createIndex("volunteer_services_region")
        .on("volunteer_services")
        .columns(["region_code", "service_date", "id"])
        .execute();
      await db.schema
        .createIndex("volunteer_services_base")
        .on("volunteer_services")
        .columns(["base_id", "service_date", "id"])
        .execute();
    },
  };
}
