import { beforeAll, describe, expect, it } from "vitest";
import {
  faceFor,
  findMissingGlyphs,
  fontBytes,
  listCjkFaces,
  measureText,
  splitRuns,
  warmUpCjkFonts,
} from "./cjk-font.ts";
import { breakUnits, createCjkDocument, finishDocument, text, wrapText } from "./cjk-text.ts";
import { extractPdfText } from "./extract-pdf-text.ts";

beforeAll(() => warmUpCjkFonts(), 120_000);

const PUNCTUATION = "，。、；：？！“”‘’（）《》【】…—·～①②③④⑤⑥□";

describe("glyph map", () => {
  it("covers common Chinese, full-width punctuation, digits and Latin", () => {
    const sample = `科普教育基地申报表衢州柯城衢江龙游常山江山开化${PUNCTUATION}0123456789 AZaz@.-/%`;
    expect(findMissingGlyphs(sample)).toEqual([]);
    expect(findMissingGlyphs(sample, 700)).toEqual([]);
  });

  it("reports characters no file has (there is no ☑, so check boxes are drawn as vectors)", () => {
    expect(findMissingGlyphs("☑ 科普 😀")).toEqual(["☑", "😀"]);
  });

  it("draws a paragraph of common text mostly from one face", () => {
    const runs = splitRuns(
      "中国观赏石博览园位于衢州市柯城区，是集观赏石收藏、展示于一体的专题博物馆。2023年 ABC",
    );
    expect(runs).toHaveLength(1);
    expect(runs[0].face?.file).toMatch(/chinese-simplified-400/);
  });

  it("switches faces for glyphs only in the unicode-range slices", () => {
    const runs = splitRuns("①盖章□");
    expect(runs.map((r) => r.text).join("")).toBe("①盖章□");
    expect(runs.length).toBeGreaterThan(1);
    expect(runs.every((r) => r.face !== null)).toBe(true);
    expect(faceFor("①".codePointAt(0)!)?.file).toMatch(/noto-sans-sc-\d+-400/);
  });

  it("measures exactly what pdfkit measures for the embedded faces", () => {
    const doc = createCjkDocument();
    const s = "科普教育基地（第八批）：“你点我来”①②，Email kepu@example.cn 2023-02-28";
    for (const run of splitRuns(s)) {
      const face = run.face!;
      doc.registerFont(face.key, fontBytes(face));
      const pdfkitWidth = doc.font(face.key).fontSize(12).widthOfString(run.text);
      expect(measureText(run.text, 12)).toBeCloseTo(pdfkitWidth, 6);
    }
  });
});

describe("breakUnits", () => {
  it("keeps Latin words and numbers whole and splits CJK per character", () => {
    expect(breakUnits("约3,800件 kepu@example.cn 馆")).toEqual([
      "约",
      "3,800",
      "件",
      " ",
      "kepu@example.cn",
      " ",
      "馆",
    ]);
  });

  it("binds closing punctuation to the unit before and opening punctuation to the unit after", () => {
    expect(breakUnits("开放。“科普”（一）")).toEqual(["开", "放。", "“科", "普”", "（一）"]);
  });
});

describe("wrapText", () => {
  const size = 10;
  const width = 100; // ten ideographs per line at 10 pt

  it("wraps Chinese at any character, filling each line", () => {
    const lines = wrapText("一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑", width, { size });
    expect(lines.map((l) => l.text)).toEqual(["一二三四五六七八九十", "甲乙丙丁戊己庚辛壬癸", "子丑"]);
    expect(lines.map((l) => l.end)).toEqual([false, false, true]);
    for (const l of lines) expect(l.width).toBeLessThanOrEqual(width + 1e-6);
  });

  it("never starts a line with closing punctuation: it hangs by at most one em", () => {
    const lines = wrapText("一二三四五六七八九十。甲乙", width, { size });
    expect(lines.map((l) => l.text)).toEqual(["一二三四五六七八九十。", "甲乙"]);
    expect(lines[0].width).toBeLessThanOrEqual(width + size);
  });

  it("moves a character down with punctuation that cannot hang", () => {
    const lines = wrapText("一二三四五六七八九十。”甲乙", width, { size });
    expect(lines.map((l) => l.text)).toEqual(["一二三四五六七八九", "十。”甲乙"]);
  });

  it("never ends a line with opening punctuation", () => {
    const lines = wrapText("一二三四五六七八九（十）甲", width, { size });
    expect(lines.map((l) => l.text)).toEqual(["一二三四五六七八九", "（十）甲"]);
  });

  it("breaks Latin text at spaces, dropping the space at the break", () => {
    const lines = wrapText("Visit the science museum today 科普", 60, { size });
    expect(lines.map((l) => l.text)).toEqual(["Visit the", "science", "museum", "today 科普"]);
  });

  it("splits a word longer than the line by character", () => {
    const lines = wrapText("网址 https://kepu.example.cn/a/very/long/path 完", 60, { size });
    expect(lines[0].text).toBe("网址");
    expect(lines.map((l) => l.text).join("")).toBe("网址https://kepu.example.cn/a/very/long/path 完");
    for (const l of lines) expect(l.width).toBeLessThanOrEqual(60 + 1e-6);
  });

  it("keeps hard line breaks and empty paragraphs", () => {
    const lines = wrapText("第一行\n\n第三行\r\n第四行", width, { size });
    expect(lines.map((l) => l.text)).toEqual(["第一行", "", "第三行", "第四行"]);
    expect(lines.every((l) => l.end)).toBe(true);
  });

  it("returns one empty line for empty text and always makes progress on a tiny width", () => {
    expect(wrapText("", width, { size })).toEqual([{ text: "", width: 0, end: true }]);
    expect(wrapText("科普", 1, { size }).map((l) => l.text)).toEqual(["科", "普"]);
  });
});

describe("text()", () => {
  it.each([
    400, 700,
  ] as const)("embeds every weight-%i face so that each maps back to its character", async (weight) => {
    const faces = listCjkFaces(weight).filter((f) => f.sample.trim() !== "");
    expect(faces.length).toBeGreaterThan(80);
    const doc = createCjkDocument();
    const all = faces.map((f) => f.sample).join("");
    text(doc, all, 20, 20, { width: 500, weight });
    const [page] = extractPdfText(await finishDocument(doc));
    expect(page.notdefCount).toBe(0);
    expect(page.text).toBe(all);
    expect(page.fonts.length).toBe(faces.length);
  });

  it("draws wrapped Chinese that extracts back as the same text, with no .notdef glyphs", async () => {
    const doc = createCjkDocument();
    const para = `衢州市科普教育基地是开展社会性、群众性、经常性科普活动的重要阵地${PUNCTUATION}0123456789 Quzhou`;
    const box = text(doc, para, 50, 50, { width: 200, size: 11, align: "justify" });
    text(doc, "加粗标题", 50, 50 + box.height, { weight: 700, size: 16 });
    expect(box.lines.length).toBeGreaterThan(2);
    const pdf = await finishDocument(doc);
    const [page] = extractPdfText(pdf);
    expect(page.notdefCount).toBe(0);
    expect(page.text.replace(/\s/g, "")).toBe(`${para}加粗标题`.replace(/\s/g, ""));
  });
});
