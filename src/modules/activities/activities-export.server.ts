import type { Writable } from "node:stream";
import { authorize } from "#src/modules/accounts/authorize.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { listRegions, regionSubtree } from "#src/modules/regions/regions.server.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import { streamFromThread } from "#src/platform/xlsx/export-thread.server.ts";
import type { ActivitiesSheetArgs, ActivityExportFilter } from "./activities-export.sheet.ts";

/**
 * XLSX of the activities in the actor's region (optionally a county and a start-date range), with the
 * report fields. Authorization first; the rows are then written by an export thread in keyset batches.
 */
export async function prepareActivitiesXlsx(
  ctx: AppContext,
  actor: Actor,
  filter: ActivityExportFilter = {},
): Promise<(out: Writable) => Promise<number>> {
  const me = await authorize(ctx, actor, "activities:stats");
  let scope = await regionSubtree(ctx, me.regionCode);
  if (filter.county) scope = scope.filter((c) => c === filter.county);
  const names = new Map((await listRegions(ctx)).map((r) => [r.code, r.name]));
  return async (out) => {
    const count = await streamFromThread<ActivitiesSheetArgs>(
      ctx,
      {
        module: "#src/modules/activities/activities-export.sheet.ts",
        fn: "writeActivitiesSheet",
        args: { scope, filter, names },
      },
      out,
    );
    await recordAudit(ctx, ctx.db, actor, {
      action: "activity.export_xlsx",
      detail: { rows: count, ...filter },
    });
    return count;
  };
}
