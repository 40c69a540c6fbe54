import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { woffToSfnt } from "./woff-to-sfnt.ts";

/**
 * Chinese fonts for pdfkit, shipped through npm and usable offline.
 *
 * `@fontsource/noto-sans-sc` splits Noto Sans SC into ~100 WOFF files per weight (one big
 * "chinese-simplified" file with ~7,900 common characters, plus latin and many small
 * unicode-range slices). No single file has every glyph, so text is split into runs by which
 * file has each character, and each run is drawn with that file.
 *
 * The glyph → file map is built once per weight and process (lazily, ~0.5 s of CPU), then every
 * lookup is a Map access. Files are converted from WOFF to plain sfnt before pdfkit sees them
 * (see woff-to-sfnt.ts for why) and the converted bytes are cached per process.
 */

export type CjkWeight = 400 | 700;

/** A font file known to the registry. `key` is the name it is registered under in a document. */
export interface CjkFace {
  readonly key: string;
  readonly file: string;
  readonly weight: CjkWeight;
}

/** One stretch of text drawn with a single face. `face` is null when no file has the glyphs. */
export interface CjkRun {
  readonly face: CjkFace | null;
  readonly text: string;
}

/** The part of fontkit's Font this module uses (fontkit ships no types). */
interface FontkitFont {
  readonly characterSet: number[];
  readonly unitsPerEm: number;
  glyphForCodePoint(codePoint: number): { readonly id: number; readonly advanceWidth: number };
}
interface Fontkit {
  create(buffer: Uint8Array): FontkitFont;
}

/** Tables pdfkit never reads for horizontal text. Without GSUB/GPOS fontkit skips shaping. */
const DROP_FOR_PDF = new Set(["GSUB", "GPOS", "GDEF", "BASE", "STAT", "JSTF", "MATH", "DSIG"]);
/** Enough of a font for fontkit to read its cmap, which is all the map build needs. */
const KEEP_FOR_CMAP = new Set(["cmap", "head", "hhea", "maxp", "OS/2", "name", "post"]);

interface WeightRegistry {
  readonly faces: readonly CjkFace[];
  /** Code point → index into `faces`. */
  readonly byCodePoint: ReadonlyMap<number, number>;
  readonly primary: CjkFace;
  /** Code point → advance width in em (font units / unitsPerEm), filled on demand. */
  readonly advances: Map<number, number>;
}

let fontkitModule: Fontkit | undefined;
let fontDirectory: string | undefined;
const registries = new Map<CjkWeight, WeightRegistry>();
const sfntCache = new Map<string, Buffer>();
const metricFonts = new Map<string, FontkitFont>();

/** fontkit exactly as pdfkit resolves it, so the cmap checks here match what pdfkit will read. */
function fontkit(): Fontkit {
  if (!fontkitModule) {
    const require = createRequire(import.meta.url);
    const fromPdfkit = createRequire(require.resolve("pdfkit"));
    fontkitModule = fromPdfkit("fontkit") as Fontkit;
  }
  return fontkitModule;
}

function fontDir(): string {
  if (!fontDirectory) {
    const require = createRequire(import.meta.url);
    fontDirectory = join(dirname(require.resolve("@fontsource/noto-sans-sc/package.json")), "files");
  }
  return fontDirectory;
}

/**
 * Search order: the big common-character file first (so a paragraph is mostly one run and one
 * embedded font), then latin, then the unicode-range slices in numeric order, then the rest.
 */
function rankFile(name: string): [number, number] {
  const m = /^noto-sans-sc-(.+)-\d00-normal\.woff$/.exec(name);
  const subset = m?.[1] ?? name;
  if (subset === "chinese-simplified") return [0, 0];
  if (subset === "latin") return [1, 0];
  if (/^\d+$/.test(subset)) return [2, Number(subset)];
  if (subset === "latin-ext") return [3, 0];
  return [4, 0];
}

function buildRegistry(weight: CjkWeight): WeightRegistry {
  const dir = fontDir();
  const suffix = `-${weight}-normal.woff`;
  const files = readdirSync(dir)
    .filter((f) => f.startsWith("noto-sans-sc-") && f.endsWith(suffix))
    .sort((a, b) => {
      const [ra, na] = rankFile(a);
      const [rb, nb] = rankFile(b);
      return ra - rb || na - nb || (a < b ? -1 : 1);
    });
  const faces: CjkFace[] = [];
  const byCodePoint = new Map<number, number>();
  for (const file of files) {
    let characterSet: number[];
    try {
      const light = woffToSfnt(readFileSync(join(dir, file)), { keep: KEEP_FOR_CMAP });
      characterSet = fontkit().create(light).characterSet;
    } catch {
      continue; // fontkit cannot read a cmap from this file (one slice per weight, as of 5.3.0)
    }
    const index = faces.length;
    let added = 0;
    for (const cp of characterSet) {
      if (cp < 0x20 || byCodePoint.has(cp)) continue;
      byCodePoint.set(cp, index);
      added++;
    }
    if (added > 0) faces.push({ key: `noto-sc-${weight}-${file.slice(13, -suffix.length)}`, file, weight });
  }
  const primary = faces[0];
  if (!primary) throw new Error(`no usable Noto Sans SC ${weight} fonts in ${dir}`);
  return { faces, byCodePoint, primary, advances: new Map() };
}

