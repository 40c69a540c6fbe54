import { describe, expect, it } from "vitest";
import {
  AUTO_KEYS,
  autoPoints,
  autoScore,
  canCountyReview,
  canSelfAssess,
  DEFAULT_RUBRIC,
  DEFAULT_THRESHOLDS,
  deadlineOf,
  deadlineReminderAt,
  finalScore,
  gradeOf,
  isAssigned,
  isLate,
  isOwnOrganization,
  isRoundEditable,
  isSpreadFlagged,
  manualScoreProblem,
  nextRoundStatus,
  publicityLabel,
  ROUND_ACTIONS,
  ROUND_ORDER,
  type RubricDimension,
  type RubricIndicator,
  recommendationCandidate,
  roundActionFrom,
  rubricIndicators,
  rubricProblems,
  rubricTotal,
  thresholdsProblem,
  workingDaysBefore,
} from "./evaluation.rules.ts";

describe("round state machine", () => {
  it("walks draft → 自评 → 初审 → 评分 → 公示 → 结束 one action at a time", () => {
    let s = ROUND_ORDER[0];
    const seen = [s];
    for (let a = roundActionFrom(s); a; a = roundActionFrom(s)) {
      const next = nextRoundStatus(s, a);
      expect(next).not.toBeNull();
      s = next as typeof s;
      seen.push(s);
    }
    expect(seen).toEqual(ROUND_ORDER);
    expect(roundActionFrom("closed")).toBeNull();
  });

  it("refuses every action from any state but its own", () => {
    for (const status of ROUND_ORDER)
      for (const [action, def] of Object.entries(ROUND_ACTIONS)) {
        const next = nextRoundStatus(status, action as keyof typeof ROUND_ACTIONS);
        expect(next).toBe(def.from === status ? def.to : null);
      }
  });

  it("cannot skip 公示 or go back", () => {
    expect(nextRoundStatus("scoring", "close")).toBeNull();
    expect(nextRoundStatus("publicity", "open")).toBeNull();
    expect(nextRoundStatus("closed", "publish")).toBeNull();
    expect(nextRoundStatus("draft", "start_scoring")).toBeNull();
  });

  it("lets the office change deadlines and rubric only while a draft", () => {
    expect(ROUND_ORDER.filter(isRoundEditable)).toEqual(["draft"]);
  });
});

describe("entries", () => {
  it("self-assessment is open in 自评 for a pending or returned entry", () => {
    expect(canSelfAssess("self_assessment", "pending")).toBe(true);
    expect(canSelfAssess("self_assessment", "returned")).toBe(true);
    expect(canSelfAssess("self_assessment", "submitted")).toBe(false);
    expect(canSelfAssess("self_assessment", "passed")).toBe(false);
  });
  it("a returned base may still add evidence during 初审, but not once scoring began", () => {
    expect(canSelfAssess("county_review", "returned")).toBe(true);
    expect(canSelfAssess("scoring", "returned")).toBe(false);
    expect(canSelfAssess("draft", "pending")).toBe(false);
    expect(canSelfAssess("closed", "pending")).toBe(false);
  });
  it("the county reviews only submitted entries, before scoring", () => {
    expect(canCountyReview("county_review", "submitted")).toBe(true);
    expect(canCountyReview("self_assessment", "submitted")).toBe(true);
    expect(canCountyReview("county_review", "pending")).toBe(false);
    expect(canCountyReview("county_review", "passed")).toBe(false);
    expect(canCountyReview("scoring", "submitted")).toBe(false);
  });
  it("a deadline date means the end of that Beijing day, and later is late", () => {
    const d = deadlineOf("2026-03-31");
    expect(d).toBe("2026-03-31T16:00:00.000Z");
    expect(isLate("2026-03-31T15:59:59.000Z", d)).toBe(false);
    expect(isLate("2026-03-31T16:00:00.000Z", d)).toBe(false);
    expect(isLate("2026-03-31T16:00:00.001Z", d)).toBe(true);
  });
});

describe("reminder day", () => {
  it("counts 3 working days back, skipping the weekend", () => {
    // Monday 2026-03-30 → Wed 25, Thu 26, Fri 27
    expect(workingDaysBefore("2026-03-30", 3)).toBe("2026-03-25");
    expect(deadlineReminderAt("2026-03-30")).toBe("2026-03-25T01:00:00.000Z");
  });
  it("skips the 国庆 holiday and counts a 调休 Saturday", () => {
    // 2025-10-01..08 are holidays; Saturday 2025-10-11 is a 调休 working day.
    expect(workingDaysBefore("2025-10-13", 3)).toBe("2025-10-09");
    expect(workingDaysBefore("2025-10-13", 1)).toBe("2025-10-11");
  });
  it("honours days the admin entered", () => {
    expect(workingDaysBefore("2026-03-30", 1, { holidays: ["2026-03-27"], workdays: [] })).toBe("2026-03-26");
  });
});

