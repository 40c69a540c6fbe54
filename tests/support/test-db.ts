import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Migrator } from "kysely";
import pg from "pg";
import { inject } from "vitest";
import { type Clock, systemClock } from "#src/platform/clock.ts";
import { type Config, loadConfig } from "#src/platform/config.ts";
import type { AppContext } from "#src/platform/context.ts";
import {
  type DatabaseHandle,
  migrateToLatest,
  migrationsFor,
  openDatabase,
} from "#src/platform/db/database.ts";

/** The engine under test: KEPU_TEST_ENGINE=sqlite (default) or postgres. */
export const testEngine = (process.env.KEPU_TEST_ENGINE ?? "sqlite") as "sqlite" | "postgres";
const adminUrl = process.env.KEPU_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestContext {
  ctx: AppContext;
  handle: DatabaseHandle;
  config: Config;
  close(): Promise<void>;
}

/**
 * A fresh, migrated database of its own for each caller: a temporary SQLite file,
 * or a new PostgreSQL database that is dropped again on close.
 */
export async function createTestContext(
  opts: {
    clock?: Clock /** Stop after this migration (a migration's own test). */;
    migratedTo?: string;
  } = {},
): Promise<TestContext> {
  const name = `kepu_t_${process.pid}_${randomBytes(4).toString("hex")}`;
  // The run's migrated template (template-db.global.ts), unless the test stops at an earlier migration.
  const template = opts.migratedTo ? undefined : inject("kepuTemplate");
  let handle: DatabaseHandle;
  let drop: () => Promise<void> = async () => {};
  if (testEngine === "postgres") {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(template ? `create database ${name} template ${template}` : `create database ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    handle = openDatabase({ engine: "postgres", url: url.toString(), poolSize: 4 });
    drop = async () => {
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    };
  } else {
    const file = path.join(os.tmpdir(), `${name}.sqlite`);
    if (template) fs.copyFileSync(template, file);
    handle = openDatabase({ engine: "sqlite", url: file });
  }
  if (opts.migratedTo) {
    const provider = { getMigrations: async () => migrationsFor(handle.engine) };
    const { error } = await new Migrator({ db: handle.db, provider }).migrateTo(opts.migratedTo);
    if (error) throw error;
  } else if (!template) await migrateToLatest(handle);
  const config = { ...loadConfig({}), engine: handle.engine };
  const ctx: AppContext = { db: handle.db, engine: handle.engine, clock: opts.clock ?? systemClock, config };
  return {
    ctx,
    handle,
    config,
    async close() {
      await handle.close();
      await drop();
    },
  };
}
