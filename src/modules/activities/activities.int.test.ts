import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertBase } from "#src/modules/bases/bases-import.server.ts";
import { readGenerations } from "#src/platform/cache/generations.server.ts";
import { fixedClock } from "#src/platform/clock.ts";
import { newId } from "#src/platform/ids.ts";
import { runDueJobs } from "#src/platform/jobs/jobs.server.ts";
import {
  actorOf,
  createUserRecord,
  errorOf,
  linkBase,
  type MadeUser,
  makeUscc,
} from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { announcementSchema, campaignSchema, reportSchema } from "./activities.schema.ts";
import {
  ACTIVITY_JOB_HANDLERS,
  ANNOUNCER_REFUSED,
  activityFileAccess,
  announceActivity,
  checkAnnouncer,
  createCampaign,
  deleteCampaign,
  fileReport,
  getEditableActivity,
  getPublicActivity,
  listBaseActivities,
  listOpenCampaigns,
  listPublicActivities,
  listReportQueue,
  reviewReport,
  startAnnouncement,
  updateAnnouncement,
} from "./activities.server.ts";
import { prepareActivitiesXlsx } from "./activities-export.server.ts";
import { activitiesIcs } from "./activities-ics.server.ts";
import { activityStats } from "./activity-stats.server.ts";

const clock = fixedClock("2024-05-10T10:00:00+08:00");
let t: TestContext;
let office: MadeUser;
let city: MadeUser;
let evaluator: MadeUser;
let longyouStaff: MadeUser;
let jiangshanStaff: MadeUser;
let longyouOrg: MadeUser;
let jiangshanOrg: MadeUser;
let strangerOrg: MadeUser;
let longyouBase: string;
let longyouUscc: string;
let jiangshanBase: string;
let jiangshanUscc: string;
let revokedBase: string;
let scienceDay: string;

async function makeBase(org: MadeUser | null, regionCode: string, name: string, status = "active") {
  const uscc = org?.login ?? makeUscc();
  const id = await insertBase(
    t.ctx.db,
    {
      uscc,
      org_id: org?.id ?? null,
      name,
      unit_name: name.replace("科普教育基地", ""),
      region_code: regionCode,
      category_code: "science_venue",
      batch_no: 5,
      recognized_year: 2020,
      status: status as "active",
    },
    clock.now().toISOString(),
  );
  if (org) await linkBase(t.ctx, id, org.id);
  return { id, uscc };
}

const form = (over: Record<string, string> = {}) =>
  announcementSchema.parse({
    name: "天文科普讲座",
    type: "lecture",
    form: "offline",
    startsAt: "2024-05-12T09:00",
    endsAt: "2024-05-12T11:00",
    place: "报告厅",
    link: "",
    audience: "中小学生",
    expectedParticipants: "100",
    fee: "free",
    direction: "in",
    campaignIds: "",
    contactName: "林老师",
    contactPhone: "13905701234",
    description: "介绍太阳系。",
    ...over,
  });

const report = (version: number, participants = "86") =>
  reportSchema.parse({
    links: "https://news.example.cn/a/1",
    actualParticipants: participants,
    summary: "活动顺利举行，学生反响热烈。",
    version: String(version),
  });

async function addFile(activityId: string, slot: string, regionCode = "330825") {
  const id = newId();
  await t.ctx.db
    .insertInto("files")
    .values({
      id,
      storage_key: `test/${id}`,
      original_name: "活动.jpg",
      mime: slot === "activity_videos" ? "video/mp4" : "image/jpeg",
      size: 1000,
      sha256: "0".repeat(64),
      kind: slot === "activity_videos" ? "video" : "image",
      width: null,
      height: null,
      thumb_key: null,
      owner_type: "activity",
      owner_id: activityId,
      slot,
      region_code: regionCode,
      created_by: null,
      created_at: clock.now().toISOString(),
    })
    .execute();
}

const versionOf = async (id: string) =>
  (await t.ctx.db.selectFrom("activities").select("version").where("id", "=", id).executeTakeFirstOrThrow())
    .version;

const notificationsOf = (userId: string, kind: string) =>
  t.ctx.db
    .selectFrom("notifications")
    .selectAll()
    .where("user_id", "=", userId)
    .where("kind", "=", kind)
    .execute();

