import { type Kysely, sql } from "kysely";

/**
 * Notifications that leave the platform: an optional email per user and the reminders each user
 * turned off; outbox rows get a kind (the SMS template), a next attempt time for back-off and a
 * claim lease; reminders remember what they sent so each goes out once.
 */
export function emailDelivery() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable("users").addColumn("email", "text").execute();
      /** JSON array of reminder kinds the user turned off; null: all on. */
      await db.schema.alterTable("users").addColumn("reminders_off", "text").execute();

      await db.schema
        .alterTable("outbox")
        .addColumn("kind", "text", (c) => c.notNull().defaultTo(""))
        .execute();
      await db.schema.alterTable("outbox").addColumn("next_attempt_at", "text").execute();
      await db.schema.alterTable("outbox").addColumn("locked_until", "text").execute();
      await sql`update outbox set next_attempt_at = created_at`.execute(db);
      await db.schema.createIndex("outbox_due").on("outbox").columns(["status", "next_attempt_at"]).execute();

      await db.schema
        .createTable("reminders_sent")
        /** kind:target:user, e.g. call_closing:<application>:<user>. */
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
        .addColumn("sent_at", "text", (c) => c.notNull())
        .execute();
    },
  };
}
