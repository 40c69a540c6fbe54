import type { Kysely } from "kysely";
import { can } from "#src/modules/accounts/accounts.policy.ts";
import { authorize } from "#src/modules/accounts/authorize.server.ts";
import { validateUscc } from "#src/modules/accounts/uscc.rules.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { accountsOfBase, isLinkedToBase } from "#src/modules/bases/base-accounts.server.ts";
import { shanghaiDate } from "#src/modules/bases/bases.rules.ts";
import { countFilesBySlot } from "#src/modules/files/files.server.ts";
import { notify, reviewersFor } from "#src/modules/notifications/notifications.server.ts";
import { regionSubtree } from "#src/modules/regions/regions.server.ts";
import { bumpGeneration } from "#src/platform/cache/generations.server.ts";
import type { Actor, AppContext, SessionUser } from "#src/platform/context.ts";
import type { Activity, ActivityType, Base, Campaign, DB } from "#src/platform/db/schema.ts";
import { AppError } from "#src/platform/errors.ts";
import { newId } from "#src/platform/ids.ts";
import { enqueueJob, type JobHandler } from "#src/platform/jobs/jobs.server.ts";
import { withAreaCode } from "#src/platform/phone.rules.ts";
import { hitRateLimit, releaseRateLimit } from "#src/platform/rate-limit.server.ts";
import {
  ACTIVITY_SLOTS,
  canFileReport,
  MAX_DURATION_DAYS,
  reportDueAt,
  shanghaiMonth,
} from "./activities.rules.ts";
import type {
  AnnouncementInput,
  CampaignInput,
  EditAnnouncementInput,
  ReportInput,
  ReviewReportInput,
} from "./activities.schema.ts";

export const REPORT_REMINDER_JOB = "activity.report_reminder";
export const PHASE_JOB = "activity.phase";
const CITY_REGION = "330800";
const NOT_FOUND = "未找到该活动";
const ACTIVITY_CONFLICT = "该活动刚刚已被他人修改，请刷新页面查看最新内容后再操作。";
const DAY_MS = 86_400_000;

const notFound = () => new AppError("NOT_FOUND", NOT_FOUND);

function activeUser(actor: Actor): SessionUser {
  const user = actor.user;
  if (!user || user.mustChangePassword) throw new AppError("UNAUTHENTICATED", "请先登录");
  return user;
}

const today = (ctx: AppContext) => shanghaiDate(ctx.clock.now());

// ---- campaigns (the office) ----

export async function listCampaigns(ctx: AppContext, opts: { year?: number } = {}): Promise<Campaign[]> {
  let q = ctx.db.selectFrom("campaigns").selectAll();
  if (opts.year) q = q.where("year", "=", opts.year);
  return q.orderBy("starts_on", "desc").orderBy("id").execute();
}

/** Campaigns bases still answer: not yet over (today in Asia/Shanghai). */
export async function listOpenCampaigns(ctx: AppContext): Promise<Campaign[]> {
  return ctx.db
    .selectFrom("campaigns")
    .selectAll()
    .where("ends_on", ">=", today(ctx))
    .orderBy("starts_on")
    .execute();
}

export async function getCampaign(ctx: AppContext, id: string): Promise<Campaign> {
  const c = await ctx.db.selectFrom("campaigns").selectAll().where("id", "=", id).executeTakeFirst();
  if (!c) throw new AppError("NOT_FOUND", "未找到该动员活动");
  return c;
}

export async function createCampaign(ctx: AppContext, actor: Actor, input: CampaignInput): Promise<string> {
  const me = await authorize(ctx, actor, "campaigns:manage");
  const id = newId();
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("campaigns")
      .values({
        id,
        kind: input.kind,
        title: input.title,
        year: Number(input.startsOn.slice(0, 4)),
        starts_on: input.startsOn,
        ends_on: input.endsOn,
        description: input.description,
        expectations: input.expectations,
        created_by: me.id,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await bumpGeneration(trx, "activities");
    await recordAudit(ctx, trx, actor, {
      action: "campaign.create",
      targetType: "campaign",
      targetId: id,
      detail: { kind: input.kind, title: input.title },
    });
  });
  return id;
}

export async function updateCampaign(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: CampaignInput,
  version: number,
): Promise<void> {
  await authorize(ctx, actor, "campaigns:manage");
  const before = await getCampaign(ctx, id);
  await ctx.db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable("campaigns")
      .set((eb) => ({
        kind: input.kind,
        title: input.title,
        year: Number(input.startsOn.slice(0, 4)),
        starts_on: input.startsOn,
        ends_on: input.endsOn,
        description: input.description,
        expectations: input.expectations,
        updated_at: ctx.clock.now().toISOString(),
        version: eb("version", "+", 1),
      }))
      .where("id", "=", id)
      .where("version", "=", version)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1)
      throw new AppError("CONFLICT", "该动员活动刚刚已被他人修改，请刷新页面后再操作。");
    await bumpGeneration(trx, "activities");
    await recordAudit(ctx, trx, actor, {
      action: "campaign.update",
      targetType: "campaign",
      targetId: id,
      detail: { before: { title: before.title, startsOn: before.starts_on, endsOn: before.ends_on } },
    });
  });
}

