import { type ExpressionBuilder, type Kysely, sql, type Transaction } from "kysely";
import { can } from "#src/modules/accounts/accounts.policy.ts";
import { authorize } from "#src/modules/accounts/authorize.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { endOfShanghaiDay } from "#src/modules/calls/calls.rules.ts";
import { getCall } from "#src/modules/calls/calls.server.ts";
import { notify, reviewersFor } from "#src/modules/notifications/notifications.server.ts";
import { listCounties, listRegions, regionName, regionSubtree } from "#src/modules/regions/regions.server.ts";
import { assertVerifiedOrg } from "#src/modules/verification/verification.server.ts";
import { teamForApplication } from "#src/modules/volunteers/volunteers.server.ts";
import { bumpGeneration, GenerationCache, readGenerations } from "#src/platform/cache/generations.server.ts";
import type { Actor, AppContext, SessionUser } from "#src/platform/context.ts";
import type { Application, ApplicationEvent, ApplicationStatus, DB } from "#src/platform/db/schema.ts";
import { AppError } from "#src/platform/errors.ts";
import { newId } from "#src/platform/ids.ts";
import { applicationNoPrefix, formatApplicationNo, shanghaiYear } from "#src/platform/numbering.rules.ts";
import { areaCodeFor, normalizePhone } from "#src/platform/phone.rules.ts";
import { attachmentProblems } from "./application-attachments.server.ts";
import {
  ACTION_LABELS,
  ACTIVE_STATUSES,
  BASIC_CONDITIONS,
  NOTICE_ACTION_LABELS,
  type NoticeAction,
  nextStatus,
  opinionRequired,
  type ReviewAction,
  STATUS_LABELS,
  stageOf,
  stagesOf,
} from "./applications.rules.ts";
import {
  type ApplicationDraft,
  type Condition,
  type InspectionInput,
  type ReviewInput,
  submitErrors,
  submitSchema,
} from "./applications.schema.ts";

export const ALREADY_APPLIED =
  "贵单位已被认定为科普教育基地或已经在平台申报，无需再填报。如需查看进度，请进入“我的申报”。";

/** The notice's “已被认定为衢州市科普教育基地…无需再填报”, for an org whose base stands recognized. */
export const alreadyRecognized = (cityName: string) =>
  `贵单位已被认定为${cityName}科普教育基地，无需再填报。如需维护基地信息，请进入“我的基地”。`;

/**
 * A city call is closed to an organization whose USCC (or account) belongs to a recognized base that is
 * not revoked, whether or not an application is on file for it (earlier batches were recognized offline).
 */
async function refuseRecognizedOrg(
  ctx: AppContext,
  orgId: string,
  call: { level: string; region_code: string },
) {
  const org = await ctx.db.selectFrom("users").select("uscc").where("id", "=", orgId).executeTakeFirst();
  let q = ctx.db.selectFrom("bases").select(["id", "level"]).where("status", "!=", "revoked");
  // A county-level base may apply to a city call (第十九条); a city-level one needs neither.
  if (call.level === "city") q = q.where("level", "=", "city");
  q = q.where((eb) =>
    org?.uscc ? eb.or([eb("org_id", "=", orgId), eb("uscc", "=", org.uscc)]) : eb("org_id", "=", orgId),
  );
  const base = await q.executeTakeFirst();
  if (base) {
    const where =
      base.level === "city" && call.level === "county"
        ? await cityOf(ctx, call.region_code)
        : call.region_code;
    throw new AppError("CONFLICT", alreadyRecognized(await regionName(ctx, where)));
  }
}

/** The city a county belongs to (a city's code is its own). */
async function cityOf(ctx: AppContext, code: string): Promise<string> {
  const ancestors = await regionAncestors(ctx, code);
  return ancestors[1] ?? code;
}

/** The column that records a stage's decision, for "N of M done". */
const DECIDED_COLUMN: Partial<
  Record<ApplicationStatus, "decided_county" | "decided_city" | "decided_office">
> = {
  county_review: "decided_county",
  city_review: "decided_city",
  office_confirmation: "decided_office",
};

/** Days an application may wait at a review stage before it counts as overdue in the queues. */
export const REVIEW_DAYS = 15;

// ---- scoping ----

