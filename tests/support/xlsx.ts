import { PassThrough, type Writable } from "node:stream";
import ExcelJS from "exceljs";
import { expect } from "vitest";

/** Runs an export's writer into memory and opens the result with ExcelJS, as a spreadsheet user would. */
export async function openExport(
  write: (out: Writable) => Promise<unknown>,
): Promise<{ sheet: ExcelJS.Worksheet; headers: string[]; rows: unknown[][]; bytes: Buffer }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const ended = new Promise((resolve) => out.on("end", resolve));
  await write(out);
  await ended;
  const bytes = Buffer.concat(chunks);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as never);
  const sheet = book.worksheets[0];
  const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
  const headers = values(1) as string[];
  const rows: unknown[][] = [];
  for (let i = 2; i <= sheet.rowCount; i++) rows.push(values(i));
  return { sheet, headers, rows, bytes };
}

/** The bar every export meets: a frozen header row with an autofilter over header and rows. */
export function expectFrozenFilteredHeader(sheet: ExcelJS.Worksheet, columns: number, rows: number): void {
  expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
  const last = sheet.getRow(1).getCell(columns).address.replace(/\d+$/, "");
  expect(sheet.autoFilter).toBe(`A1:${last}${rows + 1}`);
  expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
}

/** The cells of column `header`, one per data row. */
export function column(sheet: ExcelJS.Worksheet, headers: string[], header: string): unknown[] {
  const i = headers.indexOf(header);
  expect(i, `column ${header}`).toBeGreaterThanOrEqual(0);
  const out: unknown[] = [];
  for (let r = 2; r <= sheet.rowCount; r++) out.push(sheet.getRow(r).getCell(i + 1).value);
  return out;
}

/** A Beijing wall-clock time as ExcelJS reads an Excel date (the wall clock as if it were UTC). */
export const beijingWall = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000);
