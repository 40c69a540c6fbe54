import { describe, expect, it } from "vitest";
import {
  beijingDate,
  defaultServiceMinutes,
  draftOf,
  type ExistingService,
  hoursText,
  instantOfBeijing,
  lockedTeamChanges,
  minutesOfHours,
  normalizeOrgName,
  overlaps,
  serviceProblem,
  TEAM_CHANGE_UNREGISTERED,
  teamChangeProblems,
  teamNameProblem,
  yearlyTotals,
} from "./volunteers.rules.ts";
import { serviceSchema, teamSchema, volunteerSchema } from "./volunteers.schema.ts";

const org = { unitName: "龙游县水产养殖协会", baseName: "龙游县水产养殖科普教育基地" };

describe("team name (附件4 ④)", () => {
  it("accepts 单位名称+科技志愿服务队", () => {
    expect(teamNameProblem("龙游县水产养殖协会科技志愿服务队", org)).toBeNull();
  });
  it("accepts the base's name without 科普教育基地 as the unit part", () => {
    expect(teamNameProblem("龙游县水产养殖科技志愿服务队", org)).toBeNull();
  });
  it("ignores spaces and the width of brackets", () => {
    const o = { unitName: "衢州市科技馆（衢州市青少年宫）", baseName: "x科普教育基地" };
    expect(teamNameProblem("衢州市科技馆(衢州市青少年宫) 科技志愿服务队", o)).toBeNull();
  });
  it("refuses a name without the suffix, naming the expected one", () => {
    expect(teamNameProblem("龙游县水产养殖协会志愿队", org)).toContain("龙游县水产养殖协会科技志愿服务队");
  });
  it("refuses the bare suffix", () => {
    expect(teamNameProblem("科技志愿服务队", org)).toContain("单位名称+科技志愿服务队");
  });
  it("refuses another unit's name", () => {
    expect(teamNameProblem("常山国家地质公园科技志愿服务队", org)).toContain("应与本单位名称一致");
  });
  it("normalizes brackets and spaces", () => {
    expect(normalizeOrgName(" a（b） c ")).toBe("a(b)c");
  });
});

describe("a change report's team items", () => {
  const reg = { status: "registered" as const, name: "甲公司科技志愿服务队", stvsOrgNo: "ZJ-001" };
  const org = { unitName: "甲公司", baseName: "甲公司科普教育基地" };
  it("accept a new number and a name that fits the unit", () => {
    expect(teamChangeProblems(reg, { stvsOrgNo: "ZJ-002" }, org)).toEqual({});
    expect(
      teamChangeProblems(
        reg,
        { name: "乙公司科技志愿服务队" },
        { unitName: "乙公司", baseName: "乙公司科普教育基地" },
      ),
    ).toEqual({});
  });
  it("keep the name rule: the unit part must be the unit after the change", () => {
    expect(teamChangeProblems(reg, { name: "乙公司科技志愿服务队" }, org).name).toContain(
      "甲公司科技志愿服务队",
    );
    expect(teamChangeProblems(reg, { name: "甲公司志愿队" }, org).name).toContain("单位名称+科技志愿服务队");
  });
  it("refuse items that change nothing", () => {
    expect(teamChangeProblems(reg, { name: "甲公司 科技志愿服务队", stvsOrgNo: "ZJ-001" }, org)).toEqual({
      name: "与当前服务队名称相同，无需变更",
      stvsOrgNo: "与当前组织编号相同，无需变更",
    });
  });
  it("refuse a bad number", () => {
    expect(teamChangeProblems(reg, { stvsOrgNo: "号" }, org).stvsOrgNo).toContain("4至40位");
  });
  it("are only for a registered team: before that the base edits the team itself", () => {
    for (const team of [
      null,
      { ...reg, status: "pending" as const },
      { ...reg, status: "unregistered" as const },
    ]) {
      expect(teamChangeProblems(team, { stvsOrgNo: "ZJ-002" }, org)).toEqual({
        stvsOrgNo: TEAM_CHANGE_UNREGISTERED,
      });
    }
  });
  it("ask nothing when the report has no team item", () => {
    expect(teamChangeProblems(null, {}, org)).toEqual({});
    expect(teamChangeProblems(null, { name: "" }, org)).toEqual({});
  });
});

describe("a registered team's name and number", () => {
  const reg = { status: "registered" as const, name: "甲科技志愿服务队", stvsOrgNo: "ZJ-001" };
  it("are locked once registered", () => {
    expect(lockedTeamChanges(reg, { ...reg, name: "乙科技志愿服务队", stvsOrgNo: "ZJ-002" })).toEqual([
      "name",
      "stvsOrgNo",
    ]);
  });
  it("may change before registration", () => {
    expect(lockedTeamChanges({ ...reg, status: "pending" }, { ...reg, name: "乙科技志愿服务队" })).toEqual(
      [],
    );
    expect(lockedTeamChanges(null, reg)).toEqual([]);
  });
  it("other fields stay editable after registration", () => {
    expect(lockedTeamChanges(reg, { ...reg })).toEqual([]);
  });
});