/** Only a campaign no activity answers yet may be deleted; otherwise its history stays. */
export async function deleteCampaign(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  await authorize(ctx, actor, "campaigns:manage");
  const c = await getCampaign(ctx, id);
  await ctx.db.transaction().execute(async (trx) => {
    const used = await trx
      .selectFrom("activity_campaigns")
      .select("activity_id")
      .where("campaign_id", "=", id)
      .limit(1)
      .executeTakeFirst();
    if (used)
      throw new AppError("CONFLICT", "已有基地活动参加该动员，不能删除；如需调整请修改其日期或说明。");
    await trx.deleteFrom("campaigns").where("id", "=", id).execute();
    await bumpGeneration(trx, "activities");
    await recordAudit(ctx, trx, actor, {
      action: "campaign.delete",
      targetType: "campaign",
      targetId: id,
      detail: { title: c.title },
    });
  });
}

// ---- who may announce for a base ----

async function loadBase(ctx: AppContext, baseId: string): Promise<Base> {
  const base = await ctx.db.selectFrom("bases").selectAll().where("id", "=", baseId).executeTakeFirst();
  if (!base) throw new AppError("NOT_FOUND", "未找到该基地");
  return base;
}

/** An org acts for a base only through its link in `base_accounts`, never by an equal USCC. */
const isOwnBase = async (db: Kysely<DB>, user: SessionUser, baseId: string) =>
  user.role === "org" && (await isLinkedToBase(db, user.id, baseId));

/** Failed 【确定】 attempts per user and per IP before the step refuses for a while. */
const CONFIRM_LIMIT = { limit: 10, windowMs: 15 * 60 * 1000 };
/**
 * One answer for a USCC that is no base's, another base's, or this base's when the actor may not act
 * for it: the step must not tell anyone which organization a code belongs to.
 */
export const ANNOUNCER_REFUSED =
  "无法确认：该统一社会信用代码与本基地不符，或您无权为本基地发布活动。基地单位请使用已关联本基地的法人账号登录。";

async function inStaffScope(ctx: AppContext, user: SessionUser, regionCode: string): Promise<boolean> {
  return (await regionSubtree(ctx, user.regionCode)).includes(regionCode);
}

export interface AnnouncerCheck {
  base: Base;
  /** own: an org login for its own base (USCC filled in); uscc: confirmed by typing the base's USCC. */
  via: "own" | "uscc";
}

const BASE_REVOKED = "该基地已被撤销命名，不能发布活动。";

/**
 * 【新增基地活动】 as it opens: the base's name; whether the actor is the base's own org (its USCC is
 * filled in) or must type the USCC; or why no activity can be announced for it. Unknown base: 404.
 */
export async function startAnnouncement(
  ctx: AppContext,
  actor: Actor,
  baseId: string,
): Promise<{ base: { id: string; name: string }; own: boolean; blocked: string | null }> {
  const me = await authorize(ctx, actor, "activities:announce");
  const base = await loadBase(ctx, baseId);
  const shown = { id: base.id, name: base.name };
  if (base.status === "revoked") return { base: shown, own: false, blocked: BASE_REVOKED };
  return { base: shown, own: await isOwnBase(ctx.db, me, base.id), blocked: null };
}

/**
 * 【新增基地活动】: an org login for its own base passes as is; anyone else must type the base's USCC,
 * which must be a valid code and the code of this very base (staff also only within their region).
 */
export async function checkAnnouncer(
  ctx: AppContext,
  actor: Actor,
  baseId: string,
  typedUscc?: string | null,
): Promise<AnnouncerCheck> {
  const me = await authorize(ctx, actor, "activities:announce");
  const base = await loadBase(ctx, baseId);
  if (base.status === "revoked") throw new AppError("CONFLICT", BASE_REVOKED);
  if (await isOwnBase(ctx.db, me, base.id)) return { base, via: "own" };
  if (!typedUscc)
    throw new AppError("VALIDATION", "请输入该基地的统一社会信用代码", { uscc: "请输入统一社会信用代码" });
  const v = validateUscc(typedUscc);
  if (!v.ok) throw new AppError("VALIDATION", `统一社会信用代码有误：${v.message}`, { uscc: v.message });
  const keys = [`announce-confirm:user:${me.id}`, ...(actor.ip ? [`announce-confirm:ip:${actor.ip}`] : [])];
  // Each attempt takes its place before the comparison (one atomic upsert per counter), so a parallel
  // burst cannot test more codes than the limit; a confirmation gives its place back.
  const hits = [];
  for (const key of keys) hits.push(await hitRateLimit(ctx, key, CONFIRM_LIMIT));
  if (hits.some((h) => h.blocked)) throw new AppError("RATE_LIMITED", "确认次数过多，请15分钟后再试。");
  const mayAct = me.role !== "org" && (await inStaffScope(ctx, me, base.region_code));
  if (v.value !== base.uscc || !mayAct) {
    // The audit keeps the truth; the answer does not.
    await recordAudit(ctx, ctx.db, actor, {
      action: "activity.uscc_mismatch",
      outcome: "denied",
      targetType: "base",
      targetId: base.id,
      detail: { matches: v.value === base.uscc, inScope: mayAct },
    });
    throw new AppError("VALIDATION", ANNOUNCER_REFUSED, { uscc: ANNOUNCER_REFUSED });
  }
  for (const key of keys) await releaseRateLimit(ctx, key);
  return { base, via: "uscc" };
}

