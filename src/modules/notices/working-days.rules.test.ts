import { describe, expect, it } from "vitest";
import {
  calendarWarning,
  isWorkingDay,
  lastWorkingDay,
  noticeEndsAt,
  packageCoversYear,
  uncoveredYears,
} from "./working-days.rules.ts";

describe("working days (official 2023 calendar)", () => {
  it("knows the 2023 National Day holidays and their 调休 weekend days", () => {
    // 中秋节、国庆节: 9月29日至10月6日放假，10月7日（周六）、10月8日（周日）上班。
    for (const d of ["2023-09-29", "2023-09-30", "2023-10-01", "2023-10-04", "2023-10-06"])
      expect(isWorkingDay(d), d).toBe(false);
    expect(isWorkingDay("2023-10-07")).toBe(true);
    expect(isWorkingDay("2023-10-08")).toBe(true);
    expect(isWorkingDay("2023-09-28")).toBe(true);
    expect(isWorkingDay("2023-09-23")).toBe(false); // an ordinary Saturday
  });

  it("a notice starting Friday 2023-09-29 with 5 working days ends at the end of 2023-10-11", () => {
    // Working days: 10-07 (Sat, 调休), 10-08 (Sun, 调休), 10-09, 10-10, 10-11.
    expect(noticeEndsAt("2023-09-29", 5)).toEqual({
      lastDay: "2023-10-11",
      endsAt: "2023-10-11T16:00:00.000Z",
    });
  });

  it("counts the start day when it is a working day", () => {
    expect(lastWorkingDay("2023-09-25", 1)).toBe("2023-09-25");
    // Mon 09-25 … Thu 09-28 are 4 working days; the 5th is Sat 10-07.
    expect(lastWorkingDay("2023-09-25", 5)).toBe("2023-10-07");
    // An ordinary week: Mon–Fri.
    expect(lastWorkingDay("2023-11-06", 5)).toBe("2023-11-10");
    // Starting on a Saturday: Mon–Fri of the next week.
    expect(lastWorkingDay("2023-11-11", 5)).toBe("2023-11-17");
    expect(noticeEndsAt("2023-11-06", 7).lastDay).toBe("2023-11-14");
  });

  it("crosses the Spring Festival of 2023", () => {
    // 1月21日至27日放假，1月28日（周六）、29日（周日）上班。
    expect(lastWorkingDay("2023-01-19", 3)).toBe("2023-01-28");
  });

  it("refuses nonsense", () => {
    expect(() => lastWorkingDay("2023-9-1", 5)).toThrow();
    expect(() => lastWorkingDay("2023-09-01", 0)).toThrow();
  });
});

describe("a year the package does not cover", () => {
  it("knows which years chinese-days covers", () => {
    expect(packageCoversYear(2026)).toBe(true);
    expect(packageCoversYear(2099)).toBe(false);
  });

  it("warns for a period reaching an uncovered year, until an admin enters it", () => {
    // chinese-days 1.5.7 ends with 2026: a notice from 2026-12-28 reaches 2027.
    expect(uncoveredYears("2026-12-28", "2027-01-05")).toEqual([2027]);
    expect(uncoveredYears("2026-12-01", "2026-12-20")).toEqual([]);
    expect(uncoveredYears("2099-01-01", "2099-01-10")).toEqual([2099]);
    expect(uncoveredYears("2099-01-01", "2099-01-10", { holidays: ["2099-01-01"], workdays: [] })).toEqual(
      [],
    );
    expect(calendarWarning([2099])).toContain("不含2099年");
    expect(calendarWarning([])).toBeNull();
  });

  it("merges the admin's 放假 and 调休 days with the package's calendar", () => {
    const extra = { holidays: ["2099-01-01", "2099-01-02"], workdays: ["2099-01-04"] };
    // 2099-01-01 is a Thursday, 01-04 a Sunday.
    expect(isWorkingDay("2099-01-01")).toBe(true);
    expect(isWorkingDay("2099-01-01", extra)).toBe(false);
    expect(isWorkingDay("2099-01-04")).toBe(false);
    expect(isWorkingDay("2099-01-04", extra)).toBe(true);
    // From Thu 01-01: without the entries 01-01, 01-02, 01-05 are the first three working days;
    // with them 01-04 (调休), 01-05, 01-06.
    expect(lastWorkingDay("2099-01-01", 3)).toBe("2099-01-05");
    expect(lastWorkingDay("2099-01-01", 3, extra)).toBe("2099-01-06");
    expect(noticeEndsAt("2099-01-01", 3, extra).endsAt).toBe("2099-01-06T16:00:00.000Z");
    // A covered year is unchanged without entries.
    expect(isWorkingDay("2026-10-01", { holidays: [], workdays: [] })).toBe(false);
  });
});