beforeAll(async () => {
  t = await createTestContext({ clock });
  office = await createUserRecord(t.ctx, { role: "office" });
  city = await createUserRecord(t.ctx, { role: "city" });
  evaluator = await createUserRecord(t.ctx, { role: "evaluator" });
  longyouStaff = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
  jiangshanStaff = await createUserRecord(t.ctx, { role: "county", regionCode: "330881" });
  longyouOrg = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
  jiangshanOrg = await createUserRecord(t.ctx, { role: "org", regionCode: "330881" });
  strangerOrg = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
  ({ id: longyouBase, uscc: longyouUscc } = await makeBase(
    longyouOrg,
    "330825",
    "龙游县测试科技馆科普教育基地",
  ));
  ({ id: jiangshanBase, uscc: jiangshanUscc } = await makeBase(
    jiangshanOrg,
    "330881",
    "江山市测试博物馆科普教育基地",
  ));
  ({ id: revokedBase } = await makeBase(null, "330825", "已撤销测试科普教育基地", "revoked"));
  scienceDay = await createCampaign(
    t.ctx,
    actorOf(office),
    campaignSchema.parse({
      kind: "science_day",
      title: "2024年全国科普日",
      startsOn: "2024-05-01",
      endsOn: "2024-09-30",
      description: "各基地免费开放。",
      expectations: "免费或优惠开放",
    }),
  );
});
afterAll(async () => t?.close());

describe("campaigns", () => {
  it("are published by the office only", async () => {
    const input = campaignSchema.parse({
      kind: "tech_week",
      title: "科技活动周",
      startsOn: "2024-05-18",
      endsOn: "2024-05-25",
      description: "说明",
    });
    expect((await errorOf(createCampaign(t.ctx, actorOf(longyouStaff), input))).code).toBe("FORBIDDEN");
    expect((await errorOf(createCampaign(t.ctx, actorOf(city), input))).code).toBe("FORBIDDEN");
    const id = await createCampaign(t.ctx, actorOf(office), input);
    expect((await listOpenCampaigns(t.ctx)).map((c) => c.id)).toEqual(
      expect.arrayContaining([scienceDay, id]),
    );
    await deleteCampaign(t.ctx, actorOf(office), id);
    expect((await listOpenCampaigns(t.ctx)).map((c) => c.id)).not.toContain(id);
  });
  it("are no longer open after their last day", async () => {
    clock.set("2024-10-01T00:00:00+08:00");
    expect((await listOpenCampaigns(t.ctx)).map((c) => c.id)).not.toContain(scienceDay);
    clock.set("2024-05-10T10:00:00+08:00");
  });
});

