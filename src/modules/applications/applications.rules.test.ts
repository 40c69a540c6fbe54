import { describe, expect, it } from "vitest";
import type { ApplicationStatus, Role } from "#src/platform/db/schema.ts";
import {
  allowedActions,
  charCount,
  nextStatus,
  type ReviewAction,
  stageOf,
  stagesOf,
} from "./applications.rules.ts";

const app = (status: ApplicationStatus, returned_from: ApplicationStatus | null = null) => ({
  status,
  returned_from,
});

describe("nextStatus", () => {
  it.each<[ApplicationStatus, ReviewAction, Role, ApplicationStatus]>([
    ["draft", "submit", "org", "county_review"],
    ["county_review", "recommend", "county", "city_review"],
    ["county_review", "decline", "county", "not_recommended"],
    ["county_review", "return", "county", "returned"],
    ["city_review", "pass", "city", "office_confirmation"],
    ["city_review", "reject", "city", "rejected"],
    ["city_review", "return", "city", "returned"],
    ["office_confirmation", "confirm", "office", "proposed"],
    ["office_confirmation", "reject", "office", "rejected"],
    ["office_confirmation", "return", "office", "returned"],
    ["draft", "withdraw", "org", "withdrawn"],
    ["county_review", "withdraw", "org", "withdrawn"],
  ])("%s --%s by %s--> %s", (from, action, role, to) => {
    expect(nextStatus(app(from), action, role)).toBe(to);
  });

  it("sends a resubmission back to the stage that returned it", () => {
    expect(nextStatus(app("returned", "city_review"), "resubmit", "org")).toBe("city_review");
    expect(nextStatus(app("returned", "office_confirmation"), "resubmit", "org")).toBe("office_confirmation");
    expect(nextStatus(app("returned", "county_review"), "resubmit", "org")).toBe("county_review");
  });

  it("refuses the wrong role at each stage", () => {
    expect(nextStatus(app("county_review"), "recommend", "city")).toBeNull();
    expect(nextStatus(app("city_review"), "pass", "county")).toBeNull();
    expect(nextStatus(app("office_confirmation"), "confirm", "city")).toBeNull();
    expect(nextStatus(app("draft"), "submit", "county")).toBeNull();
    expect(nextStatus(app("county_review"), "recommend", "admin")).toBeNull();
  });

  it("refuses withdrawal once the county has acted", () => {
    expect(nextStatus(app("city_review"), "withdraw", "org")).toBeNull();
  });

  it("has no way out of final states", () => {
    for (const s of ["not_recommended", "rejected", "withdrawn"] as ApplicationStatus[]) {
      for (const role of ["org", "county", "city", "office", "admin"] as Role[]) {
        expect(allowedActions(app(s), role)).toEqual([]);
      }
    }
  });
});

describe("allowedActions", () => {
  it("lists what the county can do with a submitted application", () => {
    expect(allowedActions(app("county_review"), "county").sort()).toEqual(["decline", "recommend", "return"]);
  });
  it("lists the applicant's options on a returned application", () => {
    expect(allowedActions(app("returned", "city_review"), "org")).toEqual(["resubmit"]);
  });
});

describe("stageOf", () => {
  it("names the role that acts now", () => {
    expect(stageOf("county_review")).toBe("county");
    expect(stageOf("office_confirmation")).toBe("office");
    expect(stageOf("draft")).toBeNull();
  });
});

describe("a county-level call (第十九条)", () => {
  const county = (status: ApplicationStatus, returned_from: ApplicationStatus | null = null) => ({
    status,
    returned_from,
    level: "county" as const,
  });

  it("goes from the county's recommendation straight to the county's own confirmation", () => {
    expect(nextStatus(county("county_review"), "recommend", "county")).toBe("office_confirmation");
    expect(nextStatus(county("office_confirmation"), "confirm", "county")).toBe("proposed");
    expect(nextStatus(county("office_confirmation"), "reject", "county")).toBe("rejected");
    expect(nextStatus(county("office_confirmation"), "return", "county")).toBe("returned");
    expect(nextStatus(county("returned", "office_confirmation"), "resubmit", "org")).toBe(
      "office_confirmation",
    );
  });

  it("leaves the city and the city office no step in it", () => {
    for (const s of ["county_review", "city_review", "office_confirmation"] as ApplicationStatus[]) {
      expect(allowedActions(county(s), "city")).toEqual([]);
      expect(allowedActions(county(s), "office")).toEqual([]);
    }
    // And the county takes no city-office step on a city call.
    expect(allowedActions(app("office_confirmation"), "county")).toEqual([]);
  });

  it("names the county as the stage that acts, and lists the county's queue at both levels", () => {
    expect(stageOf("office_confirmation", "county")).toBe("county");
    expect(stageOf("city_review", "county")).toBeNull();
    expect(stagesOf("county")).toEqual([
      { level: "city", status: "county_review" },
      { level: "county", status: "county_review" },
      { level: "county", status: "office_confirmation" },
    ]);
    expect(stagesOf("office")).toEqual([{ level: "city", status: "office_confirmation" }]);
  });
});

describe("charCount", () => {
  it("counts Chinese characters and astral characters as one each", () => {
    expect(charCount("科普".repeat(500))).toBe(1000);
    expect(charCount("𠮷")).toBe(1);
  });
});
