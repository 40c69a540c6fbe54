import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { batchesAcross, streamSheet } from "./stream-sheet.server.ts";

interface Row {
  id: number;
  text: string;
}

const BATCH = 500;
const BATCHES = 120;

/** Rows that do not compress away: random hex, 500 rows a batch, synchronous like SQLite. */
function source() {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    async nextBatch(last: Row | null): Promise<Row[]> {
      calls++;
      const start = last ? last.id + 1 : 0;
      const end = Math.min(start + BATCH, BATCH * BATCHES);
      return Array.from({ length: end - start }, (_, i) => ({
        id: start + i,
        text: randomBytes(60).toString("hex"),
      }));
    },
  };
}

/** A download whose reader stops after the first chunk, until `resume()`. */
function stalledDownload() {
  const chunks: Buffer[] = [];
  const waiting: Array<() => void> = [];
  let flowing = false;
  const out = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      if (flowing || chunks.length === 1) cb();
      else waiting.push(cb);
    },
  });
  return {
    out,
    chunks,
    resume() {
      flowing = true;
      for (const cb of waiting.splice(0)) cb();
    },
  };
}

const settle = async (read: () => number) => {
  // Until the producer has stopped asking for rows for a while.
  let seen = -1;
  while (seen !== read()) {
    seen = read();
    await new Promise((r) => setTimeout(r, 150));
  }
};

describe("streamSheet", () => {
  it("stops reading rows while the download is not being read, then finishes a valid workbook", async () => {
    const rows = source();
    const download = stalledDownload();
    const done = streamSheet<Row>(download.out, {
      sheetName: "数据",
      columns: [
        { header: "编号", width: 10, value: (r) => r.id },
        { header: "内容", width: 40, value: (r) => r.text },
      ],
      batchSize: BATCH,
      nextBatch: (last) => rows.nextBatch(last),
    });
    await settle(() => rows.calls);
    // 60,000 rows of about 7 MB compressed: with the reader stalled only a few batches may be read
    // ahead (what fills the zip's and the download's buffers), not the whole sheet.
    expect(rows.calls).toBeLessThan(10);
    download.resume();
    expect(await done).toBe(BATCH * BATCHES);
    await new Promise<void>((r) => download.out.end(r));

    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.concat(download.chunks) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet("数据");
    expect(sheet?.rowCount).toBe(BATCH * BATCHES + 1);
    expect(sheet?.getRow(1).getCell(1).value).toBe("编号");
    expect(sheet?.getRow(BATCH * BATCHES + 1).getCell(1).value).toBe(BATCH * BATCHES - 1);
  });
});

describe("batchesAcross", () => {
  const data: Record<string, number[]> = { a: [1, 2, 3], b: [], c: [4, 5, 6, 7, 8], d: [9] };
  const partitionOf = (n: number) => Object.keys(data).find((k) => data[k].includes(n))!;
  const read = async (p: string, after: number | null, limit: number) =>
    data[p].filter((n) => after === null || n > after).slice(0, limit);

  it("fills each batch across partitions, in order, with only the last one short", async () => {
    for (const size of [1, 2, 3, 4, 9, 10]) {
      const next = batchesAcross(Object.keys(data), partitionOf, size, read);
      const batches: number[][] = [];
      let last: number | null = null;
      for (;;) {
        const batch: number[] = await next(last);
        batches.push(batch);
        if (batch.length < size) break;
        last = batch[batch.length - 1];
      }
      expect(batches.flat()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(batches.slice(0, -1).every((b) => b.length === size)).toBe(true);
      expect(batches.at(-1)!.length).toBeLessThan(size);
    }
  });

  it("gives one empty batch when no partition has rows", async () => {
    const next = batchesAcross(
      ["x", "y"],
      () => "x",
      5,
      async () => [],
    );
    expect(await next(null)).toEqual([]);
  });
});