describe("who announces (附件3 二)", () => {
  it("an org login announces for its own base without typing the USCC", async () => {
    const before = await readGenerations(t.ctx, ["activities"]);
    const id = await announceActivity(t.ctx, actorOf(longyouOrg), longyouBase, form());
    expect((await readGenerations(t.ctx, ["activities"])) === before).toBe(false);
    const audit = await t.ctx.db
      .selectFrom("audit_events")
      .selectAll()
      .where("target_id", "=", id)
      .where("action", "=", "activity.announce")
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail ?? "{}").via).toBe("own");
    expect(await notificationsOf(longyouStaff.id, "activity.announced")).toHaveLength(1);
    expect(await notificationsOf(jiangshanStaff.id, "activity.announced")).toHaveLength(0);
  });
  it("anyone else must type the USCC", async () => {
    const e = await errorOf(checkAnnouncer(t.ctx, actorOf(longyouStaff), longyouBase, ""));
    expect(e.code).toBe("VALIDATION");
    expect(e.fieldErrors?.uscc).toBe("请输入统一社会信用代码");
  });
  it("refuses a wrong USCC with the code's own error", async () => {
    const wrong = `${longyouUscc.slice(0, 17)}${longyouUscc[17] === "0" ? "1" : "0"}`;
    const e = await errorOf(checkAnnouncer(t.ctx, actorOf(longyouStaff), longyouBase, wrong));
    expect(e.code).toBe("VALIDATION");
    expect(e.message).toContain("统一社会信用代码有误");
    expect(e.fieldErrors?.uscc).toContain("校验");
  });
  it("answers another base's USCC, an unknown one and an out-of-scope actor alike, auditing the truth", async () => {
    const other = await errorOf(checkAnnouncer(t.ctx, actorOf(longyouStaff), longyouBase, jiangshanUscc));
    const unknown = await errorOf(checkAnnouncer(t.ctx, actorOf(longyouStaff), longyouBase, makeUscc()));
    const outOfScope = await errorOf(
      checkAnnouncer(t.ctx, actorOf(jiangshanStaff), longyouBase, longyouUscc),
    );
    for (const e of [other, unknown, outOfScope]) {
      expect(e.code).toBe("VALIDATION");
      expect(e.message).toBe(ANNOUNCER_REFUSED);
      expect(e.message).not.toContain("江山");
    }
    const audit = await t.ctx.db
      .selectFrom("audit_events")
      .select("detail")
      .where("action", "=", "activity.uscc_mismatch")
      .orderBy("id")
      .execute();
    expect(audit.slice(-3).map((a) => JSON.parse(a.detail ?? "{}"))).toEqual([
      { matches: false, inScope: true },
      { matches: false, inScope: true },
      { matches: true, inScope: false },
    ]);
  });
  it("tests at most 10 codes per user and IP, also when 30 arrive at once; a confirmation does not count", async () => {
    const staff = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
    const actor = { ...actorOf(staff), ip: "198.51.100.7" };
    for (let i = 0; i < 3; i++) await checkAnnouncer(t.ctx, actor, longyouBase, longyouUscc);
    const wrong = () => errorOf(checkAnnouncer(t.ctx, actor, longyouBase, makeUscc())).then((e) => e.code);
    for (let i = 0; i < 10; i++) expect(await wrong()).toBe("VALIDATION");
    expect(await wrong()).toBe("RATE_LIMITED");

    const other = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
    const burst = { ...actorOf(other), ip: "198.51.100.8" };
    const codes = await Promise.all(
      Array.from({ length: 30 }, () =>
        errorOf(checkAnnouncer(t.ctx, burst, longyouBase, makeUscc())).then((e) => e.code),
      ),
    );
    // Two counters (user, IP): each admits 10, so at most 10 pass both.
    const tested = codes.filter((c) => c === "VALIDATION").length;
    expect(tested).toBeGreaterThan(0);
    expect(tested).toBeLessThanOrEqual(10);
    expect(codes.filter((c) => c === "RATE_LIMITED")).toHaveLength(30 - tested);
  });
  it("lets staff in scope announce with the right USCC (full-width and lower case accepted)", async () => {
    const typed = longyouUscc.toLowerCase();
    expect((await checkAnnouncer(t.ctx, actorOf(longyouStaff), longyouBase, typed)).via).toBe("uscc");
    const id = await announceActivity(t.ctx, actorOf(city), longyouBase, { ...form(), uscc: longyouUscc });
    expect((await getPublicActivity(t.ctx, id)).baseName).toBe("龙游县测试科技馆科普教育基地");
    // The base's own org hears of an activity announced on its behalf.
    expect((await notificationsOf(longyouOrg.id, "activity.announced")).length).toBeGreaterThan(0);
  });
  it("refuses a county outside the base's region, the evaluator and anonymous visitors", async () => {
    expect(
      (await errorOf(checkAnnouncer(t.ctx, actorOf(jiangshanStaff), longyouBase, longyouUscc))).message,
    ).toBe(ANNOUNCER_REFUSED);
    expect((await errorOf(checkAnnouncer(t.ctx, actorOf(evaluator), longyouBase, longyouUscc))).code).toBe(
      "FORBIDDEN",
    );
    expect((await errorOf(checkAnnouncer(t.ctx, actorOf(null), longyouBase, longyouUscc))).code).toBe(
      "UNAUTHENTICATED",
    );
  });
  it("an org not linked to the base may not act for it, even with the base's own USCC", async () => {
    expect((await errorOf(checkAnnouncer(t.ctx, actorOf(jiangshanOrg), longyouBase, null))).code).toBe(
      "VALIDATION",
    );
    for (const typed of [jiangshanUscc, longyouUscc])
      expect((await errorOf(checkAnnouncer(t.ctx, actorOf(jiangshanOrg), longyouBase, typed))).message).toBe(
        ANNOUNCER_REFUSED,
      );
  });
  it("limits failed confirmations per user", async () => {
    const prober = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
    for (let i = 0; i < 10; i++)
      expect(
        (await errorOf(checkAnnouncer(t.ctx, { user: prober, ip: null }, longyouBase, makeUscc()))).code,
      ).toBe("VALIDATION");
    const limited = await errorOf(
      checkAnnouncer(t.ctx, { user: prober, ip: null }, longyouBase, longyouUscc),
    );
    expect(limited.code).toBe("RATE_LIMITED");
  });
  it("refuses a revoked base and an unknown one", async () => {
    expect((await errorOf(checkAnnouncer(t.ctx, actorOf(city), revokedBase, null))).code).toBe("CONFLICT");
    expect((await errorOf(checkAnnouncer(t.ctx, actorOf(city), newId(), null))).code).toBe("NOT_FOUND");
  });
  it("opens 【新增基地活动】 with the base's name, the own org's USCC step skipped, or why it is blocked", async () => {
    expect(await startAnnouncement(t.ctx, actorOf(longyouOrg), longyouBase)).toEqual({
      base: { id: longyouBase, name: "龙游县测试科技馆科普教育基地" },
      own: true,
      blocked: null,
    });
    // Another org and staff type the USCC; the name is shown either way.
    for (const who of [jiangshanOrg, longyouStaff, jiangshanStaff])
      expect(await startAnnouncement(t.ctx, actorOf(who), longyouBase)).toMatchObject({
        base: { name: "龙游县测试科技馆科普教育基地" },
        own: false,
        blocked: null,
      });
    expect(await startAnnouncement(t.ctx, actorOf(city), revokedBase)).toMatchObject({
      base: { name: "已撤销测试科普教育基地" },
      own: false,
      blocked: expect.stringContaining("撤销"),
    });
    expect((await errorOf(startAnnouncement(t.ctx, actorOf(city), newId()))).code).toBe("NOT_FOUND");
    expect((await errorOf(startAnnouncement(t.ctx, actorOf(evaluator), longyouBase))).code).toBe("FORBIDDEN");
    expect((await errorOf(startAnnouncement(t.ctx, actorOf(null), longyouBase))).code).toBe(
      "UNAUTHENTICATED",
    );
  });
  it("refuses an announcement after the activity has ended, and an unknown campaign", async () => {
    const past = form({ startsAt: "2024-05-01T09:00", endsAt: "2024-05-01T11:00" });
    const e = await errorOf(announceActivity(t.ctx, actorOf(longyouOrg), longyouBase, past));
    expect(e.fieldErrors?.endsAt).toBe("结束时间已过，不能发布活动预告");
    const bad = { ...form(), campaignIds: [newId()] };
    expect((await errorOf(announceActivity(t.ctx, actorOf(longyouOrg), longyouBase, bad))).code).toBe(
      "VALIDATION",
    );
  });
});

