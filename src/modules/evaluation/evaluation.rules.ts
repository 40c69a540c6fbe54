import { endOfShanghaiDay } from "#src/modules/calls/calls.rules.ts";
import { type ExtraDays, isWorkingDay, NO_EXTRA_DAYS } from "#src/modules/notices/working-days.rules.ts";
import type { EntryStatus, Grade, RoundStatus } from "#src/platform/db/schema.ts";

// ---- rounds: the state machine ----

export const ROUND_STATUS_LABELS: Record<RoundStatus, string> = {
  draft: "草稿",
  self_assessment: "基地自评",
  county_review: "县级初审",
  scoring: "评价小组评分",
  publicity: "结果公示中",
  closed: "已结束",
};

export type RoundAction = "open" | "start_review" | "start_scoring" | "publish" | "close";

/** Each office action on a round, the one state it starts from and where it leads. */
export const ROUND_ACTIONS: Record<RoundAction, { from: RoundStatus; to: RoundStatus; label: string }> = {
  open: { from: "draft", to: "self_assessment", label: "发布评价，开始自评" },
  start_review: { from: "self_assessment", to: "county_review", label: "结束自评，进入县级初审" },
  start_scoring: { from: "county_review", to: "scoring", label: "进入评价小组评分" },
  publish: { from: "scoring", to: "publicity", label: "确认结果并公示" },
  close: { from: "publicity", to: "closed", label: "公示期满，结果生效" },
};

export const ROUND_ORDER: RoundStatus[] = [
  "draft",
  "self_assessment",
  "county_review",
  "scoring",
  "publicity",
  "closed",
];

/** The status after `action`, or null when the action does not apply in `status`. */
export function nextRoundStatus(status: RoundStatus, action: RoundAction): RoundStatus | null {
  const a = ROUND_ACTIONS[action];
  return a && a.from === status ? a.to : null;
}

/** The one action that moves a round on from `status` (none once closed). */
export function roundActionFrom(status: RoundStatus): RoundAction | null {
  const found = (Object.keys(ROUND_ACTIONS) as RoundAction[]).find((a) => ROUND_ACTIONS[a].from === status);
  return found ?? null;
}

/** The rubric, evaluators and deadlines may change only before the bases see the round. */
export function isRoundEditable(status: RoundStatus): boolean {
  return status === "draft";
}

/** Evaluators may be added (not removed) until scoring ends. */
export function canAddEvaluator(status: RoundStatus): boolean {
  return status !== "publicity" && status !== "closed";
}

// ---- entries (one base in one round) ----

export const ENTRY_STATUS_LABELS: Record<EntryStatus, string> = {
  pending: "未提交",
  submitted: "已提交，待初审",
  returned: "退回补充",
  passed: "初审通过",
};

/**
 * A base may edit and submit its self-assessment while the round is in 自评 (a late base too: it is
 * marked), and, when the county returned it for more evidence, during the county review as well.
 */
export function canSelfAssess(round: RoundStatus, entry: EntryStatus): boolean {
  if (round === "self_assessment") return entry === "pending" || entry === "returned";
  if (round === "county_review") return entry === "returned" || entry === "pending";
  return false;
}

/** County staff pass or return a submitted self-assessment while the round is in 自评 or 初审. */
export function canCountyReview(round: RoundStatus, entry: EntryStatus): boolean {
  return (round === "self_assessment" || round === "county_review") && entry === "submitted";
}

/** Submitted after the deadline: kept, but marked late. */
export function isLate(submittedAt: string, deadline: string): boolean {
  return new Date(submittedAt).getTime() > new Date(deadline).getTime();
}

/** A deadline given as a Beijing date means the end (24:00) of that day. */
export function deadlineOf(date: string): string {
  return endOfShanghaiDay(date);
}

/** The Beijing date `n` working days before `date` (the reminder day). */
export function workingDaysBefore(date: string, n: number, extra: ExtraDays = NO_EXTRA_DAYS): string {
  let day = date;
  let counted = 0;
  for (let i = 0; i < 400; i++) {
    day = addDays(day, -1);
    if (isWorkingDay(day, extra)) counted++;
    if (counted === n) return day;
  }
  throw new Error("no working days found within 400 days");
}

