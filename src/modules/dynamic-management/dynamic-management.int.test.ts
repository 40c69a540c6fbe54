import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeReportSchema } from "#src/modules/bases/bases.schema.ts";
import { decideChangeReport, fileChangeReport } from "#src/modules/bases/bases.server.ts";
import { getPublicBase, listPublicBases } from "#src/modules/bases/bases-directory.server.ts";
import { fixedClock } from "#src/platform/clock.ts";
import { runDueJobs } from "#src/platform/jobs/jobs.server.ts";
import {
  actorOf,
  createLinkedBase,
  createUserRecord,
  errorOf,
  type MadeUser,
} from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { openExport } from "../../../tests/support/xlsx.ts";
import {
  confirmSchema,
  issueSchema,
  noteSchema,
  recheckSchema,
  rectifySchema,
  reportSchema,
} from "./dynamic-management.schema.ts";
import {
  decideWarning,
  getWarning,
  issueWarning,
  listBaseWarningEvents,
  listOwnWarnings,
  listWarnings,
  saveReport,
  setPublicWarningSetting,
  WARNING_JOB_HANDLERS,
  warningRegionFor,
  warningWritableRegion,
} from "./dynamic-management.server.ts";
import { prepareWarningsXlsx, WARNINGS_EXPORT_HEADERS } from "./dynamic-management-export.server.ts";

// Tuesday 10 March 2026, 10:00 Beijing.
const clock = fixedClock("2026-03-10T10:00:00+08:00");
let t: TestContext;
let office: MadeUser;
let city: MadeUser;
let longyouCounty: MadeUser;
let jiangshanCounty: MadeUser;
let evaluator: MadeUser;
let orgA: MadeUser;
let orgB: MadeUser;
let orgC: MadeUser;
let baseA: string;
let baseB: string;
let baseC: string;

const as = (u: MadeUser | null) => actorOf(u);
const ALL = { status: undefined, county: undefined, overdue: false };

const makeBase = (org: MadeUser, region: string, unit: string) => createLinkedBase(t.ctx, org, region, unit);

