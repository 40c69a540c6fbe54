import type { Writable } from "node:stream";
import ExcelJS from "exceljs";

export interface SheetColumn<Row> {
  header: string;
  width: number;
  value(row: Row): string | number | null;
}

/**
 * Streams one worksheet to `out`: a bold, frozen header row, then the rows of each batch as they
 * arrive, each committed (flushed) as it is written, so memory stays flat however many rows there
 * are. `nextBatch(after)` returns rows ordered by id after the given id ("" first); a short batch ends it.
 */
export async function streamSheet<Row extends { id: string }>(
  out: Writable,
  opts: {
    sheetName: string;
    columns: readonly SheetColumn<Row>[];
    nextBatch(after: string): Promise<Row[]>;
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
  let after = "";
  let count = 0;
  for (;;) {
    const batch = await opts.nextBatch(after);
    for (const row of batch) sheet.addRow(opts.columns.map((c) => c.value(row))).commit();
    count += batch.length;
    if (batch.length < opts.batchSize) break;
    after = batch[batch.length - 1].id;
  }
  sheet.commit();
  await workbook.commit();
  return count;
}
