import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { draftFromForm } from "#src/modules/applications/applications.schema.ts";
import {
  getApplication,
  listReviewQueue,
  reviewApplication,
  saveDraft,
  startApplication,
  submitApplication,
} from "#src/modules/applications/applications.server.ts";
import { getCertificateBase } from "#src/modules/bases/base-certificate.server.ts";
import { listPublicBases } from "#src/modules/bases/bases-directory.server.ts";
import {
  getPublicNotice,
  getStaffNotice,
  listNoticeCalls,
  listProposedApplications,
  listStaffNotices,
  NOTICE_JOB_HANDLERS,
  nameBases,
  publishNotice,
} from "#src/modules/notices/notices.server.ts";
import { fixedClock } from "#src/platform/clock.ts";
import { CATEGORIES } from "#src/platform/db/reference-data.ts";
import { runDueJobs } from "#src/platform/jobs/jobs.server.ts";
import {
  attachRequiredFiles,
  createEighthBatchCall,
  validApplicationForm,
} from "../../../tests/support/application-fixtures.ts";
import { actorOf, createUserRecord, errorOf, type MadeUser } from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import type { CallFormInput } from "./calls.schema.ts";
import { createCall, getManagedCall, listManagedCalls } from "./calls.server.ts";

const clock = fixedClock("2024-03-01T10:00:00+08:00");
let t: TestContext;
let longyou: MadeUser;
let jiangshan: MadeUser;
let city: MadeUser;
let office: MadeUser;

const countyCall = (over: Partial<CallFormInput> = {}): CallFormInput => ({
  kind: "科普教育基地项目认定",
  batchNo: 1,
  title: "第一批龙游县科普教育基地认定",
  level: "county",
  regionCode: "330825",
  opensAt: "2024-03-01T00:00:00.000Z",
  closesAt: "2024-03-31T16:00:00.000Z",
  categoryCodes: CATEGORIES.map((c) => c.code),
  targets: { "330825": 5 },
  notice: "龙游县科协组织县级科普教育基地认定。",
  issuers: [],
  documentNo: "龙科协〔2024〕3号",
  ...over,
});

const review = (user: MadeUser, id: string, version: number, action: string) =>
  reviewApplication(t.ctx, actorOf(user), id, {
    action: action as never,
    opinion: "同意",
    internalNote: "",
    opinionDate: "",
    returnDeadline: "",
    score: "",
    version,
  });

async function submitted(
  org: MadeUser,
  callId: string,
  name: string,
): Promise<{ id: string; version: number }> {
  const id = await startApplication(t.ctx, actorOf(org), callId);
  const form = { ...validApplicationForm(), baseName: `${name}科普教育基地`, unitName: name };
  const { version } = await saveDraft(t.ctx, actorOf(org), id, draftFromForm(form), 1);
  await attachRequiredFiles(t.ctx, id, "330825");
  await submitApplication(t.ctx, actorOf(org), id, version);
  return { id, version: version + 1 };
}

/** Publishes a 公示 of the call's proposed applications, lets its period end, and names them. */
async function publishAndName(user: MadeUser, callId: string, ids: string[]) {
  clock.set("2024-04-10T09:00:00+08:00");
  const noticeId = await publishNotice(t.ctx, actorOf(user), {
    callId,
    applicationIds: ids,
    title: "拟认定名单公示",
    body: "现予公示。",
    contact: "0570-7012345",
    startDate: "2024-04-11",
    workingDays: 5,
  });
  clock.set("2024-04-20T09:00:00+08:00");
  await runDueJobs(t.ctx, { ...NOTICE_JOB_HANDLERS, "outbox.deliver": async () => {} });
  const staff = await getStaffNotice(t.ctx, actorOf(user), noticeId);
  return { noticeId, ...(await nameBases(t.ctx, actorOf(user), noticeId, staff.notice.version)) };
}

beforeAll(async () => {
  t = await createTestContext({ clock });
  longyou = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
  jiangshan = await createUserRecord(t.ctx, { role: "county", regionCode: "330881" });
  city = await createUserRecord(t.ctx, { role: "city" });
  office = await createUserRecord(t.ctx, { role: "office" });
});
afterAll(async () => t?.close());

