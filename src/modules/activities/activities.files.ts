import { registerFileOwner } from "#src/modules/files/owners.ts";
import { ACTIVITY_SLOTS } from "./activities.rules.ts";
import { activityFileAccess } from "./activities.server.ts";

const access = (regionCode: string | null) => (regionCode ? { regionCode } : null);

/**
 * An activity's files:
 * - activity_cover / activity_cover: public with the activity;
 * - activity / activity_photos, activity_videos: the report's, public once the city has accepted it.
 * The base's org, the announcer and staff in scope upload; report files only after the activity has
 * ended, and nothing after acceptance. The slots are the activity's own (its activity_photos is not the
 * application's 3–5 科普活动照片).
 */
export function registerActivityFiles(): void {
  registerFileOwner("activity_cover", {
    slots: [ACTIVITY_SLOTS.cover],
    publicRead: true,
    async canRead(ctx, actor, id) {
      return access((await activityFileAccess(ctx, actor, id, ACTIVITY_SLOTS.cover.id)).read);
    },
    async canWrite(ctx, actor, id, slot) {
      return access((await activityFileAccess(ctx, actor, id, slot)).write);
    },
  });
  registerFileOwner("activity", {
    slots: [ACTIVITY_SLOTS.photos, ACTIVITY_SLOTS.videos],
    publicRead: true,
    async canRead(ctx, actor, id) {
      return access((await activityFileAccess(ctx, actor, id, null)).read);
    },
    async canWrite(ctx, actor, id, slot) {
      return access((await activityFileAccess(ctx, actor, id, slot)).write);
    },
  });
}
