import { type Kysely, sql } from "kysely";
import { authorize, deniedAsNotFound } from "#src/modules/accounts/authorize.server.ts";
import {
  doubleReductionCampaignFor,
  insertAnnouncement,
  withdrawAnnouncement,
} from "#src/modules/activities/activities.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { findOwnBase } from "#src/modules/bases/bases.server.ts";
import { loadExtraDays } from "#src/modules/notices/holidays.server.ts";
import { shanghaiDate } from "#src/modules/notifications/notifications.rules.ts";
import { notify, reviewersFor } from "#src/modules/notifications/notifications.server.ts";
import { regionSubtree } from "#src/modules/regions/regions.server.ts";
import { isOrgVerified } from "#src/modules/verification/verification.server.ts";
import { bumpGeneration } from "#src/platform/cache/generations.server.ts";
import type { Actor, AppContext, SessionUser } from "#src/platform/context.ts";
import type { DB, SchoolItem, SchoolOrder, SchoolOrderStatus } from "#src/platform/db/schema.ts";
import { AppError } from "#src/platform/errors.ts";
import { newId } from "#src/platform/ids.ts";
import { enqueueJob, type JobHandler } from "#src/platform/jobs/jobs.server.ts";
import { baseAccountIds } from "./school-items.server.ts";
import {
  answerDueAt,
  dateProblem,
  fromMask,
  GRADES,
  HOLDING_STATUSES,
  ITEM_KIND_LABELS,
  isLateCancellation,
  mayTake,
  ORDER_STATUS_LABELS,
  type OrderAction,
  type OrderCursor,
  sessionsNeeded,
  weekOf,
} from "./schools.rules.ts";
import type { OrderInput } from "./schools.schema.ts";

/**
 * 点单 → 接单 → (派单) → delivery → rating. Capacity is a counter per item and week
 * (school_item_weeks) taken with one conditional upsert inside the ordering transaction, so two
 * schools racing for the last session cannot both hold it. Every step is audited and notified.
 */

export const DISPATCH_JOB = "school_order.dispatch";
const CONFLICT = "该点单刚刚已被他人处理，请刷新页面查看最新状态。";
export const FULL = "该项目所选日期所在周的场次已约满，请选择其他日期或其他项目。";

// ---- capacity ----

/** Takes `n` sessions of the item's week if they fit under `cap`; false when the week is full. */
async function holdSessions(
  trx: Kysely<DB>,
  itemId: string,
  week: string,
  n: number,
  cap: number,
): Promise<boolean> {
  if (n > cap) return false;
  const row = await trx
    .insertInto("school_item_weeks")
    .values({ item_id: itemId, week, booked: n })
    .onConflict((oc) =>
      oc
        .columns(["item_id", "week"])
        .doUpdateSet({ booked: sql<number>`school_item_weeks.booked + excluded.booked` })
        .where(sql<boolean>`school_item_weeks.booked + excluded.booked <= ${cap}`),
    )
    .returning("booked")
    .executeTakeFirst();
  return !!row;
}

async function releaseSessions(
  trx: Kysely<DB>,
  itemId: string,
  week: string | null,
  n: number,
): Promise<void> {
  if (!week) return;
  await trx
    .updateTable("school_item_weeks")
    .set({ booked: sql<number>`booked - ${n}` })
    .where("item_id", "=", itemId)
    .where("week", "=", week)
    .where("booked", ">=", n)
    .execute();
}

/** Holds sessions in the week of the first date that has room; that week, or null when all are full. */
async function holdFirstWeek(
  trx: Kysely<DB>,
  item: Pick<SchoolItem, "id" | "sessions_per_week">,
  dates: readonly string[],
  n: number,
): Promise<string | null> {
  for (const week of [...new Set(dates.map(weekOf))]) {
    if (await holdSessions(trx, item.id, week, n, item.sessions_per_week)) return week;
  }
  return null;
}

// ---- who is asking ----

type Side =
  | { kind: "school"; me: SessionUser }
  | { kind: "base"; me: SessionUser; baseId: string }
  | { kind: "county"; me: SessionUser; scope: string[] };

async function sideOf(ctx: AppContext, actor: Actor): Promise<Side> {
  const me = actor.user;
  if (!me || me.mustChangePassword) throw new AppError("UNAUTHENTICATED", "请先登录");
  if (me.role === "school") return { kind: "school", me: await authorize(ctx, actor, "schools:order") };
  if (me.role === "org") {
    await authorize(ctx, actor, "bases:own");
    const base = await findOwnBase(ctx, me);
    if (!base) throw new AppError("NOT_FOUND", "贵单位尚无已认定的科普教育基地");
    return { kind: "base", me, baseId: base.id };
  }
  await authorize(ctx, actor, "school-orders:dispatch");
  const scope = await regionSubtree(ctx, me.regionCode);
  return { kind: "county", me, scope: scope.length ? scope : [""] };
}

