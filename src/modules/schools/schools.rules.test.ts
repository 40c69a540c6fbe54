import { describe, expect, it } from "vitest";
import {
  answerDueAt,
  averageRating,
  dateProblem,
  fromMask,
  GRADES,
  isLateCancellation,
  isSchoolUscc,
  mayTake,
  median,
  orderCursorText,
  parseOrderCursor,
  sessionsNeeded,
  toMask,
  WEEKDAYS,
  weekdayIndex,
  weekOf,
} from "./schools.rules.ts";

describe("masks", () => {
  it("round-trips a choice through its bit mask, in the list's order", () => {
    const mask = toMask(GRADES, ["高中", "小学低段"]);
    expect(mask).toBe(0b10001);
    expect(fromMask(GRADES, mask)).toEqual(["小学低段", "高中"]);
    expect(toMask(GRADES, [])).toBe(0);
  });
});

describe("weeks and dates", () => {
  it("counts weeks from Monday", () => {
    expect(weekdayIndex("2026-03-02")).toBe(0); // Monday
    expect(weekdayIndex("2026-03-08")).toBe(6); // Sunday
    expect(weekOf("2026-03-08")).toBe("2026-03-02");
    expect(weekOf("2026-03-02")).toBe("2026-03-02");
    expect(weekOf("2026-01-01")).toBe("2025-12-29");
  });

  const item = {
    available_from: "2026-03-01",
    available_to: "2026-06-30",
    weekday_mask: toMask(WEEKDAYS, ["周二", "周四"]),
  };
  it("accepts a date inside the range on an offered weekday", () => {
    expect(dateProblem(item, "2026-03-10", "2026-03-02")).toBeNull();
  });
  it("says why a date does not fit", () => {
    expect(dateProblem(item, "2026-03-02", "2026-03-02")).toBe("请选择明天及以后的日期");
    expect(dateProblem(item, "2026-07-02", "2026-03-02")).toBe(
      "该项目的可预约日期为 2026-03-01 至 2026-06-30",
    );
    expect(dateProblem(item, "2026-03-09", "2026-03-02")).toBe("该项目只在周二、周四开展");
    expect(dateProblem(item, "2026-02-30", "2026-03-02")).not.toBeNull();
  });
});

describe("sessions", () => {
  it("needs one session per students-per-session started", () => {
    expect(sessionsNeeded(40, 50)).toBe(1);
    expect(sessionsNeeded(50, 50)).toBe(1);
    expect(sessionsNeeded(51, 50)).toBe(2);
    expect(sessionsNeeded(1, 0)).toBe(1);
  });
});

describe("the answer deadline", () => {
  it("ends with the 3rd working day after the order day (Beijing)", () => {
    // Monday 10:00 → Tue, Wed, Thu: due at the end of Thursday.
    expect(answerDueAt("2026-03-02T02:00:00.000Z")).toBe("2026-03-05T16:00:00.000Z");
    // Friday → Mon, Tue, Wed.
    expect(answerDueAt("2026-03-06T02:00:00.000Z")).toBe("2026-03-11T16:00:00.000Z");
  });
  it("skips official holidays: an order before 劳动节 waits for the working days after it", () => {
    // 2026-04-30 (Thu): 5/1–5/5 are holidays, 5/9 (Sat) is a 调休 working day.
    const due = answerDueAt("2026-04-30T02:00:00.000Z");
    expect(due > "2026-05-06T00:00:00.000Z").toBe(true);
  });
  it("honours the days an admin entered", () => {
    expect(answerDueAt("2026-03-02T02:00:00.000Z", { holidays: ["2026-03-04"], workdays: [] })).toBe(
      "2026-03-06T16:00:00.000Z",
    );
  });
  it("uses the Beijing day of the order: 23:30 Beijing on Monday is still Monday", () => {
    expect(answerDueAt("2026-03-02T15:30:00.000Z")).toBe("2026-03-05T16:00:00.000Z");
  });
});

describe("late cancellation", () => {
  it("is late from the day before the date", () => {
    expect(isLateCancellation("2026-03-10", "2026-03-08")).toBe(false);
    expect(isLateCancellation("2026-03-10", "2026-03-09")).toBe(true);
    expect(isLateCancellation("2026-03-10", "2026-03-10")).toBe(true);
    expect(isLateCancellation(null, "2026-03-10")).toBe(false);
  });
});

describe("who may take which step", () => {
  it("lets the base answer a new order, and the school only its own steps", () => {
    expect(mayTake("accept", "ordered", "base")).toBe(true);
    expect(mayTake("accept", "ordered", "school")).toBe(false);
    expect(mayTake("accept", "dispatch", "base")).toBe(false);
    expect(mayTake("confirm_proposal", "proposed", "school")).toBe(true);
    expect(mayTake("confirm_proposal", "proposed", "base")).toBe(false);
  });
  it("lets both sides cancel an open order, never a finished one", () => {
    expect(mayTake("cancel", "accepted", "school")).toBe(true);
    expect(mayTake("cancel", "accepted", "base")).toBe(true);
    expect(mayTake("cancel", "delivered", "school")).toBe(false);
    expect(mayTake("cancel", "ordered", "county")).toBe(false);
  });
  it("leaves 派单 to the county and only from the queue", () => {
    expect(mayTake("reassign", "dispatch", "county")).toBe(true);
    expect(mayTake("close", "ordered", "county")).toBe(false);
    expect(mayTake("dispatch", "ordered", "job")).toBe(true);
  });
  it("rates only a delivered order", () => {
    expect(mayTake("rate", "delivered", "school")).toBe(true);
    expect(mayTake("rate", "not_held", "school")).toBe(false);
  });
});

describe("figures", () => {
  it("averages the three scores of every rating to one decimal", () => {
    expect(averageRating(0, 0)).toBeNull();
    expect(averageRating(15, 1)).toBe(5);
    expect(averageRating(14 + 12, 2)).toBe(4.3);
  });
  it("takes the median", () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it("knows a school's USCC by its 12", () => {
    expect(isSchoolUscc("12330800MB0000000X")).toBe(true);
    expect(isSchoolUscc("91330800MA0000000X")).toBe(false);
  });
});

describe("order list cursors", () => {
  const c = { createdAt: "2026-03-02T08:00:00.123Z", id: "01a24ee6-a07b-740c-8bbb-ff53cc8b425d" };
  it("round-trips the last order's time and id", () => {
    expect(parseOrderCursor(orderCursorText(c))).toEqual(c);
  });
  it("ignores anything else, so the list starts at the newest", () => {
    for (const bad of [
      null,
      "",
      "x",
      "2026-03-02_01a24ee6",
      `${c.createdAt}_not-an-id`,
      `${c.createdAt};drop`,
    ])
      expect(parseOrderCursor(bad)).toBeNull();
  });
});
