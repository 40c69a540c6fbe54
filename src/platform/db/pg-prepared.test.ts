import type pg from "pg";
import { describe, expect, it } from "vitest";
import { preparedStatementPool, statementName } from "./pg-prepared.ts";

/** A pg pool stand-in that records what each client was asked to run. */
function fakePool() {
  const calls: unknown[][] = [];
  const released: unknown[] = [];
  const client = {
    query: (...args: unknown[]) => {
      calls.push(args);
      return Promise.resolve({ command: "SELECT", rowCount: 0, rows: [] });
    },
    release: (destroy?: boolean) => released.push(destroy),
  };
  const pool = { connect: async () => client, end: async () => {} } as unknown as pg.Pool;
  return { pool, calls, released };
}

describe("preparedStatementPool", () => {
  it("names a query with parameters by its text, and leaves one without parameters alone", async () => {
    const { pool, calls } = fakePool();
    const c = await preparedStatementPool(pool).connect();
    await c.query("select * from users where id = $1", ["a"]);
    await c.query("select * from users where id = $1", ["b"]);
    await c.query("begin", []);
    await c.query("create table t (id int); create index on t (id)", []);
    const name = statementName("select * from users where id = $1");
    expect(name).toMatch(/^k[0-9a-f]{24}$/);
    expect(calls).toEqual([
      [{ name, text: "select * from users where id = $1", values: ["a"] }],
      [{ name, text: "select * from users where id = $1", values: ["b"] }],
      ["begin", []],
      ["create table t (id int); create index on t (id)", []],
    ]);
  });

  it("gives different texts different names", () => {
    expect(statementName("select $1")).not.toBe(statementName("select $1::int"));
    expect(statementName("select $1")).toBe(statementName("select $1"));
  });

  it("prepares at most the cap per connection; past it, new texts run unnamed and known ones stay named", async () => {
    const { pool, calls } = fakePool();
    const c = await preparedStatementPool(pool, 2).connect();
    await c.query("select $1", [1]);
    await c.query("select $1, 2", [1]);
    await c.query("select $1, 3", [1]);
    await c.query("select $1", [1]);
    expect(calls.map((args) => typeof args[0] === "object")).toEqual([true, true, false, true]);
    expect(calls[2]).toEqual(["select $1, 3", [1]]);
  });

  it("passes a cursor through, and keeps a connection's statements across check-outs", async () => {
    const { pool, calls, released } = fakePool();
    const prepared = preparedStatementPool(pool, 1);
    const c = await prepared.connect();
    const cursor = { read: async () => [], close: async () => {} };
    c.query(cursor);
    expect(calls[0]).toEqual([cursor]);
    await c.query("select $1", [1]);
    c.release();
    expect(released).toEqual([undefined]);
    // The same connection, checked out again: its one statement is still known, so a new text runs unnamed.
    const again = await prepared.connect();
    expect(again).toBe(c);
    await again.query("select $1", [2]);
    await again.query("select $1, 2", [1]);
    expect(calls.slice(2).map((args) => typeof args[0] === "object")).toEqual([true, false]);
  });
});