/** The order if the side may see it: a school its own, a base those for its items, county staff their county's. */
async function loadOrder(ctx: AppContext, actor: Actor, side: Side, id: string): Promise<SchoolOrder> {
  let q = ctx.db.selectFrom("school_orders").selectAll().where("id", "=", id);
  if (side.kind === "school") q = q.where("school_id", "=", side.me.id);
  else if (side.kind === "base") q = q.where("base_id", "=", side.baseId);
  else q = q.where("base_region_code", "in", side.scope);
  const row = await q.executeTakeFirst();
  if (row) return row;
  const exists = await ctx.db
    .selectFrom("school_orders")
    .select("id")
    .where("id", "=", id)
    .executeTakeFirst();
  return deniedAsNotFound(ctx, actor, { type: "school_order", id, exists: !!exists });
}

function assertStep(
  order: SchoolOrder,
  action: OrderAction,
  side: Side["kind"] | "job",
  version: number,
): void {
  if (!mayTake(action, order.status, side))
    throw new AppError(
      "CONFLICT",
      `该点单当前状态为“${ORDER_STATUS_LABELS[order.status]}”，不能进行此操作。`,
    );
  if (order.version !== version) throw new AppError("CONFLICT", CONFLICT);
}

/** Moves the order at the version seen; a concurrent step makes it a conflict. */
async function moveOrder(
  trx: Kysely<DB>,
  order: SchoolOrder,
  now: string,
  set: Partial<Omit<SchoolOrder, "id" | "version">>,
): Promise<void> {
  const moved = await trx
    .updateTable("school_orders")
    .set((eb) => ({ ...set, updated_at: now, version: eb("version", "+", 1) }))
    .where("id", "=", order.id)
    .where("version", "=", order.version)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) throw new AppError("CONFLICT", CONFLICT);
}

async function itemOf(db: Kysely<DB>, id: string) {
  return db
    .selectFrom("school_items")
    .innerJoin("bases", "bases.id", "school_items.base_id")
    .selectAll("school_items")
    .select([
      "bases.name as base_name",
      "bases.contact_name as base_contact",
      "bases.contact_phone as base_phone",
      "bases.address as base_address",
    ])
    .where("school_items.id", "=", id)
    .executeTakeFirst();
}

const today = (ctx: AppContext) => shanghaiDate(ctx.clock.now());
const minutesBetween = (from: string, to: string) =>
  Math.max(0, Math.round((new Date(to).getTime() - new Date(from).getTime()) / 60_000));

// ---- 点单 ----