function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** When a deadline reminder goes out (自评, 评分, 整改): 09:00 Beijing, 3 working days before the deadline day. */
export function deadlineReminderAt(deadlineDate: string, extra: ExtraDays = NO_EXTRA_DAYS): string {
  return new Date(`${workingDaysBefore(deadlineDate, 3, extra)}T09:00:00+08:00`).toISOString();
}

// ---- the rubric ----

/** The figures the platform computes for a base and a year (evaluation-figures.server.ts). */
export const AUTO_KEYS = [
  "activities_held",
  "participants",
  "reports_on_time",
  "campaigns_joined",
  "campaign_free_opening",
  "school_activities",
  "volunteer_team",
  "volunteer_hours",
  "late_change_reports",
  "info_quarters",
] as const;
export type AutoKey = (typeof AUTO_KEYS)[number];

export const AUTO_KEY_LABELS: Record<AutoKey, { name: string; unit: string }> = {
  activities_held: { name: "举办科普活动", unit: "场" },
  participants: { name: "活动参与人次（已通过的活动小结）", unit: "人次" },
  reports_on_time: { name: "按时提交且已通过的活动小结", unit: "场" },
  campaigns_joined: { name: "参加的主题活动", unit: "项" },
  campaign_free_opening: { name: "主题活动期间免费或优惠开放的活动", unit: "场" },
  school_activities: { name: "“请进来+走出去”进校园活动", unit: "场" },
  volunteer_team: { name: "科技志愿服务队已注册", unit: "" },
  volunteer_hours: { name: "已确认的志愿服务时长", unit: "小时" },
  late_change_reports: { name: "逾期报告的变更", unit: "次" },
  info_quarters: { name: "发布活动预告的季度", unit: "个" },
};

/**
 * How a figure becomes points: `count` scales up to `fullAt`; `ratio` is the share of `of`
 * (reports on time out of activities held); `flag` is all or nothing; `none` gives the points
 * only when the figure is 0 (no late change report).
 */
export type ScoreMode = "count" | "ratio" | "flag" | "none";

export interface RubricIndicator {
  key: string;
  name: string;
  source: "auto" | "manual";
  max: number;
  /** For automatic indicators. */
  autoKey?: AutoKey;
  mode?: ScoreMode;
  fullAt?: number;
  /** Where in 附件1 the indicator comes from. */
  basis: string;
  /** What the evaluator looks for (manual indicators). */
  guide?: string;
}

export interface RubricDimension {
  name: string;
  indicators: RubricIndicator[];
}

/** The default rubric (100 points), from 附件1: see docs/DOMAIN.md, 绩效评价. */
export const DEFAULT_RUBRIC: RubricDimension[] = [
  {
    name: "科普活动",
    indicators: [
      {
        key: "activities_held",
        name: "科普活动场次",
        source: "auto",
        autoKey: "activities_held",
        mode: "count",
        fullAt: 12,
        max: 15,
        basis: "第九条、第十条",
      },
      {
        key: "participants",
        name: "活动参与人次",
        source: "auto",
        autoKey: "participants",
        mode: "count",
        fullAt: 2000,
        max: 10,
        basis: "第九条",
      },
      {
        key: "reports_on_time",
        name: "活动成果按时上传并通过",
        source: "auto",
        autoKey: "reports_on_time",
        mode: "ratio",
        max: 10,
        basis: "第九条",
      },
      {
        key: "school_activities",
        name: "“请进来+走出去”进校园",
        source: "auto",
        autoKey: "school_activities",
        mode: "count",
        fullAt: 4,
        max: 5,
        basis: "第十二条",
      },
    ],
  },
  {
    name: "主题活动与开放",
    indicators: [
      {
        key: "campaigns_joined",
        name: "参加全国科普日、科技活动周等主题活动",
        source: "auto",
        autoKey: "campaigns_joined",
        mode: "count",
        fullAt: 3,
        max: 8,
        basis: "第十一条",
      },
      {
        key: "campaign_free_opening",
        name: "主题日免费或优惠开放",
        source: "auto",
        autoKey: "campaign_free_opening",
        mode: "count",
        fullAt: 3,
        max: 7,
        basis: "第五条（四）、第十一条",
      },
    ],
  },
  {
    name: "科技志愿服务",
    indicators: [
      {
        key: "volunteer_team",
        name: "科技志愿服务队注册",
        source: "auto",
        autoKey: "volunteer_team",
        mode: "flag",
        max: 5,
        basis: "第五条（七）、第十三条",
      },
      {
        key: "volunteer_hours",
        name: "志愿服务时长",
        source: "auto",
        autoKey: "volunteer_hours",
        mode: "count",
        fullAt: 200,
        max: 5,
        basis: "第五条（七）、第十三条",
      },
    ],
  },
  {
    name: "规范管理",
    indicators: [
      {
        key: "change_reports",
        name: "变更事项按时报告",
        source: "auto",
        autoKey: "late_change_reports",
        mode: "none",
        max: 5,
        basis: "第十八条（三）",
      },
      {
        key: "public_info",
        name: "公共科普服务信息及时公布",
        source: "auto",
        autoKey: "info_quarters",
        mode: "count",
        fullAt: 4,
        max: 5,
        basis: "第五条（五）",
      },
      {
        key: "institutions",
        name: "制度建设",
        source: "manual",
        max: 7,
        basis: "第五条（二）",
        guide: "科普服务宗旨、开放服务和安全管理等制度健全并执行",
      },
      {
        key: "funding",
        name: "经费投入",
        source: "manual",
        max: 7,
        basis: "第五条（六）",
        guide: "有稳定的科普经费投入或专项科普经费",
      },
      {
        key: "facilities",
        name: "场所条件",
        source: "manual",
        max: 6,
        basis: "第五条（三）",
        guide: "室内外科普场所的规模、维护和更新",
      },
      {
        key: "innovation",
        name: "特色与创新",
        source: "manual",
        max: 5,
        basis: "第十条、第十二条、第十四条",
        guide: "特色活动、精品课程、新技术新媒体的运用",
      },
    ],
  },
];