describe("a county runs its own county-level call (第十九条)", () => {
  let callId: string;
  let org: MadeUser;
  let baseId: string;

  it("lets a county open a call only at county level and only in its own county", async () => {
    callId = await createCall(t.ctx, actorOf(longyou), countyCall());
    expect(
      (await errorOf(createCall(t.ctx, actorOf(longyou), countyCall({ level: "city" })))).fieldErrors,
    ).toEqual({
      level: "县（市、区）科协只能组织县级认定",
    });
    expect(
      (await errorOf(createCall(t.ctx, actorOf(longyou), countyCall({ regionCode: "330881" })))).fieldErrors,
    ).toEqual({ regionCode: "所选区域不在您的管理范围内" });
    // The office may not open a county-level call in the city's own name either.
    expect(
      (await errorOf(createCall(t.ctx, actorOf(office), countyCall({ regionCode: "330800" })))).fieldErrors,
    ).toEqual({ regionCode: "县级认定的组织单位应为县（市、区）" });
    // Another county neither lists nor opens it; the office sees it in the city's list.
    expect((await listManagedCalls(t.ctx, actorOf(jiangshan))).map((c) => c.id)).not.toContain(callId);
    expect((await errorOf(getManagedCall(t.ctx, actorOf(jiangshan), callId))).code).toBe("NOT_FOUND");
    expect((await listManagedCalls(t.ctx, actorOf(office))).map((c) => c.id)).toContain(callId);
  });

  it("is open only to the county's organizations", async () => {
    const outsider = await createUserRecord(t.ctx, { role: "org", regionCode: "330881" });
    const e = await errorOf(startApplication(t.ctx, actorOf(outsider), callId));
    expect(e.message).toBe("该项目仅面向龙游县的单位申报");
  });

  it("is reviewed by the county and confirmed by the county's own step; the city and the office take none", async () => {
    org = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
    const app = await submitted(org, callId, "龙游县石窟研究所");
    const detail = await getApplication(t.ctx, actorOf(org), app.id);
    expect(detail.app.application_no).toBe("2024-县级-第一批-龙游-001");
    await review(longyou, app.id, app.version, "recommend");
    expect((await getApplication(t.ctx, actorOf(longyou), app.id)).app.status).toBe("office_confirmation");
    // The county's queue shows the confirmation waiting for it.
    const mine = await listReviewQueue(t.ctx, actorOf(longyou), { callId, mine: true });
    expect(mine.rows.map((r) => r.id)).toEqual([app.id]);
    expect(mine.pending).toBe(1);
    for (const [user, action] of [
      [office, "confirm"],
      [city, "pass"],
      [city, "reject"],
    ] as const)
      expect((await errorOf(review(user, app.id, app.version + 1, action))).code).toBe("CONFLICT");
    expect((await listReviewQueue(t.ctx, actorOf(office), { callId, mine: true })).rows).toEqual([]);
    await review(longyou, app.id, app.version + 1, "confirm");
    expect((await getApplication(t.ctx, actorOf(org), app.id)).app.status).toBe("proposed");
  });

  it("publishes and names in the county's name; the office and other counties cannot touch its 公示", async () => {
    expect((await listNoticeCalls(t.ctx, actorOf(longyou))).map((c) => c.id)).toEqual([callId]);
    expect((await listNoticeCalls(t.ctx, actorOf(office))).map((c) => c.id)).not.toContain(callId);
    expect((await errorOf(listProposedApplications(t.ctx, actorOf(office), callId))).code).toBe("NOT_FOUND");
    const proposed = await listProposedApplications(t.ctx, actorOf(longyou), callId);
    expect(proposed).toHaveLength(1);
    expect(
      (
        await errorOf(
          publishNotice(t.ctx, actorOf(jiangshan), {
            callId,
            applicationIds: [proposed[0].id],
            title: "越权公示",
            body: "x",
            contact: "x",
            startDate: "2024-04-11",
            workingDays: 5,
          }),
        )
      ).code,
    ).toBe("NOT_FOUND");

    const { noticeId, named, namingNoticeId } = await publishAndName(
      longyou,
      callId,
      proposed.map((a) => a.id),
    );
    expect((await listStaffNotices(t.ctx, actorOf(office))).map((n) => n.id)).not.toContain(noticeId);
    expect((await errorOf(getStaffNotice(t.ctx, actorOf(office), noticeId))).code).toBe("NOT_FOUND");
    expect((await errorOf(getStaffNotice(t.ctx, actorOf(jiangshan), noticeId))).code).toBe("NOT_FOUND");

    const naming = await getPublicNotice(t.ctx, namingNoticeId);
    expect(naming.notice.title).toBe("关于命名第一批龙游县科普教育基地的公告");
    baseId = named[0].baseId;
    const base = await t.ctx.db
      .selectFrom("bases")
      .select(["level", "certificate_no", "region_code"])
      .where("id", "=", baseId)
      .executeTakeFirstOrThrow();
    expect(base).toEqual({
      level: "county",
      certificate_no: "龙游科普〔2024〕第一批001号",
      region_code: "330825",
    });
    const certificate = await getCertificateBase(t.ctx, actorOf(org), baseId);
    expect(certificate.issuers).toEqual(["龙游县科学技术协会"]);
    expect(certificate.levelName).toBe("龙游县");
    expect(certificate.documentNo).toBe("龙科协〔2024〕3号");
  });

  it("lists county-level bases apart in the directory", async () => {
    const county = await listPublicBases(t.ctx, { level: "county" });
    expect(county.rows.map((b) => b.id)).toEqual([baseId]);
    expect(county.rows[0].level).toBe("county");
    expect(county.total).toBe(1);
    expect((await listPublicBases(t.ctx, { level: "city" })).rows.map((b) => b.id)).not.toContain(baseId);
    expect((await listPublicBases(t.ctx, { level: "county", q: "石窟" })).total).toBe(1);
  });

  it("lets the county-level base apply to a city call, and a city naming promotes the same base", async () => {
    // Another county-level call is closed to it: it is already a county-level base.
    clock.set("2024-05-01T10:00:00+08:00");
    const second = await createCall(
      t.ctx,
      actorOf(longyou),
      countyCall({
        batchNo: 2,
        title: "第二批",
        opensAt: "2024-05-01T00:00:00.000Z",
        closesAt: "2024-05-31T16:00:00.000Z",
      }),
    );
    expect((await errorOf(startApplication(t.ctx, actorOf(org), second))).message).toContain(
      "已被认定为龙游县科普教育基地",
    );
    const cityCallId = await createEighthBatchCall(t.ctx);
    await t.ctx.db
      .updateTable("calls")
      .set({ opens_at: "2024-04-30T16:00:00.000Z", closes_at: "2024-05-31T16:00:00.000Z" })
      .where("id", "=", cityCallId)
      .execute();
    // Its 科技志愿 fields start from the team it keeps as a base: 2 active volunteers, 1 who left.
    const at = "2024-05-01T02:00:00.000Z";
    await t.ctx.db
      .insertInto("volunteer_teams")
      .values({
        base_id: baseId,
        region_code: "330825",
        name: "龙游县石窟研究所科技志愿服务队",
        leader_name: "赵队长",
        leader_phone: "13900002222",
        created_at: at,
        updated_at: at,
      })
      .execute();
    await t.ctx.db
      .insertInto("volunteers")
      .values(
        ["甲", "乙", "丙"].map((n, i) => ({
          id: `vol-${n}`,
          base_id: baseId,
          region_code: "330825",
          name: `志愿者${n}`,
          joined_on: null,
          status: i === 2 ? ("left" as const) : ("active" as const),
          left_at: i === 2 ? at : null,
          created_at: at,
          updated_at: at,
        })),
      )
      .execute();
    const draftId = await startApplication(t.ctx, actorOf(org), cityCallId);
    const draft = (await getApplication(t.ctx, actorOf(org), draftId)).app;
    expect([
      draft.volunteer_team_name,
      draft.volunteer_count,
      draft.volunteer_leader,
      draft.volunteer_leader_phone,
    ]).toEqual(["龙游县石窟研究所科技志愿服务队", 2, "赵队长", "13900002222"]);
    const app = await submitted(org, cityCallId, "龙游县石窟研究所");
    expect(app.id).toBe(draftId);
    await review(longyou, app.id, app.version, "recommend");
    await review(city, app.id, app.version + 1, "pass");
    await review(office, app.id, app.version + 2, "confirm");
    const { named } = await publishAndName(office, cityCallId, [app.id]);
    expect(named[0].baseId).toBe(baseId);
    const base = await t.ctx.db
      .selectFrom("bases")
      .select(["level", "certificate_no", "batch_no"])
      .where("id", "=", baseId)
      .executeTakeFirstOrThrow();
    expect(base).toEqual({ level: "city", certificate_no: "衢科普〔2024〕第八批001号", batch_no: 8 });
    expect((await getCertificateBase(t.ctx, actorOf(org), baseId)).levelName).toBe("衢州市");
  });
});
