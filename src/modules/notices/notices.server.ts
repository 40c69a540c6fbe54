import { authorize } from "#src/modules/accounts/authorize.server.ts";
import { moveApplication } from "#src/modules/applications/applications.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { linkBaseAccount } from "#src/modules/bases/base-accounts.server.ts";
import { formatCertificateNo } from "#src/modules/bases/bases.rules.ts";
import { callIssuance } from "#src/modules/calls/calls.server.ts";
import { notify, reviewersFor } from "#src/modules/notifications/notifications.server.ts";
import { bumpGeneration } from "#src/platform/cache/generations.server.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import type {
  Application,
  NoticeEntry,
  Objection,
  ObjectionStatus,
  PublicNotice,
} from "#src/platform/db/schema.ts";
import { AppError } from "#src/platform/errors.ts";
import { newId } from "#src/platform/ids.ts";
import { enqueueJob, type JobHandler } from "#src/platform/jobs/jobs.server.ts";
import { batchLabel, countyShortName } from "#src/platform/numbering.rules.ts";
import { hitRateLimit } from "#src/platform/rate-limit.server.ts";
import { loadExtraDays } from "./holidays.server.ts";
import { acceptsObjections, noticePhase } from "./notices.rules.ts";
import type { HandleObjectionInput, ObjectionInput, PublishNoticeInput } from "./notices.schema.ts";
import {
  assertNoticeCall,
  assertNoticeManaged,
  callsManagedBy,
  noticesManagedBy,
} from "./notices-scope.server.ts";
import { newObjectionRef } from "./objection-ref.server.ts";
import { calendarWarning, noticeEndsAt, uncoveredYears } from "./working-days.rules.ts";

export const CLOSE_NOTICE_JOB = "notice.close";
export const START_NOTICE_JOB = "notice.start";
const OFFICE_REGION = "330800";

const notFound = () => new AppError("NOT_FOUND", "未找到该公示");

// ---- the office ----

/** 拟认定名单: applications of a call that the office has confirmed and not yet published. */
export async function listProposedApplications(ctx: AppContext, actor: Actor, callId: string) {
  const me = await authorize(ctx, actor, "notices:manage");
  await assertNoticeCall(ctx, me, callId);
  return ctx.db
    .selectFrom("applications")
    .select([
      "id",
      "application_no",
      "base_name",
      "unit_name",
      "region_code",
      "category_code",
      "city_score",
      "updated_at",
    ])
    .where("call_id", "=", callId)
    .where("status", "=", "proposed")
    .orderBy("region_code")
    .orderBy("base_name")
    .execute();
}

/** The calls whose 公示 the actor runs, newest first: the choices of 【发布公示】. */
export async function listNoticeCalls(ctx: AppContext, actor: Actor) {
  const me = await authorize(ctx, actor, "notices:manage");
  return ctx.db
    .selectFrom("calls")
    .leftJoin("regions", "regions.code", "calls.region_code")
    .select(["calls.id", "calls.title", "calls.batch_no", "calls.level", "regions.name as region_name"])
    .where(callsManagedBy(me))
    .orderBy("calls.opens_at", "desc")
    .limit(200)
    .execute();
}

/**
 * 发布公示: lists the chosen proposed applications publicly for `workingDays` working days from
 * `startDate`, moves them to 公示中, and schedules the job that closes the notice at its end.
 */