/** Who may edit an activity and file its report: the base's org, the announcer, or staff in scope. */
async function mayEdit(ctx: AppContext, user: SessionUser, a: Activity, base: Base): Promise<boolean> {
  if (!can(user, "activities:announce")) return false;
  if ((await isOwnBase(ctx.db, user, base.id)) || a.created_by === user.id) return true;
  return user.role !== "org" && (await inStaffScope(ctx, user, a.region_code));
}

/** Whether the viewer may edit every activity of the base (its org, or staff in scope); null when signed out. */
export async function canEditBaseActivities(ctx: AppContext, actor: Actor, baseId: string): Promise<boolean> {
  const user = actor.user;
  if (!user || user.mustChangePassword || !can(user, "activities:announce")) return false;
  const base = await ctx.db
    .selectFrom("bases")
    .select(["id", "region_code"])
    .where("id", "=", baseId)
    .executeTakeFirst();
  if (!base) return false;
  if (await isOwnBase(ctx.db, user, base.id)) return true;
  return user.role !== "org" && (await inStaffScope(ctx, user, base.region_code));
}

const orgUsersOf = (db: Kysely<DB>, baseId: string): Promise<string[]> => accountsOfBase(db, baseId);

async function checkCampaignIds(db: Kysely<DB>, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const found = await db.selectFrom("campaigns").select("id").where("id", "in", ids).execute();
  if (found.length !== ids.length)
    throw new AppError("VALIDATION", "所选动员活动不存在，请刷新页面后重新选择", {
      campaignIds: "所选动员活动不存在",
    });
}

/** The reminder and phase jobs of an activity written outside `announceActivity` (demo data). */
export async function scheduleActivityJobs(
  db: Kysely<DB>,
  ctx: AppContext,
  activityId: string,
  times: { startsAt: string; endsAt: string },
): Promise<void> {
  await scheduleReminder(db, ctx, activityId, times.endsAt);
  await schedulePhaseChanges(db, ctx, activityId, times);
}

// ---- 活动预告 ----

export async function announceActivity(
  ctx: AppContext,
  actor: Actor,
  baseId: string,
  input: AnnouncementInput & { uscc?: string | null },
): Promise<string> {
  const { base, via } = await checkAnnouncer(ctx, actor, baseId, input.uscc);
  const me = activeUser(actor);
  const now = ctx.clock.now().toISOString();
  if (input.endsAt <= now)
    throw new AppError("VALIDATION", "活动预告须在活动结束前发布", {
      endsAt: "结束时间已过，不能发布活动预告",
    });
  const id = await ctx.db.transaction().execute(async (trx) => {
    await checkCampaignIds(trx, input.campaignIds);
    const id = await insertAnnouncement(ctx, trx, base, me.id, input);
    await recordAudit(ctx, trx, actor, {
      action: "activity.announce",
      targetType: "activity",
      targetId: id,
      detail: { baseId: base.id, via, name: input.name, startsAt: input.startsAt },
    });
    await notify(ctx, trx, {
      userIds: [
        ...(await reviewersFor(trx, "county", [base.region_code])),
        ...(await orgUsersOf(trx, base.id)).filter((u) => u !== me.id),
      ],
      kind: "activity.announced",
      title: "基地发布了活动预告",
      body: `“${base.name}”发布了活动“${input.name}”。`,
      link: `/activities/${id}`,
    });
    return id;
  });
  return id;
}

/**
 * A 活动预告 written inside another use case's transaction (an accepted 科普助力双减 order): the same
 * row, campaign tags, reminder and phase jobs as 【新增基地活动】, so 活动小结 and its review apply.
 * The caller audits and notifies.
 */
