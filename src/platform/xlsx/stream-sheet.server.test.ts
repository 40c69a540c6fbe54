import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { readZipBounded } from "../zip/bounded-zip.server.ts";
import { batchesAcross, columnLetter, sheetDay, sheetInstant, streamSheet } from "./stream-sheet.server.ts";

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
  it(
    "stops reading rows while the download is not being read, then finishes a valid workbook",
    { timeout: 30_000 },
    async () => {
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
      await finished(download.out);

      const book = new ExcelJS.Workbook();
      await book.xlsx.load(Buffer.concat(download.chunks) as unknown as ArrayBuffer);
      const sheet = book.getWorksheet("数据");
      expect(sheet?.rowCount).toBe(BATCH * BATCHES + 1);
      expect(sheet?.getRow(1).getCell(1).value).toBe("编号");
      expect(sheet?.getRow(BATCH * BATCHES + 1).getCell(1).value).toBe(BATCH * BATCHES - 1);
    },
  );
});

describe("streamSheet when the download goes away", () => {
  it("stops with an error instead of waiting or reading on", async () => {
    const rows = source();
    const download = stalledDownload();
    const done = streamSheet<Row>(download.out, {
      sheetName: "数据",
      columns: [{ header: "内容", width: 40, value: (r) => r.text }],
      batchSize: BATCH,
      nextBatch: (last) => rows.nextBatch(last),
    });
    const outcome = done.then(
      () => "finished",
      (err: Error) => err.message,
    );
    await settle(() => rows.calls);
    const read = rows.calls;
    download.out.destroy();
    expect(await outcome).toMatch(/closed before it finished/);
    expect(rows.calls).toBeLessThanOrEqual(read + 1);
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

describe("streamSheet output", () => {
  type Item = { id: string; name: string | null; n: number | null };
  const write = async (items: Item[], sheetName = "基地/活动:2024") => {
    const chunks: Buffer[] = [];
    const out = new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk);
        cb();
      },
    });
    const count = await streamSheet<Item>(out, {
      sheetName,
      columns: [
        { header: "编号", width: 12, value: (r) => r.id },
        { header: "名称 & <备注>", width: 30, value: (r) => r.name },
        { header: "人数", width: 8, value: (r) => r.n },
      ],
      batchSize: 2,
      nextBatch: async (last) => {
        const i = last ? items.indexOf(last) + 1 : 0;
        return items.slice(i, i + 2);
      },
    });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    return { count, bytes: Buffer.concat(chunks), sheet: book.worksheets[0] };
  };

  it("keeps text exactly (escaped, multi-line, Chinese), numbers as numbers, and leaves empty cells empty", async () => {
    const { count, sheet } = await write([
      { id: "a1", name: '科技馆 "星河" & <湾>\n第二行', n: 30 },
      { id: "a2", name: null, n: null },
      { id: "a3", name: "控制\u0001字符\u001f", n: 0 },
    ]);
    expect(count).toBe(3);
    expect(sheet.name).toBe("基地 活动 2024");
    expect(sheet.getRow(1).values).toEqual([undefined, "编号", "名称 & <备注>", "人数"]);
    expect(sheet.getRow(2).values).toEqual([undefined, "a1", '科技馆 "星河" & <湾>\n第二行', 30]);
    expect(sheet.getRow(3).getCell(2).value).toBeNull();
    expect(sheet.getRow(3).getCell(3).value).toBeNull();
    expect(sheet.getRow(4).values).toEqual([undefined, "a3", "控制字符", 0]);
  });

  it("has a bold, frozen header row and the columns' widths", async () => {
    const { sheet } = await write([{ id: "a1", name: "x", n: 1 }]);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.getRow(2).getCell(1).font?.bold).toBeFalsy();
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet.getColumn(2).width).toBe(30);
  });

  it("cuts a cell's text at Excel's 32,767 characters", async () => {
    const { sheet } = await write([{ id: "a1", name: "长".repeat(40_000), n: 1 }]);
    expect(String(sheet.getRow(2).getCell(2).value)).toHaveLength(32_767);
  });

  it("writes a header-only workbook when there are no rows", async () => {
    const { count, sheet } = await write([]);
    expect(count).toBe(0);
    expect(sheet.rowCount).toBe(1);
  });
});

