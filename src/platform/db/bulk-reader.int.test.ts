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
