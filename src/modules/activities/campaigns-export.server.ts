import type { Writable } from "node:stream";
import { authorize } from "#src/modules/accounts/authorize.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { regionSubtree } from "#src/modules/regions/regions.server.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import { withBulkReader } from "#src/platform/db/bulk-reader.server.ts";
import type { Campaign } from "#src/platform/db/schema.ts";
import {
  type SheetColumn,
  sheetDay,
  sheetInstant,
  streamSheet,
} from "#src/platform/xlsx/stream-sheet.server.ts";
import { CAMPAIGN_KIND_LABELS, campaignIsOpen } from "./activities.rules.ts";

const BATCH = 500;

type Row = Campaign & { activities: number };

const columns = (today: string): SheetColumn<Row>[] => [
  { header: "名称", width: 36, value: (c) => c.title },
  { header: "类型", width: 16, value: (c) => CAMPAIGN_KIND_LABELS[c.kind] },
  { header: "年度", width: 8, value: (c) => c.year },
  { header: "开始日期", width: 12, format: "date", value: (c) => sheetDay(c.starts_on) },
  { header: "结束日期", width: 12, format: "date", value: (c) => sheetDay(c.ends_on) },
  { header: "状态", width: 8, value: (c) => (campaignIsOpen(c, today) ? "进行中" : "已结束") },
  { header: "响应活动数", width: 10, value: (c) => c.activities },
  { header: "活动说明", width: 50, value: (c) => c.description },
  { header: "工作要求", width: 50, value: (c) => c.expectations },
  { header: "发布时间", width: 20, value: (c) => sheetInstant(c.created_at) },
];

export const CAMPAIGNS_EXPORT_HEADERS = columns("").map((c) => c.header);

/**
 * 【导出】 on 动员活动管理: every campaign, newest first, with the activities that answered it in the
 * actor's region. Audited like every export.
 */
export async function prepareCampaignsXlsx(
  ctx: AppContext,
  actor: Actor,
): Promise<(out: Writable) => Promise<number>> {
  const me = await authorize(ctx, actor, "campaigns:manage");
  const scope = await regionSubtree(ctx, me.regionCode);
  const today = new Date(ctx.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  await recordAudit(ctx, ctx.db, actor, { action: "campaign.export", targetType: "campaign" });
  return (out) =>
    withBulkReader(ctx, (db) =>
      streamSheet<Row>(out, {
        sheetName: "动员活动",
        columns: columns(today),
        batchSize: BATCH,
        nextBatch: async (last) => {
          let q = db
            .selectFrom("campaigns")
            .selectAll("campaigns")
            .select((eb) =>
              eb
                .selectFrom("activity_campaigns")
                .innerJoin("activities", "activities.id", "activity_campaigns.activity_id")
                .select(eb.fn.countAll<number>().as("n"))
                .whereRef("activity_campaigns.campaign_id", "=", "campaigns.id")
                .where("activities.region_code", "in", scope.length ? scope : [""])
                .as("activities"),
            );
          if (last) q = q.where("campaigns.id", "<", last.id);
          const rows = await q.orderBy("campaigns.id", "desc").limit(BATCH).execute();
          return rows.map((c) => ({ ...c, activities: Number(c.activities ?? 0) }));
        },
      }),
    );
}
