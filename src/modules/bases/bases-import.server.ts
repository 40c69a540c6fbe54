import ExcelJS from "exceljs";
import type { Kysely } from "kysely";
import { authorize } from "#src/modules/accounts/authorize.server.ts";
import { OPENING_FORMS } from "#src/modules/applications/applications.rules.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { listCounties } from "#src/modules/regions/regions.server.ts";
import { bumpGeneration } from "#src/platform/cache/generations.server.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import type { Base, DB, NewBase } from "#src/platform/db/schema.ts";
import { AppError } from "#src/platform/errors.ts";
import { newId } from "#src/platform/ids.ts";
import { countyShortName } from "#src/platform/numbering.rules.ts";
import { withAreaCode } from "#src/platform/phone.rules.ts";
import { assertXlsxWithinLimits, XLSX_UPLOAD_LIMITS } from "#src/platform/xlsx/bounded-read.server.ts";
import { BASE_STATUS_LABELS, baseSearchText } from "./bases.rules.ts";
import {
  IMPORT_COLUMNS,
  type ImportKey,
  type ImportRaw,
  type ImportRow,
  importRowSchema,
  OPTIONAL_IMPORT_KEYS,
} from "./bases.schema.ts";
import { baseScope } from "./bases.server.ts";
import { type CellValue, type FieldChange, fieldChanges, readImportCell } from "./bases-import.rules.ts";

/** 认定日期 is a day in Beijing; stored as the instant it began. */
const shanghaiDayStart = (day: string) => new Date(`${day}T00:00:00+08:00`).toISOString();

/** Enough for every base a city has, and small enough to parse in memory. */
export const MAX_IMPORT_ROWS = 5000;
/** The template has 23; room for a few extra columns people add. */
export const MAX_IMPORT_COLUMNS = 60;
/** The longest field (简介) is 1000 characters. */
export const MAX_IMPORT_CELL_CHARS = 2000;

export interface ImportProblem {
  /** The sheet's row number, as Excel shows it. */
  row: number;
  column: string;
  message: string;
}

export type ImportAction = "create" | "update" | "unchanged";

export interface ImportReport {
  /** Data rows read (blank rows are ignored). */
  rows: number;
  problems: ImportProblem[];
  /** Rows with at least one problem. */
  invalidRows: number[];
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  /** Whether anything was written. */
  applied: boolean;
  /** Cells read, but not as typed (a phone that lost its leading 0): worth a look. */
  notes: ImportProblem[];
  /** Per valid row: what importing it does; an update lists each field it changes. */
  plan: { row: number; uscc: string; name: string; action: ImportAction; changes: FieldChange[] }[];
}