/**
 * The one place that decides which applications an actor sees: an org its own; staff those in
 * their region and below, never another organization's unsubmitted draft.
 */
async function scopeQuery(ctx: AppContext, user: SessionUser) {
  let q = ctx.db.selectFrom("applications");
  if (user.role === "org") return q.where("org_id", "=", user.id);
  // Staff without a review role (the evaluator) see no application at all, through any path.
  if (!can(user, "applications:review")) return q.where(sql<boolean>`1 = 0`);
  const scope = await regionSubtree(ctx, user.regionCode);
  q = q.where("region_code", "in", scope).where("status", "!=", "draft");
  return q;
}

async function loadScoped(ctx: AppContext, actor: Actor, id: string): Promise<Application> {
  const user = actor.user;
  if (!user || user.mustChangePassword) throw new AppError("UNAUTHENTICATED", "请先登录");
  const row = await (await scopeQuery(ctx, user)).selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) {
    const exists = await ctx.db
      .selectFrom("applications")
      .select("id")
      .where("id", "=", id)
      .executeTakeFirst();
    if (exists) {
      await recordAudit(ctx, ctx.db, actor, {
        action: "access.denied",
        outcome: "denied",
        targetType: "application",
        targetId: id,
        detail: { reason: "out_of_scope" },
      });
    }
    throw new AppError("NOT_FOUND", "未找到该申报");
  }
  return row;
}