export async function insertAnnouncement(
  ctx: AppContext,
  trx: Kysely<DB>,
  base: { id: string; region_code: string },
  createdBy: string,
  input: AnnouncementInput,
): Promise<string> {
  const id = newId();
  const now = ctx.clock.now().toISOString();
  await trx
    .insertInto("activities")
    .values({
      id,
      base_id: base.id,
      region_code: base.region_code,
      ...announcementColumns(input, base.region_code),
      actual_participants: null,
      report_submitted_at: null,
      report_reviewed_by: null,
      report_reviewed_at: null,
      report_return_reason: null,
      reminder_sent_at: null,
      created_by: createdBy,
      created_at: now,
      updated_at: now,
    })
    .execute();
  if (input.campaignIds.length)
    await trx
      .insertInto("activity_campaigns")
      .values(input.campaignIds.map((campaign_id) => ({ activity_id: id, campaign_id })))
      .execute();
  await scheduleReminder(trx, ctx, id, input.endsAt);
  await schedulePhaseChanges(trx, ctx, id, input);
  await bumpGeneration(trx, "activities");
  return id;
}

/**
 * Withdraws a 活动预告 written by another use case (a cancelled 科普助力双减 order) inside its
 * transaction: an activity that has not started yet carries no report, volunteer hours or report
 * files, so its row and campaign tags go and the calendar, lists and statistics no longer show it.
 * Its reminder and phase jobs find nothing and do nothing. An activity that has started stays.
 * The caller audits and notifies. Returns whether the announcement was withdrawn.
 */
export async function withdrawAnnouncement(
  ctx: AppContext,
  trx: Kysely<DB>,
  activityId: string,
): Promise<boolean> {
  const now = ctx.clock.now().toISOString();
  const a = await trx
    .selectFrom("activities")
    .select(["id", "starts_at", "report_status"])
    .where("id", "=", activityId)
    .executeTakeFirst();
  if (!a || a.starts_at <= now || a.report_status !== "none") return false;
  await trx.deleteFrom("activity_campaigns").where("activity_id", "=", activityId).execute();
  await trx.deleteFrom("activities").where("id", "=", activityId).execute();
  await bumpGeneration(trx, "activities");
  return true;
}

/** The 双减 campaign (kind double_reduction) running on a date, else that year's, for tagging. */
export async function doubleReductionCampaignFor(db: Kysely<DB>, date: string): Promise<string | null> {
  const rows = await db
    .selectFrom("campaigns")
    .select(["id", "starts_on", "ends_on"])
    .where("kind", "=", "double_reduction")
    .where("year", "=", Number(date.slice(0, 4)))
    .orderBy("starts_on")
    .execute();
  return (rows.find((c) => c.starts_on <= date && date <= c.ends_on) ?? rows[0])?.id ?? null;
}

function announcementColumns(input: AnnouncementInput, regionCode: string) {
  return {
    name: input.name,
    type: input.type,
    form: input.form,
    starts_at: input.startsAt,
    ends_at: input.endsAt,
    start_month: shanghaiMonth(input.startsAt),
    place: input.form === "online" ? "" : input.place,
    link: input.form === "offline" ? "" : input.link,
    audience: input.audience,
    expected_participants: input.expectedParticipants,
    fee: input.fee,
    direction: input.direction,
    contact_name: input.contactName,
    contact_phone: withAreaCode(input.contactPhone, regionCode),
    description: input.description,
  };
}

/** One reminder per activity; announcing again or moving the end moves the same job. */
async function scheduleReminder(db: Kysely<DB>, ctx: AppContext, activityId: string, endsAt: string) {
  await enqueueJob(db, ctx, {
    kind: REPORT_REMINDER_JOB,
    runAt: reportDueAt(endsAt),
    uniqueKey: `${REPORT_REMINDER_JOB}:${activityId}`,
    payload: { activityId },
  });
}

/**
 * Cached public pages show an activity as upcoming, ongoing or ended: when it starts and when it ends,
 * the activities generation moves so they are rendered again (ADR 0011).
 */
async function schedulePhaseChanges(
  db: Kysely<DB>,
  ctx: AppContext,
  activityId: string,
  times: { startsAt: string; endsAt: string },
) {
  for (const [edge, runAt] of [
    ["start", times.startsAt],
    ["end", times.endsAt],
  ] as const)
    await enqueueJob(db, ctx, { kind: PHASE_JOB, runAt, uniqueKey: `${PHASE_JOB}:${activityId}:${edge}` });
}

export interface EditableActivity {
  activity: Activity;
  base: Base;
  campaignIds: string[];
  canReport: boolean;
  photoCount: number;
}

