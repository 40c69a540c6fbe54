import type { NoticeStatus, ObjectionStatus, PublicNotice } from "#src/platform/db/schema.ts";

export const DEFAULT_WORKING_DAYS = 5;
export const MAX_WORKING_DAYS = 30;

export const OBJECTION_STATUS_LABELS: Record<ObjectionStatus, string> = {
  pending: "待核实",
  upheld: "异议成立",
  dismissed: "异议不成立",
};

export const UPHELD_ACTION_LABELS = {
  back_to_office: "退回认定办公室重新审核",
  reject: "不予认定",
} as const;

/** What the public sees of a notice's state at `now`. */
export function noticePhase(
  n: Pick<PublicNotice, "kind" | "status" | "starts_at" | "ends_at">,
  now: Date,
): { code: "upcoming" | "open" | "ended" | "named" | "announcement"; label: string } {
  if (n.kind === "naming") return { code: "announcement", label: "认定公告" };
  if (n.status === "named") return { code: "named", label: "已命名" };
  const t = now.toISOString();
  if (t < n.starts_at) return { code: "upcoming", label: "即将公示" };
  if (n.status === "open" && t < n.ends_at) return { code: "open", label: "公示中" };
  return { code: "ended", label: "公示期满" };
}

/** Whether an objection may be filed against this notice at `now`. */
export function acceptsObjections(
  n: Pick<PublicNotice, "kind" | "status" | "starts_at" | "ends_at">,
  now: Date,
): boolean {
  return noticePhase(n, now).code === "open";
}

export const NOTICE_STATUS_LABELS: Record<NoticeStatus, string> = {
  open: "公示中",
  closed: "公示期满",
  named: "已命名",
  published: "已发布",
};
