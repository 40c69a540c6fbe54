import { describe, expect, it } from "vitest";
import {
  fieldChanges,
  matchCounty,
  parseImportDay,
  parseImportStatus,
  readImportCell,
} from "./bases-import.rules.ts";

describe("reading an import cell as the clerk meant it", () => {
  it("reads a date cell in 认定年份 as its year, elsewhere as its day", () => {
    const d = new Date(Date.UTC(2018, 11, 31));
    expect(readImportCell("recognizedYear", d)).toEqual({ text: "2018" });
    expect(readImportCell("intro", d)).toEqual({ text: "2018-12-31" });
  });

  it("puts back the 0 a landline lost as a number, and says so", () => {
    const r = readImportCell("bookingPhone", 5703027351);
    expect(r.text).toBe("05703027351");
    expect(r.note).toContain("开头的0已丢失");
    expect(readImportCell("contactPhone", 1057012345).text).toBe("01057012345");
  });

  it("keeps a mobile and a short local number as they are, without a note", () => {
    expect(readImportCell("leaderPhone", 13905701234)).toEqual({ text: "13905701234" });
    expect(readImportCell("bookingPhone", 3027351)).toEqual({ text: "3027351" });
  });

  it("reads numbers in other columns plainly and trims text", () => {
    expect(readImportCell("openDays", 300)).toEqual({ text: "300" });
    expect(readImportCell("name", "  某某科普教育基地 ")).toEqual({ text: "某某科普教育基地" });
    expect(readImportCell("name", null)).toEqual({ text: "" });
  });
});

describe("what an update row changes", () => {
  const headers = { name: "基地名称", open_days: "年开放天数", search_text: undefined };
  it("lists each changed field in the template's words, with before and after", () => {
    expect(
      fieldChanges(
        { name: "旧名科普教育基地", open_days: 200, search_text: "x" },
        { name: "新名科普教育基地", open_days: 200, search_text: "y" },
        headers,
      ),
    ).toEqual([{ column: "基地名称", from: "旧名科普教育基地", to: "新名科普教育基地" }]);
  });
  it("treats empty and missing alike, and shows a cleared field", () => {
    expect(fieldChanges({ open_days: null }, { open_days: null }, headers)).toEqual([]);
    expect(fieldChanges({ open_days: 300 }, { open_days: null }, headers)).toEqual([
      { column: "年开放天数", from: "300", to: "" },
    ]);
  });
});

describe("matching the county a clerk wrote", () => {
  const counties = [
    { code: "330802", name: "柯城区" },
    { code: "330803", name: "衢江区" },
    { code: "330825", name: "龙游县" },
    { code: "330881", name: "江山市" },
  ];
  it("accepts the full name, the short name of 附件2, the code and the name behind its city", () => {
    expect(matchCounty("柯城区", counties)?.code).toBe("330802");
    expect(matchCounty("柯城", counties)?.code).toBe("330802");
    expect(matchCounty(" 龙游 ", counties)?.code).toBe("330825");
    expect(matchCounty("江山", counties)?.code).toBe("330881");
    expect(matchCounty("330803", counties)?.code).toBe("330803");
    expect(matchCounty("衢州市衢江区", counties)?.code).toBe("330803");
  });
  it("refuses what names no county", () => {
    expect(matchCounty("", counties)).toBeUndefined();
    expect(matchCounty("柯", counties)).toBeUndefined();
    expect(matchCounty("开化", counties)).toBeUndefined();
  });
});

describe("reading a day and a status", () => {
  it("reads the ways a date is written", () => {
    expect(parseImportDay("2023-06-01")).toBe("2023-06-01");
    expect(parseImportDay("2023/6/1")).toBe("2023-06-01");
    expect(parseImportDay("2023.6.1")).toBe("2023-06-01");
    expect(parseImportDay("2023年6月1日")).toBe("2023-06-01");
  });
  it("refuses days that do not exist and other text", () => {
    expect(parseImportDay("2023-02-30")).toBeNull();
    expect(parseImportDay("2023-13-01")).toBeNull();
    expect(parseImportDay("六月")).toBeNull();
    expect(parseImportDay("2023")).toBeNull();
  });
  it("reads 状态 in the directory's words", () => {
    expect(parseImportStatus("已认定")).toBe("active");
    expect(parseImportStatus("正常")).toBe("active");
    expect(parseImportStatus("警示")).toBe("warning");
    expect(parseImportStatus("已撤销")).toBe("revoked");
    expect(parseImportStatus("")).toBeNull();
    expect(parseImportStatus("暂停")).toBeUndefined();
  });
});
