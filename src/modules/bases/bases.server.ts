import type { SelectQueryBuilder } from "kysely";
import { can } from "#src/modules/accounts/accounts.policy.ts";
import { authorize } from "#src/modules/accounts/authorize.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { openLateChangeWarning } from "#src/modules/dynamic-management/dynamic-management.store.server.ts";
import { notify, reviewersFor } from "#src/modules/notifications/notifications.server.ts";
import { listRegions, regionSubtree } from "#src/modules/regions/regions.server.ts";
import {
  applyTeamChange,
  checkTeamChange,
  type TeamChange,
} from "#src/modules/volunteers/volunteers-team-change.server.ts";
import { bumpGeneration } from "#src/platform/cache/generations.server.ts";
import type { Engine } from "#src/platform/config.ts";
import type { Actor, AppContext, SessionUser } from "#src/platform/context.ts";
import type { Base, BaseStatus, ChangeKind, ChangeReport, DB } from "#src/platform/db/schema.ts";
import { AppError } from "#src/platform/errors.ts";
import { newId } from "#src/platform/ids.ts";
import { withAreaCode } from "#src/platform/phone.rules.ts";
import { accountsOfBase } from "./base-accounts.server.ts";
import {
  BASE_STATUS_LABELS,
  type BaseChangeField,
  baseSearchText,
  CHANGE_FIELD_COLUMNS,
  CHANGE_KIND_LABELS,
  type ChangeDetails,
  type ChangeField,
  detailsOf,
  isLateChange,
  isTeamChangeField,
  MAJOR_CHANGE_KINDS,
  RECOMMENDATION_LABELS,
  revocationReasonLabel,
  shanghaiDate,
  WARNING_NOTE_LATE_CHANGE,
} from "./bases.rules.ts";
import type {
  ChangeReportInput,
  DecideChangeInput,
  ProfileInput,
  RecommendationInput,
  RevocationInput,
} from "./bases.schema.ts";
import { baseKeywordMatches } from "./bases-search.server.ts";

const NOT_FOUND = "未找到该基地";
const BASE_CONFLICT = "该基地信息刚刚已被他人修改，请刷新页面查看最新内容后再操作。";
const REPORT_CONFLICT = "该变更申报刚刚已被他人处理，请刷新页面查看最新状态。";

function activeUser(actor: Actor): SessionUser {
  const user = actor.user;
  if (!user || user.mustChangePassword) throw new AppError("UNAUTHENTICATED", "请先登录");
  return user;
}

// ---- scoping ----

/** The regions whose bases a staff user sees: its own region and below. */
export async function baseScope(ctx: AppContext, user: SessionUser): Promise<string[]> {
  return regionSubtree(ctx, user.regionCode);
}

/** The one place that decides which bases a staff actor sees (in the where clause). */
async function staffBases(ctx: AppContext, user: SessionUser) {
  const scope = await baseScope(ctx, user);
  return ctx.db.selectFrom("bases").where("bases.region_code", "in", scope.length ? scope : [""]);
}

/** A miss: audited when the record exists out of scope, and answered like any missing record. */
async function missing(
  ctx: AppContext,
  actor: Actor,
  table: "bases" | "change_reports",
  id: string,
): Promise<never> {
  const exists = await ctx.db.selectFrom(table).select("id").where("id", "=", id).executeTakeFirst();
  if (exists) {
    await recordAudit(ctx, ctx.db, actor, {
      action: "access.denied",
      outcome: "denied",
      targetType: table === "bases" ? "base" : "change_report",
      targetId: id,
      detail: { reason: "out_of_scope" },
    });
  }
  throw new AppError("NOT_FOUND", table === "bases" ? NOT_FOUND : "未找到该变更申报");
}

async function loadStaffBase(ctx: AppContext, actor: Actor, id: string): Promise<Base> {
  const me = await authorize(ctx, actor, "bases:read");
  const row = await (await staffBases(ctx, me)).selectAll().where("id", "=", id).executeTakeFirst();
  return row ?? missing(ctx, actor, "bases", id);
}

/** The organization's own base: one linked to its account in `base_accounts` (never by an equal USCC). */
export async function findOwnBase(ctx: AppContext, user: SessionUser): Promise<Base | undefined> {
  return ctx.db
    .selectFrom("bases")
    .innerJoin("base_accounts", "base_accounts.base_id", "bases.id")
    .selectAll("bases")
    .where("base_accounts.user_id", "=", user.id)
    .orderBy("base_accounts.created_at")
    .executeTakeFirst();
}

