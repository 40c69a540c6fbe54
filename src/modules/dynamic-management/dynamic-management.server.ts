import type { Kysely } from "kysely";
import { can } from "#src/modules/accounts/accounts.policy.ts";
import { authorize, deniedAsNotFound } from "#src/modules/accounts/authorize.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { accountsOfBase, linkedBaseIds } from "#src/modules/bases/base-accounts.server.ts";
import { shanghaiDate } from "#src/modules/bases/bases.rules.ts";
import { regionAncestors } from "#src/modules/bases/bases.server.ts";
import { PUBLIC_WARNING_SETTING, warningsShownPublicly } from "#src/modules/bases/bases-directory.server.ts";
import { endOfShanghaiDay } from "#src/modules/calls/calls.rules.ts";
import { deadlineReminderAt } from "#src/modules/evaluation/evaluation.rules.ts";
import { beijingDateOf } from "#src/modules/evaluation/evaluation.server.ts";
import { loadExtraDays } from "#src/modules/notices/holidays.server.ts";
import { notify, reviewersFor } from "#src/modules/notifications/notifications.server.ts";
import { regionSubtree } from "#src/modules/regions/regions.server.ts";
import { putSetting } from "#src/modules/settings/settings.server.ts";
import { bumpGeneration } from "#src/platform/cache/generations.server.ts";
import type { Actor, AppContext, SessionUser } from "#src/platform/context.ts";
import type { BaseWarning, BaseWarningEvent, DB, WarningStatus } from "#src/platform/db/schema.ts";
import { AppError } from "#src/platform/errors.ts";
import { newId } from "#src/platform/ids.ts";
import { enqueueJob, type JobHandler } from "#src/platform/jobs/jobs.server.ts";
import {
  ACTION_PERMISSION,
  allowedActions,
  canAct,
  canSeeWarning,
  initialStatus,
  OWNER_VISIBLE,
  type WarningViewer,
} from "./dynamic-management.policy.ts";
import {
  ACTION_LABELS,
  baseStatusAfter,
  deadlineProblem,
  IN_FORCE,
  isInForce,
  nextWarningStatus,
  WARNING_STATUS_LABELS,
  type WarningAction,
} from "./dynamic-management.rules.ts";
import type {
  ConfirmInput,
  IssueInput,
  NoteInput,
  RecheckInput,
  RectifyInput,
  ReportInput,
  WarningFilter,
} from "./dynamic-management.schema.ts";
import { recordWarningEvent } from "./dynamic-management.store.server.ts";

export const WARNING_CONFLICT = "该警示刚刚已被他人处理，请刷新页面查看最新状态。";
export const REMINDER_JOB = "warnings.deadline_reminder";

// ---- who sees what ----

/** How the user sees warnings: staff in their region and below, an organization its own bases. */
export async function warningViewer(ctx: AppContext, user: SessionUser | null): Promise<WarningViewer> {
  if (!user || user.mustChangePassword) return { kind: "none" };
  if (user.role === "org") return { kind: "owner", user, baseIds: await linkedBaseIds(ctx.db, user.id) };
  if (can(user, "warnings:read"))
    return { kind: "staff", user, scope: await regionSubtree(ctx, user.regionCode) };
  return { kind: "none" };
}

const record = (w: BaseWarning) => ({
  baseId: w.base_id,
  regionCode: w.region_code,
  status: w.status,
  deadline: w.deadline,
});

/** The warning when the actor may see it; else the same 404 as a missing one (audited when it exists). */
async function loadWarning(ctx: AppContext, actor: Actor, id: string) {
  if (!actor.user) throw new AppError("UNAUTHENTICATED", "请先登录");
  const viewer = await warningViewer(ctx, actor.user);
  const warning = await ctx.db
    .selectFrom("base_warnings")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  if (!warning || !canSeeWarning(viewer, record(warning)) || viewer.kind === "none")
    return deniedAsNotFound(ctx, actor, { type: "base_warning", id, exists: !!warning });
  return { warning, viewer };
}

