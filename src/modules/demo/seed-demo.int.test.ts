import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { DEMO_ACCOUNTS, demoClaimCodeLine, hasDemoData, seedDemo } from "./seed-demo.server.ts";
import { DEMO_CLAIM_CODE } from "./seed-demo-verification.server.ts";

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
    expect([...roles].sort()).toEqual(["admin", "city", "county", "evaluator", "office", "org", "school"]);
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
    // 单位认证: one org waits in 龙游县's queue with both documents, one is verified, and a claim code
    // letter is out for a 江山市 base; the demo orgs that own demo bases are linked and verified.
    const verifications = await t.ctx.db
      .selectFrom("org_verifications")
      .innerJoin("users", "users.id", "org_verifications.user_id")
      .select(["users.id", "users.region_code", "org_verifications.status", "org_verifications.via"])
      .execute();
    const pending = verifications.filter((v) => v.status === "pending");
    expect(pending.map((p) => p.region_code)).toEqual(["330825"]);
    const docs = await t.ctx.db
      .selectFrom("files")
      .select("slot")
      .where("owner_type", "=", "org_verification")
      .where("owner_id", "=", pending[0].id)
      .execute();
    expect(docs.map((d) => d.slot).sort()).toEqual(["org_authorization", "org_license"]);
    expect(verifications.some((v) => v.status === "verified" && v.via === "documents")).toBe(true);
    const orgs = await t.ctx.db
      .selectFrom("users")
      .select("id")
      .where("role", "in", ["org", "school"])
      .execute();
    expect(verifications).toHaveLength(orgs.length);
    const links = await t.ctx.db.selectFrom("base_accounts").select(["user_id"]).execute();
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) expect(verifications.find((v) => v.id === l.user_id)?.status).toBe("verified");
    expect(await demoClaimCodeLine(t.ctx)).toContain(DEMO_CLAIM_CODE);
    await expect(seedDemo(t.ctx)).rejects.toThrow("已有用户");
  });
});
