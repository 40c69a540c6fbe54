import PDFDocument from "pdfkit";
import { type CjkFace, type CjkWeight, fontBytes, measureText, primaryFace, splitRuns } from "./cjk-font.ts";

/**
 * Drawing Chinese text with pdfkit across the Noto Sans SC subset files.
 *
 * pdfkit's own wrapping works inside one font, and a Chinese paragraph switches fonts, so
 * this module wraps text itself: it measures characters (cached advance widths, identical to
 * what pdfkit measures for the embedded faces), breaks lines at any CJK character or at spaces
 * between Latin words, follows the usual 避头尾 rules for punctuation, and draws each line as
 * runs of single-face text with `lineBreak: false`.
 */

export type PdfDoc = PDFKit.PDFDocument;

export interface TextStyle {
  /** Font size in points. Default 10.5 (五号). */
  size?: number;
  weight?: CjkWeight;
  color?: string;
  /** Line box height as a multiple of `size`. Default 1.5. */
  lineHeight?: number;
}

export interface TextBoxOptions extends TextStyle {
  /** Wrap within this width (points). Without it, only `\n` breaks lines. */
  width?: number;
  /** "justify" spreads wrapped lines to the full width (not a paragraph's last line), as Chinese print does. */
  align?: "left" | "center" | "right" | "justify";
  /** Stop after this many lines; the last one ends with "…" when text was cut. */
  maxLines?: number;
}

export interface WrappedLine {
  readonly text: string;
  readonly width: number;
  /** The last line of a paragraph (never justified). */
  readonly end?: boolean;
}

export interface TextBox {
  readonly width: number;
  readonly height: number;
  readonly lines: readonly WrappedLine[];
}

export const DEFAULT_SIZE = 10.5;
export const DEFAULT_LINE_HEIGHT = 1.5;
/** Noto Sans SC's ideographic em box spans −0.12 em … 0.88 em around the baseline. */
const EM_BOX_CENTER = 0.38;
/** Widest gap justification may add between two units, in em. */
const MAX_JUSTIFY_GAP_EM = 0.08;

/** A4 document with Chinese-friendly defaults and no pdfkit margins (layouts place text). */
export function createCjkDocument(options: PDFKit.PDFDocumentOptions = {}): PdfDoc {
  return new PDFDocument({
    size: "A4",
    margin: 0,
    lang: "zh-CN",
    displayTitle: true,
    ...options,
  });
}

/** Collects a finished document into one Buffer. Call after drawing; it calls `doc.end()`. */
export function finishDocument(doc: PdfDoc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.end();
  });
}

const registered = new WeakMap<PdfDoc, Set<string>>();

/** Registers the face with this document on first use, then selects it. */
function selectFace(doc: PdfDoc, face: CjkFace, size: number): void {
  let keys = registered.get(doc);
  if (!keys) {
    keys = new Set();
    registered.set(doc, keys);
  }
  if (!keys.has(face.key)) {
    doc.registerFont(face.key, fontBytes(face));
    keys.add(face.key);
  }
  doc.font(face.key).fontSize(size);
}

