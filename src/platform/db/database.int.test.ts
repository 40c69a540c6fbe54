import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUserRecord } from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext, testEngine } from "../../../tests/support/test-db.ts";
import { statementName } from "./pg-prepared.ts";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t?.close());

const pidsInPool = async () => {
  // Two at once, so the pool opens two connections; both are idle afterwards.
  const q = () => sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.1)`.execute(t.ctx.db);
  const [a, b] = await Promise.all([q(), q()]);
  return [a.rows[0].pid, b.rows[0].pid];
};

describe(`the ${testEngine} handle`, () => {
  it("survives an idle connection cut off from the server side, and answers the next queries", async () => {
    if (testEngine === "postgres") {
      const pids = await pidsInPool();
      expect(new Set(pids).size).toBe(2);
      // End them as an administrator (or a server restart) would, from outside the pool.
      const admin = new pg.Client({
        connectionString: process.env.KEPU_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
      });
      await admin.connect();
      const ended = await admin.query(
        "select pg_terminate_backend(pid) as ok from unnest($1::int[]) as pid",
        [pids],
      );
      await admin.end();
      expect(ended.rows.every((r) => r.ok === true)).toBe(true);
      // An unhandled 'error' from the pool's idle clients would end this process here.
      await new Promise((r) => setTimeout(r, 300));
    }
    for (let i = 0; i < 3; i++) {
      const [row] = (await sql<{ one: number }>`select 1 as one`.execute(t.ctx.db)).rows;
      expect(Number(row.one)).toBe(1);
    }
  });

  it("runs a repeated query from one prepared statement per connection (PostgreSQL), each run with its own answer", async () => {
    const a = await createUserRecord(t.ctx, { role: "city" });
    const b = await createUserRecord(t.ctx, { role: "county" });
    await t.ctx.db.connection().execute(async (db) => {
      const byId = (id: string) => db.selectFrom("users").select(["id", "role"]).where("id", "=", id);
      expect(await byId(a.id).executeTakeFirst()).toEqual({ id: a.id, role: "city" });
      expect(await byId(b.id).executeTakeFirst()).toEqual({ id: b.id, role: "county" });
      expect(await byId("none").executeTakeFirst()).toBeUndefined();
      if (testEngine === "postgres") {
        const name = statementName(byId("x").compile().sql);
        const { rows } = await sql<{ n: number }>`
          select count(*)::int as n from pg_prepared_statements where name = ${name}`.execute(db);
        expect(rows[0].n).toBe(1);
      }
    });
  });
});