/** For the files module: the application's region if the actor may see it, else null. */
export async function applicationRegionFor(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<string | null> {
  if (!actor.user || actor.user.mustChangePassword) return null;
  const row = await (await scopeQuery(ctx, actor.user))
    .select("region_code")
    .where("id", "=", id)
    .executeTakeFirst();
  return row?.region_code ?? null;
}

/** For the files module: only the applicant, and only while the form is editable. */
export async function applicationWritableRegion(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<string | null> {
  const user = actor.user;
  if (!user || user.role !== "org" || user.mustChangePassword) return null;
  const row = await ctx.db
    .selectFrom("applications")
    .select(["region_code", "status"])
    .where("id", "=", id)
    .where("org_id", "=", user.id)
    .executeTakeFirst();
  return row && (row.status === "draft" || row.status === "returned") ? row.region_code : null;
}

// ---- the applicant's side ----

export function draftOf(app: Application): ApplicationDraft {
  const conditions: Condition[] = JSON.parse(app.conditions || "[]");
  const s = (v: string | number | null) => (v === null || v === undefined ? "" : String(v));
  return {
    regionCode: app.region_code,
    baseName: app.base_name,
    unitName: app.unit_name,
    address: app.address,
    leaderName: app.leader_name,
    leaderPhone: app.leader_phone,
    contactName: app.contact_name,
    contactPhone: app.contact_phone,
    bookingPhone: app.booking_phone,
    volunteerTeamName: app.volunteer_team_name,
    volunteerCount: s(app.volunteer_count),
    volunteerLeader: app.volunteer_leader,
    volunteerLeaderPhone: app.volunteer_leader_phone,
    openingForm: app.opening_form ?? "",
    categoryCode: app.category_code ?? "",
    areaSqm: s(app.area_sqm),
    openDays: s(app.open_days),
    intro: app.intro,
    honors: app.honors,
    conditions: BASIC_CONDITIONS.map((_, i) => conditions[i] ?? { confirmed: false, note: "" }),
  };
}

const numOrNull = (v: string, integer: boolean) => {
  if (v.trim() === "") return null;
  const n = Number(v);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) return null;
  return n;
};

async function draftColumns(ctx: AppContext, draft: ApplicationDraft, current: Application) {
  const counties = (await listCounties(ctx)).map((c) => c.code);
  const categories = await ctx.db.selectFrom("categories").select("code").execute();
  const regionCode = counties.includes(draft.regionCode) ? draft.regionCode : current.region_code;
  // A phone that parses is stored in its normal form (13905701234, 0570-3027351); a draft keeps the rest as typed.
  const phone = (v: string, allowLocal = false) =>
    normalizePhone(v, { allowLocal, areaCode: areaCodeFor(regionCode) });
  return {
    region_code: regionCode,
    category_code: categories.some((c) => c.code === draft.categoryCode) ? draft.categoryCode : null,
    // Trimmed: the name rules (…科普教育基地) are checked on what is stored.
    base_name: draft.baseName.trim(),
    unit_name: draft.unitName.trim(),
    address: draft.address,
    leader_name: draft.leaderName,
    leader_phone: phone(draft.leaderPhone),
    contact_name: draft.contactName,
    contact_phone: phone(draft.contactPhone),
    booking_phone: phone(draft.bookingPhone, true),
    volunteer_team_name: draft.volunteerTeamName,
    volunteer_count: numOrNull(draft.volunteerCount, true),
    volunteer_leader: draft.volunteerLeader,
    volunteer_leader_phone: phone(draft.volunteerLeaderPhone),
    opening_form: draft.openingForm || null,
    area_sqm: numOrNull(draft.areaSqm, false),
    open_days: numOrNull(draft.openDays, true),
    intro: draft.intro,
    honors: draft.honors,
    conditions: JSON.stringify(draft.conditions),
  };
}

/**
 * 【我要申报】: opens the organization's draft for a call, creating it on first use. An organization
 * with a recognized base or another application in progress is refused.
 */
export async function startApplication(ctx: AppContext, actor: Actor, callId: string): Promise<string> {
  const me = await authorize(ctx, actor, "applications:apply");
  const call = await getCall(ctx, callId);
  // Before reopening a draft: a draft started before this rule must not be carried on either.
  await refuseRecognizedOrg(ctx, me.id, call);
  // One application in progress per organization and level: a county call and a city call may overlap.
  const mine = await ctx.db
    .selectFrom("applications")
    .select(["id", "call_id", "status"])
    .where("org_id", "=", me.id)
    .where("level", "=", call.level)
    .where("status", "in", ACTIVE_STATUSES)
    .executeTakeFirst();
  if (mine) {
    if (mine.call_id === callId && (mine.status === "draft" || mine.status === "returned")) return mine.id;
    throw new AppError("CONFLICT", ALREADY_APPLIED);
  }
  if (call.state !== "open") {
    throw new AppError("VALIDATION", call.state === "upcoming" ? "该项目尚未开始申报" : "该项目申报已截止");
  }
  const org = await ctx.db.selectFrom("users").selectAll().where("id", "=", me.id).executeTakeFirstOrThrow();
  if (!org.region_code || !(await regionSubtree(ctx, call.region_code)).includes(org.region_code)) {
    throw new AppError("CONFLICT", `该项目仅面向${await regionName(ctx, call.region_code)}的单位申报`);
  }
  // 附件2's 科技志愿 fields start from the team of a base the org already holds (a county-level base).
  const team = await teamForApplication(ctx.db, me.id);
  const now = ctx.clock.now().toISOString();
  const id = newId();
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("applications")
        .values({
          id,
          call_id: callId,
          org_id: me.id,
          region_code: org.region_code,
          category_code: null,
          level: call.level,
          status: "draft",
          returned_from: null,
          return_deadline: null,
          base_name: "",
          unit_name: org.display_name,
          address: "",
          leader_name: "",
          leader_phone: "",
          contact_name: org.contact_name ?? "",
          contact_phone: org.phone ?? "",
          booking_phone: "",
          volunteer_team_name: team?.name ?? "",
          volunteer_count: team ? team.count : null,
          volunteer_leader: team?.leader ?? "",
          volunteer_leader_phone: team?.leaderPhone ?? "",
          opening_form: null,
          area_sqm: null,
          open_days: null,
          intro: "",
          honors: "",
          conditions: "[]",
          city_score: null,
          submitted_at: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await recordAudit(ctx, trx, actor, {
        action: "application.create",
        targetType: "application",
        targetId: id,
      });
    });
  } catch (e) {
    // The partial unique index caught a concurrent second application.
    if (/unique|UNIQUE/.test(String(e))) throw new AppError("CONFLICT", ALREADY_APPLIED);
    throw e;
  }
  return id;
}