/** The template: the header row, one example row and a notes sheet listing the allowed values. */
export async function importTemplateXlsx(ctx: AppContext, actor: Actor): Promise<Buffer> {
  await authorize(ctx, actor, "bases:import");
  const counties = await listCounties(ctx);
  const categories = await ctx.db.selectFrom("categories").select("name").orderBy("sort").execute();
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet("基地导入", { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = IMPORT_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  // Text format, so long codes and phone numbers keep their digits and leading zeros.
  for (let i = 1; i <= IMPORT_COLUMNS.length; i++) sheet.getColumn(i).numFmt = "@";
  const notes = wb.addWorksheet("填写说明");
  notes.columns = [
    { header: "列", width: 20 },
    { header: "说明", width: 90 },
  ];
  notes.getRow(1).font = { bold: true };
  const lines: [string, string][] = [
    ["统一社会信用代码", "必填，18位，校验位须正确；同一文件内不得重复。已存在的代码将更新该基地信息。"],
    ["基地名称", "必填，须以“科普教育基地”结尾"],
    ["单位名称", "必填"],
    [
      "所在区域",
      `必填：${counties.map((c) => c.name).join("、")}（也可写简称，如“${countyShortName(counties[0]?.name ?? "柯城区")}”）`,
    ],
    ["类别", `必填：${categories.map((c) => c.name).join("、")}`],
    ["开放形式", `可空：${OPENING_FORMS.join("、")}`],
    ["年开放天数", "可空，1至366的整数"],
    ["电话", "手机号或带区号的固定电话，如 0570-3027351"],
    ["批次 / 认定年份", "必填，如 3 / 2018"],
    ["证书编号(可空)", "可空；已有基地留空时保留原编号"],
    ["简介", "可空，不超过1000字"],
    ["认定日期", "可空，如 2023-06-01，须在认定年份内"],
    ["面积(平方米)", "可空，数字"],
    ["开放时间", "可空，如 周二至周日 9:00-17:00"],
    ["志愿者人数", "可空，整数"],
    ["状态", "可空：已认定、警示、已撤销（仅新建基地时使用；已有基地的警示、撤销请在基地管理中办理）"],
  ];
  for (const l of lines) notes.addRow(l);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function cellValue(cell: ExcelJS.Cell): CellValue {
  const v = cell.value;
  if (v === null || v === undefined) return null;
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean" || v instanceof Date) return v;
  if (typeof v === "object") {
    if ("richText" in v) return v.richText.map((r) => r.text).join("");
    if ("text" in v && typeof v.text === "string") return v.text;
    if ("result" in v) {
      const r = v.result;
      return r === undefined || r === null || typeof r === "object" ? (r instanceof Date ? r : null) : r;
    }
  }
  return String(cell.text ?? "");
}

/** A cell as text, whatever Excel or WPS stored it as (shared with other importers). */
export const cellText = (cell: ExcelJS.Cell): string => readImportCell("", cellValue(cell)).text;

interface ParsedSheet {
  rows: { row: number; raw: ImportRaw }[];
  problems: ImportProblem[];
  notes: ImportProblem[];
  /** The template columns the sheet has. */
  present: Set<ImportKey>;
}

async function readSheet(buffer: Buffer): Promise<ParsedSheet> {
  const unreadable = "无法读取该文件，请上传由模板填写的 Excel（.xlsx）文件";
  // Inflated and counted first: a small file can hold a sheet of hundreds of megabytes.
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
  // Rows that hold anything, header included; blank formatted rows below the data are not counted.
  if (sheet.actualRowCount > MAX_IMPORT_ROWS + 1)
    throw new AppError("VALIDATION", `一次最多导入${MAX_IMPORT_ROWS}行，请分批导入`);
  const header = sheet.getRow(1);
  const colOf = new Map<ImportKey, number>();
  header.eachCell((cell, col) => {
    const text = cellText(cell).replace(/\s+/g, "");
    const c = IMPORT_COLUMNS.find((c) => c.header === text || bareHeader(c.header) === bareHeader(text));
    if (c && !colOf.has(c.key)) colOf.set(c.key, col);
  });
  const absent = IMPORT_COLUMNS.filter((c) => !colOf.has(c.key) && !OPTIONAL_IMPORT_KEYS.has(c.key));
  if (absent.length) {
    throw new AppError(
      "VALIDATION",
      `表头缺少以下列：${absent.map((c) => c.header).join("、")}。请使用导入模板。`,
    );
  }
  const rows: ParsedSheet["rows"] = [];
  const notes: ImportProblem[] = [];
  sheet.eachRow((row, r) => {
    if (r === 1) return;
    const raw = {} as ImportRaw;
    for (const c of IMPORT_COLUMNS) {
      const col = colOf.get(c.key);
      const reading = col ? readImportCell(c.key, cellValue(row.getCell(col))) : { text: "" };
      const text = reading.text;
      if (reading.note) notes.push({ row: r, column: c.header, message: reading.note });
      if (text.length > MAX_IMPORT_CELL_CHARS)
        throw new AppError(
          "VALIDATION",
          `第${r}行“${c.header}”超过${MAX_IMPORT_CELL_CHARS}个字，请删减后再导入`,
        );
      raw[c.key] = text;
    }
    if (Object.values(raw).every((v) => v === "")) return;
    rows.push({ row: r, raw });
    if (rows.length > MAX_IMPORT_ROWS) {
      throw new AppError("VALIDATION", `一次最多导入${MAX_IMPORT_ROWS}行，请分批导入`);
    }
  });
  return { rows, problems: [], notes, present: new Set(colOf.keys()) };
}

/** 证书编号(可空) and 面积（平方米） match 证书编号 and 面积. */
const bareHeader = (h: string) => h.replace(/[(（][^)）]*[)）]$/, "");

const HEADER_OF = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c.key, c.header])) as Record<
  ImportKey,
  string
