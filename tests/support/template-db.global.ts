import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrateToLatest, openDatabase } from "#src/platform/db/database.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated database each test context copies instead of migrating anew: a SQLite file, or a PostgreSQL database name. */
    kepuTemplate: string;
  }
}

/**
 * Migrates one template database per run, which every `createTestContext` copies (a file copy on
 * SQLite, `create database … template` on PostgreSQL): migrating afresh cost about 2.5 s per test
 * file on PostgreSQL.
 */
export default async function setup(project: TestProject) {
  const engine = process.env.KEPU_TEST_ENGINE ?? "sqlite";
  const name = `kepu_tpl_${process.pid}_${randomBytes(4).toString("hex")}`;
  if (engine === "postgres") {
    const adminUrl = process.env.KEPU_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
    const admin = async (query: string) => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(query);
      } finally {
        await c.end();
      }
    };
    await admin(`create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const handle = openDatabase({ engine: "postgres", url: url.toString(), poolSize: 2 });
    await migrateToLatest(handle);
    await handle.close();
    project.provide("kepuTemplate", name);
    return async () => admin(`drop database if exists ${name} with (force)`);
  }
  const file = path.join(os.tmpdir(), `${name}.sqlite`);
  const handle = openDatabase({ engine: "sqlite", url: file });
  await migrateToLatest(handle);
  // Closing checkpoints the write-ahead log into the file, so the file alone is the database.
  await handle.close();
  project.provide("kepuTemplate", file);
  return () => fs.rmSync(file, { force: true });
}
