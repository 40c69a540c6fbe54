import type { Insertable, Kysely } from "kysely";
import { usccCheckChar } from "#src/modules/accounts/uscc.rules.ts";
import { shanghaiDate } from "#src/modules/notifications/notifications.rules.ts";
import { bumpGeneration } from "#src/platform/cache/generations.server.ts";
import type { AppContext } from "#src/platform/context.ts";
import type {
  DB,
  SchoolItemKind,
  SchoolItemStatus,
  SchoolItemsTable,
  SchoolOrderStatus,
  SchoolOrdersTable,
} from "#src/platform/db/schema.ts";
import { newId } from "#src/platform/ids.ts";
import { enqueueJob } from "#src/platform/jobs/jobs.server.ts";
import { announceAcceptedOrder, DISPATCH_JOB } from "../schools/school-orders.server.ts";
import {
  addDays,
  answerDueAt,
  GRADES,
  type Grade,
  SUBJECTS,
  type Subject,
  sessionsNeeded,
  toMask,
  weekdayIndex,
  weekOf,
} from "../schools/schools.rules.ts";
import type { DemoAccount } from "./seed-demo.server.ts";
import { markDemoVerified } from "./seed-demo-verification.server.ts";

/** The six demo schools, one or two per county; every name says it is demo data. */
const SCHOOLS: { name: string; region: string; stages: string[]; address: string }[] = [
  { name: "衢州市演示实验小学（演示数据）", region: "330802", stages: ["小学"], address: "柯城区演示路1号" },
  {
    name: "衢州市演示第一初级中学（演示数据）",
    region: "330802",
    stages: ["初中"],
    address: "柯城区演示路8号",
  },
  { name: "衢江区演示中心小学（演示数据）", region: "330803", stages: ["小学"], address: "衢江区演示街12号" },
  {
    name: "龙游县演示九年一贯制学校（演示数据）",
    region: "330825",
    stages: ["九年一贯"],
    address: "龙游县演示路3号",
  },
  {
    name: "江山市演示高级中学（演示数据）",
    region: "330881",
    stages: ["高中"],
    address: "江山市演示大道66号",
  },
  { name: "常山县演示实验小学（演示数据）", region: "330822", stages: ["小学"], address: "常山县演示路20号" },
];
const COUNTIES = SCHOOLS.map((s) => s.region).filter((r, i, all) => all.indexOf(r) === i);

const ITEMS: { title: string; kind: SchoolItemKind; subjects: Subject[]; grades: Grade[] }[] = [
  {
    title: "星空探秘：移动天文馆进校园",
    kind: "outreach",
    subjects: ["天文"],
    grades: ["小学中段", "小学高段"],
  },
  { title: "趣味物理实验秀", kind: "outreach", subjects: ["物理"], grades: ["小学高段", "初中"] },
  { title: "科技馆研学一日营", kind: "visit", subjects: ["工程技术", "物理"], grades: ["小学高段", "初中"] },
  {
    title: "人工智能启蒙：和机器人对话",
    kind: "online",
    subjects: ["人工智能", "信息技术"],
    grades: ["初中", "高中"],
  },
  {
    title: "湿地生态观察课",
    kind: "visit",
    subjects: ["生态环保", "生物"],
    grades: ["小学中段", "小学高段"],
  },
  {
    title: "柑橘种植与劳动实践",
    kind: "visit",
    subjects: ["农业", "劳动实践"],
    grades: ["小学中段", "初中"],
  },
  {
    title: "防震减灾安全课堂",
    kind: "outreach",
    subjects: ["安全应急", "地理"],
    grades: ["小学低段", "小学中段"],
  },
  {
    title: "急救小达人：心肺复苏体验",
    kind: "outreach",
    subjects: ["医学健康", "安全应急"],
    grades: ["初中", "高中"],
  },
  { title: "化学魔法：身边的化学反应", kind: "outreach", subjects: ["化学"], grades: ["初中", "高中"] },
  {
    title: "非遗造纸技艺研学",
    kind: "visit",
    subjects: ["传统文化", "劳动实践"],
    grades: ["小学高段", "初中"],
  },
  { title: "气象观测站开放日", kind: "visit", subjects: ["地理"], grades: ["小学中段", "小学高段"] },
  { title: "编程入门：点亮一盏灯", kind: "online", subjects: ["信息技术"], grades: ["小学高段", "初中"] },
  { title: "昆虫世界显微观察", kind: "outreach", subjects: ["生物"], grades: ["小学低段", "小学中段"] },
  { title: "水电站里的能量转换", kind: "visit", subjects: ["工程技术", "物理"], grades: ["初中", "高中"] },
  { title: "垃圾分类与资源循环", kind: "outreach", subjects: ["生态环保"], grades: ["小学低段", "小学中段"] },
  { title: "地质公园岩石识别", kind: "visit", subjects: ["地理"], grades: ["初中", "高中"] },
  {
    title: "无人机原理与试飞",
    kind: "outreach",
    subjects: ["工程技术", "人工智能"],
    grades: ["初中", "高中"],
  },
  {
    title: "中医药植物认知课",
    kind: "online",
    subjects: ["医学健康", "传统文化"],
    grades: ["小学高段", "初中"],
  },
  {
    title: "3D打印创客工作坊",
    kind: "visit",
    subjects: ["工程技术", "信息技术"],
    grades: ["小学高段", "初中"],
  },
  {
    title: "食品安全小卫士",
    kind: "online",
    subjects: ["医学健康", "化学"],
    grades: ["小学中段", "小学高段"],
  },
];
/** The last two items show the county's review: one awaiting it, one returned. */
const itemStatus = (i: number): SchoolItemStatus =>
  i === 18 ? "pending" : i === 19 ? "returned" : "approved";