>;

/** The bases column each template column sets, named as the template names it (for an update's changes). */
const COLUMN_HEADER: Record<string, string> = {
  name: HEADER_OF.name,
  unit_name: HEADER_OF.unitName,
  region_code: HEADER_OF.county,
  category_code: HEADER_OF.category,
  address: HEADER_OF.address,
  opening_form: HEADER_OF.openingForm,
  open_days: HEADER_OF.openDays,
  booking_phone: HEADER_OF.bookingPhone,
  leader_name: HEADER_OF.leaderName,
  leader_phone: HEADER_OF.leaderPhone,
  contact_name: HEADER_OF.contactName,
  contact_phone: HEADER_OF.contactPhone,
  volunteer_team_name: HEADER_OF.volunteerTeamName,
  batch_no: HEADER_OF.batchNo,
  recognized_year: HEADER_OF.recognizedYear,
  certificate_no: HEADER_OF.certificateNo,
  intro: HEADER_OF.intro,
  recognized_at: HEADER_OF.recognizedAt,
  area_sqm: HEADER_OF.area,
  opening_hours: HEADER_OF.openingHours,
  volunteer_count: HEADER_OF.volunteerCount,
  status: HEADER_OF.status,
};

/**
 * The bases columns an import row sets (an imported base is linked to no account). A column the sheet
 * lacks sets nothing, and a blank 状态 keeps the status.
 */
function columnsOf(r: ImportRow, present: ReadonlySet<ImportKey>) {
  const has = (k: ImportKey) => present.has(k);
  return {
    ...(has("recognizedAt") ? { recognized_at: r.recognizedAt && shanghaiDayStart(r.recognizedAt) } : {}),
    ...(has("area") ? { area_sqm: r.area } : {}),
    ...(has("openingHours") ? { opening_hours: r.openingHours } : {}),
    ...(has("volunteerCount") ? { volunteer_count: r.volunteerCount } : {}),
    ...(r.status ? { status: r.status } : {}),
    name: r.name,
    unit_name: r.unitName,
    region_code: r.county,
    category_code: r.category,
    address: r.address,
    opening_form: r.openingForm,
    open_days: r.openDays,
    booking_phone: withAreaCode(r.bookingPhone, r.county),
    leader_name: r.leaderName,
    leader_phone: r.leaderPhone,
    contact_name: r.contactName,
    contact_phone: withAreaCode(r.contactPhone, r.county),
    volunteer_team_name: r.volunteerTeamName,
    batch_no: r.batchNo,
    recognized_year: r.recognizedYear,
    intro: r.intro,
    search_text: baseSearchText(r.name, r.unitName, r.address),
  };
}

interface Planned {
  row: number;
  data: ImportRow;
  existing?: Base;
  changes: Partial<NewBase>;
  /** The same changes as the clerk reads them: template column names, county and category names. */
  shown: FieldChange[];
  action: ImportAction;
}