const isSpace = (ch: string) => ch === " " || ch === "\t";
/** Characters that must not begin a line (行首禁则): they stick to the unit before them. */
const NO_LINE_START = new Set([..."，。、；：？！）》」』】〕〉｝］”’…—～·%‰℃"]);
/** Characters that must not end a line (行尾禁则): they stick to the unit after them. */
const NO_LINE_END = new Set([..."（《「『【〔〈｛［“‘"]);
/** Latin letters, digits and the ASCII punctuation that sits inside words, URLs and numbers. */
const WORD_CHAR = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Nd}!-/:-@[-`{-~]/u;

/**
 * Splits a paragraph into unbreakable units: a Latin word, one CJK character, or a space.
 * Closing punctuation joins the unit before it and opening punctuation the unit after it,
 * so a line never starts with "，" or ends with "（".
 */
export function breakUnits(paragraph: string): string[] {
  const out: string[] = [];
  let word = "";
  let open = "";
  const emit = (unit: string) => {
    if (open && !isSpace(unit)) {
      out.push(open + unit);
    } else {
      if (open) out.push(open);
      out.push(unit);
    }
    open = "";
  };
  for (const ch of paragraph) {
    if (WORD_CHAR.test(ch) && !isSpace(ch)) {
      word += ch;
      continue;
    }
    if (word) emit(word);
    word = "";
    if (isSpace(ch)) emit(" ");
    else if (NO_LINE_END.has(ch)) open += ch;
    else if (NO_LINE_START.has(ch) && !open && out.length > 0 && !isSpace(out[out.length - 1])) {
      out[out.length - 1] += ch;
    } else emit(ch);
  }
  if (word) emit(word);
  if (open) out.push(open);
  return out;
}

function stripClosing(unit: string): string {
  const chars = [...unit];
  while (chars.length > 1 && NO_LINE_START.has(chars[chars.length - 1])) chars.pop();
  return chars.join("");
}

/** Wraps text into lines no wider than `width`; closing punctuation may hang by up to 1 em. */
export function wrapText(text: string, width: number, style: TextStyle = {}): WrappedLine[] {
  const size = style.size ?? DEFAULT_SIZE;
  const weight = style.weight ?? 400;
  const measure = (s: string) => measureText(s, size, weight);
  const lines: WrappedLine[] = [];

  for (const paragraph of text.replace(/\r\n?/g, "\n").split("\n")) {
    const queue = breakUnits(paragraph.replace(/\t/g, "  "));
    let line = "";
    let used = 0;
    let linesInParagraph = 0;
    const push = (end = false) => {
      const trimmed = line.replace(/ +$/, "");
      lines.push({ text: trimmed, width: trimmed === line ? used : measure(trimmed), end });
      linesInParagraph++;
      line = "";
      used = 0;
    };
    for (let i = 0; i < queue.length; i++) {
      const unit = queue[i];
      if (unit === " " && line === "" && linesInParagraph > 0) continue; // no leading space after a wrap
      const w = measure(unit);
      if (used + w <= width + 0.001) {
        line += unit;
        used += w;
        continue;
      }
      if (line !== "") {
        const core = stripClosing(unit);
        if (core !== unit && used + measure(core) <= width + 0.001 && used + w <= width + size) {
          line += unit; // hanging punctuation (标点溢出边界)
          used += w;
          push();
          continue;
        }
        push();
        if (unit !== " ") i--; // retry this unit on the new line
        continue;
      }
      // The unit alone is wider than the line: break it by character (at least one per line).
      const chars = [...unit];
      let k = 0;
      let acc = 0;
      while (k < chars.length && (k === 0 || acc + measure(chars[k]) <= width + 0.001))
        acc += measure(chars[k++]);
      line = chars.slice(0, k).join("");
      used = acc;
      if (k < chars.length) {
        push();
        queue[i] = chars.slice(k).join("");
        i--;
      }
    }
    if (line !== "" || linesInParagraph === 0) push(true);
    else if (lines.length > 0) lines[lines.length - 1] = { ...lines[lines.length - 1], end: true };
  }
  return lines;
}

/** Width of single-line text in points. */
export function textWidth(text: string, style: TextStyle = {}): number {
  return measureText(text, style.size ?? DEFAULT_SIZE, style.weight ?? 400);
}

function layoutLines(str: string, options: TextBoxOptions): WrappedLine[] {
  const size = options.size ?? DEFAULT_SIZE;
  const weight = options.weight ?? 400;
  let lines =
    options.width === undefined
      ? str
          .replace(/\r\n?/g, "\n")
          .split("\n")
          .map((t) => ({ text: t, width: measureText(t, size, weight), end: true }))
      : wrapText(str, options.width, options);
  if (options.maxLines !== undefined && lines.length > options.maxLines) {
    lines = lines.slice(0, Math.max(0, options.maxLines));
    const last = lines[lines.length - 1];
    if (last) {
      let t = last.text;
      const limit = (options.width ?? last.width) - measureText("…", size, weight);
      while (t && measureText(t, size, weight) > limit) t = [...t].slice(0, -1).join("");
      const text = `${t}…`;
      lines[lines.length - 1] = { text, width: measureText(text, size, weight), end: true };
    }
  }
  return lines;
}

/** The height `text()` would use, without drawing. */
export function measureTextBox(str: string, options: TextBoxOptions = {}): TextBox {
  const size = options.size ?? DEFAULT_SIZE;
  const lineBox = size * (options.lineHeight ?? DEFAULT_LINE_HEIGHT);
  const lines = layoutLines(str, options);
  return {
    width: options.width ?? Math.max(0, ...lines.map((l) => l.width)),
    height: lines.length * lineBox,
    lines,
  };
}

/** Baseline of a line whose line box starts at `top`, with the em box centred in it. */
export function baselineFor(top: number, style: TextStyle = {}): number {
  const size = style.size ?? DEFAULT_SIZE;
  const lineBox = size * (style.lineHeight ?? DEFAULT_LINE_HEIGHT);
  return top + lineBox / 2 + EM_BOX_CENTER * size;
}

/**
 * Draws one line (no wrapping) with its baseline at `baseline`, switching fonts per run.
 * `letterSpacing` adds space after every character (used to justify). Returns the drawn width.
 */
export function drawLine(
  doc: PdfDoc,
  line: string,
  x: number,
  baseline: number,
  style: TextStyle = {},
  letterSpacing = 0,
): number {
  const size = style.size ?? DEFAULT_SIZE;
  const weight = style.weight ?? 400;
  doc.fillColor(style.color ?? "#000000");
  let cx = x;
  for (const run of splitRuns(line, weight)) {
    selectFace(doc, run.face ?? primaryFace(weight), size);
    if (run.text.trim()) {
      doc.text(run.text, cx, baseline, {
        lineBreak: false,
        baseline: "alphabetic",
        ...(letterSpacing ? { characterSpacing: letterSpacing } : {}),
      });
    }
    cx += measureText(run.text, size, weight) + letterSpacing * [...run.text].length;
  }
  return cx - x - letterSpacing;
}

/**
 * Draws a line spread to `boxWidth`: the extra space goes between break units (CJK characters,
 * spaces, whole Latin words), never inside a word. Returns false when the line is not worth
 * justifying (one unit, already full, or it would open visibly wide gaps).
 */
function drawJustified(
  doc: PdfDoc,
  line: WrappedLine,
  x: number,
  baseline: number,
  boxWidth: number,
  style: TextStyle,
): boolean {
  const size = style.size ?? DEFAULT_SIZE;
  const parts = breakUnits(line.text);
  const gaps = parts.length - 1;
  const extra = gaps > 0 ? (boxWidth - line.width) / gaps : 0;
  // Poppler and most extractors insert a space for gaps above ~0.1 em; stay below so copied
  // and searched text keeps its words whole. Longer shortfalls stay left-aligned.
  if (!(extra > 0.001 && extra <= size * MAX_JUSTIFY_GAP_EM)) return false;
  let cx = x;
  let i = 0;
  while (i < parts.length) {
    let j = i + 1;
    // Consecutive one-character units share a run drawn with character spacing.
    if ([...parts[i]].length === 1) while (j < parts.length && [...parts[j]].length === 1) j++;
    const segment = parts.slice(i, j).join("");
    cx += drawLine(doc, segment, cx, baseline, style, j - i > 1 ? extra : 0) + extra;
    i = j;
  }
  return true;
}

/** Draws pre-wrapped lines from `top`. */
export function drawLines(
  doc: PdfDoc,
  lines: readonly WrappedLine[],
  x: number,
  top: number,
  options: TextBoxOptions = {},
): void {
  const size = options.size ?? DEFAULT_SIZE;
  const lineBox = size * (options.lineHeight ?? DEFAULT_LINE_HEIGHT);
  const boxWidth = options.width ?? Math.max(0, ...lines.map((l) => l.width));
  lines.forEach((line, i) => {
    const dx =
      options.align === "center"
        ? (boxWidth - line.width) / 2
        : options.align === "right"
          ? boxWidth - line.width
          : 0;
    const baseline = baselineFor(top + i * lineBox, options);
    if (
      options.align === "justify" &&
      !line.end &&
      drawJustified(doc, line, x, baseline, boxWidth, options)
    ) {
      return;
    }
    drawLine(doc, line.text, x + dx, baseline, options);
  });
}

/**
 * Draws text with automatic font fallback, wrapping within `options.width` when given.
 * `y` is the top of the first line box. Returns the box used.
 */
export function text(doc: PdfDoc, str: string, x: number, y: number, options: TextBoxOptions = {}): TextBox {
  const box = measureTextBox(str, options);
  drawLines(doc, box.lines, x, y, { ...options, width: box.width });
  return box;
}

/** A square check box, drawn with vectors (the fonts have □ but no ☑). */
export function drawCheckbox(doc: PdfDoc, x: number, y: number, size: number, checked: boolean): void {
  doc.save();
  doc.lineWidth(Math.max(0.5, size / 14)).strokeColor("#000000");
  doc.rect(x, y, size, size).stroke();
  if (checked) {
    doc
      .lineWidth(Math.max(0.8, size / 8))
      .moveTo(x + size * 0.2, y + size * 0.52)
      .lineTo(x + size * 0.42, y + size * 0.76)
      .lineTo(x + size * 0.82, y + size * 0.22)
      .stroke();
  }
  doc.restore();
}
