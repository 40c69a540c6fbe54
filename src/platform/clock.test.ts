import { describe, expect, it } from "vitest";
import { formatShanghai } from "./clock.ts";

describe("formatShanghai", () => {
  it("shows instants in UTC+8, across the day boundary", () => {
    expect(formatShanghai("2023-02-28T15:59:59.000Z")).toBe("2023-02-28 23:59:59");
    expect(formatShanghai("2023-02-28T16:00:00.000Z")).toBe("2023-03-01 00:00:00");
    expect(formatShanghai(new Date("2026-12-31T16:00:00Z"))).toBe("2027-01-01 00:00:00");
  });

  it("agrees with the time zone database for a year of instants", () => {
    const intl = new Intl.DateTimeFormat("sv-SE", {
      timeZone: "Asia/Shanghai",
      dateStyle: "short",
      timeStyle: "medium",
    });
    for (let t = Date.UTC(2023, 0, 1); t < Date.UTC(2024, 0, 1); t += 7 * 3600_000 + 13_000)
      expect(formatShanghai(new Date(t))).toBe(intl.format(new Date(t)));
  });

  it("uses the zone database for 1986–1991, when China kept summer time", () => {
    expect(formatShanghai("1988-07-01T00:00:00Z")).toBe("1988-07-01 09:00:00");
  });

  it("shows nothing for a missing or invalid instant", () => {
    expect(formatShanghai(null)).toBe("");
    expect(formatShanghai("not a date")).toBe("");
  });
});
