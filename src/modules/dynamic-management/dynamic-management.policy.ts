import { can, type Permission } from "#src/modules/accounts/accounts.policy.ts";
import type { SessionUser } from "#src/platform/context.ts";
import type { WarningStatus } from "#src/platform/db/schema.ts";
import { nextWarningStatus, type WarningAction, type WarningFacts } from "./dynamic-management.rules.ts";

/**
 * Who sees and acts on which warning. Staff (county, city, office) see the warnings of the bases in
 * their region and below; the base's own accounts see its warnings once confirmed (never a mere
 * proposal, nor one dismissed). Each step needs its permission (accounts.policy.ts).
 */
export type WarningViewer =
  | { kind: "staff"; user: SessionUser; scope: readonly string[] }
  | { kind: "owner"; user: SessionUser; baseIds: readonly string[] }
  | { kind: "none" };

export interface WarningRecord extends WarningFacts {
  baseId: string;
  regionCode: string;
}

/** The statuses a base's own accounts see. */
export const OWNER_VISIBLE: readonly WarningStatus[] = [
  "open",
  "rectifying",
  "report_filed",
  "lifted",
  "revocation_proposed",
];

export const ACTION_PERMISSION: Record<WarningAction | "issue" | "propose", Permission> = {
  propose: "warnings:propose",
  issue: "warnings:issue",
  confirm: "warnings:issue",
  dismiss: "warnings:issue",
  rectify: "warnings:issue",
  lift: "warnings:issue",
  report: "bases:own",
  recheck_pass: "warnings:recheck",
  recheck_fail: "warnings:recheck",
};

export function canSeeWarning(viewer: WarningViewer, w: WarningRecord): boolean {
  switch (viewer.kind) {
    case "staff":
      return can(viewer.user, "warnings:read") && viewer.scope.includes(w.regionCode);
    case "owner":
      return viewer.baseIds.includes(w.baseId) && OWNER_VISIBLE.includes(w.status);
    default:
      return false;
  }
}

/** May the viewer take this step on the warning now (its permission, its scope, the state machine)? */
export function canAct(viewer: WarningViewer, action: WarningAction, w: WarningRecord, now: string): boolean {
  if (viewer.kind === "none" || !canSeeWarning(viewer, w)) return false;
  if (!can(viewer.user, ACTION_PERMISSION[action])) return false;
  if (action === "report" && viewer.kind !== "owner") return false;
  return nextWarningStatus(w, action, now) !== null;
}

const ACTIONS: WarningAction[] = [
  "confirm",
  "dismiss",
  "rectify",
  "report",
  "recheck_pass",
  "recheck_fail",
  "lift",
];

/** The steps the viewer may take on the warning now (the detail page's forms). */
export function allowedActions(viewer: WarningViewer, w: WarningRecord, now: string): WarningAction[] {
  return ACTIONS.filter((a) => canAct(viewer, a, w, now));
}

/**
 * A new warning's first status: the office or city issue it (open, or rectifying when it comes with a
 * deadline); a county proposes it. Null: the user may do neither, or not for this region.
 */
export function initialStatus(
  user: SessionUser,
  scope: readonly string[],
  regionCode: string,
  withDeadline: boolean,
): WarningStatus | null {
  if (!scope.includes(regionCode)) return null;
  if (can(user, "warnings:issue")) return withDeadline ? "rectifying" : "open";
  if (can(user, "warnings:propose")) return "proposed";
  return null;
}
