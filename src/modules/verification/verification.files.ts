import { registerFileOwner } from "#src/modules/files/owners.ts";
import {
  VERIFICATION_SLOTS,
  verificationReadRegion,
  verificationWriteRegion,
} from "./verification.server.ts";

const access = (regionCode: string | null) => (regionCode ? { regionCode } : null);

/**
 * The documents of an org account's verification (owner id: the account's user id): the org uploads
 * them until it submits, and again after a return; staff who may verify orgs in its region read them.
 */
export function registerVerificationFiles(): void {
  registerFileOwner("org_verification", {
    slots: VERIFICATION_SLOTS,
    async canRead(ctx, actor, id) {
      return access(await verificationReadRegion(ctx, actor, id));
    },
    async canWrite(ctx, actor, id) {
      return access(await verificationWriteRegion(ctx, actor, id));
    },
  });
}
