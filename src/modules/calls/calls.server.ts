import { can } from "#src/modules/accounts/accounts.policy.ts";
import { authorize } from "#src/modules/accounts/authorize.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { listRegions, regionName, regionSubtree } from "#src/modules/regions/regions.server.ts";
import { bumpGeneration } from "#src/platform/cache/generations.server.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import type { Call } from "#src/platform/db/schema.ts";
import { AppError } from "#src/platform/errors.ts";
import { newId } from "#src/platform/ids.ts";
import { type CallState, callState, defaultIssuers } from "./calls.rules.ts";

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

export interface CallNotice {
  id: string;
  kind: string;
  title: string;
  state: CallState;
  opensAt: string;
  documents: { id: string; name: string; url: string }[];
}

/**
 * 通知公告: the calls' notices, newest first, each with its downloadable documents (附件1–4 of the
 * call notice). Call documents are public downloads (calls.files.ts), so no actor is needed.
 */
export async function listCallNotices(ctx: AppContext, limit = 50): Promise<CallNotice[]> {
  const calls = (await listCalls(ctx)).slice(0, limit);
  const ids = calls.map((c) => c.id);
  if (!ids.length) return [];
  const files = await ctx.db
    .selectFrom("files")
    .select(["id", "owner_id", "original_name"])
    .where("owner_type", "=", "call")
    .where("owner_id", "in", ids)
    .orderBy("id")
    .execute();
  const byCall = new Map<string, CallNotice["documents"]>();
  for (const f of files)
    byCall.set(f.owner_id, [
      ...(byCall.get(f.owner_id) ?? []),
      { id: f.id, name: f.original_name, url: `/files/${f.id}` },
    ]);
  return calls.map((c) => ({
    id: c.id,
    kind: c.kind,
    title: c.title,
    state: c.state,
    opensAt: c.opens_at,
    documents: byCall.get(c.id) ?? [],
  }));
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
  /** The bodies that jointly name the bases; empty or absent: the defaults (`defaultIssuers`). */
  issuers?: string[];
  /** 文号 of the naming document. */
  documentNo?: string;
}

/** The columns a call's form sets, as stored. */
function callColumns(input: Omit<NewCall, "createdBy">) {
  return {
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
    // Set by the form; a call inserted without them (seeding) takes the column defaults.
    ...(input.issuers === undefined
      ? {}
      : { issuers: input.issuers.length ? JSON.stringify(input.issuers) : null }),
    ...(input.documentNo === undefined ? {} : { document_no: input.documentNo }),
  };
}

