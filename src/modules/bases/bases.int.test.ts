import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readGenerations } from "#src/platform/cache/generations.server.ts";
import { fixedClock } from "#src/platform/clock.ts";
import {
  actorOf,
  createUserRecord,
  errorOf,
  linkBase,
  type MadeUser,
  makeUscc,
} from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { changeReportSchema } from "./bases.schema.ts";
import {
  decideChangeReport,
  fileChangeReport,
  getChangeReport,
  getOwnBase,
  getStaffBase,
  listChangeReports,
  listStaffBases,
  recommendBase,
  revokeBase,
  updateBaseProfile,
} from "./bases.server.ts";
import { profileInput as profile } from "./bases-directory.fixtures.ts";
import { insertBase } from "./bases-import.server.ts";

const clock = fixedClock("2024-03-10T10:00:00+08:00");
let t: TestContext;
let office: MadeUser;
let city: MadeUser;
let admin: MadeUser;
let evaluator: MadeUser;
let longyouStaff: MadeUser;
let jiangshanStaff: MadeUser;
let longyouOrg: MadeUser;
let jiangshanOrg: MadeUser;
let otherOrg: MadeUser;
let longyouBase: string;
let jiangshanBase: string;

async function makeBase(
  org: MadeUser | null,
  regionCode: string,
  name: string,
  extra: { linkOrg?: boolean } = {},
) {
  const id = await insertBase(
    t.ctx.db,
    {
      uscc: org?.login ?? makeUscc(),
      org_id: org && extra.linkOrg !== false ? org.id : null,
      name,
      unit_name: name.replace("科普教育基地", ""),
      region_code: regionCode,
      category_code: "science_venue",
      address: `${regionCode}地址`,
      contact_name: "原联系人",
      contact_phone: "13800001111",
      batch_no: 5,
      recognized_year: 2020,
    },
    clock.now().toISOString(),
  );
  if (org && extra.linkOrg !== false) await linkBase(t.ctx, id, org.id);
  return id;
}

const audits = (action: string) =>
  t.ctx.db.selectFrom("audit_events").selectAll().where("action", "=", action).execute();

beforeAll(async () => {
  t = await createTestContext({ clock });
  office = await createUserRecord(t.ctx, { role: "office" });
  city = await createUserRecord(t.ctx, { role: "city" });
  admin = await createUserRecord(t.ctx, { role: "admin" });
  evaluator = await createUserRecord(t.ctx, { role: "evaluator" });
  longyouStaff = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
  jiangshanStaff = await createUserRecord(t.ctx, { role: "county", regionCode: "330881" });
  longyouOrg = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
  jiangshanOrg = await createUserRecord(t.ctx, { role: "org", regionCode: "330881" });
  otherOrg = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
  longyouBase = await makeBase(longyouOrg, "330825", "龙游石窟科普教育基地");
  jiangshanBase = await makeBase(jiangshanOrg, "330881", "江山市博物馆科普教育基地");
});
afterAll(async () => t?.close());

describe("staff lists and scope", () => {
  it("a county sees only its own county's bases; the city-level roles see all", async () => {
    const ly = await listStaffBases(t.ctx, actorOf(longyouStaff), {});
    expect(ly.rows.map((r) => r.id)).toEqual([longyouBase]);
    const js = await listStaffBases(t.ctx, actorOf(jiangshanStaff), {});
    expect(js.rows.map((r) => r.id)).toEqual([jiangshanBase]);
    // Asking for another county through the filter still finds nothing.
    expect((await listStaffBases(t.ctx, actorOf(jiangshanStaff), { regionCode: "330825" })).total).toBe(0);
    for (const u of [office, city, admin]) {
      expect((await listStaffBases(t.ctx, actorOf(u), {})).total).toBe(2);
    }
    // The evaluator has no work on bases until the annual evaluation gives it some.
    expect((await errorOf(listStaffBases(t.ctx, actorOf(evaluator), {}))).code).toBe("FORBIDDEN");
  });

  it("a base outside the county answers NOT_FOUND like a missing one, and the miss is audited", async () => {
    const before = (await audits("access.denied")).length;
    const e = await errorOf(getStaffBase(t.ctx, actorOf(jiangshanStaff), longyouBase));
    expect(e.code).toBe("NOT_FOUND");
    const missing = await errorOf(getStaffBase(t.ctx, actorOf(jiangshanStaff), "no-such-id"));
    expect(missing.code).toBe("NOT_FOUND");
    expect(missing.message).toBe(e.message);
    const denied = await audits("access.denied");
    expect(denied.length).toBe(before + 1);
    expect(denied.at(-1)).toMatchObject({ target_id: longyouBase, outcome: "denied" });
    expect((await getStaffBase(t.ctx, actorOf(longyouStaff), longyouBase)).base.name).toBe(
      "龙游石窟科普教育基地",
    );
  });

  it("organizations cannot use the staff list", async () => {
    expect((await errorOf(listStaffBases(t.ctx, actorOf(longyouOrg), {}))).code).toBe("FORBIDDEN");
    expect((await errorOf(getStaffBase(t.ctx, actorOf(longyouOrg), longyouBase))).code).toBe("FORBIDDEN");
  });

  it("filters by keyword (case-insensitive, wildcards literal), category, status and recommendation", async () => {
    expect((await listStaffBases(t.ctx, actorOf(office), { q: "石窟" })).rows.map((r) => r.id)).toEqual([
      longyouBase,
    ]);
    expect((await listStaffBases(t.ctx, actorOf(office), { q: "%" })).total).toBe(0);
    expect((await listStaffBases(t.ctx, actorOf(office), { categoryCode: "agriculture" })).total).toBe(0);
    expect((await listStaffBases(t.ctx, actorOf(office), { status: "active" })).total).toBe(2);
    expect((await listStaffBases(t.ctx, actorOf(office), { recommended: "yes" })).total).toBe(0);
    const page = await listStaffBases(t.ctx, actorOf(office), { limit: 1, offset: 1 });
    expect(page.rows).toHaveLength(1);
    expect(page.total).toBe(2);
  });
});

