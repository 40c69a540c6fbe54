import path from "node:path";
import type { Config } from "../config.ts";
import { type DatabaseHandle, openDatabase } from "./database.ts";

/**
 * Where the configured database lives: the postgres:// URL, or the SQLite file path
 * (DATABASE_URL=file:… if given, else `<KEPU_DATA_DIR>/kepu.sqlite`).
 */
export function configuredDatabaseUrl(config: Config): string {
  if (config.engine === "postgres") return config.databaseUrl!;
  return config.databaseUrl?.replace(/^file:/, "") ?? path.join(config.dataDir, "kepu.sqlite");
}

/** The database location for messages: the SQLite path, or the PostgreSQL URL without its password. */
export function describeConfiguredDatabase(config: Config): string {
  const url = configuredDatabaseUrl(config);
  if (config.engine !== "postgres") return `SQLite ${path.resolve(url)}`;
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return `PostgreSQL ${u.toString()}`;
  } catch {
    return "PostgreSQL";
  }
}

/** Opens the database the way the server does. The caller closes the handle. */
export function openConfiguredDatabase(config: Config, opts: { poolSize?: number } = {}): DatabaseHandle {
  return openDatabase({ engine: config.engine, url: configuredDatabaseUrl(config), poolSize: opts.poolSize });
}
