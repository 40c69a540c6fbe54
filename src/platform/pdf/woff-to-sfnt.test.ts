import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { woffToSfnt } from "./woff-to-sfnt.ts";

const require = createRequire(import.meta.url);
const woffPath = require.resolve("@fontsource/noto-sans-sc/files/noto-sans-sc-latin-400-normal.woff");
const fontkit = createRequire(require.resolve("pdfkit"))("fontkit") as {
  create(b: Uint8Array): { characterSet: number[]; numGlyphs: number; postscriptName: string };
};

function tableTags(sfnt: Buffer): string[] {
  const n = sfnt.readUInt16BE(4);
  return Array.from({ length: n }, (_, i) => sfnt.toString("latin1", 12 + i * 16, 16 + i * 16));
}

function fileChecksum(buf: Buffer): number {
  let sum = 0;
  for (let i = 0; i + 4 <= buf.length; i += 4) sum = (sum + buf.readUInt32BE(i)) >>> 0;
  return sum;
}

describe("woffToSfnt", () => {
  const woff = readFileSync(woffPath);

  it("produces a TrueType font fontkit reads with the same glyphs as the WOFF", () => {
    const sfnt = woffToSfnt(woff);
    expect(sfnt.readUInt32BE(0)).toBe(0x00010000);
    const fromWoff = fontkit.create(woff);
    const fromSfnt = fontkit.create(sfnt);
    expect(fromSfnt.numGlyphs).toBe(fromWoff.numGlyphs);
    expect(fromSfnt.postscriptName).toBe(fromWoff.postscriptName);
    expect(fromSfnt.characterSet).toEqual(fromWoff.characterSet);
  });

  it("drops the requested tables, sorts the directory and keeps the whole-file checksum valid", () => {
    const sfnt = woffToSfnt(woff, { drop: new Set(["GSUB", "GPOS", "GDEF"]) });
    const tags = tableTags(sfnt);
    expect(tags).not.toContain("GPOS");
    expect(tags).toContain("glyf");
    expect([...tags].sort()).toEqual(tags);
    expect(fileChecksum(sfnt)).toBe(0xb1b0afba);
  });

  it("keeps only the listed tables when asked", () => {
    const sfnt = woffToSfnt(woff, { keep: new Set(["cmap", "head", "hhea", "maxp"]) });
    expect(tableTags(sfnt).sort()).toEqual(["cmap", "head", "hhea", "maxp"]);
    expect(fontkit.create(sfnt).characterSet.length).toBeGreaterThan(200);
  });

  it("rejects data that is not WOFF", () => {
    expect(() => woffToSfnt(Buffer.from("not a font at all, clearly not one"))).toThrow(/WOFF/);
  });
});
