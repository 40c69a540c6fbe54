import type { Writable } from "node:stream";
import yazl from "yazl";
import { authorize } from "#src/modules/accounts/authorize.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { getCall } from "#src/modules/calls/calls.server.ts";
import { countFilesBySlot } from "#src/modules/files/files.server.ts";
import { catalogSlot } from "#src/modules/files/slots.ts";
import { listRegions, regionSubtree } from "#src/modules/regions/regions.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import { withBulkReader } from "#src/platform/db/bulk-reader.server.ts";
import type { Database } from "#src/platform/db/database.ts";
import { CATEGORIES } from "#src/platform/db/reference-data.ts";
import type { Application } from "#src/platform/db/schema.ts";
import { openStorage } from "#src/platform/storage/index.ts";
import { sheetDay, sheetInstant, streamSheet } from "#src/platform/xlsx/stream-sheet.server.ts";
import { APPLICATION_SLOTS } from "./application-attachments.server.ts";
import { zipEntryOptions } from "./application-batch-zip.server.ts";
import {
  type ApplicationPdfInput,
  applicationPdfFilename,
  renderApplicationPdf,
} from "./application-pdf.server.ts";
import { ACTION_LABELS, BASIC_CONDITIONS, type ReviewAction, STATUS_LABELS } from "./applications.rules.ts";
import { getApplication } from "./applications.server.ts";

const BATCH = 500;

/** A reviewer's last decision at one stage, or the last site inspection, as the export shows it. */
interface StageOpinion {
  action: string;
  opinion: string;
  /** The date the reviewer wrote (YYYY-MM-DD), else the Beijing day it was recorded. */
  day: string;
  by: string;
}
interface Inspection {
  inspectedOn: string;
  inspectors: string;
  findings: string;
}
type Row = Application & { county?: StageOpinion; city?: StageOpinion; inspection?: Inspection };

const beijingDay = (iso: string) => formatShanghai(iso).slice(0, 10);

const COLUMNS: {
  header: string;
  width: number;
  format?: "date";
  value: (a: Row, names: Map<string, string>) => string | number | Date | null;
}[] = [
  { header: "申报编号", width: 24, value: (a) => a.application_no ?? "" },
  { header: "当前阶段", width: 16, value: (a) => STATUS_LABELS[a.status] },
  { header: "所在区域", width: 10, value: (a, n) => n.get(a.region_code) ?? a.region_code },
  { header: "基地名称", width: 30, value: (a) => a.base_name },
  { header: "申报单位名称", width: 28, value: (a) => a.unit_name },
  {
    header: "申报类别",
    width: 16,
    value: (a) => CATEGORIES.find((c) => c.code === a.category_code)?.name ?? "",
  },
  { header: "通信地址", width: 30, value: (a) => a.address },
  { header: "负责人", width: 10, value: (a) => a.leader_name },
  { header: "负责人电话", width: 15, value: (a) => a.leader_phone },
  { header: "联系人", width: 10, value: (a) => a.contact_name },
  { header: "联系人电话", width: 15, value: (a) => a.contact_phone },
  { header: "预约参观电话", width: 15, value: (a) => a.booking_phone },
  { header: "科技志愿名称", width: 28, value: (a) => a.volunteer_team_name },
  { header: "科技志愿者人数", width: 10, value: (a) => a.volunteer_count },
  { header: "志愿者负责人", width: 10, value: (a) => a.volunteer_leader },
  { header: "志愿者负责人电话", width: 15, value: (a) => a.volunteer_leader_phone },
  { header: "开放形式", width: 18, value: (a) => a.opening_form ?? "" },
  { header: "科普场所面积（平方米）", width: 12, value: (a) => a.area_sqm },
  { header: "年开放天数", width: 10, value: (a) => a.open_days },
  { header: "科普教育基地简介", width: 60, value: (a) => a.intro },
  { header: "已获命名（荣誉）情况", width: 40, value: (a) => a.honors },
  {
    header: "基本条件确认",
    width: 20,
    value: (a) => {
      const list: { confirmed: boolean }[] = JSON.parse(a.conditions || "[]");
      return `${list.filter((c) => c.confirmed).length}/${BASIC_CONDITIONS.length}`;
    },
  },
  { header: "县级推荐结论", width: 12, value: (a) => a.county?.action ?? "" },
  { header: "县级推荐意见", width: 40, value: (a) => a.county?.opinion ?? "" },
  { header: "县级意见日期", width: 12, format: "date", value: (a) => sheetDay(a.county?.day) },
  { header: "县级审核人", width: 16, value: (a) => a.county?.by ?? "" },
  { header: "市级评审结论", width: 12, value: (a) => a.city?.action ?? "" },
  { header: "市级评审意见", width: 40, value: (a) => a.city?.opinion ?? "" },
  { header: "市级评分", width: 10, value: (a) => a.city_score },
  { header: "市级意见日期", width: 12, format: "date", value: (a) => sheetDay(a.city?.day) },
  { header: "市级评审人", width: 16, value: (a) => a.city?.by ?? "" },
  {
    header: "实地抽查日期",
    width: 12,
    format: "date",
    value: (a) => sheetDay(a.inspection?.inspectedOn),
  },
  { header: "抽查人员", width: 20, value: (a) => a.inspection?.inspectors ?? "" },
  { header: "抽查情况", width: 50, value: (a) => a.inspection?.findings ?? "" },
  { header: "提交时间", width: 20, value: (a) => sheetInstant(a.submitted_at) },
  { header: "最近更新", width: 20, value: (a) => sheetInstant(a.updated_at) },
  { header: "系统编号", width: 38, value: (a) => a.id },
];

