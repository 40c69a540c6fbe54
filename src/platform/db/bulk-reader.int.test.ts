import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUserRecord } from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext, testEngine } from "../../../tests/support/test-db.ts";
import { withBulkReader } from "./bulk-reader.server.ts";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t?.close());

describe("withBulkReader", () => {
  it("reads what was committed, through its own small-cache, read-only connection on SQLite", async () => {
    const user = await createUserRecord(t.ctx, { role: "city" });
    const seen = await withBulkReader(t.ctx, async (db) => {
      const row = await db
        .selectFrom("users")
        .select("username")
        .where("id", "=", user.id)
        .executeTakeFirst();
      if (testEngine === "postgres") {
        expect(db).toBe(t.ctx.db);
      } else {
        expect(db).not.toBe(t.ctx.db);
        const { rows } = await sql<{ cache_size: number }>`pragma cache_size`.execute(db);
        expect(rows[0].cache_size).toBe(-8192);
        await expect(db.deleteFrom("users").where("id", "=", user.id).execute()).rejects.toThrow(/readonly/i);
      }
      return row?.username;
    });
    expect(seen).toBe(user.login);
    // Still there, and the server's connection still works after the reader closed.
    expect(
      await t.ctx.db.selectFrom("users").select("id").where("id", "=", user.id).executeTakeFirst(),
    ).toEqual({
      id: user.id,
    });
  });
});

describe("databaseSourceOf", () => {
  it("is found by another copy of the database module, as the bundled server build has", async () => {
    // @ts-expect-error: a query string makes the module loader evaluate a second copy of the module
    const copy = (await import("./database.ts?second-copy")) as typeof import("./database.ts");
    const source = copy.databaseSourceOf(t.ctx.db);
    expect(source?.engine).toBe(testEngine);
    if (testEngine === "sqlite") expect(copy.sqliteFileOf(t.ctx.db)).toMatch(/\.sqlite$/);
    else expect(source?.url).toMatch(/^postgres:\/\//);
  });
});
