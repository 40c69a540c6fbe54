import { baseRegionFor, ownBaseWritableRegion } from "#src/modules/bases/bases.server.ts";
import { registerFileOwner } from "#src/modules/files/owners.ts";

const access = (regionCode: string | null) => (regionCode ? { regionCode } : null);

/**
 * volunteer_team / volunteer_proof: the screenshot of the team's stvs registration (附件4), keyed by
 * the base's id. The owner organization uploads while the base is not revoked; it and staff in scope read.
 */
export function registerVolunteerFiles(): void {
  registerFileOwner("volunteer_team", {
    slots: ["volunteer_proof"],
    async canRead(ctx, actor, id) {
      return access(await baseRegionFor(ctx, actor, id));
    },
    async canWrite(ctx, actor, id) {
      return access(await ownBaseWritableRegion(ctx, actor, id));
    },
  });
}