/** The activity for 【编辑】: its announcement, and its report once it has ended. */
export async function getEditableActivity(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<EditableActivity> {
  const me = await authorize(ctx, actor, "activities:announce");
  const activity = await ctx.db.selectFrom("activities").selectAll().where("id", "=", id).executeTakeFirst();
  if (!activity) throw notFound();
  const base = await loadBase(ctx, activity.base_id);
  if (!(await mayEdit(ctx, me, activity, base))) {
    await recordAudit(ctx, ctx.db, actor, {
      action: "access.denied",
      outcome: "denied",
      targetType: "activity",
      targetId: id,
      detail: { reason: "out_of_scope" },
    });
    throw notFound();
  }
  const campaignIds = (
    await ctx.db
      .selectFrom("activity_campaigns")
      .select("campaign_id")
      .where("activity_id", "=", id)
      .execute()
  ).map((r) => r.campaign_id);
  const counts = await countFilesBySlot(ctx, "activity", id);
  return {
    activity,
    base,
    campaignIds,
    canReport: canFileReport(activity.ends_at, ctx.clock.now()),
    photoCount: counts[ACTIVITY_SLOTS.photos.id] ?? 0,
  };
}

export async function updateAnnouncement(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: EditAnnouncementInput,
): Promise<void> {
  const { activity } = await getEditableActivity(ctx, actor, id);
  if (activity.report_status === "accepted")
    throw new AppError("CONFLICT", "活动小结已通过审核，活动信息不能再修改。");
  await ctx.db.transaction().execute(async (trx) => {
    await checkCampaignIds(trx, input.campaignIds);
    const r = await trx
      .updateTable("activities")
      .set((eb) => ({
        ...announcementColumns(input, activity.region_code),
        updated_at: ctx.clock.now().toISOString(),
        version: eb("version", "+", 1),
      }))
      .where("id", "=", id)
      .where("version", "=", input.version)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError("CONFLICT", ACTIVITY_CONFLICT);
    await trx.deleteFrom("activity_campaigns").where("activity_id", "=", id).execute();
    if (input.campaignIds.length)
      await trx
        .insertInto("activity_campaigns")
        .values(input.campaignIds.map((campaign_id) => ({ activity_id: id, campaign_id })))
        .execute();
    if (input.endsAt !== activity.ends_at && !activity.reminder_sent_at)
      await scheduleReminder(trx, ctx, id, input.endsAt);
    if (input.startsAt !== activity.starts_at || input.endsAt !== activity.ends_at)
      await schedulePhaseChanges(trx, ctx, id, input);
    await bumpGeneration(trx, "activities");
    await recordAudit(ctx, trx, actor, {
      action: "activity.update",
      targetType: "activity",
      targetId: id,
      detail: {
        before: { name: activity.name, startsAt: activity.starts_at, endsAt: activity.ends_at },
        after: { name: input.name, startsAt: input.startsAt, endsAt: input.endsAt },
      },
    });
  });
}

// ---- 活动小结 ----

export async function fileReport(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: ReportInput,
): Promise<void> {
  const { activity, base } = await getEditableActivity(ctx, actor, id);
  const now = ctx.clock.now();
  if (!canFileReport(activity.ends_at, now))
    throw new AppError("CONFLICT", "活动尚未结束，活动结束后才能上传活动小结。");
  if (activity.report_status === "accepted")
    throw new AppError("CONFLICT", "活动小结已通过审核，不能再修改。");
  const nowIso = now.toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const counts = await countFilesBySlot(ctx, "activity", id, trx);
    const photos = counts[ACTIVITY_SLOTS.photos.id] ?? 0;
    if (photos < ACTIVITY_SLOTS.photos.min)
      throw new AppError("VALIDATION", "请至少上传1张活动图片", {
        [ACTIVITY_SLOTS.photos.id]: "请至少上传1张活动图片",
      });
    const r = await trx
      .updateTable("activities")
      .set((eb) => ({
        report_status: "submitted",
        report_links: JSON.stringify(input.links),
        actual_participants: input.actualParticipants,
        report_summary: input.summary,
        report_submitted_at: nowIso,
        report_return_reason: null,
        updated_at: nowIso,
        version: eb("version", "+", 1),
      }))
      .where("id", "=", id)
      .where("version", "=", input.version)
      .where("report_status", "!=", "accepted")
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError("CONFLICT", ACTIVITY_CONFLICT);
    await bumpGeneration(trx, "activities");
    await recordAudit(ctx, trx, actor, {
      action: "activity.report",
      targetType: "activity",
      targetId: id,
      detail: {
        participants: input.actualParticipants,
        links: input.links.length,
        photos,
        videos: counts[ACTIVITY_SLOTS.videos.id] ?? 0,
        resubmitted: activity.report_status === "returned",
      },
    });
    await notify(ctx, trx, {
      userIds: await reviewersFor(trx, "city", [CITY_REGION]),
      kind: "activity.report_submitted",
      title: "活动小结待审核",
      body: `“${base.name}”提交了活动“${activity.name}”的活动小结。`,
      link: `/admin/activity-reports/${id}`,
    });
  });
}

/** The city reviewer's scope: activities in its region and below. */
async function loadReviewable(ctx: AppContext, actor: Actor, id: string) {
  const me = await authorize(ctx, actor, "activities:review");
  const scope = await regionSubtree(ctx, me.regionCode);
  const row = await ctx.db
    .selectFrom("activities")
    .innerJoin("bases", "bases.id", "activities.base_id")
    .selectAll("activities")
    .select(["bases.name as base_name"])
    .where("activities.id", "=", id)
    .where("activities.region_code", "in", scope)
    .executeTakeFirst();
  if (!row) {
    const exists = await ctx.db.selectFrom("activities").select("id").where("id", "=", id).executeTakeFirst();
    if (exists)
      await recordAudit(ctx, ctx.db, actor, {
        action: "access.denied",
        outcome: "denied",
        targetType: "activity",
        targetId: id,
        detail: { reason: "out_of_scope" },
      });
    throw notFound();
  }
  return row;
}

