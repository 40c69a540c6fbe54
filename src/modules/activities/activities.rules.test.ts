import { describe, expect, it } from "vitest";
import {
  ACTIVITY_FORM_LABELS,
  ACTIVITY_TYPE_LABELS,
  activityPhase,
  buildIcs,
  CAMPAIGN_KIND_LABELS,
  campaignIsOpen,
  canFileReport,
  checkActivityTimes,
  DIRECTION_LABELS,
  escapeIcsText,
  FEE_LABELS,
  foldIcsLine,
  icsDateTime,
  isoToShanghaiLocal,
  isReportOverdue,
  monthRange,
  participationRate,
  reportDueAt,
  shanghaiLocalToIso,
  shanghaiMonth,
} from "./activities.rules.ts";
import {
  announcementSchema,
  campaignSchema,
  isWebUrl,
  reportSchema,
  reviewReportSchema,
} from "./activities.schema.ts";

const sh = (local: string) => new Date(`${local}+08:00`);
const iso = (local: string) => sh(local).toISOString();
const octets = (s: string) => new TextEncoder().encode(s).length;

describe("the lists of 第九、十二条 and 附件3", () => {
  it("has exactly the nine activity types, in the seed's order", () => {
    expect(Object.values(ACTIVITY_TYPE_LABELS)).toEqual([
      "讲座",
      "培训",
      "竞赛",
      "表演",
      "游戏",
      "评奖",
      "展览",
      "科学体验（研学）",
      "其他",
    ]);
  });
  it("has the three forms, the three fees and 请进来/走出去", () => {
    expect(Object.values(ACTIVITY_FORM_LABELS)).toEqual(["线上", "线下", "线上+线下"]);
    expect(Object.values(FEE_LABELS)).toEqual(["免费", "优惠", "收费"]);
    expect(Object.values(DIRECTION_LABELS)).toEqual(["请进来", "走出去"]);
  });
  it("has the campaign kinds of 第九、十一条 plus 双减进校园 and a custom one", () => {
    expect(Object.values(CAMPAIGN_KIND_LABELS)).toEqual([
      "全国科普日",
      "科技活动周",
      "全国科技工作者日",
      "省市重大科普项目",
      "双减进校园",
      "其他动员活动",
    ]);
  });
});

describe("Shanghai wall-clock times", () => {
  it("turns a datetime-local value into the UTC instant and back", () => {
    expect(shanghaiLocalToIso("2024-05-18T09:30")).toBe("2024-05-18T01:30:00.000Z");
    expect(shanghaiLocalToIso("2024-05-18 09:30")).toBe("2024-05-18T01:30:00.000Z");
    expect(isoToShanghaiLocal("2024-05-18T01:30:00.000Z")).toBe("2024-05-18T09:30");
  });
  it("crosses midnight into the previous UTC day", () => {
    expect(shanghaiLocalToIso("2024-01-01T00:00")).toBe("2023-12-31T16:00:00.000Z");
  });
  it("refuses times that do not exist", () => {
    expect(shanghaiLocalToIso("2023-02-29T10:00")).toBeNull();
    expect(shanghaiLocalToIso("2024-13-01T10:00")).toBeNull();
    expect(shanghaiLocalToIso("2024-05-18T24:00")).toBeNull();
    expect(shanghaiLocalToIso("2024-05-18")).toBeNull();
    expect(shanghaiLocalToIso("明天上午")).toBeNull();
  });
  it("takes the month from the Shanghai date", () => {
    expect(shanghaiMonth("2024-05-31T16:30:00.000Z")).toBe("2024-06");
    expect(shanghaiMonth("2024-05-31T15:59:00.000Z")).toBe("2024-05");
  });
  it("gives a month's range in Shanghai", () => {
    expect(monthRange("2024-12")).toEqual({
      from: "2024-11-30T16:00:00.000Z",
      to: "2024-12-31T16:00:00.000Z",
    });
    expect(monthRange("2024-13")).toBeNull();
    expect(monthRange("2024-1")).toBeNull();
  });
});

describe("activity times", () => {
  it("requires the end after the start", () => {
    expect(checkActivityTimes(iso("2024-05-18T09:00"), iso("2024-05-18T11:00"))).toBeNull();
    expect(checkActivityTimes(iso("2024-05-18T09:00"), iso("2024-05-18T09:00"))).toBe(
      "结束时间须晚于开始时间",
    );
    expect(checkActivityTimes(iso("2024-05-18T09:00"), iso("2024-05-17T09:00"))).toBe(
      "结束时间须晚于开始时间",
    );
  });
  it("allows 90 days and not a minute more", () => {
    expect(checkActivityTimes(iso("2024-05-01T00:00"), iso("2024-07-30T00:00"))).toBeNull();
    expect(checkActivityTimes(iso("2024-05-01T00:00"), iso("2024-07-30T00:01"))).toContain("90天");
  });
  it("knows upcoming, ongoing and ended", () => {
    const s = iso("2024-05-18T09:00");
    const e = iso("2024-05-18T11:00");
    expect(activityPhase(s, e, sh("2024-05-18T08:59"))).toBe("upcoming");
    expect(activityPhase(s, e, sh("2024-05-18T09:00"))).toBe("ongoing");
    expect(activityPhase(s, e, sh("2024-05-18T11:00"))).toBe("ended");
  });
});