export const APPLICATIONS_EXPORT_HEADERS = COLUMNS.map((c) => c.header);

/** Decisions that close a stage: the county's and the city's, including a return for revision. */
const STAGE_ACTIONS: Record<"county" | "city", ReviewAction[]> = {
  county: ["recommend", "decline", "return"],
  city: ["pass", "reject", "return"],
};

/**
 * The county's and the city's last decision and the last site inspection of each application of
 * `rows` (one query a batch), in the order they were recorded.
 */
async function withReviews(db: Database, rows: Application[]): Promise<Row[]> {
  if (!rows.length) return rows;
  const events = await db
    .selectFrom("application_events")
    .select([
      "application_id",
      "actor_role",
      "actor_label",
      "action",
      "opinion",
      "opinion_date",
      "at",
      "detail",
    ])
    .where(
      "application_id",
      "in",
      rows.map((r) => r.id),
    )
    .where("action", "in", [...STAGE_ACTIONS.county, ...STAGE_ACTIONS.city, "inspect"])
    .orderBy("application_id")
    .orderBy("version")
    .execute();
  const byApp = new Map<string, Omit<Row, keyof Application>>();
  for (const e of events) {
    const r = byApp.get(e.application_id) ?? {};
    byApp.set(e.application_id, r);
    if (e.action === "inspect") {
      const d = JSON.parse(e.detail || "{}") as Partial<Inspection>;
      r.inspection = {
        inspectedOn: d.inspectedOn ?? beijingDay(e.at),
        inspectors: d.inspectors ?? "",
        findings: d.findings ?? "",
      };
      continue;
    }
    const stage = e.actor_role === "county" || e.actor_role === "city" ? e.actor_role : null;
    if (!stage || !STAGE_ACTIONS[stage].includes(e.action as ReviewAction)) continue;
    r[stage] = {
      action: ACTION_LABELS[e.action as ReviewAction],
      opinion: e.opinion ?? "",
      day: e.opinion_date || beijingDay(e.at),
      by: e.actor_label ?? "",
    };
  }
  return rows.map((a) => ({ ...a, ...byApp.get(a.id) }));
}

/**
 * Exports a call's applications in the actor's scope to XLSX, one row each with every field, the
 * current stage, the county's and the city's opinions and the site inspection. Authorization and the
 * call lookup happen first (so they can still answer 403/404); the returned writer then reads keyset
 * batches and commits rows as written, so memory stays flat.
 */
export async function prepareApplicationsXlsx(
  ctx: AppContext,
  actor: Actor,
  callId: string,
): Promise<(out: Writable) => Promise<number>> {
  const me = await authorize(ctx, actor, "applications:review");
  const call = await getCall(ctx, callId);
  const scope = await regionSubtree(ctx, me.regionCode);
  const names = new Map((await listRegions(ctx)).map((r) => [r.code, r.name]));
  // Personal data (names, phones): audited before the first byte, so a download cut short is on record too.
  await recordAudit(ctx, ctx.db, actor, {
    action: "application.export_xlsx",
    targetType: "call",
    targetId: call.id,
  });
  return (out) => writeXlsx(ctx, call.id, scope, names, out);
}

