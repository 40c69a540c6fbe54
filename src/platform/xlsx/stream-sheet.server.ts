import type { Writable } from "node:stream";
import { ZipWriter } from "./zip-writer.server.ts";

export type CellValue = string | number | Date | null | undefined;

export interface SheetColumn<Row> {
  header: string;
  width: number;
  /**
   * How a Date of this column is shown: date and time (the default, style 2) or the Beijing calendar
   * day only (style 3). Either way the cell is a real Excel date in Beijing time, not text.
   */
  format?: "datetime" | "date";
  value(row: Row): string | number | Date | null;
}

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships";
/** Sheet XML is handed to the zip in pieces of about this many characters. */
const WRITE_CHARS = 16 * 1024;
/** Excel's limit for the text of one cell. */
const MAX_CELL_TEXT = 32767;

const CONTENT_TYPES = `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`;
const ROOT_RELS = `${XML}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK_RELS = `${XML}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/></Relationships>`;
/** Style 0: the default; style 1: bold, for the header row; style 2: a date and time; style 3: a date. */
const STYLES = `${XML}<styleSheet xmlns="${MAIN}"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;
const DATETIME_STYLE = 2;
const DATE_STYLE = 3;
/** Excel's serial day 0 is 1899-12-30; Beijing is UTC+8 all year. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const BEIJING_MS = 8 * 3600_000;

/** An instant as Excel's serial date-time, read as Beijing wall-clock time. */
export function excelSerialBeijing(d: Date): number {
  return (d.getTime() + BEIJING_MS - EXCEL_EPOCH_MS) / 86400_000;
}

/** An ISO instant (as stored) as a Date for a sheet cell; empty or invalid: null (an empty cell). */
export function sheetInstant(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isFinite(d.getTime()) ? d : null;
}

/** A calendar day (YYYY-MM-DD, a Beijing date as stored) as a Date for a "date" column: its Beijing midnight. */
export function sheetDay(day: string | null | undefined): Date | null {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  return sheetInstant(`${day}T00:00:00+08:00`);
}

/** Text as XML character data: escaped, without the control characters XML cannot carry. */
function xmlText(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing the characters XML 1.0 forbids
  const allowed = s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "");
  return allowed.replace(/[&<>"]/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;",
  );
}

/** A, B, … Z, AA, AB, … */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function cellXml(ref: string, value: CellValue, style: number, dateStyle: number): string {
  if (value === null || value === undefined || value === "") return "";
  if (value instanceof Date)
    return Number.isFinite(value.getTime())
      ? `<c r="${ref}" s="${dateStyle}"><v>${excelSerialBeijing(value)}</v></c>`
      : "";
  const s = style ? ` s="${style}"` : "";
  if (typeof value === "number") return Number.isFinite(value) ? `<c r="${ref}"${s}><v>${value}</v></c>` : "";
  const text = xmlText(value.length > MAX_CELL_TEXT ? value.slice(0, MAX_CELL_TEXT) : value);
  return `<c r="${ref}"${s} t="inlineStr"><is><t xml:space="preserve">${text}</t></is></c>`;
}

/** One <row> of the sheet, 1-based. `dates[i]`: the style of a Date in column i (date and time if absent). */
export function rowXml(
  rowNumber: number,
  values: readonly CellValue[],
  style = 0,
  dates: readonly number[] = [],
): string {
  let cells = "";
  for (let i = 0; i < values.length; i++)
    cells += cellXml(
      `${LETTERS[i] ?? columnLetter(i)}${rowNumber}`,
      values[i],
      style,
      dates[i] ?? DATETIME_STYLE,
    );
  return `<row r="${rowNumber}">${cells}</row>`;
}
const LETTERS = Array.from({ length: 64 }, (_, i) => columnLetter(i));

/**
 * Streams a one-sheet workbook to `out`: a bold, frozen header row with an autofilter, then the rows of each batch as
 * they arrive, deflated as they are written. Each batch waits until the compressor and `out` have
 * taken the one before, so memory stays flat however many rows there are. Strings are inline (no
 * shared-string table to hold). `nextBatch(last)` returns the rows after `last` (null first); a short
 * batch ends the sheet, and then `out`.
 */
export async function streamSheet<Row>(
  out: Writable,
  opts: {
    sheetName: string;
    columns: readonly SheetColumn<Row>[];
    nextBatch(last: Row | null): Promise<Row[]>;
    batchSize: number;
    /** Filter buttons on the header row, over every row written (the default; false: none). */
    autoFilter?: boolean;
  },
): Promise<number> {
  const zip = new ZipWriter(out);
  await zip.file("[Content_Types].xml", CONTENT_TYPES);
  await zip.file("_rels/.rels", ROOT_RELS);
  const name = opts.sheetName.replace(/[\\/?*[\]:]/g, " ").slice(0, 31);
  await zip.file("xl/_rels/workbook.xml.rels", WORKBOOK_RELS);
  await zip.file("xl/styles.xml", STYLES);

  const sheet = await zip.entry("xl/worksheets/sheet1.xml");
  const cols = opts.columns
    .map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1"/>`)
    .join("");
  await sheet.write(
    `${XML}<worksheet xmlns="${MAIN}" xmlns:r="${REL}"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>` +
      rowXml(
        1,
        opts.columns.map((c) => c.header),
        1,
      ),
  );
  const dates = opts.columns.map((c) => (c.format === "date" ? DATE_STYLE : DATETIME_STYLE));
  let last: Row | null = null;
  let count = 0;
  for (;;) {
    let batch = await opts.nextBatch(last);
    // The batch becomes XML before anything is awaited, so its rows die young instead of being
    // promoted while the download drains. The XML goes out in pieces well under V8's large-object
    // size: a whole batch as one string would sit in the large-object space until a full collection.
    const pieces: string[] = [];
    let xml = "";
    for (const row of batch) {
      xml += rowXml(
        ++count + 1,
        opts.columns.map((c) => c.value(row)),
        0,
        dates,
      );
      if (xml.length >= WRITE_CHARS) {
        pieces.push(xml);
        xml = "";
      }
    }
    if (xml) pieces.push(xml);
    const more = batch.length === opts.batchSize;
    last = more ? batch[batch.length - 1] : null;
    batch = [];
    for (const piece of pieces) await sheet.write(piece);
    if (!more) break;
  }
  const lastColumn = columnLetter(opts.columns.length - 1);
  const filtered = opts.autoFilter !== false;
  const filter = filtered ? `<autoFilter ref="A1:${lastColumn}${count + 1}"/>` : "";
  await sheet.write(`</sheetData>${filter}</worksheet>`);
  await sheet.close();
  // The workbook part comes after the sheet (a ZIP's order does not matter to readers) because the
  // filter's defined name, which Excel and LibreOffice keep with an autofilter, needs the row count.
  const range = `'${name.replace(/'/g, "''")}'!$A$1:$${lastColumn}$${count + 1}`;
  const definedNames = filtered
    ? `<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">${xmlText(range)}</definedName></definedNames>`
    : "";
  await zip.file(
    "xl/workbook.xml",
    `${XML}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><bookViews><workbookView/></bookViews><sheets><sheet name="${xmlText(name)}" sheetId="1" r:id="rId1"/></sheets>${definedNames}</workbook>`,
  );
  await zip.finish();
  out.end();
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