export async function publishNotice(
  ctx: AppContext,
  actor: Actor,
  input: Omit<PublishNoticeInput, "calendarConfirmed"> & { calendarConfirmed?: boolean },
): Promise<string> {
  const me = await authorize(ctx, actor, "notices:manage");
  await assertNoticeCall(ctx, me, input.callId);
  const today = new Date(ctx.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  if (input.startDate < today)
    throw new AppError("VALIDATION", "请检查公示信息", { startDate: "公示开始日期不能早于今天" });
  const apps = await ctx.db
    .selectFrom("applications")
    .selectAll()
    .where("id", "in", input.applicationIds)
    .where("call_id", "=", input.callId)
    .execute();
  const notProposed = input.applicationIds.filter(
    (id) => !apps.some((a) => a.id === id && a.status === "proposed"),
  );
  if (notProposed.length)
    throw new AppError(
      "CONFLICT",
      `有 ${notProposed.length} 个申报已不在拟认定名单中，请刷新页面后重新选择。`,
    );
  const extra = await loadExtraDays(ctx.db);
  const { endsAt, lastDay } = noticeEndsAt(input.startDate, input.workingDays, extra);
  const warning = calendarWarning(uncoveredYears(input.startDate, lastDay, extra));
  if (warning && !input.calendarConfirmed)
    throw new AppError("VALIDATION", warning, { calendarConfirmed: warning });
  const startsAt = new Date(`${input.startDate}T00:00:00+08:00`).toISOString();
  const now = ctx.clock.now().toISOString();
  const id = newId();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("public_notices")
      .values({
        id,
        kind: "proposed",
        call_id: input.callId,
        title: input.title,
        body: input.body,
        contact: input.contact,
        starts_at: startsAt,
        working_days: input.workingDays,
        ends_at: endsAt,
        status: "open",
        published_by: me.id,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const ordered = [...apps].sort(
      (a, b) => a.region_code.localeCompare(b.region_code) || a.base_name.localeCompare(b.base_name, "zh"),
    );
    await trx
      .insertInto("notice_entries")
      .values(
        ordered.map((a, i) => ({
          notice_id: id,
          application_id: a.id,
          base_id: null,
          seq: i + 1,
          base_name: a.base_name,
          unit_name: a.unit_name,
          region_code: a.region_code,
          category_code: a.category_code,
        })),
      )
      .execute();
    for (const a of ordered)
      await moveApplication(ctx, trx, actor, a, {
        action: "publish",
        to: "public_notice",
        opinion: `列入《${input.title}》公示`,
      });
    // Public pages are cached until the notices generation moves: move it when the notice starts.
    if (startsAt > now)
      await enqueueJob(trx, ctx, {
        kind: START_NOTICE_JOB,
        runAt: startsAt,
        uniqueKey: `${START_NOTICE_JOB}:${id}`,
        payload: { noticeId: id },
      });
    await enqueueJob(trx, ctx, {
      kind: CLOSE_NOTICE_JOB,
      runAt: endsAt,
      uniqueKey: `${CLOSE_NOTICE_JOB}:${id}`,
      payload: { noticeId: id },
    });
    await bumpGeneration(trx, "notices");
    await recordAudit(ctx, trx, actor, {
      action: "notice.publish",
      targetType: "public_notice",
      targetId: id,
      detail: { applications: ordered.length, startsAt, endsAt },
    });
  });
  return id;
}

/** The job at a notice's end instant: closes it (once) and tells the office naming can follow. */
export const closeNoticeJob: JobHandler = async (ctx, _job, payload) => {
  const noticeId = String(payload.noticeId);
  await closeIfDue(ctx, noticeId);
};

async function closeIfDue(ctx: AppContext, noticeId: string): Promise<boolean> {
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const closed = await trx
      .updateTable("public_notices")
      .set((eb) => ({ status: "closed", updated_at: now, version: eb("version", "+", 1) }))
      .where("id", "=", noticeId)
      .where("status", "=", "open")
      .where("ends_at", "<=", now)
      .returning(["title"])
      .executeTakeFirst();
    if (!closed) return false;
    await bumpGeneration(trx, "notices");
    // Whoever runs the call's 公示: the city office, or the county 科协 of a county-level call.
    const call = await trx
      .selectFrom("public_notices")
      .innerJoin("calls", "calls.id", "public_notices.call_id")
      .select(["calls.level", "calls.region_code"])
      .where("public_notices.id", "=", noticeId)
      .executeTakeFirst();
    await notify(ctx, trx, {
      userIds:
        call?.level === "county"
          ? await reviewersFor(trx, "county", [call.region_code])
          : await reviewersFor(trx, "office", [OFFICE_REGION]),
      kind: "notice.closed",
      title: "公示期满",
      body: `《${closed.title}》公示期已满，请处理异议后进行认定命名。`,
      link: `/admin/notices/${noticeId}`,
    });
    await recordAudit(
      ctx,
      trx,
      { user: null, ip: null },
      {
        action: "notice.close",
        targetType: "public_notice",
        targetId: noticeId,
        actorLabel: "系统",
      },
    );
    return true;
  });
}

/** The job at a notice's start: it becomes visible, so cached public pages must be recomputed. */
export const startNoticeJob: JobHandler = async (ctx) => {
  await ctx.db.transaction().execute((trx) => bumpGeneration(trx, "notices"));
};