describe("columnLetter", () => {
  it("counts A…Z, AA…AZ, BA…", () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual([
      "A",
      "B",
      "Z",
      "AA",
      "AB",
      "AZ",
      "BA",
      "ZZ",
      "AAA",
    ]);
  });
});

const LIMITS = { maxEntries: 20, maxEntryBytes: 1 << 20, maxTotalBytes: 1 << 22 };

describe("streamSheet dates and filters", () => {
  type Item = { at: string | null; day: string | null };
  const write = async (items: Item[], autoFilter?: boolean) => {
    const chunks: Buffer[] = [];
    const out = new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk);
        cb();
      },
    });
    await streamSheet<Item>(out, {
      sheetName: "O'Brien 日期",
      columns: [
        { header: "时间", width: 20, value: (r) => sheetInstant(r.at) },
        { header: "日期", width: 12, format: "date", value: (r) => sheetDay(r.day) },
      ],
      batchSize: 10,
      autoFilter,
      nextBatch: async (last) => (last ? [] : items),
    });
    const bytes = Buffer.concat(chunks);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    return { sheet: book.worksheets[0], bytes };
  };

  it("writes instants and days as real Excel dates in Beijing time, with date formats", async () => {
    const { sheet } = await write([
      // 16:30 UTC is 00:30 the next day in Beijing.
      { at: "2024-03-01T16:30:05.000Z", day: "2024-02-29" },
      { at: null, day: "2024-13-45" },
      { at: "not a time", day: null },
    ]);
    const at = sheet.getRow(2).getCell(1);
    // ExcelJS reads a serial date as that wall-clock time in UTC.
    expect(at.value).toBeInstanceOf(Date);
    expect((at.value as Date).toISOString()).toBe("2024-03-02T00:30:05.000Z");
    expect(at.numFmt).toBe("yyyy-mm-dd hh:mm:ss");
    const day = sheet.getRow(2).getCell(2);
    expect(day.value).toBeInstanceOf(Date);
    expect((day.value as Date).toISOString()).toBe("2024-02-29T00:00:00.000Z");
    expect(day.numFmt).toBe("yyyy-mm-dd");
    // Missing or invalid values are empty cells, not text.
    expect(sheet.getRow(3).getCell(1).value).toBeNull();
    expect(sheet.getRow(3).getCell(2).value).toBeNull();
    expect(sheet.getRow(4).getCell(1).value).toBeNull();
  });

  it("puts an autofilter over the header and every row by default, with its defined name", async () => {
    const { sheet, bytes } = await write([
      { at: "2024-03-01T00:00:00.000Z", day: "2024-03-01" },
      { at: "2024-03-02T00:00:00.000Z", day: "2024-03-02" },
    ]);
    expect(sheet.autoFilter).toBe("A1:B3");
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    const parts = await readZipBounded(bytes, LIMITS, (n) => n === "xl/workbook.xml");
    expect(parts.get("xl/workbook.xml")!.toString("utf8")).toContain(
      `<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'O''Brien 日期'!$A$1:$B$3</definedName>`,
    );
  });

  it("leaves the filter out when asked", async () => {
    const { sheet, bytes } = await write([{ at: null, day: null }], false);
    expect(sheet.autoFilter).toBeFalsy();
    const parts = await readZipBounded(bytes, LIMITS, (n) => n.endsWith(".xml"));
    expect(parts.get("xl/workbook.xml")!.toString("utf8")).not.toContain("_FilterDatabase");
    expect(parts.get("xl/worksheets/sheet1.xml")!.toString("utf8")).not.toContain("<autoFilter");
  });
});

describe("sheetDay and sheetInstant", () => {
  it("reads a day as its Beijing midnight and rejects what is not a day or an instant", () => {
    expect(sheetDay("2024-01-01")?.toISOString()).toBe("2023-12-31T16:00:00.000Z");
    expect(sheetDay("2024-1-1")).toBeNull();
    expect(sheetDay("")).toBeNull();
    expect(sheetInstant("2024-01-01T00:00:00Z")?.toISOString()).toBe("2024-01-01T00:00:00.000Z");
    expect(sheetInstant("x")).toBeNull();
    expect(sheetInstant(null)).toBeNull();
  });
});