export async function getReportForReview(ctx: AppContext, actor: Actor, id: string) {
  return loadReviewable(ctx, actor, id);
}

/** 审核活动小结: accepted, or returned with a reason for the base to revise and file again. */
export async function reviewReport(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: ReviewReportInput,
): Promise<void> {
  const me = activeUser(actor);
  const a = await loadReviewable(ctx, actor, id);
  if (a.report_status !== "submitted")
    throw new AppError("CONFLICT", "该活动小结不在待审核状态，请刷新页面。");
  const now = ctx.clock.now().toISOString();
  const accepted = input.decision === "accept";
  await ctx.db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable("activities")
      .set((eb) => ({
        report_status: accepted ? "accepted" : "returned",
        report_reviewed_by: me.id,
        report_reviewed_at: now,
        report_return_reason: accepted ? null : input.reason,
        updated_at: now,
        version: eb("version", "+", 1),
      }))
      .where("id", "=", id)
      .where("version", "=", input.version)
      .where("report_status", "=", "submitted")
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1)
      throw new AppError("CONFLICT", "该活动小结刚刚已被他人处理，请刷新页面。");
    await bumpGeneration(trx, "activities");
    await recordAudit(ctx, trx, actor, {
      action: accepted ? "activity.report_accept" : "activity.report_return",
      targetType: "activity",
      targetId: id,
      detail: accepted ? {} : { reason: input.reason },
    });
    await notify(ctx, trx, {
      userIds: [...(await orgUsersOf(trx, a.base_id)), a.created_by],
      kind: accepted ? "activity.report_accepted" : "activity.report_returned",
      title: accepted ? "活动小结已通过审核" : "活动小结被退回",
      body: accepted
        ? `活动“${a.name}”的活动小结已通过审核。`
        : `活动“${a.name}”的活动小结被退回：${input.reason}。请修改后重新提交。`,
      link: `/activities/${id}/edit`,
    });
  });
}

export async function listReportQueue(
  ctx: AppContext,
  actor: Actor,
  opts: { status?: "submitted" | "returned" | "accepted"; limit?: number } = {},
) {
  const me = await authorize(ctx, actor, "activities:review");
  const scope = await regionSubtree(ctx, me.regionCode);
  return ctx.db
    .selectFrom("activities")
    .innerJoin("bases", "bases.id", "activities.base_id")
    .select([
      "activities.id",
      "activities.name",
      "activities.type",
      "activities.region_code",
      "activities.starts_at",
      "activities.ends_at",
      "activities.actual_participants",
      "activities.report_status",
      "activities.report_submitted_at",
      "bases.name as base_name",
    ])
    .where("activities.report_status", "=", opts.status ?? "submitted")
    .where("activities.region_code", "in", scope)
    .orderBy("activities.report_submitted_at", opts.status === "submitted" || !opts.status ? "asc" : "desc")
    .limit(opts.limit ?? 200)
    .execute();
}

/** The job at a report's due time: still missing, the base is reminded, once. */
export const reportReminderJob: JobHandler = async (ctx, _job, payload) => {
  const id = String(payload.activityId);
  const now = ctx.clock.now();
  const a = await ctx.db
    .selectFrom("activities")
    .innerJoin("bases", "bases.id", "activities.base_id")
    .select([
      "activities.id",
      "activities.name",
      "activities.ends_at",
      "activities.created_by",
      "activities.base_id",
      "bases.name as base_name",
    ])
    .where("activities.id", "=", id)
    .executeTakeFirst();
  if (!a || now.getTime() < new Date(reportDueAt(a.ends_at)).getTime()) return;
  await ctx.db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable("activities")
      .set({ reminder_sent_at: now.toISOString() })
      .where("id", "=", id)
      .where("report_status", "=", "none")
      .where("reminder_sent_at", "is", null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return;
    await notify(ctx, trx, {
      userIds: [...(await orgUsersOf(trx, a.base_id)), a.created_by],
      kind: "activity.report_overdue",
      title: "请尽快上传活动小结",
      body: `“${a.base_name}”的活动“${a.name}”已结束超过7天，尚未上传活动小结。请在【活动列表】中点【编辑】上传。`,
      link: `/activities/${id}/edit`,
    });
    await recordAudit(
      ctx,
      trx,
      { user: null, ip: null },
      { action: "activity.report_reminder", targetType: "activity", targetId: id, actorLabel: "系统" },
    );
  });
};

export const phaseChangeJob: JobHandler = async (ctx) => {
  await ctx.db.transaction().execute((trx) => bumpGeneration(trx, "activities"));
};

