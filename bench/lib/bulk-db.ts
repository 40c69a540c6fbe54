/**
 * The fastest plain way to add many rows on each engine, for the data generator only:
 * SQLite — one prepared single-row INSERT run per row inside one transaction (better-sqlite3 is
 * synchronous, so this beats multi-row statements); PostgreSQL — `INSERT … SELECT * FROM unnest($1::type[], …)`
 * with one array parameter per column, 5,000 rows a statement (about 4× faster than multi-row VALUES).
 * Opens the database the server is configured with (same environment: DATABASE_URL / KEPU_DATA_DIR).
 */
import SQLite from "better-sqlite3";
import pg from "pg";
import { loadConfig } from "../../src/platform/config.ts";
import { configuredDatabaseUrl } from "../../src/platform/db/open-configured.ts";

export type Row = Record<string, unknown>;

export interface BulkDb {
  engine: "sqlite" | "postgres";
  /** A query without parameters. */
  select<T>(sqlText: string): Promise<T[]>;
  /** Inserts rows that all have the same keys (the column names). */
  insert(table: string, rows: Row[]): Promise<void>;
  /**
   * Runs `fn` in one transaction; returns the seconds the COMMIT took. `triggers: false` turns off
   * triggers (and foreign key checks) for the transaction on PostgreSQL, where
   * `session_replication_role = replica` does it; SQLite cannot, and runs them.
   */
  transaction(fn: () => Promise<void>, opts?: { triggers?: boolean }): Promise<number>;
  /** PostgreSQL: refresh the planner statistics. */
  analyze(): Promise<void>;
  /** Closes the connection (SQLite: back to WAL mode, as the server expects). */
  close(): Promise<void>;
}

const PG_ROWS_PER_INSERT = 5000;

export async function openBulkDb(env: NodeJS.ProcessEnv): Promise<BulkDb> {
  const config = loadConfig(env);
  const url = configuredDatabaseUrl(config);
  return config.engine === "postgres" ? openPostgres(url) : openSqlite(url);
}

function openSqlite(file: string): BulkDb {
  const db = new SQLite(file);
  // The server is stopped and the database is thrown away after the run, so durability does not
  // matter here: no WAL (it would write every page twice, to the WAL and again at the checkpoint),
  // no fsync, and a page cache large enough for the indexes being filled. Foreign keys are checked.
  db.pragma("journal_mode = MEMORY");
  db.pragma("synchronous = OFF");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  db.pragma("cache_size = -262144");
  const statements = new Map<string, SQLite.Statement>();
  return {
    engine: "sqlite",
    async select<T>(sqlText: string) {
      return db.prepare(sqlText).all() as T[];
    },
    async insert(table, rows) {
      if (rows.length === 0) return;
      const cols = Object.keys(rows[0]);
      const key = `${table}(${cols.join(",")})`;
      let stmt = statements.get(key);
      if (!stmt) {
        stmt = db.prepare(
          `insert into "${table}" (${cols.map((c) => `"${c}"`).join(", ")}) values (${cols.map(() => "?").join(", ")})`,
        );
        statements.set(key, stmt);
      }
      for (const r of rows) stmt.run(cols.map((c) => r[c]));
    },
    async transaction(fn) {
      db.exec("begin");
      try {
        await fn();
      } catch (err) {
        db.exec("rollback");
        throw err;
      }
      const started = performance.now();
      db.exec("commit");
      return (performance.now() - started) / 1000;
    },
    async analyze() {
      // The app never runs ANALYZE on SQLite, so neither does the bench.
    },
    async close() {
      db.pragma("journal_mode = WAL");
      db.close();
    },
  };
}

