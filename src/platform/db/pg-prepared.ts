import { createHash } from "node:crypto";
import type { PostgresPool, PostgresPoolClient } from "kysely";
import type pg from "pg";

/** Statements a connection keeps prepared; past this its queries are planned each time, as before. */
export const PREPARED_PER_CONNECTION = 200;

/**
 * The PostgreSQL pool Kysely is given, with every parameterized query run as a named prepared
 * statement on its connection: PostgreSQL then parses and plans a query once per connection
 * instead of on every run. For the small queries of a page, planning took 2–5 times as long as
 * running them (ADR 0010; SQLite's statements are cached likewise, sqlite-dialect.ts).
 *
 * The name is a hash of the SQL text, so the same text always finds its statement. Only queries
 * with parameters are named: they already use the extended protocol, so each is one statement
 * (text without parameters may hold several, as migrations do). A connection keeps at most
 * `perConnection` statements: SQL whose text varies (an `in` list of any length) cannot fill the
 * server's memory. Cursors (streamed exports) pass through unchanged.
 */
export function preparedStatementPool(pool: pg.Pool, perConnection = PREPARED_PER_CONNECTION): PostgresPool {
  // One wrapper per connection, made the first time the pool hands that connection out.
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    const known = new Set<string>();
    return {
      // biome-ignore lint/suspicious/noExplicitAny: the two overloads of PostgresPoolClient.query
      query: ((sqlOrCursor: any, parameters?: ReadonlyArray<unknown>) => {
        if (typeof sqlOrCursor !== "string" || !parameters?.length) {
          return parameters ? client.query(sqlOrCursor, parameters as unknown[]) : client.query(sqlOrCursor);
        }
        const name = statementName(sqlOrCursor);
        if (!known.has(name)) {
          if (known.size >= perConnection) return client.query(sqlOrCursor, parameters as unknown[]);
          known.add(name);
        }
        return client.query({ name, text: sqlOrCursor, values: parameters as unknown[] });
      }) as PostgresPoolClient["query"],
      release: (destroy?: boolean) => client.release(destroy),
    };
  };
  return {
    async connect() {
      const client = await pool.connect();
      let w = wrapped.get(client);
      if (!w) {
        w = wrap(client);
        wrapped.set(client, w);
      }
      return w;
    },
    end: () => pool.end(),
  };
}

const names = new Map<string, string>();

/** `k` and 24 hex digits of the text's SHA-1, remembered for the texts seen most recently. */
export function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `k${createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
    if (names.size >= 5000) names.clear();
    names.set(text, name);
  }
  return name;
}
