import { inflateSync } from "node:zlib";

/**
 * A small text extractor for the PDFs pdfkit writes (classic xref, FlateDecode streams, Type0
 * fonts with Identity-H encoding and a ToUnicode CMap). It exists so tests can check that the
 * Chinese text in a generated PDF is really there and maps back to Unicode, without poppler.
 * It is not a general PDF parser.
 */

export interface ExtractedPage {
  /** Text in drawing order, each text-showing operator's output concatenated. */
  readonly text: string;
  /** Font resource names used on the page (e.g. "F3"). */
  readonly fonts: readonly string[];
  /** Glyphs shown with glyph id 0 (.notdef), i.e. characters no embedded font could draw. */
  readonly notdefCount: number;
}

interface PdfObject {
  readonly dict: string;
  readonly stream?: Buffer;
}

function parseObjects(pdf: Buffer): Map<number, PdfObject> {
  const src = pdf.toString("latin1");
  const objects = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\s*([\s\S]*?)endobj/g;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    const body = m[2];
    const s = body.indexOf("stream");
    if (s < 0) {
      objects.set(Number(m[1]), { dict: body });
      continue;
    }
    const dict = body.slice(0, s);
    let start = s + "stream".length;
    if (body[start] === "\r") start++;
    if (body[start] === "\n") start++;
    const length = Number(/\/Length (\d+)/.exec(dict)?.[1] ?? "0");
    let data = Buffer.from(body.slice(start, start + length), "latin1");
    if (/\/FlateDecode/.test(dict)) data = inflateSync(data);
    objects.set(Number(m[1]), { dict, stream: data });
  }
  return objects;
}

const ref = (dict: string, key: string): number | undefined => {
  const m = new RegExp(`/${key} (\\d+) 0 R`).exec(dict);
  return m ? Number(m[1]) : undefined;
};

function utf16Hex(spaced: string): string {
  const hex = spaced.replace(/\s+/g, "");
  const units: number[] = [];
  for (let i = 0; i + 4 <= hex.length; i += 4) units.push(Number.parseInt(hex.slice(i, i + 4), 16));
  return String.fromCharCode(...units);
}

/** Parses bfchar and bfrange entries of a ToUnicode CMap into code → text. */
export function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F\s]*)>/g)) {
      map.set(Number.parseInt(m[1], 16), utf16Hex(m[2]));
    }
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    const re = /<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F\s]*>)/g;
    for (const m of block[1].matchAll(re)) {
      const lo = Number.parseInt(m[1], 16);
      const hi = Number.parseInt(m[2], 16);
      if (m[3].startsWith("[")) {
        const dsts = [...m[3].matchAll(/<([0-9a-fA-F\s]*)>/g)].map((d) => d[1]);
        dsts.forEach((d, i) => {
          if (lo + i <= hi) map.set(lo + i, utf16Hex(d));
        });
      } else {
        const base = utf16Hex(m[3].slice(1, -1));
        const last = base.charCodeAt(base.length - 1);
        for (let c = lo; c <= hi; c++) map.set(c, base.slice(0, -1) + String.fromCharCode(last + c - lo));
      }
    }
  }
  return map;
}

/** Extracts the text of each page, in page order. */
export function extractPdfText(pdf: Buffer): ExtractedPage[] {
  const objects = parseObjects(pdf);
  const get = (n: number | undefined) => (n === undefined ? undefined : objects.get(n));
  const catalog = [...objects.values()].find((o) => /\/Type \/Catalog/.test(o.dict));
  const pagesRoot = get(catalog && ref(catalog.dict, "Pages"));
  const kids = /\/Kids \[([^\]]*)\]/.exec(pagesRoot?.dict ?? "")?.[1] ?? "";
  const pageIds = [...kids.matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]));

  const cmapCache = new Map<number, Map<number, string>>();
  const fontCmap = (fontObj: number): Map<number, string> => {
    let cmap = cmapCache.get(fontObj);
    if (!cmap) {
      const font = get(fontObj);
      const tu = get(font && ref(font.dict, "ToUnicode"));
      cmap = tu?.stream ? parseToUnicode(tu.stream.toString("latin1")) : new Map();
      cmapCache.set(fontObj, cmap);
    }
    return cmap;
  };

  return pageIds.map((id) => {
    const page = get(id)!;
    const resources = get(ref(page.dict, "Resources"));
    const fontDict = /\/Font <<([^>]*)>>/.exec(resources?.dict ?? page.dict)?.[1] ?? "";
    const fonts = new Map([...fontDict.matchAll(/\/(\w+) (\d+) 0 R/g)].map((m) => [m[1], Number(m[2])]));
    const content = get(ref(page.dict, "Contents"))?.stream?.toString("latin1") ?? "";
    let text = "";
    let notdefCount = 0;
    let cmap = new Map<number, string>();
    const ops = /\/(\w+)\s+[\d.]+\s+Tf|\[((?:[^\]])*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g;
    for (const m of content.matchAll(ops)) {
      if (m[1] !== undefined) {
        const obj = fonts.get(m[1]);
        cmap = obj === undefined ? new Map() : fontCmap(obj);
        continue;
      }
      const hexes = m[2] !== undefined ? [...m[2].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]) : [m[3]];
      for (const hex of hexes) {
        for (let i = 0; i + 4 <= hex.length; i += 4) {
          const code = Number.parseInt(hex.slice(i, i + 4), 16);
          if (code === 0) notdefCount++;
          text += cmap.get(code) ?? "\uFFFD";
        }
      }
    }
    return { text, fonts: [...fonts.keys()], notdefCount };
  });
}