export const ACTIVITY_JOB_HANDLERS: Record<string, JobHandler> = {
  [REPORT_REMINDER_JOB]: reportReminderJob,
  [PHASE_JOB]: phaseChangeJob,
};

// ---- public reads ----

export interface CalendarFilter {
  county?: string;
  baseId?: string;
  type?: ActivityType;
  campaignId?: string;
  /** Shanghai dates, inclusive. */
  from?: string;
  to?: string;
  /** upcoming (default): not yet over; past: over; all: only the date range applies. */
  when?: "upcoming" | "past" | "all";
  page?: number;
  /** Keyset paging (the API): the page starts right after this activity in the order; `page` is ignored. */
  after?: { startsAt: string; id: string };
}

export const CALENDAR_PAGE_SIZE = 20;

export interface CalendarItem {
  id: string;
  name: string;
  type: ActivityType;
  form: Activity["form"];
  fee: Activity["fee"];
  direction: Activity["direction"];
  startsAt: string;
  endsAt: string;
  place: string;
  regionCode: string;
  baseId: string;
  baseName: string;
  reportStatus: Activity["report_status"];
}

/**
 * 活动日历: activities of bases that are not revoked. Upcoming: not yet over, soonest first; past:
 * over, latest first. A date range selects activities overlapping it. An activity lasts at most
 * MAX_DURATION_DAYS, so every query is bounded on the indexed start.
 */
export async function listPublicActivities(
  ctx: AppContext,
  filter: CalendarFilter = {},
): Promise<{ items: CalendarItem[]; hasMore: boolean; page: number }> {
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const page = filter.after ? 1 : Math.max(1, Math.min(filter.page ?? 1, 500));
  let q = calendarQuery(ctx);
  if (filter.county) q = q.where("activities.region_code", "=", filter.county);
  if (filter.baseId) q = q.where("activities.base_id", "=", filter.baseId);
  if (filter.type) q = q.where("activities.type", "=", filter.type);
  if (filter.campaignId) {
    const campaignId = filter.campaignId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom("activity_campaigns")
          .select("activity_campaigns.activity_id")
          .whereRef("activity_campaigns.activity_id", "=", "activities.id")
          .where("activity_campaigns.campaign_id", "=", campaignId),
      ),
    );
  }
  const span = MAX_DURATION_DAYS * DAY_MS;
  let lower = filter.from ? new Date(`${filter.from}T00:00:00+08:00`).toISOString() : null;
  let upper = filter.to
    ? new Date(new Date(`${filter.to}T00:00:00+08:00`).getTime() + DAY_MS).toISOString()
    : null;
  const past = filter.when === "past";
  if (past) upper = upper && upper < nowIso ? upper : nowIso;
  else if (filter.when !== "all") lower = lower && lower > nowIso ? lower : nowIso;
  if (lower) {
    q = q
      .where("activities.ends_at", ">", lower)
      .where("activities.starts_at", ">=", new Date(new Date(lower).getTime() - span).toISOString());
  }
  if (upper) q = q.where("activities.starts_at", "<", upper);
  if (past) q = q.where("activities.ends_at", "<=", nowIso);
  if (filter.after) {
    const { startsAt, id } = filter.after;
    q = q.where((eb) =>
      eb(eb.refTuple("activities.starts_at", "activities.id"), past ? "<" : ">", eb.tuple(startsAt, id)),
    );
  }
  const rows = await q
    .orderBy("activities.starts_at", past ? "desc" : "asc")
    .orderBy("activities.id", past ? "desc" : "asc")
    .limit(CALENDAR_PAGE_SIZE + 1)
    .offset((page - 1) * CALENDAR_PAGE_SIZE)
    .execute();
  return {
    page,
    hasMore: rows.length > CALENDAR_PAGE_SIZE,
    items: rows.slice(0, CALENDAR_PAGE_SIZE).map(calendarItemOf),
  };
}

/** The calendar's rows: activities of bases that are not revoked, with the columns it shows. */
function calendarQuery(ctx: AppContext) {
  return ctx.db
    .selectFrom("activities")
    .innerJoin("bases", "bases.id", "activities.base_id")
    .select([
      "activities.id",
      "activities.name",
      "activities.type",
      "activities.form",
      "activities.fee",
      "activities.direction",
      "activities.starts_at",
      "activities.ends_at",
      "activities.place",
      "activities.region_code",
      "activities.base_id",
      "activities.report_status",
      "bases.name as base_name",
    ])
    .where("bases.status", "!=", "revoked");
}

type CalendarRow = Awaited<ReturnType<ReturnType<typeof calendarQuery>["execute"]>>[number];

const calendarItemOf = (r: CalendarRow): CalendarItem => ({
  id: r.id,
  name: r.name,
  type: r.type,
  form: r.form,
  fee: r.fee,
  direction: r.direction,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  place: r.place,
  regionCode: r.region_code,
  baseId: r.base_id,
  baseName: r.base_name,
  reportStatus: r.report_status,
});

