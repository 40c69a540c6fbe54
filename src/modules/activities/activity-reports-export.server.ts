import type { Writable } from "node:stream";
import { authorize } from "#src/modules/accounts/authorize.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { listRegions, regionSubtree } from "#src/modules/regions/regions.server.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import { withBulkReader } from "#src/platform/db/bulk-reader.server.ts";
import type { Activity } from "#src/platform/db/schema.ts";
import { type SheetColumn, sheetInstant, streamSheet } from "#src/platform/xlsx/stream-sheet.server.ts";
import { ACTIVITY_FORM_LABELS, ACTIVITY_TYPE_LABELS, REPORT_STATUS_LABELS } from "./activities.rules.ts";

const BATCH = 250;
export const REPORT_TABS = ["submitted", "returned", "accepted"] as const;
export type ReportTab = (typeof REPORT_TABS)[number];

type Row = Activity & { base_name: string; county: string };

const COLUMNS: SheetColumn<Row>[] = [
  { header: "活动名称", width: 30, value: (a) => a.name },
  { header: "基地名称", width: 30, value: (a) => a.base_name },
  { header: "所在区域", width: 10, value: (a) => a.county },
  { header: "活动类型", width: 14, value: (a) => ACTIVITY_TYPE_LABELS[a.type] },
  { header: "活动形式", width: 10, value: (a) => ACTIVITY_FORM_LABELS[a.form] },
  { header: "开始时间", width: 20, value: (a) => sheetInstant(a.starts_at) },
  { header: "结束时间", width: 20, value: (a) => sheetInstant(a.ends_at) },
  { header: "活动地点", width: 24, value: (a) => a.place },
  { header: "联系人", width: 10, value: (a) => a.contact_name },
  { header: "联系电话", width: 15, value: (a) => a.contact_phone },
  { header: "活动参与人数", width: 10, value: (a) => a.actual_participants },
  { header: "活动情况简介", width: 50, value: (a) => a.report_summary },
  {
    header: "信息报道链接",
    width: 40,
    value: (a) => (JSON.parse(a.report_links || "[]") as string[]).join("\n"),
  },
  { header: "小结状态", width: 10, value: (a) => REPORT_STATUS_LABELS[a.report_status] },
  { header: "小结提交时间", width: 20, value: (a) => sheetInstant(a.report_submitted_at) },
  { header: "审核时间", width: 20, value: (a) => sheetInstant(a.report_reviewed_at) },
  { header: "退回原因", width: 30, value: (a) => a.report_return_reason ?? "" },
];

export const ACTIVITY_REPORTS_EXPORT_HEADERS = COLUMNS.map((c) => c.header);

/** 活动小结审核's tab from its query string: 待审核 unless another is asked for. */
export function reportTabOf(sp: URLSearchParams): ReportTab {
  return REPORT_TABS.find((s) => s === sp.get("status")) ?? "submitted";
}

/**
 * 【导出】 on 活动小结审核: every report of the tab the list shows, in the actor's region, with the
 * report fields. Contact names and phones: audited before the first byte.
 */
export async function prepareActivityReportsXlsx(
  ctx: AppContext,
  actor: Actor,
  status: ReportTab,
): Promise<(out: Writable) => Promise<number>> {
  const me = await authorize(ctx, actor, "activities:review");
  const scope = await regionSubtree(ctx, me.regionCode);
  const names = new Map((await listRegions(ctx)).map((r) => [r.code, r.name]));
  await recordAudit(ctx, ctx.db, actor, {
    action: "activity.export_reports",
    targetType: "activity",
    detail: { filter: { status } },
  });
  return (out) =>
    withBulkReader(ctx, (db) =>
      streamSheet<Row>(out, {
        sheetName: "活动小结",
        columns: COLUMNS,
        batchSize: BATCH,
        nextBatch: async (last) => {
          let q = db
            .selectFrom("activities")
            .innerJoin("bases", "bases.id", "activities.base_id")
            .selectAll("activities")
            .select("bases.name as base_name")
            .where("activities.report_status", "=", status)
            .where("activities.region_code", "in", scope.length ? scope : [""]);
          if (last) q = q.where("activities.id", ">", last.id);
          const rows = await q.orderBy("activities.id").limit(BATCH).execute();
          return rows.map((a) => ({ ...a, county: names.get(a.region_code) ?? a.region_code }));
        },
      }),
    );
}
