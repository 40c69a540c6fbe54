import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import SQLite from "better-sqlite3";
import pg from "pg";
import type { Engine } from "../config.ts";

/**
 * Backup and restore of one installation: the database (SQLite through its online backup API,
 * PostgreSQL through pg_dump in custom format from an exported snapshot) and every stored file,
 * with `manifest.json` listing the SHA-256 of each file and the rows of each table. Taken while
 * the server runs; restored with the server stopped.
 */

export const MANIFEST = "manifest.json";
const FORMAT = "kepu-backup-v1";

export interface BackupTarget {
  engine: Engine;
  /** SQLite file path, or postgres:// URL. */
  url: string;
  /** The storage root (`<KEPU_DATA_DIR>/files`). */
  storageRoot: string;
  /** Where pg_dump and pg_restore are; on the PATH when not given. */
  pgBinDir?: string;
}

export interface ManifestFile {
  /** Relative to the backup directory, with forward slashes. */
  path: string;
  size: number;
  sha256: string;
}

export interface BackupManifest {
  format: typeof FORMAT;
  createdAt: string;
  engine: Engine;
  database: ManifestFile;
  /** Rows per table in the snapshot. */
  tables: Record<string, number>;
  /** Stored files, under `files/`. */
  files: ManifestFile[];
}

/** A backup or restore that cannot go ahead; the message says why and what to do. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupError";
  }
}

/** Leftovers of interrupted writes: never part of a backup (see storage's tempNameFor, uploads). */
export const isTempName = (name: string) => /\.(tmp|part)$/.test(name);

async function sha256Of(file: string): Promise<{ sha256: string; size: number }> {
  const h = createHash("sha256");
  let size = 0;
  for await (const chunk of fs.createReadStream(file)) {
    h.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: h.digest("hex"), size };
}

/** Every regular file under `root`, as relative posix paths, temp files left out. */
async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
      throw e;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path.join(dir, e.name), r);
      else if (e.isFile() && !isTempName(e.name)) out.push(r);
    }
  };
  await walk(root, "");
  return out.sort();
}

/** Copies `from` to `to` (a new file), returning the SHA-256 of the bytes copied. */
async function copyHashed(from: string, to: string): Promise<{ sha256: string; size: number }> {
  await fsp.mkdir(path.dirname(to), { recursive: true });
  const h = createHash("sha256");
  let size = 0;
  await pipeline(
    fs.createReadStream(from),
    async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        h.update(chunk);
        size += chunk.length;
        yield chunk;
      }
    },
    fs.createWriteStream(to, { flags: "wx", mode: 0o600 }),
  );
  return { sha256: h.digest("hex"), size };
}

function sqliteTableCounts(file: string): Record<string, number> {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const names = db
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name",
      )
      .all() as { name: string }[];
    const counts: Record<string, number> = {};
    for (const { name } of names)
      counts[name] = (
        db.prepare(`select count(*) as n from "${name.replace(/"/g, '""')}"`).get() as { n: number }
      ).n;
    return counts;
  } finally {
    db.close();
  }
}

async function pgTableCounts(client: pg.ClientBase): Promise<Record<string, number>> {
  const { rows } = await client.query<{ name: string }>(
    "select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name",
  );
  const counts: Record<string, number> = {};
  for (const { name } of rows) {
    const r = await client.query<{ n: string }>(
      `select count(*) as n from public."${name.replace(/"/g, '""')}"`,
    );
    counts[name] = Number(r.rows[0].n);
  }
  return counts;
}

/**
 * The tool's environment: the password goes in PGPASSWORD rather than on the command line, where
 * any user of the machine could read it from the process list.
 */
function pgEnv(url: string): NodeJS.ProcessEnv {
  const env = { ...process.env };
  try {
    const u = new URL(url);
    if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  } catch {
    // not a URL: passed as it is
  }
  return env;
}

/** The connection string without its password (see pgEnv). */
function withoutPassword(url: string): string {
  try {
    const u = new URL(url);
    u.password = "";
    return u.toString();
  } catch {
    return url;
  }
}

