import type SQLite from "better-sqlite3";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from "kysely";

/**
 * Kysely's SQLite dialect with two changes:
 * - transactions start with BEGIN IMMEDIATE: the write lock is taken (waiting up to
 *   busy_timeout) before the first read, so when several server processes share the file a
 *   transaction never fails half-way trying to upgrade a read lock that another one outran;
 * - prepared statements are reused by SQL text, as compiling them is a measurable part of a page.
 */
export class KepuSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(database: SQLite.Database) {
    const config = { database: cachingStatements(database) };
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

const MAX_STATEMENTS = 1000;

function cachingStatements(db: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      statements.clear();
      db.close();
    },
    prepare: (sql: string) => {
      let stmt = statements.get(sql);
      if (!stmt) {
        stmt = db.prepare(sql);
        // Bounded: queries with IN lists of varying length produce many distinct texts.
        if (statements.size >= MAX_STATEMENTS) statements.delete(statements.keys().next().value!);
        statements.set(sql, stmt);
      }
      return stmt as unknown as ReturnType<SqliteDatabase["prepare"]>;
    },
  };
}
