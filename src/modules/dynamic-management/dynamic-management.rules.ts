import type { WarningStatus } from "#src/platform/db/schema.ts";

/**
 * 动态管理 (第十五条、第十七条、第十八条): a base put on 警示, optionally ordered to 限期整改, files an
 * 整改报告, and the city re-checks it (复查): pass lifts the warning, fail proposes a revocation
 * (第十八条(四) or (五)) that the office carries out as any revocation. Pure rules, no I/O.
 */

export const WARNING_STATUS_LABELS: Record<WarningStatus, string> = {
  proposed: "拟警示",
  open: "警示中",
  rectifying: "限期整改中",
  report_filed: "整改报告待复查",
  lifted: "已解除",
  revocation_proposed: "复查未通过，建议撤销",
  dismissed: "不予警示",
};

export const WARNING_STATUS_COLORS: Record<WarningStatus, string> = {
  proposed: "default",
  open: "orange",
  rectifying: "gold",
  report_filed: "blue",
  lifted: "green",
  revocation_proposed: "red",
  dismissed: "default",
};

export const WARNING_STATUSES = Object.keys(WARNING_STATUS_LABELS) as WarningStatus[];

export const WARNING_SOURCE_LABELS = {
  manual: "工作人员提出",
  grade: "年度评价不合格",
  late_change: "变更逾期报告（第十八条（三））",
} as const;

/** While a warning is in one of these, the base is on 警示 (bases.status = 'warning'). */
export const IN_FORCE: readonly WarningStatus[] = [
  "open",
  "rectifying",
  "report_filed",
  "revocation_proposed",
];

export const isInForce = (status: WarningStatus): boolean => IN_FORCE.includes(status);

/** A re-check that fails proposes revocation under one of these reasons of 第十八条. */
export const RECHECK_FAIL_REASONS = [4, 5] as const;
export type RecheckFailReason = (typeof RECHECK_FAIL_REASONS)[number];

export type WarningAction =
  | "confirm"
  | "dismiss"
  | "rectify"
  | "report"
  | "recheck_pass"
  | "recheck_fail"
  | "lift";

export const ACTION_LABELS: Record<
  WarningAction | "issue" | "propose" | "remind_before" | "remind_overdue",
  string
> = {
  propose: "提出拟警示",
  issue: "列入警示",
  confirm: "确认警示",
  dismiss: "不予警示",
  rectify: "下达限期整改",
  report: "提交整改报告",
  recheck_pass: "复查通过，解除警示",
  recheck_fail: "复查未通过，建议撤销命名",
  lift: "解除警示",
  remind_before: "整改期限临近提醒",
  remind_overdue: "整改逾期提醒",
};

export interface WarningFacts {
  status: WarningStatus;
  /** The 整改 deadline (an instant), when one was set. */
  deadline: string | null;
}

/** A 整改 whose deadline has passed without a report. */
export function isOverdue(w: WarningFacts, now: string): boolean {
  return w.status === "rectifying" && !!w.deadline && w.deadline <= now;
}

/**
 * The status a step leads to, or null when the step is not allowed now. `withDeadline`: the step
 * sets 整改 measures and a deadline (confirming may do so at once).
 */
export function nextWarningStatus(
  w: WarningFacts,
  action: WarningAction,
  now: string,
  withDeadline = false,
): WarningStatus | null {
  switch (action) {
    case "confirm":
      return w.status === "proposed" ? (withDeadline ? "rectifying" : "open") : null;
    case "dismiss":
      return w.status === "proposed" ? "dismissed" : null;
    case "rectify":
      return w.status === "open" ? "rectifying" : null;
    case "report":
      return w.status === "rectifying" ? "report_filed" : null;
    case "recheck_pass":
      return w.status === "report_filed" ? "lifted" : null;
    case "recheck_fail":
      // A report that fails, or a 整改 left without a report past its deadline.
      return w.status === "report_filed" || isOverdue(w, now) ? "revocation_proposed" : null;
    case "lift":
      return w.status === "open" || w.status === "rectifying" || w.status === "revocation_proposed"
        ? "lifted"
        : null;
    default:
      return null;
  }
}

/**
 * What the base's status becomes after a warning moved, given the statuses of its other warnings:
 * on 警示 while any warning is in force; back to active when the last one is lifted or dismissed.
 * A revoked base stays revoked.
 */
export function baseStatusAfter(
  baseStatus: "active" | "warning" | "revoked",
  statuses: readonly WarningStatus[],
): "active" | "warning" | "revoked" {
  if (baseStatus === "revoked") return "revoked";
  return statuses.some(isInForce) ? "warning" : "active";
}

/** Days from `today` to a deadline date, both Beijing dates (negative: overdue by that many days). */
export function daysLeft(deadlineDate: string, today: string): number {
  return Math.round(
    (Date.parse(`${deadlineDate}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000,
  );
}

/** The 整改 deadline given as a Beijing date must be today or later, and within a year. */
export function deadlineProblem(deadlineDate: string, today: string): string | null {
  const d = daysLeft(deadlineDate, today);
  if (d < 0) return "整改期限不能早于今天";
  if (d > 366) return "整改期限不能超过一年";
  return null;
}