export const NOTICE_JOB_HANDLERS: Record<string, JobHandler> = {
  [CLOSE_NOTICE_JOB]: closeNoticeJob,
  [START_NOTICE_JOB]: startNoticeJob,
};

/** 公示 for the office: every notice, newest first, with its counts. */
export async function listStaffNotices(ctx: AppContext, actor: Actor) {
  const me = await authorize(ctx, actor, "notices:manage");
  const notices = await ctx.db
    .selectFrom("public_notices")
    .leftJoin("calls", "calls.id", "public_notices.call_id")
    .selectAll("public_notices")
    .where(noticesManagedBy(me))
    .orderBy("public_notices.created_at", "desc")
    .execute();
  const pending = await ctx.db
    .selectFrom("objections")
    .select(["notice_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("status", "=", "pending")
    .groupBy("notice_id")
    .execute();
  return notices.map((n) => ({
    ...n,
    phase: noticePhase(n, ctx.clock.now()),
    pendingObjections: Number(pending.find((p) => p.notice_id === n.id)?.n ?? 0),
  }));
}

export interface StaffNotice {
  notice: PublicNotice;
  entries: (NoticeEntry & { status: string | null; application_no: string | null })[];
  objections: Objection[];
  /** A named notice: the naming announcement that lists its applications. */
  namingNoticeId: string | null;
}

export async function getStaffNotice(ctx: AppContext, actor: Actor, id: string): Promise<StaffNotice> {
  const me = await authorize(ctx, actor, "notices:manage");
  await assertNoticeManaged(ctx, me, id);
  const notice = await ctx.db
    .selectFrom("public_notices")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  if (!notice) throw notFound();
  const entries = await ctx.db
    .selectFrom("notice_entries")
    .leftJoin("applications", "applications.id", "notice_entries.application_id")
    .selectAll("notice_entries")
    .select(["applications.status as status", "applications.application_no as application_no"])
    .where("notice_id", "=", id)
    .orderBy("seq")
    .execute();
  const objections = await ctx.db
    .selectFrom("objections")
    .selectAll()
    .where("notice_id", "=", id)
    .orderBy("created_at")
    .execute();
  const appIds = entries.map((e) => e.application_id).filter((a): a is string => !!a);
  const naming =
    notice.status === "named" && appIds.length
      ? await ctx.db
          .selectFrom("public_notices")
          .innerJoin("notice_entries", "notice_entries.notice_id", "public_notices.id")
          .select("public_notices.id")
          .where("public_notices.kind", "=", "naming")
          .where("notice_entries.application_id", "in", appIds)
          .executeTakeFirst()
      : undefined;
  return { notice, entries, objections, namingNoticeId: naming?.id ?? null };
}

/**
 * 核实异议: upheld or dismissed, with a reply that is published without personal data. An upheld
 * objection sends its application back to office confirmation, or rejects it, and takes it off the list.
 */
export async function handleObjection(
  ctx: AppContext,
  actor: Actor,
  objectionId: string,
  input: HandleObjectionInput,
): Promise<void> {
  const me = await authorize(ctx, actor, "notices:manage");
  const objection = await ctx.db
    .selectFrom("objections")
    .selectAll()
    .where("id", "=", objectionId)
    .executeTakeFirst();
  if (!objection) throw new AppError("NOT_FOUND", "未找到该异议");
  await assertNoticeManaged(ctx, me, objection.notice_id);
  if (objection.status !== "pending" || objection.version !== input.version)
    throw new AppError("CONFLICT", "该异议刚刚已被他人处理，请刷新页面查看。");
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable("objections")
      .set((eb) => ({
        status: input.decision,
        reply: input.reply,
        upheld_action: input.decision === "upheld" ? (input.upheldAction ?? null) : null,
        handled_by: me.id,
        handled_at: now,
        version: eb("version", "+", 1),
      }))
      .where("id", "=", objectionId)
      .where("version", "=", input.version)
      .where("status", "=", "pending")
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1)
      throw new AppError("CONFLICT", "该异议刚刚已被他人处理，请刷新页面查看。");
    if (input.decision === "upheld" && objection.application_id) {
      const app = await trx
        .selectFrom("applications")
        .selectAll()
        .where("id", "=", objection.application_id)
        .executeTakeFirst();
      if (app?.status === "public_notice") {
        await moveApplication(ctx, trx, actor, app, {
          action: "uphold_objection",
          to: input.upheldAction === "reject" ? "rejected" : "office_confirmation",
          opinion: input.reply,
        });
        await trx
          .updateTable("notice_entries")
          .set({ outcome: "removed" })
          .where("notice_id", "=", objection.notice_id)
          .where("application_id", "=", app.id)
          .execute();
      }
    }
    await bumpGeneration(trx, "notices");
    await recordAudit(ctx, trx, actor, {
      action: "objection.handle",
      targetType: "objection",
      targetId: objectionId,
      detail: { decision: input.decision, upheldAction: input.upheldAction ?? null },
    });
  });
}

