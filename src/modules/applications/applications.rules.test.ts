import { describe, expect, it } from "vitest";
import type { ApplicationStatus, Role } from "#src/platform/db/schema.ts";
import { allowedActions, charCount, nextStatus, type ReviewAction, stageOf } from "./applications.rules.ts";

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

describe("charCount", () => {
  it("counts Chinese characters and astral characters as one each", () => {
    expect(charCount("科普".repeat(500))).toBe(1000);
    expect(charCount("𠮷")).toBe(1);
  });
});
