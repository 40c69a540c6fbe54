import { type Kysely, sql } from "kysely";

/**
 * 新闻动态、经验交流、理论研讨、基地联合会 (第十四条): articles written by bases and staff, approved by
 * county or city staff before they are public. The body is stored already sanitized.
 */
export function articles() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable("articles")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("column_key", "text", (c) =>
          c.notNull().check(sql`column_key in ('news', 'experience', 'research', 'federation')`),
        )
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("summary", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("body_html", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("base_id", "text", (c) => c.references("bases.id"))
        .addColumn("region_code", "text", (c) => c.notNull())
        .addColumn("author_id", "text", (c) => c.notNull().references("users.id"))
        .addColumn("author_name", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) =>
          c.notNull().check(sql`status in ('draft', 'submitted', 'published', 'returned')`),
        )
        .addColumn("return_reason", "text")
        .addColumn("reviewed_by", "text")
        .addColumn("reviewed_at", "text")
        .addColumn("submitted_at", "text")
        .addColumn("published_at", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .createIndex("articles_public")
        .on("articles")
        .columns(["status", "published_at", "id"])
        .execute();
      await db.schema
        .createIndex("articles_column")
        .on("articles")
        .columns(["column_key", "status", "published_at"])
        .execute();
      await db.schema.createIndex("articles_base").on("articles").columns(["base_id", "status"]).execute();
      await db.schema
        .createIndex("articles_author")
        .on("articles")
        .columns(["author_id", "updated_at"])
        .execute();
      await db.schema
        .createIndex("articles_review")
        .on("articles")
        .columns(["status", "region_code", "submitted_at"])
        .execute();
    },
  };
}
