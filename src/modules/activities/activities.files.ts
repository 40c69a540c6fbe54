import { registerFileOwner } from "#src/modules/files/owners.ts";
import { registerSlot } from "#src/modules/files/slots.ts";
import { ACTIVITY_SLOTS } from "./activities.rules.ts";
import { activityFileAccess } from "./activities.server.ts";

const access = (regionCode: string | null) => (regionCode ? { regionCode } : null);

/**
 * An activity's files:
 * - activity_cover / activity_cover: public with the activity;
 * - activity / activity_photos, activity_videos: the report's, public once the city has accepted it.
 * The base's org, the announcer and staff in scope upload; report files only after the activity has
 * ended, and nothing after acceptance.
 */
export function registerActivityFiles(): void {
  for (const slot of Object.values(ACTIVITY_SLOTS)) registerSlot({ ...slot, kinds: [...slot.kinds] });
  registerFileOwner("activity_cover", {
    slots: [ACTIVITY_SLOTS.cover.id],
    publicRead: true,
    async canRead(ctx, actor, id) {
      return access((await activityFileAccess(ctx, actor, id, ACTIVITY_SLOTS.cover.id)).read);
    },
    async canWrite(ctx, actor, id, slot) {
      return access((await activityFileAccess(ctx, actor, id, slot)).write);
    },
  });
  registerFileOwner("activity", {
    slots: [ACTIVITY_SLOTS.photos.id, ACTIVITY_SLOTS.videos.id],
    publicRead: true,
    async canRead(ctx, actor, id) {
      return access((await activityFileAccess(ctx, actor, id, null)).read);
    },
    async canWrite(ctx, actor, id, slot) {
      return access((await activityFileAccess(ctx, actor, id, slot)).write);
    },
  });
}
