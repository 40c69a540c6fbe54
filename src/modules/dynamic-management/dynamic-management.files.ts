import { registerFileOwner } from "#src/modules/files/owners.ts";
import type { SlotDef } from "#src/modules/files/slots.ts";
import { warningRegionFor, warningWritableRegion } from "./dynamic-management.server.ts";

const access = (regionCode: string | null) => (regionCode ? { regionCode } : null);

export const WARNING_SLOTS: readonly SlotDef[] = [
  { id: "warning_evidence", label: "警示依据材料", kinds: ["image", "pdf", "document"], min: 0, max: 10 },
  { id: "report_evidence", label: "整改佐证材料", kinds: ["image", "pdf", "document"], min: 0, max: 10 },
];

/**
 * base_warning: the warning's evidence (added by the staff who issue or propose it) and the 整改报告's
 * evidence (added by the base while 整改 is under way); staff in scope and the base read both.
 */
export function registerWarningFiles(): void {
  registerFileOwner("base_warning", {
    slots: WARNING_SLOTS,
    async canRead(ctx, actor, id) {
      return access(await warningRegionFor(ctx, actor, id));
    },
    async canWrite(ctx, actor, id, slot) {
      return access(await warningWritableRegion(ctx, actor, id, slot));
    },
  });
}
