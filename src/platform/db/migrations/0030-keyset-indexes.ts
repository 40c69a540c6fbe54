import type { Kysely } from "kysely";

/**
 * Indexes whose columns are a list's where and order, so a page walks one index range in order and
 * stops after its rows:
 * - one county's directory by name, per listed status as listPublicBases queries it (and the
 *   /api/v1/bases keyset pages);
 * - a county's 派单 tabs (one status, newest first);
 * - the catalogue's filter columns beside the item's id, so its capped count and its page check an
 *   item's status, grades, subjects, kind and dates in this narrow index instead of the wide row.
 */
export function keysetIndexes() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createIndex("bases_status_county_name")
        .on("bases")
        .columns(["status", "region_code", "name", "id"])
        .execute();
      await db.schema
        .createIndex("school_orders_county_status")
        .on("school_orders")
        .columns(["base_region_code", "status", "created_at", "id"])
        .execute();
      await db.schema
        .createIndex("school_items_catalogue")
        .on("school_items")
        .columns([
          "id",
          "status",
          "grade_mask",
          "subject_mask",
          "kind",
          "available_from",
          "available_to",
          "weekday_mask",
        ])
        .execute();
    },
  };
}
