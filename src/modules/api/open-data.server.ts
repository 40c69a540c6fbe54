import { PassThrough } from "node:stream";
import type { z } from "zod";
import {
  ACTIVITY_FORM_LABELS,
  ACTIVITY_TYPE_LABELS,
  FEE_LABELS,
} from "#src/modules/activities/activities.rules.ts";
import { listPublicActivitiesOfYear } from "#src/modules/activities/activities.server.ts";
import { PUBLIC_STATUS_LABELS } from "#src/modules/bases/bases-directory.labels.ts";
import { listAllPublicBases } from "#src/modules/bases/bases-directory.server.ts";
import {
  GenerationCache,
  type GenerationKey,
  readGenerations,
} from "#src/platform/cache/generations.server.ts";
import type { AppContext } from "#src/platform/context.ts";
import { type SheetColumn, streamSheet } from "#src/platform/xlsx/stream-sheet.server.ts";
import type { openDataFileSchema, openDataJsonSchema } from "./api.schema.ts";

/**
 * 开放数据 (issue 19): the directory and this year's activities as CSV, XLSX and JSON. Each file is made
 * from the public pages' own reads, kept per data generation, and made again on the first download after
 * the data changed; every file names its licence and when it was generated.
 */

export const OPEN_DATA_LICENCE =
  "本数据依据知识共享署名 4.0 国际许可协议（CC BY 4.0）开放，使用时请注明来源“衢州市科普基地服务平台”。数据来自平台公开页面，个人电话已打码。";

type Value = string | number | null;
interface Column {
  key: string;
  title: string;
  width: number;
}
interface Table {
  title: string;
  columns: Column[];
  rows: Record<string, Value>[];
}

const col = (key: string, title: string, width = 16): Column => ({ key, title, width });

const BASE_COLUMNS = [
  col("id", "编号", 38),
  col("name", "基地名称", 30),
  col("unitName", "依托单位", 30),
  col("regionName", "县（市、区）", 12),
  col("regionCode", "区域代码", 10),
  col("categoryName", "类别", 14),
  col("level", "认定级别", 8),
  col("openingForm", "开放形式", 20),
  col("address", "地址", 36),
  col("status", "状态", 8),
  col("batchNo", "批次", 6),
  col("recognizedYear", "认定年份", 8),
];

const ACTIVITY_COLUMNS = [
  col("id", "编号", 38),
  col("name", "活动名称", 30),
  col("type", "活动类型", 14),
  col("form", "活动形式", 10),
  col("fee", "收费方式", 8),
  col("startsAt", "开始时间", 20),
  col("endsAt", "结束时间", 20),
  col("place", "活动地点", 30),
  col("regionCode", "区域代码", 10),
  col("baseId", "基地编号", 38),
  col("baseName", "基地名称", 30),
];

async function basesTable(ctx: AppContext): Promise<Table> {
  const rows = await listAllPublicBases(ctx);
  return {
    title: "衢州市科普教育基地名录",
    columns: BASE_COLUMNS,
    rows: rows.map((b) => ({
      id: b.id,
      name: b.name,
      unitName: b.unitName,
      regionName: b.regionName,
      regionCode: b.regionCode,
      categoryName: b.categoryName,
      level: b.level === "county" ? "县级" : "市级",
      openingForm: b.openingForm,
      address: b.address,
      status: PUBLIC_STATUS_LABELS[b.status],
      batchNo: b.batchNo,
      recognizedYear: b.recognizedYear,
    })),
  };
}

async function activitiesTable(ctx: AppContext, year: number): Promise<Table> {
  const rows = await listPublicActivitiesOfYear(ctx, year);
  return {
    title: `衢州市科普教育基地${year}年活动`,
    columns: ACTIVITY_COLUMNS,
    rows: rows.map((a) => ({
      id: a.id,
      name: a.name,
      type: ACTIVITY_TYPE_LABELS[a.type],
      form: ACTIVITY_FORM_LABELS[a.form],
      fee: FEE_LABELS[a.fee],
      startsAt: a.startsAt,
      endsAt: a.endsAt,
      place: a.place,
      regionCode: a.regionCode,
      baseId: a.baseId,
      baseName: a.baseName,
    })),
  };
}

/** RFC 4180 quoting, and a leading quote mark for text a spreadsheet would run as a formula. */
export function csvCell(v: Value): string {
  if (v === null) return "";
  let s = String(v);
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** UTF-8 with a BOM (so Excel reads the Chinese), the licence and generation time as `#` lines first. */
export function toCsv(t: Table, generatedAt: string): string {
  const lines = [
    `# ${t.title}`,
    `# ${OPEN_DATA_LICENCE}`,
    `# 生成时间：${generatedAt}`,
    t.columns.map((c) => csvCell(c.title)).join(","),
    ...t.rows.map((r) => t.columns.map((c) => csvCell(r[c.key] ?? null)).join(",")),
  ];
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

type SheetRow = { data: Record<string, Value> } | { note: string };

async function toXlsx(t: Table, generatedAt: string): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    out.on("end", resolve);
    out.on("error", reject);
  });
  const notes: SheetRow[] = [{ note: "" }, { note: OPEN_DATA_LICENCE }, { note: `生成时间：${generatedAt}` }];
  const all: SheetRow[] = [...t.rows.map((data) => ({ data })), ...notes];
  const columns: SheetColumn<SheetRow>[] = t.columns.map((c, i) => ({
    header: c.title,
    width: c.width,
    value: (r) => ("data" in r ? (r.data[c.key] ?? null) : i === 0 ? r.note : null),
  }));
  const BATCH = 5000;
  await streamSheet(out, {
    sheetName: t.title,
    columns,
    batchSize: BATCH,
    autoFilter: false,
    nextBatch: async (last) => {
      const from = last === null ? 0 : all.indexOf(last) + 1;
      return all.slice(from, from + BATCH);
    },
  });
  await ended;
  return Buffer.concat(chunks);
}

export interface OpenDataFile {
  body: Buffer;
  contentType: string;
  filename: string;
  generatedAt: string;
}

const CONTENT_TYPES = {
  json: "application/json; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const;

const files = new GenerationCache<OpenDataFile>(12);

/** One open data file, made afresh only when its data has changed since it was last made. */
export async function openDataFile(
  ctx: AppContext,
  file: z.output<typeof openDataFileSchema>,
): Promise<OpenDataFile> {
  const [dataset, format] = file.split(".") as ["bases" | "activities", "json" | "csv" | "xlsx"];
  const year = Number(new Date(ctx.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 4));
  const keys: GenerationKey[] = dataset === "bases" ? ["bases"] : ["bases", "activities"];
  const generation = await readGenerations(ctx, keys);
  return files.get(ctx, `${file}:${year}`, generation, async () => {
    const generatedAt = ctx.clock.now().toISOString();
    const t = dataset === "bases" ? await basesTable(ctx) : await activitiesTable(ctx, year);
    let body: Buffer;
    if (format === "json") {
      const doc: z.input<typeof openDataJsonSchema> = {
        dataset,
        title: t.title,
        licence: OPEN_DATA_LICENCE,
        generatedAt,
        columns: t.columns.map(({ key, title }) => ({ key, title })),
        rows: t.rows,
      };
      body = Buffer.from(JSON.stringify(doc));
    } else if (format === "csv") body = Buffer.from(toCsv(t, generatedAt));
    else body = await toXlsx(t, generatedAt);
    const name = dataset === "bases" ? "bases" : `activities-${year}`;
    return { body, contentType: CONTENT_TYPES[format], filename: `kepu-${name}.${format}`, generatedAt };
  });
}
