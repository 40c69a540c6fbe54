import { describe, expect, it } from "vitest";
import type { SessionUser } from "#src/platform/context.ts";
import type { Role, WarningStatus } from "#src/platform/db/schema.ts";
import {
  allowedActions,
  canAct,
  canSeeWarning,
  initialStatus,
  type WarningViewer,
} from "./dynamic-management.policy.ts";

const NOW = "2026-03-10T02:00:00.000Z";
const user = (role: Role, regionCode: string): SessionUser =>
  ({ id: `${role}-${regionCode}`, role, regionCode, mustChangePassword: false }) as SessionUser;
const LONGYOU = ["330825"];
const CITY = ["330800", "330802", "330825", "330881"];
const staff = (role: Role, scope: string[]): WarningViewer => ({
  kind: "staff",
  user: user(role, scope[0]),
  scope,
});
const w = (
  status: WarningStatus,
  regionCode = "330825",
  deadline: string | null = "2026-03-20T16:00:00.000Z",
) => ({
  baseId: "b1",
  regionCode,
  status,
  deadline,
});

describe("who sees a warning", () => {
  it("staff of the base's region and above; county staff not another county's", () => {
    expect(canSeeWarning(staff("county", LONGYOU), w("open"))).toBe(true);
    expect(canSeeWarning(staff("county", ["330881"]), w("open"))).toBe(false);
    expect(canSeeWarning(staff("city", CITY), w("open", "330881"))).toBe(true);
    expect(canSeeWarning(staff("office", CITY), w("proposed"))).toBe(true);
  });
  it("staff roles without the permission see nothing (evaluator, admin)", () => {
    expect(canSeeWarning(staff("evaluator", CITY), w("open"))).toBe(false);
    expect(canSeeWarning(staff("admin", CITY), w("open"))).toBe(false);
  });
  it("the base sees its own warnings once confirmed, never a proposal or a dismissed one", () => {
    const owner: WarningViewer = { kind: "owner", user: user("org", "330825"), baseIds: ["b1"] };
    expect(canSeeWarning(owner, w("rectifying"))).toBe(true);
    expect(canSeeWarning(owner, w("lifted"))).toBe(true);
    expect(canSeeWarning(owner, w("proposed"))).toBe(false);
    expect(canSeeWarning(owner, w("dismissed"))).toBe(false);
    expect(canSeeWarning({ ...owner, baseIds: ["b2"] }, w("rectifying"))).toBe(false);
    expect(canSeeWarning({ kind: "none" }, w("open"))).toBe(false);
  });
});

describe("who takes which step", () => {
  it("office and city confirm, dismiss, order 整改 and lift; a county does none of these", () => {
    for (const role of ["office", "city"] as const) {
      const v = staff(role, CITY);
      expect(allowedActions(v, w("proposed"), NOW)).toEqual(["confirm", "dismiss"]);
      expect(allowedActions(v, w("open"), NOW)).toEqual(["rectify", "lift"]);
    }
    expect(allowedActions(staff("county", LONGYOU), w("proposed"), NOW)).toEqual([]);
    expect(allowedActions(staff("county", LONGYOU), w("open"), NOW)).toEqual([]);
  });
  it("only the city re-checks a filed report", () => {
    expect(allowedActions(staff("city", CITY), w("report_filed"), NOW)).toEqual([
      "recheck_pass",
      "recheck_fail",
    ]);
    expect(allowedActions(staff("office", CITY), w("report_filed"), NOW)).toEqual([]);
    expect(canAct(staff("county", LONGYOU), "recheck_pass", w("report_filed"), NOW)).toBe(false);
  });
  it("only the base's own account files the report", () => {
    const owner: WarningViewer = { kind: "owner", user: user("org", "330825"), baseIds: ["b1"] };
    expect(allowedActions(owner, w("rectifying"), NOW)).toEqual(["report"]);
    expect(canAct({ ...owner, baseIds: ["b2"] }, "report", w("rectifying"), NOW)).toBe(false);
    expect(canAct(staff("office", CITY), "report", w("rectifying"), NOW)).toBe(false);
  });
  it("nothing out of scope, even for the office of another city", () => {
    expect(allowedActions(staff("office", ["330900"]), w("proposed"), NOW)).toEqual([]);
  });
});

describe("a new warning", () => {
  it("office and city issue it (open; 整改 at once with a deadline); a county proposes it; others cannot", () => {
    expect(initialStatus(user("office", "330800"), CITY, "330825", false)).toBe("open");
    expect(initialStatus(user("city", "330800"), CITY, "330825", true)).toBe("rectifying");
    expect(initialStatus(user("county", "330825"), LONGYOU, "330825", true)).toBe("proposed");
    expect(initialStatus(user("county", "330825"), LONGYOU, "330881", false)).toBeNull();
    expect(initialStatus(user("evaluator", "330800"), CITY, "330825", false)).toBeNull();
    expect(initialStatus(user("org", "330825"), LONGYOU, "330825", false)).toBeNull();
  });
});