/**
 * 认定命名: after the period, with every objection handled, each application still listed
 * becomes a base with a certificate number, and the naming is announced on the 公示栏.
 */
export async function nameBases(ctx: AppContext, actor: Actor, noticeId: string, version: number) {
  const me = await authorize(ctx, actor, "notices:manage");
  await assertNoticeManaged(ctx, me, noticeId);
  // The period may have just ended with its job not yet run: closing it here moves the version
  // by one, and that is not someone else's change.
  const justClosed = await closeIfDue(ctx, noticeId);
  const notice = await ctx.db
    .selectFrom("public_notices")
    .selectAll()
    .where("id", "=", noticeId)
    .executeTakeFirst();
  if (!notice || notice.kind !== "proposed") throw notFound();
  if (notice.version !== version && !(justClosed && notice.version === version + 1))
    throw new AppError("CONFLICT", "该公示刚刚已被他人处理，请刷新页面。");
  if (notice.status === "named") throw new AppError("CONFLICT", "该公示的拟认定名单已经命名。");
  if (notice.status !== "closed") throw new AppError("CONFLICT", "公示期未满，不能命名。");
  const pending = await ctx.db
    .selectFrom("objections")
    .select("id")
    .where("notice_id", "=", noticeId)
    .where("status", "=", "pending")
    .execute();
  if (pending.length) throw new AppError("CONFLICT", `尚有 ${pending.length} 件异议未核实，请先处理。`);
  const call = notice.call_id
    ? await ctx.db.selectFrom("calls").selectAll().where("id", "=", notice.call_id).executeTakeFirst()
    : undefined;
  const listed = await ctx.db
    .selectFrom("notice_entries")
    .innerJoin("applications", "applications.id", "notice_entries.application_id")
    .innerJoin("users", "users.id", "applications.org_id")
    .selectAll("applications")
    .select(["users.uscc as org_uscc", "notice_entries.seq as seq"])
    .where("notice_entries.notice_id", "=", noticeId)
    .where("notice_entries.outcome", "=", "listed")
    .where("applications.status", "=", "public_notice")
    .orderBy("notice_entries.seq")
    .execute();
  if (!listed.length) throw new AppError("CONFLICT", "名单中没有可以命名的申报。");
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const year = Number(new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 4));
  const batch = call?.batch_no ?? null;
  // A county-level call names county-level bases, issued by the county (第十九条).
  const issuance = await callIssuance(ctx, call ?? null);
  const level = issuance.level;
  const levelName = `${issuance.regionName}科普教育基地`;
  const certificatePrefix = level === "county" ? `${countyShortName(issuance.regionName)}科普` : undefined;
  const namingId = newId();
  const named: { baseId: string; name: string }[] = [];
  await ctx.db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable("public_notices")
      .set((eb) => ({ status: "named", updated_at: nowIso, version: eb("version", "+", 1) }))
      .where("id", "=", noticeId)
      .where("version", "=", notice.version)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1)
      throw new AppError("CONFLICT", "该公示刚刚已被他人处理，请刷新页面。");
    // Certificate numbers run per issuer: the city's, or one county's.
    let counted = trx
      .selectFrom("bases")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("recognized_year", "=", year)
      .where("batch_no", batch === null ? "is" : "=", batch)
      .where("level", "=", level);
    if (level === "county" && call) counted = counted.where("region_code", "=", call.region_code);
    const already = await counted.executeTakeFirstOrThrow();
    let seq = Number(already.n);
    await trx
      .insertInto("public_notices")
      .values({
        id: namingId,
        kind: "naming",
        call_id: notice.call_id,
        title: `关于命名${batchLabel(batch)}${levelName}的公告`,
        body:
          level === "county"
            ? `经申报、${issuance.regionName}科协审核和公示，下列 ${listed.length} 家单位被命名为${levelName}。`
            : `经申报、县（市、区）推荐、评审、认定办公室审核和公示，下列 ${listed.length} 家单位被命名为${levelName}。`,
        contact: notice.contact,
        starts_at: nowIso,
        working_days: 0,
        ends_at: nowIso,
        status: "published",
        published_by: me.id,
        created_at: nowIso,
        updated_at: nowIso,
      })
      .execute();
    for (const app of listed) {
      if (!app.org_uscc)
        throw new AppError("CONFLICT", `“${app.unit_name}”的账号没有统一社会信用代码，无法命名。`);
      const exists = await trx
        .selectFrom("bases")
        .select(["id", "level", "status"])
        .where("uscc", "=", app.org_uscc)
        .executeTakeFirst();
      // A county-level base named by the city becomes a city-level base: one record, its history kept.
      const promoted = exists && exists.level === "county" && level === "city" && exists.status !== "revoked";
      if (exists && !promoted)
        throw new AppError("CONFLICT", `“${app.unit_name}”已是科普教育基地，不能重复命名。`);
      const baseId = exists?.id ?? newId();
      seq++;
      const values = baseFromApplication(app, app.org_uscc, {
        baseId,
        year,
        batch,
        seq,
        namingId,
        nowIso,
        level,
        certificatePrefix,
      });
      if (promoted) {
        const { id: _id, uscc: _uscc, created_at: _created, ...update } = values;
        await trx
          .updateTable("bases")
          .set((eb) => ({ ...update, status: "active", warning_note: null, version: eb("version", "+", 1) }))
          .where("id", "=", baseId)
          .execute();
      } else await trx.insertInto("bases").values(values).execute();
      // The applicant's account acts for the base it applied for: county and city reviewed it.
      await linkBaseAccount(ctx, trx, actor, { baseId, userId: app.org_id, via: "application" });
      await moveApplication(ctx, trx, actor, app, {
        action: "name",
        to: "recognized",
        opinion: `认定命名为${levelName}`,
      });
      await trx
        .updateTable("notice_entries")
        .set({ outcome: "named", base_id: baseId })
        .where("notice_id", "=", noticeId)
        .where("application_id", "=", app.id)
        .execute();
      named.push({ baseId, name: app.base_name });
    }
    await trx
      .insertInto("notice_entries")
      .values(
        listed.map((a, i) => ({
          notice_id: namingId,
          application_id: a.id,
          base_id: named[i].baseId,
          seq: i + 1,
          base_name: a.base_name,
          unit_name: a.unit_name,
          region_code: a.region_code,
          category_code: a.category_code,
          outcome: "named" as const,
        })),
      )
      .execute();
    await bumpGeneration(trx, "notices");
    await bumpGeneration(trx, "bases");
    await recordAudit(ctx, trx, actor, {
      action: "notice.name",
      targetType: "public_notice",
      targetId: noticeId,
      detail: { named: named.length, namingNoticeId: namingId },
    });
  });
  return { namingNoticeId: namingId, named };
}

