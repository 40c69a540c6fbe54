import { describe, expect, it } from "vitest";
import {
  callState,
  deadlineDay,
  defaultIssuers,
  endOfShanghaiDay,
  formatDeadline,
  normalizeDocumentNo,
  parseIssuers,
} from "./calls.rules.ts";

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

describe("deadlines as whole days", () => {
  it("shows the stored exclusive end as 24:00 of the day typed, not the next day's 00:00", () => {
    expect(formatDeadline(endOfShanghaiDay("2023-02-28"))).toBe("截止 2023年2月28日 24:00（北京时间）");
    expect(formatDeadline(endOfShanghaiDay("2026-12-20"))).toBe("截止 2026年12月20日 24:00（北京时间）");
    expect(formatDeadline(endOfShanghaiDay("2026-12-31"))).toBe("截止 2026年12月31日 24:00（北京时间）");
  });
  it("round-trips the day for the date field", () => {
    expect(deadlineDay(endOfShanghaiDay("2023-02-28"))).toBe("2023-02-28");
    expect(deadlineDay(endOfShanghaiDay("2024-02-29"))).toBe("2024-02-29");
  });
  it("keeps an older deadline set at another moment valid, naming its own time", () => {
    expect(formatDeadline("2023-02-28T09:30:00Z")).toBe("截止 2023年2月28日 17:30（北京时间）");
    expect(deadlineDay("2023-02-28T09:30:00Z")).toBe("2023-02-28");
    expect(formatDeadline(null)).toBe("");
  });
});

describe("issuers and 文号", () => {
  it("names the four bodies of 第三条 for a city call, and the county 科协 for a county call", () => {
    expect(defaultIssuers("city", "衢州市")).toEqual([
      "中共衢州市委宣传部",
      "衢州市科学技术协会",
      "衢州市教育局",
      "衢州市科学技术局",
    ]);
    expect(defaultIssuers("county", "龙游县")).toEqual(["龙游县科学技术协会"]);
  });

  it("reads issuers one a line or in a list, trimmed, without blanks or repeats", () => {
    expect(parseIssuers(" 衢州市科学技术协会 \n\n衢州市教育局\r\n衢州市科学技术协会")).toEqual([
      "衢州市科学技术协会",
      "衢州市教育局",
    ]);
    expect(
      parseIssuers("中共衢州市委宣传部、衢州市科学技术协会，衢州市教育局;衢州市科学技术局"),
    ).toHaveLength(4);
    expect(parseIssuers("  \n ")).toEqual([]);
  });

  it("writes the 文号's year in 〔〕", () => {
    expect(normalizeDocumentNo(" 衢科协[2023]12号 ")).toBe("衢科协〔2023〕12号");
    expect(normalizeDocumentNo("衢科协（2023）12号")).toBe("衢科协〔2023〕12号");
    expect(normalizeDocumentNo("衢科协【2023】 12号")).toBe("衢科协〔2023〕12号");
    expect(normalizeDocumentNo("衢市科协〔2023〕5号")).toBe("衢市科协〔2023〕5号");
    expect(normalizeDocumentNo("")).toBe("");
  });
});
