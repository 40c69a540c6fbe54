import { once } from "node:events";
import { PassThrough, type Writable } from "node:stream";
import { finished } from "node:stream/promises";
import yazl from "yazl";
import { beijingWallClock } from "../zip/zip-time.ts";

/**
 * Generated ZIP files (the XLSX package) through yazl, the library the attachment ZIPs use too
 * (ADR 0016). Each entry is a stream that yazl deflates straight to `out` (sizes and CRC in a data
 * descriptor after the data, ZIP64 where needed), so nothing is held back; `out`'s backpressure
 * reaches the caller's `write` through yazl's pipes.
 */

const CLOSED = "the download was closed before it finished";

/** Resolves once `stream` wants more (at once if it does now); rejects if it closes first. */
export function drained(stream: Writable): Promise<void> {
  if (!stream.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const settle = (err?: Error) => {
      stream.off("drain", onDrain);
      stream.off("close", onClose);
      stream.off("error", settle);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => settle();
    const onClose = () => settle(new Error(CLOSED));
    stream.on("drain", onDrain);
    stream.on("close", onClose);
    stream.on("error", settle);
  });
}

export interface ZipEntry {
  /** Adds bytes to the entry; resolves when more may be written. */
  write(data: string | Buffer): Promise<void>;
  /** Ends the entry once yazl has taken all of its data. */
  close(): Promise<void>;
}

export class ZipWriter {
  private readonly zip = new yazl.ZipFile();
  /** The parts' stamp: the Beijing wall clock, written as the DOS timestamp only (zip-time.ts). */
  private readonly mtime = beijingWallClock(new Date());
  private current: PassThrough | null = null;
  private failure: Error | null = null;
  /** Rejects with the first failure: `out` closed early, or yazl failed. */
  private readonly failed: Promise<never>;
  private fail: (err: Error) => void = () => {};

  constructor(out: Writable) {
    this.failed = new Promise<never>((_, reject) => {
      this.fail = (err) => {
        if (this.failure) return;
        this.failure = err;
        this.current?.destroy(err);
        this.zip.outputStream.unpipe(out);
        reject(err);
      };
    });
    // Nobody may be waiting on it when the failure comes; the next call reports it.
    this.failed.catch(() => {});
    this.zip.on("error", (err: Error) => this.fail(err));
    this.zip.outputStream.on("error", (err: Error) => this.fail(err));
    const gone = () => {
      if (!out.writableFinished) this.fail(new Error(CLOSED));
    };
    out.on("close", gone);
    out.on("error", gone);
    if (out.destroyed) gone();
    this.zip.outputStream.pipe(out, { end: false });
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  /** Starts an entry; one at a time. */
  async entry(name: string): Promise<ZipEntry> {
    this.check();
    if (this.current) throw new Error("zip: the previous entry is still open");
    const body = new PassThrough();
    // destroy(err) on a failure emits "error" here; the failure itself is reported through `failed`.
    body.on("error", () => {});
    this.current = body;
    this.zip.addReadStream(body, name, { mtime: this.mtime, forceDosTimestamp: true });
    return {
      write: async (data) => {
        this.check();
        if (!body.write(data)) await Promise.race([drained(body), this.failed]);
        this.check();
      },
      close: async () => {
        this.check();
        body.end();
        await Promise.race([finished(body), this.failed]);
        this.current = null;
      },
    };
  }

  /** A whole small entry at once. */
  async file(name: string, content: string | Buffer): Promise<void> {
    this.check();
    if (this.current) throw new Error("zip: an entry is still open");
    this.zip.addBuffer(typeof content === "string" ? Buffer.from(content, "utf8") : content, name, {
      mtime: this.mtime,
      forceDosTimestamp: true,
    });
  }

  /** Writes the central directory and resolves once every byte has reached `out`. Does not end `out`. */
  async finish(): Promise<void> {
    this.check();
    if (this.current) throw new Error("zip: an entry is still open");
    const ended = once(this.zip.outputStream, "end");
    this.zip.end();
    await Promise.race([ended, this.failed]);
    this.check();
  }
}
