import { describe, expect, it } from "vitest";
import yazl from "yazl";
import { readZipBounded, ZipFormatError, ZipLimitError } from "./bounded-zip.server.ts";

async function zipOf(entries: Record<string, Buffer>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, body] of Object.entries(entries)) zip.addBuffer(body, name);
  zip.end();
  const parts: Buffer[] = [];
  for await (const p of zip.outputStream) parts.push(p as Buffer);
  return Buffer.concat(parts);
}

const limits = { maxEntries: 4, maxEntryBytes: 64 * 1024, maxTotalBytes: 100 * 1024 };

describe("readZipBounded", () => {
  it("returns the entries asked for, whole", async () => {
    const zip = await zipOf({ "a.xml": Buffer.from("<a/>"), "b.bin": Buffer.alloc(1000, 7) });
    const kept = await readZipBounded(zip, limits, (n) => n.endsWith(".xml"));
    expect([...kept.keys()]).toEqual(["a.xml"]);
    expect(kept.get("a.xml")?.toString()).toBe("<a/>");
  });

  it("refuses an entry that inflates past its limit, naming it", async () => {
    const zip = await zipOf({ "xl/worksheets/sheet1.xml": Buffer.alloc(64 * 1024 + 1, 65) });
    const err = await readZipBounded(zip, limits).catch((e) => e);
    expect(err).toBeInstanceOf(ZipLimitError);
    expect(err.violation).toEqual({ kind: "entry", entry: "xl/worksheets/sheet1.xml", limit: 64 * 1024 });
  });

  it("refuses too many entries and too many bytes in all", async () => {
    const many = await zipOf(Object.fromEntries(["a", "b", "c", "d", "e"].map((n) => [n, Buffer.from(n)])));
    expect((await readZipBounded(many, limits).catch((e) => e)).violation).toEqual({
      kind: "entries",
      limit: 4,
    });
    const big = await zipOf({ a: Buffer.alloc(60 * 1024), b: Buffer.alloc(60 * 1024) });
    expect((await readZipBounded(big, limits).catch((e) => e)).violation).toEqual({
      kind: "total",
      limit: 100 * 1024,
    });
  });

  it("calls anything that is not a ZIP unreadable", async () => {
    expect(await readZipBounded(Buffer.from("not a zip at all"), limits).catch((e) => e)).toBeInstanceOf(
      ZipFormatError,
    );
  });
});
