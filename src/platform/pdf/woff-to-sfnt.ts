import { inflateSync } from "node:zlib";

/**
 * Converts a WOFF 1.0 font into a plain sfnt (TrueType/OpenType) buffer.
 *
 * Why: fontkit reads WOFF tables by inflating them with a pure-JS inflater on *every* access,
 * and its glyph decoder asks for the `glyf` table once per glyph. Laying out a page of Chinese
 * text from a WOFF therefore re-inflates the glyph table hundreds of times (seconds to minutes
 * per document). An sfnt buffer is read by slicing, so the same work takes milliseconds.
 *
 * `drop` removes tables pdfkit does not need. Dropping the OpenType layout tables (GSUB/GPOS/
 * GDEF…) makes fontkit skip complex shaping, which CJK form text does not need, and keeps
 * measured widths equal to the sum of glyph advances. `keep`, when given, keeps only those tables
 * (and skips inflating the rest), e.g. just enough to read the cmap.
 */
export function woffToSfnt(
  woff: Uint8Array,
  tablesFilter: { drop?: ReadonlySet<string>; keep?: ReadonlySet<string> } = {},
): Buffer {
  const { drop, keep } = tablesFilter;
  const src = Buffer.from(woff.buffer, woff.byteOffset, woff.byteLength);
  if (src.length < 44 || src.toString("latin1", 0, 4) !== "wOFF") {
    throw new Error("not a WOFF 1.0 font");
  }
  const flavor = src.readUInt32BE(4);
  const numTables = src.readUInt16BE(12);
  const tables: { tag: string; data: Buffer; checksum: number }[] = [];
  for (let i = 0; i < numTables; i++) {
    const e = 44 + i * 20;
    const tag = src.toString("latin1", e, e + 4);
    const offset = src.readUInt32BE(e + 4);
    const compLength = src.readUInt32BE(e + 8);
    const origLength = src.readUInt32BE(e + 12);
    const checksum = src.readUInt32BE(e + 16);
    if (drop?.has(tag) || (keep && !keep.has(tag))) continue;
    if (offset + compLength > src.length) throw new Error(`WOFF table ${tag} out of bounds`);
    const raw = src.subarray(offset, offset + compLength);
    const data = compLength < origLength ? inflateSync(raw) : Buffer.from(raw);
    if (data.length !== origLength) throw new Error(`WOFF table ${tag} has the wrong length`);
    tables.push({ tag, data, checksum });
  }
  tables.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));

  const n = tables.length;
  let entrySelector = 0;
  while (1 << (entrySelector + 1) <= n) entrySelector++;
  const searchRange = (1 << entrySelector) * 16;
  const headerSize = 12 + n * 16;
  let total = headerSize;
  for (const t of tables) total += pad4(t.data.length);

  const out = Buffer.alloc(total);
  out.writeUInt32BE(flavor, 0);
  out.writeUInt16BE(n, 4);
  out.writeUInt16BE(searchRange, 6);
  out.writeUInt16BE(entrySelector, 8);
  out.writeUInt16BE(n * 16 - searchRange, 10);

  let offset = headerSize;
  let headOffset = -1;
  tables.forEach((t, i) => {
    const r = 12 + i * 16;
    out.write(t.tag, r, 4, "latin1");
    out.writeUInt32BE(t.checksum >>> 0, r + 4);
    out.writeUInt32BE(offset, r + 8);
    out.writeUInt32BE(t.data.length, r + 12);
    t.data.copy(out, offset);
    if (t.tag === "head") headOffset = offset;
    offset += pad4(t.data.length);
  });

  // The whole-file checksum changed when tables were dropped: recompute head.checkSumAdjustment.
  if (headOffset >= 0 && tables.length < numTables) {
    out.writeUInt32BE(0, headOffset + 8);
    out.writeUInt32BE((0xb1b0afba - checksum(out)) >>> 0, headOffset + 8);
  }
  return out;
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

function checksum(buf: Buffer): number {
  let sum = 0;
  for (let i = 0; i + 4 <= buf.length; i += 4) sum = (sum + buf.readUInt32BE(i)) >>> 0;
  return sum;
}
