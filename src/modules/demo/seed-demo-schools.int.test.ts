import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SchoolOrderStatus } from "#src/platform/db/schema.ts";
import { actorOf } from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { listCatalogue } from "../schools/school-items.server.ts";
import { listOrders } from "../schools/school-orders.server.ts";
import { ORDER_STATUS_LABELS } from "../schools/schools.rules.ts";
import { seedDemo } from "./seed-demo.server.ts";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
  await seedDemo(t.ctx);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const userOf = async (where: { username?: string; id?: string }) => {
  let q = t.ctx.db.selectFrom("users").selectAll();
  if (where.username) q = q.where("username", "=", where.username);
  if (where.id) q = q.where("id", "=", where.id);
  const u = await q.executeTakeFirstOrThrow();
  return {
    id: u.id,
    role: u.role,
    displayName: u.display_name,
    login: u.username ?? u.uscc ?? "",
    regionCode: u.region_code,
    mustChangePassword: false,
    password: "",
  };
};

describe("demo 科普助力双减", () => {
  it("has six verified schools, each named as demo data", async () => {
    const schools = await t.ctx.db
      .selectFrom("users")
      .innerJoin("org_verifications as v", "v.user_id", "users.id")
      .innerJoin("school_profiles as p", "p.user_id", "users.id")
      .select(["users.display_name", "users.uscc", "v.status"])
      .where("users.role", "=", "school")
      .execute();
    expect(schools).toHaveLength(6);
    for (const s of schools) {
      expect(s.display_name).toContain("演示数据");
      expect(s.uscc?.startsWith("12")).toBe(true);
      expect(s.status).toBe("verified");
    }
  });

  it("has 20 catalogue items across the demo bases, the approved ones in the public catalogue", async () => {
    const items = await t.ctx.db.selectFrom("school_items").select(["base_id", "status"]).execute();
    expect(items).toHaveLength(20);
    expect(new Set(items.map((i) => i.base_id)).size).toBeGreaterThanOrEqual(5);
    const approved = items.filter((i) => i.status === "approved").length;
    expect(new Set(items.map((i) => i.status))).toEqual(new Set(["approved", "pending", "returned"]));
    const page = await listCatalogue(t.ctx, { county: "330825", page: 1 });
    expect(page.total).toBe(approved);
  });

  it("has orders in every state, one in 龙游县's 派单 queue, the base's list holding the rest", async () => {
    const orders = await t.ctx.db
      .selectFrom("school_orders")
      .select(["id", "status", "activity_id", "held_week", "item_id", "sessions", "base_id"])
      .execute();
    const all = Object.keys(ORDER_STATUS_LABELS) as SchoolOrderStatus[];
    expect(new Set(orders.map((o) => o.status))).toEqual(new Set(all));
    const longyou = await userOf({ username: "longyou" });
    const queue = await listOrders(t.ctx, actorOf(longyou), { status: "dispatch" });
    expect(queue.rows.map((r) => r.status)).toEqual(["dispatch"]);
    // Accepted, delivered and not-held orders carry the base's 活动预告; the others none.
    for (const o of orders) {
      const announced = ["accepted", "delivered", "not_held"].includes(o.status);
      expect([o.status, o.activity_id !== null]).toEqual([o.status, announced]);
      if (!o.activity_id) continue;
      const a = await t.ctx.db
        .selectFrom("activities")
        .select("base_id")
        .where("id", "=", o.activity_id)
        .executeTakeFirstOrThrow();
      expect(a.base_id).toBe(o.base_id);
    }
    // The capacity counters hold exactly the sessions of the orders that hold a week.
    const weeks = await t.ctx.db.selectFrom("school_item_weeks").selectAll().execute();
    const held = new Map<string, number>();
    for (const o of orders)
      if (o.held_week)
        held.set(`${o.item_id}|${o.held_week}`, (held.get(`${o.item_id}|${o.held_week}`) ?? 0) + o.sessions);
    expect(new Map(weeks.map((w) => [`${w.item_id}|${w.week}`, Number(w.booked)]))).toEqual(held);
  });

  it("rated items show their average and count", async () => {
    const rated = await t.ctx.db
      .selectFrom("school_items")
      .select(["id", "rating_count", "rating_sum"])
      .where("rating_count", ">", 0)
      .execute();
    expect(rated.length).toBeGreaterThan(0);
    for (const r of rated) {
      const orders = await t.ctx.db
        .selectFrom("school_orders")
        .select(["rating_content", "rating_organization", "rating_safety"])
        .where("item_id", "=", r.id)
        .where("rated_at", "is not", null)
        .execute();
      expect(Number(r.rating_count)).toBe(orders.length);
      expect(Number(r.rating_sum)).toBe(
        orders.reduce((n, o) => n + o.rating_content! + o.rating_organization! + o.rating_safety!, 0),
      );
    }
  });
});
