import { type Kysely, sql } from "kysely";

/**
 * 科普助力双减 · 你点我来 (issue 17): school accounts' profiles, the bases' catalogue of courses and
 * services, the counties each item serves, weekly capacity counters and the schools' orders.
 * Grades, subjects and weekdays are bit masks so the public catalogue filters in the index's where.
 */
export function schoolServices() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable("school_profiles")
        .addColumn("user_id", "text", (c) => c.primaryKey().references("users.id"))
        .addColumn("stages", "text", (c) => c.notNull())
        .addColumn("address", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("school_items")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("base_id", "text", (c) => c.notNull().references("bases.id"))
        .addColumn("region_code", "text", (c) => c.notNull())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('outreach', 'visit', 'online')`))
        .addColumn("subject_mask", "integer", (c) => c.notNull())
        .addColumn("grade_mask", "integer", (c) => c.notNull())
        .addColumn("weekday_mask", "integer", (c) => c.notNull())
        .addColumn("duration_minutes", "integer", (c) => c.notNull())
        .addColumn("students_per_session", "integer", (c) => c.notNull())
        .addColumn("sessions_per_week", "integer", (c) => c.notNull())
        .addColumn("available_from", "text", (c) => c.notNull())
        .addColumn("available_to", "text", (c) => c.notNull())
        .addColumn("fee", "text", (c) => c.notNull().check(sql`fee in ('free', 'discount')`))
        .addColumn("fee_note", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("prepare", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("safety_notes", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("status", "text", (c) =>
          c.notNull().check(sql`status in ('draft', 'pending', 'approved', 'returned', 'withdrawn')`),
        )
        .addColumn("review_reason", "text")
        .addColumn("reviewed_by", "text")
        .addColumn("reviewed_at", "text")
        .addColumn("rating_count", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("rating_sum", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("published_at", "text")
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .createIndex("school_items_base")
        .on("school_items")
        .columns(["base_id", "created_at"])
        .execute();
      await db.schema
        .createIndex("school_items_review")
        .on("school_items")
        .columns(["region_code", "status", "updated_at"])
        .execute();

      // The counties an item serves: the public catalogue's county filter walks this index.
      await db.schema
        .createTable("school_item_counties")
        .addColumn("item_id", "text", (c) => c.notNull().references("school_items.id"))
        .addColumn("county_code", "text", (c) => c.notNull())
        .addColumn("public", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("published_at", "text")
        .addPrimaryKeyConstraint("school_item_counties_pk", ["item_id", "county_code"])
        .execute();
      await db.schema
        .createIndex("school_item_counties_public")
        .on("school_item_counties")
        .columns(["county_code", "public", "published_at", "item_id"])
        .execute();

      // Sessions booked per item and week (Monday, Beijing date): one upsert takes them or refuses.
      await db.schema
        .createTable("school_item_weeks")
        .addColumn("item_id", "text", (c) => c.notNull().references("school_items.id"))
        .addColumn("week", "text", (c) => c.notNull())
        .addColumn("booked", "integer", (c) => c.notNull().check(sql`booked >= 0`))
        .addPrimaryKeyConstraint("school_item_weeks_pk", ["item_id", "week"])
        .execute();

      await db.schema
        .createTable("school_orders")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("item_id", "text", (c) => c.notNull().references("school_items.id"))
        .addColumn("base_id", "text", (c) => c.notNull().references("bases.id"))
        .addColumn("base_region_code", "text", (c) => c.notNull())
        .addColumn("school_id", "text", (c) => c.notNull().references("users.id"))
        .addColumn("school_region_code", "text", (c) => c.notNull())
        .addColumn("preferred_dates", "text", (c) => c.notNull())
        .addColumn("classes", "integer", (c) => c.notNull())
        .addColumn("students", "integer", (c) => c.notNull())
        .addColumn("sessions", "integer", (c) => c.notNull())
        .addColumn("contact_name", "text", (c) => c.notNull())
        .addColumn("contact_phone", "text", (c) => c.notNull())
        .addColumn("notes", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("status", "text", (c) =>
          c
            .notNull()
            .check(
              sql`status in ('ordered', 'proposed', 'accepted', 'declined', 'dispatch', 'closed', 'cancelled', 'delivered', 'not_held')`,
            ),
        )
        // The week whose sessions the order holds while it is open.
        .addColumn("held_week", "text")
        .addColumn("scheduled_date", "text")
        .addColumn("proposed_date", "text")
        .addColumn("reason", "text")
        .addColumn("answer_due_at", "text", (c) => c.notNull())
        .addColumn("answered_at", "text")
        .addColumn("answer_minutes", "integer")
        .addColumn("activity_id", "text")
        .addColumn("cancelled_by", "text")
        .addColumn("late_cancel", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("delivered_students", "integer")
        .addColumn("rating_content", "integer")
        .addColumn("rating_organization", "integer")
        .addColumn("rating_safety", "integer")
        .addColumn("rating_comment", "text")
        .addColumn("rated_at", "text")
        .addColumn("reply", "text")
        .addColumn("replied_at", "text")
        .addColumn("reassigned_from", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
        .execute();
      // A school's list, a base's list (newest first, keyset on created_at, id), the county's queues.
      await db.schema
        .createIndex("school_orders_school")
        .on("school_orders")
        .columns(["school_id", "created_at", "id"])
        .execute();
      await db.schema
        .createIndex("school_orders_base")
        .on("school_orders")
        .columns(["base_id", "created_at", "id"])
        .execute();
      await db.schema
        .createIndex("school_orders_county")
        .on("school_orders")
        .columns(["base_region_code", "status", "answer_due_at"])
        .execute();
      await db.schema
        .createIndex("school_orders_item")
        .on("school_orders")
        .columns(["item_id", "rated_at"])
        .execute();
    },
  };
}
