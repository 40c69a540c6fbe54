import { registerFileOwner } from "#src/modules/files/owners.ts";
import { bumpGeneration } from "#src/platform/cache/generations.server.ts";
import {
  baseRegionFor,
  changeReportRegionFor,
  ownBaseWritableRegion,
  publicBaseRegion,
  revocableBaseRegion,
} from "./bases.server.ts";

const access = (regionCode: string | null) => (regionCode ? { regionCode } : null);

/**
 * Who may touch a base's files:
 * - base / base_photos: public while the base is not revoked; the owner organization uploads;
 * - base_revocation / revocation_evidence: the office in scope, before it revokes; staff in scope read;
 * - base_change / change_evidence: the owner stages evidence before filing a change report;
 * - change_report / change_evidence: the filed evidence, read by the owner and staff in scope, fixed.
 */
export function registerBaseFiles(): void {
  registerFileOwner("base", {
    slots: ["base_photos"],
    publicRead: true,
    async canRead(ctx, actor, id) {
      return access((await publicBaseRegion(ctx, id)) ?? (await baseRegionFor(ctx, actor, id)));
    },
    async canWrite(ctx, actor, id) {
      return access(await ownBaseWritableRegion(ctx, actor, id));
    },
    // The photos are on the base's public page (and nowhere else in the directory).
    async onFilesChanged(trx, id) {
      await bumpGeneration(trx, "bases", [id]);
    },
  });
  registerFileOwner("base_revocation", {
    slots: ["revocation_evidence"],
    async canRead(ctx, actor, id) {
      return actor.user?.role === "org" ? null : access(await baseRegionFor(ctx, actor, id));
    },
    async canWrite(ctx, actor, id) {
      return access(await revocableBaseRegion(ctx, actor, id));
    },
  });
  registerFileOwner("base_change", {
    slots: ["change_evidence"],
    async canRead(ctx, actor, id) {
      return access(await baseRegionFor(ctx, actor, id));
    },
    async canWrite(ctx, actor, id) {
      return access(await ownBaseWritableRegion(ctx, actor, id));
    },
  });
  registerFileOwner("change_report", {
    slots: ["change_evidence"],
    async canRead(ctx, actor, id) {
      return access(await changeReportRegionFor(ctx, actor, id));
    },
    async canWrite() {
      return null;
    },
  });
}
