import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "#src/platform/clock.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { seedDemo } from "./seed-demo.server.ts";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ clock: fixedClock("2026-12-06T10:00:00+08:00") });
  await seedDemo(t.ctx);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe("绩效评价 demo data", () => {
  it("last year's round is closed with grades, this year's is in self-assessment", async () => {
    const rounds = await t.ctx.db
      .selectFrom("evaluation_rounds")
      .select(["id", "year", "status"])
      .orderBy("year")
      .execute();
    expect(rounds.map((r) => [r.year, r.status])).toEqual([
      [2025, "closed"],
      [2026, "self_assessment"],
    ]);
    const graded = await t.ctx.db
      .selectFrom("evaluation_entries")
      .select("grade")
      .where("round_id", "=", rounds[0].id)
      .execute();
    expect(graded.length).toBeGreaterThan(3);
    expect(graded.every((g) => g.grade !== null)).toBe(true);
    expect(new Set(graded.map((g) => g.grade)).size).toBeGreaterThan(1);
    const open = await t.ctx.db
      .selectFrom("evaluation_entries")
      .select("status")
      .where("round_id", "=", rounds[1].id)
      .execute();
    expect(open.length).toBeGreaterThan(3);
  });
  it("one base is under 整改 and one warning was lifted", async () => {
    const w = await t.ctx.db.selectFrom("base_warnings").select("status").orderBy("status").execute();
    expect(w.map((x) => x.status)).toEqual(["lifted", "rectifying"]);
    const steps = await t.ctx.db
      .selectFrom("base_warning_events")
      .select("action")
      .orderBy("action")
      .execute();
    expect(steps.map((x) => x.action)).toEqual(["recheck_pass", "rectify", "rectify", "report"]);
  });
});