/** Inserts a call. Used by seeding now; the admin UI for calls builds on it. */
export async function insertCall(ctx: AppContext, input: NewCall): Promise<string> {
  const id = newId();
  const now = ctx.clock.now().toISOString();
  await ctx.db
    .insertInto("calls")
    .values({
      id,
      ...callColumns(input),
      created_by: input.createdBy,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

import type { CallFormInput } from "./calls.schema.ts";

const toNewCall = (input: CallFormInput, createdBy: string | null): NewCall => ({ ...input, createdBy });

/**
 * A call is managed in its own region: the office anywhere in the city, a county 科协 only its own
 * county-level calls (第十九条). A call's level follows its region: a city call in the city, a county
 * call in a county.
 */
async function assertCallRegion(
  ctx: AppContext,
  actor: Actor,
  regionCode: string,
  level?: "city" | "county",
) {
  const me = await authorize(ctx, actor, "calls:manage");
  if (!(await regionSubtree(ctx, me.regionCode)).includes(regionCode)) {
    throw new AppError("VALIDATION", "所选区域不在您的管理范围内", {
      regionCode: "所选区域不在您的管理范围内",
    });
  }
  if (level) {
    const region = (await listRegions(ctx)).find((r) => r.code === regionCode);
    if (me.role === "county" && level !== "county")
      throw new AppError("VALIDATION", "县（市、区）科协只能组织县级认定", {
        level: "县（市、区）科协只能组织县级认定",
      });
    if (region && region.level !== level) {
      const message = level === "county" ? "县级认定的组织单位应为县（市、区）" : "市级认定的组织单位应为市";
      throw new AppError("VALIDATION", message, { regionCode: message });
    }
  }
  return me;
}

/** 申报项目管理: the calls of the actor's region and below, newest first. */
export async function listManagedCalls(ctx: AppContext, actor: Actor): Promise<CallView[]> {
  const me = await authorize(ctx, actor, "calls:manage");
  const scope = await regionSubtree(ctx, me.regionCode);
  const rows = await ctx.db
    .selectFrom("calls")
    .selectAll()
    .where("region_code", "in", scope.length ? scope : [""])
    .orderBy("opens_at", "desc")
    .limit(200)
    .execute();
  return rows.map((c) => view(ctx, c));
}

/** A call the actor manages, for its edit page. */
export async function getManagedCall(ctx: AppContext, actor: Actor, id: string): Promise<CallView> {
  const me = await authorize(ctx, actor, "calls:manage");
  const call = await getCall(ctx, id);
  if (!(await regionSubtree(ctx, me.regionCode)).includes(call.region_code))
    throw new AppError("NOT_FOUND", "未找到该申报项目");
  return call;
}

/** The office or an admin opens a call in its own region (city level, or county level per 第十九条). */
export async function createCall(ctx: AppContext, actor: Actor, input: CallFormInput): Promise<string> {
  const me = await assertCallRegion(ctx, actor, input.regionCode, input.level);
  return ctx.db.transaction().execute(async (trx) => {
    const id = await insertCall({ ...ctx, db: trx }, toNewCall(input, me.id));
    // Cached public pages (项目大厅, a naming notice's issuers and 文号) are rendered afresh.
    await bumpGeneration(trx, "notices");
    await recordAudit(ctx, trx, actor, {
      action: "call.create",
      targetType: "call",
      targetId: id,
      detail: { after: input },
    });
    return id;
  });
}

export async function updateCall(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: CallFormInput,
  version: number,
): Promise<void> {
  const before = await getCall(ctx, id);
  await assertCallRegion(ctx, actor, before.region_code, before.level);
  await assertCallRegion(ctx, actor, input.regionCode, input.level);
  await ctx.db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable("calls")
      .set((eb) => ({
        ...callColumns(input),
        updated_at: ctx.clock.now().toISOString(),
        version: eb("version", "+", 1),
      }))
      .where("id", "=", id)
      .where("version", "=", version)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1)
      throw new AppError("CONFLICT", "该项目已被他人修改，请刷新页面后重试");
    await bumpGeneration(trx, "notices");
    await recordAudit(ctx, trx, actor, {
      action: "call.update",
      targetType: "call",
      targetId: id,
      detail: {
        before: {
          opensAt: before.opens_at,
          closesAt: before.closes_at,
          title: before.title,
          issuers: before.issuers,
          documentNo: before.document_no,
        },
        after: input,
      },
    });
  });
}

export interface Issuance {
  /** The bodies that name the bases, in the order they sign. */
  issuers: string[];
  /** 文号 of the naming document; "" when not set. */
  documentNo: string;
  /** The call's level and the name of its region (衢州市, 龙游县): "衢州市科普教育基地". */
  level: "city" | "county";
  regionName: string;
}

/**
 * Who names the bases of a call, and under which 文号 (第三条, 第十九条): the call's settings, or
 * the defaults of its level. Without a call (a base imported from an earlier batch), the city's.
 */
export async function callIssuance(
  ctx: Pick<AppContext, "db">,
  call: Pick<Call, "issuers" | "document_no" | "level" | "region_code"> | null,
  fallbackRegion = "330800",
): Promise<Issuance> {
  const level = call?.level ?? "city";
  let code = call?.region_code ?? fallbackRegion;
  if (!call) {
    // A base's county → its city.
    const regions = await listRegions(ctx);
    const r = regions.find((x) => x.code === code);
    if (r?.level === "county" && r.parent_code) code = r.parent_code;
  }
  const name = await regionName(ctx, code);
  const stored: string[] = call?.issuers ? JSON.parse(call.issuers) : [];
  return {
    issuers: stored.length ? stored : defaultIssuers(level, name),
    documentNo: call?.document_no ?? "",
    level,
    regionName: name,
  };
}

/** The issuance of a call by id (a naming notice's call); null or a missing call: the city's defaults. */
export async function issuanceOfCall(ctx: AppContext, callId: string | null): Promise<Issuance> {
  const call = callId
    ? await ctx.db.selectFrom("calls").selectAll().where("id", "=", callId).executeTakeFirst()
    : undefined;
  return callIssuance(ctx, call ?? null);
}

/** Calls whose files the actor may manage: in its region or below. */
export async function canManageCall(ctx: AppContext, actor: Actor, id: string): Promise<string | null> {
  const user = actor.user;
  if (!user || user.mustChangePassword || !can(user, "calls:manage")) return null;
  const row = await ctx.db.selectFrom("calls").select("region_code").where("id", "=", id).executeTakeFirst();
  if (!row) return null;
  return (await regionSubtree(ctx, user.regionCode)).includes(row.region_code) ? row.region_code : null;
}
