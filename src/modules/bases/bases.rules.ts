import type { BaseStatus, ChangeKind } from "#src/platform/db/schema.ts";
import { batchLabel } from "#src/platform/numbering.rules.ts";

export const BASE_STATUS_LABELS: Record<BaseStatus, string> = {
  active: "正常",
  warning: "警示",
  revoked: "已撤销",
};

export const BASE_STATUSES = Object.keys(BASE_STATUS_LABELS) as BaseStatus[];

/** 第十八条: the only five grounds on which a base's title is revoked. */
export const REVOCATION_REASONS = [
  { code: 1, label: "单位（机构）严重违纪违法、严重损害公众利益或造成严重社会不良影响的" },
  { code: 2, label: "宣传邪教、封建迷信，从事反科学、伪科学活动的" },
  {
    code: 3,
    label:
      "基地创建单位在发生调整、分立、合并、重组等变更时，在变更后三个月内，未向“市基地认定办公室”通报办理变更或重新申报手续的",
  },
  { code: 4, label: "不接受“认定单位”的业务指导或不能履行衢州市科普教育基地职责的" },
  { code: 5, label: "已不具备科普基地条件的" },
] as const;

export type RevocationReason = (typeof REVOCATION_REASONS)[number]["code"];

export function revocationReasonLabel(code: number | null | undefined): string {
  return REVOCATION_REASONS.find((r) => r.code === code)?.label ?? "";
}

export const CHANGE_KIND_LABELS: Record<ChangeKind, string> = {
  rename: "更名",
  reorganization: "改制/重组",
  split: "分立",
  merger: "合并",
  contact: "联系方式变更",
  volunteer_team: "科技志愿服务队变更",
};

export const CHANGE_KINDS = Object.keys(CHANGE_KIND_LABELS) as ChangeKind[];

/** The changes 第十八条(三) requires to be reported within 3 months; late ones put the base on warning. */
export const MAJOR_CHANGE_KINDS: readonly ChangeKind[] = ["reorganization", "split", "merger"];

export const CHANGE_STATUS_LABELS = {
  pending: "待审核",
  approved: "已同意",
  returned: "已退回",
} as const;

export const RECOMMENDATION_LABELS = { province: "省级", nation: "国家级" } as const;
export type RecommendationLevel = keyof typeof RECOMMENDATION_LABELS;

