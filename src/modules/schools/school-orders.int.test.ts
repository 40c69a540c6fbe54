import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { listBaseActivities, listPublicActivities } from "#src/modules/activities/activities.server.ts";
import { fixedClock } from "#src/platform/clock.ts";
import type { AppContext } from "#src/platform/context.ts";
import { runDueJobs } from "#src/platform/jobs/jobs.server.ts";
import { actorOf, createUserRecord, errorOf, type MadeUser } from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { getPublicItem } from "./school-items.server.ts";
import {
  answerOrder,
  cancelOrder,
  confirmDelivery,
  FULL,
  getOrder,
  listOrders,
  ORDERS_PAGE_SIZE,
  placeOrder,
  rateOrder,
  reassignOrder,
  replyToRating,
  respondToProposal,
  SCHOOL_JOB_HANDLERS,
  similarItems,
} from "./school-orders.server.ts";
import { approvedItem, baseWithOrg } from "./schools.fixtures.ts";
import { orderSchema } from "./schools.schema.ts";

// Monday 2 March 2026, 10:00 Beijing.
const START = "2026-03-02T02:00:00.000Z";
const clock = fixedClock(START);
let t: TestContext;
let ctx: AppContext;
let longyou: MadeUser;
let jiangshan: MadeUser;
let org: MadeUser;
let org2: MadeUser;
let jiangshanOrg: MadeUser;
let school: MadeUser;
let school2: MadeUser;

const order = (over: Record<string, string> = {}) =>
  orderSchema.parse({
    dates: "2026-03-10,2026-03-12",
    classes: "2",
    students: "80",
    contactName: "李老师",
    contactPhone: "13800001111",
    ...over,
  });
const versionOf = async (id: string) =>
  (await ctx.db.selectFrom("school_orders").select("version").where("id", "=", id).executeTakeFirstOrThrow())
    .version;
const inbox = async (userId: string) =>
  (await ctx.db.selectFrom("notifications").select("kind").where("user_id", "=", userId).execute()).map(
    (n) => n.kind,
  );

beforeAll(async () => {
  t = await createTestContext({ clock });
  ctx = t.ctx;
  longyou = await createUserRecord(ctx, { role: "county", regionCode: "330825" });
  jiangshan = await createUserRecord(ctx, { role: "county", regionCode: "330881" });
  ({ org } = await baseWithOrg(ctx, "330825", "龙游天文科普教育基地"));
  ({ org: org2 } = await baseWithOrg(ctx, "330825", "龙游生物科普教育基地"));
  ({ org: jiangshanOrg } = await baseWithOrg(ctx, "330881"));
  school = await createUserRecord(ctx, { role: "school", regionCode: "330825" });
  school2 = await createUserRecord(ctx, { role: "school", regionCode: "330825" });
});
beforeEach(() => clock.set(START));
afterAll(async () => {
  await t?.close();
});

