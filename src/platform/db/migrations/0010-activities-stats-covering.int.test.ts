import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, migrateToLatest, openDatabase } from "../database.ts";

// The plan SQLite chooses with no statistics (the app does not run ANALYZE) is what made the staff
// statistics slow, so it is checked on SQLite (in memory) whichever engine the suite runs on.
let handle: DatabaseHandle;
beforeAll(async () => {
  handle = openDatabase({ engine: "sqlite", url: ":memory:" });
  await migrateToLatest(handle);
});
afterAll(async () => handle?.close());

const SCOPE = sql`('330802', '330803', '330822', '330824', '330825', '330881')`;
const YEAR = sql`start_month >= '2026-01' and start_month <= '2026-12' and region_code in ${SCOPE}`;

async function plan(query: ReturnType<typeof sql>): Promise<string> {
  const { rows } = await sql<{ detail: string }>`explain query plan ${query}`.execute(handle.db);
  return rows.map((r) => r.detail).join("\n");
}

describe("0010-activities-stats-covering", () => {
  it("serves each of the statistics' grouped reads from the covering index, not the table", async () => {
    const reads = [
      sql`select region_code, type, start_month, count(*), sum(coalesce(actual_participants, 0))
          from activities where ${YEAR} group by region_code, type, start_month`,
      sql`select report_status, count(*) from activities where ${YEAR} group by report_status`,
      sql`select base_id, count(*) as n, sum(coalesce(actual_participants, 0)) from activities
          where ${YEAR} group by base_id order by n desc, base_id limit 20`,
    ];
    for (const read of reads) expect(await plan(read)).toMatch(/USING COVERING INDEX activities_stats\b/);
  });
});
