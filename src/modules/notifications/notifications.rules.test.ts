import { describe, expect, it } from "vitest";
import {
  afterFailedAttempt,
  deadlineText,
  nextReminderRun,
  parseRemindersOff,
  reminderKindsFor,
  waitingReminderDueAt,
} from "./notifications.rules.ts";

describe("outbox back-off", () => {
  const now = new Date("2025-06-02T00:00:00Z");
  const wait = (attempts: number) => {
    const r = afterFailedAttempt(attempts, now);
    return r.status === "pending" ? new Date(r.nextAttemptAt).getTime() - now.getTime() : r.status;
  };
  it("waits 1 min, 5 min, 30 min, 2 h after the first four failures", () => {
    expect([1, 2, 3, 4].map(wait)).toEqual([60_000, 300_000, 1_800_000, 7_200_000]);
  });
  it("gives up after the fifth", () => {
    expect(wait(5)).toBe("failed");
    expect(wait(6)).toBe("failed");
  });
});

describe("reminder preferences", () => {
  it("offers orgs the deadline reminders and county staff the waiting one", () => {
    expect(reminderKindsFor("org")).toEqual(["call_closing", "return_deadline"]);
    expect(reminderKindsFor("county")).toEqual(["county_waiting"]);
    expect(reminderKindsFor("office")).toEqual([]);
  });
  it("reads only known kinds from the stored JSON", () => {
    expect(parseRemindersOff('["call_closing","nonsense"]')).toEqual(["call_closing"]);
    expect(parseRemindersOff("{")).toEqual([]);
    expect(parseRemindersOff(null)).toEqual([]);
  });
});

describe("waiting more than 5 working days", () => {
  it("is due at the end of the 5th working day after the day of arrival", () => {
    // Monday 2025-06-09 10:00 Shanghai → Tue–Fri and Monday 06-16 are 5 working days.
    expect(waitingReminderDueAt("2025-06-09T02:00:00Z")).toBe("2025-06-16T16:00:00.000Z");
  });
  it("skips the official holidays and counts 调休 working weekends", () => {
    // Arrived Monday 2025-09-29; 10-01..10-08 are 国庆/中秋 holidays, Sat 09-28 and Sat 10-11 are working days.
    // Working days after arrival: 09-30, 10-09, 10-10, 10-11, 10-13.
    expect(waitingReminderDueAt("2025-09-29T02:00:00Z")).toBe("2025-10-13T16:00:00.000Z");
  });
  it("takes the Shanghai date of a late-evening arrival", () => {
    // 2025-06-08T17:00Z is Monday 06-09 01:00 in Shanghai.
    expect(waitingReminderDueAt("2025-06-08T17:00:00Z")).toBe("2025-06-16T16:00:00.000Z");
  });
});

describe("daily run", () => {
  it("is the next 09:00 in Shanghai", () => {
    expect(nextReminderRun(new Date("2025-06-02T00:30:00Z"))).toBe("2025-06-02T01:00:00.000Z");
    expect(nextReminderRun(new Date("2025-06-02T01:00:00Z"))).toBe("2025-06-03T01:00:00.000Z");
  });
});

describe("deadlineText", () => {
  it("says the end of a day as 24:00 of that day", () => {
    expect(deadlineText("2023-02-28T16:00:00.000Z")).toBe("2023-02-28 24:00");
  });
  it("shows other instants in Shanghai time to the minute", () => {
    expect(deadlineText("2023-02-28T09:30:00.000Z")).toBe("2023-02-28 17:30");
  });
});