export async function placeOrder(
  ctx: AppContext,
  actor: Actor,
  itemId: string,
  input: OrderInput,
): Promise<string> {
  const me = await authorize(ctx, actor, "schools:order");
  if (!(await isOrgVerified(ctx.db, me.id)))
    throw new AppError("FORBIDDEN", "学校账号通过所在县（市、区）科协认证后才能点单，请先完成单位认证。");
  const item = await itemOf(ctx.db, itemId);
  if (!item || item.status !== "approved") throw new AppError("NOT_FOUND", "未找到该项目");
  const serves = await ctx.db
    .selectFrom("school_item_counties")
    .select("item_id")
    .where("item_id", "=", itemId)
    .where("county_code", "=", me.regionCode)
    .executeTakeFirst();
  if (!serves) throw new AppError("VALIDATION", "该项目不服务贵校所在的县（市、区），请选择其他项目。");
  const day = today(ctx);
  for (const d of input.dates) {
    const problem = dateProblem(item, d, day);
    if (problem) throw new AppError("VALIDATION", problem, { dates: `${d}：${problem}` });
  }
  const sessions = sessionsNeeded(input.students, item.students_per_session);
  if (sessions > item.sessions_per_week)
    throw new AppError("VALIDATION", "学生人数超过该项目一周可接待的人数", {
      students: `每场最多${item.students_per_session}人、每周最多${item.sessions_per_week}场，请分批点单`,
    });
  const now = ctx.clock.now().toISOString();
  const due = answerDueAt(now, await loadExtraDays(ctx.db));
  const id = newId();
  await ctx.db.transaction().execute(async (trx) => {
    const week = await holdFirstWeek(trx, item, input.dates, sessions);
    if (!week) throw new AppError("CONFLICT", FULL, { dates: FULL });
    await trx
      .insertInto("school_orders")
      .values({
        id,
        item_id: item.id,
        base_id: item.base_id,
        base_region_code: item.region_code,
        school_id: me.id,
        school_region_code: me.regionCode,
        preferred_dates: JSON.stringify(input.dates),
        classes: input.classes,
        students: input.students,
        sessions,
        contact_name: input.contactName,
        contact_phone: input.contactPhone,
        notes: input.notes,
        status: "ordered",
        held_week: week,
        scheduled_date: null,
        proposed_date: null,
        reason: null,
        answer_due_at: due,
        answered_at: null,
        answer_minutes: null,
        activity_id: null,
        cancelled_by: null,
        delivered_students: null,
        rating_content: null,
        rating_organization: null,
        rating_safety: null,
        rating_comment: null,
        rated_at: null,
        reply: null,
        replied_at: null,
        reassigned_from: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await enqueueJob(trx, ctx, {
      kind: DISPATCH_JOB,
      runAt: due,
      uniqueKey: `${DISPATCH_JOB}:${id}`,
      payload: { orderId: id },
    });
    await recordAudit(ctx, trx, actor, {
      action: "school_order.create",
      targetType: "school_order",
      targetId: id,
      detail: { itemId: item.id, dates: input.dates, students: input.students, sessions, week },
    });
    await notify(ctx, trx, {
      userIds: await baseAccountIds(trx, item.base_id),
      kind: "school_order.created",
      title: "收到学校点单",
      body: `${me.displayName}点单“${item.title}”，意向日期 ${input.dates.join("、")}，${input.students}名学生。请在 ${shanghaiDate(due)} 前接单、婉拒或建议改期，逾期将转县级科协派单。`,
      link: `/school-orders/${id}`,
    });
  });
  return id;
}

// ---- 接单 ----

export interface AnswerInput {
  action: "accept" | "decline" | "propose";
  date: string;
  reason: string;
  version: number;
}

/** The base accepts one of the preferred dates, declines with a reason, or proposes another date. */
export async function answerOrder(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: AnswerInput,
): Promise<void> {
  const side = await sideOf(ctx, actor);
  if (side.kind !== "base") throw new AppError("FORBIDDEN", "只有提供项目的基地可以接单");
  const order = await loadOrder(ctx, actor, side, id);
  assertStep(order, input.action, "base", input.version);
  const item = (await itemOf(ctx.db, order.item_id))!;
  const preferred = JSON.parse(order.preferred_dates) as string[];
  const now = ctx.clock.now().toISOString();
  if (input.action === "accept" && !preferred.includes(input.date))
    throw new AppError("VALIDATION", "请选择学校的一个意向日期", { date: "请选择学校的一个意向日期" });
  if (input.action === "propose") {
    const problem = dateProblem(item, input.date, today(ctx));
    if (problem) throw new AppError("VALIDATION", problem, { date: problem });
  }
  if (input.action === "decline" && !input.reason.trim())
    throw new AppError("VALIDATION", "婉拒时请填写理由，学校会看到它。", { reason: "请填写婉拒理由" });
  const answered = { answered_at: now, answer_minutes: minutesBetween(order.created_at, now) };
  await ctx.db.transaction().execute(async (trx) => {
    if (input.action === "decline") {
      await releaseSessions(trx, order.item_id, order.held_week, order.sessions);
      await moveOrder(trx, order, now, {
        ...answered,
        status: "declined",
        reason: input.reason.trim(),
        held_week: null,
      });
    } else {
      const week = await moveHold(trx, order, item, input.date);
      if (input.action === "accept") {
        const activityId = await announceFor(ctx, trx, order, item, input.date, side.me.id);
        await moveOrder(trx, order, now, {
          ...answered,
          status: "accepted",
          scheduled_date: input.date,
          held_week: week,
          activity_id: activityId,
        });
      } else {
        await moveOrder(trx, order, now, {
          ...answered,
          status: "proposed",
          proposed_date: input.date,
          held_week: week,
          reason: input.reason.trim() || null,
        });
      }
    }
    await recordAudit(ctx, trx, actor, {
      action: `school_order.${input.action}`,
      targetType: "school_order",
      targetId: id,
      detail: {
        before: { status: order.status },
        date: input.date || undefined,
        reason: input.reason || undefined,
      },
    });
    const text = {
      accept: { title: "基地已接单", body: `“${item.title}”已确定于 ${input.date} 开展，请做好准备。` },
      decline: { title: "基地婉拒了点单", body: `“${item.title}”的点单被婉拒：${input.reason}` },
      propose: { title: "基地建议改期", body: `“${item.title}”的基地建议改在 ${input.date} 开展，请确认。` },
    }[input.action];
    await notify(ctx, trx, {
      userIds: [order.school_id],
      kind: `school_order.${input.action}`,
      ...text,
      link: `/school-orders/${id}`,
    });
  });
}

/** Moves the order's held sessions to the week of `date` (taking them there first). */
async function moveHold(
  trx: Kysely<DB>,
  order: SchoolOrder,
  item: SchoolItem,
  date: string,
): Promise<string> {
  const week = weekOf(date);
  if (week === order.held_week) return week;
  if (!(await holdSessions(trx, item.id, week, order.sessions, item.sessions_per_week)))
    throw new AppError("CONFLICT", FULL, { date: FULL });
  await releaseSessions(trx, item.id, order.held_week, order.sessions);
  return week;
}

/** The base's 活动预告 for an accepted order: 走出去 or 请进来, tagged with the 双减 campaign. */
/** The 活动预告 接单 writes, for an order already accepted on its scheduled date (demo data). */
export async function announceAcceptedOrder(
  ctx: AppContext,
  trx: Kysely<DB>,
  orderId: string,
  by: string,
): Promise<string> {
  const order = await trx
    .selectFrom("school_orders")
    .selectAll()
    .where("id", "=", orderId)
    .executeTakeFirstOrThrow();
  if (!order.scheduled_date) throw new Error(`school order ${orderId} has no scheduled date`);
  const item = (await itemOf(trx, order.item_id))!;
  return announceFor(ctx, trx, order, item, order.scheduled_date, by);
}

async function announceFor(
  ctx: AppContext,
  trx: Kysely<DB>,
  order: SchoolOrder,
  item: NonNullable<Awaited<ReturnType<typeof itemOf>>>,
  date: string,
  by: string,
): Promise<string> {
  const school = await trx
    .selectFrom("users")
    .select("display_name")
    .where("id", "=", order.school_id)
    .executeTakeFirstOrThrow();
  const profile = await trx
    .selectFrom("school_profiles")
    .select("address")
    .where("user_id", "=", order.school_id)
    .executeTakeFirst();
  // 09:00 Beijing on the date, for the item's duration.
  const startsAt = new Date(`${date}T01:00:00.000Z`);
  const endsAt = new Date(startsAt.getTime() + item.duration_minutes * 60_000);
  const campaign = await doubleReductionCampaignFor(trx, date);
  const out = item.kind === "outreach";
  const online = item.kind === "online";
  return insertAnnouncement(ctx, trx, { id: item.base_id, region_code: item.region_code }, by, {
    name: `${item.title}（${school.display_name}）`,
    type: item.kind === "visit" ? "study_tour" : "lecture",
    form: online ? "online" : "offline",
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
    place: online ? "" : out ? (profile?.address ?? school.display_name) : item.base_address,
    link: online ? "线上课程链接由基地另行发送" : "",
    audience: `${school.display_name} ${order.classes}个班 ${order.students}名学生（${fromMask(GRADES, item.grade_mask).join("、")}）`,
    expectedParticipants: order.students,
    fee: item.fee === "free" ? "free" : "discounted",
    direction: out ? "out" : "in",
    campaignIds: campaign ? [campaign] : [],
    contactName: item.base_contact || order.contact_name,
    contactPhone: item.base_phone || order.contact_phone,
    description: `科普助力双减 · ${ITEM_KIND_LABELS[item.kind]}：${item.description || item.title}`,
  });
}

/** The school confirms the base's proposed date (the order is then accepted) or refuses it (cancelled). */
export async function respondToProposal(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { accept: boolean; version: number },
): Promise<void> {
  const side = await sideOf(ctx, actor);
  if (side.kind !== "school") throw new AppError("FORBIDDEN", "只有点单学校可以确认改期");
  const order = await loadOrder(ctx, actor, side, id);
  assertStep(order, input.accept ? "confirm_proposal" : "reject_proposal", "school", input.version);
  const item = (await itemOf(ctx.db, order.item_id))!;
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    if (input.accept) {
      const activityId = await announceFor(ctx, trx, order, item, order.proposed_date!, side.me.id);
      await moveOrder(trx, order, now, {
        status: "accepted",
        scheduled_date: order.proposed_date,
        activity_id: activityId,
      });
    } else {
      await releaseSessions(trx, order.item_id, order.held_week, order.sessions);
      await moveOrder(trx, order, now, {
        status: "cancelled",
        cancelled_by: "school",
        reason: "学校不接受改期",
        held_week: null,
      });
    }
    await recordAudit(ctx, trx, actor, {
      action: input.accept ? "school_order.confirm_proposal" : "school_order.reject_proposal",
      targetType: "school_order",
      targetId: id,
      detail: { date: order.proposed_date },
    });
    await notify(ctx, trx, {
      userIds: await baseAccountIds(trx, order.base_id),
      kind: input.accept ? "school_order.confirm_proposal" : "school_order.reject_proposal",
      title: input.accept ? "学校已确认改期" : "学校未接受改期",
      body: input.accept
        ? `“${item.title}”确定于 ${order.proposed_date} 开展，已生成活动预告。`
        : `学校未接受“${item.title}”改在 ${order.proposed_date}，点单已取消。`,
      link: `/school-orders/${id}`,
    });
  });
}

