import { createHash } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { type Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  assertValidKey,
  type ObjectStat,
  type Storage,
  StorageNotFoundError,
  type StoredObject,
  tempNameFor,
} from "./storage.ts";

/**
 * Files under one root directory. `put` writes a temporary file in the target directory, fsyncs it,
 * renames it over the final name (atomic on one file system) and fsyncs the directory, so a crash
 * leaves either the whole object or none of it (plus, at worst, a stray `.…tmp` file).
 */
export class LocalDiskStorage implements Storage {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  private pathOf(key: string): string {
    assertValidKey(key);
    const p = path.resolve(this.root, ...key.split("/"));
    if (!p.startsWith(this.root + path.sep)) throw new Error(`storage key escapes the root: ${key}`);
    return p;
  }

  async put(key: string, body: Readable): Promise<StoredObject> {
    const finalPath = this.pathOf(key);
    const dir = path.dirname(finalPath);
    await fsp.mkdir(dir, { recursive: true });
    const tempPath = path.join(dir, tempNameFor(path.basename(finalPath)));
    const hash = createHash("sha256");
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, meter, fs.createWriteStream(tempPath, { flags: "wx", mode: 0o640 }));
      await syncFile(tempPath);
      await fsp.rename(tempPath, finalPath);
    } catch (err) {
      await fsp.rm(tempPath, { force: true });
      throw err;
    }
    await syncDir(dir);
    return { size, sha256: hash.digest("hex") };
  }

  async get(key: string): Promise<Readable> {
    const p = this.pathOf(key);
    try {
      const handle = await fsp.open(p, "r");
      return handle.createReadStream();
    } catch (err) {
      if (isNotFound(err)) throw new StorageNotFoundError(key);
      throw err;
    }
  }

  async stat(key: string): Promise<ObjectStat | null> {
    try {
      const s = await fsp.stat(this.pathOf(key));
      return s.isFile() ? { size: s.size } : null;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await fsp.rm(this.pathOf(key), { force: true });
  }
}

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === "ENOENT";
}

/** Flushes a written file to disk (fsync applies to the file, whichever descriptor asks). */
async function syncFile(file: string): Promise<void> {
  const handle = await fsp.open(file, "r+");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a rename durable. Some file systems refuse to fsync a directory; that is not an error. */
async function syncDir(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, "r");
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close();
  }
}