function baseFromApplication(
  app: Application,
  uscc: string,
  o: {
    baseId: string;
    year: number;
    batch: number | null;
    seq: number;
    namingId: string;
    nowIso: string;
    level: "city" | "county";
    certificatePrefix?: string;
  },
) {
  return {
    id: o.baseId,
    uscc,
    org_id: app.org_id,
    application_id: app.id,
    name: app.base_name,
    unit_name: app.unit_name,
    region_code: app.region_code,
    category_code: app.category_code ?? "other",
    address: app.address,
    intro: app.intro,
    opening_form: app.opening_form,
    open_days: app.open_days,
    area_sqm: app.area_sqm,
    booking_phone: app.booking_phone,
    leader_name: app.leader_name,
    leader_phone: app.leader_phone,
    contact_name: app.contact_name,
    contact_phone: app.contact_phone,
    volunteer_team_name: app.volunteer_team_name,
    volunteer_count: app.volunteer_count,
    batch_no: o.batch,
    recognized_year: o.year,
    recognized_at: o.nowIso,
    certificate_no: formatCertificateNo(o.year, o.batch, o.seq, o.certificatePrefix),
    level: o.level,
    naming_notice_id: o.namingId,
    search_text: `${app.base_name} ${app.unit_name} ${app.address}`.toLowerCase(),
    created_at: o.nowIso,
    updated_at: o.nowIso,
  };
}

