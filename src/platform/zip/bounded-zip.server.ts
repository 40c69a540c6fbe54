import yauzl from "yauzl";
import { ZipBudget, type ZipLimits, type ZipViolation, zipViolationMessage } from "./zip-limits.rules.ts";

export { formatBytes, type ZipLimits, type ZipViolation } from "./zip-limits.rules.ts";

/** The ZIP passed one of its limits; nothing more was inflated. */
export class ZipLimitError extends Error {
  constructor(readonly violation: ZipViolation) {
    super(zipViolationMessage(violation));
    this.name = "ZipLimitError";
  }
}

/** Not a ZIP, or a damaged one. */
export class ZipFormatError extends Error {
  constructor(cause: unknown) {
    super(`无法读取压缩文件：${(cause as Error)?.message ?? String(cause)}`);
    this.name = "ZipFormatError";
  }
}

/**
 * Every ZIP the platform reads goes through here. Walks the central directory with yauzl and
 * inflates each entry as a stream, counting the bytes as they come out and stopping at the first
 * limit passed, so a bomb costs at most the limits in time and no more than one chunk in memory.
 * Entries for which `keep` says yes are returned whole (they are within the limits); the others
 * are inflated only to be counted.
 */
export async function readZipBounded(
  zip: Buffer,
  limits: ZipLimits,
  keep: (name: string) => boolean = () => false,
): Promise<Map<string, Buffer>> {
  let file: yauzl.ZipFile;
  try {
    file = await yauzl.fromBufferPromise(zip, {
      lazyEntries: true,
      validateEntrySizes: true,
      strictFileNames: false,
      decodeStrings: true,
    });
  } catch (e) {
    throw new ZipFormatError(e);
  }
  const budget = new ZipBudget(limits);
  const kept = new Map<string, Buffer>();
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (e: unknown) => {
        if (failed) return;
        failed = true;
        reject(e);
      };
      file.on("error", (e) => fail(e instanceof ZipLimitError ? e : new ZipFormatError(e)));
      file.on("end", () => resolve());
      file.on("entry", (entry: yauzl.Entry) => {
        const over = budget.startEntry(entry.fileName, entry.uncompressedSize);
        if (over) return fail(new ZipLimitError(over));
        if (entry.fileName.endsWith("/")) return file.readEntry();
        file.openReadStream(entry, (err, stream) => {
          if (err) return fail(new ZipFormatError(err));
          const chunks: Buffer[] | null = keep(entry.fileName) ? [] : null;
          stream.on("data", (chunk: Buffer) => {
            const v = budget.addBytes(chunk.length);
            if (v) {
              stream.destroy();
              fail(new ZipLimitError(v));
              return;
            }
            chunks?.push(chunk);
          });
          stream.on("error", (e) => fail(new ZipFormatError(e)));
          stream.on("end", () => {
            if (chunks) kept.set(entry.fileName, Buffer.concat(chunks));
            if (!failed) file.readEntry();
          });
        });
      });
      file.readEntry();
    });
  } finally {
    file.close();
  }
  return kept;
}
