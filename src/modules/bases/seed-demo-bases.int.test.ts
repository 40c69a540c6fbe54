import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateUscc } from "#src/modules/accounts/uscc.rules.ts";
import { DEMO_ACCOUNTS, seedDemo } from "#src/modules/demo/seed-demo.server.ts";
import { actorOf } from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { getOwnBase } from "./bases.server.ts";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
  t.ctx.config = {
    ...t.ctx.config,
    dataDir: path.join(os.tmpdir(), `kepu-demo-bases-${process.pid}-${Date.now()}`),
  };
});
afterAll(async () => t?.close());

describe("demo bases", () => {
  it("seeds about thirty bases of batches 1–7 in all six counties, with photos, none the applicant demo org's", async () => {
    await seedDemo(t.ctx);
    const bases = await t.ctx.db.selectFrom("bases").selectAll().execute();
    expect(bases.length).toBeGreaterThanOrEqual(30);
    expect(new Set(bases.map((b) => b.region_code)).size).toBe(6);
    expect([...new Set(bases.map((b) => b.batch_no))].sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(bases.map((b) => b.category_code)).size).toBeGreaterThanOrEqual(6);
    for (const b of bases) {
      expect(validateUscc(b.uscc).ok).toBe(true);
      expect(b.name.endsWith("科普教育基地")).toBe(true);
      expect(b.unit_name).toContain("演示");
      // The city's batches: 第N批 in 2015+N. One base of 龙游县 is the county's own (第十九条), in its own series.
      if (b.level === "city") expect(b.recognized_year).toBe(2015 + b.batch_no!);
      else expect(b.certificate_no).toMatch(/^龙游科普〔\d{4}〕第一批001号$/);
    }
    expect(bases.filter((b) => b.level === "county").map((b) => b.region_code)).toEqual(["330825"]);
    // Only 衢州市科技馆's base has an org login (for trying the activities path as a base).
    const links = await t.ctx.db.selectFrom("base_accounts").select("base_id").execute();
    const linked = bases.filter((b) => links.some((l) => l.base_id === b.id));
    expect(linked.map((b) => b.unit_name.startsWith("衢州市科技馆"))).toEqual([true]);
    const photos = await t.ctx.db
      .selectFrom("files")
      .select("owner_id")
      .where("owner_type", "=", "base")
      .where("slot", "=", "base_photos")
      .execute();
    expect(new Set(photos.map((p) => p.owner_id)).size).toBe(bases.length);
    const demoOrg = DEMO_ACCOUNTS.find((a) => a.role === "org")!;
    expect(bases.some((b) => b.uscc === demoOrg.login)).toBe(false);
    const u = await t.ctx.db
      .selectFrom("users")
      .selectAll()
      .where("uscc", "=", demoOrg.login)
      .executeTakeFirstOrThrow();
    const me = {
      id: u.id,
      role: u.role,
      displayName: u.display_name,
      login: u.uscc!,
      regionCode: u.region_code,
      mustChangePassword: false,
    };
    expect(await getOwnBase(t.ctx, actorOf(me))).toBeNull();
  });
});