// ---- the public ----

/** 【公示栏】: every notice and announcement, newest first, with how many it lists. */
export async function listPublicNotices(ctx: AppContext) {
  const notices = await ctx.db
    .selectFrom("public_notices")
    .select(["id", "kind", "title", "starts_at", "ends_at", "status", "working_days", "created_at"])
    .where("starts_at", "<=", ctx.clock.now().toISOString())
    .orderBy("starts_at", "desc")
    .orderBy("created_at", "desc")
    .limit(200)
    .execute();
  const counts = notices.length
    ? await ctx.db
        .selectFrom("notice_entries")
        .select(["notice_id", (eb) => eb.fn.countAll<number>().as("n")])
        .where(
          "notice_id",
          "in",
          notices.map((n) => n.id),
        )
        .groupBy("notice_id")
        .execute()
    : [];
  return notices.map((n) => ({
    ...n,
    phase: noticePhase(n, ctx.clock.now()),
    entries: Number(counts.find((c) => c.notice_id === n.id)?.n ?? 0),
  }));
}

export interface PublicNoticeView {
  notice: Pick<
    PublicNotice,
    | "id"
    | "kind"
    | "call_id"
    | "title"
    | "body"
    | "contact"
    | "starts_at"
    | "ends_at"
    | "working_days"
    | "status"
  >;
  phase: ReturnType<typeof noticePhase>;
  acceptsObjections: boolean;
  entries: (Pick<
    NoticeEntry,
    | "seq"
    | "base_name"
    | "unit_name"
    | "region_code"
    | "category_code"
    | "outcome"
    | "application_id"
    | "base_id"
  > & { application_no: string | null })[];
  /** Handled objections: the entry concerned, the finding and the reply. Nothing about the objector. */
  replies: {
    refNo: string;
    baseName: string | null;
    status: ObjectionStatus;
    reply: string;
    handledAt: string;
  }[];
}

export async function getPublicNotice(ctx: AppContext, id: string): Promise<PublicNoticeView> {
  const notice = await ctx.db
    .selectFrom("public_notices")
    .select([
      "id",
      "kind",
      "call_id",
      "title",
      "body",
      "contact",
      "starts_at",
      "ends_at",
      "working_days",
      "status",
    ])
    .where("id", "=", id)
    .where("starts_at", "<=", ctx.clock.now().toISOString())
    .executeTakeFirst();
  if (!notice) throw notFound();
  const entries = await ctx.db
    .selectFrom("notice_entries")
    .leftJoin("applications", "applications.id", "notice_entries.application_id")
    .select([
      "notice_entries.seq",
      "notice_entries.base_name",
      "notice_entries.unit_name",
      "notice_entries.region_code",
      "notice_entries.category_code",
      "notice_entries.outcome",
      "notice_entries.application_id",
      "notice_entries.base_id",
      "applications.application_no",
    ])
    .where("notice_entries.notice_id", "=", id)
    .orderBy("notice_entries.seq")
    .execute();
  const handled = await ctx.db
    .selectFrom("objections")
    .select(["ref_no", "application_id", "status", "reply", "handled_at"])
    .where("notice_id", "=", id)
    .where("status", "!=", "pending")
    .orderBy("handled_at")
    .execute();
  return {
    notice,
    phase: noticePhase(notice, ctx.clock.now()),
    acceptsObjections: acceptsObjections(notice, ctx.clock.now()),
    entries,
    replies: handled.map((o) => ({
      // Only the tail of the reference: enough for the objector to recognise, useless to others.
      refNo: `…${o.ref_no.slice(-4)}`,
      baseName: entries.find((e) => e.application_id === o.application_id)?.base_name ?? null,
      status: o.status,
      reply: o.reply ?? "",
      handledAt: o.handled_at ?? "",
    })),
  };
}

/** Per IP: a handful of objections an hour is plenty for a person, and stops a flood. */
const OBJECTION_LIMIT = { limit: 5, windowMs: 3600_000 };
const STATUS_LIMIT = { limit: 30, windowMs: 3600_000 };

