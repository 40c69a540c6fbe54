/**
 * Labels the public base pages show. Client-safe (no server imports). The revocation reasons
 * are bases.rules.ts's `revocationReasonLabel`, worded as 第十八条 words them.
 */

export const PUBLIC_STATUS_LABELS = {
  active: "已认定",
  warning: "警示",
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
