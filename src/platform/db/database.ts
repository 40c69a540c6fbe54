import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, type Migration, type MigrationProvider, Migrator, PostgresDialect } from "kysely";
import pg from "pg";
import type { Engine } from "../config.ts";
import { logger } from "../logger.ts";
import { foundation } from "./migrations/0001-foundation.ts";
import { applications } from "./migrations/0002-applications.ts";
import { reviewQueueIndexes } from "./migrations/0003-review-queue-indexes.ts";
import { generations } from "./migrations/0004-generations.ts";
import { recognition } from "./migrations/0005-recognition.ts";
import { activities } from "./migrations/0006-activities.ts";
import { basesDirectorySort } from "./migrations/0007-bases-directory-sort.ts";
import { basesSearch } from "./migrations/0008-bases-search.ts";
import { basesSearchDirectory } from "./migrations/0009-bases-search-directory.ts";
import { activitiesStatsCovering } from "./migrations/0010-activities-stats-covering.ts";
import { activityStatsRollups } from "./migrations/0011-activity-stats-rollups.ts";
import { generationScopes } from "./migrations/0012-generation-scopes.ts";
import { orgVerification } from "./migrations/0013-org-verification.ts";
import { twoFactor } from "./migrations/0014-two-factor.ts";
import { auditChain } from "./migrations/0015-audit-chain.ts";
import { passwordAge } from "./migrations/0016-password-age.ts";
import { emailDelivery } from "./migrations/0017-email-delivery.ts";
import { holidays } from "./migrations/0018-holidays.ts";
import { volunteers } from "./migrations/0019-volunteers.ts";
import { applicationNumbers } from "./migrations/0020-application-numbers.ts";
import { evaluation } from "./migrations/0021-evaluation.ts";
import { schoolServices } from "./migrations/0022-school-services.ts";
import { countyLevel } from "./migrations/0023-county-level.ts";
import { warningEvents } from "./migrations/0024-warning-events.ts";
import { apiTokens } from "./migrations/0026-api-tokens.ts";
import { articles } from "./migrations/0027-articles.ts";
import { keysetIndexes } from "./migrations/0030-keyset-indexes.ts";
import { catalogueOrder } from "./migrations/0032-catalogue-order.ts";
import { preparedStatementPool } from "./pg-prepared.ts";
import type { DB } from "./schema.ts";
import { KepuSqliteDialect } from "./sqlite-dialect.ts";

export type Database = Kysely<DB>;

export interface DatabaseHandle {
  db: Database;
  engine: Engine;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  engine: Engine;
  /** postgres:// URL, or a SQLite file path (":memory:" allowed). */
  url: string;
  poolSize?: number;
}

// PostgreSQL returns int8 (count(*)) as text by default; our counts fit in a JS number.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

/**
 * Where a database opened here lives, for readers that open connections of their own. Kept on the
 * instance under a registered symbol, not in a module-level map: the server opens the database with
 * this module as tsx loads it, while the routes' code reaches it through the bundled server build,
 * which has a copy of this module (and would find its own map empty).
 */
const SOURCE = Symbol.for("kepu.database.source");
type Source = { engine: Engine; url: string };

function rememberSource(db: Database, source: Source): void {
  Object.defineProperty(db, SOURCE, { value: source });
}

/** The engine and the URL or file of a database opened here; undefined for an in-memory one. */
export function databaseSourceOf(db: Database): Source | undefined {
  return (db as unknown as Record<symbol, Source | undefined>)[SOURCE];
}

/** The file behind a SQLite database opened here (undefined: in memory, or PostgreSQL). */
export function sqliteFileOf(db: Database): string | undefined {
  const s = databaseSourceOf(db);
  return s?.engine === "sqlite" ? s.url : undefined;
}

export function openDatabase(opts: DatabaseOptions): DatabaseHandle {
  if (opts.engine === "postgres") {
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10 });
    // An idle client can be cut off (the server restarts, an administrator ends it); the pool
    // drops it and connects again on demand. Unhandled, that error would end the process.
    pool.on("error", (err) => logger.warn({ err }, "PostgreSQL: an idle connection was closed"));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparedStatementPool(pool) }) });
    rememberSource(db, { engine: "postgres", url: opts.url });
    return { db, engine: "postgres", close: () => db.destroy() };
  }
  if (opts.url !== ":memory:") fs.mkdirSync(path.dirname(opts.url), { recursive: true });
  const sqlite = new SQLite(opts.url);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  // 64 MB page cache (the default is 16 MB): queue counts over tens of thousands of rows stay in memory.
  sqlite.pragma("cache_size = -65536");
  const db = new Kysely<DB>({ dialect: new KepuSqliteDialect(sqlite) });
  if (opts.url !== ":memory:") rememberSource(db, { engine: "sqlite", url: path.resolve(opts.url) });
  return { db, engine: "sqlite", close: () => db.destroy() };
}

/** The one forward-only migration set. Names sort in the order they run. */
export function migrationsFor(engine: Engine): Record<string, Migration> {
  return {
    "0001-foundation": foundation(engine),
    "0002-applications": applications(),
    "0003-review-queue-indexes": reviewQueueIndexes(),
    "0004-generations": generations(),
    "0005-recognition": recognition(),
    "0006-activities": activities(),
    "0007-bases-directory-sort": basesDirectorySort(),
    "0008-bases-search": basesSearch(engine),
    "0009-bases-search-directory": basesSearchDirectory(engine),
    "0010-activities-stats-covering": activitiesStatsCovering(),
    "0011-activity-stats-rollups": activityStatsRollups(engine),
    "0012-generation-scopes": generationScopes(),
    "0013-org-verification": orgVerification(),
    "0014-two-factor": twoFactor(),
    "0015-audit-chain": auditChain(engine),
    "0016-password-age": passwordAge(),
    "0017-email-delivery": emailDelivery(),
    "0018-holidays": holidays(),
    "0019-volunteers": volunteers(),
    "0020-application-numbers": applicationNumbers(),
    "0021-evaluation": evaluation(),
    "0022-school-services": schoolServices(),
    "0023-county-level": countyLevel(),
    "0024-warning-events": warningEvents(),
    "0026-api-tokens": apiTokens(),
    "0027-articles": articles(),
    "0030-keyset-indexes": keysetIndexes(),
    "0032-catalogue-order": catalogueOrder(),
  };
}

export async function migrateToLatest(handle: DatabaseHandle): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrationsFor(handle.engine) };
  // Branches reserve migration numbers ahead; a database that already ran a later number
  // (0016 shipped before 0013-0015) must still run the earlier ones. Each migration is
  // independent of the others' order (docs/decisions/0003).
  const migrator = new Migrator({ db: handle.db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
