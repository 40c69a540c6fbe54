import ExcelJS from "exceljs";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import {
  cellText,
  type ImportProblem,
  MAX_IMPORT_CELL_CHARS,
  MAX_IMPORT_COLUMNS,
  MAX_IMPORT_ROWS,
} from "#src/modules/bases/bases-import.server.ts";
import { bumpGeneration } from "#src/platform/cache/generations.server.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import { AppError } from "#src/platform/errors.ts";
import { assertXlsxWithinLimits, XLSX_UPLOAD_LIMITS } from "#src/platform/xlsx/bounded-read.server.ts";
import {
  VOLUNTEER_IMPORT_COLUMNS,
  type VolunteerImportKey,
  type VolunteerInput,
  volunteerSchema,
} from "./volunteers.schema.ts";
import { loadOwnBase, volunteerValues } from "./volunteers.server.ts";

export interface VolunteerImportReport {
  rows: number;
  problems: ImportProblem[];
  invalidRows: number[];
  /** Rows written (0 when any row is invalid: all or nothing). */
  imported: number;
  applied: boolean;
}

const HEADER_OF = Object.fromEntries(VOLUNTEER_IMPORT_COLUMNS.map((c) => [c.key, c.header])) as Record<
  VolunteerImportKey,
  string
>;

/** The template: the header row and one example row, text-formatted so numbers keep their digits. */
export async function volunteerTemplateXlsx(ctx: AppContext, actor: Actor): Promise<Buffer> {
  await loadOwnBase(ctx, actor);
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet("志愿者名册", { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = VOLUNTEER_IMPORT_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  for (let i = 1; i <= VOLUNTEER_IMPORT_COLUMNS.length; i++) sheet.getColumn(i).numFmt = "@";
  const notes = wb.addWorksheet("填写说明");
  notes.columns = [
    { header: "列", width: 14 },
    { header: "说明", width: 80 },
  ];
  for (const l of [
    ["姓名", "必填"],
    ["手机号", "必填，11位手机号或带区号的固定电话"],
    ["志愿者编号", "可空：“科技志愿服务”平台的志愿者编号；同一队内不得重复"],
    ["专业特长", "可空，不超过100字"],
    ["加入日期", "可空，格式 YYYY-MM-DD"],
    ["说明", "不收集身份证号码。文件中有任何一行有误时不导入任何数据，请按报告修改后重新导入。"],
  ])
    notes.addRow(l);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function readRows(buffer: Buffer): Promise<{ row: number; raw: Record<VolunteerImportKey, string> }[]> {
  const unreadable = "无法读取该文件，请上传由模板填写的 Excel（.xlsx）文件";
  await assertXlsxWithinLimits(buffer, XLSX_UPLOAD_LIMITS, unreadable);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw new AppError("VALIDATION", unreadable);
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw new AppError("VALIDATION", "文件中没有工作表");
  if (sheet.actualColumnCount > MAX_IMPORT_COLUMNS)
    throw new AppError("VALIDATION", `工作表超过${MAX_IMPORT_COLUMNS}列，请使用导入模板`);
  if (sheet.actualRowCount > MAX_IMPORT_ROWS + 1)
    throw new AppError("VALIDATION", `一次最多导入${MAX_IMPORT_ROWS}行，请分批导入`);
  const colOf = new Map<VolunteerImportKey, number>();
  sheet.getRow(1).eachCell((cell, col) => {
    const text = cellText(cell).replace(/\s+/g, "");
    const c = VOLUNTEER_IMPORT_COLUMNS.find((c) => c.header === text);
    if (c && !colOf.has(c.key)) colOf.set(c.key, col);
  });
  const absent = VOLUNTEER_IMPORT_COLUMNS.filter(
    (c) => !colOf.has(c.key) && (c.key === "name" || c.key === "phone"),
  );
  if (absent.length) {
    throw new AppError(
      "VALIDATION",
      `表头缺少以下列：${absent.map((c) => c.header).join("、")}。请使用导入模板。`,
    );
  }
  const rows: { row: number; raw: Record<VolunteerImportKey, string> }[] = [];
  sheet.eachRow((row, r) => {
    if (r === 1) return;
    const raw = {} as Record<VolunteerImportKey, string>;
    for (const c of VOLUNTEER_IMPORT_COLUMNS) {
      const col = colOf.get(c.key);
      const text = col ? cellText(row.getCell(col)) : "";
      if (text.length > MAX_IMPORT_CELL_CHARS)
        throw new AppError(
          "VALIDATION",
          `第${r}行“${c.header}”超过${MAX_IMPORT_CELL_CHARS}个字，请删减后再导入`,
        );
      raw[c.key] = text;
    }
    if (Object.values(raw).every((v) => v === "")) return;
    rows.push({ row: r, raw });
  });
  if (rows.length > MAX_IMPORT_ROWS)
    throw new AppError("VALIDATION", `一次最多导入${MAX_IMPORT_ROWS}行，请分批导入`);
  return rows;
}

/**
 * 导入志愿者: every row is checked (the same rules as adding one), stvs numbers must be new to the
 * team and unique in the file. Any problem: nothing is written and the report lists each row's.
 */
export async function importVolunteers(
  ctx: AppContext,
  actor: Actor,
  buffer: Buffer,
): Promise<VolunteerImportReport> {
  const base = await loadOwnBase(ctx, actor);
  if (base.status === "revoked") throw new AppError("CONFLICT", "该基地已被撤销命名，不能再修改名册。");
  const rows = await readRows(buffer);
  const problems: ImportProblem[] = [];
  const valid: { row: number; data: VolunteerInput }[] = [];
  const seenNo = new Map<string, number>();
  for (const { row, raw } of rows) {
    const parsed = volunteerSchema.safeParse(raw);
    if (!parsed.success) {
      const mine = new Set<string>();
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0]) as VolunteerImportKey;
        if (mine.has(key)) continue;
        mine.add(key);
        problems.push({ row, column: HEADER_OF[key] ?? key, message: issue.message });
      }
      continue;
    }
    const d = parsed.data;
    if (d.stvsNo) {
      const first = seenNo.get(d.stvsNo);
      if (first) {
        problems.push({ row, column: HEADER_OF.stvsNo, message: `与第${first}行的志愿者编号重复` });
        continue;
      }
      seenNo.set(d.stvsNo, row);
    }
    valid.push({ row, data: d });
  }
  const numbers = [...seenNo.keys()];
  for (let i = 0; i < numbers.length; i += 500) {
    const taken = await ctx.db
      .selectFrom("volunteers")
      .select("stvs_no")
      .where("base_id", "=", base.id)
      .where("stvs_no", "in", numbers.slice(i, i + 500))
      .execute();
    for (const t of taken) {
      problems.push({
        row: seenNo.get(t.stvs_no)!,
        column: HEADER_OF.stvsNo,
        message: "该志愿者编号已在本队名册中",
      });
    }
  }
  problems.sort((a, b) => a.row - b.row);
  const invalidRows = [...new Set(problems.map((p) => p.row))];
  if (rows.length === 0) throw new AppError("VALIDATION", "文件中没有志愿者数据");
  if (invalidRows.length) return { rows: rows.length, problems, invalidRows, imported: 0, applied: false };
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const values = valid.map((v) => volunteerValues(base, v.data, now));
    for (let i = 0; i < values.length; i += 200) {
      await trx
        .insertInto("volunteers")
        .values(values.slice(i, i + 200))
        .execute();
    }
    await bumpGeneration(trx, "bases", [base.id]);
    await recordAudit(ctx, trx, actor, {
      action: "volunteer.import",
      targetType: "base",
      targetId: base.id,
      detail: { rows: rows.length, imported: values.length },
    });
  });
  return { rows: rows.length, problems: [], invalidRows: [], imported: valid.length, applied: true };
}