// ---- 派单 ----

/** Orders whose answer is overdue go to the county's 派单 queue (the job runs at each order's deadline). */
export async function dispatchOverdueOrders(ctx: AppContext, onlyId?: string): Promise<number> {
  const now = ctx.clock.now().toISOString();
  let q = ctx.db
    .selectFrom("school_orders")
    .selectAll()
    .where("status", "=", "ordered")
    .where("answer_due_at", "<=", now);
  if (onlyId) q = q.where("id", "=", onlyId);
  const due = await q.limit(500).execute();
  let moved = 0;
  for (const order of due) {
    await ctx.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable("school_orders")
        .set((eb) => ({ status: "dispatch" as const, updated_at: now, version: eb("version", "+", 1) }))
        .where("id", "=", order.id)
        .where("status", "=", "ordered")
        .where("version", "=", order.version)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return;
      moved++;
      await recordAudit(
        ctx,
        trx,
        { user: null, ip: null },
        {
          action: "school_order.dispatch",
          targetType: "school_order",
          targetId: order.id,
          actorLabel: "system",
          detail: {
            before: { status: "ordered" },
            after: { status: "dispatch" },
            dueAt: order.answer_due_at,
          },
        },
      );
      await notify(ctx, trx, {
        userIds: await reviewersFor(trx, "county", [order.base_region_code]),
        kind: "school_order.dispatch",
        title: "点单超时未接，待派单",
        body: "一份学校点单3个工作日内未获基地答复，请改派给其他基地的相似项目或关闭。",
        link: `/school-orders/${order.id}`,
      });
    });
  }
  return moved;
}