/** Runs a PostgreSQL client tool, turning "not installed" into a message that says so. */
function runPgTool(target: BackupTarget, tool: "pg_dump" | "pg_restore", args: string[]): Promise<void> {
  const bin = target.pgBinDir ? path.join(target.pgBinDir, tool) : tool;
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"], env: pgEnv(target.url) });
    let stderr = "";
    child.stderr.on("data", (d) => {
      if (stderr.length < 8000) stderr += String(d);
    });
    child.on("error", (e) => {
      if ((e as NodeJS.ErrnoException).code === "ENOENT")
        reject(
          new BackupError(
            `未找到 ${tool}（PostgreSQL 客户端工具），无法备份或恢复 PostgreSQL 数据库。请安装与服务器版本相同或更新的客户端（如 apt install postgresql-client），或用 KEPU_PG_BIN 指定其所在目录。` +
              ` / ${tool} was not found: install the PostgreSQL client tools (e.g. apt install postgresql-client) or set KEPU_PG_BIN to their directory.`,
          ),
        );
      else reject(e);
    });
    child.on("close", (code) => {
      if (code === 0) resolve();
      else reject(new BackupError(`${tool} 失败（退出码 ${code}）：${stderr.trim().slice(0, 2000)}`));
    });
  });
}

/**
 * Writes a consistent snapshot into `outDir` (which must not exist or be empty). The database is
 * copied first; files are copied after it, so every file the snapshot refers to is there (stored
 * files are written once under new keys, never changed in place).
 */
export async function createBackup(
  target: BackupTarget,
  outDir: string,
  now: Date = new Date(),
): Promise<BackupManifest> {
  await fsp.mkdir(outDir, { recursive: true });
  if ((await fsp.readdir(outDir)).length > 0) throw new BackupError(`备份目录不是空的：${outDir}`);
  let database: ManifestFile;
  let tables: Record<string, number>;
  if (target.engine === "sqlite") {
    const file = path.join(outDir, "database.sqlite");
    const src = new SQLite(target.url, { fileMustExist: true });
    try {
      // The online backup API, all pages in one step: that step reads one WAL snapshot while
      // the server's processes keep writing. Copied in small steps instead, each write by another
      // connection would restart the copy, and a busy server would never let it finish.
      await src.backup(file, { progress: () => 2 ** 30 });
    } finally {
      src.close();
    }
    tables = sqliteTableCounts(file);
    database = { path: "database.sqlite", ...(await sha256Of(file)) };
  } else {
    const file = path.join(outDir, "database.dump");
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    try {
      // pg_dump reads the snapshot this transaction exported, so the counts are of the same moment.
      await client.query("begin isolation level repeatable read read only");
      const snap = (await client.query<{ id: string }>("select pg_export_snapshot() as id")).rows[0].id;
      const dumped = runPgTool(target, "pg_dump", [
        "--format=custom",
        `--snapshot=${snap}`,
        "--no-owner",
        "--no-privileges",
        `--file=${file}`,
        `--dbname=${withoutPassword(target.url)}`,
      ]);
      // Awaited below; meanwhile a failure to start must not count as unhandled.
      dumped.catch(() => {});
      tables = await pgTableCounts(client);
      await dumped;
      await client.query("commit");
    } finally {
      await client.end().catch(() => {});
    }
    database = { path: "database.dump", ...(await sha256Of(file)) };
  }

  const files: ManifestFile[] = [];
  for (const rel of await listFiles(target.storageRoot)) {
    const copied = await copyHashed(
      path.join(target.storageRoot, ...rel.split("/")),
      path.join(outDir, "files", ...rel.split("/")),
    );
    files.push({ path: `files/${rel}`, ...copied });
  }
  const manifest: BackupManifest = {
    format: FORMAT,
    createdAt: now.toISOString(),
    engine: target.engine,
    database,
    tables,
    files,
  };
  // Written last: a directory without it is an unfinished backup.
  await fsp.writeFile(path.join(outDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  return manifest;
}

export async function readManifest(dir: string): Promise<BackupManifest> {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await fsp.readFile(path.join(dir, MANIFEST), "utf8"));
  } catch (e) {
    throw new BackupError(
      `无法读取 ${path.join(dir, MANIFEST)}：${(e as Error).message}。该目录不是完整的备份。`,
    );
  }
  if (manifest.format !== FORMAT) throw new BackupError(`不认识的备份格式：${String(manifest.format)}`);
  return manifest;
}

/** Every file of the backup against the manifest: the names of those missing or changed. */
export async function verifyBackup(dir: string, manifest: BackupManifest): Promise<string[]> {
  const bad: string[] = [];
  for (const f of [manifest.database, ...manifest.files]) {
    const inPlace = f === manifest.database ? !f.path.includes("/") : f.path.startsWith("files/");
    if (
      !inPlace ||
      f.path.split("/").some((p) => p === ".." || p === "." || p === "") ||
      path.isAbsolute(f.path)
    ) {
      bad.push(`${f.path}（路径无效）`);
      continue;
    }
    try {
      const got = await sha256Of(path.join(dir, ...f.path.split("/")));
      if (got.sha256 !== f.sha256 || got.size !== f.size) bad.push(`${f.path}（内容与清单不符）`);
    } catch {
      bad.push(`${f.path}（缺失）`);
    }
  }
  return bad;
}