async function loadOwnBase(ctx: AppContext, actor: Actor): Promise<Base> {
  const me = await authorize(ctx, actor, "bases:own");
  const base = await findOwnBase(ctx, me);
  if (!base) throw new AppError("NOT_FOUND", "贵单位尚无已认定的科普教育基地");
  return base;
}

/** For the files module: the base's region if the actor may see it as staff or as its owner. */
export async function baseRegionFor(ctx: AppContext, actor: Actor, id: string): Promise<string | null> {
  const user = actor.user;
  if (!user || user.mustChangePassword) return null;
  if (user.role === "org") {
    const own = await findOwnBase(ctx, user);
    return own?.id === id ? own.region_code : null;
  }
  if (can(user, "bases:read")) {
    const row = await (await staffBases(ctx, user))
      .select("region_code")
      .where("id", "=", id)
      .executeTakeFirst();
    return row?.region_code ?? null;
  }
  return null;
}

/** For the files module: the owner organization's base, while it is not revoked. */
export async function ownBaseWritableRegion(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<string | null> {
  const user = actor.user;
  if (!user || user.role !== "org" || user.mustChangePassword) return null;
  const own = await findOwnBase(ctx, user);
  return own?.id === id && own.status !== "revoked" ? own.region_code : null;
}

/** For the files module: a base in the office's scope that may still be revoked. */
export async function revocableBaseRegion(ctx: AppContext, actor: Actor, id: string): Promise<string | null> {
  const user = actor.user;
  if (!user || user.role !== "office" || user.mustChangePassword) return null;
  const row = await (await staffBases(ctx, user))
    .select(["region_code", "status"])
    .where("id", "=", id)
    .executeTakeFirst();
  return row && row.status !== "revoked" ? row.region_code : null;
}

/** For the files module: the base region of a change report the actor may see. */
export async function changeReportRegionFor(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<string | null> {
  const row = await ctx.db
    .selectFrom("change_reports")
    .select("base_id")
    .where("id", "=", id)
    .executeTakeFirst();
  return row ? baseRegionFor(ctx, actor, row.base_id) : null;
}

/** For the files module: anyone may see the photos of a base that is not revoked. */
export async function publicBaseRegion(ctx: AppContext, id: string): Promise<string | null> {
  const row = await ctx.db
    .selectFrom("bases")
    .select(["region_code", "status"])
    .where("id", "=", id)
    .executeTakeFirst();
  return row && row.status !== "revoked" ? row.region_code : null;
}

// ---- the organization's side ----

export interface OwnBaseView {
  base: Base;
  reports: ChangeReportRow[];
}

/** 我的基地: the organization's base and its change reports. */
export async function getOwnBase(ctx: AppContext, actor: Actor): Promise<OwnBaseView | null> {
  const me = await authorize(ctx, actor, "bases:own");
  const base = await findOwnBase(ctx, me);
  if (!base) return null;
  return { base, reports: await reportsOf(ctx, base.id) };
}

/** The public fields an organization edits itself; name, unit, category and county change only by a change report. */
export async function updateBaseProfile(ctx: AppContext, actor: Actor, input: ProfileInput): Promise<Base> {
  const base = await loadOwnBase(ctx, actor);
  if (base.status === "revoked") throw new AppError("CONFLICT", "该基地已被撤销命名，不能再修改基地信息。");
  if (input.version !== base.version) throw new AppError("CONFLICT", BASE_CONFLICT);
  const now = ctx.clock.now().toISOString();
  const next = {
    intro: input.intro,
    opening_form: input.openingForm,
    opening_hours: input.openingHours,
    open_days: input.openDays,
    booking_phone: withAreaCode(input.bookingPhone, base.region_code),
    address: input.address,
  };
  const before = Object.fromEntries(Object.keys(next).map((k) => [k, base[k as keyof typeof next]]));
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("bases")
      .set((eb) => ({
        ...next,
        search_text: baseSearchText(base.name, base.unit_name, input.address),
        updated_at: now,
        version: eb("version", "+", 1),
      }))
      .where("id", "=", base.id)
      .where("version", "=", input.version)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError("CONFLICT", BASE_CONFLICT);
    await bumpGeneration(trx, "bases", [base.id]);
    await recordAudit(ctx, trx, actor, {
      action: "base.update_profile",
      targetType: "base",
      targetId: base.id,
      detail: { before: { ...before, version: base.version }, after: { ...next, version: row.version } },
    });
    return row;
  });
}