/** 保存草稿 and autosave: stores what was typed, valid or not, checking the version. */
export async function saveDraft(
  ctx: AppContext,
  actor: Actor,
  id: string,
  draft: ApplicationDraft,
  version: number,
): Promise<{ version: number; savedAt: string }> {
  const app = await loadScoped(ctx, actor, id);
  if (actor.user!.role !== "org") throw new AppError("NOT_FOUND", "未找到该申报");
  if (app.status !== "draft" && app.status !== "returned") {
    throw new AppError("CONFLICT", "申报已提交，不能再修改；如需修改，请等待退回或先撤回。");
  }
  const cols = await draftColumns(ctx, draft, app);
  const now = ctx.clock.now().toISOString();
  const row = await ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable("applications")
      .set((eb) => ({ ...cols, updated_at: now, version: eb("version", "+", 1) }))
      .where("id", "=", id)
      .where("version", "=", version)
      .returning("version")
      .executeTakeFirst();
    // A returned application is in the reviewers' queues (a draft is not): its county may change.
    if (updated && app.status === "returned") await bumpGeneration(trx, "applications");
    return updated;
  });
  if (!row) throw new AppError("CONFLICT", "申报表已在其他窗口或设备上修改，请刷新页面后再编辑。");
  return { version: row.version, savedAt: now };
}

async function callOf(ctx: AppContext, app: Application) {
  return getCall(ctx, app.call_id);
}

/** Validates a stored application for submission; returns field errors (empty when complete). */
export async function submissionProblems(ctx: AppContext, app: Application): Promise<Record<string, string>> {
  const call = await callOf(ctx, app);
  const counties = (await listCounties(ctx)).map((c) => c.code);
  const parsed = submitSchema({ counties, categories: call.categoryCodes }).safeParse(draftOf(app));
  const errors = parsed.success ? {} : submitErrors(parsed.error);
  return { ...errors, ...(await attachmentProblems(ctx, app.id)) };
}

/**
 * 【提交】: only a complete, valid application, only while the call is open (a returned one: until its
 * resubmission deadline). It goes to the county, or back to the stage that returned it.
 */
export async function submitApplication(
  ctx: AppContext,
  actor: Actor,
  id: string,
  version: number,
): Promise<ApplicationStatus> {
  const app = await loadScoped(ctx, actor, id);
  if (actor.user!.role !== "org") throw new AppError("NOT_FOUND", "未找到该申报");
  const action: ReviewAction = app.status === "returned" ? "resubmit" : "submit";
  const to = nextStatus(app, action, "org");
  if (!to) throw new AppError("CONFLICT", `申报当前状态为“${STATUS_LABELS[app.status]}”，不能提交`);
  const now = ctx.clock.now();
  if (action === "submit") {
    const call = await callOf(ctx, app);
    await refuseRecognizedOrg(ctx, app.org_id, call);
    if (call.state !== "open") {
      throw new AppError(
        "VALIDATION",
        call.state === "closed" ? "申报已截止，无法提交。草稿已保留。" : "该项目尚未开始申报，暂不能提交。",
      );
    }
  } else if (app.return_deadline && now.toISOString() >= app.return_deadline) {
    throw new AppError("VALIDATION", "已超过重新提交期限，无法提交。请联系退回您申报的审核部门。");
  }
  const problems = await submissionProblems(ctx, app);
  if (Object.keys(problems).length > 0) {
    throw new AppError("VALIDATION", "申报表还有未填写或填写不正确的内容，请按提示修改后再提交。", problems);
  }
  // Only a verified account may submit: a draft needs no proof, a submission speaks for the unit.
  await assertVerifiedOrg(ctx, actor.user!);
  await transition(ctx, actor, app, version, {
    action,
    to,
    submittedAt: action === "submit" ? now.toISOString() : undefined,
  });
  return to;
}

export async function withdrawApplication(
  ctx: AppContext,
  actor: Actor,
  id: string,
  version: number,
): Promise<void> {
  const app = await loadScoped(ctx, actor, id);
  const to = actor.user!.role === "org" ? nextStatus(app, "withdraw", "org") : null;
  if (!to) throw new AppError("CONFLICT", "县级已开始审核，不能撤回。");
  await transition(ctx, actor, app, version, { action: "withdraw", to });
}

// ---- reviewers ----