export const SCHOOL_JOB_HANDLERS: Record<string, JobHandler> = {
  [DISPATCH_JOB]: async (ctx, _job, payload) => {
    await dispatchOverdueOrders(ctx, String(payload.orderId ?? ""));
  },
};

export interface SimilarItem {
  id: string;
  title: string;
  baseName: string;
  kindLabel: string;
}

/** Approved items of other bases that serve the school's county, same kind first, with a grade in common. */
export async function similarItems(ctx: AppContext, actor: Actor, orderId: string): Promise<SimilarItem[]> {
  const side = await sideOf(ctx, actor);
  const order = await loadOrder(ctx, actor, side, orderId);
  const item = (await itemOf(ctx.db, order.item_id))!;
  const rows = await ctx.db
    .selectFrom("school_items")
    .innerJoin("bases", "bases.id", "school_items.base_id")
    .innerJoin("school_item_counties", "school_item_counties.item_id", "school_items.id")
    .select(["school_items.id", "school_items.title", "school_items.kind", "bases.name as base_name"])
    .where("school_items.status", "=", "approved")
    .where("school_items.base_id", "!=", order.base_id)
    .where("school_item_counties.county_code", "=", order.school_region_code)
    .where(sql<boolean>`(school_items.grade_mask & ${item.grade_mask}) <> 0`)
    .orderBy(sql`case when school_items.kind = ${item.kind} then 0 else 1 end`)
    .orderBy("school_items.rating_count", "desc")
    .limit(20)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    baseName: r.base_name,
    kindLabel: ITEM_KIND_LABELS[r.kind],
  }));
}

/** 派单: the county moves an overdue order to a similar item of another base, which then has 3 working days. */
export async function reassignOrder(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { itemId: string; version: number },
): Promise<void> {
  const side = await sideOf(ctx, actor);
  if (side.kind !== "county") throw new AppError("FORBIDDEN", "只有县级科协可以派单");
  const order = await loadOrder(ctx, actor, side, id);
  assertStep(order, "reassign", "county", input.version);
  const target = await itemOf(ctx.db, input.itemId);
  const similar = (await similarItems(ctx, actor, id)).map((s) => s.id);
  if (!target || !similar.includes(target.id))
    throw new AppError("VALIDATION", "请选择服务该校所在区域的其他基地项目", { itemId: "请选择改派的项目" });
  const now = ctx.clock.now().toISOString();
  const due = answerDueAt(now, await loadExtraDays(ctx.db));
  const sessions = sessionsNeeded(order.students, target.students_per_session);
  const preferred = JSON.parse(order.preferred_dates) as string[];
  await ctx.db.transaction().execute(async (trx) => {
    await releaseSessions(trx, order.item_id, order.held_week, order.sessions);
    const week = await holdFirstWeek(trx, target, preferred, sessions);
    if (!week) throw new AppError("CONFLICT", FULL, { itemId: FULL });
    await moveOrder(trx, order, now, {
      status: "ordered",
      item_id: target.id,
      base_id: target.base_id,
      base_region_code: target.region_code,
      sessions,
      held_week: week,
      answer_due_at: due,
      reassigned_from: order.item_id,
    });
    await enqueueJob(trx, ctx, {
      kind: DISPATCH_JOB,
      runAt: due,
      uniqueKey: `${DISPATCH_JOB}:${id}`,
      payload: { orderId: id },
    });
    await recordAudit(ctx, trx, actor, {
      action: "school_order.reassign",
      targetType: "school_order",
      targetId: id,
      detail: { before: { itemId: order.item_id }, after: { itemId: target.id } },
    });
    await notify(ctx, trx, {
      userIds: await baseAccountIds(trx, target.base_id),
      kind: "school_order.reassigned",
      title: "县级科协派单",
      body: `县级科协将一份学校点单派给贵基地的“${target.title}”，意向日期 ${preferred.join("、")}。请在 ${shanghaiDate(due)} 前接单。`,
      link: `/school-orders/${id}`,
    });
    await notify(ctx, trx, {
      userIds: [order.school_id],
      kind: "school_order.reassigned",
      title: "点单已改派",
      body: `原基地未及时答复，县级科协已将点单改派至“${target.base_name}”的“${target.title}”。`,
      link: `/school-orders/${id}`,
    });
  });
}

