import { APPLICATION_SLOT_IDS, SLOT_DEFS } from "#src/modules/files/slots.ts";
import type { AppContext } from "#src/platform/context.ts";

export const APPLICATION_SLOTS = APPLICATION_SLOT_IDS.map((id) => SLOT_DEFS.find((s) => s.id === id)!);

export async function countAttachments(
  ctx: AppContext,
  applicationId: string,
): Promise<Record<string, number>> {
  const rows = await ctx.db
    .selectFrom("files")
    .select(["slot", (eb) => eb.fn.countAll<number>().as("n")])
    .where("owner_type", "=", "application")
    .where("owner_id", "=", applicationId)
    .groupBy("slot")
    .execute();
  return Object.fromEntries(rows.map((r) => [r.slot, Number(r.n)]));
}

/** Slot messages for a submission, keyed `file_<slot>`: 3–5 photos, exactly one stamped form … */
export async function attachmentProblems(
  ctx: AppContext,
  applicationId: string,
): Promise<Record<string, string>> {
  const counts = await countAttachments(ctx, applicationId);
  const out: Record<string, string> = {};
  for (const slot of APPLICATION_SLOTS) {
    const n = counts[slot.id] ?? 0;
    if (n < slot.min || n > slot.max) {
      const range =
        slot.min === slot.max
          ? `${slot.min}个`
          : slot.max > slot.min
            ? `${slot.min}～${slot.max}个`
            : `${slot.min}个`;
      out[`file_${slot.id}`] = `${slot.label}须上传${range}文件，当前${n}个`;
    }
  }
  return out;
}
