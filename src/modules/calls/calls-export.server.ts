import type { Writable } from "node:stream";
import { authorize } from "#src/modules/accounts/authorize.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { listRegions, regionSubtree } from "#src/modules/regions/regions.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import { withBulkReader } from "#src/platform/db/bulk-reader.server.ts";
import type { Call } from "#src/platform/db/schema.ts";
import {
  type SheetColumn,
  sheetDay,
  sheetInstant,
  streamSheet,
} from "#src/platform/xlsx/stream-sheet.server.ts";
import { CALL_STATE_LABELS, callState } from "./calls.rules.ts";

const BATCH = 500;

type Row = Call & { applications: number };

/** A call closes at 24:00 (Beijing) of its last day, the start of the next: the day itself is shown. */
const lastDay = (closesAt: string) => formatShanghai(new Date(new Date(closesAt).getTime() - 1)).slice(0, 10);

const columns = (now: Date, names: Map<string, string>): SheetColumn<Row>[] => [
  { header: "项目名称", width: 36, value: (c) => c.title },
  { header: "项目类型", width: 20, value: (c) => c.kind },
  { header: "批次", width: 6, value: (c) => c.batch_no },
  { header: "级别", width: 6, value: (c) => (c.level === "county" ? "县级" : "市级") },
  { header: "区域", width: 10, value: (c) => names.get(c.region_code) ?? c.region_code },
  { header: "开始申报时间", width: 20, value: (c) => sheetInstant(c.opens_at) },
  { header: "截止日期", width: 12, format: "date", value: (c) => sheetDay(lastDay(c.closes_at)) },
  { header: "截止时刻", width: 20, value: (c) => sheetInstant(c.closes_at) },
  { header: "状态", width: 8, value: (c) => CALL_STATE_LABELS[callState(c, now)] },
  {
    header: "推荐指标合计",
    width: 10,
    value: (c) =>
      Object.values(JSON.parse(c.county_targets || "{}") as Record<string, number>).reduce(
        (a, b) => a + b,
        0,
      ),
  },
  { header: "已提交申报数", width: 10, value: (c) => c.applications },
  { header: "创建时间", width: 20, value: (c) => sheetInstant(c.created_at) },
];

export const CALLS_EXPORT_HEADERS = columns(new Date(), new Map()).map((c) => c.header);

/**
 * 【导出】 on 申报项目管理: every call, newest first, with the applications submitted to it from the
 * actor's region (drafts are not counted). Audited like every export.
 */
export async function prepareCallsXlsx(
  ctx: AppContext,
  actor: Actor,
): Promise<(out: Writable) => Promise<number>> {
  const me = await authorize(ctx, actor, "calls:manage");
  const scope = await regionSubtree(ctx, me.regionCode);
  const names = new Map((await listRegions(ctx)).map((r) => [r.code, r.name]));
  const now = ctx.clock.now();
  await recordAudit(ctx, ctx.db, actor, { action: "call.export", targetType: "call" });
  return (out) =>
    withBulkReader(ctx, (db) =>
      streamSheet<Row>(out, {
        sheetName: "申报项目",
        columns: columns(now, names),
        batchSize: BATCH,
        nextBatch: async (last) => {
          let q = db
            .selectFrom("calls")
            .selectAll("calls")
            .select((eb) =>
              eb
                .selectFrom("applications")
                .select(eb.fn.countAll<number>().as("n"))
                .whereRef("applications.call_id", "=", "calls.id")
                .where("applications.status", "!=", "draft")
                .where("applications.region_code", "in", scope.length ? scope : [""])
                .as("applications"),
            );
          // A county manages only its own county-level calls; the office lists every call.
          if (me.role === "county") q = q.where("calls.region_code", "in", scope.length ? scope : [""]);
          if (last) q = q.where("calls.id", "<", last.id);
          const rows = await q.orderBy("calls.id", "desc").limit(BATCH).execute();
          return rows.map((c) => ({ ...c, applications: Number(c.applications ?? 0) }));
        },
      }),
    );
}
