import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yazl from "yazl";
import { usccCheckChar } from "#src/modules/accounts/uscc.rules.ts";
import { fixedClock } from "#src/platform/clock.ts";
import { XLSX_UPLOAD_LIMITS } from "#src/platform/xlsx/bounded-read.server.ts";
import { actorOf, createUserRecord, errorOf, type MadeUser } from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { IMPORT_COLUMNS } from "./bases.schema.ts";
import { MAX_IMPORT_CELL_CHARS, MAX_IMPORT_ROWS, previewImport } from "./bases-import.server.ts";

const clock = fixedClock("2024-03-10T10:00:00+08:00");
let t: TestContext;
let office: MadeUser;

beforeAll(async () => {
  t = await createTestContext({ clock });
  office = await createUserRecord(t.ctx, { role: "office" });
});
afterAll(async () => t?.close());

const MB = 1024 * 1024;
// Writing and reading 5,000 rows of 1,000 characters is the point of two tests below; it is CPU work
// that took over the default 30 s once, in CI, with both engines' suites side by side.
const HEAVY = 180_000;
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG = "http://schemas.openxmlformats.org/package/2006/relationships";

/**
 * A workbook whose one sheet holds the template's header and a cell of `cellBytes` repeated
 * letters, deflated as it is generated: the test never holds the cell itself.
 */
async function bombWorkbook(cellBytes: number): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(
    Buffer.from(
      `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    ),
    "[Content_Types].xml",
  );
  zip.addBuffer(
    Buffer.from(
      `${XML}<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    "_rels/.rels",
  );
  zip.addBuffer(
    Buffer.from(
      `${XML}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="基地导入" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    "xl/workbook.xml",
  );
  zip.addBuffer(
    Buffer.from(
      `${XML}<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    ),
    "xl/_rels/workbook.xml.rels",
  );
  const header = IMPORT_COLUMNS.map(
    (c, i) => `<c r="${String.fromCharCode(65 + i)}1" t="inlineStr"><is><t>${c.header}</t></is></c>`,
  ).join("");
  const chunk = Buffer.alloc(MB, "A");
  let left = cellBytes;
  let stage = 0;
  const sheet = new Readable({
    read() {
      if (stage === 0) {
        stage = 1;
        this.push(
          `${XML}<worksheet xmlns="${MAIN}"><sheetData><row r="1">${header}</row><row r="2"><c r="A2" t="inlineStr"><is><t>`,
        );
      } else if (left > 0) {
        const n = Math.min(left, chunk.length);
        left -= n;
        this.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      } else if (stage === 1) {
        stage = 2;
        this.push("</t></is></c></row></sheetData></worksheet>");
      } else this.push(null);
    },
  });
  zip.addReadStream(sheet, "xl/worksheets/sheet1.xml", { compress: true });
  zip.end();
  const parts: Buffer[] = [];
  for await (const p of zip.outputStream) parts.push(p as Buffer);
  return Buffer.concat(parts);
}

function usccFor(i: number): string {
  const body = `52330800MB${String(i).padStart(4, "0")}0X0`;
  return body + usccCheckChar(body);
}

async function workbook(rows: Record<string, string | number>[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet("基地导入");
  sheet.columns = IMPORT_COLUMNS.map((c) => ({ header: c.header, key: c.key }));
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function row(i: number, intro: string): Record<string, string | number> {
  return {
    uscc: usccFor(i),
    name: `龙游县测试第${i}号科普教育基地`,
    unitName: `龙游县测试单位${i}`,
    county: "龙游县",
    category: "企业",
    address: `龙游县测试路${i}号`,
    openingForm: "免费",
    openDays: 250,
    bookingPhone: "0570-3027351",
    leaderName: "张负责",
    leaderPhone: "13812345678",
    contactName: "李联系",
    contactPhone: "13912345678",
    volunteerTeamName: `龙游县测试单位${i}科技志愿服务队`,
    batchNo: 3,
    recognizedYear: 2018,
    certificateNo: "",
    intro,
  };
}

describe("an import cannot explode", () => {
  it("refuses a small workbook holding a 300 MB cell, naming the limit, while memory stays flat", async () => {
    const bomb = await bombWorkbook(300 * MB);
    expect(bomb.length).toBeLessThan(1 * MB);
    global.gc?.();
    const before = process.memoryUsage().rss;
    const peakBefore = process.resourceUsage().maxRSS * 1024;
    const err = await errorOf(previewImport(t.ctx, actorOf(office), bomb));
    const after = process.memoryUsage().rss;
    const peakAfter = process.resourceUsage().maxRSS * 1024;
    expect(err.code).toBe("VALIDATION");
    expect(err.message).toBe("工作表解压后超过 20 MB，请拆分后再导入");
    expect(after - before).toBeLessThan(64 * MB);
    // The process's high-water mark: nothing near the cell's size was ever held.
    expect(peakAfter - Math.max(peakBefore, before)).toBeLessThan(64 * MB);
  });

  it("refuses a sheet just over the limit even when its header declares a small size", async () => {
    const bomb = await bombWorkbook(XLSX_UPLOAD_LIMITS.maxEntryBytes);
    // Lie about the sizes: patch the central directory's uncompressed size of the sheet to 1 KB.
    const patched = Buffer.from(bomb);
    const name = Buffer.from("xl/worksheets/sheet1.xml");
    for (let i = 0; i < patched.length - 46; i++) {
      if (patched.readUInt32LE(i) !== 0x02014b50) continue;
      const nameLen = patched.readUInt16LE(i + 28);
      if (patched.subarray(i + 46, i + 46 + nameLen).equals(name)) patched.writeUInt32LE(1024, i + 24);
    }
    const err = await errorOf(previewImport(t.ctx, actorOf(office), patched));
    expect(err.code).toBe("VALIDATION");
    // Either the counted bytes or yauzl's size check stops it; nothing is parsed.
    expect(err.message).toMatch(/工作表解压后超过 20 MB|无法读取该文件/);
  });

  it(
    "still imports a workbook just under the limits: 5000 rows with long introductions",
    async () => {
      const intro = "简".repeat(1000);
      const rows = Array.from({ length: MAX_IMPORT_ROWS }, (_, i) => row(i, `${i}${intro}`.slice(0, 1000)));
      const buf = await workbook(rows);
      const r = await previewImport(t.ctx, actorOf(office), buf);
      expect(r.rows).toBe(MAX_IMPORT_ROWS);
      expect(r.problems).toEqual([]);
      expect(r.plan.filter((p) => p.action === "create")).toHaveLength(MAX_IMPORT_ROWS);
    },
    HEAVY,
  );

  it(
    "refuses one row too many, and a cell over the length limit, naming the limit",
    async () => {
      const rows = Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => row(i, ""));
      expect((await errorOf(previewImport(t.ctx, actorOf(office), await workbook(rows)))).message).toBe(
        `一次最多导入${MAX_IMPORT_ROWS}行，请分批导入`,
      );
      const long = await workbook([row(1, "长".repeat(MAX_IMPORT_CELL_CHARS + 1))]);
      expect((await errorOf(previewImport(t.ctx, actorOf(office), long))).message).toBe(
        `第2行“简介”超过${MAX_IMPORT_CELL_CHARS}个字，请删减后再导入`,
      );
    },
    HEAVY,
  );
});
