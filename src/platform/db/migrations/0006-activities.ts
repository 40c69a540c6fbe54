import type { Kysely } from "kysely";

/**
 * Campaigns (动员 / 主题日), activities announced by bases (活动预告) with their reports (活动小结),
 * and the campaign tags of each activity.
 */
export function activities() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable("campaigns")
        .addColumn("id", "text", (c) => c.primaryKey())
        /** science_day | tech_week | workers_day | major_project | double_reduction | custom */
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("year", "integer", (c) => c.notNull())
        /** YYYY-MM-DD, Asia/Shanghai, inclusive. */
        .addColumn("starts_on", "text", (c) => c.notNull())
        .addColumn("ends_on", "text", (c) => c.notNull())
        .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
        /** What bases are expected to do, e.g. free or discounted opening. */
        .addColumn("expectations", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("created_by", "text", (c) => c.references("users.id"))
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .createIndex("campaigns_dates")
        .on("campaigns")
        .columns(["ends_on", "starts_on"])
        .execute();

      await db.schema
        .createTable("activities")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("base_id", "text", (c) => c.notNull().references("bases.id"))
        /** The base's county when announced: public filters and staff scope read it without a join. */
        .addColumn("region_code", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("form", "text", (c) => c.notNull())
        .addColumn("starts_at", "text", (c) => c.notNull())
        .addColumn("ends_at", "text", (c) => c.notNull())
        /** YYYY-MM of the start in Asia/Shanghai, for monthly statistics. */
        .addColumn("start_month", "text", (c) => c.notNull())
        .addColumn("place", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("link", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("audience", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("expected_participants", "integer")
        /** free | discounted | paid */
        .addColumn("fee", "text", (c) => c.notNull())
        /** in (请进来) | out (走出去) */
        .addColumn("direction", "text", (c) => c.notNull())
        .addColumn("contact_name", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("contact_phone", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
        /** none → submitted → accepted | returned (→ submitted again). */
        .addColumn("report_status", "text", (c) => c.notNull().defaultTo("none"))
        /** JSON array of URLs (信息报道链接). */
        .addColumn("report_links", "text", (c) => c.notNull().defaultTo("[]"))
        .addColumn("actual_participants", "integer")
        .addColumn("report_summary", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("report_submitted_at", "text")
        .addColumn("report_reviewed_by", "text", (c) => c.references("users.id"))
        .addColumn("report_reviewed_at", "text")
        .addColumn("report_return_reason", "text")
        .addColumn("reminder_sent_at", "text")
        .addColumn("created_by", "text", (c) => c.notNull().references("users.id"))
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
        .execute();
      // Calendar by county and dates (the end in the index: overlap filters read no rows); by base;
      // everything by date; the review queue; statistics by month (covering).
      await db.schema
        .createIndex("activities_region_start")
        .on("activities")
        .columns(["region_code", "starts_at", "ends_at"])
        .execute();
      await db.schema
        .createIndex("activities_base_start")
        .on("activities")
        .columns(["base_id", "starts_at"])
        .execute();
      await db.schema
        .createIndex("activities_start")
        .on("activities")
        .columns(["starts_at", "ends_at"])
        .execute();
      await db.schema
        .createIndex("activities_report_queue")
        .on("activities")
        .columns(["report_status", "report_submitted_at"])
        .execute();
      await db.schema
        .createIndex("activities_stats")
        .on("activities")
        .columns(["start_month", "region_code", "type", "actual_participants"])
        .execute();

      await db.schema
        .createTable("activity_campaigns")
        .addColumn("activity_id", "text", (c) => c.notNull().references("activities.id"))
        .addColumn("campaign_id", "text", (c) => c.notNull().references("campaigns.id"))
        .addPrimaryKeyConstraint("activity_campaigns_pk", ["campaign_id", "activity_id"])
        .execute();
      await db.schema
        .createIndex("activity_campaigns_activity")
        .on("activity_campaigns")
        .columns(["activity_id"])
        .execute();
    },
  };
}