/** 提出异议 (anonymous, real-name): answers the reference number the objector checks the status with. */
export async function fileObjection(
  ctx: AppContext,
  actor: Actor,
  noticeId: string,
  input: ObjectionInput,
): Promise<{ id: string; refNo: string }> {
  const notice = await ctx.db
    .selectFrom("public_notices")
    .selectAll()
    .where("id", "=", noticeId)
    .executeTakeFirst();
  if (!notice) throw notFound();
  if (!acceptsObjections(notice, ctx.clock.now()))
    throw new AppError("CONFLICT", "该公示不在公示期内，不能再提出异议。");
  if (input.applicationId) {
    const entry = await ctx.db
      .selectFrom("notice_entries")
      .select("seq")
      .where("notice_id", "=", noticeId)
      .where("application_id", "=", input.applicationId)
      .executeTakeFirst();
    if (!entry)
      throw new AppError("VALIDATION", "请检查异议内容", { applicationId: "请选择公示名单中的单位" });
  }
  const limited = await hitRateLimit(ctx, `objection:ip:${actor.ip ?? "unknown"}`, OBJECTION_LIMIT);
  if (limited.blocked)
    throw new AppError("RATE_LIMITED", "提交过于频繁，请一小时后再试，或按公示中的联系方式反映。");
  const id = newId();
  const refNo = newObjectionRef(ctx.clock.now());
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("objections")
      .values({
        id,
        ref_no: refNo,
        notice_id: noticeId,
        application_id: input.applicationId || null,
        objector_name: input.objectorName,
        objector_phone: input.objectorPhone,
        objector_kind: input.objectorKind,
        objector_unit: input.objectorKind === "unit" ? input.objectorUnit : null,
        content: input.content,
        created_at: ctx.clock.now().toISOString(),
        ip: actor.ip,
      })
      .execute();
    await notify(ctx, trx, {
      userIds: await reviewersFor(trx, "office", [OFFICE_REGION]),
      kind: "objection.filed",
      title: "收到新的异议",
      body: `《${notice.title}》收到异议（${refNo}），请及时核实。`,
      link: `/admin/notices/${noticeId}`,
    });
    await recordAudit(ctx, trx, actor, {
      action: "objection.file",
      targetType: "objection",
      targetId: id,
      actorLabel: "公众",
      detail: { noticeId },
    });
  });
  return { id, refNo };
}

/** 异议查询: the status and reply, for the reference number together with the phone it was filed with. */
export async function findObjectionStatus(
  ctx: AppContext,
  actor: Actor,
  input: { ref: string; phone: string },
) {
  const limited = await hitRateLimit(ctx, `objection-status:ip:${actor.ip ?? "unknown"}`, STATUS_LIMIT);
  if (limited.blocked) throw new AppError("RATE_LIMITED", "查询过于频繁，请稍后再试。");
  const row = await ctx.db
    .selectFrom("objections")
    .innerJoin("public_notices", "public_notices.id", "objections.notice_id")
    .select([
      "objections.ref_no",
      "objections.status",
      "objections.reply",
      "objections.handled_at",
      "objections.created_at",
      "objections.notice_id",
      "public_notices.title as notice_title",
    ])
    .where("objections.ref_no", "=", input.ref)
    .where("objections.objector_phone", "=", input.phone)
    .executeTakeFirst();
  if (!row) throw new AppError("NOT_FOUND", "未找到该异议：请核对受理编号和提交时填写的电话");
  return row;
}

/** Access to an objection's evidence: the office reads; the filer adds files for a short while after filing. */
export async function objectionForEvidence(
  ctx: AppContext,
  actor: Actor,
  objectionId: string,
  write: boolean,
) {
  const o = await ctx.db
    .selectFrom("objections")
    .select(["id", "ip", "created_at", "status"])
    .where("id", "=", objectionId)
    .executeTakeFirst();
  if (!o) return null;
  if (!write) return actor.user?.role === "office" && !actor.user.mustChangePassword ? o : null;
  const fresh = ctx.clock.now().getTime() - new Date(o.created_at).getTime() < 2 * 3600_000;
  // The id is unguessable and shown only to the filer's browser; the IP and the window narrow it further.
  return !actor.user && o.status === "pending" && fresh && o.ip === actor.ip ? o : null;
}
