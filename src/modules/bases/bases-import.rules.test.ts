import { describe, expect, it } from "vitest";
import { fieldChanges, readImportCell } from "./bases-import.rules.ts";

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
