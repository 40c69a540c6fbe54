import { describe, expect, it } from "vitest";
import {
  addMonths,
  BASE_STATUS_LABELS,
  baseSearchText,
  CHANGE_FIELD_COLUMNS,
  CHANGE_FIELD_LABELS,
  CHANGE_FIELDS,
  CHANGE_KIND_LABELS,
  changeReportDeadline,
  formatCertificateNo,
  isIsoDate,
  isLateChange,
  isTeamChangeField,
  keywordPattern,
  MAJOR_CHANGE_KINDS,
  maskPhone,
  REVOCATION_REASONS,
  revocationReasonLabel,
  shanghaiDate,
} from "./bases.rules.ts";

/** An instant at a Shanghai wall-clock time. */
const sh = (local: string) => new Date(`${local}+08:00`);

describe("第十八条 revocation reasons", () => {
  it("are exactly five, coded 1 to 5, in the seed's wording", () => {
    expect(REVOCATION_REASONS.map((r) => r.code)).toEqual([1, 2, 3, 4, 5]);
    expect(REVOCATION_REASONS[0].label).toContain("严重违纪违法");
    expect(REVOCATION_REASONS[1].label).toContain("邪教");
    expect(REVOCATION_REASONS[1].label).toContain("伪科学");
    expect(REVOCATION_REASONS[2].label).toContain("三个月内");
    expect(REVOCATION_REASONS[2].label).toContain("分立、合并、重组");
    expect(REVOCATION_REASONS[3].label).toContain("业务指导");
    expect(REVOCATION_REASONS[4].label).toBe("已不具备科普基地条件的");
  });
  it("labels a code and nothing else", () => {
    expect(revocationReasonLabel(5)).toBe("已不具备科普基地条件的");
    expect(revocationReasonLabel(0)).toBe("");
    expect(revocationReasonLabel(6)).toBe("");
    expect(revocationReasonLabel(null)).toBe("");
  });
});

describe("team change fields", () => {
  it("go to the team, not to a bases column", () => {
    expect(CHANGE_FIELDS.volunteer_team).toEqual(["teamName", "teamStvsOrgNo"]);
    expect(CHANGE_FIELDS.rename).toContain("teamName");
    for (const fields of Object.values(CHANGE_FIELDS)) {
      for (const f of fields) {
        expect(isTeamChangeField(f) !== f in CHANGE_FIELD_COLUMNS).toBe(true);
        expect(CHANGE_FIELD_LABELS[f]).toMatch(/^新/);
      }
    }
    expect(isTeamChangeField("name")).toBe(false);
    expect(isTeamChangeField("__proto__")).toBe(false);
  });
});

describe("labels", () => {
  it("names every change kind", () => {
    expect(CHANGE_KIND_LABELS).toEqual({
      rename: "更名",
      reorganization: "改制/重组",
      split: "分立",
      merger: "合并",
      contact: "联系方式变更",
      volunteer_team: "科技志愿服务队变更",
    });
    expect([...MAJOR_CHANGE_KINDS].sort()).toEqual(["merger", "reorganization", "split"]);
  });
  it("names every status", () => {
    expect(BASE_STATUS_LABELS).toEqual({ active: "正常", warning: "警示", revoked: "已撤销" });
  });
});

describe("dates", () => {
  it("accepts only real calendar dates", () => {
    expect(isIsoDate("2024-02-29")).toBe(true);
    expect(isIsoDate("2023-02-29")).toBe(false);
    expect(isIsoDate("2023-04-31")).toBe(false);
    expect(isIsoDate("2023-13-01")).toBe(false);
    expect(isIsoDate("2023-00-10")).toBe(false);
    expect(isIsoDate("2023-1-1")).toBe(false);
    expect(isIsoDate("")).toBe(false);
  });
  it("adds calendar months, clamping to the month's last day", () => {
    expect(addMonths("2023-11-30", 3)).toBe("2024-02-29");
    expect(addMonths("2022-11-30", 3)).toBe("2023-02-28");
    expect(addMonths("2023-01-31", 3)).toBe("2023-04-30");
    expect(addMonths("2023-10-15", 3)).toBe("2024-01-15");
    expect(addMonths("2023-12-31", 2)).toBe("2024-02-29");
    expect(addMonths("2023-03-31", -1)).toBe("2023-02-28");
  });
  it("takes the Shanghai date of an instant", () => {
    expect(shanghaiDate(new Date("2024-02-29T15:59:59Z"))).toBe("2024-02-29");
    expect(shanghaiDate(new Date("2024-02-29T16:00:00Z"))).toBe("2024-03-01");
  });
});