/**
 * Every calendar activity starting in a year (Asia/Shanghai), earliest first: the open data download
 * (issue 19). Read in keyset chunks on the indexed start.
 */
export async function listPublicActivitiesOfYear(ctx: AppContext, year: number): Promise<CalendarItem[]> {
  const from = new Date(`${year}-01-01T00:00:00+08:00`).toISOString();
  const to = new Date(`${year + 1}-01-01T00:00:00+08:00`).toISOString();
  const out: CalendarItem[] = [];
  let after: { startsAt: string; id: string } | null = null;
  for (;;) {
    let q = calendarQuery(ctx)
      .where("activities.starts_at", ">=", from)
      .where("activities.starts_at", "<", to);
    if (after) {
      const { startsAt, id } = after;
      q = q.where((eb) =>
        eb.or([
          eb("activities.starts_at", ">", startsAt),
          eb.and([eb("activities.starts_at", "=", startsAt), eb("activities.id", ">", id)]),
        ]),
      );
    }
    const rows = await q.orderBy("activities.starts_at").orderBy("activities.id").limit(2000).execute();
    out.push(...rows.map(calendarItemOf));
    if (rows.length < 2000) return out;
    const last = rows[rows.length - 1];
    after = { startsAt: last.starts_at, id: last.id };
  }
}

export interface PublicActivity {
  activity: Activity;
  baseName: string;
  baseStatus: Base["status"];
  campaigns: { id: string; title: string; kind: Campaign["kind"] }[];
  /** Shown publicly only once the city has accepted it. */
  reportPublic: boolean;
}

export async function getPublicActivity(ctx: AppContext, id: string): Promise<PublicActivity> {
  const row = await ctx.db
    .selectFrom("activities")
    .innerJoin("bases", "bases.id", "activities.base_id")
    .selectAll("activities")
    .select(["bases.name as base_name", "bases.status as base_status"])
    .where("activities.id", "=", id)
    .executeTakeFirst();
  if (!row || row.base_status === "revoked") throw notFound();
  const { base_name, base_status, ...activity } = row;
  const campaigns = await ctx.db
    .selectFrom("activity_campaigns")
    .innerJoin("campaigns", "campaigns.id", "activity_campaigns.campaign_id")
    .select(["campaigns.id", "campaigns.title", "campaigns.kind"])
    .where("activity_campaigns.activity_id", "=", id)
    .orderBy("campaigns.starts_on")
    .execute();
  return {
    activity,
    baseName: base_name,
    baseStatus: base_status,
    campaigns,
    reportPublic: activity.report_status === "accepted",
  };
}

/** A base's 活动列表: newest start first. */
export async function listBaseActivities(
  ctx: AppContext,
  baseId: string,
  opts: { page?: number; limit?: number } = {},
) {
  const limit = opts.limit ?? CALENDAR_PAGE_SIZE;
  const page = Math.max(1, opts.page ?? 1);
  const rows = await ctx.db
    .selectFrom("activities")
    .select([
      "id",
      "name",
      "type",
      "form",
      "fee",
      "direction",
      "starts_at",
      "ends_at",
      "place",
      "report_status",
      "created_by",
    ])
    .where("base_id", "=", baseId)
    .orderBy("starts_at", "desc")
    .orderBy("id", "desc")
    .limit(limit + 1)
    .offset((page - 1) * limit)
    .execute();
  return { items: rows.slice(0, limit), hasMore: rows.length > limit, page };
}

/** For the files module: whether the activity is public, its region, and who may write its slots. */
export async function activityFileAccess(
  ctx: AppContext,
  actor: Actor,
  id: string,
  slot: string | null,
): Promise<{ read: string | null; write: string | null }> {
  const a = await ctx.db.selectFrom("activities").selectAll().where("id", "=", id).executeTakeFirst();
  if (!a) return { read: null, write: null };
  const base = await loadBase(ctx, a.base_id);
  const user = actor.user && !actor.user.mustChangePassword ? actor.user : null;
  const editor = user ? await mayEdit(ctx, user, a, base) : false;
  const reviewer = !!user && can(user, "activities:review") && (await inStaffScope(ctx, user, a.region_code));
  const staff = !!user && can(user, "activities:stats") && (await inStaffScope(ctx, user, a.region_code));
  const publicFile =
    base.status !== "revoked" && (slot === ACTIVITY_SLOTS.cover.id || a.report_status === "accepted");
  const read = editor || reviewer || staff || publicFile ? a.region_code : null;
  let write: string | null = null;
  if (editor && base.status !== "revoked" && a.report_status !== "accepted") {
    const reportSlot = slot === ACTIVITY_SLOTS.photos.id || slot === ACTIVITY_SLOTS.videos.id;
    if (!reportSlot || canFileReport(a.ends_at, ctx.clock.now())) write = a.region_code;
  }
  return { read, write };
}
