import {
  DEFAULT_LINE_HEIGHT,
  DEFAULT_SIZE,
  drawCheckbox,
  drawLines,
  type PdfDoc,
  type TextBoxOptions,
  type TextStyle,
  textWidth,
  type WrappedLine,
  wrapText,
} from "./cjk-text.ts";

/**
 * Bordered cells and rows for printed government forms (申报表): a label cell, a value cell,
 * a row of check boxes, and blocks of long text that continue on the next page.
 */

export interface Choice {
  readonly label: string;
  readonly checked: boolean;
}

export interface FormCell {
  readonly width: number;
  /** Text content; wraps within the cell. */
  readonly text?: string;
  /** Check-box options laid out inline, wrapping like words. Used instead of `text`. */
  readonly choices?: readonly Choice[];
  /** "label" cells are centred and shaded lightly; "value" cells are justified. */
  readonly role?: "label" | "value";
  readonly align?: "left" | "center" | "right" | "justify";
  readonly valign?: "top" | "middle" | "bottom";
  readonly style?: TextStyle;
  /** Inner padding in points. Default 5. */
  readonly padding?: number;
  /** Background colour, e.g. "#f2f2f2". */
  readonly fill?: string;
  /** Minimum outer height. */
  readonly minHeight?: number;
}

const DEFAULT_PADDING = 5;
const LABEL_FILL = "#f5f5f5";

function styleOf(cell: FormCell): TextBoxOptions {
  return { size: DEFAULT_SIZE, lineHeight: DEFAULT_LINE_HEIGHT, ...cell.style };
}

function innerWidth(cell: FormCell): number {
  return Math.max(1, cell.width - 2 * (cell.padding ?? DEFAULT_PADDING));
}

interface PlacedChoice {
  readonly choice: Choice;
  readonly dx: number;
  readonly line: number;
  readonly labelLines: readonly WrappedLine[];
}

/** Flows check-box options like words: [□ label] [□ label] …, wrapping to new lines. */
export function layoutChoices(
  choices: readonly Choice[],
  width: number,
  style: TextStyle = {},
): { placed: PlacedChoice[]; lines: number } {
  const size = style.size ?? DEFAULT_SIZE;
  const box = size * 0.9;
  const gap = size * 0.3;
  const spacing = size * 1.2;
  const placed: PlacedChoice[] = [];
  let line = 0;
  let x = 0;
  for (const choice of choices) {
    const labelWidth = textWidth(choice.label, style);
    const itemWidth = box + gap + labelWidth;
    if (x > 0 && x + itemWidth > width) {
      line++;
      x = 0;
    }
    const labelLines =
      itemWidth > width
        ? wrapText(choice.label, Math.max(size, width - box - gap), style)
        : [{ text: choice.label, width: labelWidth }];
    placed.push({ choice, dx: x, line, labelLines });
    if (labelLines.length > 1) {
      line += labelLines.length;
      x = 0;
    } else {
      x += itemWidth + spacing;
    }
  }
  const last = placed[placed.length - 1];
  const lines = last ? (last.labelLines.length > 1 ? line : line + 1) : 1;
  return { placed, lines };
}

/** The content height of a cell (without padding). */
function contentHeight(cell: FormCell): number {
  const style = styleOf(cell);
  const lineBox = style.size! * style.lineHeight!;
  if (cell.choices) return layoutChoices(cell.choices, innerWidth(cell), style).lines * lineBox;
  return wrapText(cell.text ?? "", innerWidth(cell), style).length * lineBox;
}

/** Outer height a cell needs for its content. */
export function cellHeight(cell: FormCell): number {
  const padding = cell.padding ?? DEFAULT_PADDING;
  return Math.max(cell.minHeight ?? 0, contentHeight(cell) + 2 * padding);
}

/** Draws one bordered cell with its content. */
export function drawCell(doc: PdfDoc, x: number, y: number, height: number, cell: FormCell): void {
  const padding = cell.padding ?? DEFAULT_PADDING;
  const style = styleOf(cell);
  const lineBox = style.size! * style.lineHeight!;
  const fill = cell.fill ?? (cell.role === "label" ? LABEL_FILL : undefined);
  if (fill) doc.save().rect(x, y, cell.width, height).fill(fill).restore();
  doc.save().lineWidth(0.75).strokeColor("#000000").rect(x, y, cell.width, height).stroke().restore();

  const inner = innerWidth(cell);
  const used = contentHeight(cell);
  const valign = cell.valign ?? "middle";
  const top =
    valign === "top"
      ? y + padding
      : valign === "bottom"
        ? y + height - padding - used
        : y + (height - used) / 2;

  if (cell.choices) {
    const size = style.size!;
    const box = size * 0.9;
    const gap = size * 0.3;
    for (const p of layoutChoices(cell.choices, inner, style).placed) {
      const lineTop = top + p.line * lineBox;
      drawCheckbox(doc, x + padding + p.dx, lineTop + (lineBox - box) / 2, box, p.choice.checked);
      drawLines(doc, p.labelLines, x + padding + p.dx + box + gap, lineTop, style);
    }
    return;
  }
  const align = cell.align ?? (cell.role === "label" ? "center" : "justify");
  const lines = wrapText(cell.text ?? "", inner, style);
  drawLines(doc, lines, x + padding, top, { ...style, width: inner, align });
}

