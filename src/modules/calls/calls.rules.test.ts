import { describe, expect, it } from "vitest";
import { callState, endOfShanghaiDay } from "./calls.rules.ts";

// The 8th batch: open from the notice until the end of 2023-02-28 in Asia/Shanghai.
const eighth = { opens_at: "2023-01-10T00:00:00+08:00", closes_at: endOfShanghaiDay("2023-02-28") };

describe("callState", () => {
  it("is upcoming before it opens", () => {
    expect(callState(eighth, new Date("2023-01-09T23:59:59+08:00"))).toBe("upcoming");
  });
  it("is open from the opening instant", () => {
    expect(callState(eighth, new Date("2023-01-10T00:00:00+08:00"))).toBe("open");
  });
  it("is open at 2023-02-28 23:59:59 Shanghai time", () => {
    expect(callState(eighth, new Date("2023-02-28T23:59:59+08:00"))).toBe("open");
  });
  it("is closed at 2023-03-01 00:00:00 Shanghai time", () => {
    expect(callState(eighth, new Date("2023-03-01T00:00:00+08:00"))).toBe("closed");
  });
});

describe("endOfShanghaiDay", () => {
  it("ends a Shanghai day at 16:00 UTC", () => {
    expect(endOfShanghaiDay("2023-02-28")).toBe("2023-02-28T16:00:00.000Z");
  });
  it("rejects what is not a date", () => {
    expect(() => endOfShanghaiDay("2023/02/28")).toThrow();
  });
});
