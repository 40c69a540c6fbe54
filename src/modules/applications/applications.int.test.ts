import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fixedClock } from "#src/platform/clock.ts";
import type { AppError } from "#src/platform/errors.ts";
import {
  attachRequiredFiles,
  createEighthBatchCall,
  validApplicationForm,
} from "../../../tests/support/application-fixtures.ts";
import { actorOf, createUserRecord, errorOf, type MadeUser } from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { insertBase } from "../bases/bases-directory.fixtures.ts";
import { draftFromForm } from "./applications.schema.ts";
import {
  ALREADY_APPLIED,
  alreadyRecognized,
  countyTargets,
  getApplication,
  listReviewQueue,
  recordSiteInspection,
  reviewApplication,
  saveDraft,
  startApplication,
  submitApplication,
  withdrawApplication,
} from "./applications.server.ts";

const clock = fixedClock("2023-02-20T10:00:00+08:00");
let t: TestContext;
let callId: string;
let county: MadeUser;
let jiangshan: MadeUser;
let city: MadeUser;
let office: MadeUser;

beforeAll(async () => {
  t = await createTestContext({ clock });
  callId = await createEighthBatchCall(t.ctx);
  county = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
  jiangshan = await createUserRecord(t.ctx, { role: "county", regionCode: "330881" });
  city = await createUserRecord(t.ctx, { role: "city" });
  office = await createUserRecord(t.ctx, { role: "office" });
});
afterAll(async () => t?.close());
beforeEach(() => clock.set("2023-02-20T10:00:00+08:00"));

/** An org with a complete draft, ready to submit. */
async function readyDraft(regionCode = "330825") {
  const org = await createUserRecord(t.ctx, { role: "org", regionCode });
  const id = await startApplication(t.ctx, actorOf(org), callId);
  const form = { ...validApplicationForm(), regionCode };
  const { version } = await saveDraft(t.ctx, actorOf(org), id, draftFromForm(form), 1);
  await attachRequiredFiles(t.ctx, id, regionCode);
  return { org, id, version };
}

const review = (
  user: MadeUser,
  id: string,
  version: number,
  action: string,
  extra: Record<string, string> = {},
) =>
  reviewApplication(t.ctx, actorOf(user), id, {
    action: action as never,
    opinion: "",
    internalNote: "",
    opinionDate: "",
    returnDeadline: "",
    score: "",
    version,
    ...extra,
  });

