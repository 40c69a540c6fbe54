import { registerFileOwner } from "#src/modules/files/owners.ts";
import { APPLICATION_SLOT_IDS } from "#src/modules/files/slots.ts";
import { applicationRegionFor, applicationWritableRegion } from "./applications.server.ts";

/**
 * Who may touch an application's files: readers are those who may see the application;
 * the applicant writes while it is a draft or returned; the city adds site-inspection photos
 * while it reviews.
 */
export function registerApplicationFiles(): void {
  registerFileOwner("application", {
    slots: [...APPLICATION_SLOT_IDS, "site_inspection_photos"],
    async canRead(ctx, actor, id) {
      const regionCode = await applicationRegionFor(ctx, actor, id);
      return regionCode ? { regionCode } : null;
    },
    async canWrite(ctx, actor, id, slot) {
      if (slot === "site_inspection_photos") {
        if (actor.user?.role !== "city") return null;
        const row = await ctx.db
          .selectFrom("applications")
          .select(["region_code", "status"])
          .where("id", "=", id)
          .executeTakeFirst();
        const regionCode = await applicationRegionFor(ctx, actor, id);
        return row?.status === "city_review" && regionCode ? { regionCode } : null;
      }
      const regionCode = await applicationWritableRegion(ctx, actor, id);
      return regionCode ? { regionCode } : null;
    },
  });
}