export function rubricIndicators(dims: readonly RubricDimension[]): RubricIndicator[] {
  return dims.flatMap((d) => d.indicators);
}

export function rubricTotal(dims: readonly RubricDimension[]): number {
  return round2(rubricIndicators(dims).reduce((s, i) => s + i.max, 0));
}

/** Problems that keep a rubric from being saved (empty: fine). */
export function rubricProblems(dims: readonly RubricDimension[]): string[] {
  const out: string[] = [];
  if (dims.length === 0) out.push("至少需要一个维度");
  const keys = new Set<string>();
  for (const d of dims) {
    if (!d.name.trim()) out.push("维度名称不能为空");
    if (d.indicators.length === 0) out.push(`维度“${d.name}”至少需要一个指标`);
    for (const i of d.indicators) {
      if (!i.name.trim()) out.push("指标名称不能为空");
      if (keys.has(i.key)) out.push(`指标编码“${i.key}”重复`);
      keys.add(i.key);
      if (!(i.max > 0)) out.push(`指标“${i.name}”的满分须大于0`);
      if (i.source === "auto") {
        if (!i.autoKey || !(AUTO_KEYS as readonly string[]).includes(i.autoKey))
          out.push(`指标“${i.name}”须选择自动计算的数据项`);
        if (!i.mode) out.push(`指标“${i.name}”须选择计分方式`);
        if (i.mode === "count" && !(Number(i.fullAt) > 0)) out.push(`指标“${i.name}”须填写满分所需数量`);
        if (i.mode === "ratio" && i.autoKey !== "reports_on_time")
          out.push(`指标“${i.name}”：按比例计分只适用于按时提交的活动小结`);
      }
    }
  }
  if (dims.length && rubricTotal(dims) !== 100)
    out.push(`各指标满分合计须为100分，当前为${rubricTotal(dims)}分`);
  return out;
}

// ---- scores ----

