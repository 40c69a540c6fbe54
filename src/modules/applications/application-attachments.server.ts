import { countFilesBySlot } from "#src/modules/files/files.server.ts";
import { APPLICATION_SLOT_DEFS, checkAllSlotCounts } from "#src/modules/files/slots.ts";
import type { AppContext } from "#src/platform/context.ts";

export const APPLICATION_SLOTS = APPLICATION_SLOT_DEFS;

/** Slot messages for a submission, keyed `file_<slot>`: 3–5 photos, exactly one stamped form … */
export async function attachmentProblems(
  ctx: AppContext,
  applicationId: string,
): Promise<Record<string, string>> {
  const counts = await countFilesBySlot(ctx, "application", applicationId);
  const errors = checkAllSlotCounts(APPLICATION_SLOTS, counts);
  return Object.fromEntries(Object.entries(errors).map(([slot, message]) => [`file_${slot}`, message]));
}