async function openPostgres(url: string): Promise<BulkDb> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const columnTypes = new Map<string, Map<string, string>>();
  const typesOf = async (table: string) => {
    let types = columnTypes.get(table);
    if (!types) {
      const { rows } = await client.query<{ column_name: string; data_type: string }>(
        "select column_name, data_type from information_schema.columns where table_schema = current_schema() and table_name = $1",
        [table],
      );
      types = new Map(rows.map((r) => [r.column_name, r.data_type]));
      columnTypes.set(table, types);
    }
    return types;
  };
  return {
    engine: "postgres",
    async select<T>(sqlText: string) {
      return (await client.query(sqlText)).rows as T[];
    },
    async insert(table, rows) {
      if (rows.length === 0) return;
      const cols = Object.keys(rows[0]);
      const types = await typesOf(table);
      const casts = cols.map((c, i) => {
        const t = types.get(c);
        if (!t) throw new Error(`${table}.${c}: no such column`);
        return `$${i + 1}::${t}[]`;
      });
      const text = `insert into "${table}" (${cols.map((c) => `"${c}"`).join(", ")}) select * from unnest(${casts.join(", ")})`;
      for (let start = 0; start < rows.length; start += PG_ROWS_PER_INSERT) {
        const chunk = rows.slice(start, start + PG_ROWS_PER_INSERT);
        await client.query(
          text,
          cols.map((c) => chunk.map((r) => r[c])),
        );
      }
    },
    async transaction(fn, opts) {
      await client.query("begin");
      try {
        if (opts?.triggers === false) await client.query("set local session_replication_role = replica");
        await fn();
      } catch (err) {
        await client.query("rollback").catch(() => {});
        throw err;
      }
      const started = performance.now();
      await client.query("commit");
      return (performance.now() - started) / 1000;
    },
    async analyze() {
      // VACUUM too: the running totals that triggers keep (ADR 0015) leave a dead row version per
      // upsert, and the whole load is one transaction. A database that grew over years would have
      // been vacuumed all along; the PostgreSQL the bench runs on may have autovacuum off.
      await client.query("vacuum analyze");
    },
    async close() {
      await client.end();
    },
  };
}

/**
 * A connection to the database while the server runs (first-view-after-change): the server's own
 * settings (WAL stays on, busy timeout), and the one write the check makes — what the app does when
 * an org edits a base's profile, in one transaction: the row changes and the `bases` generation is
 * bumped with the base as its scope (bumpGeneration in src/platform/cache/generations.server.ts), so
 * every worker's response cache retires the directory lists and that base's page on its next request,
 * and keeps the pages of the other bases.
 */
export interface LiveDb {
  engine: "sqlite" | "postgres";
  /** A query without parameters. */
  select<T>(sqlText: string): Promise<T[]>;
  /**
   * Sets the base's open_days, updated_at and version + 1 and bumps the `bases` generation scoped to
   * the base, in one transaction.
   */
  changeBase(baseId: string, openDays: number): Promise<void>;
  close(): Promise<void>;
}

const UPDATE_BASE = "update bases set open_days = $1, updated_at = $2, version = version + 1 where id = $3";
const BUMP_BASES =
  "insert into generations (key, value) values ('bases', 1) on conflict (key) do update set value = generations.value + 1 returning value";
const SCOPE_BUMP = "insert into generation_scopes (key, value, scope) values ('bases', $1, $2)";

export async function openLiveDb(env: NodeJS.ProcessEnv): Promise<LiveDb> {
  const config = loadConfig(env);
  const url = configuredDatabaseUrl(config);
  if (config.engine === "postgres") {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return {
      engine: "postgres",
      async select<T>(sqlText: string) {
        return (await client.query(sqlText)).rows as T[];
      },
      async changeBase(baseId, openDays) {
        await client.query("begin");
        try {
          const r = await client.query(UPDATE_BASE, [openDays, new Date().toISOString(), baseId]);
          if (r.rowCount !== 1) throw new Error(`base ${baseId} not found`);
          const bumped = await client.query<{ value: string }>(BUMP_BASES);
          await client.query(SCOPE_BUMP, [bumped.rows[0].value, baseId]);
          await client.query("commit");
        } catch (err) {
          await client.query("rollback").catch(() => {});
          throw err;
        }
      },
      async close() {
        await client.end();
      },
    };
  }
  const db = new SQLite(url);
  // The database is in WAL mode (the server set it); leave that alone, wait for the lock like the server.
  db.pragma("busy_timeout = 5000");
  db.pragma("synchronous = NORMAL");
  const update = db.prepare(UPDATE_BASE.replace(/\$\d/g, "?"));
  const bump = db.prepare<[], { value: number }>(BUMP_BASES);
  const scope = db.prepare(SCOPE_BUMP.replace(/\$\d/g, "?"));
  const change = db.transaction((baseId: string, openDays: number) => {
    const r = update.run(openDays, new Date().toISOString(), baseId);
    if (r.changes !== 1) throw new Error(`base ${baseId} not found`);
    const bumped = bump.get();
    if (!bumped) throw new Error("bases generation not bumped");
    scope.run(bumped.value, baseId);
  });
  return {
    engine: "sqlite",
    async select<T>(sqlText: string) {
      return db.prepare(sqlText).all() as T[];
    },
    async changeBase(baseId, openDays) {
      change.immediate(baseId, openDays);
    },
    async close() {
      db.close();
    },
  };
}