export interface WarningRow extends BaseWarning {
  base_name: string;
  base_status: string;
}

/** 【动态管理】: the warnings of the bases in the staff user's region, newest first, with filters. */
export async function listWarnings(
  ctx: AppContext,
  actor: Actor,
  filter: Omit<WarningFilter, "page">,
  page: { offset: number; limit: number },
): Promise<{ rows: WarningRow[]; total: number }> {
  const me = await authorize(ctx, actor, "warnings:read");
  const scope = await regionSubtree(ctx, me.regionCode);
  const q = filteredWarnings(ctx.db, scope, filter, ctx.clock.now().toISOString());
  const rows = await q
    .selectAll("w")
    .select(["b.name as base_name", "b.status as base_status"])
    .orderBy("w.created_at", "desc")
    .orderBy("w.id", "desc")
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const [c] = await q.select((eb) => eb.fn.countAll<number>().as("n")).execute();
  return { rows, total: Number(c.n) };
}

/** The scoped, filtered warnings query (the list and its export share it). */
export function filteredWarnings(
  db: Kysely<DB>,
  scope: readonly string[],
  filter: Omit<WarningFilter, "page">,
  now: string,
) {
  let q = db
    .selectFrom("base_warnings as w")
    .innerJoin("bases as b", "b.id", "w.base_id")
    .where("w.region_code", "in", scope.length ? [...scope] : [""]);
  if (filter.status) q = q.where("w.status", "=", filter.status);
  if (filter.county) q = q.where("w.region_code", "=", filter.county);
  if (filter.overdue) q = q.where("w.status", "=", "rectifying").where("w.deadline", "<=", now);
  return q;
}

export interface TimelineEvent extends BaseWarningEvent {
  actor_name: string | null;
}

async function eventsWhere(
  db: Kysely<DB>,
  column: "warning_id" | "base_id",
  id: string,
): Promise<TimelineEvent[]> {
  return db
    .selectFrom("base_warning_events as e")
    .leftJoin("users as u", "u.id", "e.actor_id")
    .selectAll("e")
    .select("u.display_name as actor_name")
    .where(`e.${column}`, "=", id)
    .orderBy("e.at")
    .orderBy("e.id")
    .execute();
}

export interface WarningView {
  warning: BaseWarning;
  baseName: string;
  baseStatus: string;
  baseVersion: number;
  events: TimelineEvent[];
  actions: WarningAction[];
  overdue: boolean;
}

/** One warning with its base and steps, as the viewer may see it, and the steps it may take now. */
export async function getWarning(ctx: AppContext, actor: Actor, id: string): Promise<WarningView> {
  const { warning, viewer } = await loadWarning(ctx, actor, id);
  const base = await ctx.db
    .selectFrom("bases")
    .select(["name", "status", "version"])
    .where("id", "=", warning.base_id)
    .executeTakeFirstOrThrow();
  const now = ctx.clock.now().toISOString();
  return {
    warning,
    baseName: base.name,
    baseStatus: base.status,
    baseVersion: base.version,
    events: await eventsWhere(ctx.db, "warning_id", id),
    actions: base.status === "revoked" ? [] : allowedActions(viewer, record(warning), now),
    overdue: warning.status === "rectifying" && !!warning.deadline && warning.deadline <= now,
  };
}

/** A base's 动态管理 steps for its staff page (the timeline), in the staff user's scope. */
export async function listBaseWarningEvents(ctx: AppContext, actor: Actor, baseId: string) {
  const me = await authorize(ctx, actor, "warnings:read");
  const scope = await regionSubtree(ctx, me.regionCode);
  const base = await ctx.db
    .selectFrom("bases")
    .select("region_code")
    .where("id", "=", baseId)
    .executeTakeFirst();
  if (!base || !scope.includes(base.region_code)) return [];
  return eventsWhere(ctx.db, "base_id", baseId);
}