/** Monday to Friday. */
const WEEKDAY_MASK = 0b0011111;
const PER_SESSION = 60;

/** The next Monday–Friday on or after `date`. */
function weekday(date: string): string {
  let d = date;
  while (weekdayIndex(d) > 4) d = addDays(d, 1);
  return d;
}

interface OrderPlan {
  status: SchoolOrderStatus;
  /** Days from today the order was placed (negative: in the past). */
  placed: number;
  /** Days from today of the first preferred date. */
  date: number;
  students: number;
  rating?: [number, number, number, string];
  reply?: string;
  reason?: string;
  cancelledBy?: "school" | "base";
  late?: boolean;
  proposed?: number;
  /** On the 龙游县 base's item, so its county's 派单 queue holds it. */
  longyou?: boolean;
}

/** Every state an order can be in, at dates around today. */
const ORDERS: OrderPlan[] = [
  { status: "ordered", placed: -1, date: 10, students: 45 },
  { status: "proposed", placed: -2, date: 8, proposed: 15, students: 50, reason: "原日期馆内有团队预约" },
  { status: "accepted", placed: -6, date: 7, students: 55 },
  { status: "declined", placed: -9, date: 6, students: 40, reason: "该周讲解员外出培训，请改约其他周" },
  { status: "dispatch", placed: -9, date: 12, students: 48, longyou: true },
  {
    status: "closed",
    placed: -30,
    date: -20,
    students: 35,
    reason: "基地未能接单，学校已另行安排，县科协关闭点单",
  },
  {
    status: "cancelled",
    placed: -10,
    date: 5,
    students: 42,
    reason: "学校期中考试调整",
    cancelledBy: "school",
  },
  {
    status: "cancelled",
    placed: -12,
    date: 1,
    students: 38,
    reason: "讲解员临时生病",
    cancelledBy: "base",
    late: true,
  },
  {
    status: "delivered",
    placed: -40,
    date: -25,
    students: 58,
    rating: [5, 5, 5, "讲解生动，孩子们收获很大。"],
    reply: "感谢老师和同学们的认可，欢迎再来！",
  },
  {
    status: "delivered",
    placed: -30,
    date: -14,
    students: 52,
    rating: [4, 5, 4, "内容充实，互动环节可以再多一些。"],
  },
  { status: "delivered", placed: -20, date: -6, students: 47 },
  { status: "not_held", placed: -28, date: -16, students: 44 },
];

const OPEN: readonly SchoolOrderStatus[] = [
  "ordered",
  "proposed",
  "accepted",
  "dispatch",
  "delivered",
  "not_held",
];
const ANNOUNCED: readonly SchoolOrderStatus[] = ["accepted", "delivered", "not_held"];

/**
 * 科普助力双减 demo data (issue 17): six schools (each named 演示数据, with a login), 20 catalogue
 * items across the demo bases (18 public, one awaiting review, one returned) and orders in every
 * state on the items of the base with the demo org login, one of them in 龙游县's 派单 queue. Accepted
 * and delivered orders carry the 活动预告 接单 writes. A few statements in one transaction.
 */
