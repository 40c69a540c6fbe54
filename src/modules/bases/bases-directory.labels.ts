/**
 * Labels the public base pages show. Client-safe (no server imports).
 * bases.rules.ts (staff side) will own the shared status and revocation labels; until it lands
 * the directory keeps its own copy here.
 */

/** The five reasons of 第十八条, by the number stored in bases.revocation_reason. */
export const PUBLIC_REVOCATION_REASONS: Record<number, string> = {
  1: "存在严重违法、违纪行为",
  2: "参与邪教、封建迷信或伪科学活动",
  3: "重组、分立、合并等变更未在3个月内报告",
  4: "拒不接受指导或不履行科普教育基地职责",
  5: "不再符合科普教育基地认定条件",
};

export const PUBLIC_STATUS_LABELS = {
  active: "已认定",
  warning: "限期整改",
  revoked: "已撤销",
} as const;

export const SORT_LABELS: Record<DirectorySort, string> = {
  name: "按名称",
  newest: "最新认定",
  county: "按县（市、区）",
};

/** 开放形式 values that mean free entry for young people (the 青少年免费 filter). */
export const YOUTH_FREE_FORMS = ["免费", "16周岁以下的青少年免费开放"] as const;

export const DIRECTORY_SORTS = ["name", "newest", "county"] as const;
export type DirectorySort = (typeof DIRECTORY_SORTS)[number];

export const DIRECTORY_PAGE_SIZE = 20;