describe("the report (活动小结)", () => {
  const end = iso("2024-05-18T11:00");
  it("may be filed only once the activity has ended", () => {
    expect(canFileReport(end, sh("2024-05-18T10:59"))).toBe(false);
    expect(canFileReport(end, sh("2024-05-18T11:00"))).toBe(true);
    expect(canFileReport(end, sh("2024-06-18T11:00"))).toBe(true);
  });
  it("is due by the end of the 7th Shanghai day after the end date", () => {
    expect(reportDueAt(end)).toBe(iso("2024-05-26T00:00"));
    // Ending late in the evening Shanghai time (still the same UTC day) counts by the Shanghai date.
    expect(reportDueAt(iso("2024-05-18T23:30"))).toBe(iso("2024-05-26T00:00"));
    expect(reportDueAt(iso("2024-05-19T00:30"))).toBe(iso("2024-05-27T00:00"));
  });
  it("is overdue only when still missing after that", () => {
    const a = { ends_at: end, report_status: "none" as const };
    expect(isReportOverdue(a, sh("2024-05-25T23:59"))).toBe(false);
    expect(isReportOverdue(a, sh("2024-05-26T00:00"))).toBe(true);
    expect(isReportOverdue(a, sh("2024-05-26T11:00"))).toBe(true);
    expect(isReportOverdue({ ...a, report_status: "submitted" }, sh("2024-06-26T00:00"))).toBe(false);
    expect(isReportOverdue({ ...a, report_status: "accepted" }, sh("2024-06-26T00:00"))).toBe(false);
  });
});

describe("campaigns and participation", () => {
  it("is open until the end of its last day", () => {
    expect(campaignIsOpen({ ends_on: "2024-09-30" }, "2024-09-30")).toBe(true);
    expect(campaignIsOpen({ ends_on: "2024-09-30" }, "2024-10-01")).toBe(false);
  });
  it("computes a participation rate with one decimal", () => {
    expect(participationRate(1, 3)).toBe(33.3);
    expect(participationRate(2, 3)).toBe(66.7);
    expect(participationRate(5, 5)).toBe(100);
    expect(participationRate(0, 0)).toBe(0);
  });
});

