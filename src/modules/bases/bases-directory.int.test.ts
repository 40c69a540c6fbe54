import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { putSetting } from "#src/modules/settings/settings.server.ts";
import { bumpGeneration } from "#src/platform/cache/generations.server.ts";
import { errorOf } from "../../../tests/support/factories.ts";
import { fullMobileIn } from "../../../tests/support/personal-data.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { insertBase } from "./bases-directory.fixtures.ts";
import { getPublicBase, listPublicBases, PUBLIC_WARNING_SETTING } from "./bases-directory.server.ts";

let t: TestContext;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestContext();
  ids.a = await insertBase(t.ctx, {
    name: "龙游石窟科普教育基地",
    unit_name: "龙游石窟旅游公司",
    search_text: "龙游石窟科普教育基地 龙游石窟旅游公司 龙游县石窟路",
    opening_form: "收费",
    recognized_year: 2021,
    recognized_at: "2021-05-01T00:00:00.000Z",
  });
  ids.b = await insertBase(t.ctx, {
    name: "柯城天文科普教育基地",
    region_code: "330802",
    category_code: "education_research",
    opening_form: "16周岁以下的青少年免费开放",
    search_text: "柯城天文科普教育基地 100%_天文台 柯城区",
    recognized_year: 2023,
  });
  ids.c = await insertBase(t.ctx, {
    name: "江山农业科普教育基地",
    region_code: "330881",
    category_code: "agriculture",
    opening_form: "节假日优惠",
    status: "warning",
    warning_note: "年度评价不合格，限期整改",
    recognized_year: 2022,
    recognized_at: null,
  });
  ids.revoked = await insertBase(t.ctx, {
    name: "已撤销科普教育基地",
    status: "revoked",
    revoked_at: "2024-03-01T00:00:00.000Z",
    revocation_reason: 2,
    revocation_note: "内部说明：宣传伪科学",
  });
});
afterAll(async () => t?.close());

/** The fixture's personal phones (leader, contact), and any other full mobile number. */
const noFullPhones = (value: unknown) => {
  const json = JSON.stringify(value);
  expect(json).not.toContain("13812345678");
  expect(json).not.toContain("13987654321");
  expect(fullMobileIn(json)).toBeNull();
};