/** 【我的基地】: the base's warnings in force and past (never a proposal or a dismissed one). */
export async function listOwnWarnings(ctx: AppContext, actor: Actor): Promise<BaseWarning[]> {
  const me = await authorize(ctx, actor, "bases:own");
  const baseIds = await linkedBaseIds(ctx.db, me.id);
  if (!baseIds.length) return [];
  return ctx.db
    .selectFrom("base_warnings")
    .selectAll()
    .where("base_id", "in", baseIds)
    .where("status", "in", [...OWNER_VISIBLE])
    .orderBy("created_at", "desc")
    .execute();
}

// ---- steps ----

/** The base's status follows its warnings: on 警示 while any is in force, active when none is. */
async function syncBaseStatus(trx: Kysely<DB>, baseId: string, now: string): Promise<void> {
  const base = await trx
    .selectFrom("bases")
    .select(["status", "warning_note"])
    .where("id", "=", baseId)
    .executeTakeFirstOrThrow();
  const warnings = await trx
    .selectFrom("base_warnings")
    .select(["status", "reason"])
    .where("base_id", "=", baseId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .execute();
  const status = baseStatusAfter(
    base.status,
    warnings.map((w) => w.status),
  );
  const note = status === "warning" ? (warnings.find((w) => isInForce(w.status))?.reason ?? null) : null;
  if (status === base.status && (status === "revoked" || note === base.warning_note)) return;
  await trx
    .updateTable("bases")
    .set((eb) => ({ status, warning_note: note, updated_at: now, version: eb("version", "+", 1) }))
    .where("id", "=", baseId)
    .where("status", "!=", "revoked")
    .execute();
  await bumpGeneration(trx, "bases", [baseId]);
}

/** The reminders of a 整改: 3 working days before its deadline (09:00) and when it passes. */
async function scheduleReminders(
  ctx: AppContext,
  trx: Kysely<DB>,
  warningId: string,
  deadline: string,
): Promise<void> {
  const now = ctx.clock.now().toISOString();
  const before = deadlineReminderAt(beijingDateOf(deadline), await loadExtraDays(trx));
  const jobs = [
    { kind: "before", runAt: before },
    { kind: "overdue", runAt: deadline },
  ];
  for (const j of jobs)
    if (j.runAt > now)
      await enqueueJob(trx, ctx, {
        kind: REMINDER_JOB,
        runAt: j.runAt,
        uniqueKey: `${REMINDER_JOB}:${warningId}:${j.kind}`,
        payload: { warningId, kind: j.kind, deadline },
      });
}

/** A deadline date checked against today (Beijing); its instant is the end of that day. */
function deadlineInstant(ctx: AppContext, date: string, field = "deadline"): string {
  const problem = deadlineProblem(date, shanghaiDate(ctx.clock.now()));
  if (problem) throw new AppError("VALIDATION", problem, { [field]: problem });
  return endOfShanghaiDay(date);
}

async function staffToTell(trx: Kysely<DB>, ctx: AppContext, regionCode: string): Promise<string[]> {
  const up = await regionAncestors(ctx, regionCode);
  return [...(await reviewersFor(trx, "city", up)), ...(await reviewersFor(trx, "office", up))];
}

/**
 * 【列入警示】 by the office or city (open, or 限期整改 at once with measures and a deadline), or
 * 【提出拟警示】 by a county for a base of its county (proposed, for the office or city to decide).
 */
export async function issueWarning(ctx: AppContext, actor: Actor, input: IssueInput): Promise<BaseWarning> {
  const me = activeStaff(actor);
  if (!can(me, "warnings:issue") && !can(me, "warnings:propose"))
    await authorize(ctx, actor, "warnings:issue");
  const scope = await regionSubtree(ctx, me.regionCode);
  const base = await ctx.db
    .selectFrom("bases")
    .select(["id", "name", "region_code", "status"])
    .where("id", "=", input.baseId)
    .executeTakeFirst();
  if (!base || !scope.includes(base.region_code))
    return deniedAsNotFound(ctx, actor, { type: "base", id: input.baseId, exists: !!base });
  if (base.status === "revoked") throw new AppError("CONFLICT", "该基地已被撤销命名，不能再列入警示。");
  const status = initialStatus(me, scope, base.region_code, !!input.deadline);
  if (!status) throw new AppError("FORBIDDEN", "您没有执行此操作的权限");
  const deadline = input.deadline && status !== "proposed" ? deadlineInstant(ctx, input.deadline) : null;
  if (input.deadline && status === "proposed") deadlineInstant(ctx, input.deadline);
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("base_warnings")
      .values({
        id: newId(),
        base_id: base.id,
        region_code: base.region_code,
        source: "manual",
        status,
        reason: input.reason,
        evidence: input.evidence,
        measures: input.measures,
        deadline:
          status === "proposed" ? (input.deadline ? endOfShanghaiDay(input.deadline) : null) : deadline,
        created_by: me.id,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const action = status === "proposed" ? "propose" : "issue";
    await recordWarningEvent(ctx, trx, actor, {
      warningId: row.id,
      baseId: base.id,
      action,
      status,
      note: input.reason,
    });
    if (status !== "proposed") await syncBaseStatus(trx, base.id, now);
    if (status === "rectifying" && deadline) await scheduleReminders(ctx, trx, row.id, deadline);
    await recordAudit(ctx, trx, actor, {
      action: `warning.${action}`,
      targetType: "base_warning",
      targetId: row.id,
      detail: {
        baseId: base.id,
        before: null,
        after: { status, deadline: row.deadline },
        reason: input.reason,
      },
    });
    if (status === "proposed")
      await notify(ctx, trx, {
        userIds: await staffToTell(trx, ctx, base.region_code),
        kind: "warning.proposed",
        title: "有基地被提出拟警示",
        body: `“${base.name}”被提出拟警示，理由：${input.reason}。请确认或不予警示。`,
        link: `/admin/warnings/${row.id}`,
      });
    else
      await notify(ctx, trx, {
        userIds: await accountsOfBase(trx, base.id),
        kind: "warning.issued",
        title: status === "rectifying" ? "基地被警示并限期整改" : "基地被列入警示",
        body: `“${base.name}”被列入警示，理由：${input.reason}${deadline ? `。请于${beijingDateOf(deadline)}前完成整改并提交整改报告` : ""}。`,
        link: `/my-base/rectification/${row.id}`,
      });
    return row;
  });
}

function activeStaff(actor: Actor): SessionUser {
  const user = actor.user;
  if (!user || user.mustChangePassword) throw new AppError("UNAUTHENTICATED", "请先登录");
  return user;
}

type StepInput =
  | { action: "confirm"; input: ConfirmInput }
  | { action: "dismiss" | "lift"; input: NoteInput }
  | { action: "rectify"; input: RectifyInput }
  | { action: "recheck"; input: RecheckInput };

/**
 * A staff step on one warning: confirm or dismiss a proposal, order 整改, lift, or re-check (复查).
 * One transaction; the warning's version and status must be the ones the form was shown with.
 */
export async function decideWarning(
  ctx: AppContext,
  actor: Actor,
  id: string,
  step: StepInput,
): Promise<BaseWarning> {
  const { warning: w, viewer } = await loadWarning(ctx, actor, id);
  const now = ctx.clock.now().toISOString();
  const action: WarningAction =
    step.action === "recheck"
      ? step.input.decision === "pass"
        ? "recheck_pass"
        : "recheck_fail"
      : step.action;
  if (!can(viewer.user, ACTION_PERMISSION[action])) await authorize(ctx, actor, ACTION_PERMISSION[action]);
  if (!canAct(viewer, action, record(w), now))
    throw new AppError(
      "CONFLICT",
      `该警示当前为“${WARNING_STATUS_LABELS[w.status]}”，不能${ACTION_LABELS[action]}。`,
    );
  const base = await ctx.db
    .selectFrom("bases")
    .select(["name", "status"])
    .where("id", "=", w.base_id)
    .executeTakeFirstOrThrow();
  if (base.status === "revoked") throw new AppError("CONFLICT", "该基地已被撤销命名。");
  let deadline: string | null = w.deadline;
  let set: Partial<
    Pick<BaseWarning, "measures" | "deadline" | "recheck_note" | "inspection" | "revocation_reason">
  > = {};
  let note = "";
  if (step.action === "confirm") {
    note = step.input.note;
    if (step.input.deadline) {
      deadline = deadlineInstant(ctx, step.input.deadline);
      set = { measures: step.input.measures, deadline };
    }
  } else if (step.action === "rectify") {
    deadline = deadlineInstant(ctx, step.input.deadline);
    set = { measures: step.input.measures, deadline };
    note = step.input.measures;
  } else if (step.action === "recheck") {
    note = step.input.note;
    set = {
      recheck_note: step.input.note,
      inspection: step.input.inspection,
      revocation_reason: step.input.decision === "fail" ? step.input.revocationReason : null,
    };
  } else note = step.input.note;
  const to = nextWarningStatus(w, action, now, step.action === "confirm" && !!step.input.deadline);
  if (!to) throw new AppError("CONFLICT", WARNING_CONFLICT);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("base_warnings")
      .set((eb) => ({ ...set, status: to, updated_at: now, version: eb("version", "+", 1) }))
      .where("id", "=", id)
      .where("version", "=", step.input.version)
      .where("status", "=", w.status)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError("CONFLICT", WARNING_CONFLICT);
    await recordWarningEvent(ctx, trx, actor, { warningId: id, baseId: w.base_id, action, status: to, note });
    await syncBaseStatus(trx, w.base_id, now);
    if (to === "rectifying" && deadline) await scheduleReminders(ctx, trx, id, deadline);
    await recordAudit(ctx, trx, actor, {
      action: `warning.${action}`,
      targetType: "base_warning",
      targetId: id,
      detail: {
        baseId: w.base_id,
        before: { status: w.status, version: w.version },
        after: { status: to, version: row.version, ...set },
        note,
      },
    });
    await notifyStep(ctx, trx, row, base.name, action, note);
    return row;
  });
}