/** 派单 closes an order nobody can take, with the reason the school sees. */
export async function closeOrder(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { reason: string; version: number },
): Promise<void> {
  const side = await sideOf(ctx, actor);
  if (side.kind !== "county") throw new AppError("FORBIDDEN", "只有县级科协可以关闭点单");
  const order = await loadOrder(ctx, actor, side, id);
  assertStep(order, "close", "county", input.version);
  const reason = input.reason.trim();
  if (!reason) throw new AppError("VALIDATION", "请填写关闭理由", { reason: "请填写关闭理由，学校会看到它" });
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await releaseSessions(trx, order.item_id, order.held_week, order.sessions);
    await moveOrder(trx, order, now, { status: "closed", reason, held_week: null });
    await recordAudit(ctx, trx, actor, {
      action: "school_order.close",
      targetType: "school_order",
      targetId: id,
      detail: { reason },
    });
    await notify(ctx, trx, {
      userIds: [order.school_id],
      kind: "school_order.closed",
      title: "点单已关闭",
      body: `县级科协关闭了您的点单：${reason}`,
      link: `/school-orders/${id}`,
    });
  });
}

// ---- cancellation, delivery, rating ----

/** Either side cancels before the date, with a reason; from the day before the date it counts as late. */
export async function cancelOrder(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { reason: string; version: number },
): Promise<void> {
  const side = await sideOf(ctx, actor);
  if (side.kind === "county") throw new AppError("FORBIDDEN", "只有学校或基地可以取消点单");
  const order = await loadOrder(ctx, actor, side, id);
  assertStep(order, "cancel", side.kind, input.version);
  const day = today(ctx);
  if (order.scheduled_date && day >= order.scheduled_date)
    throw new AppError("CONFLICT", "活动日期已到，不能再取消；如未开展，请由学校报告“未开展”。");
  const reason = input.reason.trim();
  if (!reason) throw new AppError("VALIDATION", "请填写取消理由", { reason: "请填写取消理由" });
  const late = isLateCancellation(order.scheduled_date, day);
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await releaseSessions(trx, order.item_id, order.held_week, order.sessions);
    // The accepted order's 活动预告 is withdrawn with it, so the calendar shows no activity that will not happen.
    const withdrawn = order.activity_id ? await withdrawAnnouncement(ctx, trx, order.activity_id) : false;
    await moveOrder(trx, order, now, {
      status: "cancelled",
      cancelled_by: side.kind,
      reason,
      late_cancel: late ? 1 : 0,
      held_week: null,
      ...(withdrawn ? { activity_id: null } : {}),
    });
    await recordAudit(ctx, trx, actor, {
      action: "school_order.cancel",
      targetType: "school_order",
      targetId: id,
      detail: { before: { status: order.status }, by: side.kind, reason, late },
    });
    if (withdrawn)
      await recordAudit(ctx, trx, actor, {
        action: "activity.withdraw",
        targetType: "activity",
        targetId: order.activity_id!,
        detail: { baseId: order.base_id, schoolOrderId: id, reason },
      });
    await notify(ctx, trx, {
      userIds: side.kind === "school" ? await baseAccountIds(trx, order.base_id) : [order.school_id],
      kind: "school_order.cancelled",
      title: side.kind === "school" ? "学校取消了点单" : "基地取消了点单",
      body: `${order.scheduled_date ? `原定 ${order.scheduled_date} 的` : ""}点单已取消：${reason}`,
      link: `/school-orders/${id}`,
    });
  });
}

