import { registerFileOwner } from "#src/modules/files/owners.ts";
import { ITEM_PHOTO_SLOT, itemPhotoReadRegion, itemPhotoWriteRegion } from "./school-items.server.ts";

const access = (regionCode: string | null) => (regionCode ? { regionCode } : null);

/** A catalogue item's photos: public once the item is approved; the base's org uploads them. */
export function registerSchoolFiles(): void {
  registerFileOwner("school_item", {
    slots: [ITEM_PHOTO_SLOT],
    publicRead: true,
    async canRead(ctx, actor, id) {
      return access(await itemPhotoReadRegion(ctx, actor, id));
    },
    async canWrite(ctx, actor, id) {
      return access(await itemPhotoWriteRegion(ctx, actor, id));
    },
  });
}
