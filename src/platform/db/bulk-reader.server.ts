import SQLite from "better-sqlite3";
import { Kysely } from "kysely";
import type { AppContext } from "../context.ts";
import { type Database, sqliteFileOf } from "./database.ts";
import type { DB } from "./schema.ts";
import { KepuSqliteDialect } from "./sqlite-dialect.ts";

/** The bulk reader's page cache, in KiB (the server's connection keeps 64 MB). */
const BULK_CACHE_KIB = 8192;

/**
 * Runs a long read, such as an export of 200,000 rows, on a read-only SQLite connection of its own
 * with a small page cache. On the server's connection the scan would grow the process by the whole
 * 64 MB cache and push out the pages interactive requests use. PostgreSQL (and an in-memory SQLite
 * database) read through the usual connection. Writes (the audit record) stay on `ctx.db`.
 */
export async function withBulkReader<T>(ctx: AppContext, read: (db: Database) => Promise<T>): Promise<T> {
  const file = ctx.engine === "sqlite" ? sqliteFileOf(ctx.db) : undefined;
  if (!file) return read(ctx.db);
  const db = openSqliteReader(file);
  try {
    return await read(db);
  } finally {
    await db.destroy();
  }
}

/** A read-only connection to a SQLite file with the bulk reader's small page cache. */
export function openSqliteReader(file: string): Database {
  const sqlite = new SQLite(file, { readonly: true, fileMustExist: true });
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma(`cache_size = -${BULK_CACHE_KIB}`);
  return new Kysely<DB>({ dialect: new KepuSqliteDialect(sqlite) });
}
