import type { Writable } from "node:stream";
import { authorize } from "#src/modules/accounts/authorize.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { listRegions } from "#src/modules/regions/regions.server.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import { withBulkReader } from "#src/platform/db/bulk-reader.server.ts";
import { CATEGORIES } from "#src/platform/db/reference-data.ts";
import type { Base } from "#src/platform/db/schema.ts";
import { sheetInstant, streamSheet } from "#src/platform/xlsx/stream-sheet.server.ts";
import { BASE_STATUS_LABELS, RECOMMENDATION_LABELS, revocationReasonLabel } from "./bases.rules.ts";
import { type BaseFilter, baseScope, filterBases } from "./bases.server.ts";

const BATCH = 500;

const COLUMNS: {
  header: string;
  width: number;
  value: (b: Base, names: Map<string, string>) => string | number | Date | null;
}[] = [
  { header: "统一社会信用代码", width: 22, value: (b) => b.uscc },
  { header: "基地名称", width: 32, value: (b) => b.name },
  { header: "单位名称", width: 28, value: (b) => b.unit_name },
  { header: "所在区域", width: 10, value: (b, n) => n.get(b.region_code) ?? b.region_code },
  {
    header: "类别",
    width: 16,
    value: (b) => CATEGORIES.find((c) => c.code === b.category_code)?.name ?? b.category_code,
  },
  { header: "状态", width: 8, value: (b) => BASE_STATUS_LABELS[b.status] },
  { header: "警示说明", width: 30, value: (b) => b.warning_note ?? "" },
  { header: "撤销时间", width: 20, value: (b) => sheetInstant(b.revoked_at) },
  { header: "撤销理由", width: 30, value: (b) => revocationReasonLabel(b.revocation_reason) },
  { header: "撤销说明", width: 30, value: (b) => b.revocation_note ?? "" },
  {
    header: "推荐级别",
    width: 10,
    value: (b) => (b.recommended_level ? RECOMMENDATION_LABELS[b.recommended_level] : ""),
  },
  { header: "推荐说明", width: 30, value: (b) => b.recommended_note ?? "" },
  { header: "推荐时间", width: 20, value: (b) => sheetInstant(b.recommended_at) },
  { header: "通信地址", width: 30, value: (b) => b.address },
  { header: "开放形式", width: 18, value: (b) => b.opening_form ?? "" },
  { header: "开放时间", width: 20, value: (b) => b.opening_hours },
  { header: "年开放天数", width: 10, value: (b) => b.open_days },
  { header: "科普场所面积（平方米）", width: 12, value: (b) => b.area_sqm },
  { header: "预约参观电话", width: 15, value: (b) => b.booking_phone },
  { header: "负责人", width: 10, value: (b) => b.leader_name },
  { header: "负责人电话", width: 15, value: (b) => b.leader_phone },
  { header: "联系人", width: 10, value: (b) => b.contact_name },
  { header: "联系电话", width: 15, value: (b) => b.contact_phone },
  { header: "科技志愿服务队", width: 28, value: (b) => b.volunteer_team_name },
  { header: "科技志愿者人数", width: 10, value: (b) => b.volunteer_count },
  { header: "批次", width: 6, value: (b) => b.batch_no },
  { header: "认定年份", width: 8, value: (b) => b.recognized_year },
  { header: "证书编号", width: 24, value: (b) => b.certificate_no ?? "" },
  { header: "简介", width: 60, value: (b) => b.intro },
  { header: "最近更新", width: 20, value: (b) => sheetInstant(b.updated_at) },
];

export const EXPORT_HEADERS = COLUMNS.map((c) => c.header);

/**
 * 导出 Excel: every column of the bases the actor's list shows, filtered the same way. Authorization
 * happens first (so it can still answer 403); the writer then streams keyset batches.
 */
export async function prepareBasesXlsx(
  ctx: AppContext,
  actor: Actor,
  filter: BaseFilter,
): Promise<(out: Writable) => Promise<number>> {
  const me = await authorize(ctx, actor, "bases:read");
  const scope = await baseScope(ctx, me);
  const names = new Map((await listRegions(ctx)).map((r) => [r.code, r.name]));
  await recordAudit(ctx, ctx.db, actor, {
    action: "base.export",
    targetType: "base",
    detail: { filter: { ...filter, offset: undefined, limit: undefined } },
  });
  return (out) =>
    withBulkReader(ctx, (db) =>
      streamSheet(out, {
        sheetName: "科普教育基地",
        columns: COLUMNS.map((c) => ({ ...c, value: (b: Base) => c.value(b, names) })),
        batchSize: BATCH,
        nextBatch: (after) =>
          filterBases(
            ctx.engine,
            db.selectFrom("bases").where("bases.region_code", "in", scope.length ? scope : [""]),
            filter,
          )
            .selectAll()
            .where("id", ">", after?.id ?? "")
            .orderBy("id")
            .limit(BATCH)
            .execute(),
      }),
    );
}