export async function reviewApplication(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: ReviewInput,
): Promise<ApplicationStatus> {
  const app = await loadScoped(ctx, actor, id);
  const role = actor.user!.role;
  const to = nextStatus(app, input.action, role);
  if (!to) {
    await recordAudit(ctx, ctx.db, actor, {
      action: "access.denied",
      outcome: "denied",
      targetType: "application",
      targetId: id,
      detail: { reviewAction: input.action, status: app.status },
    });
    throw new AppError(
      "CONFLICT",
      `该申报当前为“${STATUS_LABELS[app.status]}”，您不能执行“${ACTION_LABELS[input.action]}”。请刷新页面。`,
    );
  }
  const errors: Record<string, string> = {};
  if (opinionRequired(input.action) && !input.opinion) errors.opinion = "请填写意见或理由";
  let returnDeadline: string | undefined;
  if (input.action === "return") {
    if (!input.returnDeadline) errors.returnDeadline = "请填写重新提交期限";
    else {
      returnDeadline = endOfShanghaiDay(input.returnDeadline);
      if (returnDeadline <= ctx.clock.now().toISOString()) errors.returnDeadline = "重新提交期限须晚于今天";
    }
  }
  if (Object.keys(errors).length) throw new AppError("VALIDATION", "请补充审核信息", errors);
  await transition(ctx, actor, app, input.version, {
    action: input.action,
    to,
    opinion: input.opinion,
    internalNote: input.internalNote,
    opinionDate: input.opinionDate || undefined,
    score: input.score === "" ? undefined : Number(input.score),
    returnDeadline,
  });
  return to;
}

/** 实地抽查: the city records a site inspection; the status stays, the trail grows. */
export async function recordSiteInspection(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: InspectionInput,
): Promise<void> {
  const app = await loadScoped(ctx, actor, id);
  if (actor.user!.role !== "city" || app.status !== "city_review") {
    throw new AppError("CONFLICT", "只有处于市级评审阶段的申报可以记录实地抽查。");
  }
  await transition(ctx, actor, app, input.version, {
    action: "inspect",
    to: app.status,
    detail: { inspectedOn: input.inspectedOn, inspectors: input.inspectors, findings: input.findings },
    internalNote: input.findings,
  });
}

interface TransitionInput {
  action: ReviewAction | NoticeAction | "inspect";
  to: ApplicationStatus;
  opinion?: string;
  internalNote?: string;
  opinionDate?: string;
  score?: number;
  returnDeadline?: string;
  submittedAt?: string;
  detail?: Record<string, unknown>;
}

/**
 * Every status change goes through here: one transaction that moves the row only if its version
 * is still the one the actor saw, appends the event, notifies and audits. The loser of a race
 * changes nothing and gets a clear conflict.
 */
async function transition(
  ctx: AppContext,
  actor: Actor,
  app: Application,
  version: number,
  t: TransitionInput,
) {
  const conflict = () => new AppError("CONFLICT", "该申报刚刚已被他人处理或修改，请刷新页面查看最新状态。");
  if (version !== app.version) throw conflict();
  try {
    await ctx.db.transaction().execute((trx) => applyTransition(ctx, trx, actor, app, version, t));
  } catch (e) {
    if (e instanceof AppError) throw e;
    // Two transitions raced to the same version: the unique (application_id, version) index refused one.
    if (/unique|UNIQUE|duplicate/.test(String(e))) throw conflict();
    throw e;
  }
}

/**
 * For 公示 and naming: moves an application inside the caller's transaction, with the same event,
 * notifications and audit as any transition. The caller has checked the status.
 */
export async function moveApplication(
  ctx: AppContext,
  trx: Transaction<DB>,
  actor: Actor,
  app: Application,
  t: { action: NoticeAction; to: ApplicationStatus; opinion?: string; internalNote?: string },
): Promise<void> {
  await applyTransition(ctx, trx, actor, app, app.version, t);
}