describe("editing and the report (活动小结)", () => {
  let id: string;
  beforeAll(async () => {
    clock.set("2024-05-10T10:00:00+08:00");
    id = await announceActivity(t.ctx, actorOf(longyouOrg), longyouBase, {
      ...form({ name: "小结测试活动" }),
      campaignIds: [scienceDay],
    });
  });
  it("is edited by the base's org and staff in scope; others see nothing", async () => {
    expect((await getEditableActivity(t.ctx, actorOf(longyouOrg), id)).canReport).toBe(false);
    expect((await getEditableActivity(t.ctx, actorOf(longyouStaff), id)).activity.id).toBe(id);
    expect((await errorOf(getEditableActivity(t.ctx, actorOf(strangerOrg), id))).code).toBe("NOT_FOUND");
    expect((await errorOf(getEditableActivity(t.ctx, actorOf(jiangshanStaff), id))).code).toBe("NOT_FOUND");
    const v = await versionOf(id);
    await updateAnnouncement(t.ctx, actorOf(longyouOrg), id, {
      ...form({ name: "小结测试活动（改）" }),
      version: v,
    });
    const stale = await errorOf(
      updateAnnouncement(t.ctx, actorOf(longyouOrg), id, { ...form(), version: v }),
    );
    expect(stale.code).toBe("CONFLICT");
  });
  it("refuses a report filed before the activity ends", async () => {
    clock.set("2024-05-12T10:59:00+08:00");
    await addFile(id, "activity_photos");
    const e = await errorOf(fileReport(t.ctx, actorOf(longyouOrg), id, report(await versionOf(id))));
    expect(e.code).toBe("CONFLICT");
    expect(e.message).toBe("活动尚未结束，活动结束后才能上传活动小结。");
    // Nor may photos be uploaded yet; the cover may.
    expect((await activityFileAccess(t.ctx, actorOf(longyouOrg), id, "activity_photos")).write).toBeNull();
    expect((await activityFileAccess(t.ctx, actorOf(longyouOrg), id, "activity_cover")).write).toBe("330825");
  });
  it("needs at least one photo", async () => {
    clock.set("2024-05-12T11:00:00+08:00");
    const other = await t.ctx.db
      .insertInto("activities")
      .values({
        id: newId(),
        base_id: longyouBase,
        region_code: "330825",
        name: "无图活动",
        type: "lecture",
        form: "offline",
        starts_at: "2024-05-11T01:00:00.000Z",
        ends_at: "2024-05-11T03:00:00.000Z",
        start_month: "2024-05",
        fee: "free",
        direction: "in",
        expected_participants: null,
        actual_participants: null,
        report_submitted_at: null,
        report_reviewed_by: null,
        report_reviewed_at: null,
        report_return_reason: null,
        reminder_sent_at: null,
        created_by: longyouOrg.id,
        created_at: clock.now().toISOString(),
        updated_at: clock.now().toISOString(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const e = await errorOf(fileReport(t.ctx, actorOf(longyouOrg), other.id, report(1)));
    expect(e.code).toBe("VALIDATION");
    expect(e.fieldErrors?.activity_photos).toBe("请至少上传1张活动图片");
  });
  it("is filed after the end, with photos and an optional video, and the city is told", async () => {
    expect((await activityFileAccess(t.ctx, actorOf(longyouOrg), id, "activity_videos")).write).toBe(
      "330825",
    );
    await addFile(id, "activity_videos");
    await fileReport(t.ctx, actorOf(longyouOrg), id, report(await versionOf(id)));
    const row = await t.ctx.db
      .selectFrom("activities")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.report_status).toBe("submitted");
    expect(JSON.parse(row.report_links)).toEqual(["https://news.example.cn/a/1"]);
    expect(row.actual_participants).toBe(86);
    expect(await notificationsOf(city.id, "activity.report_submitted")).toHaveLength(1);
    // Not public until accepted.
    expect((await activityFileAccess(t.ctx, actorOf(null), id, null)).read).toBeNull();
    expect((await getPublicActivity(t.ctx, id)).reportPublic).toBe(false);
  });
  it("is reviewed by the city only", async () => {
    expect((await listReportQueue(t.ctx, actorOf(city))).map((r) => r.id)).toContain(id);
    const v = await versionOf(id);
    const input = { decision: "accept" as const, reason: "", version: v };
    expect((await errorOf(reviewReport(t.ctx, actorOf(longyouStaff), id, input))).code).toBe("FORBIDDEN");
    expect((await errorOf(reviewReport(t.ctx, actorOf(office), id, input))).code).toBe("FORBIDDEN");
    await reviewReport(t.ctx, actorOf(city), id, {
      decision: "return",
      reason: "缺少活动现场照片",
      version: v,
    });
    expect(await notificationsOf(longyouOrg.id, "activity.report_returned")).toHaveLength(1);
    const again = await errorOf(reviewReport(t.ctx, actorOf(city), id, { ...input, version: v + 1 }));
    expect(again.code).toBe("CONFLICT");
    await addFile(id, "activity_photos");
    await fileReport(t.ctx, actorOf(longyouOrg), id, report(await versionOf(id), "90"));
    await reviewReport(t.ctx, actorOf(city), id, {
      decision: "accept",
      reason: "",
      version: await versionOf(id),
    });
    expect(await notificationsOf(longyouOrg.id, "activity.report_accepted")).toHaveLength(1);
    const actions = (
      await t.ctx.db
        .selectFrom("audit_events")
        .select("action")
        .where("target_id", "=", id)
        .orderBy("id")
        .execute()
    )
      .map((a) => a.action)
      .filter((a) => a.startsWith("activity."));
    expect(actions).toEqual([
      "activity.announce",
      "activity.update",
      "activity.report",
      "activity.report_return",
      "activity.report",
      "activity.report_accept",
    ]);
  });
  it("once accepted is public, and fixed", async () => {
    expect((await getPublicActivity(t.ctx, id)).reportPublic).toBe(true);
    expect((await activityFileAccess(t.ctx, actorOf(null), id, null)).read).toBe("330825");
    expect((await activityFileAccess(t.ctx, actorOf(longyouOrg), id, "activity_photos")).write).toBeNull();
    const e = await errorOf(fileReport(t.ctx, actorOf(longyouOrg), id, report(await versionOf(id))));
    expect(e.code).toBe("CONFLICT");
  });
});

describe("the overdue reminder (a durable job)", () => {
  it("fires exactly once for a report still missing 8 days after the end", async () => {
    clock.set("2024-06-01T10:00:00+08:00");
    const id = await announceActivity(
      t.ctx,
      actorOf(jiangshanOrg),
      jiangshanBase,
      form({ name: "催报测试", startsAt: "2024-06-02T09:00", endsAt: "2024-06-02T11:00" }),
    );
    const done = await announceActivity(
      t.ctx,
      actorOf(jiangshanOrg),
      jiangshanBase,
      form({ name: "按时小结", startsAt: "2024-06-02T09:00", endsAt: "2024-06-02T11:00" }),
    );
    await runDueJobs(t.ctx, ACTIVITY_JOB_HANDLERS);
    clock.set("2024-06-03T09:00:00+08:00");
    await addFile(done, "activity_photos", "330881");
    await fileReport(t.ctx, actorOf(jiangshanOrg), done, report(await versionOf(done)));
    clock.set("2024-06-09T23:59:00+08:00");
    await runDueJobs(t.ctx, ACTIVITY_JOB_HANDLERS);
    expect(await notificationsOf(jiangshanOrg.id, "activity.report_overdue")).toHaveLength(0);
    clock.set("2024-06-10T11:00:00+08:00");
    await runDueJobs(t.ctx, ACTIVITY_JOB_HANDLERS);
    const reminders = await notificationsOf(jiangshanOrg.id, "activity.report_overdue");
    expect(reminders).toHaveLength(1);
    expect(reminders[0].body).toContain("催报测试");
    expect(reminders[0].link).toBe(`/activities/${id}/edit`);
    clock.set("2024-06-20T11:00:00+08:00");
    await runDueJobs(t.ctx, ACTIVITY_JOB_HANDLERS);
    expect(await notificationsOf(jiangshanOrg.id, "activity.report_overdue")).toHaveLength(1);
    const audit = await t.ctx.db
      .selectFrom("audit_events")
      .select("target_id")
      .where("action", "=", "activity.report_reminder")
      .execute();
    // Earlier tests' activities without reports are reminded too; this one once, the reported one never.
    expect(audit.filter((a) => a.target_id === id)).toHaveLength(1);
    expect(audit.filter((a) => a.target_id === done)).toHaveLength(0);
  });
});

describe("cached pages follow the clock", () => {
  it("moves the activities generation when an activity starts and when it ends", async () => {
    clock.set("2024-06-01T10:00:00+08:00");
    await runDueJobs(t.ctx, ACTIVITY_JOB_HANDLERS);
    await announceActivity(
      t.ctx,
      actorOf(longyouOrg),
      longyouBase,
      form({ name: "阶段测试", startsAt: "2024-06-01T14:00", endsAt: "2024-06-01T16:00" }),
    );
    const g0 = await readGenerations(t.ctx, ["activities"]);
    await runDueJobs(t.ctx, ACTIVITY_JOB_HANDLERS);
    expect(await readGenerations(t.ctx, ["activities"])).toBe(g0);
    clock.set("2024-06-01T14:00:00+08:00");
    await runDueJobs(t.ctx, ACTIVITY_JOB_HANDLERS);
    const g1 = await readGenerations(t.ctx, ["activities"]);
    expect(g1).not.toBe(g0);
    clock.set("2024-06-01T16:00:00+08:00");
    await runDueJobs(t.ctx, ACTIVITY_JOB_HANDLERS);
    expect(await readGenerations(t.ctx, ["activities"])).not.toBe(g1);
  });
});

describe("the public calendar, base lists and ICS", () => {
  let ids: Record<string, string>;
  beforeAll(async () => {
    clock.set("2024-07-01T10:00:00+08:00");
    const make = async (
      org: MadeUser,
      base: string,
      over: Record<string, string>,
      campaigns: string[] = [],
    ) => announceActivity(t.ctx, actorOf(org), base, { ...form(over), campaignIds: campaigns });
    ids = {
      july: await make(longyouOrg, longyouBase, {
        name: "七月展览, 含逗号; 分号",
        type: "exhibition",
        startsAt: "2024-07-05T09:00",
        endsAt: "2024-07-20T17:00",
      }),
      aug: await make(
        jiangshanOrg,
        jiangshanBase,
        { name: "八月竞赛", type: "contest", startsAt: "2024-08-03T09:00", endsAt: "2024-08-03T12:00" },
        [scienceDay],
      ),
      ongoing: await make(longyouOrg, longyouBase, {
        name: "进行中的研学",
        type: "study_tour",
        startsAt: "2024-06-30T09:00",
        endsAt: "2024-07-02T17:00",
      }),
    };
  });
  it("lists upcoming activities soonest first, with filters", async () => {
    const all = (await listPublicActivities(t.ctx, {})).items.map((i) => i.id);
    expect(all).toEqual([ids.ongoing, ids.july, ids.aug]);
    expect((await listPublicActivities(t.ctx, { county: "330881" })).items.map((i) => i.id)).toEqual([
      ids.aug,
    ]);
    expect((await listPublicActivities(t.ctx, { baseId: longyouBase })).items.map((i) => i.id)).toEqual([
      ids.ongoing,
      ids.july,
    ]);
    expect((await listPublicActivities(t.ctx, { type: "contest" })).items.map((i) => i.id)).toEqual([
      ids.aug,
    ]);
    expect((await listPublicActivities(t.ctx, { campaignId: scienceDay })).items.map((i) => i.id)).toEqual([
      ids.aug,
    ]);
    // A date range selects the activities overlapping it.
    expect(
      (await listPublicActivities(t.ctx, { from: "2024-07-10", to: "2024-07-31" })).items.map((i) => i.id),
    ).toEqual([ids.july]);
  });
  it("lists past activities latest first, never a revoked base's", async () => {
    const past = (await listPublicActivities(t.ctx, { when: "past" })).items;
    expect(past.length).toBeGreaterThan(2);
    expect(past.map((p) => p.startsAt)).toEqual([...past.map((p) => p.startsAt)].sort().reverse());
    expect(past.every((p) => p.baseId !== revokedBase)).toBe(true);
    expect(past.map((p) => p.name)).toContain("催报测试");
  });
  it("lists a base's activities, newest first", async () => {
    const list = await listBaseActivities(t.ctx, jiangshanBase);
    expect(list.items[0].id).toBe(ids.aug);
    expect(list.items.every((i) => i.id !== ids.july)).toBe(true);
  });
  it("publishes an ICS feed that parses, per base and for everything", async () => {
    const all = await activitiesIcs(t.ctx, { publicUrl: "https://kepu.example.cn" });
    const events = parseIcs(all.body);
    expect(events.map((e) => e.UID)).toContain(`${ids.july}@kepu.example.cn`);
    const july = events.find((e) => e.UID === `${ids.july}@kepu.example.cn`)!;
    expect(july.DTSTART).toBe("20240705T010000Z");
    expect(july.DTEND).toBe("20240720T090000Z");
    expect(july.SUMMARY).toBe("【展览】七月展览\\, 含逗号\\; 分号");
    const base = await activitiesIcs(t.ctx, { baseId: jiangshanBase, publicUrl: "https://kepu.example.cn" });
    const baseEvents = parseIcs(base.body);
    expect(baseEvents.map((e) => e.UID)).toContain(`${ids.aug}@kepu.example.cn`);
    expect(baseEvents.map((e) => e.UID)).not.toContain(`${ids.july}@kepu.example.cn`);
    expect((await errorOf(activitiesIcs(t.ctx, { baseId: revokedBase, publicUrl: "http://x" }))).code).toBe(
      "NOT_FOUND",
    );
  });
});

/** A strict reading of RFC 5545: CRLF only, lines ≤ 75 octets, unfolded, one VCALENDAR of VEVENTs. */
function parseIcs(body: string): Record<string, string>[] {
  expect(body.endsWith("\r\n")).toBe(true);
  expect(body.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  const physical = body.slice(0, -2).split("\r\n");
  for (const l of physical) expect(Buffer.byteLength(l, "utf8")).toBeLessThanOrEqual(75);
  const lines: string[] = [];
  for (const l of physical) {
    if (l.startsWith(" ")) lines[lines.length - 1] += l.slice(1);
    else lines.push(l);
  }
  expect(lines[0]).toBe("BEGIN:VCALENDAR");
  expect(lines[lines.length - 1]).toBe("END:VCALENDAR");
  expect(lines).toContain("VERSION:2.0");
  const events: Record<string, string>[] = [];
  let current: Record<string, string> | null = null;
  for (const l of lines.slice(1, -1)) {
    if (l === "BEGIN:VEVENT") {
      expect(current).toBeNull();
      current = {};
    } else if (l === "END:VEVENT") {
      expect(current).not.toBeNull();
      for (const k of ["UID", "DTSTART", "DTEND", "SUMMARY", "DTSTAMP"]) expect(current![k]).toBeTruthy();
      events.push(current!);
      current = null;
    } else {
      const i = l.indexOf(":");
      expect(i).toBeGreaterThan(0);
      if (current) current[l.slice(0, i)] = l.slice(i + 1);
    }
  }
  expect(current).toBeNull();
  return events;
}

describe("statistics and export", () => {
  let base2: string;
  beforeAll(async () => {
    // A year of its own, so the figures are exact.
    clock.set("2023-01-01T08:00:00+08:00");
    const c = await createCampaign(
      t.ctx,
      actorOf(office),
      campaignSchema.parse({
        kind: "tech_week",
        title: "2023年科技活动周",
        startsOn: "2023-05-20",
        endsOn: "2023-05-27",
        description: "说明",
      }),
    );
    // Earlier in the year and with no activities: listed first, with zeros.
    await createCampaign(
      t.ctx,
      actorOf(office),
      campaignSchema.parse({
        kind: "workers_day",
        title: "2023年全国科技工作者日",
        startsOn: "2023-05-01",
        endsOn: "2023-05-31",
        description: "说明",
      }),
    );
    ({ id: base2 } = await makeBase(null, "330825", "龙游县第二测试科普教育基地"));
    const plan: [MadeUser | null, string, string, string, string[], number | null][] = [
      [longyouOrg, longyouBase, "lecture", "2023-03-04T09:00", [c], 50],
      [longyouOrg, longyouBase, "lecture", "2023-05-21T09:00", [c], 30],
      [city, base2, "contest", "2023-05-22T09:00", [], null],
      [jiangshanOrg, jiangshanBase, "exhibition", "2023-05-23T09:00", [c], 200],
    ];
    for (const [who, base, type, start, campaigns, participants] of plan) {
      const end = start.replace("09:00", "11:00");
      const uscc =
        who === city
          ? (
              await t.ctx.db
                .selectFrom("bases")
                .select("uscc")
                .where("id", "=", base)
                .executeTakeFirstOrThrow()
            ).uscc
          : undefined;
      const id = await announceActivity(t.ctx, actorOf(who), base, {
        ...form({ type, startsAt: start, endsAt: end }),
        campaignIds: campaigns,
        uscc,
      });
      if (participants !== null) {
        clock.set("2023-12-01T08:00:00+08:00");
        await addFile(id, "activity_photos");
        await fileReport(t.ctx, actorOf(who), id, report(await versionOf(id), String(participants)));
        clock.set("2023-01-01T08:00:00+08:00");
      }
    }
    clock.set("2024-07-01T10:00:00+08:00");
  });
  it("counts activities and participants by county, type, month, base and campaign", async () => {
    const s = await activityStats(t.ctx, actorOf(city), 2023);
    expect(s.total).toEqual({ activities: 4, participants: 280, reported: 3, accepted: 0 });
    expect(s.byCounty.find((c) => c.code === "330825")).toMatchObject({ activities: 3, participants: 80 });
    expect(s.byCounty.find((c) => c.code === "330881")).toMatchObject({ activities: 1, participants: 200 });
    expect(s.byCounty.find((c) => c.code === "330802")).toMatchObject({ activities: 0, participants: 0 });
    expect(s.byType.find((x) => x.type === "lecture")).toMatchObject({ activities: 2, participants: 80 });
    expect(s.byType.find((x) => x.type === "contest")).toMatchObject({ activities: 1, participants: 0 });
    expect(s.byMonth.map((m) => m.activities)).toEqual([0, 0, 1, 0, 3, 0, 0, 0, 0, 0, 0, 0]);
    expect(s.byBase[0]).toMatchObject({
      baseId: longyouBase,
      name: "龙游县测试科技馆科普教育基地",
      activities: 2,
      participants: 80,
    });
    // Every listed base carries its own name (read after the grouping).
    for (const b of s.byBase) {
      const row = await t.ctx.db
        .selectFrom("bases")
        .select("name")
        .where("id", "=", b.baseId)
        .executeTakeFirst();
      expect(b.name).toBe(row?.name);
    }
    expect(s.byCampaign).toEqual([
      expect.objectContaining({ title: "2023年全国科技工作者日", activities: 0, participants: 0 }),
      expect.objectContaining({ title: "2023年科技活动周", activities: 3, participants: 280 }),
    ]);
  });
  it("gives each county's campaign participation rate", async () => {
    const s = await activityStats(t.ctx, actorOf(city), 2023);
    // 龙游: two non-revoked bases, one took part; 江山: one of one.
    const longyou = s.participation.find((p) => p.code === "330825")!;
    expect(longyou.bases).toBe(2);
    expect(longyou.participating).toBe(1);
    expect(longyou.rate).toBe(50);
    expect(s.participation.find((p) => p.code === "330881")).toMatchObject({
      bases: 1,
      participating: 1,
      rate: 100,
    });
  });
  it("is scoped to a county for county staff, and refused to orgs and evaluators", async () => {
    const s = await activityStats(t.ctx, actorOf(longyouStaff), 2023);
    expect(s.byCounty.map((c) => c.code)).toEqual(["330825"]);
    expect(s.total.activities).toBe(3);
    // Only the county's own tagged activities: 江山's 200 participants are not counted.
    expect(s.byCampaign.map((c) => [c.title, c.activities, c.participants])).toEqual([
      ["2023年全国科技工作者日", 0, 0],
      ["2023年科技活动周", 2, 80],
    ]);
    expect(s.participation.map((p) => p.code)).toEqual(["330825"]);
    expect((await errorOf(activityStats(t.ctx, actorOf(longyouOrg), 2023))).code).toBe("FORBIDDEN");
    expect((await errorOf(activityStats(t.ctx, actorOf(evaluator), 2023))).code).toBe("FORBIDDEN");
  });
  it("recomputes after a change", async () => {
    clock.set("2023-06-01T08:00:00+08:00");
    await announceActivity(
      t.ctx,
      actorOf(longyouOrg),
      longyouBase,
      form({ startsAt: "2023-06-05T09:00", endsAt: "2023-06-05T11:00" }),
    );
    clock.set("2024-07-01T10:00:00+08:00");
    expect((await activityStats(t.ctx, actorOf(city), 2023)).total.activities).toBe(5);
  });
  it("exports the activities in scope to XLSX with the report fields", async () => {
    const write = await prepareActivitiesXlsx(t.ctx, actorOf(longyouStaff), {
      from: "2023-01-01",
      to: "2023-12-31",
    });
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (c) => chunks.push(c));
    const n = await write(out);
    expect(n).toBe(4);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as never);
    const sheet = wb.getWorksheet("基地活动")!;
    const header = (sheet.getRow(1).values as string[]).slice(1);
    expect(header).toEqual(
      expect.arrayContaining(["活动参与人数", "信息报道链接", "活动情况简介", "小结状态"]),
    );
    const col = (name: string) => header.indexOf(name) + 1;
    const regions = new Set<string>();
    const participants: number[] = [];
    const starts: unknown[] = [];
    sheet.eachRow((row, i) => {
      if (i === 1) return;
      starts.push(row.getCell(col("开始时间")).value);
      regions.add(String(row.getCell(col("所在区域")).value));
      const p = row.getCell(col("活动参与人数")).value;
      if (typeof p === "number") participants.push(p);
    });
    expect([...regions]).toEqual(["龙游县"]);
    expect(participants.sort()).toEqual([30, 50]);
    // Real Excel dates, a frozen header with a filter.
    expect(starts.length).toBe(4);
    expect(starts.every((v) => v instanceof Date)).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet.autoFilter).toMatch(/^A1:[A-Z]+5$/);
    expect((await errorOf(prepareActivitiesXlsx(t.ctx, actorOf(longyouOrg)))).code).toBe("FORBIDDEN");
  });
});