describe("the organization's own base", () => {
  it("finds the base by its account link only: an account with the base's USCC but no link sees nothing", async () => {
    expect((await getOwnBase(t.ctx, actorOf(longyouOrg)))?.base.id).toBe(longyouBase);
    expect((await getOwnBase(t.ctx, actorOf(jiangshanOrg)))?.base.id).toBe(jiangshanBase);
    expect(await getOwnBase(t.ctx, actorOf(otherOrg))).toBeNull();
    const sameUscc = await createUserRecord(t.ctx, { role: "org", regionCode: "330824" });
    await makeBase(sameUscc, "330824", "同代码未关联科普教育基地", { linkOrg: false });
    expect(await getOwnBase(t.ctx, actorOf(sameUscc))).toBeNull();
    expect((await errorOf(getOwnBase(t.ctx, actorOf(office)))).code).toBe("FORBIDDEN");
  });

  it("edits only the public fields, bumps the cache generation and audits before/after", async () => {
    const gen = await readGenerations(t.ctx, ["bases"]);
    const own = (await getOwnBase(t.ctx, actorOf(longyouOrg)))!.base;
    const input = { ...profile(own.version), name: "偷改名称科普教育基地", region_code: "330881" };
    const row = await updateBaseProfile(t.ctx, actorOf(longyouOrg), input as ReturnType<typeof profile>);
    expect(row).toMatchObject({
      intro: "新的简介",
      open_days: 300,
      address: "龙游县龙洲街道",
      name: "龙游石窟科普教育基地",
      region_code: "330825",
      version: own.version + 1,
    });
    expect(row.search_text).toContain("龙洲街道");
    expect(await readGenerations(t.ctx, ["bases"])).not.toBe(gen);
    const [a] = await audits("base.update_profile");
    expect(JSON.parse(a.detail!)).toMatchObject({ after: { intro: "新的简介" } });
  });

  it("a stale version is a conflict with a clear message, and nothing changes", async () => {
    const own = (await getOwnBase(t.ctx, actorOf(longyouOrg)))!.base;
    const e = await errorOf(
      updateBaseProfile(t.ctx, actorOf(longyouOrg), profile(own.version - 1, { intro: "旧窗口" })),
    );
    expect(e.code).toBe("CONFLICT");
    expect(e.message).toContain("刷新");
    expect((await getOwnBase(t.ctx, actorOf(longyouOrg)))!.base.intro).toBe("新的简介");
  });

  it("an org without a base, or staff, cannot edit", async () => {
    expect((await errorOf(updateBaseProfile(t.ctx, actorOf(otherOrg), profile(1)))).code).toBe("NOT_FOUND");
    expect((await errorOf(updateBaseProfile(t.ctx, actorOf(office), profile(1)))).code).toBe("FORBIDDEN");
  });
});