async function applyTransition(
  ctx: AppContext,
  trx: Transaction<DB>,
  actor: Actor,
  app: Application,
  version: number,
  t: TransitionInput,
): Promise<void> {
  const user = actor.user!;
  const now = ctx.clock.now().toISOString();
  const conflict = () => new AppError("CONFLICT", "该申报刚刚已被他人处理或修改，请刷新页面查看最新状态。");
  // The number is given once, at the first 【提交】, inside this transaction (a lost race rolls it back).
  const applicationNo =
    t.action === "submit" && !app.application_no ? await nextApplicationNo(ctx, trx, app) : null;
  const updated = await trx
    .updateTable("applications")
    .set((eb) => ({
      status: t.to,
      version: eb("version", "+", 1),
      updated_at: now,
      ...(t.action === "return"
        ? { returned_from: app.status, return_deadline: t.returnDeadline ?? null }
        : t.action === "resubmit"
          ? { returned_from: null, return_deadline: null }
          : {}),
      ...(t.submittedAt ? { submitted_at: t.submittedAt } : {}),
      ...(applicationNo ? { application_no: applicationNo } : {}),
      ...(t.action !== "withdraw" && t.action !== "inspect" && DECIDED_COLUMN[app.status]
        ? { [DECIDED_COLUMN[app.status]!]: 1 }
        : {}),
      ...(t.action === "pass" && t.score !== undefined ? { city_score: t.score } : {}),
    }))
    .where("id", "=", app.id)
    .where("version", "=", version)
    .returning("version")
    .executeTakeFirst();
  if (!updated) throw conflict();
  await bumpGeneration(trx, "applications");
  await trx
    .insertInto("application_events")
    .values({
      id: newId(),
      application_id: app.id,
      at: now,
      actor_id: user.id,
      actor_role: user.role,
      actor_label: user.displayName,
      action: t.action,
      from_status: app.status,
      to_status: t.to,
      opinion: t.opinion || null,
      internal_note: t.internalNote || null,
      opinion_date: t.opinionDate ?? null,
      score: t.score ?? null,
      detail:
        t.detail || t.returnDeadline
          ? JSON.stringify({ ...t.detail, returnDeadline: t.returnDeadline })
          : null,
      version: updated.version,
    })
    .execute();
  const numbered = applicationNo ?? app.application_no;
  await notifyTransition(ctx, trx, { ...app, application_no: numbered }, t);
  await recordAudit(ctx, trx, actor, {
    action: `application.${t.action}`,
    targetType: "application",
    targetId: app.id,
    detail: {
      ...(numbered ? { applicationNo: numbered } : {}),
      before: { status: app.status, version },
      after: { status: t.to, version: updated.version },
    },
  });
}

/**
 * The next readable number for an application (2023-第八批-龙游-001): the call's year (Beijing time)
 * and batch, the county's short name, and the next sequence of that prefix. The counter row is
 * incremented by one upsert in the submitting transaction, which holds the row until commit (a write
 * lock on SQLite, a row lock on PostgreSQL), so concurrent submissions never share a number; the
 * unique index on application_no stands behind it.
 */
async function nextApplicationNo(ctx: AppContext, trx: Transaction<DB>, app: Application): Promise<string> {
  const call = await trx
    .selectFrom("calls")
    .select(["opens_at", "batch_no", "level"])
    .where("id", "=", app.call_id)
    .executeTakeFirstOrThrow();
  const prefix = applicationNoPrefix({
    year: shanghaiYear(call.opens_at),
    county: call.level === "county",
    batchNo: call.batch_no,
    countyName: await regionName(ctx, app.region_code),
  });
  const row = await trx
    .insertInto("application_no_counters")
    .values({ prefix, last_seq: 1 })
    .onConflict((oc) =>
      oc.column("prefix").doUpdateSet((eb) => ({ last_seq: eb("application_no_counters.last_seq", "+", 1) })),
    )
    .returning("last_seq")
    .executeTakeFirstOrThrow();
  return formatApplicationNo(prefix, Number(row.last_seq));
}

function actionLabel(action: TransitionInput["action"]): string {
  if (action === "inspect") return "实地抽查";
  return (ACTION_LABELS as Record<string, string>)[action] ?? NOTICE_ACTION_LABELS[action as NoticeAction];
}

async function regionAncestors(ctx: AppContext, code: string): Promise<string[]> {
  const all = await listRegions(ctx);
  const out: string[] = [];
  let cur = all.find((r) => r.code === code);
  while (cur) {
    out.push(cur.code);
    cur = cur.parent_code ? all.find((r) => r.code === cur!.parent_code) : undefined;
  }
  return out;
}

