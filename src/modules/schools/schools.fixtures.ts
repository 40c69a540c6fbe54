import { insertBase } from "#src/modules/bases/bases-directory.fixtures.ts";
import type { AppContext, SessionUser } from "#src/platform/context.ts";
import { createUserRecord, linkBase, type MadeUser } from "../../../tests/support/factories.ts";
import { listItemReviews, reviewItem, saveItem } from "./school-items.server.ts";
import { type ItemInput, itemSchema } from "./schools.schema.ts";

/** A catalogue item as a base would fill it in (tests override what they look at). */
export function itemInput(over: Record<string, string> = {}): ItemInput {
  return itemSchema.parse({
    title: "走进天文馆",
    kind: "visit",
    subjects: "天文,物理",
    grades: "小学高段,初中",
    durationMinutes: "90",
    studentsPerSession: "50",
    sessionsPerWeek: "2",
    availableFrom: "2026-03-01",
    availableTo: "2026-07-15",
    weekdays: "周二,周四",
    counties: "330825",
    fee: "free",
    ...over,
  });
}

/** A base in `regionCode` with its organization's account linked. */
export async function baseWithOrg(
  ctx: AppContext,
  regionCode = "330825",
  name?: string,
): Promise<{ baseId: string; org: MadeUser }> {
  const baseId = await insertBase(ctx, { region_code: regionCode, ...(name ? { name } : {}) });
  const org = await createUserRecord(ctx, { role: "org", regionCode });
  await linkBase(ctx, baseId, org.id);
  return { baseId, org };
}

/** An item saved by the base's org and approved by its county staff. */
export async function approvedItem(
  ctx: AppContext,
  org: SessionUser,
  county: SessionUser,
  over: Record<string, string> = {},
): Promise<string> {
  const id = await saveItem(ctx, { user: org, ip: null }, null, itemInput(over));
  const row = (await listItemReviews(ctx, { user: county, ip: null })).find((i) => i.id === id)!;
  await reviewItem(ctx, { user: county, ip: null }, id, {
    decision: "approve",
    reason: "",
    version: row.version,
  });
  return id;
}