/** After the date the school confirms delivery with the students reached, or reports it did not take place. */
export async function confirmDelivery(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { held: boolean; students: number; version: number },
): Promise<void> {
  const side = await sideOf(ctx, actor);
  if (side.kind !== "school") throw new AppError("FORBIDDEN", "只有点单学校可以确认");
  const order = await loadOrder(ctx, actor, side, id);
  assertStep(order, input.held ? "confirm_delivery" : "report_not_held", "school", input.version);
  if (!order.scheduled_date || today(ctx) < order.scheduled_date)
    throw new AppError("CONFLICT", `活动日期（${order.scheduled_date}）之后才能确认。`);
  if (input.held && (!Number.isInteger(input.students) || input.students < 1))
    throw new AppError("VALIDATION", "请填写实际参加的学生人数", { students: "请填写实际参加的学生人数" });
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await moveOrder(
      trx,
      order,
      now,
      input.held ? { status: "delivered", delivered_students: input.students } : { status: "not_held" },
    );
    await recordAudit(ctx, trx, actor, {
      action: input.held ? "school_order.confirm_delivery" : "school_order.not_held",
      targetType: "school_order",
      targetId: id,
      detail: input.held ? { students: input.students } : {},
    });
    await notify(ctx, trx, {
      userIds: await baseAccountIds(trx, order.base_id),
      kind: input.held ? "school_order.delivered" : "school_order.not_held",
      title: input.held ? "学校已确认完成" : "学校报告活动未开展",
      body: input.held
        ? `学校确认 ${order.scheduled_date} 的活动已完成，${input.students}名学生参加。请在活动列表中填写活动小结。`
        : `学校报告 ${order.scheduled_date} 的活动未开展，如有异议请联系县级科协。`,
      link: `/school-orders/${id}`,
    });
  });
}

export interface RatingInput {
  content: number;
  organization: number;
  safety: number;
  comment: string;
  version: number;
}

/** 1–5 for content, organization and safety, plus a comment; the item's average and count move with it. */
export async function rateOrder(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: RatingInput,
): Promise<void> {
  const side = await sideOf(ctx, actor);
  if (side.kind !== "school") throw new AppError("FORBIDDEN", "只有点单学校可以评价");
  const order = await loadOrder(ctx, actor, side, id);
  assertStep(order, "rate", "school", input.version);
  if (order.rated_at) throw new AppError("CONFLICT", "已评价过该点单");
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await moveOrder(trx, order, now, {
      rating_content: input.content,
      rating_organization: input.organization,
      rating_safety: input.safety,
      rating_comment: input.comment.trim(),
      rated_at: now,
    });
    await trx
      .updateTable("school_items")
      .set((eb) => ({
        rating_count: eb("rating_count", "+", 1),
        rating_sum: eb("rating_sum", "+", input.content + input.organization + input.safety),
      }))
      .where("id", "=", order.item_id)
      .execute();
    await bumpGeneration(trx, "school_services");
    await recordAudit(ctx, trx, actor, {
      action: "school_order.rate",
      targetType: "school_order",
      targetId: id,
      detail: { content: input.content, organization: input.organization, safety: input.safety },
    });
    await notify(ctx, trx, {
      userIds: await baseAccountIds(trx, order.base_id),
      kind: "school_order.rated",
      title: "学校发表了评价",
      body: `内容${input.content}分、组织${input.organization}分、安全${input.safety}分。可在点单详情中公开回复。`,
      link: `/school-orders/${id}`,
    });
  });
}

/** The base's public reply to a rating. */
export async function replyToRating(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { reply: string; version: number },
): Promise<void> {
  const side = await sideOf(ctx, actor);
  if (side.kind !== "base") throw new AppError("FORBIDDEN", "只有提供项目的基地可以回复");
  const order = await loadOrder(ctx, actor, side, id);
  assertStep(order, "reply", "base", input.version);
  if (!order.rated_at) throw new AppError("CONFLICT", "学校尚未评价");
  const reply = input.reply.trim();
  if (!reply) throw new AppError("VALIDATION", "请填写回复内容", { reply: "请填写回复内容" });
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await moveOrder(trx, order, now, { reply, replied_at: now });
    await bumpGeneration(trx, "school_services");
    await recordAudit(ctx, trx, actor, {
      action: "school_order.reply",
      targetType: "school_order",
      targetId: id,
      detail: { reply },
    });
    await notify(ctx, trx, {
      userIds: [order.school_id],
      kind: "school_order.replied",
      title: "基地回复了评价",
      body: reply,
      link: `/school-orders/${id}`,
    });
  });
}

// ---- reading ----

