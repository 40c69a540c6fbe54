import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import zlib from "node:zlib";
import { beijingWallClock } from "../zip/zip-time.ts";

/**
 * A streaming ZIP writer for generated files: each entry is deflated straight to `out` (sizes and
 * CRC in a data descriptor after the data, so nothing is held back), with backpressure from `out`
 * all the way to the caller's `write`. Enough of the format for XLSX: no ZIP64, so each entry and
 * the whole archive stay under 4 GB.
 */

const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;
/** Bit 3: sizes and CRC follow the data; bit 11: names are UTF-8. */
const FLAGS = 0x0808;
const DEFLATE = 8;
const VERSION = 20;
const MAX_32 = 0xffffffff;

interface EntryRecord {
  name: Buffer;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

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
    const onClose = () => settle(new Error("the download was closed before it finished"));
    stream.on("drain", onDrain);
    stream.on("close", onClose);
    stream.on("error", settle);
  });
}

/** MS-DOS date and time, as ZIP stores them: the Beijing wall clock. */
function dosDateTime(instant: Date): { date: number; time: number } {
  const d = beijingWallClock(instant);
  return {
    date: ((d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
  };
}

export interface ZipEntry {
  /** Adds bytes to the entry; resolves when more may be written. */
  write(data: string | Buffer): Promise<void>;
  /** Ends the entry once its data has reached `out`. */
  close(): Promise<void>;
}

export class ZipWriter {
  private offset = 0;
  private readonly entries: EntryRecord[] = [];
  private open = false;
  private readonly stamp = dosDateTime(new Date());

  constructor(private readonly out: Writable) {}

  private async emit(chunk: Buffer): Promise<void> {
    if (this.out.destroyed || this.out.writableEnded)
      throw new Error("the download was closed before it finished");
    this.offset += chunk.length;
    if (this.offset > MAX_32) throw new Error("zip: more than 4 GB; ZIP64 is not supported");
    if (!this.out.write(chunk)) await drained(this.out);
  }

  /** Starts an entry; one at a time. */
  async entry(name: string): Promise<ZipEntry> {
    if (this.open) throw new Error("zip: the previous entry is still open");
    this.open = true;
    const record: EntryRecord = {
      name: Buffer.from(name, "utf8"),
      crc: 0,
      compressed: 0,
      size: 0,
      offset: this.offset,
    };
    const header = Buffer.alloc(30);
    header.writeUInt32LE(LOCAL_HEADER, 0);
    header.writeUInt16LE(VERSION, 4);
    header.writeUInt16LE(FLAGS, 6);
    header.writeUInt16LE(DEFLATE, 8);
    header.writeUInt16LE(this.stamp.time, 10);
    header.writeUInt16LE(this.stamp.date, 12);
    // CRC and sizes (14–25) stay zero: they follow in the data descriptor.
    header.writeUInt16LE(record.name.length, 26);
    await this.emit(Buffer.concat([header, record.name]));

    const deflate = zlib.createDeflateRaw({ level: 6 });
    let failure: Error | null = null;
    const fail = (err: Error) => {
      failure ??= err;
    };
    // Compressed bytes go to `out` in order; while `out` is full the deflater waits, and so, through
    // its own buffer filling up, does the caller.
    let sending = Promise.resolve();
    deflate.on("data", (chunk: Buffer) => {
      record.compressed += chunk.length;
      deflate.pause();
      sending = sending
        .then(() => this.emit(chunk))
        .then(
          () => {
            deflate.resume();
          },
          (err: Error) => {
            fail(err);
            deflate.destroy(err);
          },
        );
    });
    deflate.on("error", fail);

    return {
      write: async (data) => {
        if (failure) throw failure;
        const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
        record.crc = zlib.crc32(bytes, record.crc);
        record.size += bytes.length;
        if (record.size > MAX_32) throw new Error("zip: an entry over 4 GB; ZIP64 is not supported");
        if (!deflate.write(bytes)) await drained(deflate);
        if (failure) throw failure;
      },
      close: async () => {
        deflate.end();
        // Resolves once the last compressed byte has been read out (rejects if the deflater failed).
        await finished(deflate).catch((err: Error) => fail(err));
        await sending;
        if (failure) throw failure;
        const descriptor = Buffer.alloc(16);
        descriptor.writeUInt32LE(DATA_DESCRIPTOR, 0);
        descriptor.writeUInt32LE(record.crc >>> 0, 4);
        descriptor.writeUInt32LE(record.compressed, 8);
        descriptor.writeUInt32LE(record.size, 12);
        await this.emit(descriptor);
        this.entries.push(record);
        this.open = false;
      },
    };
  }

  /** A whole small entry at once. */
  async file(name: string, content: string | Buffer): Promise<void> {
    const e = await this.entry(name);
    await e.write(content);
    await e.close();
  }

  /** Writes the central directory. Does not end `out`. */
  async finish(): Promise<void> {
    if (this.open) throw new Error("zip: an entry is still open");
    const start = this.offset;
    for (const r of this.entries) {
      const h = Buffer.alloc(46);
      h.writeUInt32LE(CENTRAL_HEADER, 0);
      h.writeUInt16LE(VERSION, 4);
      h.writeUInt16LE(VERSION, 6);
      h.writeUInt16LE(FLAGS, 8);
      h.writeUInt16LE(DEFLATE, 10);
      h.writeUInt16LE(this.stamp.time, 12);
      h.writeUInt16LE(this.stamp.date, 14);
      h.writeUInt32LE(r.crc >>> 0, 16);
      h.writeUInt32LE(r.compressed, 20);
      h.writeUInt32LE(r.size, 24);
      h.writeUInt16LE(r.name.length, 28);
      // Extra and comment lengths, disk number, attributes: zero.
      h.writeUInt32LE(r.offset, 42);
      await this.emit(Buffer.concat([h, r.name]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(END_OF_CENTRAL, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(this.offset - start, 12);
    end.writeUInt32LE(start, 16);
    await this.emit(end);
  }
}