async function analyse(ctx: AppContext, actor: Actor, buffer: Buffer) {
  const me = await authorize(ctx, actor, "bases:import");
  const sheet = await readSheet(buffer);
  const scope = new Set(await baseScope(ctx, me));
  const counties = await listCounties(ctx);
  const categories = await ctx.db.selectFrom("categories").select(["code", "name"]).execute();
  const schema = importRowSchema({ counties, categories });
  const problems: ImportProblem[] = [...sheet.problems];
  const valid: { row: number; data: ImportRow }[] = [];
  const seenUscc = new Map<string, number>();
  const seenCert = new Map<string, number>();
  for (const { row, raw } of sheet.rows) {
    const parsed = schema.safeParse(raw);
    const mine: ImportProblem[] = [];
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0]) as ImportKey;
        if (!mine.some((p) => p.column === HEADER_OF[key])) {
          mine.push({ row, column: HEADER_OF[key] ?? key, message: issue.message });
        }
      }
    } else {
      const d = parsed.data;
      const first = seenUscc.get(d.uscc);
      if (first) mine.push({ row, column: HEADER_OF.uscc, message: `与第${first}行的统一社会信用代码重复` });
      else seenUscc.set(d.uscc, row);
      if (d.certificateNo) {
        const firstCert = seenCert.get(d.certificateNo);
        if (firstCert)
          mine.push({ row, column: HEADER_OF.certificateNo, message: `与第${firstCert}行的证书编号重复` });
        else seenCert.set(d.certificateNo, row);
      }
      if (!scope.has(d.county))
        mine.push({ row, column: HEADER_OF.county, message: "该区域不在您的管辖范围内" });
      if (mine.length === 0) valid.push({ row, data: d });
    }
    problems.push(...mine);
  }

  // Existing bases by USCC, fetched in chunks. An imported base is linked to no account: an account
  // with the same USCC proves nothing (anyone may register a public USCC); see base_accounts.
  const usccs = valid.map((v) => v.data.uscc);
  const existing = new Map<string, Base>();
  for (let i = 0; i < usccs.length; i += 500) {
    const chunk = usccs.slice(i, i + 500);
    for (const b of await ctx.db.selectFrom("bases").selectAll().where("uscc", "in", chunk).execute()) {
      existing.set(b.uscc, b);
    }
  }
  const certs = [...seenCert.keys()];
  const certOwner = new Map<string, string>();
  for (let i = 0; i < certs.length; i += 500) {
    const rows = await ctx.db
      .selectFrom("bases")
      .select(["uscc", "certificate_no"])
      .where("certificate_no", "in", certs.slice(i, i + 500))
      .execute();
    for (const r of rows) if (r.certificate_no) certOwner.set(r.certificate_no, r.uscc);
  }

  const countyName = new Map(counties.map((c) => [c.code, c.name]));
  const categoryName = new Map(categories.map((c) => [c.code, c.name]));
  const named = (b: Partial<NewBase>): Record<string, unknown> => ({
    ...b,
    ...(b.region_code ? { region_code: countyName.get(b.region_code) ?? b.region_code } : {}),
    ...(b.category_code ? { category_code: categoryName.get(b.category_code) ?? b.category_code } : {}),
  });
  const plan: Planned[] = [];
  for (const { row, data } of valid) {
    if (data.certificateNo) {
      const owner = certOwner.get(data.certificateNo);
      if (owner && owner !== data.uscc) {
        problems.push({ row, column: HEADER_OF.certificateNo, message: "该证书编号已被其他基地使用" });
        continue;
      }
    }
    const cur = existing.get(data.uscc);
    const cols = columnsOf(data, sheet.present);
    if (cur) {
      if (cur.region_code !== data.county && !scope.has(cur.region_code)) {
        problems.push({ row, column: HEADER_OF.county, message: "该基地不在您的管辖范围内" });
        continue;
      }
      // Warning and revocation have their own procedures, with reasons and notices.
      if (data.status && data.status !== cur.status) {
        problems.push({
          row,
          column: HEADER_OF.status,
          message: `该基地当前状态为“${BASE_STATUS_LABELS[cur.status]}”，状态变更请在基地管理中办理警示或撤销`,
        });
        continue;
      }
      const changes: Partial<NewBase> = {};
      for (const [k, v] of Object.entries(cols)) {
        if ((cur[k as keyof Base] ?? null) !== (v ?? null)) (changes as Record<string, unknown>)[k] = v;
      }
      // An empty certificate cell keeps the number the base has.
      if (data.certificateNo && data.certificateNo !== cur.certificate_no)
        changes.certificate_no = data.certificateNo;
      plan.push({
        row,
        data,
        existing: cur,
        changes,
        shown: fieldChanges(named(cur), named(changes), COLUMN_HEADER),
        action: Object.keys(changes).length ? "update" : "unchanged",
      });
    } else {
      plan.push({ row, data, changes: {}, shown: [], action: "create" });
    }
  }
  problems.sort((a, b) => a.row - b.row);
  const invalid = new Set(problems.map((p) => p.row));
  return {
    rows: sheet.rows.length,
    problems,
    notes: sheet.notes,
    invalidRows: [...invalid],
    plan: plan.filter((p) => !invalid.has(p.row)),
    present: sheet.present,
  };
}

