import { describe, expect, it } from "vitest";
import {
  applicationNoPrefix,
  batchLabel,
  chineseNumeral,
  countyShortName,
  formatApplicationNo,
  shanghaiYear,
} from "./numbering.rules.ts";

// Written out by hand, one decade a line, as a document would print them.
const ONE_TO_99 = `
一 二 三 四 五 六 七 八 九 十
十一 十二 十三 十四 十五 十六 十七 十八 十九 二十
二十一 二十二 二十三 二十四 二十五 二十六 二十七 二十八 二十九 三十
三十一 三十二 三十三 三十四 三十五 三十六 三十七 三十八 三十九 四十
四十一 四十二 四十三 四十四 四十五 四十六 四十七 四十八 四十九 五十
五十一 五十二 五十三 五十四 五十五 五十六 五十七 五十八 五十九 六十
六十一 六十二 六十三 六十四 六十五 六十六 六十七 六十八 六十九 七十
七十一 七十二 七十三 七十四 七十五 七十六 七十七 七十八 七十九 八十
八十一 八十二 八十三 八十四 八十五 八十六 八十七 八十八 八十九 九十
九十一 九十二 九十三 九十四 九十五 九十六 九十七 九十八 九十九`
  .trim()
  .split(/\s+/);

describe("chineseNumeral", () => {
  it("writes every count from 1 to 99 as a document does", () => {
    expect(ONE_TO_99).toHaveLength(99);
    for (let n = 1; n <= 99; n++) expect(chineseNumeral(n), String(n)).toBe(ONE_TO_99[n - 1]);
  });

  it("writes hundreds and thousands with 零 for a gap", () => {
    expect(chineseNumeral(100)).toBe("一百");
    expect(chineseNumeral(101)).toBe("一百零一");
    expect(chineseNumeral(110)).toBe("一百一十");
    expect(chineseNumeral(119)).toBe("一百一十九");
    expect(chineseNumeral(999)).toBe("九百九十九");
    expect(chineseNumeral(1001)).toBe("一千零一");
    expect(chineseNumeral(2020)).toBe("二千零二十");
  });

  it("refuses what is not a count", () => {
    for (const n of [0, -1, 1.5, Number.NaN, 10000]) expect(() => chineseNumeral(n)).toThrow();
  });
});

describe("batchLabel", () => {
  it("writes 第八批, not 第8批", () => {
    expect(batchLabel(8)).toBe("第八批");
    expect(batchLabel(1)).toBe("第一批");
    expect(batchLabel(10)).toBe("第十批");
    expect(batchLabel(12)).toBe("第十二批");
    expect(batchLabel(21)).toBe("第二十一批");
  });

  it("is empty for a call without a batch", () => {
    expect(batchLabel(null)).toBe("");
    expect(batchLabel(undefined)).toBe("");
  });
});

describe("countyShortName", () => {
  it("gives Quzhou's six counties as 附件2 writes them", () => {
    expect(
      ["柯城区", "衢江区", "龙游县", "江山市", "常山县", "开化县"].map((n) => countyShortName(n)),
    ).toEqual(["柯城", "衢江", "龙游", "江山", "常山", "开化"]);
  });

  it("shortens autonomous counties to the place name and keeps two-character names whole", () => {
    expect(countyShortName("景宁畲族自治县")).toBe("景宁");
    expect(countyShortName("郊区")).toBe("郊区");
    expect(countyShortName(" 龙游县 ")).toBe("龙游");
  });
});

describe("application numbers", () => {
  it("reads 2023-第八批-龙游-001", () => {
    const prefix = applicationNoPrefix({ year: 2023, batchNo: 8, countyName: "龙游县" });
    expect(prefix).toBe("2023-第八批-龙游");
    expect(formatApplicationNo(prefix, 1)).toBe("2023-第八批-龙游-001");
    expect(formatApplicationNo(prefix, 42)).toBe("2023-第八批-龙游-042");
    expect(formatApplicationNo(prefix, 1000)).toBe("2023-第八批-龙游-1000");
  });

  it("leaves out the batch of a call that has none", () => {
    expect(applicationNoPrefix({ year: 2024, batchNo: null, countyName: "柯城区" })).toBe("2024-柯城");
    expect(applicationNoPrefix({ year: 2024, batchNo: 1, countyName: "龙游县", county: true })).toBe(
      "2024-县级-第一批-龙游",
    );
  });

  it("refuses a sequence or year that is not one", () => {
    expect(() => formatApplicationNo("2023-龙游", 0)).toThrow();
    expect(() => formatApplicationNo("2023-龙游", 1.5)).toThrow();
    expect(() => applicationNoPrefix({ year: 23, batchNo: 8, countyName: "龙游县" })).toThrow();
    expect(() => applicationNoPrefix({ year: 2023, batchNo: 8, countyName: " " })).toThrow();
  });

  it("takes the year in Beijing time", () => {
    // 2022-12-31 16:30 UTC is 2023-01-01 00:30 in Shanghai.
    expect(shanghaiYear("2022-12-31T16:30:00.000Z")).toBe(2023);
    expect(shanghaiYear("2022-12-31T15:59:59.000Z")).toBe(2022);
  });
});
