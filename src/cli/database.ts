import { systemClock } from "#src/platform/clock.ts";
import { type Config, loadConfig } from "#src/platform/config.ts";
import type { AppContext } from "#src/platform/context.ts";
import { migrateToLatest } from "#src/platform/db/database.ts";
import { describeConfiguredDatabase, openConfiguredDatabase } from "#src/platform/db/open-configured.ts";
import { CliFailure } from "./errors.ts";

export interface CliDatabase {
  ctx: AppContext;
  /** Where the database is, for messages (no password). */
  where: string;
  /** Migrations this run applied, in order. */
  applied: string[];
}

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "ECONNRESET",
  "28P01", // invalid_password
  "28000", // invalid_authorization_specification
  "3D000", // invalid_catalog_name: the database does not exist
]);

export function loadCliConfig(env: NodeJS.ProcessEnv): Config {
  try {
    return loadConfig(env);
  } catch (e) {
    throw new CliFailure(`配置错误：${(e as Error).message}`);
  }
}

/**
 * Opens the database as the server does, brings it to the latest migration, runs `fn`
 * and always closes the handle.
 */
export async function withDatabase<T>(config: Config, fn: (db: CliDatabase) => Promise<T>): Promise<T> {
  const where = describeConfiguredDatabase(config);
  let handle: ReturnType<typeof openConfiguredDatabase>;
  try {
    handle = openConfiguredDatabase(config, { poolSize: 2 });
  } catch (e) {
    throw new CliFailure(`无法打开数据库（${where}）：${(e as Error).message}`);
  }
  try {
    let applied: string[];
    try {
      applied = await migrateToLatest(handle);
    } catch (e) {
      const err = e as { code?: string; message?: string };
      const what = err.code && CONNECTION_CODES.has(err.code) ? "无法连接数据库" : "数据库迁移失败";
      throw new CliFailure(`${what}（${where}）：${err.message || err.code || String(e)}`);
    }
    const ctx: AppContext = { db: handle.db, engine: handle.engine, clock: systemClock, config };
    return await fn({ ctx, where, applied });
  } finally {
    await handle.close().catch(() => {});
  }
}