async function notifyStep(
  ctx: AppContext,
  trx: Kysely<DB>,
  w: BaseWarning,
  baseName: string,
  action: WarningAction,
  note: string,
): Promise<void> {
  if (action === "dismiss") return;
  const link = `/my-base/rectification/${w.id}`;
  const owners = await accountsOfBase(trx, w.base_id);
  const bodies: Partial<Record<WarningAction, string>> = {
    confirm: `“${baseName}”被列入警示，理由：${w.reason}${w.deadline ? `。请于${beijingDateOf(w.deadline)}前完成整改并提交整改报告` : ""}。`,
    rectify: `“${baseName}”须限期整改：${w.measures}。请于${w.deadline ? beijingDateOf(w.deadline) : ""}前提交整改报告。`,
    lift: `“${baseName}”的警示已解除。说明：${note}`,
    recheck_pass: `“${baseName}”整改复查通过，警示已解除。复查意见：${note}`,
    recheck_fail: `“${baseName}”整改复查未通过，已建议撤销命名。复查意见：${note}`,
  };
  const body = bodies[action];
  if (body)
    await notify(ctx, trx, {
      userIds: owners,
      kind: `warning.${action}`,
      title: ACTION_LABELS[action],
      body,
      link,
    });
  if (action === "recheck_fail") {
    const office = await reviewersFor(trx, "office", await regionAncestors(ctx, w.region_code));
    await notify(ctx, trx, {
      userIds: office,
      kind: "warning.revocation_proposed",
      title: "复查未通过，建议撤销命名",
      body: `“${baseName}”整改复查未通过，建议依第十八条（${"一二三四五"[(w.revocation_reason ?? 5) - 1]}）撤销命名，请处理。`,
      link: `/admin/warnings/${w.id}`,
    });
  }
}