export const WARNING_NOTE_LATE_CHANGE =
  "依据《衢州市科普教育基地创建与认定管理办法》第十八条（三）：发生调整、分立、合并、重组等变更后，未在三个月内向“市基地认定办公室”通报办理变更手续。";

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The calendar date of an instant in Asia/Shanghai (UTC+8, no DST since 1991). */
export function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** The date N calendar months later; a day the month lacks becomes its last day (11-30 + 3 → 02-29). */
export function addMonths(date: string, months: number): string {
  const m = DATE.exec(date);
  if (!m) throw new Error(`invalid date: ${date}`);
  const total = Number(m[1]) * 12 + (Number(m[2]) - 1) + months;
  const y = Math.floor(total / 12);
  const mo = (total % 12) + 1;
  const d = Math.min(Number(m[3]), daysInMonth(y, mo));
  return `${String(y).padStart(4, "0")}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** The last day on which a change that happened on `happenedOn` is reported in time. */
export function changeReportDeadline(happenedOn: string): string {
  return addMonths(happenedOn, 3);
}

/** 第十八条(三): filed more than 3 calendar months after the change, counted in Shanghai dates. */
export function isLateChange(happenedOn: string, filedAt: Date): boolean {
  return shanghaiDate(filedAt) > changeReportDeadline(happenedOn);
}

/** Phones on public pages are masked by the platform rule. */
export { maskPhone } from "#src/platform/phone.rules.ts";

/** Lower-case text the keyword search matches with LIKE (the same on both engines). */
export function baseSearchText(name: string, unitName: string, address: string): string {
  return [name, unitName, address]
    .map((s) => (s ?? "").trim())
    .filter(Boolean)
    .join(" ")
    .toLowerCase();
}

/** The LIKE pattern for a keyword, with its wildcards escaped. */
export function keywordPattern(q: string): string {
  return `%${q
    .trim()
    .toLowerCase()
    .replace(/[%_\\]/g, "\\$&")}%`;
}

/**
 * 衢科普〔2023〕第八批001号; without a batch 衢科普〔2023〕001号. A county issues its own series under its
 * own prefix (龙游科普〔2024〕第一批001号). Numbers stored earlier keep their form.
 */
export function formatCertificateNo(
  year: number,
  batchNo: number | null,
  seq: number,
  prefix = "衢科普",
): string {
  if (
    !Number.isInteger(year) ||
    (batchNo !== null && (!Number.isInteger(batchNo) || batchNo < 1)) ||
    !Number.isInteger(seq) ||
    seq < 1
  ) {
    throw new Error("invalid certificate number parts");
  }
  return `${prefix}〔${year}〕${batchLabel(batchNo)}${String(seq).padStart(3, "0")}号`;
}

/** Which base fields a change report of each kind may carry. */
export const CHANGE_FIELDS: Record<ChangeKind, readonly ChangeField[]> = {
  // A renamed unit renames its registered 科技志愿服务队 too (单位名称+科技志愿服务队).
  rename: ["name", "unitName", "teamName"],
  reorganization: ["name", "unitName", "address"],
  split: ["name", "unitName", "address"],
  merger: ["name", "unitName", "address"],
  contact: ["address", "leaderName", "leaderPhone", "contactName", "contactPhone"],
  volunteer_team: ["teamName", "teamStvsOrgNo"],
};

/** The fields a change report writes to the base itself. */
export type BaseChangeField =
  | "name"
  | "unitName"
  | "address"
  | "leaderName"
  | "leaderPhone"
  | "contactName"
  | "contactPhone";

/**
 * The fields it writes to the base's 科技志愿服务队: once the team is 已注册 on stvs, its name and
 * organization number change only this way.
 */
export type TeamChangeField = "teamName" | "teamStvsOrgNo";

export type ChangeField = BaseChangeField | TeamChangeField;

export const TEAM_CHANGE_FIELDS: readonly TeamChangeField[] = ["teamName", "teamStvsOrgNo"];

export function isTeamChangeField(f: string): f is TeamChangeField {
  return (TEAM_CHANGE_FIELDS as readonly string[]).includes(f);
}

export const CHANGE_FIELD_LABELS: Record<ChangeField, string> = {
  name: "新基地名称",
  unitName: "新单位名称",
  address: "新通信地址",
  leaderName: "新负责人",
  leaderPhone: "新负责人电话",
  contactName: "新联系人",
  contactPhone: "新联系人电话",
  teamName: "新服务队名称",
  teamStvsOrgNo: "新服务队组织编号",
};

/** The bases column each base change field writes. */
export const CHANGE_FIELD_COLUMNS = {
  name: "name",
  unitName: "unit_name",
  address: "address",
  leaderName: "leader_name",
  leaderPhone: "leader_phone",
  contactName: "contact_name",
  contactPhone: "contact_phone",
} as const satisfies Record<BaseChangeField, string>;

export const BASE_STATUS_COLORS = { active: "green", warning: "orange", revoked: "red" } as const;
export const CHANGE_STATUS_COLORS = { pending: "blue", approved: "green", returned: "orange" } as const;

export interface ChangeDetails {
  values: Partial<Record<ChangeField, string>>;
  explanation: string;
  /** The values before the change, recorded when filed. */
  previous: Partial<Record<ChangeField, string>>;
}

/** A change report's details column (JSON). */
export function detailsOf(report: { details: string }): ChangeDetails {
  const d = JSON.parse(report.details || "{}");
  return { values: d.values ?? {}, explanation: d.explanation ?? "", previous: d.previous ?? {} };
}
