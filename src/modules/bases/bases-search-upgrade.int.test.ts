import { Migrator } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bumpGeneration } from "#src/platform/cache/generations.server.ts";
import { systemClock } from "#src/platform/clock.ts";
import { loadConfig } from "#src/platform/config.ts";
import type { AppContext } from "#src/platform/context.ts";
import {
  type DatabaseHandle,
  migrateToLatest,
  migrationsFor,
  openDatabase,
} from "#src/platform/db/database.ts";
import { insertBase } from "./bases-directory.fixtures.ts";
import { listPublicBases } from "./bases-directory.server.ts";

// SQLite's search table is rebuilt by 0009; an installation upgraded from 0008 must still find the
// bases it already had, and the new triggers must keep the table in step. SQLite-only migration, so
// an in-memory SQLite database on either test engine.
let handle: DatabaseHandle;
let ctx: AppContext;

beforeAll(async () => {
  handle = openDatabase({ engine: "sqlite", url: ":memory:" });
  const migrator = new Migrator({
    db: handle.db,
    provider: { getMigrations: async () => migrationsFor("sqlite") },
  });
  const { error } = await migrator.migrateTo("0008-bases-search");
  if (error) throw error;
  ctx = {
    db: handle.db,
    engine: "sqlite",
    clock: systemClock,
    config: { ...loadConfig({}), engine: "sqlite" },
  };
});
afterAll(async () => handle?.close());

describe("0009-bases-search-directory", () => {
  it("carries the bases of an 0008 installation over, and its triggers follow later writes", async () => {
    const before = await insertBase(ctx, { name: "旧版石窟科普教育基地", region_code: "330802" });
    expect((await migrateToLatest(handle))[0]).toBe("0009-bases-search-directory");
    const found = await listPublicBases(ctx, { q: "旧版石窟", county: "330802" });
    expect(found.rows.map((r) => r.id)).toEqual([before]);

    const after = await insertBase(ctx, { name: "新版石窟科普教育基地" });
    expect((await listPublicBases(ctx, { q: "版石窟" })).total).toBe(2);
    await ctx.db.deleteFrom("bases").where("id", "=", before).execute();
    await bumpGeneration(ctx.db, "bases");
    expect((await listPublicBases(ctx, { q: "版石窟" })).rows.map((r) => r.id)).toEqual([after]);
    const keys = await ctx.db
      .selectFrom("bases_search_keys" as never)
      .selectAll()
      .execute();
    expect(keys).toHaveLength(1);
  });
});
