import { registerFileOwner } from "#src/modules/files/owners.ts";
import { bumpGeneration } from "#src/platform/cache/generations.server.ts";
import { canManageCall } from "./calls.server.ts";

/** A call's notice documents (附件1–4) are public downloads; the office manages them. */
export function registerCallFiles(): void {
  registerFileOwner("call", {
    slots: ["call_documents"],
    publicRead: true,
    async canRead(ctx, _actor, id) {
      const row = await ctx.db
        .selectFrom("calls")
        .select("region_code")
        .where("id", "=", id)
        .executeTakeFirst();
      return row ? { regionCode: row.region_code } : null;
    },
    async canWrite(ctx, actor, id) {
      const regionCode = await canManageCall(ctx, actor, id);
      return regionCode ? { regionCode } : null;
    },
    // A call's page and 通知公告 list its documents: cached pages showing them are retired.
    async onFilesChanged(trx) {
      await bumpGeneration(trx, "notices");
    },
  });
}