describe("drafts", () => {
  it("comes back to the same draft, prefilled from the account", async () => {
    const org = await createUserRecord(t.ctx, { role: "org" });
    const id = await startApplication(t.ctx, actorOf(org), callId);
    expect(await startApplication(t.ctx, actorOf(org), callId)).toBe(id);
    const { app } = await getApplication(t.ctx, actorOf(org), id);
    expect(app.status).toBe("draft");
    expect(app.unit_name).toContain("测试单位");
  });

  it("keeps whatever was typed, even invalid values, and checks the version", async () => {
    const org = await createUserRecord(t.ctx, { role: "org" });
    const id = await startApplication(t.ctx, actorOf(org), callId);
    const draft = draftFromForm({ baseName: "还没写完", intro: "科".repeat(1200), leaderPhone: "123" });
    const saved = await saveDraft(t.ctx, actorOf(org), id, draft, 1);
    const { app } = await getApplication(t.ctx, actorOf(org), id);
    expect(app.base_name).toBe("还没写完");
    expect([...app.intro].length).toBe(1200);
    expect(app.leader_phone).toBe("123");
    expect((await errorOf(saveDraft(t.ctx, actorOf(org), id, draft, 1))).code).toBe("CONFLICT");
    await saveDraft(t.ctx, actorOf(org), id, draft, saved.version);
  });

  it("refuses a second application by the same organization", async () => {
    const { org } = await readyDraft();
    const other = await createEighthBatchCall(t.ctx);
    const e = await errorOf(startApplication(t.ctx, actorOf(org), other));
    expect(e.message).toBe(ALREADY_APPLIED);
  });

  it("refuses an org whose USCC belongs to a recognized base (no application on file), but not a revoked one", async () => {
    const org = await createUserRecord(t.ctx, { role: "org", regionCode: "330802" });
    await insertBase(t.ctx, { uscc: org.login, region_code: "330802", batch_no: 1 });
    const e = await errorOf(startApplication(t.ctx, actorOf(org), callId));
    expect(e.code).toBe("CONFLICT");
    expect(e.message).toBe(alreadyRecognized("衢州市"));
    expect(e.message).toContain("已被认定为衢州市科普教育基地");
    const none = await t.ctx.db
      .selectFrom("applications")
      .select("id")
      .where("org_id", "=", org.id)
      .execute();
    expect(none).toHaveLength(0);

    const revokedOrg = await createUserRecord(t.ctx, { role: "org" });
    await insertBase(t.ctx, {
      uscc: revokedOrg.login,
      status: "revoked",
      revoked_at: "2022-01-01T00:00:00.000Z",
    });
    expect(await startApplication(t.ctx, actorOf(revokedOrg), callId)).toBeTruthy();
  });

  it("refuses submitting a draft started before the org's base was linked, and does not count it", async () => {
    const { org, id, version } = await readyDraft("330822");
    await insertBase(t.ctx, { org_id: org.id, region_code: "330822" });
    const e = await errorOf(submitApplication(t.ctx, actorOf(org), id, version));
    expect(e.message).toBe(alreadyRecognized("衢州市"));
    expect((await errorOf(startApplication(t.ctx, actorOf(org), callId))).message).toBe(
      alreadyRecognized("衢州市"),
    );
    const row = await t.ctx.db
      .selectFrom("applications")
      .select("status")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("draft");
    const changshan = (await countyTargets(t.ctx, actorOf(city), callId)).find(
      (c) => c.regionCode === "330822",
    );
    expect(changshan?.submitted).toBe(0);
  });

  it("stores names trimmed and phones in one normal form, completing 3027351 with 衢州's area code", async () => {
    const org = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
    const id = await startApplication(t.ctx, actorOf(org), callId);
    const form = {
      ...validApplicationForm(),
      baseName: " 某某科普教育基地 ",
      unitName: " 某某单位 ",
      bookingPhone: "3027351",
      contactPhone: "+86 139 0570 1234",
      leaderPhone: "139-0570-1234",
      volunteerLeaderPhone: "86-13905701234",
    };
    await saveDraft(t.ctx, actorOf(org), id, draftFromForm(form), 1);
    const { app } = await getApplication(t.ctx, actorOf(org), id);
    expect(app).toMatchObject({
      base_name: "某某科普教育基地",
      unit_name: "某某单位",
      booking_phone: "0570-3027351",
      contact_phone: "13905701234",
      leader_phone: "13905701234",
      volunteer_leader_phone: "13905701234",
    });
  });

  it("never shows a draft to staff", async () => {
    const { id } = await readyDraft();
    expect((await errorOf(getApplication(t.ctx, actorOf(county), id))).status).toBe(404);
  });
});

describe("submitting", () => {
  it("names every problem of an incomplete application, beside its field", async () => {
    const org = await createUserRecord(t.ctx, { role: "org" });
    const id = await startApplication(t.ctx, actorOf(org), callId);
    const e = await errorOf(submitApplication(t.ctx, actorOf(org), id, 1));
    expect(e.code).toBe("VALIDATION");
    expect(e.fieldErrors?.baseName).toBe("请填写基地名称");
    expect(e.fieldErrors?.file_overview_photos).toBe("「基地概况照片」需上传 至少 3 个文件，当前 0 个");
    expect(e.fieldErrors?.file_stamped_form).toBe("「盖章的申报表」需上传 1 个文件，当前 0 个");
  });

  it("accepts a submission at 2023-02-28 23:59:59+08:00", async () => {
    const { org, id, version } = await readyDraft();
    clock.set("2023-02-28T23:59:59+08:00");
    expect(await submitApplication(t.ctx, actorOf(org), id, version)).toBe("county_review");
  });

  it("refuses one at 2023-03-01 00:00:00+08:00 and keeps the draft", async () => {
    const { org, id, version } = await readyDraft();
    clock.set("2023-03-01T00:00:00+08:00");
    const e = await errorOf(submitApplication(t.ctx, actorOf(org), id, version));
    expect(e.message).toBe("申报已截止，无法提交。草稿已保留。");
    const { app } = await getApplication(t.ctx, actorOf(org), id);
    expect(app.status).toBe("draft");
    expect(app.base_name).toBe("龙游县科技馆科普教育基地");
  });
});