async function notifyTransition(
  ctx: AppContext,
  trx: Transaction<DB> | Kysely<DB>,
  app: Application,
  t: TransitionInput,
) {
  const link = `/applications/${app.id}`;
  const name = `“${app.base_name || app.unit_name}”${app.application_no ? `（${app.application_no}）` : ""}`;
  if (t.action !== "submit" && t.action !== "resubmit" && t.action !== "withdraw") {
    await notify(ctx, trx, {
      userIds: [app.org_id],
      kind: `application.${t.action}`,
      title: `申报${actionLabel(t.action)}`,
      body: `您的申报${name}：${STATUS_LABELS[t.to]}${t.opinion ? `。意见：${t.opinion}` : ""}`,
      link,
    });
  }
  const nextRole = stageOf(t.to, app.level);
  if (nextRole && t.action !== "inspect") {
    const reviewers = await reviewersFor(trx, nextRole, await regionAncestors(ctx, app.region_code));
    await notify(ctx, trx, {
      userIds: reviewers,
      kind: "application.pending",
      title: "有新的申报待处理",
      body: `${name}${STATUS_LABELS[t.to]}`,
      link,
    });
  }
}

// ---- reading ----

export interface ApplicationDetail {
  app: Application;
  events: ApplicationEvent[];
  callTitle: string;
}

/** One application with its timeline; applicants never see internal notes. */
export async function getApplication(ctx: AppContext, actor: Actor, id: string): Promise<ApplicationDetail> {
  const app = await loadScoped(ctx, actor, id);
  const events = await ctx.db
    .selectFrom("application_events")
    .selectAll()
    .where("application_id", "=", id)
    .orderBy("version")
    .execute();
  const call = await callOf(ctx, app);
  const isApplicant = actor.user!.role === "org";
  return {
    app,
    callTitle: call.title,
    events: isApplicant
      ? events.map((e) => ({ ...e, internal_note: null, detail: e.action === "inspect" ? null : e.detail }))
      : events,
  };
}

export async function listMyApplications(ctx: AppContext, actor: Actor) {
  const me = await authorize(ctx, actor, "applications:apply");
  return ctx.db
    .selectFrom("applications")
    .innerJoin("calls", "calls.id", "applications.call_id")
    .select([
      "applications.id",
      "applications.application_no",
      "applications.status",
      "applications.base_name",
      "applications.updated_at",
      "applications.return_deadline",
      "calls.title as call_title",
    ])
    .where("applications.org_id", "=", me.id)
    .orderBy("applications.created_at", "desc")
    .execute();
}

export interface QueueFilter {
  callId?: string;
  regionCode?: string;
  categoryCode?: string;
  status?: ApplicationStatus;
  /** Only those waiting at my stage longer than REVIEW_DAYS. */
  overdue?: boolean;
  /** Only those waiting for my decision. */
  mine?: boolean;
  q?: string;
  offset?: number;
  limit?: number;
}

export interface QueueRow {
  id: string;
  application_no: string | null;
  base_name: string;
  unit_name: string;
  region_code: string;
  category_code: string | null;
  status: ApplicationStatus;
  submitted_at: string | null;
  updated_at: string;
  call_id: string;
}

const queueCounts = new GenerationCache<{ total: number; done: number; pending: number }>(500);

