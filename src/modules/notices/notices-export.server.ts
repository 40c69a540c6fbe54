import type { Writable } from "node:stream";
import { authorize } from "#src/modules/accounts/authorize.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import { withBulkReader } from "#src/platform/db/bulk-reader.server.ts";
import type { Objection, PublicNotice } from "#src/platform/db/schema.ts";
import {
  type SheetColumn,
  sheetDay,
  sheetInstant,
  streamSheet,
} from "#src/platform/xlsx/stream-sheet.server.ts";
import { noticePhase, OBJECTION_STATUS_LABELS, UPHELD_ACTION_LABELS } from "./notices.rules.ts";
import { noticesManagedBy } from "./notices-scope.server.ts";

const BATCH = 500;

const KIND_LABELS: Record<PublicNotice["kind"], string> = {
  proposed: "拟认定名单公示",
  naming: "认定公告",
  evaluation: "绩效评价结果公示",
};

type NoticeRow = PublicNotice & { entries: number; objections: number; pending: number };

/** The last day of a notice: its end is 24:00 of that day (Beijing), the start of the next. */
const lastDay = (endsAt: string) => formatShanghai(new Date(new Date(endsAt).getTime() - 1)).slice(0, 10);

const noticeColumns = (now: Date): SheetColumn<NoticeRow>[] => [
  { header: "标题", width: 40, value: (n) => n.title },
  { header: "类型", width: 14, value: (n) => KIND_LABELS[n.kind] },
  { header: "状态", width: 10, value: (n) => noticePhase(n, now).label },
  { header: "公示开始时间", width: 20, value: (n) => sheetInstant(n.starts_at) },
  {
    header: "公示截止日期",
    width: 12,
    format: "date",
    value: (n) => (n.kind === "naming" ? null : sheetDay(lastDay(n.ends_at))),
  },
  { header: "公示工作日数", width: 8, value: (n) => (n.kind === "naming" ? null : n.working_days) },
  { header: "名单数量", width: 8, value: (n) => n.entries },
  { header: "异议数", width: 8, value: (n) => n.objections },
  { header: "待核实异议数", width: 10, value: (n) => n.pending },
  { header: "联系方式", width: 30, value: (n) => n.contact },
  { header: "发布时间", width: 20, value: (n) => sheetInstant(n.created_at) },
];

export const NOTICES_EXPORT_HEADERS = noticeColumns(new Date()).map((c) => c.header);

type ObjectionRow = Objection & { notice_title: string; base_name: string | null };

const OBJECTION_COLUMNS: SheetColumn<ObjectionRow>[] = [
  { header: "受理编号", width: 16, value: (o) => o.ref_no },
  { header: "公示", width: 36, value: (o) => o.notice_title },
  { header: "异议对象", width: 30, value: (o) => o.base_name ?? "（整份名单）" },
  { header: "异议人类型", width: 10, value: (o) => (o.objector_kind === "unit" ? "单位" : "个人") },
  { header: "异议人", width: 12, value: (o) => o.objector_name },
  { header: "异议单位", width: 24, value: (o) => o.objector_unit ?? "" },
  { header: "联系电话", width: 15, value: (o) => o.objector_phone },
  { header: "异议内容", width: 60, value: (o) => o.content },
  { header: "提交时间", width: 20, value: (o) => sheetInstant(o.created_at) },
  { header: "状态", width: 10, value: (o) => OBJECTION_STATUS_LABELS[o.status] },
  {
    header: "处理结果",
    width: 22,
    value: (o) => (o.upheld_action ? UPHELD_ACTION_LABELS[o.upheld_action] : ""),
  },
  { header: "答复", width: 50, value: (o) => o.reply ?? "" },
  { header: "处理时间", width: 20, value: (o) => sheetInstant(o.handled_at) },
];

export const OBJECTIONS_EXPORT_HEADERS = OBJECTION_COLUMNS.map((c) => c.header);

/**
 * 【导出】 on 公示管理: every notice the list shows (newest first), with its list size and its
 * objections counted. Audited before the first byte.
 */
export async function prepareNoticesXlsx(
  ctx: AppContext,
  actor: Actor,
): Promise<(out: Writable) => Promise<number>> {
  const me = await authorize(ctx, actor, "notices:manage");
  const now = ctx.clock.now();
  await recordAudit(ctx, ctx.db, actor, { action: "notice.export", targetType: "notice" });
  return (out) =>
    withBulkReader(ctx, (db) =>
      streamSheet<NoticeRow>(out, {
        sheetName: "公示",
        columns: noticeColumns(now),
        batchSize: BATCH,
        nextBatch: async (last) => {
          let q = db
            .selectFrom("public_notices")
            .leftJoin("calls", "calls.id", "public_notices.call_id")
            .where(noticesManagedBy(me))
            .selectAll("public_notices")
            .select((eb) => [
              eb
                .selectFrom("notice_entries")
                .select(eb.fn.countAll<number>().as("n"))
                .whereRef("notice_entries.notice_id", "=", "public_notices.id")
                .as("entries"),
              eb
                .selectFrom("objections")
                .select(eb.fn.countAll<number>().as("n"))
                .whereRef("objections.notice_id", "=", "public_notices.id")
                .as("objections"),
              eb
                .selectFrom("objections")
                .select(eb.fn.countAll<number>().as("n"))
                .whereRef("objections.notice_id", "=", "public_notices.id")
                .where("objections.status", "=", "pending")
                .as("pending"),
            ]);
          if (last) q = q.where("public_notices.id", "<", last.id);
          const rows = await q.orderBy("public_notices.id", "desc").limit(BATCH).execute();
          return rows.map((n) => ({
            ...n,
            entries: Number(n.entries ?? 0),
            objections: Number(n.objections ?? 0),
            pending: Number(n.pending ?? 0),
          }));
        },
      }),
    );
}

/**
 * 【导出异议】 on 公示管理: every objection to every notice, oldest first, with the objector's name
 * and phone. Personal data: audited before the first byte.
 */
export async function prepareObjectionsXlsx(
  ctx: AppContext,
  actor: Actor,
): Promise<(out: Writable) => Promise<number>> {
  const me = await authorize(ctx, actor, "notices:manage");
  await recordAudit(ctx, ctx.db, actor, { action: "objection.export", targetType: "objection" });
  return (out) =>
    withBulkReader(ctx, (db) =>
      streamSheet<ObjectionRow>(out, {
        sheetName: "异议",
        columns: OBJECTION_COLUMNS,
        batchSize: BATCH,
        nextBatch: (last) => {
          let q = db
            .selectFrom("objections")
            .innerJoin("public_notices", "public_notices.id", "objections.notice_id")
            .leftJoin("calls", "calls.id", "public_notices.call_id")
            .where(noticesManagedBy(me))
            .selectAll("objections")
            .select((eb) => [
              "public_notices.title as notice_title",
              eb
                .selectFrom("notice_entries")
                .select("notice_entries.base_name")
                .whereRef("notice_entries.notice_id", "=", "objections.notice_id")
                .whereRef("notice_entries.application_id", "=", "objections.application_id")
                .limit(1)
                .as("base_name"),
            ]);
          if (last) q = q.where("objections.id", ">", last.id);
          return q.orderBy("objections.id").limit(BATCH).execute();
        },
      }),
    );
}
