import fsp from "node:fs/promises";
import path from "node:path";

/** A temp file younger than this may belong to a write still going on in another worker. */
export const STALE_TEMP_AGE_MS = 60 * 60_000;

/**
 * Removes the `.tmp` and `.part` files a crash left under `root` (storage writes, uploads being
 * received, archives being written), only those last modified more than `olderThanMs` ago, so a
 * write in progress elsewhere is left alone. Returns the paths removed.
 */
export async function sweepStaleTempFiles(
  root: string,
  opts: { now?: Date; olderThanMs?: number } = {},
): Promise<string[]> {
  const cutoff = (opts.now ?? new Date()).getTime() - (opts.olderThanMs ?? STALE_TEMP_AGE_MS);
  const removed: string[] = [];
  const walk = async (dir: string) => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch {
      return; // not there (yet), or gone meanwhile
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && /\.(tmp|part)$/.test(e.name)) {
        const s = await fsp.stat(p).catch(() => null);
        if (s && s.mtimeMs < cutoff) {
          await fsp.rm(p, { force: true });
          removed.push(p);
        }
      }
    }
  };
  await walk(root);
  return removed;
}