describe("rubric", () => {
  it("the default rubric is valid, totals 100 and names its basis in 附件1", () => {
    expect(rubricProblems(DEFAULT_RUBRIC)).toEqual([]);
    expect(rubricTotal(DEFAULT_RUBRIC)).toBe(100);
    for (const i of rubricIndicators(DEFAULT_RUBRIC)) expect(i.basis).toMatch(/第.+条/);
  });
  it("has the four manual indicators of the issue", () => {
    const manual = rubricIndicators(DEFAULT_RUBRIC).filter((i) => i.source === "manual");
    expect(manual.map((i) => i.name)).toEqual(["制度建设", "经费投入", "场所条件", "特色与创新"]);
  });
  it("uses every automatic figure", () => {
    const used = new Set(rubricIndicators(DEFAULT_RUBRIC).map((i) => i.autoKey));
    for (const k of AUTO_KEYS) expect(used.has(k)).toBe(true);
  });
  const edit = (f: (d: RubricDimension[]) => void) => {
    const d = structuredClone(DEFAULT_RUBRIC);
    f(d);
    return rubricProblems(d);
  };
  it("rejects a total other than 100", () => {
    expect(
      edit((d) => {
        d[0].indicators[0].max = 16;
      }),
    ).toEqual(["各指标满分合计须为100分，当前为101分"]);
  });
  it("rejects duplicate keys, empty names, a missing fullAt and an unknown figure", () => {
    expect(
      edit((d) => {
        d[1].indicators[0].key = "activities_held";
      }),
    ).toContain("指标编码“activities_held”重复");
    expect(
      edit((d) => {
        d[0].name = " ";
      }),
    ).toContain("维度名称不能为空");
    expect(
      edit((d) => {
        d[0].indicators[0].fullAt = 0;
      }),
    ).toContain("指标“科普活动场次”须填写满分所需数量");
    expect(
      edit((d) => {
        d[0].indicators[0].autoKey = "nonsense" as RubricIndicator["autoKey"];
      }),
    ).toContain("指标“科普活动场次”须选择自动计算的数据项");
    expect(rubricProblems([])).toContain("至少需要一个维度");
  });
});

describe("points", () => {
  const ind = (over: Partial<RubricIndicator>): RubricIndicator => ({
    key: "k",
    name: "k",
    source: "auto",
    max: 10,
    basis: "第九条",
    ...over,
  });
  it("count scales up to fullAt and stops there", () => {
    const i = ind({ mode: "count", fullAt: 12 });
    expect(autoPoints(i, { value: 0 })).toBe(0);
    expect(autoPoints(i, { value: 6 })).toBe(5);
    expect(autoPoints(i, { value: 12 })).toBe(10);
    expect(autoPoints(i, { value: 50 })).toBe(10);
    expect(autoPoints(i, { value: 1 })).toBe(0.83);
    expect(autoPoints(i, undefined)).toBe(0);
  });
  it("ratio is the share of `of`, and 0 when there is nothing to share", () => {
    const i = ind({ mode: "ratio" });
    expect(autoPoints(i, { value: 3, of: 4 })).toBe(7.5);
    expect(autoPoints(i, { value: 0, of: 0 })).toBe(0);
  });
  it("flag is all or nothing; none gives the points only for zero", () => {
    expect(autoPoints(ind({ mode: "flag" }), { value: 1 })).toBe(10);
    expect(autoPoints(ind({ mode: "flag" }), { value: 0 })).toBe(0);
    expect(autoPoints(ind({ mode: "none" }), { value: 0 })).toBe(10);
    expect(autoPoints(ind({ mode: "none" }), { value: 1 })).toBe(0);
  });
  it("the default rubric gives 75 automatic points at most", () => {
    const full = {
      activities_held: { value: 20 },
      participants: { value: 5000 },
      reports_on_time: { value: 20, of: 20 },
      campaigns_joined: { value: 3 },
      campaign_free_opening: { value: 3 },
      school_activities: { value: 4 },
      volunteer_team: { value: 1 },
      volunteer_hours: { value: 200 },
      late_change_reports: { value: 0 },
      info_quarters: { value: 4 },
    };
    expect(autoScore(DEFAULT_RUBRIC, full)).toBe(75);
    expect(autoScore(DEFAULT_RUBRIC, {})).toBe(5); // no late change report
  });
  it("a manual score is 0..max in half points", () => {
    const i = ind({ source: "manual", max: 7 });
    expect(manualScoreProblem(i, 6.5)).toBeNull();
    expect(manualScoreProblem(i, 0)).toBeNull();
    expect(manualScoreProblem(i, 7.5)).toBe("分值须在0到7之间");
    expect(manualScoreProblem(i, -1)).toBe("分值须在0到7之间");
    expect(manualScoreProblem(i, 6.3)).toBe("分值最小单位为0.5分");
    expect(manualScoreProblem(i, null)).toBe("请打分");
  });
});

