import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { DEMO_ACCOUNTS, hasDemoData, seedDemo } from "./seed-demo.server.ts";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
  t.ctx.config = {
    ...t.ctx.config,
    dataDir: path.join(os.tmpdir(), `kepu-demo-${process.pid}-${Date.now()}`),
  };
});
afterAll(async () => t?.close());

describe("seedDemo", () => {
  it("creates every demo account, the open call and applications at every stage, once", async () => {
    expect(await hasDemoData(t.ctx)).toBe(false);
    await seedDemo(t.ctx);
    expect(await hasDemoData(t.ctx)).toBe(true);
    const roles = new Set((await t.ctx.db.selectFrom("users").select("role").execute()).map((u) => u.role));
    expect([...roles].sort()).toEqual(["admin", "city", "county", "evaluator", "office", "org"]);
    expect(DEMO_ACCOUNTS.filter((a) => a.role === "county")).toHaveLength(6);
    const statuses = (await t.ctx.db.selectFrom("applications").select("status").execute())
      .map((a) => a.status)
      .sort();
    expect(statuses).toEqual([
      "city_review",
      "county_review",
      "office_confirmation",
      "proposed",
      "public_notice",
      "returned",
    ]);
    // The 公示栏: last year's notice and naming announcement, and this year's open notice.
    const notices = await t.ctx.db.selectFrom("public_notices").select(["kind", "status"]).execute();
    expect(notices.map((n) => `${n.kind}:${n.status}`).sort()).toEqual([
      "naming:published",
      "proposed:named",
      "proposed:open",
    ]);
    const files = await t.ctx.db.selectFrom("files").select("id").execute();
    expect(files.length).toBeGreaterThanOrEqual(5 * 8);
    await expect(seedDemo(t.ctx)).rejects.toThrow("已有用户");
  });
});