/**
 * The base's 整改报告: saved as a draft (autosave) while 整改 is under way; `file` hands it to the city
 * for 复查. The base's own accounts only.
 */
export async function saveReport(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: ReportInput,
  file: boolean,
): Promise<BaseWarning> {
  await authorize(ctx, actor, "bases:own");
  const { warning: w, viewer } = await loadWarning(ctx, actor, id);
  const now = ctx.clock.now().toISOString();
  if (w.status !== "rectifying" || viewer.kind !== "owner")
    throw new AppError("CONFLICT", "当前不在整改期间，或整改报告已提交，不能修改。");
  if (file && !input.reportText)
    throw new AppError("VALIDATION", "请填写整改报告", { reportText: "请填写整改报告" });
  if (file && !canAct(viewer, "report", record(w), now)) throw new AppError("CONFLICT", WARNING_CONFLICT);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("base_warnings")
      .set((eb) => ({
        report_text: input.reportText,
        ...(file ? { status: "report_filed" as const, report_at: now } : {}),
        updated_at: now,
        version: eb("version", "+", 1),
      }))
      .where("id", "=", id)
      .where("version", "=", input.version)
      .where("status", "=", "rectifying")
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError("CONFLICT", "整改报告刚刚已在别处修改，请刷新页面后再保存。");
    if (file) {
      const base = await trx
        .selectFrom("bases")
        .select("name")
        .where("id", "=", w.base_id)
        .executeTakeFirstOrThrow();
      const late = !!w.deadline && w.deadline <= now;
      await recordWarningEvent(ctx, trx, actor, {
        warningId: id,
        baseId: w.base_id,
        action: "report",
        status: "report_filed",
        note: late ? "逾期提交" : "",
      });
      await recordAudit(ctx, trx, actor, {
        action: "warning.report",
        targetType: "base_warning",
        targetId: id,
        detail: { baseId: w.base_id, before: { status: w.status }, after: { status: "report_filed" }, late },
      });
      await notify(ctx, trx, {
        userIds: await reviewersFor(trx, "city", await regionAncestors(ctx, w.region_code)),
        kind: "warning.report",
        title: "整改报告待复查",
        body: `“${base.name}”已提交整改报告${late ? "（逾期）" : ""}，请复查。`,
        link: `/admin/warnings/${id}`,
      });
    }
    return row;
  });
}