// ---- staff lists ----

export interface BaseFilter {
  status?: BaseStatus;
  regionCode?: string;
  categoryCode?: string;
  q?: string;
  /** yes: recommended upwards at any level; no: not recommended; or one level. */
  recommended?: "yes" | "no" | "province" | "nation";
  offset?: number;
  limit?: number;
}

export type StaffBaseRow = Pick<
  Base,
  | "id"
  | "name"
  | "unit_name"
  | "uscc"
  | "region_code"
  | "category_code"
  | "status"
  | "batch_no"
  | "recognized_year"
  | "certificate_no"
  | "recommended_level"
  | "updated_at"
>;

/** Applies a staff filter to an already scoped query. */
export function filterBases<O>(
  engine: Engine,
  q: SelectQueryBuilder<DB, "bases", O>,
  f: BaseFilter,
): SelectQueryBuilder<DB, "bases", O> {
  let out = q;
  if (f.status) out = out.where("bases.status", "=", f.status);
  if (f.regionCode) out = out.where("bases.region_code", "=", f.regionCode);
  if (f.categoryCode) out = out.where("bases.category_code", "=", f.categoryCode);
  if (f.q?.trim()) out = out.where(baseKeywordMatches(engine, f.q));
  if (f.recommended === "yes") out = out.where("bases.recommended_level", "is not", null);
  else if (f.recommended === "no") out = out.where("bases.recommended_level", "is", null);
  else if (f.recommended) out = out.where("bases.recommended_level", "=", f.recommended);
  return out;
}

/** 基地管理: bases in the actor's region (revoked ones included), filtered and paged. */
export async function listStaffBases(
  ctx: AppContext,
  actor: Actor,
  filter: BaseFilter,
): Promise<{ rows: StaffBaseRow[]; total: number }> {
  const me = await authorize(ctx, actor, "bases:read");
  const q = filterBases(ctx.engine, await staffBases(ctx, me), filter);
  const rows = await q
    .select([
      "id",
      "name",
      "unit_name",
      "uscc",
      "region_code",
      "category_code",
      "status",
      "batch_no",
      "recognized_year",
      "certificate_no",
      "recommended_level",
      "updated_at",
    ])
    .orderBy("recognized_year", "desc")
    .orderBy("name")
    .orderBy("id")
    .offset(Math.max(0, filter.offset ?? 0))
    .limit(Math.min(Math.max(1, filter.limit ?? 20), 100))
    .execute();
  const [c] = await q.select((eb) => eb.fn.countAll<number>().as("n")).execute();
  return { rows, total: Number(c.n) };
}

export interface ChangeReportRow extends ChangeReport {
  base_name: string;
  region_code: string;
}

async function reportsOf(ctx: AppContext, baseId: string): Promise<ChangeReportRow[]> {
  return ctx.db
    .selectFrom("change_reports")
    .innerJoin("bases", "bases.id", "change_reports.base_id")
    .selectAll("change_reports")
    .select(["bases.name as base_name", "bases.region_code"])
    .where("change_reports.base_id", "=", baseId)
    .orderBy("change_reports.filed_at", "desc")
    .execute();
}

/** One base for staff, with its change history. Outside the actor's region: 404 (audited). */
export async function getStaffBase(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<{ base: Base; reports: ChangeReportRow[] }> {
  const base = await loadStaffBase(ctx, actor, id);
  return { base, reports: await reportsOf(ctx, id) };
}

// ---- office: revoke and recommend ----

/** 撤销 (第十八条): the base stays visible to staff with its status; the organization is told. */
export async function revokeBase(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: RevocationInput,
): Promise<Base> {
  await authorize(ctx, actor, "bases:manage");
  const base = await loadStaffBase(ctx, actor, id);
  if (base.status === "revoked") throw new AppError("CONFLICT", "该基地已被撤销命名。");
  if (input.version !== base.version) throw new AppError("CONFLICT", BASE_CONFLICT);
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("bases")
      .set((eb) => ({
        status: "revoked" as const,
        revoked_at: now,
        revocation_reason: input.reason,
        revocation_note: input.explanation,
        updated_at: now,
        version: eb("version", "+", 1),
      }))
      .where("id", "=", id)
      .where("version", "=", input.version)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError("CONFLICT", BASE_CONFLICT);
    await bumpGeneration(trx, "bases", [id]);
    const evidence = await trx
      .selectFrom("files")
      .select("id")
      .where("owner_type", "=", "base_revocation")
      .where("owner_id", "=", id)
      .execute();
    await recordAudit(ctx, trx, actor, {
      action: "base.revoke",
      targetType: "base",
      targetId: id,
      detail: {
        before: { status: base.status, version: base.version },
        after: { status: "revoked", version: row.version },
        reason: input.reason,
        evidence: evidence.map((f) => f.id),
      },
    });
    await notify(ctx, trx, {
      userIds: await accountsOfBase(trx, id),
      kind: "base.revoke",
      title: "科普教育基地命名已撤销",
      body: `“${base.name}”的衢州市科普教育基地命名已被撤销。理由：第十八条（${"一二三四五"[input.reason - 1]}）${revocationReasonLabel(input.reason)}。说明：${input.explanation}`,
      link: "/my-base",
    });
    return row;
  });
}

