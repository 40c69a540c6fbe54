import { describe, expect, it } from "vitest";
import { AUDIT_ACTION_LABELS } from "#src/modules/audit/audit.labels.ts";
import type { WarningStatus } from "#src/platform/db/schema.ts";
import {
  ACTION_LABELS,
  baseStatusAfter,
  daysLeft,
  deadlineProblem,
  isInForce,
  isOverdue,
  nextWarningStatus,
  WARNING_STATUSES,
  type WarningAction,
} from "./dynamic-management.rules.ts";

const NOW = "2026-03-10T02:00:00.000Z";
const FUTURE = "2026-03-20T16:00:00.000Z";
const PAST = "2026-03-09T16:00:00.000Z";
const at = (status: WarningStatus, deadline: string | null = null) => ({ status, deadline });

describe("the warning state machine", () => {
  it("a proposal is confirmed (open, or 整改 at once with a deadline) or dismissed", () => {
    expect(nextWarningStatus(at("proposed"), "confirm", NOW)).toBe("open");
    expect(nextWarningStatus(at("proposed"), "confirm", NOW, true)).toBe("rectifying");
    expect(nextWarningStatus(at("proposed"), "dismiss", NOW)).toBe("dismissed");
  });
  it("only a proposal is confirmed or dismissed", () => {
    for (const s of WARNING_STATUSES.filter((x) => x !== "proposed")) {
      expect(nextWarningStatus(at(s), "confirm", NOW)).toBeNull();
      expect(nextWarningStatus(at(s), "dismiss", NOW)).toBeNull();
    }
  });
  it("an open warning is ordered to 整改; a 整改 already under way is not ordered again", () => {
    expect(nextWarningStatus(at("open"), "rectify", NOW)).toBe("rectifying");
    expect(nextWarningStatus(at("rectifying", FUTURE), "rectify", NOW)).toBeNull();
    expect(nextWarningStatus(at("proposed"), "rectify", NOW)).toBeNull();
  });
  it("the base files its report only while 整改 is under way (late too)", () => {
    expect(nextWarningStatus(at("rectifying", FUTURE), "report", NOW)).toBe("report_filed");
    expect(nextWarningStatus(at("rectifying", PAST), "report", NOW)).toBe("report_filed");
    for (const s of [
      "proposed",
      "open",
      "report_filed",
      "lifted",
      "revocation_proposed",
      "dismissed",
    ] as const)
      expect(nextWarningStatus(at(s, FUTURE), "report", NOW)).toBeNull();
  });
  it("复查 of a filed report: pass lifts, fail proposes revocation", () => {
    expect(nextWarningStatus(at("report_filed", FUTURE), "recheck_pass", NOW)).toBe("lifted");
    expect(nextWarningStatus(at("report_filed", FUTURE), "recheck_fail", NOW)).toBe("revocation_proposed");
  });
  it("a 整改 left without a report may fail its 复查 only once the deadline has passed, and never pass it", () => {
    expect(nextWarningStatus(at("rectifying", FUTURE), "recheck_fail", NOW)).toBeNull();
    expect(nextWarningStatus(at("rectifying", PAST), "recheck_fail", NOW)).toBe("revocation_proposed");
    expect(nextWarningStatus(at("rectifying", PAST), "recheck_pass", NOW)).toBeNull();
    expect(nextWarningStatus(at("open"), "recheck_fail", NOW)).toBeNull();
  });
  it("lifting: an open warning, a 整改, or a proposed revocation the office decides against", () => {
    expect(nextWarningStatus(at("open"), "lift", NOW)).toBe("lifted");
    expect(nextWarningStatus(at("rectifying", FUTURE), "lift", NOW)).toBe("lifted");
    expect(nextWarningStatus(at("revocation_proposed"), "lift", NOW)).toBe("lifted");
    expect(nextWarningStatus(at("report_filed"), "lift", NOW)).toBeNull();
    expect(nextWarningStatus(at("proposed"), "lift", NOW)).toBeNull();
  });
  it("lifted and dismissed are final", () => {
    const actions: WarningAction[] = [
      "confirm",
      "dismiss",
      "rectify",
      "report",
      "recheck_pass",
      "recheck_fail",
      "lift",
    ];
    for (const s of ["lifted", "dismissed"] as const)
      for (const a of actions) expect(nextWarningStatus(at(s, PAST), a, NOW)).toBeNull();
  });
});

describe("overdue", () => {
  it("a 整改 is overdue from its deadline instant on, and only while no report is filed", () => {
    expect(isOverdue(at("rectifying", NOW), NOW)).toBe(true);
    expect(isOverdue(at("rectifying", "2026-03-10T02:00:00.001Z"), NOW)).toBe(false);
    expect(isOverdue(at("report_filed", PAST), NOW)).toBe(false);
    expect(isOverdue(at("rectifying", null), NOW)).toBe(false);
  });
});

describe("the base's status follows its warnings", () => {
  it("on warning while any warning is in force", () => {
    expect(baseStatusAfter("active", ["open"])).toBe("warning");
    expect(baseStatusAfter("active", ["lifted", "report_filed"])).toBe("warning");
    expect(baseStatusAfter("warning", ["lifted", "revocation_proposed"])).toBe("warning");
  });
  it("active again when the last one is lifted or dismissed; a proposal alone does not warn", () => {
    expect(baseStatusAfter("warning", ["lifted"])).toBe("active");
    expect(baseStatusAfter("warning", ["lifted", "dismissed"])).toBe("active");
    expect(baseStatusAfter("active", ["proposed"])).toBe("active");
    expect(baseStatusAfter("warning", [])).toBe("active");
  });
  it("a revoked base stays revoked", () => {
    expect(baseStatusAfter("revoked", ["open"])).toBe("revoked");
    expect(baseStatusAfter("revoked", [])).toBe("revoked");
  });
  it("which statuses are in force", () => {
    expect(WARNING_STATUSES.filter(isInForce)).toEqual([
      "open",
      "rectifying",
      "report_filed",
      "revocation_proposed",
    ]);
  });
});

describe("the 整改 deadline", () => {
  it("today or later, within a year", () => {
    expect(deadlineProblem("2026-03-10", "2026-03-10")).toBeNull();
    expect(deadlineProblem("2026-03-09", "2026-03-10")).toBe("整改期限不能早于今天");
    expect(deadlineProblem("2027-03-10", "2026-03-10")).toBeNull();
    expect(deadlineProblem("2027-03-12", "2026-03-10")).toBe("整改期限不能超过一年");
  });
  it("days left counts calendar days across months", () => {
    expect(daysLeft("2026-03-01", "2026-02-27")).toBe(2);
    expect(daysLeft("2026-02-27", "2026-03-01")).toBe(-2);
  });
});

describe("audit labels of the warning steps", () => {
  // The use cases audit each step as `warning.<action>`, built at run time, which the audit labels'
  // own test (it reads literal action names) cannot see.
  it("names in Chinese every step a person takes", () => {
    const steps = Object.keys(ACTION_LABELS).filter((a) => !a.startsWith("remind_"));
    expect(steps.length).toBeGreaterThan(8);
    expect(steps.filter((a) => !(`warning.${a}` in AUDIT_ACTION_LABELS))).toEqual([]);
  });
});
