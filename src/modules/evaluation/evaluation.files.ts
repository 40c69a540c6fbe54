import { registerFileOwner } from "#src/modules/files/owners.ts";
import type { SlotDef } from "#src/modules/files/slots.ts";
import { entryRegionFor, entryWritableRegion } from "./evaluation-entries.server.ts";

const access = (regionCode: string | null) => (regionCode ? { regionCode } : null);

const evidence = (key: string, label: string): SlotDef => ({
  id: `evidence_${key}`,
  label: `${label}佐证材料`,
  kinds: ["image", "pdf", "document"],
  min: 0,
  max: 10,
});

/** The self-assessment's evidence, one slot per manual indicator of the default rubric and one for any other. */
export const EVIDENCE_SLOTS: readonly SlotDef[] = [
  evidence("institutions", "制度建设"),
  evidence("funding", "经费投入"),
  evidence("facilities", "场所条件"),
  evidence("innovation", "特色与创新"),
  evidence("other", "其他"),
];

export function evidenceSlotFor(key: string): string {
  return EVIDENCE_SLOTS.some((s) => s.id === `evidence_${key}`) ? `evidence_${key}` : "evidence_other";
}

/**
 * evaluation_entry: a base's evidence for its self-assessment. The base uploads while it may still
 * change the self-assessment; it, staff in scope and the evaluators assigned to the base read.
 */
export function registerEvaluationFiles(): void {
  registerFileOwner("evaluation_entry", {
    slots: EVIDENCE_SLOTS,
    async canRead(ctx, actor, id) {
      return access(await entryRegionFor(ctx, actor, id));
    },
    async canWrite(ctx, actor, id) {
      return access(await entryWritableRegion(ctx, actor, id));
    },
  });
}
