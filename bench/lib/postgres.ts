/** A throw-away PostgreSQL database for one bench run, created and dropped through `pg`. */
import pg from "pg";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** Admin connection (any database the user may CREATE DATABASE from); loopback only. */
export function adminUrl(): string {
  const url = process.env.BENCH_PG_URL || "postgres://postgres@127.0.0.1:5432/postgres";
  const host = new URL(url).hostname;
  if (!LOOPBACK.has(host))
    throw new Error(`BENCH_PG_URL must point at this machine (127.0.0.1), got ${host}`);
  return url;
}

export interface TempDatabase {
  name: string;
  /** DATABASE_URL for the app server. */
  url: string;
  drop(): Promise<void>;
}

export async function createTempDatabase(stamp: string): Promise<TempDatabase> {
  const admin = adminUrl();
  const stale = await dropStaleDatabases();
  if (stale.length)
    console.error(`已删除遗留的基准数据库 dropped stale bench databases: ${stale.join(", ")}`);
  const name = `kepu_bench_${stamp.replace(/[^0-9a-z]/gi, "").toLowerCase()}_${process.pid}`;
  await withClient(admin, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      // FORCE (PostgreSQL 13+) ends connections a killed server may have left behind.
      await withClient(admin, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/**
 * Drops databases left by bench runs that were killed outright (SIGKILL leaves no time to clean
 * up). Only names of this harness's form whose process is gone; a live run is never touched.
 */
export async function dropStaleDatabases(): Promise<string[]> {
  const dropped: string[] = [];
  await withClient(adminUrl(), async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname ~ '^kepu_bench_[0-9a-z]+_[0-9]+$'",
    );
    for (const { datname } of rows) {
      const pid = Number(datname.slice(datname.lastIndexOf("_") + 1));
      if (pid === process.pid || isAlive(pid)) continue;
      await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      dropped.push(datname);
    }
  });
  return dropped;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