const baseRow = (id: string) =>
  t.ctx.db
    .selectFrom("bases")
    .select(["status", "warning_note"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
const inbox = (u: MadeUser) =>
  t.ctx.db.selectFrom("notifications").select(["kind", "title"]).where("user_id", "=", u.id).execute();

beforeAll(async () => {
  t = await createTestContext({ clock });
  office = await createUserRecord(t.ctx, { role: "office" });
  city = await createUserRecord(t.ctx, { role: "city" });
  longyouCounty = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
  jiangshanCounty = await createUserRecord(t.ctx, { role: "county", regionCode: "330881" });
  evaluator = await createUserRecord(t.ctx, { role: "evaluator" });
  orgA = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
  orgB = await createUserRecord(t.ctx, { role: "org", regionCode: "330881" });
  orgC = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
  baseA = await makeBase(orgA, "330825", "龙游县石窟管理处");
  baseB = await makeBase(orgB, "330881", "江山市某科技有限公司");
  baseC = await makeBase(orgC, "330825", "龙游县博物馆");
});

afterAll(async () => {
  await t?.close();
});

describe("issue, 整改, report, 复查 pass", () => {
  let id: string;
  it("the office puts a base on warning with 限期整改: the base goes on 警示, the base is told", async () => {
    const w = await issueWarning(
      t.ctx,
      as(office),
      issueSchema.parse({
        baseId: baseA,
        reason: "全年未开展科普活动",
        measures: "每季度开展1场活动",
        deadline: "2026-03-31",
      }),
    );
    id = w.id;
    expect(w).toMatchObject({ status: "rectifying", source: "manual", version: 1 });
    // The deadline is the end of that Beijing day.
    expect(w.deadline).toBe("2026-03-31T16:00:00.000Z");
    expect(await baseRow(baseA)).toEqual({ status: "warning", warning_note: "全年未开展科普活动" });
    expect((await inbox(orgA)).map((n) => n.kind)).toContain("warning.issued");
  });
  it("the reminders are queued: 3 working days before the deadline at 09:00, and at the deadline", async () => {
    const jobs = await t.ctx.db
      .selectFrom("jobs")
      .select(["unique_key", "run_at"])
      .where("kind", "=", "warnings.deadline_reminder")
      .orderBy("run_at")
      .execute();
    // 31 March 2026 is a Tuesday: 3 working days before is Thursday 26 March.
    expect(jobs).toEqual([
      { unique_key: `warnings.deadline_reminder:${id}:before`, run_at: "2026-03-26T01:00:00.000Z" },
      { unique_key: `warnings.deadline_reminder:${id}:overdue`, run_at: "2026-03-31T16:00:00.000Z" },
    ]);
  });
  it("the base saves a draft report (no status change), then files it; the city is told", async () => {
    const draft = await saveReport(
      t.ctx,
      as(orgA),
      id,
      reportSchema.parse({ reportText: "已制定计划", version: 1 }),
      false,
    );
    expect(draft).toMatchObject({
      status: "rectifying",
      report_text: "已制定计划",
      version: 2,
      report_at: null,
    });
    const empty = await errorOf(
      saveReport(t.ctx, as(orgA), id, reportSchema.parse({ reportText: "", version: 2 }), true),
    );
    expect(empty.fieldErrors).toEqual({ reportText: "请填写整改报告" });
    const filed = await saveReport(
      t.ctx,
      as(orgA),
      id,
      reportSchema.parse({ reportText: "已开展3场活动", version: 2 }),
      true,
    );
    expect(filed).toMatchObject({ status: "report_filed", version: 3 });
    expect((await inbox(city)).map((n) => n.kind)).toContain("warning.report");
    const again = await errorOf(
      saveReport(t.ctx, as(orgA), id, reportSchema.parse({ reportText: "改", version: 3 }), false),
    );
    expect(again.code).toBe("CONFLICT");
  });
  it("the reminders no longer go out once the report is filed", async () => {
    clock.set("2026-04-02T10:00:00+08:00");
    await runDueJobs(t.ctx, WARNING_JOB_HANDLERS);
    const sent = (await inbox(orgA)).filter((n) => n.kind.startsWith("warning.remind"));
    expect(sent).toEqual([]);
    clock.set("2026-03-10T10:00:00+08:00");
  });
  it("only the city re-checks; the office and a county are refused", async () => {
    const pass = recheckSchema.parse({ decision: "pass", note: "整改到位", version: 3 });
    expect(
      (await errorOf(decideWarning(t.ctx, as(office), id, { action: "recheck", input: pass }))).code,
    ).toBe("FORBIDDEN");
    expect(
      (await errorOf(decideWarning(t.ctx, as(longyouCounty), id, { action: "recheck", input: pass }))).code,
    ).toBe("FORBIDDEN");
  });
  it("复查 passes: the warning is lifted and the base is active again", async () => {
    const w = await decideWarning(t.ctx, as(city), id, {
      action: "recheck",
      input: recheckSchema.parse({
        decision: "pass",
        note: "整改到位",
        inspection: "3月12日实地查看",
        version: 3,
      }),
    });
    expect(w).toMatchObject({ status: "lifted", recheck_note: "整改到位", inspection: "3月12日实地查看" });
    expect(await baseRow(baseA)).toEqual({ status: "active", warning_note: null });
  });
  it("every step is on the base's timeline and in the audit log", async () => {
    const events = await listBaseWarningEvents(t.ctx, as(longyouCounty), baseA);
    expect(events.map((e) => e.action)).toEqual(["issue", "report", "recheck_pass"]);
    expect(events[0].actor_role).toBe("office");
    const audit = await t.ctx.db
      .selectFrom("audit_events")
      .select("action")
      .where("target_id", "=", id)
      .orderBy("seq")
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["warning.issue", "warning.report", "warning.recheck_pass"]);
    expect(await listBaseWarningEvents(t.ctx, as(jiangshanCounty), baseA)).toEqual([]);
  });
});

describe("复查 fails: revocation proposed", () => {
  it("a county proposes, the city confirms with 整改, the base files, the city fails it under 第十八条(四)", async () => {
    const p = await issueWarning(
      t.ctx,
      as(longyouCounty),
      issueSchema.parse({ baseId: baseC, reason: "不接受指导" }),
    );
    expect(p.status).toBe("proposed");
    // A proposal alone does not put the base on warning, and the base does not see it.
    expect((await baseRow(baseC)).status).toBe("active");
    expect(await listOwnWarnings(t.ctx, as(orgC))).toEqual([]);
    expect((await errorOf(getWarning(t.ctx, as(orgC), p.id))).code).toBe("NOT_FOUND");
    // The county cannot confirm its own proposal.
    const confirm = confirmSchema.parse({ measures: "接受指导", deadline: "2026-03-20", version: 1 });
    expect(
      (await errorOf(decideWarning(t.ctx, as(longyouCounty), p.id, { action: "confirm", input: confirm })))
        .code,
    ).toBe("FORBIDDEN");
    const c = await decideWarning(t.ctx, as(city), p.id, { action: "confirm", input: confirm });
    expect(c).toMatchObject({ status: "rectifying", deadline: "2026-03-20T16:00:00.000Z" });
    expect((await baseRow(baseC)).status).toBe("warning");
    await saveReport(t.ctx, as(orgC), p.id, reportSchema.parse({ reportText: "已整改", version: 2 }), true);
    const missingReason = recheckSchema.safeParse({ decision: "fail", note: "未整改", version: 3 });
    expect(missingReason.error?.issues[0].message).toContain("第十八条");
    const f = await decideWarning(t.ctx, as(city), p.id, {
      action: "recheck",
      input: recheckSchema.parse({ decision: "fail", note: "未整改", revocationReason: "4", version: 3 }),
    });
    expect(f).toMatchObject({ status: "revocation_proposed", revocation_reason: 4 });
    // The base stays on warning until the office revokes (bases.server revokeBase) or lifts.
    expect((await baseRow(baseC)).status).toBe("warning");
    expect((await inbox(office)).map((n) => n.kind)).toContain("warning.revocation_proposed");
    const view = await getWarning(t.ctx, as(office), p.id);
    expect(view.actions).toEqual(["lift"]);
  });
});

describe("scope: county A staff cannot see or act on county B's warnings", () => {
  let bId: string;
  beforeAll(async () => {
    bId = (await issueWarning(t.ctx, as(office), issueSchema.parse({ baseId: baseB, reason: "场所关闭" })))
      .id;
  });
  it("the list of each county shows its own only; the city and office see all", async () => {
    const ly = await listWarnings(t.ctx, as(longyouCounty), ALL, { offset: 0, limit: 50 });
    expect(ly.rows.every((r) => r.region_code === "330825")).toBe(true);
    expect(ly.rows.some((r) => r.id === bId)).toBe(false);
    const js = await listWarnings(t.ctx, as(jiangshanCounty), ALL, { offset: 0, limit: 50 });
    expect(js.rows.map((r) => r.id)).toEqual([bId]);
    const all = await listWarnings(t.ctx, as(city), ALL, { offset: 0, limit: 50 });
    expect(all.total).toBe(ly.total + js.total);
  });
  it("county A gets the same 404 for county B's warning as for a missing one; the denial is audited", async () => {
    const other = await errorOf(getWarning(t.ctx, as(longyouCounty), bId));
    const missing = await errorOf(getWarning(t.ctx, as(longyouCounty), "no-such-id"));
    expect(other.code).toBe("NOT_FOUND");
    expect(other.message).toBe(missing.message);
    const denied = await t.ctx.db
      .selectFrom("audit_events")
      .select("action")
      .where("target_id", "=", bId)
      .where("action", "=", "access.denied")
      .execute();
    expect(denied.length).toBe(1);
    expect(
      (
        await errorOf(
          decideWarning(t.ctx, as(longyouCounty), bId, {
            action: "lift",
            input: noteSchema.parse({ note: "x", version: 1 }),
          }),
        )
      ).code,
    ).toBe("NOT_FOUND");
  });
  it("a county cannot propose a warning for another county's base (404), nor can an evaluator or admin list", async () => {
    const e = await errorOf(
      issueWarning(t.ctx, as(longyouCounty), issueSchema.parse({ baseId: baseB, reason: "x" })),
    );
    expect(e.code).toBe("NOT_FOUND");
    expect((await errorOf(listWarnings(t.ctx, as(evaluator), ALL, { offset: 0, limit: 5 }))).code).toBe(
      "FORBIDDEN",
    );
  });
  it("another base's organization sees nothing of it, and cannot file or upload", async () => {
    expect((await errorOf(getWarning(t.ctx, as(orgA), bId))).code).toBe("NOT_FOUND");
    expect(await warningRegionFor(t.ctx, as(orgA), bId)).toBeNull();
    expect(await warningRegionFor(t.ctx, as(orgB), bId)).toBe("330881");
    // An open warning (no 整改) takes no report evidence yet; staff who issue may add evidence.
    expect(await warningWritableRegion(t.ctx, as(orgB), bId, "report_evidence")).toBeNull();
    expect(await warningWritableRegion(t.ctx, as(office), bId, "warning_evidence")).toBe("330881");
    expect(await warningWritableRegion(t.ctx, as(longyouCounty), bId, "warning_evidence")).toBeNull();
  });
  it("the filters: status, county, overdue", async () => {
    const open = await listWarnings(t.ctx, as(city), { ...ALL, status: "open" }, { offset: 0, limit: 50 });
    expect(open.rows.map((r) => r.id)).toEqual([bId]);
    const js = await listWarnings(t.ctx, as(city), { ...ALL, county: "330881" }, { offset: 0, limit: 50 });
    expect(js.rows.map((r) => r.id)).toEqual([bId]);
  });
});

describe("two re-checks at once", () => {
  it("one wins, the other gets a version conflict", async () => {
    const org = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
    const base = await makeBase(org, "330825", "龙游县并发测试单位");
    const w = await issueWarning(
      t.ctx,
      as(office),
      issueSchema.parse({ baseId: base, reason: "并发", measures: "整改", deadline: "2026-04-30" }),
    );
    await saveReport(t.ctx, as(org), w.id, reportSchema.parse({ reportText: "报告", version: 1 }), true);
    const city2 = await createUserRecord(t.ctx, { role: "city" });
    const results = await Promise.allSettled([
      decideWarning(t.ctx, as(city), w.id, {
        action: "recheck",
        input: recheckSchema.parse({ decision: "pass", note: "通过", version: 2 }),
      }),
      decideWarning(t.ctx, as(city2), w.id, {
        action: "recheck",
        input: recheckSchema.parse({ decision: "fail", note: "不通过", revocationReason: "5", version: 2 }),
      }),
    ]);
    const ok = results.filter((r) => r.status === "fulfilled");
    const failed = results.filter((r) => r.status === "rejected");
    expect(ok.length).toBe(1);
    expect(failed.length).toBe(1);
    expect((failed[0] as PromiseRejectedResult).reason.code).toBe("CONFLICT");
    const events = await t.ctx.db
      .selectFrom("base_warning_events")
      .select("action")
      .where("warning_id", "=", w.id)
      .where("action", "like", "recheck%")
      .execute();
    expect(events.length).toBe(1);
  });
  it("a stale version is refused even alone", async () => {
    const org = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
    const base = await makeBase(org, "330825", "龙游县旧版本单位");
    const w = await issueWarning(t.ctx, as(city), issueSchema.parse({ baseId: base, reason: "旧版本" }));
    const e = await errorOf(
      decideWarning(t.ctx, as(office), w.id, {
        action: "rectify",
        input: rectifySchema.parse({ measures: "整改", deadline: "2026-04-01", version: 7 }),
      }),
    );
    expect(e.code).toBe("CONFLICT");
  });
});

describe("reminders", () => {
  it("before and after the deadline, once per warning and kind, to the base (overdue: staff too)", async () => {
    const org = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
    const base = await makeBase(org, "330825", "龙游县提醒测试单位");
    const w = await issueWarning(
      t.ctx,
      as(office),
      issueSchema.parse({ baseId: base, reason: "提醒", measures: "整改", deadline: "2026-03-31" }),
    );
    clock.set("2026-03-26T09:30:00+08:00");
    await runDueJobs(t.ctx, WARNING_JOB_HANDLERS);
    await runDueJobs(t.ctx, WARNING_JOB_HANDLERS);
    expect((await inbox(org)).filter((n) => n.kind === "warning.remind_before").length).toBe(1);
    expect((await inbox(org)).filter((n) => n.kind === "warning.remind_overdue").length).toBe(0);
    clock.set("2026-04-01T00:00:00+08:00");
    await runDueJobs(t.ctx, WARNING_JOB_HANDLERS);
    expect((await inbox(org)).filter((n) => n.kind === "warning.remind_overdue").length).toBe(1);
    expect((await inbox(longyouCounty)).filter((n) => n.kind === "warning.overdue").length).toBe(1);
    // Running the handler again (a retry) sends nothing more.
    await WARNING_JOB_HANDLERS["warnings.deadline_reminder"](t.ctx, {} as never, {
      warningId: w.id,
      kind: "overdue",
      deadline: "2026-03-31T16:00:00.000Z",
    });
    expect((await inbox(org)).filter((n) => n.kind === "warning.remind_overdue").length).toBe(1);
    const overdue = await listWarnings(
      t.ctx,
      as(longyouCounty),
      { ...ALL, overdue: true },
      { offset: 0, limit: 50 },
    );
    expect(overdue.rows.map((r) => r.id)).toContain(w.id);
    // Overdue without a report: the city may fail the 复查 but not pass it.
    const view = await getWarning(t.ctx, as(city), w.id);
    expect(view.overdue).toBe(true);
    expect(view.actions).toEqual(["recheck_fail", "lift"]);
    clock.set("2026-03-10T10:00:00+08:00");
  });
});

describe("the late change report joins the workflow", () => {
  it("approving a late merger opens a late_change warning that the office can lift", async () => {
    clock.set("2024-03-10T10:00:00+08:00");
    const org = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
    const base = await makeBase(org, "330825", "龙游县变更单位");
    const report = await fileChangeReport(
      t.ctx,
      as(org),
      changeReportSchema.parse({
        kind: "merger",
        happenedOn: "2023-11-30",
        unitName: "龙游县合并后单位",
        explanation: "机构合并",
      }),
    );
    await decideChangeReport(t.ctx, as(office), report.id, { decision: "approve", reply: "", version: 1 });
    clock.set("2026-03-10T10:00:00+08:00");
    const [w] = await t.ctx.db.selectFrom("base_warnings").selectAll().where("base_id", "=", base).execute();
    expect(w).toMatchObject({ source: "late_change", status: "open" });
    expect(w.reason).toContain("第十八条（三）");
    expect((await baseRow(base)).status).toBe("warning");
    await decideWarning(t.ctx, as(office), w.id, {
      action: "lift",
      input: noteSchema.parse({ note: "已补办变更手续", version: w.version }),
    });
    expect(await baseRow(base)).toEqual({ status: "active", warning_note: null });
  });
  it("lifting one of two warnings leaves the base on warning", async () => {
    const org = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
    const base = await makeBase(org, "330825", "龙游县两次警示单位");
    const w1 = await issueWarning(t.ctx, as(office), issueSchema.parse({ baseId: base, reason: "第一次" }));
    await issueWarning(t.ctx, as(city), issueSchema.parse({ baseId: base, reason: "第二次" }));
    await decideWarning(t.ctx, as(office), w1.id, {
      action: "lift",
      input: noteSchema.parse({ note: "解除", version: 1 }),
    });
    expect(await baseRow(base)).toEqual({ status: "warning", warning_note: "第二次" });
  });
});

describe("the public pages", () => {
  it("show no warning by default; the office's setting shows 警示", async () => {
    const hidden = await getPublicBase(t.ctx, baseB);
    expect(hidden.kind === "public" && hidden.base.status).toBe("active");
    const list = await listPublicBases(t.ctx, { county: "330881" });
    expect(list.rows.find((r) => r.id === baseB)?.status).toBe("active");
    expect((await errorOf(setPublicWarningSetting(t.ctx, as(city), true))).code).toBe("FORBIDDEN");
    await setPublicWarningSetting(t.ctx, as(office), true);
    const shown = await getPublicBase(t.ctx, baseB);
    expect(shown.kind === "public" && shown.base.status).toBe("warning");
    expect(
      (await listPublicBases(t.ctx, { county: "330881" })).rows.find((r) => r.id === baseB)?.status,
    ).toBe("warning");
    await setPublicWarningSetting(t.ctx, as(office), false);
  });
});

describe("the export", () => {
  it("has every warning in the county's scope, with the list's columns", async () => {
    const { headers, rows } = await openExport(await prepareWarningsXlsx(t.ctx, as(jiangshanCounty), ALL));
    expect(headers).toEqual(WARNINGS_EXPORT_HEADERS);
    expect(rows.length).toBe(1);
    expect(rows[0][0]).toBe("江山市某科技有限公司科普教育基地");
    const city_ = await openExport(await prepareWarningsXlsx(t.ctx, as(city), ALL));
    const total = (await listWarnings(t.ctx, as(city), ALL, { offset: 0, limit: 500 })).total;
    expect(city_.rows.length).toBe(total);
  });
});
