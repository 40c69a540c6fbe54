import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { teamNameProblem } from "../volunteers/volunteers.rules.ts";
import { seedDemo } from "./seed-demo.server.ts";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
  await seedDemo(t.ctx);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe("demo 科技志愿服务队", () => {
  it("has teams in every state, named by the rule, and none for bases with a demo login", async () => {
    const teams = await t.ctx.db
      .selectFrom("volunteer_teams as t")
      .innerJoin("bases as b", "b.id", "t.base_id")
      .select(["t.name", "t.stvs_status", "t.stvs_org_no", "b.name as base_name", "b.unit_name", "b.id"])
      .execute();
    expect(new Set(teams.map((x) => x.stvs_status))).toEqual(
      new Set(["registered", "pending", "unregistered"]),
    );
    for (const x of teams)
      expect(teamNameProblem(x.name, { unitName: x.unit_name, baseName: x.base_name })).toBeNull();
    const linked = await t.ctx.db.selectFrom("base_accounts").select("base_id").execute();
    expect(teams.filter((x) => linked.some((l) => l.base_id === x.id))).toEqual([]);
  });

  it("has about 300 volunteers and hours on past activities, confirmed only for registered teams", async () => {
    const [v] = await t.ctx.db
      .selectFrom("volunteers")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .execute();
    expect(Number(v.n)).toBe(300);
    const services = await t.ctx.db
      .selectFrom("volunteer_services as s")
      .innerJoin("activities as a", "a.id", "s.activity_id")
      .innerJoin("volunteer_teams as t", "t.base_id", "s.base_id")
      .select(["s.status", "t.stvs_status", "a.ends_at", "s.base_id", "a.base_id as activity_base"])
      .execute();
    expect(services.length).toBeGreaterThan(50);
    const now = t.ctx.clock.now().toISOString();
    expect(services.every((s) => s.ends_at < now && s.base_id === s.activity_base)).toBe(true);
    expect(services.every((s) => (s.status === "confirmed") === (s.stvs_status === "registered"))).toBe(true);
  });
});