describe("isLateChange (三个月内)", () => {
  it("allows the whole last day and not one day more (2023-11-30 → 2024-02-29)", () => {
    expect(changeReportDeadline("2023-11-30")).toBe("2024-02-29");
    expect(isLateChange("2023-11-30", sh("2024-02-29T23:59:59"))).toBe(false);
    expect(isLateChange("2023-11-30", sh("2024-03-01T00:00:00"))).toBe(true);
  });
  it("counts in Shanghai: 23:30 UTC on the deadline is already the next day there", () => {
    expect(isLateChange("2023-11-30", new Date("2024-02-29T15:59:59Z"))).toBe(false);
    expect(isLateChange("2023-11-30", new Date("2024-02-29T16:00:00Z"))).toBe(true);
  });
  it("handles a non-leap February", () => {
    expect(isLateChange("2022-11-30", sh("2023-02-28T12:00:00"))).toBe(false);
    expect(isLateChange("2022-11-30", sh("2023-03-01T08:00:00"))).toBe(true);
  });
  it("handles ordinary days and a year boundary", () => {
    expect(isLateChange("2023-10-15", sh("2024-01-15T18:00:00"))).toBe(false);
    expect(isLateChange("2023-10-15", sh("2024-01-16T09:00:00"))).toBe(true);
    expect(isLateChange("2023-05-01", sh("2023-05-01T09:00:00"))).toBe(false);
  });
  it("is never late when filed before the change", () => {
    expect(isLateChange("2024-06-01", sh("2024-01-01T09:00:00"))).toBe(false);
  });
});

describe("maskPhone", () => {
  it("masks a mobile as 138****5678", () => {
    expect(maskPhone("13812345678")).toBe("138****5678");
    expect(maskPhone("+86 138 1234 5678")).toBe("138****5678");
  });
  it("keeps a landline's area code and masks the middle", () => {
    expect(maskPhone("0570-3027351")).toBe("0570-***7351");
    expect(maskPhone("05703027351")).toBe("0570-***7351");
    expect(maskPhone("010-87654321")).toBe("010-****4321");
    expect(maskPhone("0570-3027351-8001")).toBe("0570-***7351");
  });
  it("masks a local number without area code and anything odd", () => {
    expect(maskPhone("3027351")).toBe("***7351");
    expect(maskPhone("123")).toBe("****");
    expect(maskPhone("")).toBe("");
    expect(maskPhone(null)).toBe("");
  });
});

describe("search text", () => {
  it("joins name, unit and address in lower case", () => {
    expect(baseSearchText("衢州市科技馆科普教育基地", "衢州市科技馆", "柯城区 Xin'an Road")).toBe(
      "衢州市科技馆科普教育基地 衢州市科技馆 柯城区 xin'an road",
    );
    expect(baseSearchText(" A ", "", "")).toBe("a");
  });
  it("escapes LIKE wildcards in a keyword", () => {
    expect(keywordPattern(" 科技 ")).toBe("%科技%");
    expect(keywordPattern("50%_off")).toBe("%50\\%\\_off%");
    expect(keywordPattern("ABC")).toBe("%abc%");
  });
});

describe("formatCertificateNo", () => {
  it("writes 衢科普〔year〕第N批seq号 with the batch in Chinese and three digits", () => {
    expect(formatCertificateNo(2023, 8, 1)).toBe("衢科普〔2023〕第八批001号");
    expect(formatCertificateNo(2023, null, 5)).toBe("衢科普〔2023〕005号");
    expect(formatCertificateNo(2016, 1, 42)).toBe("衢科普〔2016〕第一批042号");
    expect(formatCertificateNo(2022, 7, 123)).toBe("衢科普〔2022〕第七批123号");
    expect(formatCertificateNo(2022, 12, 1)).toBe("衢科普〔2022〕第十二批001号");
  });
  it("refuses nonsense", () => {
    expect(() => formatCertificateNo(2023, 8, 0)).toThrow();
    expect(() => formatCertificateNo(2023, 1.5, 1)).toThrow();
  });
});
