import type { ApplicationStatus, Role } from "#src/platform/db/schema.ts";

export const STATUS_LABELS: Record<ApplicationStatus, string> = {
  draft: "草稿",
  county_review: "待县级推荐",
  city_review: "待市级评审",
  office_confirmation: "待认定办公室确认",
  proposed: "拟认定",
  returned: "退回修改",
  not_recommended: "未获推荐",
  rejected: "未通过",
  withdrawn: "已撤回",
  public_notice: "公示中",
  recognized: "已认定",
};

export type ReviewAction =
  | "submit"
  | "resubmit"
  | "withdraw"
  | "recommend"
  | "decline"
  | "pass"
  | "reject"
  | "confirm"
  | "return";

export const ACTION_LABELS: Record<ReviewAction, string> = {
  submit: "提交申报",
  resubmit: "修改后重新提交",
  withdraw: "撤回申报",
  recommend: "推荐",
  decline: "不予推荐",
  pass: "评审通过",
  reject: "不予通过",
  confirm: "确认列入拟认定名单",
  return: "退回修改",
};

/** Steps of 公示 and naming, taken by the office through the notices module. */
export type NoticeAction = "publish" | "uphold_objection" | "name";

export const NOTICE_ACTION_LABELS: Record<NoticeAction, string> = {
  publish: "列入公示",
  uphold_objection: "异议成立",
  name: "认定命名",
};

export type CallLevel = "city" | "county";

/**
 * The review stages and the role that acts on each. A county-level call (第十九条) is the county's own:
 * its 科协 recommends, then confirms as the county's 认定 step; there is no city review.
 */
export const STAGE_ROLE: Record<CallLevel, Partial<Record<ApplicationStatus, Role>>> = {
  city: { county_review: "county", city_review: "city", office_confirmation: "office" },
  county: { county_review: "county", office_confirmation: "county" },
};

/** Statuses that block a new application by the same organization at the same level. */
export const ACTIVE_STATUSES: ApplicationStatus[] = [
  "draft",
  "county_review",
  "city_review",
  "office_confirmation",
  "proposed",
  "returned",
  "public_notice",
  "recognized",
];

type Transition = {
  from: ApplicationStatus[];
  /** The role that takes it; "stage": whoever STAGE_ROLE names for the status at the call's level. */
  role: Role | "stage";
  to: (app: Pick<AppState, "returned_from" | "level">) => ApplicationStatus;
  level?: CallLevel;
};
export interface AppState {
  status: ApplicationStatus;
  returned_from: ApplicationStatus | null;
  /** The call's level; absent means a city call. */
  level?: CallLevel;
}

const TRANSITIONS: Record<ReviewAction, Transition[]> = {
  submit: [{ from: ["draft"], role: "org", to: () => "county_review" }],
  // A returned application goes back to the stage that returned it.
  resubmit: [{ from: ["returned"], role: "org", to: (a) => a.returned_from ?? "county_review" }],
  // The applicant may withdraw until the county acts.
  withdraw: [{ from: ["draft", "county_review"], role: "org", to: () => "withdrawn" }],
  recommend: [
    {
      from: ["county_review"],
      role: "county",
      to: (a) => (a.level === "county" ? "office_confirmation" : "city_review"),
    },
  ],
  decline: [{ from: ["county_review"], role: "county", to: () => "not_recommended" }],
  pass: [{ from: ["city_review"], role: "city", level: "city", to: () => "office_confirmation" }],
  reject: [
    { from: ["city_review"], role: "city", level: "city", to: () => "rejected" },
    { from: ["office_confirmation"], role: "stage", to: () => "rejected" },
  ],
  confirm: [{ from: ["office_confirmation"], role: "stage", to: () => "proposed" }],
  return: [
    { from: ["county_review"], role: "county", to: () => "returned" },
    { from: ["city_review"], role: "city", level: "city", to: () => "returned" },
    { from: ["office_confirmation"], role: "stage", to: () => "returned" },
  ],
};

/** The status after `action`, or null when the role may not take it from this status. */
export function nextStatus(app: AppState, action: ReviewAction, role: Role): ApplicationStatus | null {
  const level = app.level ?? "city";
  const t = TRANSITIONS[action].find(
    (t) =>
      t.from.includes(app.status) &&
      (!t.level || t.level === level) &&
      (t.role === "stage" ? STAGE_ROLE[level][app.status] === role : t.role === role),
  );
  return t ? t.to(app) : null;
}

export function allowedActions(app: AppState, role: Role): ReviewAction[] {
  return (Object.keys(TRANSITIONS) as ReviewAction[]).filter((a) => nextStatus(app, a, role) !== null);
}

/** Which reviewer stage acts now, for work queues. */
export function stageOf(status: ApplicationStatus, level: CallLevel = "city"): Role | null {
  return STAGE_ROLE[level][status] ?? null;
}

/** The statuses a role acts on at each level: its work queue. */
export function stagesOf(role: Role): { level: CallLevel; status: ApplicationStatus }[] {
  return (Object.keys(STAGE_ROLE) as CallLevel[]).flatMap((level) =>
    Object.entries(STAGE_ROLE[level])
      .filter(([, r]) => r === role)
      .map(([status]) => ({ level, status: status as ApplicationStatus })),
  );
}

/** Actions that need a written opinion. */
export function opinionRequired(action: ReviewAction): boolean {
  return action === "return" || action === "decline" || action === "reject";
}

/** 第五条 basic conditions (一)–(八), abbreviated for the form. */
export const BASIC_CONDITIONS = [
  "提供公共科普服务的法人单位，或以法人单位为依托的内设（下属）机构",
  "具有明确的科普服务宗旨、开放服务和安全管理等制度",
  "具备一定规模的开展科普公共服务的室内外场所条件，积极开展内容丰富、形式多样的科普服务",
  "在全国科普日、全国科技活动周、全国科技工作者日等重要主题日期间及大型科普活动时，能够对公众特别是青少年免费或优惠开放",
  "通过网络媒体平台向公众公布开放信息、科普教育活动信息、展教资源更新情况等公共科普服务信息",
  "有稳定的科普经费投入或专项科普经费，确保科普教育工作正常运行",
  "有较稳定的专兼职科技志愿者队伍，能够开展经常性科技志愿服务",
  "接受“认定单位”的指导和交办的科普任务，接受其组织的对科普教育基地的科普工作参观考察",
] as const;

export const OPENING_FORMS = ["免费", "16周岁以下的青少年免费开放", "节假日优惠", "收费"] as const;

/** Counts characters as a reader does (code points), not UTF-16 units or bytes. */
export const charCount = (s: string) => [...s].length;

export const INTRO_MAX = 1000;