describe("listPublicBases", () => {
  it("lists active and warning bases only, never a revoked one", async () => {
    const page = await listPublicBases(t.ctx, {});
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => r.id).sort()).toEqual([ids.a, ids.b, ids.c].sort());
    // 警示 is not shown publicly unless the office's setting says so (动态管理).
    expect(page.rows.find((r) => r.id === ids.c)?.status).toBe("active");
    await putSetting(t.ctx, PUBLIC_WARNING_SETTING, "1");
    const shown = await listPublicBases(t.ctx, {});
    await putSetting(t.ctx, PUBLIC_WARNING_SETTING, "0");
    expect(shown.rows.find((r) => r.id === ids.c)?.status).toBe("warning");
    expect(shown.rows.find((r) => r.id === ids.a)?.status).toBe("active");
    expect(JSON.stringify(page)).not.toContain("已撤销");
  });

  it("filters by county, category, opening form and 青少年免费, with totals to match", async () => {
    // Each total comes from the counts kept by triggers, not from the page's rows.
    const listed = async (filter: Parameters<typeof listPublicBases>[1]) => {
      const page = await listPublicBases(t.ctx, filter);
      expect(page.total).toBe(page.rows.length);
      return page.rows.map((r) => r.id);
    };
    expect(await listed({ county: "330802" })).toEqual([ids.b]);
    expect(await listed({ category: "agriculture" })).toEqual([ids.c]);
    expect(await listed({ openingForm: "收费" })).toEqual([ids.a]);
    expect(await listed({ youthFree: true })).toEqual([ids.b]);
    expect(await listed({ county: "330825", category: "science_venue" })).toEqual([ids.a]);
    expect(await listed({ openingForm: "收费", youthFree: true })).toEqual([]);
    expect(await listed({ county: "330881" })).toEqual([ids.c]);
    expect(await listed({ county: "330822" })).toEqual([]);
  });

  it("searches Chinese keywords, with % and _ matching themselves", async () => {
    expect((await listPublicBases(t.ctx, { q: "石窟" })).rows.map((r) => r.id)).toEqual([ids.a]);
    expect((await listPublicBases(t.ctx, { q: "  天文 " })).rows.map((r) => r.id)).toEqual([ids.b]);
    expect((await listPublicBases(t.ctx, { q: "100%_" })).rows.map((r) => r.id)).toEqual([ids.b]);
    expect((await listPublicBases(t.ctx, { q: "%" })).total).toBe(1);
    expect((await listPublicBases(t.ctx, { q: "_" })).total).toBe(1);
    expect((await listPublicBases(t.ctx, { q: "已撤销" })).total).toBe(0);
  });

  it("finds a keyword after an edit and not the old text, and counts and pages keyword results", async () => {
    const found = async (q: string, page = 1) => {
      const r = await listPublicBases(t.ctx, { q, page, pageSize: 1 });
      return { total: r.total, ids: r.rows.map((x) => x.id) };
    };
    expect(await found("石窟路")).toEqual({ total: 1, ids: [ids.a] });
    await t.ctx.db
      .updateTable("bases")
      .set({ search_text: "龙游石窟科普教育基地 龙游石窟旅游公司 龙游县翠光岩路" })
      .where("id", "=", ids.a)
      .execute();
    await bumpGeneration(t.ctx.db, "bases");
    expect(await found("石窟路")).toEqual({ total: 0, ids: [] });
    expect(await found("翠光岩")).toEqual({ total: 1, ids: [ids.a] });
    // 科普教育基地 is in every listed base: three results, one a page, in name order.
    const all = await listPublicBases(t.ctx, { q: "科普教育基地" });
    expect(all.total).toBe(3);
    expect(await found("科普教育基地", 2)).toEqual({ total: 3, ids: [all.rows[1].id] });
    expect(await found("科普教育基地", 9)).toEqual({ total: 3, ids: [] });
  });

  it("sorts by name, newest recognized and county, and pages", async () => {
    const byCounty = await listPublicBases(t.ctx, { sort: "county" });
    expect(byCounty.rows.map((r) => r.regionCode)).toEqual(["330802", "330825", "330881"]);
    const newest = await listPublicBases(t.ctx, { sort: "newest" });
    expect(newest.rows.map((r) => r.id)).toEqual([ids.b, ids.c, ids.a]);
    const byName = await listPublicBases(t.ctx, { sort: "name" });
    expect(byName.rows.map((r) => r.name)).toEqual([...byName.rows.map((r) => r.name)].sort());
    const p2 = await listPublicBases(t.ctx, { sort: "county", page: 2, pageSize: 2 });
    expect(p2).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(p2.rows.map((r) => r.regionCode)).toEqual(["330881"]);
  });

  it("returns only public fields: no phones, no notes, no USCC", async () => {
    const page = await listPublicBases(t.ctx, {});
    noFullPhones(page);
    const json = JSON.stringify(page);
    expect(json).not.toContain("整改");
    expect(json).not.toContain("uscc");
    expect(json).not.toContain("org_id");
  });

  it("sees a new base once the bases generation moves", async () => {
    const before = (await listPublicBases(t.ctx, { county: "330824" })).total;
    const id = await insertBase(t.ctx, { region_code: "330824" });
    await bumpGeneration(t.ctx.db, "bases");
    const after = await listPublicBases(t.ctx, { county: "330824" });
    expect(after.total).toBe(before + 1);
    expect(after.rows.map((r) => r.id)).toContain(id);
  });
});

