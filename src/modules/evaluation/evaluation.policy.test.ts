import { describe, expect, it } from "vitest";
import { canScore, canSeeEntry, canSeeOthersScores, type EntryViewer } from "./evaluation.policy.ts";

const longyou = { baseId: "b1", regionCode: "330825", categoryCode: "science_venue", uscc: "USCC-A" };
const jiangshan = { baseId: "b2", regionCode: "330881", categoryCode: "education", uscc: "USCC-B" };

describe("who sees an entry", () => {
  it("county staff: their county only; city-level staff: the whole scope", () => {
    const county: EntryViewer = { kind: "staff", scope: ["330825"] };
    expect(canSeeEntry(county, longyou)).toBe(true);
    expect(canSeeEntry(county, jiangshan)).toBe(false);
    const city: EntryViewer = { kind: "staff", scope: ["330800", "330825", "330881"] };
    expect(canSeeEntry(city, jiangshan)).toBe(true);
  });
  it("an evaluator by county sees the bases of its counties only", () => {
    const e: EntryViewer = {
      kind: "evaluator",
      assignment: { scopeKind: "county", scopeValues: ["330825"], unitUscc: "" },
    };
    expect(canSeeEntry(e, longyou)).toBe(true);
    expect(canSeeEntry(e, jiangshan)).toBe(false);
  });
  it("an evaluator by category sees the bases of its categories in any county", () => {
    const e: EntryViewer = {
      kind: "evaluator",
      assignment: { scopeKind: "category", scopeValues: ["education"], unitUscc: "" },
    };
    expect(canSeeEntry(e, longyou)).toBe(false);
    expect(canSeeEntry(e, jiangshan)).toBe(true);
  });
  it("an evaluator never sees a base of its own organization, even in its county", () => {
    const e: EntryViewer = {
      kind: "evaluator",
      assignment: { scopeKind: "county", scopeValues: ["330825", "330881"], unitUscc: "USCC-A" },
    };
    expect(canSeeEntry(e, longyou)).toBe(false);
    expect(canSeeEntry(e, jiangshan)).toBe(true);
  });
  it("an organization sees its own base only; anyone else nothing", () => {
    expect(canSeeEntry({ kind: "owner", baseIds: ["b1"] }, longyou)).toBe(true);
    expect(canSeeEntry({ kind: "owner", baseIds: ["b1"] }, jiangshan)).toBe(false);
    expect(canSeeEntry({ kind: "none" }, longyou)).toBe(false);
  });
});

describe("scoring", () => {
  const e: EntryViewer = {
    kind: "evaluator",
    assignment: { scopeKind: "county", scopeValues: ["330825"], unitUscc: "" },
  };
  it("only an assigned evaluator, only while scoring, only until it finished", () => {
    expect(canScore(e, longyou, "scoring", false)).toBe(true);
    expect(canScore(e, longyou, "scoring", true)).toBe(false);
    expect(canScore(e, longyou, "county_review", false)).toBe(false);
    expect(canScore(e, jiangshan, "scoring", false)).toBe(false);
    expect(canScore({ kind: "staff", scope: ["330825"] }, longyou, "scoring", false)).toBe(false);
    expect(canScore({ kind: "owner", baseIds: ["b1"] }, longyou, "scoring", false)).toBe(false);
  });
  it("others' scores are hidden from an evaluator until all submitted; staff see them", () => {
    expect(canSeeOthersScores(e, false)).toBe(false);
    expect(canSeeOthersScores(e, true)).toBe(true);
    expect(canSeeOthersScores({ kind: "staff", scope: [] }, false)).toBe(true);
    expect(canSeeOthersScores({ kind: "owner", baseIds: [] }, true)).toBe(false);
  });
});