describe("the review chain", () => {
  it("goes county → city (with a site inspection) → office, and the applicant sees each step but no internal note", async () => {
    const { org, id, version } = await readyDraft();
    await submitApplication(t.ctx, actorOf(org), id, version);
    let v = version + 1;
    await review(county, id, v++, "recommend", {
      opinion: "同意推荐",
      opinionDate: "2023-03-02",
      internalNote: "县内排名第一",
    });
    await recordSiteInspection(t.ctx, actorOf(city), id, {
      inspectedOn: "2023-03-10",
      inspectors: "赵、钱",
      findings: "场地与材料相符",
      version: v++,
    });
    await review(city, id, v++, "pass", { opinion: "评审通过", score: "88.5" });
    await review(office, id, v++, "confirm", { opinion: "列入拟认定名单" });

    const staffView = await getApplication(t.ctx, actorOf(office), id);
    expect(staffView.app.status).toBe("proposed");
    expect(staffView.app.city_score).toBe(88.5);
    expect(staffView.events.map((e) => e.action)).toEqual([
      "submit",
      "recommend",
      "inspect",
      "pass",
      "confirm",
    ]);
    expect(staffView.events[1].internal_note).toBe("县内排名第一");

    const mine = await getApplication(t.ctx, actorOf(org), id);
    expect(mine.events.map((e) => e.opinion)).toContain("同意推荐");
    expect(mine.events.every((e) => e.internal_note === null)).toBe(true);

    const inbox = await t.ctx.db
      .selectFrom("notifications")
      .select("kind")
      .where("user_id", "=", org.id)
      .execute();
    expect(inbox.map((n) => n.kind)).toEqual(
      expect.arrayContaining(["application.recommend", "application.pass", "application.confirm"]),
    );
    const outbox = await t.ctx.db.selectFrom("outbox").select("status").execute();
    expect(outbox.length).toBeGreaterThan(0);
  });

  it("returns for revision with a reason and deadline; the resubmission goes back to the stage that returned it", async () => {
    const { org, id, version } = await readyDraft();
    await submitApplication(t.ctx, actorOf(org), id, version);
    let v = version + 1;
    await review(county, id, v++, "recommend");
    const missing = await errorOf(review(city, id, v, "return"));
    expect(missing.fieldErrors).toEqual({
      opinion: "请填写意见或理由",
      returnDeadline: "请填写重新提交期限",
    });
    await review(city, id, v++, "return", { opinion: "照片不清晰", returnDeadline: "2023-03-15" });
    const returned = await getApplication(t.ctx, actorOf(org), id);
    expect(returned.app.status).toBe("returned");
    expect(returned.app.returned_from).toBe("city_review");

    // Revising is allowed after the call closed, until the resubmission deadline.
    clock.set("2023-03-10T12:00:00+08:00");
    const saved = await saveDraft(t.ctx, actorOf(org), id, draftFromForm(validApplicationForm()), v);
    expect(await submitApplication(t.ctx, actorOf(org), id, saved.version)).toBe("city_review");
  });

  it("refuses a resubmission after its deadline", async () => {
    const { org, id, version } = await readyDraft();
    await submitApplication(t.ctx, actorOf(org), id, version);
    await review(county, id, version + 1, "return", { opinion: "补材料", returnDeadline: "2023-02-25" });
    clock.set("2023-02-26T00:00:00+08:00");
    const e = await errorOf(submitApplication(t.ctx, actorOf(org), id, version + 2));
    expect(e.message).toContain("已超过重新提交期限");
  });

  it("lets the applicant withdraw until the county acts", async () => {
    const a = await readyDraft();
    await submitApplication(t.ctx, actorOf(a.org), a.id, a.version);
    await withdrawApplication(t.ctx, actorOf(a.org), a.id, a.version + 1);
    expect((await getApplication(t.ctx, actorOf(a.org), a.id)).app.status).toBe("withdrawn");

    const b = await readyDraft();
    await submitApplication(t.ctx, actorOf(b.org), b.id, b.version);
    await review(county, b.id, b.version + 1, "recommend");
    expect(
      (await errorOf(withdrawApplication(t.ctx, actorOf(b.org), b.id, b.version + 2))).message,
    ).toContain("不能撤回");
  });

  it("refuses the wrong stage's reviewer", async () => {
    const { org, id, version } = await readyDraft();
    await submitApplication(t.ctx, actorOf(org), id, version);
    expect((await errorOf(review(city, id, version + 1, "pass"))).code).toBe("CONFLICT");
  });

  it("records exactly one transition when two reviewers approve at once", async () => {
    const { org, id, version } = await readyDraft();
    await submitApplication(t.ctx, actorOf(org), id, version);
    const county2 = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
    const results = await Promise.allSettled([
      review(county, id, version + 1, "recommend"),
      review(county2, id, version + 1, "recommend"),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((rejected.reason as AppError).code).toBe("CONFLICT");
    const events = await t.ctx.db
      .selectFrom("application_events")
      .selectAll()
      .where("application_id", "=", id)
      .execute();
    expect(events.filter((e) => e.action === "recommend")).toHaveLength(1);
  });
});

describe("scoping", () => {
  it("never shows a 龙游县 application to a 江山市 county user", async () => {
    const { org, id, version } = await readyDraft("330825");
    await submitApplication(t.ctx, actorOf(org), id, version);
    expect((await errorOf(getApplication(t.ctx, actorOf(jiangshan), id))).status).toBe(404);
    const queue = await listReviewQueue(t.ctx, actorOf(jiangshan), { limit: 100 });
    expect(queue.rows.every((r) => r.region_code === "330881")).toBe(true);
    expect(queue.rows.some((r) => r.id === id)).toBe(false);
    expect((await errorOf(review(jiangshan, id, version + 1, "recommend"))).status).toBe(404);
    const mine = await listReviewQueue(t.ctx, actorOf(county), { limit: 100 });
    expect(mine.rows.some((r) => r.id === id)).toBe(true);
  });

  it("recounts N of M after every decision, though the counts are kept between changes", async () => {
    const { org, id, version } = await readyDraft("330825");
    const before = await listReviewQueue(t.ctx, actorOf(county), { callId });
    await submitApplication(t.ctx, actorOf(org), id, version);
    const submitted = await listReviewQueue(t.ctx, actorOf(county), { callId });
    expect(submitted.pending).toBe(before.pending + 1);
    expect(submitted.total).toBe(before.total + 1);
    await review(county, id, version + 1, "recommend");
    const after = await listReviewQueue(t.ctx, actorOf(county), { callId });
    expect(after.pending).toBe(before.pending);
    expect(after.done).toBe(before.done + 1);
    // The city's view of the same call was cached before and changed too.
    const city1 = await listReviewQueue(t.ctx, actorOf(city), { callId });
    expect(city1.pending).toBeGreaterThan(0);
    await review(city, id, version + 2, "pass", { opinion: "通过" });
    const city2 = await listReviewQueue(t.ctx, actorOf(city), { callId });
    expect(city2.pending).toBe(city1.pending - 1);
    expect(city2.done).toBe(city1.done + 1);
  });

  it("counts N of M done and targets per county", async () => {
    const q = await listReviewQueue(t.ctx, actorOf(county), { callId });
    expect(q.done + q.pending).toBeGreaterThan(0);
    const targets = await countyTargets(t.ctx, actorOf(city), callId);
    expect(targets).toHaveLength(6);
    const longyou = targets.find((r) => r.regionCode === "330825")!;
    expect(longyou.target).toBe(6);
    expect(longyou.submitted).toBeGreaterThanOrEqual(longyou.recommended);
    const own = await countyTargets(t.ctx, actorOf(jiangshan), callId);
    expect(own.map((r) => r.regionCode)).toEqual(["330881"]);
  });
});