describe("ICS text", () => {
  it("escapes backslash, semicolon, comma and newlines", () => {
    expect(escapeIcsText("a\\b;c,d\ne\r\nf")).toBe("a\\\\b\\;c\\,d\\ne\\nf");
    // No control characters reach a feed, even from rows stored before normalization.
    expect(escapeIcsText("a\u0000b\tc\u0007\u202ed\u0085")).toBe("ab cd");
  });
  it("folds lines at 75 octets without splitting a character", () => {
    const line = `SUMMARY:${"科普".repeat(60)}`;
    const folded = foldIcsLine(line);
    const parts = folded.split("\r\n");
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(octets(p)).toBeLessThanOrEqual(75);
    for (const p of parts.slice(1)) expect(p.startsWith(" ")).toBe(true);
    expect(parts.map((p, i) => (i ? p.slice(1) : p)).join("")).toBe(line);
    expect(folded).not.toContain("\uFFFD");
  });
  it("leaves a short line alone and folds ASCII at exactly 75", () => {
    expect(foldIcsLine("UID:abc")).toBe("UID:abc");
    const ascii = "X".repeat(160);
    const parts = foldIcsLine(ascii).split("\r\n");
    expect(parts[0].length).toBe(75);
    expect(parts[1].length).toBe(75);
    expect(parts.map((p, i) => (i ? p.slice(1) : p)).join("")).toBe(ascii);
  });
  it("writes UTC date-times", () => {
    expect(icsDateTime("2024-05-18T01:30:00.000Z")).toBe("20240518T013000Z");
  });
  it("builds a calendar with CRLF line ends", () => {
    const body = buildIcs("测试, 日历", [
      {
        uid: "1@kepu",
        startsAt: "2024-05-18T01:30:00.000Z",
        endsAt: "2024-05-18T03:30:00.000Z",
        summary: "【讲座】天文; 入门",
        location: "衢州市科技馆",
        description: "第一行\n第二行",
        url: "https://kepu.example.cn/activities/1",
        updatedAt: "2024-05-01T00:00:00.000Z",
      },
    ]);
    expect(body.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(body.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(body.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    expect(body).toContain("X-WR-CALNAME:测试\\, 日历");
    expect(body).toContain("DTSTART:20240518T013000Z");
    expect(body).toContain("SUMMARY:【讲座】天文\\; 入门");
    expect(body).toContain("DESCRIPTION:第一行\\n第二行");
  });
});

describe("forms", () => {
  const valid = {
    name: "天文科普讲座",
    type: "lecture",
    form: "offline",
    startsAt: "2024-05-18T09:00",
    endsAt: "2024-05-18T11:00",
    place: "衢州市科技馆报告厅",
    link: "",
    audience: "中小学生",
    expectedParticipants: "120",
    fee: "free",
    direction: "in",
    campaignIds: "a,b,a",
    contactName: "林老师",
    contactPhone: "13905701234",
    description: "介绍太阳系。",
  };
  it("accepts a complete announcement and converts its times", () => {
    const r = announcementSchema.parse(valid);
    expect(r.startsAt).toBe("2024-05-18T01:00:00.000Z");
    expect(r.expectedParticipants).toBe(120);
    expect(r.campaignIds).toEqual(["a", "b"]);
  });
  it("refuses an end before the start, in Chinese", () => {
    const r = announcementSchema.safeParse({ ...valid, endsAt: "2024-05-18T08:00" });
    expect(r.success).toBe(false);
    expect(r.error?.issues.find((i) => i.path[0] === "endsAt")?.message).toBe("结束时间须晚于开始时间");
  });
  it("needs a place offline and a valid link online", () => {
    const offline = announcementSchema.safeParse({ ...valid, place: "" });
    expect(offline.error?.issues[0].message).toBe("线下活动请填写活动地点");
    const online = announcementSchema.safeParse({ ...valid, form: "online", place: "", link: "" });
    expect(online.error?.issues[0].message).toBe("线上活动请填写参与链接");
    const bad = announcementSchema.safeParse({ ...valid, form: "both", link: "javascript:alert(1)" });
    expect(bad.error?.issues[0].message).toContain("http");
    expect(
      announcementSchema.safeParse({ ...valid, form: "both", link: "https://live.example.cn/1" }).success,
    ).toBe(true);
  });
  it("refuses an unknown type, fee or direction", () => {
    expect(announcementSchema.safeParse({ ...valid, type: "party" }).error?.issues[0].message).toBe(
      "请选择活动类型",
    );
    expect(announcementSchema.safeParse({ ...valid, fee: "" }).error?.issues[0].message).toBe(
      "请选择收费方式",
    );
    expect(announcementSchema.safeParse({ ...valid, direction: "x" }).error?.issues[0].message).toBe(
      "请选择服务方式",
    );
  });
  it("validates URLs strictly", () => {
    expect(isWebUrl("https://news.example.cn/a?b=1")).toBe(true);
    expect(isWebUrl("http://example.cn")).toBe(true);
    expect(isWebUrl("ftp://example.cn")).toBe(false);
    expect(isWebUrl("example.cn")).toBe(false);
    expect(isWebUrl("https://exa mple.cn")).toBe(false);
  });
  it("reads report links one per line and refuses a bad one", () => {
    const ok = reportSchema.parse({
      links: "https://a.example.cn/1\r\n\n https://b.example.cn/2 ",
      actualParticipants: "86",
      summary: "活动顺利举行。",
      version: "3",
    });
    expect(ok.links).toEqual(["https://a.example.cn/1", "https://b.example.cn/2"]);
    expect(ok.actualParticipants).toBe(86);
    const bad = reportSchema.safeParse({
      links: "见公众号",
      actualParticipants: "1",
      summary: "x",
      version: "1",
    });
    expect(bad.error?.issues[0].message).toContain("不是有效网址");
    const n = reportSchema.safeParse({ links: "", actualParticipants: "-1", summary: "x", version: "1" });
    expect(n.error?.issues[0].message).toContain("活动参与人数");
    const none = reportSchema.safeParse({ links: "", actualParticipants: "5", summary: " ", version: "1" });
    expect(none.error?.issues[0].message).toBe("请填写活动情况简介");
  });
  it("needs a reason to return a report", () => {
    expect(reviewReportSchema.safeParse({ decision: "return", reason: "", version: "2" }).success).toBe(
      false,
    );
    expect(reviewReportSchema.safeParse({ decision: "accept", reason: "", version: "2" }).success).toBe(true);
  });
  it("keeps a campaign's end on or after its start", () => {
    const c = {
      kind: "science_day",
      title: "2024年全国科普日",
      startsOn: "2024-09-15",
      endsOn: "2024-09-14",
      description: "说明",
    };
    expect(campaignSchema.safeParse(c).error?.issues[0].message).toBe("结束日期不能早于开始日期");
    expect(campaignSchema.safeParse({ ...c, endsOn: "2024-09-15" }).success).toBe(true);
    expect(campaignSchema.safeParse({ ...c, kind: "birthday" }).success).toBe(false);
  });
});
