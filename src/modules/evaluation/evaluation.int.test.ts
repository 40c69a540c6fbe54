import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportDueAt } from "#src/modules/activities/activities.rules.ts";
import { insertBase } from "#src/modules/bases/bases-import.server.ts";
import { bumpGeneration } from "#src/platform/cache/generations.server.ts";
import { fixedClock } from "#src/platform/clock.ts";
import type { ActivityDirection, ActivityFee, ReportStatus } from "#src/platform/db/schema.ts";
import { newId } from "#src/platform/ids.ts";
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
import { AUTO_KEYS, type AutoKey, DEFAULT_RUBRIC, type Figure } from "./evaluation.rules.ts";
import { countyReviewSchema, roundSchema, scoreSchema, selfAssessmentSchema } from "./evaluation.schema.ts";
import {
  advanceRound,
  createRound,
  getCurrentRubric,
  listRoundEvaluators,
  saveRubric,
  sendSelfReminders,
  setRoundEvaluator,
} from "./evaluation.server.ts";
import {
  getEntry,
  getOwnEvaluation,
  listBaseGrades,
  listEntries,
  listEntryEvidence,
  reviewEntry,
  saveSelfAssessment,
} from "./evaluation-entries.server.ts";
import {
  calculateResults,
  closeRoundIfDue,
  EVALUATION_JOB_HANDLERS,
  listMyAssignments,
  prepareScoresXlsx,
  prepareSubsidyXlsx,
  publishResults,
  saveScore,
} from "./evaluation-scoring.server.ts";

const clock = fixedClock("2026-02-10T10:00:00+08:00");
let t: TestContext;
let office: MadeUser;
let longyouCounty: MadeUser;
let jiangshanCounty: MadeUser;
let city: MadeUser;
let orgA: MadeUser;
let orgB: MadeUser;
let orgC: MadeUser;
let ev1: MadeUser;
let ev2: MadeUser;
let ev3: MadeUser;
let baseA: string;
let baseB: string;
let baseRevoked: string;
let baseNew: string;
let roundId: string;
let ids: { campaign2025: string; school2025: string; campaign2024: string };

const as = (u: MadeUser | null) => actorOf(u);

const makeBase = (
  org: MadeUser,
  region: string,
  unit: string,
  opts: { year?: number; status?: "revoked" } = {},
) =>
  createLinkedBase(t.ctx, org, region, unit, {
    category_code: region === "330825" ? "science_venue" : "enterprise",
    recognized_year: opts.year ?? 2020,
    ...(opts.status ? { status: opts.status } : {}),
  });

interface ActivitySpec {
  base: string;
  region: string;
  start: string;
  end?: string;
  created?: string;
  report?: ReportStatus;
  submitted?: string;
  participants?: number;
  fee?: ActivityFee;
  direction?: ActivityDirection;
  campaigns?: string[];
}

async function makeActivity(s: ActivitySpec) {
  const id = newId();
  const startsAt = new Date(s.start).toISOString();
  await t.ctx.db
    .insertInto("activities")
    .values({
      id,
      base_id: s.base,
      region_code: s.region,
      name: `活动${id.slice(-4)}`,
      type: "lecture",
      form: "offline",
      starts_at: startsAt,
      ends_at: new Date(s.end ?? s.start).toISOString(),
      start_month: new Date(new Date(s.start).getTime() + 8 * 3600_000).toISOString().slice(0, 7),
      fee: s.fee ?? "paid",
      direction: s.direction ?? "in",
      report_status: s.report ?? "none",
      report_submitted_at: s.submitted ? new Date(s.submitted).toISOString() : null,
      actual_participants: s.participants ?? null,
      created_by: office.id,
      created_at: new Date(s.created ?? "2024-12-01T00:00:00+08:00").toISOString(),
      updated_at: startsAt,
    })
    .execute();
  for (const c of s.campaigns ?? [])
    await t.ctx.db.insertInto("activity_campaigns").values({ activity_id: id, campaign_id: c }).execute();
  return id;
}