// ---- reminders ----

/**
 * Sends one reminder of a 整改 (before the deadline, or overdue) once per warning and kind, while the
 * 整改 is still under way with the same deadline. Returns whether it sent.
 */
export async function sendWarningReminder(
  ctx: AppContext,
  warningId: string,
  kind: "before" | "overdue",
  deadline: string,
): Promise<boolean> {
  const action = kind === "before" ? "remind_before" : "remind_overdue";
  return ctx.db.transaction().execute(async (trx) => {
    const w = await trx
      .selectFrom("base_warnings")
      .selectAll()
      .where("id", "=", warningId)
      .executeTakeFirst();
    if (!w || w.status !== "rectifying" || w.deadline !== deadline) return false;
    if (kind === "overdue" && ctx.clock.now().toISOString() < deadline) return false;
    const sent = await trx
      .selectFrom("base_warning_events")
      .select("id")
      .where("warning_id", "=", warningId)
      .where("action", "=", action)
      .executeTakeFirst();
    if (sent) return false;
    const base = await trx
      .selectFrom("bases")
      .select("name")
      .where("id", "=", w.base_id)
      .executeTakeFirstOrThrow();
    const day = beijingDateOf(deadline);
    await recordWarningEvent(ctx, trx, null, { warningId, baseId: w.base_id, action, status: w.status });
    await notify(ctx, trx, {
      userIds: await accountsOfBase(trx, w.base_id),
      kind: `warning.${action}`,
      title: kind === "before" ? "整改期限即将到期" : "整改已逾期",
      body:
        kind === "before"
          ? `“${base.name}”的整改期限为${day}，请尽快提交整改报告。`
          : `“${base.name}”的整改期限${day}已过，尚未提交整改报告，请尽快提交。`,
      link: `/my-base/rectification/${warningId}`,
    });
    if (kind === "overdue")
      await notify(ctx, trx, {
        userIds: [
          ...(await reviewersFor(trx, "county", [w.region_code])),
          ...(await staffToTell(trx, ctx, w.region_code)),
        ],
        kind: "warning.overdue",
        title: "基地整改逾期",
        body: `“${base.name}”的整改期限${day}已过，尚未提交整改报告。`,
        link: `/admin/warnings/${warningId}`,
      });
    return true;
  });
}