describe("recommendation", () => {
  it("the office recommends and withdraws; others may not", async () => {
    const v = (await getStaffBase(t.ctx, actorOf(office), jiangshanBase)).base.version;
    expect(
      (
        await errorOf(
          recommendBase(t.ctx, actorOf(city), jiangshanBase, { level: "province", note: "", version: v }),
        )
      ).code,
    ).toBe("FORBIDDEN");
    const r = await recommendBase(t.ctx, actorOf(office), jiangshanBase, {
      level: "province",
      note: "推荐申报省级",
      version: v,
    });
    expect(r).toMatchObject({ recommended_level: "province", recommended_note: "推荐申报省级" });
    expect(
      (await listStaffBases(t.ctx, actorOf(office), { recommended: "province" })).rows.map((x) => x.id),
    ).toEqual([jiangshanBase]);
    const stale = await errorOf(
      recommendBase(t.ctx, actorOf(office), jiangshanBase, { level: "nation", note: "", version: v }),
    );
    expect(stale.code).toBe("CONFLICT");
    const off = await recommendBase(t.ctx, actorOf(office), jiangshanBase, {
      level: null,
      note: "",
      version: r.version,
    });
    expect(off).toMatchObject({ recommended_level: null, recommended_at: null });
    expect((await audits("base.unrecommend")).length).toBe(1);
  });
});

describe("change reports", () => {
  it("on time: approval applies the new values and the base stays active", async () => {
    const report = await fileChangeReport(
      t.ctx,
      actorOf(longyouOrg),
      changeReportSchema.parse({
        kind: "rename",
        happenedOn: "2024-01-15",
        name: "龙游石窟景区科普教育基地",
        unitName: "龙游石窟景区管理处",
        explanation: "单位更名",
      }),
    );
    expect(report).toMatchObject({ status: "pending", late: 0 });
    // A second report waits for the first.
    const again = await errorOf(
      fileChangeReport(
        t.ctx,
        actorOf(longyouOrg),
        changeReportSchema.parse({
          kind: "contact",
          happenedOn: "2024-01-15",
          contactName: "王",
          explanation: "x",
        }),
      ),
    );
    expect(again.code).toBe("CONFLICT");
    // Only the office decides, and only in its scope.
    expect((await errorOf(listChangeReports(t.ctx, actorOf(longyouStaff)))).code).toBe("FORBIDDEN");
    expect(
      (
        await errorOf(
          decideChangeReport(t.ctx, actorOf(longyouStaff), report.id, {
            decision: "approve",
            reply: "",
            version: 1,
          }),
        )
      ).code,
    ).toBe("FORBIDDEN");
    const queue = await listChangeReports(t.ctx, actorOf(office), { status: "pending" });
    expect(queue.rows.map((r) => r.id)).toEqual([report.id]);
    expect((await listChangeReports(t.ctx, actorOf(longyouOrg))).rows).toHaveLength(1);
    expect((await listChangeReports(t.ctx, actorOf(jiangshanOrg))).rows).toHaveLength(0);
    expect((await errorOf(getChangeReport(t.ctx, actorOf(jiangshanOrg), report.id))).code).toBe("NOT_FOUND");

    const decided = await decideChangeReport(t.ctx, actorOf(office), report.id, {
      decision: "approve",
      reply: "",
      version: report.version,
    });
    expect(decided.status).toBe("approved");
    const base = (await getStaffBase(t.ctx, actorOf(office), longyouBase)).base;
    expect(base).toMatchObject({
      name: "龙游石窟景区科普教育基地",
      unit_name: "龙游石窟景区管理处",
      status: "active",
    });
    expect(base.search_text).toContain("景区管理处");
    // Deciding twice is a conflict.
    const twice = await errorOf(
      decideChangeReport(t.ctx, actorOf(office), report.id, {
        decision: "approve",
        reply: "",
        version: report.version,
      }),
    );
    expect(twice.code).toBe("CONFLICT");
    const inbox = await t.ctx.db
      .selectFrom("notifications")
      .select("title")
      .where("user_id", "=", longyouOrg.id)
      .execute();
    expect(inbox.map((n) => n.title)).toContain("变更申报已同意");
  });

  it("late (2023-11-30 filed 2024-03-10) merger: marked late; approval puts the base on warning citing 第十八条（三）", async () => {
    const report = await fileChangeReport(
      t.ctx,
      actorOf(jiangshanOrg),
      changeReportSchema.parse({
        kind: "merger",
        happenedOn: "2023-11-30",
        unitName: "江山市文化和广电旅游体育局",
        explanation: "机构合并",
      }),
    );
    expect(report.late).toBe(1);
    const { report: seen } = await getChangeReport(t.ctx, actorOf(office), report.id);
    expect(seen.late).toBe(1);
    await decideChangeReport(t.ctx, actorOf(office), report.id, {
      decision: "approve",
      reply: "",
      version: 1,
    });
    const base = (await getStaffBase(t.ctx, actorOf(jiangshanStaff), jiangshanBase)).base;
    expect(base.status).toBe("warning");
    expect(base.warning_note).toContain("第十八条（三）");
    expect(base.unit_name).toBe("江山市文化和广电旅游体育局");
  });

  it("a returned report changes nothing on the base and needs no version of the base", async () => {
    const before = (await getStaffBase(t.ctx, actorOf(office), longyouBase)).base;
    const report = await fileChangeReport(
      t.ctx,
      actorOf(longyouOrg),
      changeReportSchema.parse({
        kind: "contact",
        happenedOn: "2024-03-01",
        contactName: "新联系人",
        contactPhone: "13912345678",
        explanation: "联系人调整",
      }),
    );
    await decideChangeReport(t.ctx, actorOf(office), report.id, {
      decision: "return",
      reply: "请补充任命文件",
      version: 1,
    });
    const after = (await getStaffBase(t.ctx, actorOf(office), longyouBase)).base;
    expect(after.contact_name).toBe(before.contact_name);
    expect(after.version).toBe(before.version);
    const mine = await listChangeReports(t.ctx, actorOf(longyouOrg));
    expect(mine.rows.find((r) => r.id === report.id)).toMatchObject({
      status: "returned",
      reply: "请补充任命文件",
    });
  });

  it("refuses a change dated in the future", async () => {
    const e = await errorOf(
      fileChangeReport(
        t.ctx,
        actorOf(longyouOrg),
        changeReportSchema.parse({
          kind: "contact",
          happenedOn: "2024-03-11",
          contactName: "王",
          explanation: "x",
        }),
      ),
    );
    expect(e.fieldErrors?.happenedOn).toContain("不能晚于今天");
  });
});