export interface OrderView {
  id: string;
  itemId: string;
  itemTitle: string;
  baseName: string;
  schoolName: string;
  preferredDates: string[];
  classes: number;
  students: number;
  contactName: string;
  contactPhone: string;
  notes: string;
  status: SchoolOrderStatus;
  statusLabel: string;
  scheduledDate: string | null;
  proposedDate: string | null;
  reason: string | null;
  answerDueAt: string;
  activityId: string | null;
  cancelledBy: "school" | "base" | null;
  lateCancel: boolean;
  deliveredStudents: number | null;
  rating: { content: number; organization: number; safety: number; comment: string } | null;
  reply: string | null;
  createdAt: string;
  version: number;
}

const orderRows = (db: Kysely<DB>) =>
  db
    .selectFrom("school_orders")
    .innerJoin("school_items", "school_items.id", "school_orders.item_id")
    .innerJoin("bases", "bases.id", "school_orders.base_id")
    .innerJoin("users", "users.id", "school_orders.school_id")
    .selectAll("school_orders")
    .select([
      "school_items.title as item_title",
      "bases.name as base_name",
      "users.display_name as school_name",
    ]);

type OrderRow = SchoolOrder & { item_title: string; base_name: string; school_name: string };

function orderView(r: OrderRow): OrderView {
  return {
    id: r.id,
    itemId: r.item_id,
    itemTitle: r.item_title,
    baseName: r.base_name,
    schoolName: r.school_name,
    preferredDates: JSON.parse(r.preferred_dates) as string[],
    classes: r.classes,
    students: r.students,
    contactName: r.contact_name,
    contactPhone: r.contact_phone,
    notes: r.notes,
    status: r.status,
    statusLabel: ORDER_STATUS_LABELS[r.status],
    scheduledDate: r.scheduled_date,
    proposedDate: r.proposed_date,
    reason: r.reason,
    answerDueAt: r.answer_due_at,
    activityId: r.activity_id,
    cancelledBy: r.cancelled_by,
    lateCancel: r.late_cancel === 1,
    deliveredStudents: r.delivered_students,
    rating:
      r.rated_at && r.rating_content
        ? {
            content: r.rating_content,
            organization: r.rating_organization ?? 0,
            safety: r.rating_safety ?? 0,
            comment: r.rating_comment ?? "",
          }
        : null,
    reply: r.reply,
    createdAt: r.created_at,
    version: r.version,
  };
}

export const ORDERS_PAGE_SIZE = 20;

/**
 * The orders the actor may see, newest first, keyset on (created_at, id): a school its own, a base
 * those for its items, county staff their county's (optionally only the 派单 queue).
 */
export async function listOrders(
  ctx: AppContext,
  actor: Actor,
  opts: { status?: SchoolOrderStatus; before?: OrderCursor | null } = {},
): Promise<{ side: Side["kind"]; rows: OrderView[]; more: boolean }> {
  const side = await sideOf(ctx, actor);
  let q = orderRows(ctx.db);
  if (side.kind === "school") q = q.where("school_orders.school_id", "=", side.me.id);
  else if (side.kind === "base") q = q.where("school_orders.base_id", "=", side.baseId);
  else q = q.where("school_orders.base_region_code", "in", side.scope);
  if (opts.status) q = q.where("school_orders.status", "=", opts.status);
  if (opts.before) {
    const b = opts.before;
    q = q.where((eb) =>
      eb.or([
        eb("school_orders.created_at", "<", b.createdAt),
        eb.and([eb("school_orders.created_at", "=", b.createdAt), eb("school_orders.id", "<", b.id)]),
      ]),
    );
  }
  const rows = await q
    .orderBy("school_orders.created_at", "desc")
    .orderBy("school_orders.id", "desc")
    // One more than a page: whether older orders follow.
    .limit(ORDERS_PAGE_SIZE + 1)
    .execute();
  return {
    side: side.kind,
    rows: rows.slice(0, ORDERS_PAGE_SIZE).map(orderView),
    more: rows.length > ORDERS_PAGE_SIZE,
  };
}

export async function getOrder(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<{ side: Side["kind"]; order: OrderView }> {
  // Roles with no work on orders get the same 404 as for anyone else's order.
  const side = await sideOf(ctx, actor).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "FORBIDDEN") throw new AppError("NOT_FOUND", "未找到该记录");
    throw e;
  });
  await loadOrder(ctx, actor, side, id);
  const row = await orderRows(ctx.db).where("school_orders.id", "=", id).executeTakeFirstOrThrow();
  return { side: side.kind, order: orderView(row) };
}

/** Sessions still free in a week of an item (for the order form's hint). */
export async function freeSessions(
  db: Kysely<DB>,
  itemId: string,
  week: string,
  cap: number,
): Promise<number> {
  const row = await db
    .selectFrom("school_item_weeks")
    .select("booked")
    .where("item_id", "=", itemId)
    .where("week", "=", week)
    .executeTakeFirst();
  return Math.max(0, cap - Number(row?.booked ?? 0));
}

export { HOLDING_STATUSES };
