import type { AppContext } from "#src/platform/context.ts";
import { AppError } from "#src/platform/errors.ts";
import { ACTIVITY_TYPE_LABELS, buildIcs, type IcsEvent } from "./activities.rules.ts";

/** Feeds carry the recent past and everything ahead; a calendar app polls them. */
const PAST_DAYS = 180;
const MAX_EVENTS = 2000;

/** ICS of one base's activities (404 for an unknown or revoked base) or, without a base, of all. */
export async function activitiesIcs(
  ctx: AppContext,
  opts: { baseId?: string; publicUrl: string },
): Promise<{ name: string; body: string }> {
  let name = "衢州市科普教育基地活动";
  if (opts.baseId) {
    const base = await ctx.db
      .selectFrom("bases")
      .select(["name", "status"])
      .where("id", "=", opts.baseId)
      .executeTakeFirst();
    if (!base || base.status === "revoked") throw new AppError("NOT_FOUND", "未找到该基地");
    name = `${base.name}活动`;
  }
  const since = new Date(ctx.clock.now().getTime() - PAST_DAYS * 86_400_000).toISOString();
  let q = ctx.db
    .selectFrom("activities")
    .innerJoin("bases", "bases.id", "activities.base_id")
    .select([
      "activities.id",
      "activities.name",
      "activities.type",
      "activities.starts_at",
      "activities.ends_at",
      "activities.place",
      "activities.link",
      "activities.description",
      "activities.updated_at",
      "bases.name as base_name",
    ])
    .where("bases.status", "!=", "revoked")
    .where("activities.starts_at", ">=", since);
  if (opts.baseId) q = q.where("activities.base_id", "=", opts.baseId);
  const rows = await q.orderBy("activities.starts_at").limit(MAX_EVENTS).execute();
  const host = new URL(opts.publicUrl).host || "kepu";
  const events: IcsEvent[] = rows.map((r) => ({
    uid: `${r.id}@${host}`,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    summary: `【${ACTIVITY_TYPE_LABELS[r.type]}】${r.name}`,
    location: r.place || r.link,
    description: `${r.base_name}\n${r.description}`,
    url: new URL(`/activities/${r.id}`, opts.publicUrl).toString(),
    updatedAt: r.updated_at,
  }));
  return { name, body: buildIcs(name, events) };
}
