import type { AppContext } from "#src/platform/context.ts";
import type { Call } from "#src/platform/db/schema.ts";
import { AppError } from "#src/platform/errors.ts";
import { newId } from "#src/platform/ids.ts";
import { type CallState, callState } from "./calls.rules.ts";

export type CallView = Call & { state: CallState; categoryCodes: string[]; targets: Record<string, number> };

const view = (ctx: AppContext, c: Call): CallView => ({
  ...c,
  state: callState(c, ctx.clock.now()),
  categoryCodes: JSON.parse(c.categories),
  targets: JSON.parse(c.county_targets),
});

/** Calls are public: anyone may read the list in 项目大厅. Newest first. */
export async function listCalls(ctx: AppContext): Promise<CallView[]> {
  const rows = await ctx.db.selectFrom("calls").selectAll().orderBy("opens_at", "desc").limit(200).execute();
  return rows.map((c) => view(ctx, c));
}

export async function getCall(ctx: AppContext, id: string): Promise<CallView> {
  const row = await ctx.db.selectFrom("calls").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new AppError("NOT_FOUND", "未找到该申报项目");
  return view(ctx, row);
}

export interface NewCall {
  kind: string;
  batchNo: number | null;
  title: string;
  level: "city" | "county";
  regionCode: string;
  opensAt: string;
  closesAt: string;
  categoryCodes: string[];
  targets: Record<string, number>;
  notice: string;
  createdBy: string | null;
}

/** Inserts a call. Used by seeding now; the admin UI for calls builds on it. */
export async function insertCall(ctx: AppContext, input: NewCall): Promise<string> {
  const id = newId();
  const now = ctx.clock.now().toISOString();
  await ctx.db
    .insertInto("calls")
    .values({
      id,
      kind: input.kind,
      batch_no: input.batchNo,
      title: input.title,
      level: input.level,
      region_code: input.regionCode,
      opens_at: input.opensAt,
      closes_at: input.closesAt,
      categories: JSON.stringify(input.categoryCodes),
      county_targets: JSON.stringify(input.targets),
      notice: input.notice,
      created_by: input.createdBy,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}
