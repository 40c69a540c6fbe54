import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "#src/modules/demo/seed-demo.server.ts";
import type { SessionUser } from "#src/platform/context.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import {
  checkAnnouncer,
  getPublicActivity,
  listPublicActivities,
  listReportQueue,
} from "./activities.server.ts";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
  t.ctx.config = {
    ...t.ctx.config,
    dataDir: path.join(os.tmpdir(), `kepu-demo-act-${process.pid}-${Date.now()}`),
  };
});
afterAll(async () => t?.close());

describe("demo activities", () => {
  it("give a fresh start this year's campaigns, a living calendar and a base org login", async () => {
    const accounts = await seedDemo(t.ctx);
    const campaigns = await t.ctx.db.selectFrom("campaigns").select(["kind", "description"]).execute();
    expect(campaigns.map((c) => c.kind).sort()).toEqual([
      "double_reduction",
      "science_day",
      "tech_week",
      "workers_day",
    ]);
    expect(campaigns.every((c) => c.description.includes("演示"))).toBe(true);
    const upcoming = await listPublicActivities(t.ctx, {});
    expect(upcoming.items.length).toBeGreaterThan(10);
    const past = await listPublicActivities(t.ctx, { when: "past" });
    const accepted = past.items.find((p) => p.reportStatus === "accepted")!;
    expect((await getPublicActivity(t.ctx, accepted.id)).reportPublic).toBe(true);
    const photos = await t.ctx.db
      .selectFrom("files")
      .select("id")
      .where("owner_id", "=", accepted.id)
      .execute();
    expect(photos).toHaveLength(1);
    const city = await t.ctx.db
      .selectFrom("users")
      .selectAll()
      .where("username", "=", "city")
      .executeTakeFirstOrThrow();
    const cityUser: SessionUser = {
      id: city.id,
      role: "city",
      displayName: "",
      login: "city",
      regionCode: "330800",
      mustChangePassword: false,
    };
    expect((await listReportQueue(t.ctx, { user: cityUser, ip: null })).length).toBeGreaterThan(0);
    const baseOrg = accounts.find((a) => a.role === "org" && a.name.startsWith("衢州市科技馆"))!;
    const user = await t.ctx.db
      .selectFrom("users")
      .selectAll()
      .where("uscc", "=", baseOrg.login)
      .executeTakeFirstOrThrow();
    const base = await t.ctx.db
      .selectFrom("bases")
      .select("id")
      .where("uscc", "=", baseOrg.login)
      .executeTakeFirstOrThrow();
    const orgUser: SessionUser = {
      id: user.id,
      role: "org",
      displayName: "",
      login: baseOrg.login,
      regionCode: user.region_code,
      mustChangePassword: false,
    };
    expect((await checkAnnouncer(t.ctx, { user: orgUser, ip: null }, base.id)).via).toBe("own");
  });
});