function reportOf(a: Awaited<ReturnType<typeof analyse>>, applied: boolean): ImportReport {
  const count = (x: ImportAction) => a.plan.filter((p) => p.action === x).length;
  return {
    rows: a.rows,
    problems: a.problems,
    invalidRows: a.invalidRows,
    created: count("create"),
    updated: count("update"),
    unchanged: count("unchanged"),
    skipped: a.invalidRows.length,
    applied,
    notes: a.notes,
    plan: a.plan.map((p) => ({
      row: p.row,
      uscc: p.data.uscc,
      name: p.data.name,
      action: p.action,
      changes: p.shown,
    })),
  };
}

/** 预览: what importing the file would do, row by row; writes nothing. */
export async function previewImport(ctx: AppContext, actor: Actor, buffer: Buffer): Promise<ImportReport> {
  return reportOf(await analyse(ctx, actor, buffer), false);
}

/**
 * 确认导入: one transaction. With any invalid row nothing is written unless skipInvalid. Keyed by
 * USCC, so importing the same file again changes nothing.
 */
export async function importBases(
  ctx: AppContext,
  actor: Actor,
  buffer: Buffer,
  opts: { skipInvalid: boolean },
): Promise<ImportReport> {
  const a = await analyse(ctx, actor, buffer);
  if (a.invalidRows.length > 0 && !opts.skipInvalid) return reportOf(a, false);
  const now = ctx.clock.now().toISOString();
  const writes = a.plan.filter((p) => p.action !== "unchanged");
  await ctx.db.transaction().execute(async (trx) => {
    for (const p of writes) {
      if (p.action === "create")
        await insertBase(
          trx,
          { ...columnsOf(p.data, a.present), uscc: p.data.uscc, certificate_no: p.data.certificateNo },
          now,
        );
      else {
        const done = await trx
          .updateTable("bases")
          .set((eb) => ({ ...p.changes, updated_at: now, version: eb("version", "+", 1) }))
          .where("id", "=", p.existing!.id)
          .where("version", "=", p.existing!.version)
          .executeTakeFirst();
        if (Number(done.numUpdatedRows) !== 1) {
          throw new AppError("CONFLICT", `第${p.row}行的基地刚刚已被他人修改，请重新预览后再导入`);
        }
      }
    }
    if (writes.length) await bumpGeneration(trx, "bases");
    const r = reportOf(a, true);
    await recordAudit(ctx, trx, actor, {
      action: "base.import",
      targetType: "base",
      detail: {
        rows: r.rows,
        created: r.created,
        updated: r.updated,
        unchanged: r.unchanged,
        skipped: r.skipped,
        skippedRows: r.invalidRows.slice(0, 100),
      },
    });
  });
  return reportOf(a, true);
}

/** Inserts one base; the importer and demo seeding share it. */
export async function insertBase(
  db: Kysely<DB>,
  values: Omit<NewBase, "id" | "created_at" | "updated_at" | "search_text"> & { search_text?: string },
  now: string,
): Promise<string> {
  const id = newId();
  await db
    .insertInto("bases")
    .values({
      ...values,
      id,
      search_text: values.search_text ?? baseSearchText(values.name, values.unit_name, values.address ?? ""),
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}
