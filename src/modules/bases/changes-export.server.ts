import type { Writable } from "node:stream";
import { authorize } from "#src/modules/accounts/authorize.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { listRegions } from "#src/modules/regions/regions.server.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import { withBulkReader } from "#src/platform/db/bulk-reader.server.ts";
import {
  type SheetColumn,
  sheetDay,
  sheetInstant,
  streamSheet,
} from "#src/platform/xlsx/stream-sheet.server.ts";
import { CHANGE_KINDS, CHANGE_STATUS_LABELS, changeReportDeadline } from "./bases.rules.ts";
import { baseScope, type ChangeFilter, type ChangeReportRow } from "./bases.server.ts";
import { changeReportView } from "./bases.view.server.ts";

const BATCH = 500;
const STATUSES = Object.keys(CHANGE_STATUS_LABELS) as (keyof typeof CHANGE_STATUS_LABELS)[];

type Row = ChangeReportRow & { county: string };

const COLUMNS: SheetColumn<Row>[] = [
  { header: "基地名称", width: 30, value: (r) => r.base_name },
  { header: "县（市、区）", width: 10, value: (r) => r.county },
  { header: "变更类型", width: 16, value: (r) => changeReportView(r).kindLabel },
  { header: "变更发生日期", width: 12, format: "date", value: (r) => sheetDay(r.happened_on) },
  {
    header: "报告期限",
    width: 12,
    format: "date",
    value: (r) => sheetDay(changeReportDeadline(r.happened_on)),
  },
  { header: "提交时间", width: 20, value: (r) => sheetInstant(r.filed_at) },
  { header: "逾期报告", width: 8, value: (r) => (r.late === 1 ? "是" : "否") },
  { header: "状态", width: 8, value: (r) => CHANGE_STATUS_LABELS[r.status] },
  {
    header: "变更内容",
    width: 50,
    value: (r) =>
      changeReportView(r)
        .changes.map((c) => `${c.label}：${c.before || "（空）"} → ${c.after || "（空）"}`)
        .join("\n"),
  },
  { header: "变更说明", width: 40, value: (r) => changeReportView(r).explanation },
  { header: "处理意见", width: 40, value: (r) => r.reply ?? "" },
  { header: "处理时间", width: 20, value: (r) => sheetInstant(r.decided_at) },
];

export const CHANGES_EXPORT_HEADERS = COLUMNS.map((c) => c.header);

/** 变更审核's filters from its query string: the queue opens on what waits for a decision. */
export function changeFilterOf(sp: URLSearchParams): ChangeFilter {
  return {
    status: sp.has("status") ? STATUSES.find((s) => s === sp.get("status")) : "pending",
    kind: CHANGE_KINDS.find((k) => k === sp.get("kind")),
  };
}

/**
 * 【导出】 on 变更审核: every change report the list shows (same filters, all pages), of the bases in
 * the actor's region. Audited before the first byte: reports carry contact names and phones.
 */
export async function prepareChangesXlsx(
  ctx: AppContext,
  actor: Actor,
  filter: ChangeFilter,
): Promise<(out: Writable) => Promise<number>> {
  const me = await authorize(ctx, actor, "bases:manage");
  const scope = await baseScope(ctx, me);
  const names = new Map((await listRegions(ctx)).map((r) => [r.code, r.name]));
  const { status, kind } = filter;
  await recordAudit(ctx, ctx.db, actor, {
    action: "change_report.export",
    targetType: "change_report",
    detail: { filter: { status, kind } },
  });
  return (out) =>
    withBulkReader(ctx, (db) =>
      streamSheet<Row>(out, {
        sheetName: "变更申报",
        columns: COLUMNS,
        batchSize: BATCH,
        nextBatch: async (last) => {
          let q = db
            .selectFrom("change_reports")
            .innerJoin("bases", "bases.id", "change_reports.base_id")
            .selectAll("change_reports")
            .select(["bases.name as base_name", "bases.region_code"])
            .where("bases.region_code", "in", scope.length ? scope : [""]);
          if (status) q = q.where("change_reports.status", "=", status);
          if (kind) q = q.where("change_reports.kind", "=", kind);
          if (last) q = q.where("change_reports.id", ">", last.id);
          const rows = await q.orderBy("change_reports.id").limit(BATCH).execute();
          return rows.map((r) => ({ ...r, county: names.get(r.region_code) ?? r.region_code }));
        },
      }),
    );
}
