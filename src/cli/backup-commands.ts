/** `backup` and `restore`; loaded only when one of them runs. They never migrate the database. */
import path from "node:path";
import {
  BackupError,
  type BackupTarget,
  createBackup,
  restoreBackup,
} from "#src/platform/backup/backup.server.ts";
import { configuredDatabaseUrl, describeConfiguredDatabase } from "#src/platform/db/open-configured.ts";
import { openStorage } from "#src/platform/storage/index.ts";
import type { LocalDiskStorage } from "#src/platform/storage/local-disk.ts";
import type { CliIo } from "./cli.ts";
import { loadCliConfig } from "./database.ts";
import { CliFailure } from "./errors.ts";

function targetOf(io: CliIo): { target: BackupTarget; where: string } {
  const config = loadCliConfig(io.env);
  const storage = openStorage(config) as LocalDiskStorage;
  return {
    target: {
      engine: config.engine,
      url:
        config.engine === "sqlite"
          ? path.resolve(configuredDatabaseUrl(config))
          : configuredDatabaseUrl(config),
      storageRoot: storage.root,
      pgBinDir: io.env.KEPU_PG_BIN || undefined,
    },
    where: describeConfiguredDatabase(config),
  };
}

async function asCliFailure<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof BackupError) throw new CliFailure(e.message);
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ECONNREFUSED" || err.code === "3D000")
      throw new CliFailure(`无法连接数据库：${err.message}`);
    throw e;
  }
}

const totalRows = (tables: Record<string, number>) => Object.values(tables).reduce((a, b) => a + b, 0);

export async function runBackup(io: CliIo, opts: { out: string }): Promise<void> {
  const { target, where } = targetOf(io);
  const out = path.resolve(opts.out);
  const m = await asCliFailure(() => createBackup(target, out));
  const size = m.files.reduce((a, f) => a + f.size, 0);
  io.out(
    [
      `已备份（数据库：${where}）到 ${out}：`,
      `  数据库：${m.database.path}，${Object.keys(m.tables).length} 张表，共 ${totalRows(m.tables)} 行`,
      `  文件：${m.files.length} 个，${(size / 1024 / 1024).toFixed(1)} MB`,
      `  清单：${path.join(out, "manifest.json")}（每个文件的 SHA-256 和每张表的行数）`,
      "请把该目录复制到另一台机器或异地存储（见 README“备份与恢复”）。",
    ].join("\n"),
  );
}

export async function runRestore(io: CliIo, opts: { from: string; force: boolean }): Promise<void> {
  const { target, where } = targetOf(io);
  const from = path.resolve(opts.from);
  const r = await asCliFailure(() => restoreBackup(target, from, { force: opts.force }));
  const width = Math.max(...Object.keys(r.tables).map((t) => t.length)) + 2;
  io.out(
    [
      `已从 ${from} 恢复（数据库：${where}）：`,
      `  ${Object.keys(r.tables).length} 张表，共 ${totalRows(r.tables)} 行，与备份清单一致：`,
      ...Object.entries(r.tables).map(([t, n]) => `    ${t.padEnd(width)}${n}`),
      `  文件：${r.files} 个，哈希均已核验`,
    ].join("\n"),
  );
}