export interface Figure {
  value: number;
  /** The denominator of a ratio (activities held, for reports on time). */
  of?: number;
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Points an automatic indicator gives for a figure. */
export function autoPoints(ind: RubricIndicator, f: Figure | undefined): number {
  const v = f?.value ?? 0;
  switch (ind.mode) {
    case "count":
      return round2(Math.min(ind.max, (v / (ind.fullAt || 1)) * ind.max));
    case "ratio":
      return f?.of ? round2(Math.min(ind.max, (v / f.of) * ind.max)) : 0;
    case "flag":
      return v > 0 ? ind.max : 0;
    case "none":
      return v === 0 ? ind.max : 0;
    default:
      return 0;
  }
}

export function autoScore(dims: readonly RubricDimension[], figures: Record<string, Figure>): number {
  return round2(
    rubricIndicators(dims)
      .filter((i) => i.source === "auto")
      .reduce((s, i) => s + autoPoints(i, i.autoKey ? figures[i.autoKey] : undefined), 0),
  );
}

/** A manual score must be a number from 0 to the indicator's max, in steps of 0.5. */
export function manualScoreProblem(ind: RubricIndicator, score: number | null | undefined): string | null {
  if (score === null || score === undefined || Number.isNaN(score)) return "请打分";
  if (score < 0 || score > ind.max) return `分值须在0到${ind.max}之间`;
  if (Math.round(score * 2) !== score * 2) return "分值最小单位为0.5分";
  return null;
}

/** The final score: the automatic part plus the mean of the evaluators' manual totals. */
export function finalScore(auto: number, manualTotals: readonly number[]): { manual: number; final: number } {
  const manual = manualTotals.length
    ? round2(manualTotals.reduce((s, n) => s + n, 0) / manualTotals.length)
    : 0;
  return { manual, final: round2(auto + manual) };
}

/** Evaluators differ by more than the round's spread: the office should look at the base. */
export function isSpreadFlagged(manualTotals: readonly number[], limit: number): boolean {
  if (manualTotals.length < 2) return false;
  return Math.max(...manualTotals) - Math.min(...manualTotals) > limit;
}

export interface Thresholds {
  excellent: number;
  good: number;
  pass: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { excellent: 90, good: 75, pass: 60 };

export const GRADE_LABELS: Record<Grade, string> = {
  excellent: "优秀",
  good: "良好",
  pass: "合格",
  fail: "不合格",
};
export const GRADES = Object.keys(GRADE_LABELS) as Grade[];

/**
 * 优秀 bases are candidates for the recommendation to province or nation: the base's latest result
 * that has taken effect (its round closed) is 优秀. A newer round still under 公示 does not count yet,
 * and a later 良好 ends the candidacy. `history` is any order.
 */
export function recommendationCandidate<H extends { year: number; status: string; grade: Grade | null }>(
  history: readonly H[],
): H | null {
  const final = history.filter((h) => h.status === "closed").sort((a, b) => b.year - a.year)[0];
  return final?.grade === "excellent" ? final : null;
}

export function thresholdsProblem(t: Thresholds): string | null {
  if (!(t.pass > 0 && t.pass < t.good && t.good < t.excellent && t.excellent <= 100))
    return "须满足 0 < 合格线 < 良好线 < 优秀线 ≤ 100";
  return null;
}

export function gradeOf(score: number, t: Thresholds = DEFAULT_THRESHOLDS): Grade {
  if (score >= t.excellent) return "excellent";
  if (score >= t.good) return "good";
  if (score >= t.pass) return "pass";
  return "fail";
}

// ---- evaluators ----

export interface Assignment {
  scopeKind: "county" | "category";
  scopeValues: readonly string[];
  unitUscc: string;
}

/** The base is of the evaluator's own organization (same USCC): never assigned. */
export function isOwnOrganization(a: Pick<Assignment, "unitUscc">, base: { uscc: string }): boolean {
  return a.unitUscc.trim() !== "" && a.unitUscc.trim().toUpperCase() === base.uscc.trim().toUpperCase();
}

/** Is the base in the evaluator's assignment, and not of its own organization? */
export function isAssigned(
  a: Assignment,
  base: { regionCode: string; categoryCode: string; uscc: string },
): boolean {
  if (isOwnOrganization(a, base)) return false;
  const v = a.scopeKind === "county" ? base.regionCode : base.categoryCode;
  return a.scopeValues.includes(v);
}

/** The 公示 line of a base's evaluation report: under way, over (final), or not yet published. */
export function publicityLabel(roundStatus: RoundStatus, noticeEndsOn: string | null): string {
  if (roundStatus === "publicity")
    return noticeEndsOn ? `结果公示中（公示期至${noticeEndsOn}）` : "结果公示中";
  if (roundStatus === "closed")
    return noticeEndsOn ? `已公示（${noticeEndsOn}期满），结果已确定` : "结果已确定";
  return "未公示（评价进行中）";
}

/** Bases per page of 【评分】: an evaluator may be assigned a whole county (thousands of bases). */
export const SCORING_PAGE_SIZE = 50;