export const WARNING_JOB_HANDLERS: Record<string, JobHandler> = {
  [REMINDER_JOB]: async (ctx, _job, payload) => {
    const kind = payload.kind === "overdue" ? "overdue" : "before";
    await sendWarningReminder(ctx, String(payload.warningId), kind, String(payload.deadline));
  },
};

// ---- the public setting ----

export async function getPublicWarningSetting(ctx: AppContext, actor: Actor): Promise<boolean> {
  await authorize(ctx, actor, "warnings:read");
  return warningsShownPublicly(ctx);
}

/** The office decides whether the public directory and base pages show 警示 (default: not). */
export async function setPublicWarningSetting(ctx: AppContext, actor: Actor, show: boolean): Promise<void> {
  await authorize(ctx, actor, "bases:manage");
  const before = await warningsShownPublicly(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    await putSetting({ db: trx }, PUBLIC_WARNING_SETTING, show ? "1" : "0");
    await bumpGeneration(trx, "bases");
    await recordAudit(ctx, trx, actor, {
      action: "warning.public_setting",
      targetType: "setting",
      targetId: PUBLIC_WARNING_SETTING,
      detail: { before: { show: before }, after: { show } },
    });
  });
}

// ---- files ----

/** For the files module: the warning's region when the actor may see it. */
export async function warningRegionFor(ctx: AppContext, actor: Actor, id: string): Promise<string | null> {
  const viewer = await warningViewer(ctx, actor.user);
  const w = await ctx.db.selectFrom("base_warnings").selectAll().where("id", "=", id).executeTakeFirst();
  return w && canSeeWarning(viewer, record(w)) ? w.region_code : null;
}

/**
 * For the files module: who may add evidence. The warning's evidence: staff who may issue or propose,
 * while it is not closed; the 整改报告's evidence: the base, while 整改 is under way.
 */
export async function warningWritableRegion(
  ctx: AppContext,
  actor: Actor,
  id: string,
  slot: string,
): Promise<string | null> {
  const viewer = await warningViewer(ctx, actor.user);
  const w = await ctx.db.selectFrom("base_warnings").selectAll().where("id", "=", id).executeTakeFirst();
  if (!w || !canSeeWarning(viewer, record(w))) return null;
  if (slot === "report_evidence")
    return viewer.kind === "owner" && w.status === "rectifying" ? w.region_code : null;
  const staff =
    viewer.kind === "staff" && (can(viewer.user, "warnings:issue") || can(viewer.user, "warnings:propose"));
  return staff && (w.status === "proposed" || IN_FORCE.includes(w.status as WarningStatus))
    ? w.region_code
    : null;
}