/** 推荐 upwards (province or nation), or withdraw the recommendation with level null. */
export async function recommendBase(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: RecommendationInput,
): Promise<Base> {
  await authorize(ctx, actor, "bases:manage");
  const base = await loadStaffBase(ctx, actor, id);
  if (input.level && base.status === "revoked") throw new AppError("CONFLICT", "已撤销命名的基地不能推荐。");
  if (input.version !== base.version) throw new AppError("CONFLICT", BASE_CONFLICT);
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("bases")
      .set((eb) => ({
        recommended_level: input.level,
        recommended_note: input.level ? input.note || null : null,
        recommended_at: input.level ? now : null,
        updated_at: now,
        version: eb("version", "+", 1),
      }))
      .where("id", "=", id)
      .where("version", "=", input.version)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError("CONFLICT", BASE_CONFLICT);
    await bumpGeneration(trx, "bases", [id]);
    await recordAudit(ctx, trx, actor, {
      action: input.level ? "base.recommend" : "base.unrecommend",
      targetType: "base",
      targetId: id,
      detail: {
        before: { recommended: base.recommended_level, version: base.version },
        after: { recommended: input.level, version: row.version },
        note: input.note || undefined,
      },
    });
    if (input.level) {
      await notify(ctx, trx, {
        userIds: await accountsOfBase(trx, id),
        kind: "base.recommend",
        title: "基地已被推荐",
        body: `“${base.name}”已被推荐申报${RECOMMENDATION_LABELS[input.level]}科普教育基地。`,
        link: "/my-base",
      });
    }
    return row;
  });
}

// ---- change reports ----

export async function regionAncestors(ctx: AppContext, code: string): Promise<string[]> {
  const all = await listRegions(ctx);
  const out: string[] = [];
  let cur = all.find((r) => r.code === code);
  while (cur) {
    out.push(cur.code);
    cur = cur.parent_code ? all.find((r) => r.code === cur!.parent_code) : undefined;
  }
  return out;
}

/**
 * 变更申报: the organization reports a change of its base. Filed more than 3 months after it
 * happened, it is marked late (第十八条(三)). Evidence uploaded beforehand moves onto the report.
 */
