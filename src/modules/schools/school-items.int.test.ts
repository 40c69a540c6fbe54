import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readGenerations } from "#src/platform/cache/generations.server.ts";
import { fixedClock } from "#src/platform/clock.ts";
import type { AppContext } from "#src/platform/context.ts";
import { actorOf, createUserRecord, errorOf, type MadeUser } from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import {
  getOwnItem,
  getPublicItem,
  listCatalogue,
  listItemReviews,
  listOwnItems,
  reviewItem,
  saveItem,
} from "./school-items.server.ts";
import { approvedItem, baseWithOrg, itemInput } from "./schools.fixtures.ts";

const clock = fixedClock("2026-03-02T10:00:00+08:00");
let t: TestContext;
let ctx: AppContext;
let longyou: MadeUser;
let jiangshan: MadeUser;
let org: MadeUser;
let otherOrg: MadeUser;

beforeAll(async () => {
  t = await createTestContext({ clock });
  ctx = t.ctx;
  longyou = await createUserRecord(ctx, { role: "county", regionCode: "330825" });
  jiangshan = await createUserRecord(ctx, { role: "county", regionCode: "330881" });
  ({ org } = await baseWithOrg(ctx, "330825", "龙游天文科普教育基地"));
  ({ org: otherOrg } = await baseWithOrg(ctx, "330881"));
});
afterAll(async () => {
  await t?.close();
});

describe("a base's catalogue item", () => {
  it("waits for its own county's approval before it is public, and tells the county", async () => {
    const id = await saveItem(ctx, actorOf(org), null, itemInput({ title: "星空课堂" }));
    expect(await getPublicItem(ctx, id)).toBeNull();
    expect((await listItemReviews(ctx, actorOf(jiangshan))).map((i) => i.id)).not.toContain(id);
    const row = (await listItemReviews(ctx, actorOf(longyou))).find((i) => i.id === id)!;
    expect(row.status).toBe("pending");
    const inbox = await ctx.db
      .selectFrom("notifications")
      .select("kind")
      .where("user_id", "=", longyou.id)
      .execute();
    expect(inbox.map((n) => n.kind)).toContain("school_item.submitted");
    const foreign = await errorOf(
      reviewItem(ctx, actorOf(jiangshan), id, { decision: "approve", reason: "", version: row.version }),
    );
    expect(foreign.code).toBe("NOT_FOUND");
    const before = await readGenerations(ctx, ["school_services"]);
    await reviewItem(ctx, actorOf(longyou), id, { decision: "approve", reason: "", version: row.version });
    expect(await readGenerations(ctx, ["school_services"])).not.toBe(before);
    const pub = await getPublicItem(ctx, id);
    expect(pub?.item).toMatchObject({
      title: "星空课堂",
      baseName: "龙游天文科普教育基地",
      kindLabel: "研学参观",
      mode: "请进来",
    });
    // Approving twice at the version seen: the second is a conflict.
    const again = await errorOf(
      reviewItem(ctx, actorOf(longyou), id, { decision: "approve", reason: "", version: row.version }),
    );
    expect(again.code).toBe("CONFLICT");
  });

  it("returned with a reason; an edit of an approved item leaves the catalogue until approved again", async () => {
    const id = await approvedItem(ctx, org, longyou, { title: "编辑测试" });
    const own = await getOwnItem(ctx, actorOf(org), id);
    await saveItem(ctx, actorOf(org), id, itemInput({ title: "编辑测试（新）" }), own.version);
    expect(await getPublicItem(ctx, id)).toBeNull();
    const stale = await errorOf(saveItem(ctx, actorOf(org), id, itemInput(), own.version));
    expect(stale.code).toBe("CONFLICT");
    const row = (await listItemReviews(ctx, actorOf(longyou))).find((i) => i.id === id)!;
    await reviewItem(ctx, actorOf(longyou), id, {
      decision: "return",
      reason: "请补充安全须知",
      version: row.version,
    });
    expect((await getOwnItem(ctx, actorOf(org), id)).reviewReason).toBe("请补充安全须知");
  });

  it("is the base's own: another base's org gets 404, and lists only its own", async () => {
    const id = await saveItem(ctx, actorOf(org), null, itemInput());
    expect((await errorOf(getOwnItem(ctx, actorOf(otherOrg), id))).code).toBe("NOT_FOUND");
    expect((await errorOf(saveItem(ctx, actorOf(otherOrg), id, itemInput(), 1))).code).toBe("NOT_FOUND");
    expect((await listOwnItems(ctx, actorOf(otherOrg))).items.map((i) => i.id)).not.toContain(id);
    const school = await createUserRecord(ctx, { role: "school" });
    expect((await errorOf(saveItem(ctx, actorOf(school), null, itemInput()))).code).toBe("FORBIDDEN");
  });

  it("refuses a county outside the city beside the field", async () => {
    const e = await errorOf(saveItem(ctx, actorOf(org), null, itemInput({ counties: "110101" })));
    expect(e.fieldErrors?.counties).toBeTruthy();
  });
});

describe("the public catalogue", () => {
  it("filters by county served, grade, kind, subject and date", async () => {
    const a = await approvedItem(ctx, org, longyou, {
      title: "甲：龙游江山初中天文",
      counties: "330825,330881",
      grades: "初中",
      kind: "outreach",
      subjects: "天文",
      weekdays: "周三",
    });
    const b = await approvedItem(ctx, org, longyou, {
      title: "乙：龙游小学生物",
      counties: "330825",
      grades: "小学低段",
      kind: "visit",
      subjects: "生物",
      weekdays: "周一,周二,周三,周四,周五",
    });
    const ids = async (f: Record<string, string>) =>
      (await listCatalogue(ctx, { page: 1, ...f })).items.map((i) => i.id);
    expect(await ids({ county: "330881" })).toContain(a);
    expect(await ids({ county: "330881" })).not.toContain(b);
    expect(await ids({ county: "330825", grade: "初中" })).toContain(a);
    expect(await ids({ county: "330825", grade: "初中" })).not.toContain(b);
    expect(await ids({ kind: "visit" })).toContain(b);
    expect(await ids({ kind: "visit" })).not.toContain(a);
    expect(await ids({ subject: "生物" })).toEqual(expect.arrayContaining([b]));
    expect(await ids({ subject: "生物" })).not.toContain(a);
    // 2026-03-11 is a Wednesday; 2026-03-12 a Thursday; 2026-08-05 is after both ranges.
    expect(await ids({ date: "2026-03-12" })).not.toContain(a);
    expect(await ids({ date: "2026-03-12" })).toContain(b);
    expect(await ids({ date: "2026-03-11" })).toEqual(expect.arrayContaining([a, b]));
    expect(await ids({ date: "2026-08-05" })).toEqual([]);
  });
});
