import type { Writable } from "node:stream";
import { authorize } from "#src/modules/accounts/authorize.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { revocationReasonLabel } from "#src/modules/bases/bases.rules.ts";
import { beijingDateOf } from "#src/modules/evaluation/evaluation.server.ts";
import { listRegions, regionSubtree } from "#src/modules/regions/regions.server.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import { withBulkReader } from "#src/platform/db/bulk-reader.server.ts";
import {
  type SheetColumn,
  sheetDay,
  sheetInstant,
  streamSheet,
} from "#src/platform/xlsx/stream-sheet.server.ts";
import { WARNING_SOURCE_LABELS, WARNING_STATUS_LABELS } from "./dynamic-management.rules.ts";
import type { WarningFilter } from "./dynamic-management.schema.ts";
import { filteredWarnings, type WarningRow } from "./dynamic-management.server.ts";

const BATCH = 500;

type Row = WarningRow & { county: string; overdue: boolean };

const COLUMNS: SheetColumn<Row>[] = [
  { header: "基地名称", width: 30, value: (r) => r.base_name },
  { header: "县（市、区）", width: 10, value: (r) => r.county },
  { header: "来源", width: 18, value: (r) => WARNING_SOURCE_LABELS[r.source] },
  { header: "状态", width: 16, value: (r) => WARNING_STATUS_LABELS[r.status] },
  { header: "逾期", width: 6, value: (r) => (r.overdue ? "是" : "否") },
  { header: "警示理由", width: 40, value: (r) => r.reason },
  { header: "整改要求", width: 40, value: (r) => r.measures },
  {
    header: "整改期限",
    width: 12,
    format: "date",
    value: (r) => (r.deadline ? sheetDay(beijingDateOf(r.deadline)) : null),
  },
  { header: "整改报告提交时间", width: 20, value: (r) => sheetInstant(r.report_at) },
  { header: "复查意见", width: 40, value: (r) => r.recheck_note },
  {
    header: "建议撤销理由",
    width: 30,
    value: (r) => (r.revocation_reason ? revocationReasonLabel(r.revocation_reason) : ""),
  },
  { header: "列入时间", width: 20, value: (r) => sheetInstant(r.created_at) },
  { header: "最近处理时间", width: 20, value: (r) => sheetInstant(r.updated_at) },
];

export const WARNINGS_EXPORT_HEADERS = COLUMNS.map((c) => c.header);

/** 【导出】 on 动态管理: every warning the list shows (same scope and filters, all pages), streamed. */
export async function prepareWarningsXlsx(
  ctx: AppContext,
  actor: Actor,
  filter: Omit<WarningFilter, "page">,
): Promise<(out: Writable) => Promise<number>> {
  const me = await authorize(ctx, actor, "warnings:read");
  const scope = await regionSubtree(ctx, me.regionCode);
  const names = new Map((await listRegions(ctx)).map((r) => [r.code, r.name]));
  const now = ctx.clock.now().toISOString();
  await recordAudit(ctx, ctx.db, actor, {
    action: "warning.export",
    targetType: "base_warning",
    detail: { filter },
  });
  return (out) =>
    withBulkReader(ctx, (db) =>
      streamSheet<Row>(out, {
        sheetName: "动态管理",
        columns: COLUMNS,
        batchSize: BATCH,
        nextBatch: async (last) => {
          let q = filteredWarnings(db, scope, filter, now)
            .selectAll("w")
            .select(["b.name as base_name", "b.status as base_status"]);
          if (last) q = q.where("w.id", ">", last.id);
          const rows = await q.orderBy("w.id").limit(BATCH).execute();
          return rows.map((r) => ({
            ...r,
            county: names.get(r.region_code) ?? r.region_code,
            overdue: r.status === "rectifying" && !!r.deadline && r.deadline <= now,
          }));
        },
      }),
    );
}