export async function fileChangeReport(
  ctx: AppContext,
  actor: Actor,
  input: ChangeReportInput,
): Promise<ChangeReport> {
  const base = await loadOwnBase(ctx, actor);
  const me = activeUser(actor);
  if (base.status === "revoked") throw new AppError("CONFLICT", "该基地已被撤销命名，不能再申报变更。");
  const now = ctx.clock.now();
  if (input.happenedOn > shanghaiDate(now)) {
    throw new AppError("VALIDATION", "变更发生日期不能晚于今天", { happenedOn: "变更发生日期不能晚于今天" });
  }
  const pending = await ctx.db
    .selectFrom("change_reports")
    .select("id")
    .where("base_id", "=", base.id)
    .where("status", "=", "pending")
    .executeTakeFirst();
  if (pending) throw new AppError("CONFLICT", "已有一份变更申报正在审核，请等待审核结果后再申报。");
  const previous: Partial<Record<ChangeField, string>> = {};
  for (const f of Object.keys(input.values) as ChangeField[]) {
    if (!isTeamChangeField(f)) previous[f] = base[CHANGE_FIELD_COLUMNS[f]];
  }
  const team = teamChangeOf(input.values);
  if (team) {
    const before = await checkTeamChange(ctx.db, base.id, team, unitAfter(base, input.values));
    if (before.name !== undefined) previous.teamName = before.name;
    if (before.stvsOrgNo !== undefined) previous.teamStvsOrgNo = before.stvsOrgNo;
  }
  const late = isLateChange(input.happenedOn, now);
  const id = newId();
  // Before the transaction: a cold region cache reads through ctx.db, which inside it would wait on
  // SQLite's one connection for ever.
  const ancestors = await regionAncestors(ctx, base.region_code);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("change_reports")
      .values({
        id,
        base_id: base.id,
        kind: input.kind,
        happened_on: input.happenedOn,
        details: JSON.stringify({ values: input.values, explanation: input.explanation, previous }),
        late: late ? 1 : 0,
        reply: null,
        filed_by: me.id,
        filed_at: now.toISOString(),
        decided_by: null,
        decided_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .updateTable("files")
      .set({ owner_type: "change_report", owner_id: id })
      .where("owner_type", "=", "base_change")
      .where("owner_id", "=", base.id)
      .execute();
    await recordAudit(ctx, trx, actor, {
      action: "change_report.file",
      targetType: "change_report",
      targetId: id,
      detail: { baseId: base.id, kind: input.kind, happenedOn: input.happenedOn, late },
    });
    const office = await reviewersFor(trx, "office", ancestors);
    await notify(ctx, trx, {
      userIds: office,
      kind: "change_report.pending",
      title: "有新的基地变更申报待审核",
      body: `“${base.name}”申报${CHANGE_KIND_LABELS[input.kind]}${late ? "（超过三个月报告）" : ""}`,
      link: `/admin/changes/${id}`,
    });
    return row;
  });
}

export interface ChangeFilter {
  status?: "pending" | "approved" | "returned";
  kind?: ChangeKind;
  offset?: number;
  limit?: number;
}

/** 变更审核: the office's queue over its region; an organization sees only its own reports. */
export async function listChangeReports(
  ctx: AppContext,
  actor: Actor,
  filter: ChangeFilter = {},
): Promise<{ rows: ChangeReportRow[]; total: number }> {
  const user = activeUser(actor);
  let q = ctx.db.selectFrom("change_reports").innerJoin("bases", "bases.id", "change_reports.base_id");
  if (user.role === "org") {
    const base = await loadOwnBase(ctx, actor);
    q = q.where("change_reports.base_id", "=", base.id);
  } else {
    const me = await authorize(ctx, actor, "bases:manage");
    const scope = await baseScope(ctx, me);
    q = q.where("bases.region_code", "in", scope.length ? scope : [""]);
  }
  if (filter.status) q = q.where("change_reports.status", "=", filter.status);
  if (filter.kind) q = q.where("change_reports.kind", "=", filter.kind);
  const rows = await q
    .selectAll("change_reports")
    .select(["bases.name as base_name", "bases.region_code"])
    .orderBy("change_reports.filed_at", filter.status === "pending" ? "asc" : "desc")
    .orderBy("change_reports.id")
    .offset(Math.max(0, filter.offset ?? 0))
    .limit(Math.min(Math.max(1, filter.limit ?? 20), 100))
    .execute();
  const [c] = await q.select((eb) => eb.fn.countAll<number>().as("n")).execute();
  return { rows, total: Number(c.n) };
}