/** Draws cells side by side; all get the height of the tallest. Returns that height. */
export function drawRow(
  doc: PdfDoc,
  x: number,
  y: number,
  cells: readonly FormCell[],
  options: { minHeight?: number } = {},
): number {
  const height = rowHeight(cells, options);
  let cx = x;
  for (const cell of cells) {
    drawCell(doc, cx, y, height, cell);
    cx += cell.width;
  }
  return height;
}

export function rowHeight(cells: readonly FormCell[], options: { minHeight?: number } = {}): number {
  return Math.max(options.minHeight ?? 0, ...cells.map(cellHeight));
}

/** Convenience: a label cell and a value cell. */
export function labelValue(
  label: string,
  value: string,
  labelWidth: number,
  valueWidth: number,
  style?: TextStyle,
): FormCell[] {
  return [
    { width: labelWidth, text: label, role: "label", style },
    { width: valueWidth, text: value, role: "value", style },
  ];
}

/**
 * Vertical flow over pages: tracks the current y, starts a new page when a block does not fit,
 * and lets long text blocks continue on the next page.
 */
export class PageFlow {
  y: number;

  constructor(
    readonly doc: PdfDoc,
    readonly frame: { left: number; top: number; width: number; bottom: number },
    /** Called after each new page is added, e.g. to repeat a heading; may move `y`. */
    readonly onNewPage?: (flow: PageFlow) => void,
  ) {
    this.y = frame.top;
  }

  get left(): number {
    return this.frame.left;
  }

  get width(): number {
    return this.frame.width;
  }

  /** Space left on the current page. */
  get remaining(): number {
    return this.frame.bottom - this.y;
  }

  newPage(): void {
    this.doc.addPage();
    this.y = this.frame.top;
    this.onNewPage?.(this);
  }

  /** Starts a new page unless `height` fits on this one. Returns true when it did. */
  ensure(height: number): boolean {
    if (height <= this.remaining || this.y === this.frame.top) return false;
    this.newPage();
    return true;
  }

  /**
   * Draws a row of cells, moving to a new page first if it does not fit. `keepWithNext` is the
   * height of what follows that must share the page (e.g. under a section heading).
   */
  row(cells: readonly FormCell[], options: { minHeight?: number; keepWithNext?: number } = {}): number {
    this.ensure(rowHeight(cells, options) + (options.keepWithNext ?? 0));
    const h = drawRow(this.doc, this.left, this.y, cells, options);
    this.y += h;
    return h;
  }

  /**
   * A full-width bordered block of wrapped text that continues on following pages when long.
   * `minHeight` applies to the whole block (e.g. room to write by hand).
   */
  textBlock(text: string, options: { style?: TextStyle; padding?: number; minHeight?: number } = {}): void {
    const style: TextBoxOptions = { size: DEFAULT_SIZE, lineHeight: DEFAULT_LINE_HEIGHT, ...options.style };
    const padding = options.padding ?? DEFAULT_PADDING * 1.4;
    const lineBox = style.size! * style.lineHeight!;
    const inner = this.width - 2 * padding;
    const lines = wrapText(text, inner, style);
    let minLeft = options.minHeight ?? 0;
    let i = 0;
    do {
      const fitLines = Math.floor((this.remaining - 2 * padding) / lineBox);
      const wanted = lines.length - i;
      if (fitLines < Math.min(2, wanted) && this.y !== this.frame.top) {
        this.newPage();
        continue;
      }
      const take = Math.max(1, Math.min(wanted, fitLines));
      const chunk = lines.slice(i, i + take);
      i += take;
      const last = i >= lines.length;
      let height = chunk.length * lineBox + 2 * padding;
      if (last) height = Math.min(Math.max(height, minLeft), Math.max(height, this.remaining));
      this.doc
        .save()
        .lineWidth(0.75)
        .strokeColor("#000000")
        .rect(this.left, this.y, this.width, height)
        .stroke()
        .restore();
      drawLines(this.doc, chunk, this.left + padding, this.y + padding, {
        ...style,
        width: inner,
        align: "justify",
      });
      this.y += height;
      minLeft -= height;
      if (!last) this.newPage();
    } while (i < lines.length);
  }
}