describe("listPublicBases with a keyword", () => {
  const k: Record<string, string> = {};
  const idsOf = async (filter: Parameters<typeof listPublicBases>[1]) =>
    (await listPublicBases(t.ctx, filter)).rows.map((r) => r.id);
  const change = async (id: string, set: Record<string, unknown>) => {
    await t.ctx.db.updateTable("bases").set(set).where("id", "=", id).execute();
    await bumpGeneration(t.ctx.db, "bases");
  };

  beforeAll(async () => {
    k.sky = await insertBase(t.ctx, {
      name: "星河湾天文科普教育基地",
      region_code: "330802",
      category_code: "education_research",
      opening_form: "16周岁以下的青少年免费开放",
      recognized_year: 2023,
    });
    k.farm = await insertBase(t.ctx, {
      name: "星河湾农业科普教育基地",
      region_code: "330881",
      category_code: "agriculture",
      opening_form: "收费",
      recognized_year: 2021,
      recognized_at: null,
    });
    k.hall = await insertBase(t.ctx, {
      name: "星河湾科技馆科普教育基地",
      region_code: "330825",
      opening_form: "免费",
      recognized_year: 2022,
      status: "warning",
    });
    await bumpGeneration(t.ctx.db, "bases");
  });

  it("applies the directory's filters and sorts to keyword results, for long and short keywords", async () => {
    const byName = [k.farm, k.sky, k.hall].sort((a, b) => {
      const name = { [k.sky]: "星河湾天文", [k.farm]: "星河湾农业", [k.hall]: "星河湾科技馆" };
      return name[a] < name[b] ? -1 : 1;
    });
    expect(await idsOf({ q: "星河湾" })).toEqual(byName);
    expect(await idsOf({ q: "星河" })).toEqual(byName);
    expect(await idsOf({ q: "星河湾", county: "330802" })).toEqual([k.sky]);
    expect(await idsOf({ q: "星河湾", category: "agriculture" })).toEqual([k.farm]);
    expect(await idsOf({ q: "星河湾", openingForm: "收费" })).toEqual([k.farm]);
    expect((await idsOf({ q: "星河湾", youthFree: true })).sort()).toEqual([k.sky, k.hall].sort());
    expect(await listPublicBases(t.ctx, { q: "星河湾", openingForm: "收费", youthFree: true })).toMatchObject(
      {
        total: 0,
        rows: [],
      },
    );
    expect(await idsOf({ q: "星河湾", sort: "newest" })).toEqual([k.sky, k.hall, k.farm]);
    expect(await idsOf({ q: "星河湾", sort: "county" })).toEqual([k.sky, k.hall, k.farm]);
    const second = await listPublicBases(t.ctx, { q: "星河湾", page: 2, pageSize: 1 });
    expect({ total: second.total, ids: second.rows.map((r) => r.id) }).toEqual({
      total: 3,
      ids: [byName[1]],
    });
    expect(await listPublicBases(t.ctx, { q: "星河湾", page: 9, pageSize: 1 })).toMatchObject({
      total: 3,
      rows: [],
    });
    expect(await listPublicBases(t.ctx, { q: '星河湾"' })).toMatchObject({ total: 0, rows: [] });
  });

  it("follows a revocation, a county change and a rename", async () => {
    await change(k.farm, { status: "revoked", revoked_at: "2024-03-01T00:00:00.000Z", revocation_reason: 1 });
    expect((await idsOf({ q: "星河湾" })).sort()).toEqual([k.sky, k.hall].sort());
    await change(k.hall, { region_code: "330824" });
    expect(await idsOf({ q: "星河湾", county: "330824" })).toEqual([k.hall]);
    expect(await idsOf({ q: "星河湾", county: "330825" })).toEqual([]);
    await change(k.sky, {
      name: "银河湾天文科普教育基地",
      search_text: "银河湾天文科普教育基地 衢州市柯城区",
    });
    expect(await idsOf({ q: "星河湾" })).toEqual([k.hall]);
    expect(await idsOf({ q: "银河湾" })).toEqual([k.sky]);
    expect((await listPublicBases(t.ctx, { q: "银河湾" })).rows[0].name).toBe("银河湾天文科普教育基地");
  });
});

describe("getPublicBase", () => {
  it("shows the booking phone in full and masks the leader's and contact's", async () => {
    const r = await getPublicBase(t.ctx, ids.a);
    if (r.kind !== "public") throw new Error("expected a public base");
    expect(r.base.bookingPhone).toBe("0570-7654321");
    expect(r.base.leaderPhone).toBe("138****5678");
    expect(r.base.contactPhone).toBe("139****4321");
    noFullPhones(r);
    const json = JSON.stringify(r);
    expect(json).not.toContain("uscc");
  });

  it("hides a warning base's internal note, and its 警示 unless the setting shows it", async () => {
    const r = await getPublicBase(t.ctx, ids.c);
    expect(r).toMatchObject({ kind: "public", base: { status: "active" } });
    expect(JSON.stringify(r)).not.toContain("整改");
    await putSetting(t.ctx, PUBLIC_WARNING_SETTING, "1");
    const shown = await getPublicBase(t.ctx, ids.c);
    await putSetting(t.ctx, PUBLIC_WARNING_SETTING, "0");
    expect(shown).toMatchObject({ kind: "public", base: { status: "warning" } });
    expect(JSON.stringify(shown)).not.toContain("整改");
  });

  it("says a revoked base was revoked, with the reason's number but not the explanation", async () => {
    const r = await getPublicBase(t.ctx, ids.revoked);
    expect(r).toEqual({
      kind: "revoked",
      base: {
        id: ids.revoked,
        name: "已撤销科普教育基地",
        status: "revoked",
        revokedAt: "2024-03-01T00:00:00.000Z",
        revocationReason: 2,
      },
    });
    expect(JSON.stringify(r)).not.toContain("伪科学");
    noFullPhones(r);
  });

  it("answers 404 for an unknown id", async () => {
    expect((await errorOf(getPublicBase(t.ctx, "nope"))).code).toBe("NOT_FOUND");
  });
});