export async function seedDemoSchools(ctx: AppContext, passwordHash: string): Promise<DemoAccount[]> {
  const now = ctx.clock.now();
  const iso = now.toISOString();
  const today = shanghaiDate(now);
  const at = (days: number) => new Date(now.getTime() + days * 86400_000).toISOString();
  const db = ctx.db;
  const bases = await db
    .selectFrom("bases")
    .leftJoin("base_accounts", "base_accounts.base_id", "bases.id")
    .select(["bases.id", "bases.region_code", "base_accounts.user_id as userId"])
    .where("bases.status", "=", "active")
    // The base with a demo login first, so its 点单 list shows every state.
    .orderBy((eb) => eb.case().when("base_accounts.user_id", "is", null).then(1).else(0).end())
    .orderBy("bases.uscc")
    .execute();
  const office = await db
    .selectFrom("users")
    .select("id")
    .where("username", "=", "office")
    .executeTakeFirst();
  const county = await db
    .selectFrom("users")
    .select(["id", "region_code"])
    .where("role", "=", "county")
    .execute();
  if (bases.length === 0 || !office) return [];
  // Ten bases with two items each; the 龙游县 base (if any) among them.
  const longyouBase = bases.find((b) => b.region_code === "330825");
  const picked = [...bases.slice(0, 10)];
  if (longyouBase && !picked.includes(longyouBase)) picked[picked.length - 1] = longyouBase;

  const accounts: DemoAccount[] = [];
  await db.transaction().execute(async (trx) => {
    const schoolIds: string[] = [];
    for (const [i, s] of SCHOOLS.entries()) {
      const body = `12${s.region}MX${String(i + 1).padStart(7, "0")}`;
      const uscc = body + usccCheckChar(body);
      const id = newId();
      schoolIds.push(id);
      await trx
        .insertInto("users")
        .values({
          id,
          role: "school",
          username: null,
          uscc,
          display_name: s.name,
          contact_name: "周老师（演示）",
          phone: "13800000000",
          region_code: s.region,
          password_hash: passwordHash,
          must_change_password: 0,
          disabled_at: null,
          last_login_at: null,
          created_at: iso,
          updated_at: iso,
        })
        .execute();
      await trx
        .insertInto("school_profiles")
        .values({
          user_id: id,
          stages: JSON.stringify(s.stages),
          address: s.address,
          created_at: iso,
          updated_at: iso,
        })
        .execute();
      await markDemoVerified(trx, id, iso);
      if (i === 0)
        accounts.push({ role: "school", kind: "org", login: uscc, name: s.name, regionCode: s.region });
    }

    const items: (Insertable<SchoolItemsTable> & { id: string; base_id: string; region_code: string })[] = [];
    for (const [i, def] of ITEMS.entries()) {
      const base = picked[i % picked.length];
      const status = itemStatus(i);
      const reviewer = county.find((c) => c.region_code === base.region_code)?.id ?? office.id;
      items.push({
        id: newId(),
        base_id: base.id,
        region_code: base.region_code,
        title: def.title,
        kind: def.kind,
        subject_mask: toMask(SUBJECTS, def.subjects),
        grade_mask: toMask(GRADES, def.grades),
        weekday_mask: WEEKDAY_MASK,
        duration_minutes: def.kind === "visit" ? 180 : 90,
        students_per_session: PER_SESSION,
        sessions_per_week: 3 + (i % 3),
        available_from: addDays(today, -90),
        available_to: addDays(today, 180),
        fee: i % 4 === 3 ? "discount" : "free",
        fee_note: i % 4 === 3 ? "材料费每人10元（演示数据）" : "",
        description: `${def.title}：由基地科普讲解员带领学生动手探究。（演示数据）`,
        prepare:
          def.kind === "outreach"
            ? "多媒体教室一间，投影设备"
            : def.kind === "visit"
              ? "往返交通及带队老师"
              : "能上网的教室和投影",
        safety_notes: "学生须在老师带领下活动，遵守场馆安全须知。",
        status,
        review_reason: status === "returned" ? "请补充安全预案和每场人数说明。" : null,
        reviewed_by: status === "pending" ? null : reviewer,
        reviewed_at: status === "pending" ? null : at(-60),
        published_at: status === "approved" ? at(-60) : null,
        created_by: base.userId ?? reviewer,
        created_at: at(-61),
        updated_at: at(-60),
      });
    }
    await trx.insertInto("school_items").values(items).execute();
    await trx
      .insertInto("school_item_counties")
      .values(
        items.flatMap((it) =>
          COUNTIES.map((c) => ({
            item_id: it.id,
            county_code: c,
            public: it.status === "approved" ? 1 : 0,
            published_at: it.published_at ?? null,
          })),
        ),
      )
      .execute();

    // Orders on the first base's approved items (the one with a demo login), the 派单 one in 龙游县.
    const approved = items.filter((it) => it.status === "approved");
    const own = approved.filter((it) => it.base_id === picked[0].id);
    const longyouItem = approved.find((it) => it.region_code === "330825") ?? approved[0];
    const weeks = new Map<string, number>();
    const orders: Insertable<SchoolOrdersTable>[] = [];
    for (const [i, o] of ORDERS.entries()) {
      const item = o.longyou ? longyouItem : own[i % own.length];
      const school = SCHOOLS[i % SCHOOLS.length];
      const placedAt = at(o.placed);
      const first = weekday(addDays(today, o.date));
      const dates = [first, weekday(addDays(first, 2))];
      const answered = !["ordered", "dispatch"].includes(o.status) && !(o.status === "closed");
      const scheduled = ["accepted", "delivered", "not_held", "cancelled"].includes(o.status) ? first : null;
      const sessions = sessionsNeeded(o.students, PER_SESSION);
      const held = OPEN.includes(o.status)
        ? weekOf(o.status === "proposed" ? weekday(addDays(today, o.proposed ?? o.date)) : first)
        : null;
      if (held) weeks.set(`${item.id}|${held}`, (weeks.get(`${item.id}|${held}`) ?? 0) + sessions);
      const minutes = 60 * (3 + i * 5);
      const rated = o.rating ? at(o.date + 1) : null;
      orders.push({
        id: newId(),
        item_id: item.id,
        base_id: item.base_id,
        base_region_code: item.region_code,
        school_id: schoolIds[i % schoolIds.length],
        school_region_code: school.region,
        preferred_dates: JSON.stringify(dates),
        classes: Math.ceil(o.students / 45),
        students: o.students,
        sessions,
        contact_name: "周老师（演示）",
        contact_phone: "13800000000",
        notes: "",
        status: o.status,
        held_week: held,
        scheduled_date: scheduled,
        proposed_date: o.proposed != null ? weekday(addDays(today, o.proposed)) : null,
        reason: o.reason ?? null,
        answer_due_at: answerDueAt(placedAt),
        answered_at: answered
          ? new Date(new Date(placedAt).getTime() + minutes * 60_000).toISOString()
          : null,
        answer_minutes: answered ? minutes : null,
        activity_id: null,
        cancelled_by: o.cancelledBy ?? null,
        late_cancel: o.late ? 1 : 0,
        delivered_students: o.status === "delivered" ? o.students - 2 : null,
        rating_content: o.rating?.[0] ?? null,
        rating_organization: o.rating?.[1] ?? null,
        rating_safety: o.rating?.[2] ?? null,
        rating_comment: o.rating?.[3] ?? null,
        rated_at: rated,
        reply: o.reply ?? null,
        replied_at: o.reply ? at(o.date + 2) : null,
        reassigned_from: null,
        created_at: placedAt,
        updated_at: rated ?? placedAt,
      });
    }
    await trx.insertInto("school_orders").values(orders).execute();
    if (weeks.size)
      await trx
        .insertInto("school_item_weeks")
        .values(
          [...weeks].map(([key, booked]) => {
            const [item_id, week] = key.split("|");
            return { item_id, week, booked };
          }),
        )
        .execute();
    for (const it of items) {
      const rated = orders.filter((o) => o.item_id === it.id && o.rating_content != null);
      if (!rated.length) continue;
      await trx
        .updateTable("school_items")
        .set({
          rating_count: rated.length,
          rating_sum: rated.reduce(
            (n, o) => n + (o.rating_content ?? 0) + (o.rating_organization ?? 0) + (o.rating_safety ?? 0),
            0,
          ),
        })
        .where("id", "=", it.id)
        .execute();
    }
    await announceOrders(ctx, trx, orders, items, office.id);
    // The unanswered order goes to 派单 when its 3 working days are up, as a real one does.
    for (const o of orders.filter((x) => x.status === "ordered"))
      await enqueueJob(trx, ctx, {
        kind: DISPATCH_JOB,
        runAt: o.answer_due_at,
        uniqueKey: `${DISPATCH_JOB}:${o.id}`,
        payload: { orderId: o.id },
      });
    await bumpGeneration(trx, "school_services");
  });
  return accounts;
}

/** The 活动预告 of the accepted, delivered and not-held orders, written as 接单 writes it. */
async function announceOrders(
  ctx: AppContext,
  trx: Kysely<DB>,
  orders: Insertable<SchoolOrdersTable>[],
  items: { id: string; created_by: string }[],
  fallback: string,
): Promise<void> {
  for (const o of orders) {
    if (!ANNOUNCED.includes(o.status)) continue;
    const by = items.find((it) => it.id === o.item_id)?.created_by ?? fallback;
    const activityId = await announceAcceptedOrder(ctx, trx, o.id, by);
    await trx.updateTable("school_orders").set({ activity_id: activityId }).where("id", "=", o.id).execute();
  }
}
