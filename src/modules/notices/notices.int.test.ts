import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { draftFromForm } from "#src/modules/applications/applications.schema.ts";
import {
  reviewApplication,
  saveDraft,
  startApplication,
  submitApplication,
} from "#src/modules/applications/applications.server.ts";
import { readGenerations } from "#src/platform/cache/generations.server.ts";
import { fixedClock } from "#src/platform/clock.ts";
import { runDueJobs } from "#src/platform/jobs/jobs.server.ts";
import {
  attachRequiredFiles,
  createEighthBatchCall,
  validApplicationForm,
} from "../../../tests/support/application-fixtures.ts";
import { actorOf, createUserRecord, errorOf, type MadeUser } from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { objectionSchema } from "./notices.schema.ts";
import {
  fileObjection,
  findObjectionStatus,
  getPublicNotice,
  getStaffNotice,
  handleObjection,
  listProposedApplications,
  listPublicNotices,
  NOTICE_JOB_HANDLERS,
  nameBases,
  publishNotice,
} from "./notices.server.ts";

const clock = fixedClock("2023-02-20T10:00:00+08:00");
/**
 * Runs the jobs due now and says how many notice jobs ran; the outbox delivery that notifying
 * queues is the notifications module's to test, so here it does nothing.
 */
async function runNoticeJobs() {
  const noticeJobsDone = async () =>
    Number(
      (
        await t.ctx.db
          .selectFrom("jobs")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("kind", "like", "notice.%")
          .where("status", "in", ["done", "failed"])
          .executeTakeFirstOrThrow()
      ).n,
    );
  const before = await noticeJobsDone();
  await runDueJobs(t.ctx, { ...NOTICE_JOB_HANDLERS, "outbox.deliver": async () => {} });
  return (await noticeJobsDone()) - before;
}

let t: TestContext;
let callId: string;
let county: MadeUser;
let city: MadeUser;
let office: MadeUser;
const anonymous = (ip = "203.0.113.7") => ({ user: null, ip });

beforeAll(async () => {
  t = await createTestContext({ clock });
  callId = await createEighthBatchCall(t.ctx);
  county = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
  city = await createUserRecord(t.ctx, { role: "city" });
  office = await createUserRecord(t.ctx, { role: "office" });
});
afterAll(async () => t?.close());

/** An application taken through county, city and office: 拟认定. */
async function proposed(name: string): Promise<string> {
  clock.set("2023-02-20T10:00:00+08:00");
  const org = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
  const id = await startApplication(t.ctx, actorOf(org), callId);
  const form = { ...validApplicationForm(), baseName: `${name}科普教育基地`, unitName: name };
  const { version } = await saveDraft(t.ctx, actorOf(org), id, draftFromForm(form), 1);
  await attachRequiredFiles(t.ctx, id, "330825");
  await submitApplication(t.ctx, actorOf(org), id, version);
  const act = (user: MadeUser, v: number, action: string) =>
    reviewApplication(t.ctx, actorOf(user), id, {
      action: action as never,
      opinion: "同意",
      internalNote: "",
      opinionDate: "",
      returnDeadline: "",
      score: "",
      version: v,
    });
  await act(county, version + 1, "recommend");
  await act(city, version + 2, "pass");
  await act(office, version + 3, "confirm");
  return id;
}

const objection = (applicationId: string, phone = "13800001111") =>
  objectionSchema.parse({
    applicationId,
    objectorKind: "individual",
    objectorName: "王异议",
    objectorPhone: phone,
    content: "该单位实际开放天数与申报不符，请核实。",
  });

