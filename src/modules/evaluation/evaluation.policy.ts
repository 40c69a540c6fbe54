import type { SessionUser } from "#src/platform/context.ts";
import { type Assignment, isAssigned } from "./evaluation.rules.ts";

/**
 * Who sees which entry (one base in one round). Staff see entries of their region and below (the
 * scope); an evaluator, or a user added to one round only, sees exactly the bases assigned to it,
 * never one of its own organization; an organization sees its own base's entry only.
 */
export type EntryViewer =
  | { kind: "staff"; scope: readonly string[] }
  | { kind: "evaluator"; assignment: Assignment }
  | { kind: "owner"; baseIds: readonly string[] }
  | { kind: "none" };

export interface EntryFacts {
  baseId: string;
  regionCode: string;
  categoryCode: string;
  uscc: string;
}

export function canSeeEntry(viewer: EntryViewer, entry: EntryFacts): boolean {
  switch (viewer.kind) {
    case "staff":
      return viewer.scope.includes(entry.regionCode);
    case "evaluator":
      return isAssigned(viewer.assignment, entry);
    case "owner":
      return viewer.baseIds.includes(entry.baseId);
    default:
      return false;
  }
}

/** Only an assigned evaluator scores, and only while the round is in scoring and it has not finished. */
export function canScore(
  viewer: EntryViewer,
  entry: EntryFacts,
  roundStatus: string,
  finished: boolean,
): boolean {
  return (
    viewer.kind === "evaluator" &&
    isAssigned(viewer.assignment, entry) &&
    roundStatus === "scoring" &&
    !finished
  );
}

/**
 * Another evaluator's scores stay hidden from an evaluator until every evaluator of the base has
 * submitted; the office (and staff in scope) see them all along.
 */
export function canSeeOthersScores(viewer: EntryViewer, allSubmitted: boolean): boolean {
  if (viewer.kind === "staff") return true;
  if (viewer.kind === "evaluator") return allSubmitted;
  return false;
}

/** Which kind of staff work a user has on evaluations. */
export function staffRoleOf(user: SessionUser): "office" | "county" | "city" | "admin" | null {
  return user.role === "office" || user.role === "county" || user.role === "city" || user.role === "admin"
    ? user.role
    : null;
}