/** What a target already holds: empty, or a description of what is there. */
async function targetContents(target: BackupTarget): Promise<string[]> {
  const found: string[] = [];
  if (target.engine === "sqlite") {
    if (fs.existsSync(target.url) && fs.statSync(target.url).size > 0) {
      const n = Object.keys(sqliteTableCounts(target.url)).length;
      if (n > 0) found.push(`数据库 ${target.url} 已有 ${n} 张表`);
    }
  } else {
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(
        "select count(*) as n from information_schema.tables where table_schema = 'public'",
      );
      if (Number(rows[0].n) > 0) found.push(`PostgreSQL 数据库已有 ${rows[0].n} 张表`);
    } finally {
      await client.end().catch(() => {});
    }
  }
  const files = await listFiles(target.storageRoot);
  if (files.length) found.push(`文件目录 ${target.storageRoot} 已有 ${files.length} 个文件`);
  return found;
}

export interface RestoreReport {
  tables: Record<string, number>;
  files: number;
}

/**
 * Restores `fromDir` into the target. Every hash is checked before anything is touched; a target
 * that holds data is refused unless `force`, which replaces it. Afterwards the rows of each table
 * are counted and compared with the manifest.
 */
export async function restoreBackup(
  target: BackupTarget,
  fromDir: string,
  opts: { force: boolean },
): Promise<RestoreReport> {
  const manifest = await readManifest(fromDir);
  if (manifest.engine !== target.engine)
    throw new BackupError(`该备份来自 ${manifest.engine} 数据库，不能恢复到 ${target.engine} 数据库`);
  const bad = await verifyBackup(fromDir, manifest);
  if (bad.length)
    throw new BackupError(
      `备份已损坏，未做任何改动。${bad.length} 个文件有问题：${bad.slice(0, 10).join("；")}${bad.length > 10 ? "……" : ""}`,
    );
  const present = await targetContents(target);
  if (present.length && !opts.force)
    throw new BackupError(`目标不是空的（${present.join("；")}）。确认要覆盖时请加 --force。`);

  const dump = path.join(fromDir, ...manifest.database.path.split("/"));
  if (target.engine === "sqlite") {
    await fsp.mkdir(path.dirname(target.url), { recursive: true });
    const temp = `${target.url}.restore.tmp`;
    await fsp.rm(temp, { force: true });
    await fsp.copyFile(dump, temp);
    // The old file's journal would be replayed over the restored one.
    for (const ext of ["-wal", "-shm", "-journal"]) await fsp.rm(`${target.url}${ext}`, { force: true });
    await fsp.rename(temp, target.url);
  } else {
    if (present.length) {
      const client = new pg.Client({ connectionString: target.url });
      await client.connect();
      try {
        await client.query("drop schema public cascade");
        await client.query("create schema public");
      } finally {
        await client.end().catch(() => {});
      }
    }
    await runPgTool(target, "pg_restore", [
      "--no-owner",
      "--no-privileges",
      "--single-transaction",
      "--exit-on-error",
      `--dbname=${withoutPassword(target.url)}`,
      dump,
    ]);
  }

  await fsp.rm(target.storageRoot, { recursive: true, force: true });
  for (const f of manifest.files) {
    const rel = f.path.replace(/^files\//, "");
    await copyHashed(
      path.join(fromDir, ...f.path.split("/")),
      path.join(target.storageRoot, ...rel.split("/")),
    );
  }

  let tables: Record<string, number>;
  if (target.engine === "sqlite") tables = sqliteTableCounts(target.url);
  else {
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    try {
      tables = await pgTableCounts(client);
    } finally {
      await client.end().catch(() => {});
    }
  }
  const differ = Object.keys(manifest.tables).filter((t) => tables[t] !== manifest.tables[t]);
  if (differ.length)
    throw new BackupError(
      `恢复后的行数与备份清单不符：${differ.map((t) => `${t} ${tables[t] ?? "缺失"}/${manifest.tables[t]}`).join("，")}`,
    );
  return { tables, files: manifest.files.length };
}