function registry(weight: CjkWeight): WeightRegistry {
  let r = registries.get(weight);
  if (!r) {
    r = buildRegistry(weight);
    registries.set(weight, r);
  }
  return r;
}

/** Builds the glyph maps now (e.g. at server start) instead of on the first PDF. */
export function warmUpCjkFonts(weights: readonly CjkWeight[] = [400, 700]): void {
  for (const w of weights) {
    const r = registry(w);
    fontBytes(r.primary);
  }
}

/** The sfnt bytes pdfkit embeds for a face; converted once per process. */
export function fontBytes(face: CjkFace): Buffer {
  let bytes = sfntCache.get(face.key);
  if (!bytes) {
    bytes = woffToSfnt(readFileSync(join(fontDir(), face.file)), { drop: DROP_FOR_PDF });
    sfntCache.set(face.key, bytes);
  }
  return bytes;
}

/** The face that has this code point, or null when no Noto Sans SC file does. */
export function faceFor(codePoint: number, weight: CjkWeight = 400): CjkFace | null {
  const r = registry(weight);
  const i = r.byCodePoint.get(codePoint);
  return i === undefined ? null : r.faces[i];
}

/**
 * Every face in search order, each with one visible character that it (and no earlier face)
 * draws; a face that only adds spaces gets " ".
 */
export function listCjkFaces(weight: CjkWeight = 400): { face: CjkFace; sample: string }[] {
  const r = registry(weight);
  const samples = new Map<number, number>();
  for (const [cp, i] of r.byCodePoint) {
    if (!samples.has(i) && !/\s/u.test(String.fromCodePoint(cp))) samples.set(i, cp);
  }
  return r.faces.map((face, i) => ({ face, sample: String.fromCodePoint(samples.get(i) ?? 0x20) }));
}

/** The face used for characters nothing covers (pdfkit draws its .notdef box). */
export function primaryFace(weight: CjkWeight = 400): CjkFace {
  return registry(weight).primary;
}

/** Characters of `text` that no font file has (whitespace and controls excluded), deduplicated. */
export function findMissingGlyphs(text: string, weight: CjkWeight = 400): string[] {
  const r = registry(weight);
  const missing = new Set<string>();
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp <= 0x20 || cp === 0x7f || r.byCodePoint.has(cp)) continue;
    missing.add(ch);
  }
  return [...missing];
}

/** Whether some font file can draw every character of `text`. */
export function hasGlyphs(text: string, weight: CjkWeight = 400): boolean {
  return findMissingGlyphs(text, weight).length === 0;
}

/**
 * Splits text into runs that one face can draw. Spaces join the surrounding run, so a sentence
 * with spaces does not switch fonts at every word.
 */
export function splitRuns(text: string, weight: CjkWeight = 400): CjkRun[] {
  const r = registry(weight);
  const runs: CjkRun[] = [];
  let face: CjkFace | null | undefined;
  let buf = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const i = r.byCodePoint.get(cp);
    // Every face has a space, so a space continues the current run instead of switching fonts.
    const f: CjkFace | null = cp === 0x20 && face !== undefined ? face : i === undefined ? null : r.faces[i];
    if (f !== face && buf) {
      runs.push({ face: face ?? null, text: buf });
      buf = "";
    }
    face = f;
    buf += ch;
  }
  if (buf) runs.push({ face: face ?? null, text: buf });
  return runs;
}

function metricFont(face: CjkFace): FontkitFont {
  let f = metricFonts.get(face.key);
  if (!f) {
    f = fontkit().create(fontBytes(face));
    metricFonts.set(face.key, f);
  }
  return f;
}

/**
 * Advance width of one character in em. Equals what pdfkit measures for the same face, because
 * the embedded fonts carry no GPOS (no kerning) and pdfkit adds nothing else by default.
 */
export function advanceEm(codePoint: number, weight: CjkWeight = 400): number {
  const r = registry(weight);
  const cached = r.advances.get(codePoint);
  if (cached !== undefined) return cached;
  const i = r.byCodePoint.get(codePoint);
  const face = i === undefined ? r.primary : r.faces[i];
  const font = metricFont(face);
  const glyph = i === undefined ? font.glyphForCodePoint(0) : font.glyphForCodePoint(codePoint);
  const em = glyph.advanceWidth / font.unitsPerEm;
  r.advances.set(codePoint, em);
  return em;
}

/** Width of `text` in points at `size`. */
export function measureText(text: string, size: number, weight: CjkWeight = 400): number {
  let em = 0;
  for (const ch of text) em += advanceEm(ch.codePointAt(0)!, weight);
  return em * size;
}
