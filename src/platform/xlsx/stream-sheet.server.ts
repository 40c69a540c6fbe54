import type { Writable } from "node:stream";
import ExcelJS from "exceljs";

export interface SheetColumn<Row> {
  header: string;
  width: number;
  value(row: Row): string | number | null;
}

/** A writable side: Node's own, or the `readable-stream` copy archiver uses (no writableNeedDrain). */
type WritableLike = Pick<Writable, "on" | "off"> & {
  writableNeedDrain?: boolean;
  _writableState?: { needDrain?: boolean };
};

const needsDrain = (s: WritableLike) => s.writableNeedDrain ?? s._writableState?.needDrain ?? false;

/**
 * ExcelJS's worksheet stream pushes into the zip without heeding backpressure: a producer faster
 * than the compressor (SQLite answers synchronously) buffers the whole sheet in memory. This is the
 * zip's input for the sheet (ExcelJS 4's StreamBuf pipes into archiver's PassThrough), to wait on.
 */
function zipInputOf(sheet: ExcelJS.Worksheet): WritableLike {
  const pipes = (sheet as unknown as { stream?: { pipes?: WritableLike[] } }).stream?.pipes;
  const input = pipes?.[0];
  if (!input || typeof input.on !== "function" || typeof input._writableState?.needDrain !== "boolean")
    throw new Error("exceljs: the worksheet's zip input is not where stream-sheet expects it");
  return input;
}

/** Resolves once `stream` wants more (at once if it does now); rejects if it closes first. */
function drained(stream: WritableLike): Promise<void> {
  if (!needsDrain(stream)) return Promise.resolve();
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

/**
 * Streams one worksheet to `out`: a bold, frozen header row, then the rows of each batch as they
 * arrive, each committed (flushed) as it is written. After each batch it waits until the compressor
 * and `out` have taken what was written, so memory stays flat however many rows there are.
 * `nextBatch(last)` returns the rows after `last` (null first); a short batch ends the sheet.
 */
export async function streamSheet<Row>(
  out: Writable,
  opts: {
    sheetName: string;
    columns: readonly SheetColumn<Row>[];
    nextBatch(last: Row | null): Promise<Row[]>;
    batchSize: number;
  },
): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(opts.sheetName, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = opts.columns.map((c) => ({ header: c.header, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  const zipInput = zipInputOf(sheet);
  let last: Row | null = null;
  let count = 0;
  for (;;) {
    const batch = await opts.nextBatch(last);
    for (const row of batch) sheet.addRow(opts.columns.map((c) => c.value(row))).commit();
    count += batch.length;
    if (batch.length < opts.batchSize) break;
    last = batch[batch.length - 1];
    await drained(zipInput);
    await drained(out);
  }
  sheet.commit();
  await workbook.commit();
  return count;
}

/**
 * A `nextBatch` for rows read one partition after another (a county at a time, say, so each query is
 * an index range): `read(partition, after, limit)` returns up to `limit` rows of that partition after
 * `after` (null: from its start). Batches are filled across partitions, so only the last is short.
 */
export function batchesAcross<Row, P>(
  partitions: readonly P[],
  partitionOf: (row: Row) => P,
  size: number,
  read: (partition: P, after: Row | null, limit: number) => Promise<Row[]>,
): (last: Row | null) => Promise<Row[]> {
  return async (last) => {
    const rows: Row[] = [];
    let i = last ? partitions.indexOf(partitionOf(last)) : 0;
    let after = last;
    while (i < partitions.length && rows.length < size) {
      rows.push(...(await read(partitions[i], after, size - rows.length)));
      if (rows.length < size) {
        i++;
        after = null;
      }
    }
    return rows;
  };
}