/** The reviewer work queue, scoped to the actor's region, with "N of M done" for its stage. */
export async function listReviewQueue(
  ctx: AppContext,
  actor: Actor,
  filter: QueueFilter,
): Promise<{ rows: QueueRow[]; total: number; done: number; pending: number }> {
  const me = await authorize(ctx, actor, "applications:review");
  const base = await scopeQuery(ctx, me);
  // The statuses this role acts on, per call level (a county confirms its own county-level calls).
  const stages = stagesOf(me.role);
  const waitingForMe = (eb: ExpressionBuilder<DB, "applications">) =>
    eb.or(stages.map((st) => eb.and([eb("status", "=", st.status), eb("level", "=", st.level)])));
  const decidedByMe = (eb: ExpressionBuilder<DB, "applications">) =>
    eb.or(stages.map((st) => eb.and([eb("level", "=", st.level), eb(DECIDED_COLUMN[st.status]!, "=", 1)])));
  let q = base;
  if (filter.callId) q = q.where("call_id", "=", filter.callId);
  if (filter.regionCode) q = q.where("region_code", "=", filter.regionCode);
  if (filter.categoryCode) q = q.where("category_code", "=", filter.categoryCode);
  if (filter.status) q = q.where("status", "=", filter.status);
  if (filter.q) {
    const like = `%${filter.q.replace(/[%_\\]/g, "\\$&")}%`;
    q = q.where((eb) =>
      eb.or([
        eb("base_name", "like", like),
        eb("unit_name", "like", like),
        eb("application_no", "like", like),
      ]),
    );
  }
  if ((filter.mine || filter.overdue) && stages.length) q = q.where(waitingForMe);
  if (filter.overdue) {
    const cutoff = new Date(ctx.clock.now().getTime() - REVIEW_DAYS * 86400_000).toISOString();
    q = q.where("updated_at", "<", cutoff);
  }
  const narrowed =
    filter.regionCode || filter.categoryCode || filter.status || filter.q || filter.mine || filter.overdue;
  const rows = await q
    .select([
      "id",
      "application_no",
      "base_name",
      "unit_name",
      "region_code",
      "category_code",
      "status",
      "submitted_at",
      "updated_at",
      "call_id",
    ])
    .orderBy("updated_at", "desc")
    .orderBy("id", "desc")
    .offset(filter.offset ?? 0)
    .limit(Math.min(filter.limit ?? 20, 100))
    .execute();

  // N of M: N = applications my stage has decided and passed on (or sent back, or ended);
  // M = those plus the ones waiting for it now. Counting means scanning the scope's index
  // entries, so the counts are kept until the next change to any application.
  const generation = await readGenerations(ctx, ["applications"]);
  const counts = await queueCounts.get(
    ctx,
    `${me.role}|${me.regionCode}|${filter.callId ?? ""}`,
    generation,
    async () => {
      let scoped = base;
      if (filter.callId) scoped = scoped.where("call_id", "=", filter.callId);
      if (!stages.length) {
        const [c] = await scoped.select((eb) => eb.fn.countAll<number>().as("total")).execute();
        return { total: Number(c.total), pending: 0, done: 0 };
      }
      const [c] = await scoped
        .select((eb) => [
          eb.fn.countAll<number>().as("total"),
          eb.fn.sum<number>(eb.case().when(waitingForMe(eb)).then(1).else(0).end()).as("pending"),
          eb.fn
            .sum<number>(
              eb
                .case()
                .when(eb.and([eb.not(waitingForMe(eb)), decidedByMe(eb)]))
                .then(1)
                .else(0)
                .end(),
            )
            .as("done"),
        ])
        .execute();
      return { total: Number(c.total), pending: Number(c.pending ?? 0), done: Number(c.done ?? 0) };
    },
  );
  let total = counts.total;
  if (narrowed) {
    const [counted] = await q.select((eb) => eb.fn.countAll<number>().as("total")).execute();
    total = Number(counted.total);
  }
  const { done, pending } = counts;
  return { rows: rows as QueueRow[], total, done, pending };
}

/** Per county: submitted and recommended counts against the call's target. */
export async function countyTargets(ctx: AppContext, actor: Actor, callId: string) {
  const me = await authorize(ctx, actor, "applications:review");
  const call = await getCall(ctx, callId);
  const scope = await regionSubtree(ctx, me.regionCode);
  const counties = (await listCounties(ctx)).filter((c) => scope.includes(c.code));
  const rows = await ctx.db
    .selectFrom("applications")
    .select(["region_code", "status", (eb) => eb.fn.countAll<number>().as("n")])
    .where("call_id", "=", callId)
    .where("region_code", "in", counties.length ? counties.map((c) => c.code) : [""])
    .groupBy(["region_code", "status"])
    .execute();
  const submittedStatuses = new Set<ApplicationStatus>([
    "county_review",
    "city_review",
    "office_confirmation",
    "proposed",
    "returned",
    "not_recommended",
    "rejected",
    "public_notice",
    "recognized",
  ]);
  const recommendedStatuses = new Set<ApplicationStatus>([
    "city_review",
    "office_confirmation",
    "proposed",
    "public_notice",
    "recognized",
  ]);
  return counties.map((c) => {
    const mine = rows.filter((r) => r.region_code === c.code);
    const sum = (set: Set<ApplicationStatus>) =>
      mine.filter((r) => set.has(r.status)).reduce((a, r) => a + Number(r.n), 0);
    return {
      regionCode: c.code,
      name: c.name,
      target: call.targets[c.code] ?? 0,
      submitted: sum(submittedStatuses),
      recommended: sum(recommendedStatuses),
    };
  });
}