describe("revocation", () => {
  it("only the office revokes; the base keeps showing to staff with its status; the org is told", async () => {
    const v = (await getStaffBase(t.ctx, actorOf(office), longyouBase)).base.version;
    const input = { reason: 5, explanation: "已不具备开放条件", version: v };
    expect((await errorOf(revokeBase(t.ctx, actorOf(longyouStaff), longyouBase, input))).code).toBe(
      "FORBIDDEN",
    );
    expect(
      (await errorOf(revokeBase(t.ctx, actorOf(office), longyouBase, { ...input, version: v - 1 }))).code,
    ).toBe("CONFLICT");
    const row = await revokeBase(t.ctx, actorOf(office), longyouBase, input);
    expect(row).toMatchObject({
      status: "revoked",
      revocation_reason: 5,
      revocation_note: "已不具备开放条件",
    });
    expect(row.revoked_at).toBe(clock.now().toISOString());
    const list = await listStaffBases(t.ctx, actorOf(longyouStaff), {});
    expect(list.rows.map((r) => [r.id, r.status])).toEqual([[longyouBase, "revoked"]]);
    expect((await listStaffBases(t.ctx, actorOf(office), { status: "revoked" })).total).toBe(1);
    const inbox = await t.ctx.db
      .selectFrom("notifications")
      .select(["title", "body"])
      .where("user_id", "=", longyouOrg.id)
      .where("kind", "=", "base.revoke")
      .execute();
    expect(inbox[0].body).toContain("已不具备科普基地条件的");
    // Revoked: the org still sees it, but can no longer edit it or file changes; no second revocation.
    expect((await getOwnBase(t.ctx, actorOf(longyouOrg)))?.base.status).toBe("revoked");
    expect(
      (await errorOf(updateBaseProfile(t.ctx, actorOf(longyouOrg), profile(row.version)))).message,
    ).toContain("撤销");
    expect(
      (await errorOf(revokeBase(t.ctx, actorOf(office), longyouBase, { ...input, version: row.version })))
        .code,
    ).toBe("CONFLICT");
    const [a] = await audits("base.revoke");
    expect(JSON.parse(a.detail!)).toMatchObject({
      before: { status: "active" },
      after: { status: "revoked" },
    });
  });
});

describe("keyword search", () => {
  it("treats % and _ literally on both engines", async () => {
    const id = await makeBase(null, "330802", "折扣100%_体验科普教育基地");
    expect((await listStaffBases(t.ctx, actorOf(office), { q: "100%_" })).rows.map((r) => r.id)).toEqual([
      id,
    ]);
    expect((await listStaffBases(t.ctx, actorOf(office), { q: "0%" })).rows.map((r) => r.id)).toEqual([id]);
    expect((await listStaffBases(t.ctx, actorOf(office), { q: "00_" })).total).toBe(0);
    expect((await listStaffBases(t.ctx, actorOf(office), { q: "1_0" })).total).toBe(0);
  });
});