describe("final score, spread and grade", () => {
  it("adds the mean of the evaluators' manual totals to the automatic part", () => {
    expect(finalScore(60, [20, 22, 24])).toEqual({ manual: 22, final: 82 });
    expect(finalScore(60.5, [20, 21])).toEqual({ manual: 20.5, final: 81 });
    expect(finalScore(40, [])).toEqual({ manual: 0, final: 40 });
    expect(finalScore(50, [10, 10, 11])).toEqual({ manual: 10.33, final: 60.33 });
  });
  it("flags a spread above the limit, not at it", () => {
    expect(isSpreadFlagged([10, 25], 15)).toBe(false);
    expect(isSpreadFlagged([10, 25.5], 15)).toBe(true);
    expect(isSpreadFlagged([30], 0)).toBe(false);
  });
  it("grades by the thresholds, bounds included", () => {
    expect(gradeOf(90)).toBe("excellent");
    expect(gradeOf(89.99)).toBe("good");
    expect(gradeOf(75)).toBe("good");
    expect(gradeOf(60)).toBe("pass");
    expect(gradeOf(59.99)).toBe("fail");
    expect(gradeOf(85, { excellent: 85, good: 70, pass: 50 })).toBe("excellent");
  });
  it("accepts only increasing thresholds", () => {
    expect(thresholdsProblem(DEFAULT_THRESHOLDS)).toBeNull();
    expect(thresholdsProblem({ excellent: 80, good: 80, pass: 60 })).not.toBeNull();
    expect(thresholdsProblem({ excellent: 101, good: 80, pass: 60 })).not.toBeNull();
    expect(thresholdsProblem({ excellent: 90, good: 75, pass: 0 })).not.toBeNull();
  });
});

describe("evaluator assignment", () => {
  const base = { regionCode: "330825", categoryCode: "science_venue", uscc: "91330800MA2XXXXX1A" };
  it("by county or by category", () => {
    expect(isAssigned({ scopeKind: "county", scopeValues: ["330825"], unitUscc: "" }, base)).toBe(true);
    expect(isAssigned({ scopeKind: "county", scopeValues: ["330881"], unitUscc: "" }, base)).toBe(false);
    expect(isAssigned({ scopeKind: "category", scopeValues: ["science_venue"], unitUscc: "" }, base)).toBe(
      true,
    );
    expect(isAssigned({ scopeKind: "category", scopeValues: ["330825"], unitUscc: "" }, base)).toBe(false);
  });
  it("never a base of the evaluator's own organization, whatever the case or spaces", () => {
    const a = { scopeKind: "county" as const, scopeValues: ["330825"], unitUscc: " 91330800ma2xxxxx1a" };
    expect(isOwnOrganization(a, base)).toBe(true);
    expect(isAssigned(a, base)).toBe(false);
    expect(isOwnOrganization({ unitUscc: "" }, { uscc: "" })).toBe(false);
  });
});

describe("recommendationCandidate", () => {
  const h = (year: number, status: string, grade: "excellent" | "good" | "pass" | "fail" | null) => ({
    year,
    status,
    grade,
  });
  it("is the latest result in effect when it is 优秀", () => {
    expect(recommendationCandidate([h(2023, "closed", "good"), h(2024, "closed", "excellent")])).toEqual(
      h(2024, "closed", "excellent"),
    );
  });
  it("is none when a later result in effect is lower, whatever came before", () => {
    expect(recommendationCandidate([h(2024, "closed", "good"), h(2023, "closed", "excellent")])).toBeNull();
  });
  it("does not count a round still under 公示, in either direction", () => {
    expect(recommendationCandidate([h(2025, "publicity", "excellent")])).toBeNull();
    expect(recommendationCandidate([h(2024, "closed", "excellent"), h(2025, "publicity", "fail")])).toEqual(
      h(2024, "closed", "excellent"),
    );
  });
  it("is none without any result", () => {
    expect(recommendationCandidate([])).toBeNull();
  });
});

describe("the report's 公示 line", () => {
  it("says whether the results are under 公示, final, or not yet published", () => {
    expect(publicityLabel("publicity", "2026年2月14日")).toBe("结果公示中（公示期至2026年2月14日）");
    expect(publicityLabel("closed", "2026年2月14日")).toBe("已公示（2026年2月14日期满），结果已确定");
    expect(publicityLabel("closed", null)).toBe("结果已确定");
    for (const s of ["draft", "self_assessment", "county_review", "scoring"] as const)
      expect(publicityLabel(s, null)).toBe("未公示（评价进行中）");
  });
});
