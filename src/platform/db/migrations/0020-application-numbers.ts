import type { Kysely } from "kysely";
import { applicationNoPrefix, formatApplicationNo, shanghaiYear } from "#src/platform/numbering.rules.ts";
import { cleanLine } from "#src/platform/text.rules.ts";

/** Names and titles stored before every form trimmed them (issue 15.4), by table and key column. */
const NAME_COLUMNS: { table: string; key: string[]; columns: string[] }[] = [
  { table: "applications", key: ["id"], columns: ["base_name", "unit_name"] },
  { table: "bases", key: ["id"], columns: ["name", "unit_name"] },
  { table: "calls", key: ["id"], columns: ["title"] },
  { table: "public_notices", key: ["id"], columns: ["title"] },
  { table: "notice_entries", key: ["notice_id", "seq"], columns: ["base_name", "unit_name"] },
  { table: "users", key: ["id"], columns: ["display_name"] },
];

/**
 * Readable application numbers (2023-第八批-龙游-001) and the joint issuance of a call.
 *
 * - `applications.application_no`: given once, at the first 【提交】, unique. The sequence is kept per
 *   prefix (year, batch, county) in `application_no_counters`, whose row the submitting transaction
 *   increments, so two submissions at once never get the same number.
 * - Applications submitted before this migration are numbered here, in the order they were first
 *   submitted (submitted_at, then id), by the call's year and batch and the application's county.
 * - Names and titles stored with spaces around them (" 某某科普教育基地 ") are trimmed as every form
 *   now does (text.rules.ts); a base's search text follows its name.
 * - `calls.issuers` (JSON array of the bodies that jointly name the bases; null: the defaults of the
 *   call's level and region) and `calls.document_no` (文号 of the naming document).
 */
export function applicationNumbers() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable("applications").addColumn("application_no", "text").execute();
      await db.schema
        .createIndex("applications_application_no")
        .on("applications")
        .column("application_no")
        .unique()
        .execute();
      await db.schema
        .createTable("application_no_counters")
        .addColumn("prefix", "text", (c) => c.primaryKey())
        .addColumn("last_seq", "integer", (c) => c.notNull())
        .execute();
      await db.schema.alterTable("calls").addColumn("issuers", "text").execute();
      await db.schema
        .alterTable("calls")
        .addColumn("document_no", "text", (c) => c.notNull().defaultTo(""))
        .execute();

      const rows: {
        id: string;
        opens_at: string;
        batch_no: number | null;
        county: string | null;
        region_code: string;
      }[] = await db
        .selectFrom("applications")
        .innerJoin("calls", "calls.id", "applications.call_id")
        .leftJoin("regions", "regions.code", "applications.region_code")
        .select([
          "applications.id as id",
          "calls.opens_at as opens_at",
          "calls.batch_no as batch_no",
          "regions.name as county",
          "applications.region_code as region_code",
        ])
        .where("applications.submitted_at", "is not", null)
        .orderBy("applications.submitted_at")
        .orderBy("applications.id")
        .execute();
      const last = new Map<string, number>();
      for (const r of rows) {
        const prefix = applicationNoPrefix({
          year: shanghaiYear(r.opens_at),
          batchNo: r.batch_no === null ? null : Number(r.batch_no),
          countyName: r.county ?? r.region_code,
        });
        const seq = (last.get(prefix) ?? 0) + 1;
        last.set(prefix, seq);
        await db
          .updateTable("applications")
          .set({ application_no: formatApplicationNo(prefix, seq) })
          .where("id", "=", r.id)
          .execute();
      }
      for (const [prefix, seq] of last) {
        await db.insertInto("application_no_counters").values({ prefix, last_seq: seq }).execute();
      }

      for (const { table, key, columns } of NAME_COLUMNS) {
        const all: Record<string, string>[] = await db
          .selectFrom(table)
          .select([...key, ...columns, ...(table === "bases" ? ["address"] : [])])
          .execute();
        for (const row of all) {
          const changed: Record<string, string> = {};
          for (const c of columns)
            if (cleanLine(row[c] ?? "") !== row[c]) changed[c] = cleanLine(row[c] ?? "");
          if (!Object.keys(changed).length) continue;
          if (table === "bases") {
            const name = changed.name ?? row.name;
            const unit = changed.unit_name ?? row.unit_name;
            changed.search_text = [name, unit, (row.address ?? "").trim()]
              .filter(Boolean)
              .join(" ")
              .toLowerCase();
          }
          let q = db.updateTable(table).set(changed);
          for (const k of key) q = q.where(k, "=", row[k]);
          await q.execute();
        }
      }
    },
  };
}