async function makeCampaign(kind: "science_day" | "double_reduction", year: number) {
  const id = newId();
  const now = clock.now().toISOString();
  await t.ctx.db
    .insertInto("campaigns")
    .values({
      id,
      kind,
      title: `${year}${kind}`,
      year,
      starts_on: `${year}-09-01`,
      ends_on: `${year}-09-30`,
      created_by: office.id,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

beforeAll(async () => {
  t = await createTestContext({ clock });
  office = await createUserRecord(t.ctx, { role: "office" });
  city = await createUserRecord(t.ctx, { role: "city" });
  longyouCounty = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
  jiangshanCounty = await createUserRecord(t.ctx, { role: "county", regionCode: "330881" });
  orgA = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
  orgB = await createUserRecord(t.ctx, { role: "org", regionCode: "330881" });
  orgC = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
  ev1 = await createUserRecord(t.ctx, { role: "evaluator" });
  ev2 = await createUserRecord(t.ctx, { role: "evaluator" });
  ev3 = await createUserRecord(t.ctx, { role: "evaluator" });
  baseA = await makeBase(orgA, "330825", "龙游县石窟管理处");
  baseB = await makeBase(orgB, "330881", "江山市某科技有限公司");
  baseRevoked = await makeBase(orgC, "330825", "已撤销单位", { status: "revoked" });
  baseNew = await makeBase(await createUserRecord(t.ctx, { role: "org" }), "330825", "新认定单位", {
    year: 2026,
  });
  ids = {
    campaign2025: await makeCampaign("science_day", 2025),
    school2025: await makeCampaign("double_reduction", 2025),
    campaign2024: await makeCampaign("science_day", 2024),
  };
  const A = { base: baseA, region: "330825" };
  // Base A, 2025: reports on time, late, returned, none; theme-day free and discounted; school visits.
  await makeActivity({
    ...A,
    start: "2025-03-10T09:00:00+08:00",
    end: "2025-03-10T11:00:00+08:00",
    report: "accepted",
    submitted: "2025-03-12T10:00:00+08:00",
    participants: 120,
    fee: "free",
    campaigns: [ids.campaign2025],
  });
  // Submitted at 23:59 on the 7th day after the end: on time.
  await makeActivity({
    ...A,
    start: "2025-05-01T09:00:00+08:00",
    end: "2025-05-01T11:00:00+08:00",
    report: "accepted",
    submitted: "2025-05-08T23:59:00+08:00",
    participants: 80,
    fee: "discounted",
    campaigns: [ids.campaign2025, ids.school2025],
    direction: "out",
  });
  // Submitted at 00:00 on the 8th day: late.
  await makeActivity({
    ...A,
    start: "2025-06-01T09:00:00+08:00",
    end: "2025-06-01T11:00:00+08:00",
    report: "accepted",
    submitted: "2025-06-09T00:00:00+08:00",
    participants: 40,
  });
  await makeActivity({
    ...A,
    start: "2025-07-01T09:00:00+08:00",
    report: "returned",
    submitted: "2025-07-02T09:00:00+08:00",
    participants: 999,
    campaigns: [ids.school2025],
  });
  await makeActivity({
    ...A,
    start: "2025-11-20T09:00:00+08:00",
    report: "submitted",
    submitted: "2025-11-21T09:00:00+08:00",
    created: "2025-11-25T00:00:00+08:00",
  });
  // 31 Dec 2025, 23:30 Beijing is still 2025; 1 Jan 2026 00:30 Beijing (still 2025 in UTC) is not.
  await makeActivity({
    ...A,
    start: "2025-12-31T23:30:00+08:00",
    report: "accepted",
    submitted: "2026-01-02T09:00:00+08:00",
    participants: 7,
  });
  await makeActivity({
    ...A,
    start: "2026-01-01T00:30:00+08:00",
    report: "accepted",
    submitted: "2026-01-02T09:00:00+08:00",
    participants: 1000,
  });
  // 2024: a campaign of 2024 and an activity of 2024 count for nothing in 2025.
  await makeActivity({
    ...A,
    start: "2024-09-10T09:00:00+08:00",
    report: "accepted",
    submitted: "2024-09-11T09:00:00+08:00",
    participants: 500,
    fee: "free",
    campaigns: [ids.campaign2024],
  });
  // Base B: one activity, no report.
  await makeActivity({
    base: baseB,
    region: "330881",
    start: "2025-09-15T09:00:00+08:00",
    fee: "free",
    campaigns: [ids.campaign2025],
  });

  // Volunteers of A: a registered team, confirmed hours in 2025 (and some recorded only, some in 2024).
  const now = clock.now().toISOString();
  await t.ctx.db
    .insertInto("volunteer_teams")
    .values({
      base_id: baseA,
      region_code: "330825",
      name: "队",
      stvs_status: "registered",
      stvs_org_no: "ORG-1",
      registered_on: "2025-04-01",
      created_at: now,
      updated_at: now,
    })
    .execute();
  await t.ctx.db
    .insertInto("volunteer_teams")
    .values({
      base_id: baseB,
      region_code: "330881",
      name: "队B",
      stvs_status: "pending",
      stvs_org_no: "ORG-2",
      created_at: now,
      updated_at: now,
    })
    .execute();
  const vid = newId();
  await t.ctx.db
    .insertInto("volunteers")
    .values({
      id: vid,
      base_id: baseA,
      region_code: "330825",
      name: "张三",
      created_at: now,
      updated_at: now,
    })
    .execute();
  const act = (
    await t.ctx.db
      .selectFrom("activities")
      .select("id")
      .where("base_id", "=", baseA)
      .executeTakeFirstOrThrow()
  ).id;
  const service = (date: string, minutes: number, status: "recorded" | "confirmed") =>
    t.ctx.db
      .insertInto("volunteer_services")
      .values({
        id: newId(),
        base_id: baseA,
        region_code: "330825",
        volunteer_id: vid,
        activity_id: act,
        starts_at: `${date}T01:00:00.000Z`,
        ends_at: `${date}T05:00:00.000Z`,
        service_date: date,
        minutes,
        status,
        created_by: orgA.id,
        created_at: now,
      })
      .execute();
  await service("2025-03-10", 240, "confirmed");
  await service("2025-03-11", 90, "confirmed");
  await service("2025-03-12", 600, "recorded");
  await service("2024-03-12", 600, "confirmed");
  // Change reports: one late in 2025 for B, one late in 2024 for A, one on time in 2025 for A.
  const change = (base: string, filed: string, late: number) =>
    t.ctx.db
      .insertInto("change_reports")
      .values({
        id: newId(),
        base_id: base,
        kind: "contact",
        happened_on: "2025-01-01",
        details: "{}",
        late,
        filed_by: orgA.id,
        filed_at: new Date(filed).toISOString(),
      })
      .execute();
  await change(baseB, "2025-06-01T10:00:00+08:00", 1);
  await change(baseA, "2024-06-01T10:00:00+08:00", 1);
  await change(baseA, "2025-06-01T10:00:00+08:00", 0);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

/** Each figure counted again here, from the raw rows in plain JavaScript, not by the module's SQL. */
async function independentFigures(baseId: string, year: number): Promise<Record<AutoKey, Figure>> {
  const db = t.ctx.db;
  const bj = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString();
  const acts = (await db.selectFrom("activities").selectAll().where("base_id", "=", baseId).execute()).filter(
    (a) => bj(a.starts_at).slice(0, 4) === String(year),
  );
  const links = await db.selectFrom("activity_campaigns").selectAll().execute();
  const campaigns = await db.selectFrom("campaigns").selectAll().where("year", "=", year).execute();
  const linked = (a: { id: string }, kind?: string) =>
    links.filter(
      (l) =>
        l.activity_id === a.id && campaigns.some((c) => c.id === l.campaign_id && (!kind || c.kind === kind)),
    );
  const allActs = await db.selectFrom("activities").selectAll().where("base_id", "=", baseId).execute();
  const campaignActs = allActs.filter((a) => linked(a).length > 0);
  const team = await db
    .selectFrom("volunteer_teams")
    .selectAll()
    .where("base_id", "=", baseId)
    .executeTakeFirst();
  const services = await db
    .selectFrom("volunteer_services")
    .selectAll()
    .where("base_id", "=", baseId)
    .execute();
  const changes = await db.selectFrom("change_reports").selectAll().where("base_id", "=", baseId).execute();
  const accepted = acts.filter((a) => a.report_status === "accepted");
  const minutes = services
    .filter((s) => s.status === "confirmed" && s.service_date.startsWith(`${year}-`))
    .reduce((s, v) => s + v.minutes, 0);
  return {
    activities_held: { value: acts.length },
    participants: { value: accepted.reduce((s, a) => s + (a.actual_participants ?? 0), 0) },
    reports_on_time: {
      value: accepted.filter(
        (a) => new Date(a.report_submitted_at!).getTime() < new Date(reportDueAt(a.ends_at)).getTime(),
      ).length,
      of: acts.length,
    },
    campaigns_joined: {
      value: new Set(campaignActs.flatMap((a) => linked(a).map((l) => l.campaign_id))).size,
    },
    campaign_free_opening: {
      value: campaignActs.filter((a) => a.fee === "free" || a.fee === "discounted").length,
    },
    school_activities: { value: allActs.filter((a) => linked(a, "double_reduction").length > 0).length },
    volunteer_team: {
      value: team?.stvs_status === "registered" && (team.registered_on ?? "") <= `${year}-12-31` ? 1 : 0,
    },
    volunteer_hours: { value: Math.round((minutes / 60) * 10) / 10 },
    late_change_reports: {
      value: changes.filter((c) => c.late === 1 && bj(c.filed_at).startsWith(String(year))).length,
    },
    info_quarters: {
      value: new Set(
        acts
          .filter((a) => a.created_at < a.starts_at)
          .map((a) => Math.floor((Number(a.start_month.slice(5, 7)) + 2) / 3)),
      ).size,
    },
  };
}

const roundInput = (over: Record<string, unknown> = {}) =>
  roundSchema.parse({
    year: "2025",
    title: "2025年度科普教育基地绩效评价",
    selfDeadline: "2026-03-31",
    scoringDeadline: "2026-04-30",
    subsidyExcellent: "50000",
    subsidyGood: "30000",
    subsidyPass: "10000",
    // The test's bases are small: lower lines put A in 合格 and leave B 不合格.
    excellent: "80",
    good: "60",
    pass: "40",
    ...over,
  });

describe("the rubric", () => {
  it("starts as the default rubric, version 1; an edit by the office makes version 2", async () => {
    const r = await getCurrentRubric(t.ctx, as(office));
    expect(r.version).toBe(1);
    expect(r.rubric).toEqual(DEFAULT_RUBRIC);
    const edited = structuredClone(DEFAULT_RUBRIC);
    edited[3].indicators[2].name = "制度建设与执行";
    expect(await saveRubric(t.ctx, as(office), { dimensions: edited, note: "改名", basedOn: 1 })).toBe(2);
    // A stale edit, an invalid total, and anyone but the office are refused.
    expect(
      (await errorOf(saveRubric(t.ctx, as(office), { dimensions: edited, note: "", basedOn: 1 }))).code,
    ).toBe("CONFLICT");
    const bad = structuredClone(edited);
    bad[0].indicators[0].max = 20;
    expect(
      (await errorOf(saveRubric(t.ctx, as(office), { dimensions: bad, note: "", basedOn: 2 }))).code,
    ).toBe("VALIDATION");
    expect(
      (await errorOf(saveRubric(t.ctx, as(city), { dimensions: edited, note: "", basedOn: 2 }))).code,
    ).toBe("FORBIDDEN");
  });
});

describe("a round from opening to results", () => {
  it("the office opens a round on the current rubric with every evaluator", async () => {
    expect((await errorOf(createRound(t.ctx, as(longyouCounty), roundInput()))).code).toBe("FORBIDDEN");
    roundId = await createRound(t.ctx, as(office), roundInput());
    expect((await errorOf(createRound(t.ctx, as(office), roundInput()))).fieldErrors).toHaveProperty("year");
    const evaluators = await listRoundEvaluators(t.ctx.db, roundId);
    expect(evaluators.map((e) => e.user_id).sort()).toEqual([ev1.id, ev2.id, ev3.id].sort());
    // ev2 works for base B's unit; ev3 scores by category (enterprise: base B only); a city user is added for this round.
    await setRoundEvaluator(t.ctx, as(office), roundId, {
      userId: ev2.id,
      scopeKind: "county",
      scopeValues: ["330825", "330881"],
      unitUscc: orgB.login,
      unitName: "江山市某科技有限公司",
    });
    await setRoundEvaluator(t.ctx, as(office), roundId, {
      userId: ev3.id,
      scopeKind: "category",
      scopeValues: ["enterprise"],
      unitUscc: "",
      unitName: "",
    });
    await setRoundEvaluator(t.ctx, as(office), roundId, {
      userId: city.id,
      scopeKind: "county",
      scopeValues: ["330825"],
      unitUscc: "",
      unitName: "",
    });
    const round = await t.ctx.db
      .selectFrom("evaluation_rounds")
      .selectAll()
      .where("id", "=", roundId)
      .executeTakeFirstOrThrow();
    expect(round.status).toBe("draft");
    const rubric = await t.ctx.db
      .selectFrom("evaluation_rubrics")
      .select("version")
      .where("id", "=", round.rubric_id)
      .executeTakeFirstOrThrow();
    expect(rubric.version).toBe(2);
    // A base sees nothing of a draft.
    expect((await getOwnEvaluation(t.ctx, as(orgA))).current).toBeNull();
    expect(await advanceRound(t.ctx, as(office), roundId, "open", round.version)).toBe("self_assessment");
    expect((await errorOf(advanceRound(t.ctx, as(office), roundId, "open", round.version + 1))).code).toBe(
      "CONFLICT",
    );
  });

  it("enters every named base but the revoked and those named after the year", async () => {
    const entries = await t.ctx.db
      .selectFrom("evaluation_entries")
      .select("base_id")
      .where("round_id", "=", roundId)
      .execute();
    const bases = entries.map((e) => e.base_id);
    expect(bases).toContain(baseA);
    expect(bases).toContain(baseB);
    expect(bases).not.toContain(baseRevoked);
    expect(bases).not.toContain(baseNew);
  });

  it("every automatic figure equals a count made here from the raw tables", async () => {
    for (const base of [baseA, baseB]) {
      const entry = await t.ctx.db
        .selectFrom("evaluation_entries")
        .selectAll()
        .where("round_id", "=", roundId)
        .where("base_id", "=", base)
        .executeTakeFirstOrThrow();
      const stored = JSON.parse(entry.auto_figures) as Record<string, Figure>;
      const expected = await independentFigures(base, 2025);
      for (const k of AUTO_KEYS) expect({ k, f: stored[k] }).toEqual({ k, f: expected[k] });
    }
    // And the figures are the ones this test set up.
    const a = await independentFigures(baseA, 2025);
    expect(a.activities_held.value).toBe(6);
    expect(a.participants.value).toBe(120 + 80 + 40 + 7);
    expect(a.reports_on_time).toEqual({ value: 3, of: 6 });
    expect(a.campaigns_joined.value).toBe(2);
    expect(a.campaign_free_opening.value).toBe(2);
    expect(a.school_activities.value).toBe(2);
    expect(a.volunteer_team.value).toBe(1);
    expect(a.volunteer_hours.value).toBe(5.5);
    expect(a.late_change_reports.value).toBe(0);
    expect(a.info_quarters.value).toBe(4); // not Q4's November activity announced after it began, but 31 December's
    const b = await independentFigures(baseB, 2025);
    expect(b.late_change_reports.value).toBe(1);
    expect(b.volunteer_team.value).toBe(0);
  });

  it("each figure opens the records it counts", async () => {
    const own = await getOwnEvaluation(t.ctx, as(orgA));
    const entryId = own.current!.entry.id;
    for (const k of AUTO_KEYS) {
      const { rows } = await listEntryEvidence(t.ctx, as(orgA), entryId, k);
      const f = own.current!.figures[k];
      if (
        k === "participants" ||
        k === "volunteer_hours" ||
        k === "late_change_reports" ||
        k === "volunteer_team"
      )
        continue;
      const n = k === "info_quarters" ? new Set(rows.map((r) => r.detail)).size : rows.length;
      expect({ k, n }).toEqual({ k, n: f.value });
    }
    const { rows } = await listEntryEvidence(t.ctx, as(orgA), entryId, "participants");
    expect(rows.length).toBe(4);
    // Another base's entry is a 404, for its evidence too.
    const other = (
      await t.ctx.db
        .selectFrom("evaluation_entries")
        .select("id")
        .where("base_id", "=", baseB)
        .executeTakeFirstOrThrow()
    ).id;
    expect((await errorOf(listEntryEvidence(t.ctx, as(orgA), other, "activities_held"))).code).toBe(
      "NOT_FOUND",
    );
    expect((await errorOf(getEntry(t.ctx, as(longyouCounty), other))).code).toBe("NOT_FOUND");
  });

  it("the base self-assesses: a draft may be partial, a submission needs every score and text", async () => {
    const own = await getOwnEvaluation(t.ctx, as(orgA));
    const entry = own.current!.entry;
    const draft = selfAssessmentSchema.parse({
      items: { institutions: { score: "6", text: "制度齐全" } },
      version: String(entry.version),
    });
    const saved = await saveSelfAssessment(t.ctx, as(orgA), entry.id, draft, false);
    expect(saved.status).toBe("pending");
    expect(JSON.parse(saved.self_scores).institutions).toEqual({ score: 6, text: "制度齐全" });
    const err = await errorOf(
      saveSelfAssessment(t.ctx, as(orgA), entry.id, { ...draft, version: saved.version }, true),
    );
    expect(err.fieldErrors).toMatchObject({ "funding.score": "请打分", "funding.text": "请填写自评说明" });
    const tooMuch = selfAssessmentSchema.parse({
      items: { institutions: { score: "9", text: "" } },
      version: String(saved.version),
    });
    expect(
      (await errorOf(saveSelfAssessment(t.ctx, as(orgA), entry.id, tooMuch, false))).fieldErrors,
    ).toEqual({
      "institutions.score": "分值须在0到7之间",
    });
    const full = selfAssessmentSchema.parse({
      items: {
        institutions: { score: "6", text: "制度齐全" },
        funding: { score: "6", text: "年投入30万元" },
        facilities: { score: "5", text: "展厅2000平方米" },
        innovation: { score: "4", text: "石窟研学课程" },
      },
      version: String(saved.version),
    });
    // Another org cannot write it.
    expect((await errorOf(saveSelfAssessment(t.ctx, as(orgB), entry.id, full, true))).code).toBe("NOT_FOUND");
    const submitted = await saveSelfAssessment(t.ctx, as(orgA), entry.id, full, true);
    expect(submitted).toMatchObject({ status: "submitted", late: 0 });
    expect(
      (
        await errorOf(
          saveSelfAssessment(t.ctx, as(orgA), entry.id, { ...full, version: submitted.version }, false),
        )
      ).code,
    ).toBe("CONFLICT");
  });

  it("reminds the bases that have not submitted, 3 working days before the deadline", async () => {
    const job = await t.ctx.db
      .selectFrom("jobs")
      .selectAll()
      .where("kind", "=", "evaluation.self_reminder")
      .executeTakeFirstOrThrow();
    // Deadline Tuesday 31 March 2026: Thu 26, Fri 27, Mon 30 → the 26th at 09:00.
    expect(job.run_at).toBe("2026-03-26T01:00:00.000Z");
    const n = await sendSelfReminders(t.ctx, roundId);
    expect(n).toBe(1);
    const sent = await t.ctx.db
      .selectFrom("notifications")
      .select("user_id")
      .where("kind", "=", "evaluation.self_reminder")
      .execute();
    expect(sent.map((s) => s.user_id)).toEqual([orgB.id]);
  });

  it("a base submitting after the deadline is marked late", async () => {
    clock.set("2026-04-01T09:00:00+08:00");
    const own = await getOwnEvaluation(t.ctx, as(orgB));
    const e = own.current!.entry;
    const input = selfAssessmentSchema.parse({
      items: Object.fromEntries(
        ["institutions", "funding", "facilities", "innovation"].map((k) => [k, { score: "2", text: "说明" }]),
      ),
      version: String(e.version),
    });
    expect(await saveSelfAssessment(t.ctx, as(orgB), e.id, input, true)).toMatchObject({
      status: "submitted",
      late: 1,
    });
  });

  it("county staff review their own county only, and may return for more evidence", async () => {
    await advanceRound(t.ctx, as(office), roundId, "start_review", (await round()).version);
    const ly = await listEntries(t.ctx, as(longyouCounty), roundId);
    expect(ly.map((e) => e.base_id)).toEqual([baseA]);
    const a = ly[0];
    const b = (await listEntries(t.ctx, as(jiangshanCounty), roundId))[0];
    expect(
      (
        await errorOf(
          reviewEntry(
            t.ctx,
            as(jiangshanCounty),
            a.id,
            countyReviewSchema.parse({ decision: "pass", opinion: "同意", version: a.version }),
          ),
        )
      ).code,
    ).toBe("NOT_FOUND");
    expect(
      (
        await errorOf(
          reviewEntry(
            t.ctx,
            as(city),
            a.id,
            countyReviewSchema.parse({ decision: "pass", opinion: "同意", version: a.version }),
          ),
        )
      ).code,
    ).toBe("FORBIDDEN");
    expect(
      countyReviewSchema.safeParse({ decision: "pass", opinion: " ", version: 1 }).error?.issues[0].message,
    ).toBe("请填写初审意见");
    expect(
      await reviewEntry(
        t.ctx,
        as(longyouCounty),
        a.id,
        countyReviewSchema.parse({ decision: "pass", opinion: "材料齐全，同意", version: a.version }),
      ),
    ).toMatchObject({ status: "passed" });
    const returned = await reviewEntry(
      t.ctx,
      as(jiangshanCounty),
      b.id,
      countyReviewSchema.parse({ decision: "return", opinion: "请补充经费投入凭证", version: b.version }),
    );
    expect(returned.status).toBe("returned");
    // The returned base adds evidence and submits again, then passes.
    const items = selfScoresOf(returned);
    items.funding.text = "附经费凭证";
    const again = await saveSelfAssessment(t.ctx, as(orgB), b.id, { items, version: returned.version }, true);
    expect(again.status).toBe("submitted");
    await reviewEntry(
      t.ctx,
      as(jiangshanCounty),
      b.id,
      countyReviewSchema.parse({ decision: "pass", opinion: "同意", version: again.version }),
    );
  });

  it("reminds each evaluator with unfinished bases once, 3 working days before the scoring deadline", async () => {
    await advanceRound(t.ctx, as(office), roundId, "start_scoring", (await round()).version);
    const job = await t.ctx.db
      .selectFrom("jobs")
      .selectAll()
      .where("kind", "=", "evaluation.scoring_reminder")
      .executeTakeFirstOrThrow();
    // Deadline Thursday 30 April 2026: Wed 29, Tue 28, Mon 27 → the 27th at 09:00.
    expect(job.run_at).toBe("2026-04-27T01:00:00.000Z");
    const reminders = () =>
      t.ctx.db
        .selectFrom("notifications")
        .select(["user_id", "body"])
        .where("kind", "=", "evaluation.scoring_reminder")
        .execute();
    clock.set("2026-04-26T09:00:00+08:00");
    await runDueJobs(t.ctx, EVALUATION_JOB_HANDLERS);
    expect(await reminders()).toEqual([]);
    clock.set("2026-04-27T09:00:00+08:00");
    await runDueJobs(t.ctx, EVALUATION_JOB_HANDLERS);
    const sent = await reminders();
    // ev1 has A and B; ev2 only A (B is its own unit's); ev3 B (enterprise); the city user A.
    expect(Object.fromEntries(sent.map((s) => [s.user_id, /还有(\d+)个/.exec(s.body)?.[1]]))).toEqual({
      [ev1.id]: "2",
      [ev2.id]: "1",
      [ev3.id]: "1",
      [city.id]: "1",
    });
    const outbox = await t.ctx.db
      .selectFrom("outbox")
      .select("id")
      .where("kind", "=", "evaluation.scoring_reminder")
      .execute();
    expect(outbox.length).toBeGreaterThan(0);
    // Sent once: the job is done, and a second start cannot queue another.
    await runDueJobs(t.ctx, EVALUATION_JOB_HANDLERS);
    expect(await reminders()).toHaveLength(4);
    const jobs = await t.ctx.db
      .selectFrom("jobs")
      .select("id")
      .where("kind", "=", "evaluation.scoring_reminder")
      .execute();
    expect(jobs).toHaveLength(1);
  });

  it("evaluators see and score only their assigned bases, never their own organization's", async () => {
    const entryA = await t.ctx.db
      .selectFrom("evaluation_entries")
      .selectAll()
      .where("base_id", "=", baseA)
      .executeTakeFirstOrThrow();
    const entryB = await t.ctx.db
      .selectFrom("evaluation_entries")
      .selectAll()
      .where("base_id", "=", baseB)
      .executeTakeFirstOrThrow();
    const listed = async (u: MadeUser) => (await listMyAssignments(t.ctx, as(u))).entries.map((e) => e.id);
    expect((await listed(ev1)).sort()).toEqual([entryA.id, entryB.id].sort());
    expect(await listed(ev2)).toEqual([entryA.id]);
    expect(await listed(ev3)).toEqual([entryB.id]);
    expect(await listed(city)).toEqual([entryA.id]);
    expect(await listed(orgA)).toEqual([]);
    // ev2 works for B: neither sees nor scores it; ev3 (category) does not see A.
    expect((await errorOf(getEntry(t.ctx, as(ev2), entryB.id))).code).toBe("NOT_FOUND");
    const score = (v: string, submit = false, version = 0) =>
      scoreSchema.parse({
        scores: { institutions: v, funding: v, facilities: v, innovation: v },
        submit: submit ? "1" : "",
        version: String(version),
      });
    expect((await errorOf(saveScore(t.ctx, as(ev2), entryB.id, score("5", true)))).code).toBe("NOT_FOUND");
    expect((await errorOf(saveScore(t.ctx, as(ev3), entryA.id, score("5", true)))).code).toBe("NOT_FOUND");
    expect((await errorOf(saveScore(t.ctx, as(orgA), entryA.id, score("5", true)))).code).toBe("NOT_FOUND");
    expect((await errorOf(saveScore(t.ctx, as(office), entryA.id, score("5", true)))).code).toBe("NOT_FOUND");
    // A score above an indicator's max is refused beside the field.
    expect((await errorOf(saveScore(t.ctx, as(ev1), entryA.id, score("7", true)))).fieldErrors).toMatchObject(
      { facilities: "分值须在0到6之间", innovation: "分值须在0到5之间" },
    );
    // Base A: ev1 drafts then submits 20; ev2 submits 24; the city user submits 10 → spread 14 ≤ 15.
    const v = await saveScore(t.ctx, as(ev1), entryA.id, score("5"));
    // Before the others submitted, ev1 sees its own score only.
    expect((await getEntry(t.ctx, as(ev1), entryA.id)).scores.map((s) => s.evaluator_id)).toEqual([ev1.id]);
    await saveScore(t.ctx, as(ev1), entryA.id, score("5", true, v));
    expect((await errorOf(saveScore(t.ctx, as(ev1), entryA.id, score("4", true, v + 1)))).code).toBe(
      "CONFLICT",
    );
    await saveScore(
      t.ctx,
      as(ev2),
      entryA.id,
      scoreSchema.parse({
        scores: { institutions: "7", funding: "7", facilities: "6", innovation: "4" },
        submit: "1",
        version: "0",
      }),
    );
    expect((await getEntry(t.ctx, as(ev2), entryA.id)).scores).toHaveLength(1);
    // The office sees all scores at any time.
    expect((await getEntry(t.ctx, as(office), entryA.id)).scores).toHaveLength(2);
    await saveScore(
      t.ctx,
      as(city),
      entryA.id,
      scoreSchema.parse({
        scores: { institutions: "2.5", funding: "2.5", facilities: "2.5", innovation: "2.5" },
        submit: "1",
        version: "0",
      }),
    );
    expect((await getEntry(t.ctx, as(ev2), entryA.id)).scores).toHaveLength(3);
    // The round and the scores, read as JSON in the entry's one statement, are the rows themselves.
    const full = await getEntry(t.ctx, as(ev2), entryA.id);
    expect(full.round).toEqual(
      await t.ctx.db
        .selectFrom("evaluation_rounds")
        .selectAll()
        .where("id", "=", full.round.id)
        .executeTakeFirst(),
    );
    const byEvaluator = (a: { evaluator_id: string }, b: { evaluator_id: string }) =>
      a.evaluator_id.localeCompare(b.evaluator_id);
    const raw = await t.ctx.db
      .selectFrom("evaluation_scores")
      .selectAll()
      .where("entry_id", "=", entryA.id)
      .execute();
    expect(full.scores.map(({ evaluatorName: _n, mine: _m, ...s }) => s).sort(byEvaluator)).toEqual(
      raw.sort(byEvaluator),
    );
    expect([full.evaluatorsSubmitted, full.evaluatorsTotal]).toEqual([3, 3]);
    // Base B: ev1 gives 0, ev3 gives 20 → spread 20 > 15: flagged.
    await saveScore(t.ctx, as(ev1), entryB.id, score("0", true));
    await saveScore(t.ctx, as(ev3), entryB.id, score("5", true));
    // 【评分】 counts each evaluator's progress; a page past the end shows the last one.
    const mine = await listMyAssignments(t.ctx, as(ev1), { page: 99 });
    expect(mine.rounds.map((r) => [r.total, r.done])).toEqual([[2, 2]]);
    expect(mine.page).toBe(1);
    expect(mine.entries.every((e) => e.mySubmitted)).toBe(true);
    expect((await listMyAssignments(t.ctx, as(ev2))).rounds.map((r) => [r.total, r.done])).toEqual([[1, 1]]);
  });

  it("【评分】 pages a large assignment, 50 bases at a time, in the order of county and name", async () => {
    const entryA = await t.ctx.db
      .selectFrom("evaluation_entries")
      .selectAll()
      .where("base_id", "=", baseA)
      .executeTakeFirstOrThrow();
    const now = t.ctx.clock.now().toISOString();
    const extra = [];
    for (let i = 0; i < 60; i++) {
      const unit = `龙游县分页测试单位${String(i).padStart(2, "0")}`;
      const uscc = `91330825PG${String(i).padStart(7, "0")}`;
      const baseId = await insertBase(
        t.ctx.db,
        {
          uscc,
          name: `${unit}科普教育基地`,
          unit_name: unit,
          region_code: "330825",
          category_code: "science_venue",
          recognized_year: 2020,
        },
        now,
      );
      extra.push({ ...entryA, id: newId(), base_id: baseId, uscc, base_name: `${unit}科普教育基地` });
    }
    await t.ctx.db.insertInto("evaluation_entries").values(extra).execute();
    // Entries written here, not by opening a round: the assignments' counts are cached until this.
    expect((await listMyAssignments(t.ctx, as(ev2))).rounds[0]?.total).toBe(1);
    await bumpGeneration(t.ctx.db, "evaluation_entries");
    try {
      // ev2 is assigned 龙游县 (base A and the 60 added), the city user too.
      const first = await listMyAssignments(t.ctx, as(ev2));
      expect(first.rounds[0]?.total).toBe(61);
      expect(first.entries).toHaveLength(50);
      const second = await listMyAssignments(t.ctx, as(ev2), { roundId: first.current, page: 2 });
      expect(second.page).toBe(2);
      expect(second.entries).toHaveLength(11);
      const names = [...first.entries, ...second.entries].map((e) => e.base_name);
      expect(names).toEqual([...names].sort());
      expect(new Set([...first.entries, ...second.entries].map((e) => e.id)).size).toBe(61);
    } finally {
      await t.ctx.db
        .deleteFrom("evaluation_entries")
        .where(
          "id",
          "in",
          extra.map((e) => e.id),
        )
        .execute();
      await bumpGeneration(t.ctx.db, "evaluation_entries");
    }
  });

  it("【评分】 lists every round the evaluator has, each with its own counts, newest first", async () => {
    const round = await t.ctx.db
      .selectFrom("evaluation_rounds")
      .selectAll()
      .where("id", "=", roundId)
      .executeTakeFirstOrThrow();
    const entryA = await t.ctx.db
      .selectFrom("evaluation_entries")
      .selectAll()
      .where("base_id", "=", baseA)
      .executeTakeFirstOrThrow();
    const lastYear = {
      ...round,
      id: newId(),
      year: round.year - 1,
      title: "上一年度评价",
      status: "closed" as const,
    };
    const entries = [0, 1].map(() => ({ ...entryA, id: newId(), round_id: lastYear.id }));
    entries[1].base_id = baseB;
    const now = t.ctx.clock.now().toISOString();
    await t.ctx.db.insertInto("evaluation_rounds").values(lastYear).execute();
    try {
      await t.ctx.db.insertInto("evaluation_entries").values(entries).execute();
      await bumpGeneration(t.ctx.db, "evaluation_entries");
      await t.ctx.db
        .insertInto("evaluation_round_evaluators")
        .values({
          round_id: lastYear.id,
          user_id: ev2.id,
          scope_kind: "county",
          scope_values: JSON.stringify(["330825"]),
          unit_uscc: "",
          unit_name: "",
          finished_at: null,
          created_at: now,
        })
        .execute();
      await t.ctx.db
        .insertInto("evaluation_scores")
        .values({
          entry_id: entries[0].id,
          evaluator_id: ev2.id,
          round_id: lastYear.id,
          scores: "{}",
          total: 12,
          comment: "",
          submitted_at: now,
          updated_at: now,
          version: 1,
        })
        .execute();
      const both = await listMyAssignments(t.ctx, as(ev2));
      expect(both.rounds.map((r) => [r.round.id, r.total, r.done])).toEqual([
        [roundId, 1, 1],
        [lastYear.id, 2, 1],
      ]);
      expect(both.current).toBe(roundId);
      const old = await listMyAssignments(t.ctx, as(ev2), { roundId: lastYear.id });
      expect(old.current).toBe(lastYear.id);
      expect(old.entries.map((e) => [e.id, e.myTotal, e.mySubmitted])).toEqual(
        [
          [entries[0].id, 12, true],
          [entries[1].id, null, false],
        ].sort((a, b) => (a[0] as string).localeCompare(b[0] as string)),
      );
    } finally {
      await t.ctx.db.deleteFrom("evaluation_scores").where("round_id", "=", lastYear.id).execute();
      await t.ctx.db.deleteFrom("evaluation_round_evaluators").where("round_id", "=", lastYear.id).execute();
      await t.ctx.db.deleteFrom("evaluation_entries").where("round_id", "=", lastYear.id).execute();
      await t.ctx.db.deleteFrom("evaluation_rounds").where("id", "=", lastYear.id).execute();
    }
  });

  it("the final score is automatic + the mean of the manual scores, graded; a wide spread is flagged", async () => {
    await calculateResults(t.ctx, as(office), roundId);
    const a = await t.ctx.db
      .selectFrom("evaluation_entries")
      .selectAll()
      .where("base_id", "=", baseA)
      .executeTakeFirstOrThrow();
    expect(a.manual_score).toBe(18);
    expect(a.final_score).toBeCloseTo(a.auto_score + 18, 5);
    expect(a.spread_flag).toBe(0);
    const b = await t.ctx.db
      .selectFrom("evaluation_entries")
      .selectAll()
      .where("base_id", "=", baseB)
      .executeTakeFirstOrThrow();
    expect(b.manual_score).toBe(10);
    expect(b.spread_flag).toBe(1);
    expect(b.grade).toBe("fail");
    expect(a.grade).toBe("pass");
    const flagged = await listEntries(t.ctx, as(office), roundId, { flagged: true });
    expect(flagged.map((e) => e.base_id)).toEqual([baseB]);
  });

  it("the office publishes the results in 公示栏; after the working-day period they are final", async () => {
    const r = await round();
    const err = await errorOf(
      publishResults(t.ctx, as(office), roundId, {
        startDate: "2026-03-01",
        workingDays: 5,
        contact: "0570-1234567",
        version: r.version,
      }),
    );
    expect(err.fieldErrors).toHaveProperty("startDate");
    // Thursday 30 April 2026: 劳动节 1–5 May, 调休 Saturday 9 May → the 5 working days end on 8 May.
    clock.set("2026-04-30T09:00:00+08:00");
    const noticeId = await publishResults(t.ctx, as(office), roundId, {
      startDate: "2026-04-30",
      workingDays: 5,
      contact: "0570-1234567",
      version: r.version,
    });
    const notice = await t.ctx.db
      .selectFrom("public_notices")
      .selectAll()
      .where("id", "=", noticeId)
      .executeTakeFirstOrThrow();
    expect(notice).toMatchObject({ kind: "evaluation", status: "open" });
    expect(notice.body).toContain("不合格（1个）");
    const entries = await t.ctx.db
      .selectFrom("notice_entries")
      .select("base_id")
      .where("notice_id", "=", noticeId)
      .execute();
    expect(entries.map((e) => e.base_id).sort()).toEqual([baseA, baseB].sort());
    expect((await round()).status).toBe("publicity");
    expect(await closeRoundIfDue(t.ctx, roundId)).toBe(false);
    clock.set(notice.ends_at);
    expect(await closeRoundIfDue(t.ctx, roundId)).toBe(true);
    expect(await closeRoundIfDue(t.ctx, roundId)).toBe(false);
    expect((await round()).status).toBe("closed");
    // 不合格 proposes a warning.
    const warnings = await t.ctx.db.selectFrom("base_warnings").selectAll().execute();
    expect(warnings.map((w) => [w.base_id, w.source, w.status])).toEqual([[baseB, "grade", "proposed"]]);
    // …as the first step on the base's 动态管理 timeline.
    const steps = await t.ctx.db.selectFrom("base_warning_events").selectAll().execute();
    expect(steps.map((e) => [e.warning_id, e.base_id, e.action])).toEqual([
      [warnings[0].id, baseB, "propose"],
    ]);
    // The base sees its grade in its history.
    const own = await getOwnEvaluation(t.ctx, as(orgB));
    expect(own.current).toBeNull();
    expect(own.history[0]).toMatchObject({ year: 2025, grade: "fail" });
    // Staff see a base's grade history in their scope only.
    expect((await listBaseGrades(t.ctx, as(office), baseB)).map((h) => [h.year, h.grade])).toEqual([
      [2025, "fail"],
    ]);
    expect(await listBaseGrades(t.ctx, as(longyouCounty), baseB)).toEqual([]);
  });

  it("exports every score indicator by indicator, and the subsidies for finance", async () => {
    const scores = await prepareScoresXlsx(t.ctx, as(office), roundId);
    const { headers, rows } = await openExport(scores.write);
    expect(headers.slice(0, 4)).toEqual(["基地名称", "所在区域", "统一社会信用代码", "科普活动场次（15分）"]);
    expect(headers).toContain("制度建设与执行（7分）");
    expect(rows).toHaveLength(2);
    const county = await prepareScoresXlsx(t.ctx, as(longyouCounty), roundId);
    expect((await openExport(county.write)).rows).toHaveLength(1);
    const subsidy = await prepareSubsidyXlsx(t.ctx, as(office), roundId);
    const s = await openExport(subsidy.write);
    expect(s.headers).toContain("补助金额（元）");
    // Only A carries a subsidy (B failed).
    expect(s.rows.map((r) => r[0])).toEqual(["龙游县石窟管理处科普教育基地"]);
    expect((await errorOf(prepareSubsidyXlsx(t.ctx, as(city), roundId))).code).toBe("FORBIDDEN");
  });
});

async function round() {
  return t.ctx.db
    .selectFrom("evaluation_rounds")
    .selectAll()
    .where("id", "=", roundId)
    .executeTakeFirstOrThrow();
}

function selfScoresOf(e: { self_scores: string }) {
  return JSON.parse(e.self_scores) as Record<string, { score: number | null; text: string }>;
}