function writeXlsx(
  ctx: AppContext,
  callId: string,
  scope: string[],
  names: Map<string, string>,
  out: Writable,
): Promise<number> {
  return withBulkReader(ctx, (db) =>
    streamSheet<Row>(out, {
      sheetName: "申报汇总",
      columns: COLUMNS.map((c) => ({ ...c, value: (a: Row) => c.value(a, names) })),
      batchSize: BATCH,
      nextBatch: async (after) =>
        withReviews(
          db,
          await db
            .selectFrom("applications")
            .selectAll()
            .where("call_id", "=", callId)
            .where("region_code", "in", scope.length ? scope : [""])
            .where("status", "!=", "draft")
            .where("id", ">", after?.id ?? "")
            .orderBy("id")
            .limit(BATCH)
            .execute(),
        ),
    }),
  );
}

/** Streams one application's attachments as a ZIP, one folder per slot; answers its 申报编号 for the file name. */
export async function writeAttachmentsZip(
  ctx: AppContext,
  actor: Actor,
  applicationId: string,
  out: Writable,
): Promise<{ applicationNo: string | null }> {
  const { app } = await getApplication(ctx, actor, applicationId);
  const files = await ctx.db
    .selectFrom("files")
    .selectAll()
    .where("owner_type", "=", "application")
    .where("owner_id", "=", app.id)
    .orderBy("id")
    .execute();
  const storage = openStorage(ctx.config);
  const zip = new yazl.ZipFile();
  zip.outputStream.pipe(out);
  const used = new Set<string>();
  for (const f of files) {
    const folder = catalogSlot(f.slot)?.label ?? f.slot;
    let name = `${folder}/${f.original_name.replace(/[\\/]/g, "_")}`;
    for (let i = 2; used.has(name); i++) name = `${folder}/${i}-${f.original_name.replace(/[\\/]/g, "_")}`;
    used.add(name);
    zip.addReadStream(await storage.get(f.storage_key), name, zipEntryOptions(f.created_at, true));
  }
  zip.end();
  await recordAudit(ctx, ctx.db, actor, {
    action: "application.export_zip",
    targetType: "application",
    targetId: app.id,
    detail: { files: files.length, applicationNo: app.application_no },
  });
  return { applicationNo: app.application_no };
}

/** The filled 申报表 as a PDF, for the applicant to print and stamp, or for reviewers. */
export async function renderApplicationFormPdf(ctx: AppContext, actor: Actor, applicationId: string) {
  const { app, callTitle } = await getApplication(ctx, actor, applicationId);
  const call = await getCall(ctx, app.call_id);
  const counts = await countFilesBySlot(ctx, "application", app.id);
  const conditions: { confirmed: boolean; note: string }[] = JSON.parse(app.conditions || "[]");
  const input: ApplicationPdfInput = {
    draft: app.status === "draft",
    regionName: (await listRegions(ctx)).find((r) => r.code === app.region_code)?.name ?? "",
    baseName: app.base_name,
    unitName: app.unit_name,
    address: app.address,
    leaderName: app.leader_name,
    leaderPhone: app.leader_phone,
    contactName: app.contact_name,
    contactPhone: app.contact_phone,
    bookingPhone: app.booking_phone,
    volunteerTeamName: app.volunteer_team_name,
    volunteerCount: app.volunteer_count,
    volunteerLeader: app.volunteer_leader,
    volunteerLeaderPhone: app.volunteer_leader_phone,
    openingForm: app.opening_form ?? "",
    categoryName: CATEGORIES.find((c) => c.code === app.category_code)?.name ?? "",
    categoryOptions: CATEGORIES.filter((c) => call.categoryCodes.includes(c.code)).map((c) => c.name),
    areaSqm: app.area_sqm,
    openDays: app.open_days,
    intro: app.intro,
    honors: app.honors,
    conditions: BASIC_CONDITIONS.map((label, i) => ({
      label,
      ...(conditions[i] ?? { confirmed: false, note: "" }),
    })),
    attachments: APPLICATION_SLOTS.map((s) => ({ slotLabel: s.label, count: counts[s.id] ?? 0 })),
    callTitle,
    generatedAt: formatShanghai(ctx.clock.now()),
    applicationId: app.id,
    applicationNo: app.application_no,
  };
  const pdf = await renderApplicationPdf(input);
  // The 申报表 carries names and phones: every download is on record, the applicant's own included.
  await recordAudit(ctx, ctx.db, actor, {
    action: "application.export_pdf",
    targetType: "application",
    targetId: app.id,
  });
  return { pdf, ...applicationPdfFilename(input) };
}