describe("公示, objections and naming", () => {
  it("publishes, takes objections, closes by its job at the end of the 5th working day and names the rest", async () => {
    const ids = [await proposed("甲馆"), await proposed("乙馆"), await proposed("丙馆")];
    const listed = await listProposedApplications(t.ctx, actorOf(office), callId);
    expect(listed.map((a) => a.id).sort()).toEqual([...ids].sort());

    // Published on Friday 2023-09-29 for 5 working days: open until the end of 2023-10-11.
    clock.set("2023-09-28T09:00:00+08:00");
    const noticeId = await publishNotice(t.ctx, actorOf(office), {
      callId,
      applicationIds: ids,
      title: "第八批衢州市科普教育基地拟认定名单公示",
      body: "现将拟认定名单予以公示。",
      contact: "市科协科普部 0570-3027351",
      startDate: "2023-09-29",
      workingDays: 5,
    });
    expect(await listProposedApplications(t.ctx, actorOf(office), callId)).toHaveLength(0);
    clock.set("2023-09-29T08:00:00+08:00");
    // The job at the start moves the notices generation, so cached public pages show the notice.
    const before = await readGenerations(t.ctx, ["notices"]);
    expect(await runNoticeJobs()).toBe(1);
    expect(await readGenerations(t.ctx, ["notices"])).not.toBe(before);
    const open = await getPublicNotice(t.ctx, noticeId);
    expect(open.acceptsObjections).toBe(true);
    expect(open.notice.ends_at).toBe("2023-10-11T16:00:00.000Z");
    expect(open.entries.map((e) => e.base_name)).toContain("甲馆科普教育基地");
    expect((await listPublicNotices(t.ctx)).map((n) => n.id)).toContain(noticeId);

    const upheld = await fileObjection(t.ctx, anonymous(), noticeId, objection(ids[0]));
    const dismissed = await fileObjection(t.ctx, anonymous(), noticeId, objection(ids[1], "13800002222"));
    expect(upheld.refNo).toMatch(/^YY20230929-/);

    // The objector checks with the reference number and the phone; a wrong phone finds nothing.
    const status = await findObjectionStatus(t.ctx, anonymous(), { ref: upheld.refNo, phone: "13800001111" });
    expect(status.status).toBe("pending");
    expect(
      (await errorOf(findObjectionStatus(t.ctx, anonymous(), { ref: upheld.refNo, phone: "13800002222" })))
        .code,
    ).toBe("NOT_FOUND");

    // Naming before the period is over, or with objections pending, is refused.
    const staff = await getStaffNotice(t.ctx, actorOf(office), noticeId);
    expect((await errorOf(nameBases(t.ctx, actorOf(office), noticeId, staff.notice.version))).code).toBe(
      "CONFLICT",
    );

    const byId = new Map(staff.objections.map((o) => [o.id, o]));
    await handleObjection(t.ctx, actorOf(office), upheld.id, {
      decision: "upheld",
      upheldAction: "reject",
      reply: "经核实，该单位年开放天数不符合条件，不予认定。",
      version: byId.get(upheld.id)!.version,
    });
    await handleObjection(t.ctx, actorOf(office), dismissed.id, {
      decision: "dismissed",
      reply: "经核实，该单位开放情况属实，异议不成立。",
      version: byId.get(dismissed.id)!.version,
    });
    // The second of two handlings of the same objection changes nothing.
    expect(
      (
        await errorOf(
          handleObjection(t.ctx, actorOf(office), dismissed.id, {
            decision: "upheld",
            upheldAction: "reject",
            reply: "重复处理",
            version: byId.get(dismissed.id)!.version,
          }),
        )
      ).code,
    ).toBe("CONFLICT");

    const replies = (await getPublicNotice(t.ctx, noticeId)).replies;
    expect(replies).toHaveLength(2);
    expect(JSON.stringify(replies)).not.toMatch(/王异议|13800001111|13800002222/);

    // The last working day is still open; the close job runs at its end, once.
    clock.set("2023-10-11T23:59:00+08:00");
    expect(await runNoticeJobs()).toBe(0);
    clock.set("2023-10-12T00:00:01+08:00");
    expect(await runNoticeJobs()).toBe(1);
    expect(await runNoticeJobs()).toBe(0);
    const closed = await getStaffNotice(t.ctx, actorOf(office), noticeId);
    expect(closed.notice.status).toBe("closed");
    expect(
      (await errorOf(fileObjection(t.ctx, anonymous("203.0.113.8"), noticeId, objection(ids[2])))).code,
    ).toBe("CONFLICT");

    const { named, namingNoticeId } = await nameBases(
      t.ctx,
      actorOf(office),
      noticeId,
      closed.notice.version,
    );
    expect(named.map((n) => n.name).sort()).toEqual(["丙馆科普教育基地", "乙馆科普教育基地"]);
    const bases = await t.ctx.db.selectFrom("bases").selectAll().orderBy("certificate_no").execute();
    expect(bases.map((b) => b.certificate_no)).toEqual([
      "衢科普〔2023〕第八批001号",
      "衢科普〔2023〕第八批002号",
    ]);
    expect(bases.every((b) => b.status === "active" && b.org_id)).toBe(true);
    const apps = await t.ctx.db
      .selectFrom("applications")
      .select(["id", "status"])
      .where("id", "in", ids)
      .execute();
    expect(Object.fromEntries(apps.map((a) => [a.id, a.status]))).toEqual({
      [ids[0]]: "rejected",
      [ids[1]]: "recognized",
      [ids[2]]: "recognized",
    });
    const announcement = await getPublicNotice(t.ctx, namingNoticeId);
    expect(announcement.phase.code).toBe("announcement");
    expect(announcement.entries).toHaveLength(2);
    // Naming twice is refused.
    const after = await getStaffNotice(t.ctx, actorOf(office), noticeId);
    // The named notice leads to its naming announcement; before naming it led nowhere.
    expect(closed.namingNoticeId).toBeNull();
    expect(after.namingNoticeId).toBe(namingNoticeId);
    expect((await errorOf(getStaffNotice(t.ctx, actorOf(county), noticeId))).code).toBe("NOT_FOUND");
    expect((await errorOf(nameBases(t.ctx, actorOf(office), noticeId, after.notice.version))).code).toBe(
      "CONFLICT",
    );
  });

  it("an upheld objection can send the application back to the office instead", async () => {
    const id = await proposed("丁馆");
    clock.set("2023-11-06T09:00:00+08:00");
    const noticeId = await publishNotice(t.ctx, actorOf(office), {
      callId,
      applicationIds: [id],
      title: "补充公示",
      body: "补充公示。",
      contact: "0570-3027351",
      startDate: "2023-11-06",
      workingDays: 5,
    });
    const { id: objectionId } = await fileObjection(t.ctx, anonymous("203.0.113.9"), noticeId, objection(id));
    await handleObjection(t.ctx, actorOf(office), objectionId, {
      decision: "upheld",
      upheldAction: "back_to_office",
      reply: "材料需补充，退回认定办公室重新审核。",
      version: 1,
    });
    const app = await t.ctx.db
      .selectFrom("applications")
      .select("status")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(app.status).toBe("office_confirmation");
    const entry = (await getPublicNotice(t.ctx, noticeId)).entries[0];
    expect(entry.outcome).toBe("removed");
  });

  it("names right after the end even when the closing job has not run yet", async () => {
    const id = await proposed("己馆");
    clock.set("2023-12-04T09:00:00+08:00");
    const noticeId = await publishNotice(t.ctx, actorOf(office), {
      callId,
      applicationIds: [id],
      title: "十二月公示",
      body: "公示。",
      contact: "0570-3027351",
      startDate: "2023-12-04",
      workingDays: 1,
    });
    // The office opened the page during the period, and presses 认定命名 just after it ended.
    const seen = await getStaffNotice(t.ctx, actorOf(office), noticeId);
    expect(seen.notice.status).toBe("open");
    clock.set("2023-12-05T00:00:05+08:00");
    const { named } = await nameBases(t.ctx, actorOf(office), noticeId, seen.notice.version);
    expect(named.map((n) => n.name)).toEqual(["己馆科普教育基地"]);
  });

  it("only the office publishes or handles; the public is limited per IP", async () => {
    expect((await errorOf(listProposedApplications(t.ctx, actorOf(city), callId))).code).toBe("FORBIDDEN");
    // A county runs only its own county-level calls' 公示: the city's call is not found for it.
    expect((await errorOf(listProposedApplications(t.ctx, actorOf(county), callId))).code).toBe("NOT_FOUND");
    const id = await proposed("戊馆");
    clock.set("2023-11-20T09:00:00+08:00");
    const noticeId = await publishNotice(t.ctx, actorOf(office), {
      callId,
      applicationIds: [id],
      title: "再次公示",
      body: "公示。",
      contact: "0570-3027351",
      startDate: "2023-11-20",
      workingDays: 5,
    });
    const ip = "198.51.100.1";
    for (let i = 0; i < 5; i++) await fileObjection(t.ctx, anonymous(ip), noticeId, objection(id));
    expect((await errorOf(fileObjection(t.ctx, anonymous(ip), noticeId, objection(id)))).code).toBe(
      "RATE_LIMITED",
    );
    // Publishing something that is no longer proposed is refused.
    expect(
      (
        await errorOf(
          publishNotice(t.ctx, actorOf(office), {
            callId,
            applicationIds: [id],
            title: "重复",
            body: "重复",
            contact: "x",
            startDate: "2023-11-21",
            workingDays: 5,
          }),
        )
      ).code,
    ).toBe("CONFLICT");
  });
});