/** One change report with its base: the office in scope, or the owner organization. */
export async function getChangeReport(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<{ report: ChangeReport; base: Base }> {
  const user = activeUser(actor);
  const report = await ctx.db
    .selectFrom("change_reports")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  let base: Base | undefined;
  if (report) {
    if (user.role === "org") {
      const own = await loadOwnBase(ctx, actor);
      base = own.id === report.base_id ? own : undefined;
    } else {
      const me = await authorize(ctx, actor, "bases:manage");
      base = await (await staffBases(ctx, me))
        .selectAll()
        .where("id", "=", report.base_id)
        .executeTakeFirst();
    }
  } else if (user.role !== "org") {
    await authorize(ctx, actor, "bases:manage");
  }
  if (!report || !base) return missing(ctx, actor, "change_reports", id);
  return { report, base };
}

/**
 * The office decides a change report. Approval writes the new values to the base; a late report
 * of a reorganization, split or merger also puts the base on warning under 第十八条(三).
 */
export async function decideChangeReport(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: DecideChangeInput,
): Promise<ChangeReport> {
  await authorize(ctx, actor, "bases:manage");
  const { report, base } = await getChangeReport(ctx, actor, id);
  if (report.status !== "pending" || report.version !== input.version) {
    throw new AppError("CONFLICT", REPORT_CONFLICT);
  }
  const approve = input.decision === "approve";
  if (approve && base.status === "revoked") {
    throw new AppError("CONFLICT", "该基地已被撤销命名，不能同意变更，请退回。");
  }
  const me = activeUser(actor);
  const now = ctx.clock.now().toISOString();
  const details = detailsOf(report);
  const warn = approve && report.late === 1 && MAJOR_CHANGE_KINDS.includes(report.kind);
  return ctx.db.transaction().execute(async (trx) => {
    const decided = await trx
      .updateTable("change_reports")
      .set((eb) => ({
        status: approve ? ("approved" as const) : ("returned" as const),
        reply: input.reply || null,
        decided_by: me.id,
        decided_at: now,
        version: eb("version", "+", 1),
      }))
      .where("id", "=", id)
      .where("status", "=", "pending")
      .where("version", "=", input.version)
      .returningAll()
      .executeTakeFirst();
    if (!decided) throw new AppError("CONFLICT", REPORT_CONFLICT);
    let after: Record<string, unknown> = {};
    if (approve) {
      const set: Record<string, string> = {};
      for (const [f, v] of Object.entries(details.values) as [ChangeField, string][]) {
        if (v && !isTeamChangeField(f)) set[CHANGE_FIELD_COLUMNS[f]] = v;
      }
      const name = set.name ?? base.name;
      const unit = set.unit_name ?? base.unit_name;
      const address = set.address ?? base.address;
      after = { ...set, ...(warn ? { status: "warning" } : {}) };
      const updated = await trx
        .updateTable("bases")
        .set((eb) => ({
          ...set,
          ...(warn ? { status: "warning" as const, warning_note: WARNING_NOTE_LATE_CHANGE } : {}),
          search_text: baseSearchText(name, unit, address),
          updated_at: now,
          version: eb("version", "+", 1),
        }))
        .where("id", "=", base.id)
        .where("version", "=", base.version)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw new AppError("CONFLICT", BASE_CONFLICT);
      const team = teamChangeOf(details.values);
      if (team) {
        const applied = await applyTeamChange(ctx, trx, actor, {
          baseId: base.id,
          reportId: id,
          change: team,
          org: { unitName: unit, baseName: name },
        });
        after = { ...after, team: applied };
      }
      await bumpGeneration(trx, "bases", [base.id]);
      // The warning joins 动态管理, where it is ordered to 整改 or lifted like any other.
      if (warn) await openLateChangeWarning(ctx, trx, actor, base, WARNING_NOTE_LATE_CHANGE, id);
    }
    await recordAudit(ctx, trx, actor, {
      action: approve ? "change_report.approve" : "change_report.return",
      targetType: "change_report",
      targetId: id,
      detail: {
        baseId: base.id,
        kind: report.kind,
        late: report.late === 1,
        before: { status: "pending", base: details.previous, baseStatus: base.status },
        after: { status: decided.status, base: after },
      },
    });
    await notify(ctx, trx, {
      userIds: [report.filed_by],
      kind: `change_report.${input.decision}`,
      title: approve ? "变更申报已同意" : "变更申报被退回",
      body: approve
        ? `“${base.name}”的${CHANGE_KIND_LABELS[report.kind]}申报已同意${warn ? `。因超过三个月报告，基地状态为“${BASE_STATUS_LABELS.warning}”` : ""}。`
        : `“${base.name}”的${CHANGE_KIND_LABELS[report.kind]}申报被退回。理由：${input.reply}`,
      link: "/my-base",
    });
    return decided;
  });
}

/** A report's 科技志愿服务队 items, or null when it has none. */
function teamChangeOf(values: ChangeDetails["values"]): TeamChange | null {
  const change: TeamChange = {};
  if (values.teamName) change.name = values.teamName;
  if (values.teamStvsOrgNo) change.stvsOrgNo = values.teamStvsOrgNo;
  return change.name || change.stvsOrgNo ? change : null;
}

/** The unit and base name once a report's own rename is applied: the team's name must fit them. */
function unitAfter(base: Base, values: Partial<Record<BaseChangeField, string>>) {
  return { unitName: values.unitName || base.unit_name, baseName: values.name || base.name };
}

/** Used by the importer and demo seeding: are two base column sets the same? */
export function sameValues(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return Object.keys(a).every((k) => (a[k] ?? null) === (b[k] ?? null));
}
