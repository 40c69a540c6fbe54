import type { Writable } from "node:stream";
import type { Database } from "#src/platform/db/database.ts";
import type { Activity } from "#src/platform/db/schema.ts";
import { batchesAcross, sheetInstant, streamSheet } from "#src/platform/xlsx/stream-sheet.server.ts";
import {
  ACTIVITY_FORM_LABELS,
  ACTIVITY_TYPE_LABELS,
  DIRECTION_LABELS,
  FEE_LABELS,
  REPORT_STATUS_LABELS,
} from "./activities.rules.ts";

/** Small batches: less garbage alive at once, so the heap does not grow with the export. */
const BATCH = 250;

type Row = Activity & { base_name: string };

const COLUMNS: {
  header: string;
  width: number;
  value: (a: Row, names: Map<string, string>) => string | number | Date | null;
}[] = [
  { header: "活动编号", width: 38, value: (a) => a.id },
  { header: "所在区域", width: 10, value: (a, n) => n.get(a.region_code) ?? a.region_code },
  { header: "基地名称", width: 30, value: (a) => a.base_name },
  { header: "活动名称", width: 30, value: (a) => a.name },
  { header: "活动类型", width: 14, value: (a) => ACTIVITY_TYPE_LABELS[a.type] },
  { header: "活动形式", width: 10, value: (a) => ACTIVITY_FORM_LABELS[a.form] },
  { header: "开始时间", width: 20, value: (a) => sheetInstant(a.starts_at) },
  { header: "结束时间", width: 20, value: (a) => sheetInstant(a.ends_at) },
  { header: "活动地点", width: 24, value: (a) => a.place },
  { header: "线上链接", width: 30, value: (a) => a.link },
  { header: "面向对象", width: 16, value: (a) => a.audience },
  { header: "预计参与人数", width: 10, value: (a) => a.expected_participants },
  { header: "收费方式", width: 8, value: (a) => FEE_LABELS[a.fee] },
  { header: "服务方式", width: 8, value: (a) => DIRECTION_LABELS[a.direction] },
  { header: "联系人", width: 10, value: (a) => a.contact_name },
  { header: "联系电话", width: 15, value: (a) => a.contact_phone },
  { header: "活动简介", width: 50, value: (a) => a.description },
  { header: "小结状态", width: 12, value: (a) => REPORT_STATUS_LABELS[a.report_status] },
  { header: "活动参与人数", width: 10, value: (a) => a.actual_participants },
  { header: "信息报道链接", width: 40, value: (a) => (JSON.parse(a.report_links) as string[]).join("\n") },
  { header: "活动情况简介", width: 50, value: (a) => a.report_summary },
  { header: "小结提交时间", width: 20, value: (a) => sheetInstant(a.report_submitted_at) },
  { header: "小结审核时间", width: 20, value: (a) => sheetInstant(a.report_reviewed_at) },
  { header: "退回原因", width: 30, value: (a) => a.report_return_reason ?? "" },
];

export interface ActivityExportFilter {
  /** Shanghai dates, inclusive, on the start. */
  from?: string;
  to?: string;
  county?: string;
}

export interface ActivitiesSheetArgs {
  /** The counties to export, in order. */
  scope: string[];
  filter: ActivityExportFilter;
  /** Region names by code. */
  names: Map<string, string>;
}

/**
 * Writes the activities of `scope` as an XLSX sheet to `out` and ends it; returns the row count.
 * Runs in an export thread (export-thread.server.ts), on that thread's own read-only connection.
 */
export async function writeActivitiesSheet(
  db: Database,
  args: ActivitiesSheetArgs,
  out: Writable,
): Promise<number> {
  const { scope, filter, names } = args;
  const from = filter.from ? new Date(`${filter.from}T00:00:00+08:00`).toISOString() : null;
  const to = filter.to
    ? new Date(new Date(`${filter.to}T00:00:00+08:00`).getTime() + 86_400_000).toISOString()
    : null;
  // One county at a time along (region_code, starts_at, id): each query is an index range.
  const inRegion = (region: string, after: Row | null, limit: number) => {
    let q = db
      .selectFrom("activities")
      .innerJoin("bases", "bases.id", "activities.base_id")
      .selectAll("activities")
      .select("bases.name as base_name")
      .where("activities.region_code", "=", region);
    if (from) q = q.where("activities.starts_at", ">=", from);
    if (to) q = q.where("activities.starts_at", "<", to);
    if (after)
      q = q.where((eb) =>
        eb(eb.refTuple("activities.starts_at", "activities.id"), ">", eb.tuple(after.starts_at, after.id)),
      );
    return q.orderBy("activities.starts_at").orderBy("activities.id").limit(limit).execute();
  };
  return streamSheet<Row>(out, {
    sheetName: "基地活动",
    columns: COLUMNS.map((c) => ({ ...c, value: (a: Row) => c.value(a, names) })),
    batchSize: BATCH,
    nextBatch: batchesAcross(scope, (a) => a.region_code, BATCH, inRegion),
  });
}
