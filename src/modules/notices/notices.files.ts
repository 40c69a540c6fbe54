import { registerFileOwner } from "#src/modules/files/owners.ts";
import { objectionForEvidence } from "./notices.server.ts";

const CITY = "330800";

/**
 * An objection's evidence: the filer (anonymous) adds it from the page that confirms the
 * objection, for a short while; only the office reads it. Evidence is never public.
 */
export function registerNoticeFiles(): void {
  registerFileOwner("objection", {
    slots: ["objection_evidence"],
    publicWrite: true,
    async canRead(ctx, actor, id) {
      return (await objectionForEvidence(ctx, actor, id, false)) ? { regionCode: CITY } : null;
    },
    async canWrite(ctx, actor, id) {
      return (await objectionForEvidence(ctx, actor, id, true)) ? { regionCode: CITY } : null;
    },
  });
}