describe("点单 against capacity", () => {
  it("two schools ordering the last session at once: exactly one is booked, the other is told the week is full", async () => {
    const itemId = await approvedItem(ctx, org, longyou, { sessionsPerWeek: "1", title: "最后一场" });
    const results = await Promise.allSettled([
      placeOrder(ctx, actorOf(school), itemId, order({ dates: "2026-03-10", students: "40" })),
      placeOrder(ctx, actorOf(school2), itemId, order({ dates: "2026-03-12", students: "40" })),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(lost.reason.code).toBe("CONFLICT");
    expect(lost.reason.message).toBe(FULL);
    const booked = await ctx.db
      .selectFrom("school_orders")
      .select("id")
      .where("item_id", "=", itemId)
      .execute();
    expect(booked).toHaveLength(1);
    // The next week still has its session.
    await placeOrder(ctx, actorOf(school2), itemId, order({ dates: "2026-03-17", students: "40" }));
  });

  it("checks the dates, the county served and the size beside the fields", async () => {
    const itemId = await approvedItem(ctx, org, longyou, { counties: "330825" });
    const monday = await errorOf(placeOrder(ctx, actorOf(school), itemId, order({ dates: "2026-03-09" })));
    expect(monday.fieldErrors?.dates).toContain("该项目只在周二、周四开展");
    const big = await errorOf(placeOrder(ctx, actorOf(school), itemId, order({ students: "500" })));
    expect(big.fieldErrors?.students).toBeTruthy();
    const far = await createUserRecord(ctx, { role: "school", regionCode: "330881" });
    expect((await errorOf(placeOrder(ctx, actorOf(far), itemId, order()))).code).toBe("VALIDATION");
    const unverified = await createUserRecord(ctx, { role: "school", verified: false });
    expect((await errorOf(placeOrder(ctx, actorOf(unverified), itemId, order()))).code).toBe("FORBIDDEN");
  });
});

describe("接单 and delivery", () => {
  it("acceptance creates the base's 请进来 activity tagged with the 双减 campaign; after the date the school confirms and rates", async () => {
    const campaign = "01900000-0000-7000-8000-0000000000aa";
    await ctx.db
      .insertInto("campaigns")
      .values({
        id: campaign,
        kind: "double_reduction",
        title: "2026年双减进校园",
        year: 2026,
        starts_on: "2026-03-01",
        ends_on: "2026-06-30",
        created_by: null,
        created_at: START,
        updated_at: START,
      })
      .execute();
    const itemId = await approvedItem(ctx, org, longyou, { title: "评价测试", kind: "visit" });
    const id = await placeOrder(ctx, actorOf(school), itemId, order());
    expect(await inbox(org.id)).toContain("school_order.created");
    const wrongDate = await errorOf(
      answerOrder(ctx, actorOf(org), id, { action: "accept", date: "2026-03-19", reason: "", version: 1 }),
    );
    expect(wrongDate.fieldErrors?.date).toBeTruthy();
    await answerOrder(ctx, actorOf(org), id, {
      action: "accept",
      date: "2026-03-12",
      reason: "",
      version: 1,
    });
    const { order: accepted } = await getOrder(ctx, actorOf(school), id);
    expect(accepted.status).toBe("accepted");
    const activity = await ctx.db
      .selectFrom("activities")
      .selectAll()
      .where("id", "=", accepted.activityId!)
      .executeTakeFirstOrThrow();
    expect(activity).toMatchObject({ direction: "in", type: "study_tour", expected_participants: 80 });
    expect(activity.starts_at).toBe("2026-03-12T01:00:00.000Z");
    const tags = await ctx.db
      .selectFrom("activity_campaigns")
      .select("campaign_id")
      .where("activity_id", "=", activity.id)
      .execute();
    expect(tags.map((c) => c.campaign_id)).toEqual([campaign]);
    expect(await inbox(school.id)).toContain("school_order.accept");

    // Before the date: nothing to confirm yet.
    const early = await errorOf(
      confirmDelivery(ctx, actorOf(school), id, { held: true, students: 78, version: accepted.version }),
    );
    expect(early.code).toBe("CONFLICT");
    clock.set("2026-03-12T10:00:00.000Z");
    await confirmDelivery(ctx, actorOf(school), id, { held: true, students: 78, version: accepted.version });
    await rateOrder(ctx, actorOf(school), id, {
      content: 5,
      organization: 4,
      safety: 5,
      comment: "孩子们很喜欢",
      version: await versionOf(id),
    });
    const again = await errorOf(
      rateOrder(ctx, actorOf(school), id, {
        content: 1,
        organization: 1,
        safety: 1,
        comment: "",
        version: await versionOf(id),
      }),
    );
    expect(again.code).toBe("CONFLICT");
    await replyToRating(ctx, actorOf(org), id, { reply: "谢谢，欢迎再来", version: await versionOf(id) });
    const pub = await getPublicItem(ctx, itemId);
    expect(pub?.item.rating).toBe(4.7);
    expect(pub?.item.ratingCount).toBe(1);
    expect(pub?.ratings[0]).toMatchObject({
      content: 5,
      organization: 4,
      safety: 5,
      comment: "孩子们很喜欢",
      reply: "谢谢，欢迎再来",
    });
  });

  it("a proposed date waits for the school; declining needs a reason", async () => {
    const itemId = await approvedItem(ctx, org, longyou, { title: "改期测试", kind: "outreach" });
    const a = await placeOrder(ctx, actorOf(school), itemId, order());
    await answerOrder(ctx, actorOf(org), a, {
      action: "propose",
      date: "2026-03-26",
      reason: "",
      version: 1,
    });
    await respondToProposal(ctx, actorOf(school), a, { accept: true, version: 2 });
    const { order: moved } = await getOrder(ctx, actorOf(org), a);
    expect(moved).toMatchObject({ status: "accepted", scheduledDate: "2026-03-26" });
    const act = await ctx.db
      .selectFrom("activities")
      .select("direction")
      .where("id", "=", moved.activityId!)
      .executeTakeFirstOrThrow();
    expect(act.direction).toBe("out");
    const b = await placeOrder(ctx, actorOf(school), itemId, order());
    const noReason = await errorOf(
      answerOrder(ctx, actorOf(org), b, { action: "decline", date: "", reason: " ", version: 1 }),
    );
    expect(noReason.fieldErrors?.reason).toBe("请填写婉拒理由");
    await answerOrder(ctx, actorOf(org), b, {
      action: "decline",
      date: "",
      reason: "本周场馆检修",
      version: 1,
    });
    expect((await getOrder(ctx, actorOf(school), b)).order).toMatchObject({
      status: "declined",
      reason: "本周场馆检修",
    });
  });

  it("counts a cancellation on the day before the date as late", async () => {
    const itemId = await approvedItem(ctx, org, longyou, { title: "取消测试" });
    const id = await placeOrder(ctx, actorOf(school), itemId, order());
    await answerOrder(ctx, actorOf(org), id, {
      action: "accept",
      date: "2026-03-10",
      reason: "",
      version: 1,
    });
    clock.set("2026-03-09T03:00:00.000Z");
    await cancelOrder(ctx, actorOf(org), id, { reason: "讲解员生病", version: 2 });
    expect((await getOrder(ctx, actorOf(school), id)).order).toMatchObject({
      status: "cancelled",
      cancelledBy: "base",
      lateCancel: true,
    });
    expect(await inbox(school.id)).toContain("school_order.cancelled");
  });
});

describe("cancelling an accepted order", () => {
  it("withdraws its 活动预告 from the calendar and the base's list, and frees the session", async () => {
    const itemId = await approvedItem(ctx, org, longyou, { title: "撤回预告测试", sessionsPerWeek: "1" });
    const id = await placeOrder(ctx, actorOf(school), itemId, order({ dates: "2026-03-10", students: "40" }));
    await answerOrder(ctx, actorOf(org), id, {
      action: "accept",
      date: "2026-03-10",
      reason: "",
      version: 1,
    });
    const { order: accepted } = await getOrder(ctx, actorOf(school), id);
    const activityId = accepted.activityId!;
    const baseId = (
      await ctx.db
        .selectFrom("activities")
        .select("base_id")
        .where("id", "=", activityId)
        .executeTakeFirstOrThrow()
    ).base_id;
    const calendar = async () => (await listPublicActivities(ctx, { baseId })).items.map((a) => a.id);
    expect(await calendar()).toContain(activityId);

    await cancelOrder(ctx, actorOf(school), id, { reason: "学校临时安排考试", version: 2 });

    expect(await calendar()).not.toContain(activityId);
    expect(JSON.stringify(await listBaseActivities(ctx, baseId))).not.toContain(activityId);
    expect(
      await ctx.db
        .selectFrom("activity_campaigns")
        .select("campaign_id")
        .where("activity_id", "=", activityId)
        .execute(),
    ).toEqual([]);
    expect((await getOrder(ctx, actorOf(school), id)).order).toMatchObject({
      status: "cancelled",
      cancelledBy: "school",
      activityId: null,
    });
    const audit = await ctx.db
      .selectFrom("audit_events")
      .select(["action", "target_id"])
      .where("action", "=", "activity.withdraw")
      .where("target_id", "=", activityId)
      .execute();
    expect(audit).toHaveLength(1);
    // The week's only session is free again: another school can book it.
    await placeOrder(ctx, actorOf(school2), itemId, order({ dates: "2026-03-10", students: "40" }));
  });
});

describe("派单", () => {
  it("an order unanswered for 3 working days goes to the county's queue; reassignment notifies the new base", async () => {
    const itemId = await approvedItem(ctx, org, longyou, { title: "超时测试", grades: "初中" });
    const similar = await approvedItem(ctx, org2, longyou, { title: "相似项目", grades: "初中" });
    const id = await placeOrder(ctx, actorOf(school), itemId, order());
    // Thursday 23:59 Beijing is still inside the 3rd working day.
    clock.set("2026-03-05T15:59:00.000Z");
    await runDueJobs(ctx, { ...SCHOOL_JOB_HANDLERS, "outbox.deliver": async () => {} });
    expect((await getOrder(ctx, actorOf(school), id)).order.status).toBe("ordered");
    clock.set("2026-03-05T16:00:01.000Z");
    await runDueJobs(ctx, { ...SCHOOL_JOB_HANDLERS, "outbox.deliver": async () => {} });
    const queue = await listOrders(ctx, actorOf(longyou), { status: "dispatch" });
    expect(queue.rows.map((r) => r.id)).toContain(id);
    expect(
      (await listOrders(ctx, actorOf(jiangshan), { status: "dispatch" })).rows.map((r) => r.id),
    ).not.toContain(id);
    expect(await inbox(longyou.id)).toContain("school_order.dispatch");
    // The base can no longer answer it.
    const late = await errorOf(
      answerOrder(ctx, actorOf(org), id, {
        action: "accept",
        date: "2026-03-10",
        reason: "",
        version: await versionOf(id),
      }),
    );
    expect(late.code).toBe("CONFLICT");
    expect((await similarItems(ctx, actorOf(longyou), id)).map((s) => s.id)).toContain(similar);
    await reassignOrder(ctx, actorOf(longyou), id, { itemId: similar, version: await versionOf(id) });
    expect(await inbox(org2.id)).toContain("school_order.reassigned");
    expect((await listOrders(ctx, actorOf(org2))).rows.map((r) => r.id)).toContain(id);
    expect((await listOrders(ctx, actorOf(org))).rows.map((r) => r.id)).not.toContain(id);
  });
});

describe("order lists, a page at a time", () => {
  it("shows the newest page, says older orders follow, and goes on right after the last one shown", async () => {
    // In 江山市, so that the other tests' lists (龙游县) stay as they were.
    const { org: busyOrg } = await baseWithOrg(ctx, "330881", "江山翻页科普教育基地");
    const pager = await createUserRecord(ctx, { role: "school", regionCode: "330881" });
    const itemId = await approvedItem(ctx, busyOrg, jiangshan, {
      title: "翻页测试",
      sessionsPerWeek: "40",
      counties: "330881",
    });
    const placed: string[] = [];
    for (let i = 0; i < ORDERS_PAGE_SIZE + 3; i++) {
      clock.set(new Date(Date.parse(START) + i * 60_000).toISOString());
      placed.push(
        await placeOrder(ctx, actorOf(pager), itemId, order({ dates: "2026-03-10", students: "10" })),
      );
    }
    const newest = [...placed].reverse();
    for (const who of [pager, busyOrg, jiangshan]) {
      const first = await listOrders(ctx, actorOf(who));
      expect(first.rows.map((r) => r.id)).toEqual(newest.slice(0, ORDERS_PAGE_SIZE));
      expect(first.more).toBe(true);
      const last = first.rows.at(-1)!;
      const next = await listOrders(ctx, actorOf(who), {
        before: { createdAt: last.createdAt, id: last.id },
      });
      expect(next.rows.map((r) => r.id)).toEqual(newest.slice(ORDERS_PAGE_SIZE));
      expect(next.more).toBe(false);
    }
    // A status tab pages too: none of these was answered, so all are 待接单.
    expect((await listOrders(ctx, actorOf(pager), { status: "accepted" })).rows).toEqual([]);
    expect((await listOrders(ctx, actorOf(pager), { status: "ordered" })).more).toBe(true);
  });
});

describe("who sees which order", () => {
  it("a school sees only its own orders, a base only those for its items, county staff only their county's", async () => {
    const itemId = await approvedItem(ctx, org, longyou, { title: "范围测试" });
    const id = await placeOrder(ctx, actorOf(school), itemId, order());
    expect((await listOrders(ctx, actorOf(school))).rows.map((r) => r.id)).toContain(id);
    expect((await listOrders(ctx, actorOf(school2))).rows.map((r) => r.id)).not.toContain(id);
    expect((await errorOf(getOrder(ctx, actorOf(school2), id))).code).toBe("NOT_FOUND");
    expect((await listOrders(ctx, actorOf(org))).rows.map((r) => r.id)).toContain(id);
    expect((await listOrders(ctx, actorOf(jiangshanOrg))).rows.map((r) => r.id)).not.toContain(id);
    expect((await errorOf(getOrder(ctx, actorOf(jiangshanOrg), id))).code).toBe("NOT_FOUND");
    expect(
      (
        await errorOf(
          answerOrder(ctx, actorOf(org2), id, {
            action: "accept",
            date: "2026-03-10",
            reason: "",
            version: 1,
          }),
        )
      ).code,
    ).toBe("NOT_FOUND");
    expect((await listOrders(ctx, actorOf(longyou))).rows.map((r) => r.id)).toContain(id);
    expect((await errorOf(getOrder(ctx, actorOf(jiangshan), id))).code).toBe("NOT_FOUND");
    const city = await createUserRecord(ctx, { role: "city" });
    expect((await errorOf(listOrders(ctx, actorOf(city)))).code).toBe("FORBIDDEN");
  });
});

describe("staff statistics", () => {
  it("count orders, acceptance, students reached and satisfaction per county and base, within the region", async () => {
    const { getSchoolStats, prepareSchoolStatsXlsx, STATS_EXPORT_HEADERS } = await import(
      "./school-stats.server.ts"
    );
    const byCounty = await getSchoolStats(ctx, actorOf(longyou), "county");
    const ly = byCounty.find((r) => r.key === "330825")!;
    expect(ly.orders).toBeGreaterThan(0);
    expect(ly.studentsReached).toBe(78);
    expect(ly.satisfaction).toBe(4.7);
    expect(ly.lateCancels).toBe(1);
    expect(ly.acceptanceRate).not.toBeNull();
    expect(ly.medianAnswerHours).not.toBeNull();
    expect((await getSchoolStats(ctx, actorOf(jiangshan), "county")).map((r) => r.key)).not.toContain(
      "330825",
    );
    const city = await createUserRecord(ctx, { role: "city" });
    expect((await getSchoolStats(ctx, actorOf(city), "base")).length).toBeGreaterThan(1);
    expect((await errorOf(getSchoolStats(ctx, actorOf(school), "county"))).code).toBe("FORBIDDEN");
    const { openExport } = await import("../../../tests/support/xlsx.ts");
    const write = await prepareSchoolStatsXlsx(ctx, actorOf(longyou), "county");
    const { headers, rows } = await openExport(write);
    expect(headers).toEqual(STATS_EXPORT_HEADERS("county"));
    expect(rows.length).toBe(byCounty.length);
  });
});