describe("hours and times", () => {
  it("reads hours as minutes", () => {
    expect(minutesOfHours("2")).toBe(120);
    expect(minutesOfHours("1.5")).toBe(90);
    expect(minutesOfHours("0.25")).toBe(15);
    expect(minutesOfHours("0")).toBeNull();
    expect(minutesOfHours("-1")).toBeNull();
    expect(minutesOfHours("abc")).toBeNull();
    expect(minutesOfHours("25")).toBe(1500);
  });
  it("writes minutes as hours", () => {
    expect(hoursText(90)).toBe("1.5");
    expect(hoursText(120)).toBe("2");
    expect(hoursText(125)).toBe("2.08");
  });
  it("defaults to the activity's length in half hours, within a day", () => {
    expect(defaultServiceMinutes("2026-05-01T01:00:00.000Z", "2026-05-01T03:10:00.000Z")).toBe(120);
    expect(defaultServiceMinutes("2026-05-01T01:00:00.000Z", "2026-05-01T01:05:00.000Z")).toBe(30);
    expect(defaultServiceMinutes("2026-05-01T01:00:00.000Z", "2026-05-04T01:00:00.000Z")).toBe(1440);
  });
  it("reads Beijing wall-clock time", () => {
    expect(instantOfBeijing("2026-05-01T09:30")).toBe("2026-05-01T01:30:00.000Z");
    expect(instantOfBeijing("2026-02-30T09:30")).toBeNull();
    expect(instantOfBeijing("2026-05-01")).toBeNull();
  });
  it("dates a service on the Beijing calendar", () => {
    expect(beijingDate("2026-04-30T17:00:00.000Z")).toBe("2026-05-01");
    expect(beijingDate("2026-04-30T15:59:00.000Z")).toBe("2026-04-30");
  });
});

describe("service checks", () => {
  const at = (local: string, minutes: number, name = "科普日"): ExistingService => ({
    ...draftOf(instantOfBeijing(local)!, minutes),
    activityName: name,
  });
  it("sees overlaps only when each starts before the other ends", () => {
    const a = draftOf("2026-05-01T01:00:00.000Z", 60);
    expect(overlaps(a, draftOf("2026-05-01T01:30:00.000Z", 60))).toBe(true);
    expect(overlaps(a, draftOf("2026-05-01T02:00:00.000Z", 60))).toBe(false);
    expect(overlaps(a, draftOf("2026-05-01T00:00:00.000Z", 60))).toBe(false);
  });
  it("refuses an overlapping service, naming the other activity", () => {
    const p = serviceProblem(draftOf(instantOfBeijing("2026-05-01T10:00")!, 60), [
      at("2026-05-01T09:30", 60, "讲座"),
    ]);
    expect(p).toContain("重叠");
    expect(p).toContain("讲座");
  });
  it("allows back-to-back services", () => {
    expect(
      serviceProblem(draftOf(instantOfBeijing("2026-05-01T10:30")!, 60), [at("2026-05-01T09:30", 60)]),
    ).toBeNull();
  });
  it("refuses more than 24 hours on one date, and allows exactly 24", () => {
    const day = [at("2026-05-01T00:00", 600), at("2026-05-01T10:00", 600)];
    expect(serviceProblem(draftOf(instantOfBeijing("2026-05-01T20:00")!, 240), day)).toBeNull();
    const p = serviceProblem(draftOf(instantOfBeijing("2026-05-01T20:00")!, 241), day);
    expect(p).toContain("24 小时");
    expect(p).toContain("2026-05-01");
  });
  it("counts other dates apart", () => {
    expect(
      serviceProblem(draftOf(instantOfBeijing("2026-05-02T08:00")!, 600), [at("2026-05-01T00:00", 1440)]),
    ).toBeNull();
  });
  it("totals confirmed minutes per year, newest first", () => {
    expect(
      yearlyTotals([
        { serviceDate: "2025-03-01", minutes: 60 },
        { serviceDate: "2026-01-01", minutes: 90 },
        { serviceDate: "2025-12-31", minutes: 30 },
      ]),
    ).toEqual([
      { year: 2026, minutes: 90, count: 1 },
      { year: 2025, minutes: 90, count: 2 },
    ]);
  });
});

describe("schemas", () => {
  const team = {
    name: "甲科技志愿服务队",
    stvsStatus: "registered",
    stvsOrgNo: "zj-2024-001",
    registeredOn: "2024-03-01",
    leaderName: "张三",
    leaderPhone: "139 0570 1234",
    version: "0",
  };
  it("needs the number and date of a registered team", () => {
    const r = teamSchema.safeParse({ ...team, stvsOrgNo: "", registeredOn: "" });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path[0]);
    expect(paths).toContain("stvsOrgNo");
    expect(paths).toContain("registeredOn");
  });
  it("normalizes the number and the phone", () => {
    const r = teamSchema.parse(team);
    expect(r.stvsOrgNo).toBe("ZJ-2024-001");
    expect(r.leaderPhone).toBe("13905701234");
  });
  it("has no field for an ID number, and needs a name and a phone", () => {
    expect(Object.keys(volunteerSchema.shape)).not.toContain("idNumber");
    const r = volunteerSchema.safeParse({ name: "", phone: "123" });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path[0]).sort()).toEqual(["name", "phone"]);
  });
  it("refuses a 25-hour service next to the hours field", () => {
    const r = serviceSchema.safeParse({ volunteerIds: ["a"], startsAt: "2026-05-01T09:00", hours: "25" });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path).toEqual(["hours"]);
    expect(r.error!.issues[0].message).toContain("24小时");
  });
  it("needs at least one volunteer", () => {
    const r = serviceSchema.safeParse({ volunteerIds: [], startsAt: "2026-05-01T09:00", hours: "2" });
    expect(r.success).toBe(false);
  });
});
