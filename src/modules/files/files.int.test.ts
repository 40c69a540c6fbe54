import fs from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import express from "express";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditEvents } from "#src/modules/audit/audit.server.ts";
import type { AppContext, SessionUser } from "#src/platform/context.ts";
import { newId } from "#src/platform/ids.ts";
import { openStorage } from "#src/platform/storage/index.ts";
import { actorOf, createUserRecord } from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { createFilesRouter } from "./files.router.ts";
import { countFilesBySlot, listFiles, registerFileOwner } from "./files.server.ts";
import { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from "./slots.ts";

/** A small PDF limit keeps the size tests fast. */
const PDF_LIMIT = 4096;
const limits: UploadLimits = { ...DEFAULT_UPLOAD_LIMITS, pdf: PDF_LIMIT };

// A fake owner type: each owner lists who may read and who may write, like an application would.
interface FakeOwner {
  regionCode: string;
  readers: Set<string>;
  writers: Set<string>;
}
const owners = new Map<string, FakeOwner>();
registerFileOwner("test_owner", {
  slots: [
    "stamped_form",
    "overview_photos",
    "activity_photos",
    "volunteer_proof",
    "honors",
    "others",
    "site_inspection_photos",
  ],
  async canRead(_ctx, actor, ownerId) {
    const o = owners.get(ownerId);
    if (!o || !actor.user) return null;
    return o.readers.has(actor.user.id) || o.writers.has(actor.user.id) ? { regionCode: o.regionCode } : null;
  },
  async canWrite(_ctx, actor, ownerId) {
    const o = owners.get(ownerId);
    if (!o || !actor.user) return null;
    return o.writers.has(actor.user.id) ? { regionCode: o.regionCode } : null;
  },
});

let t: TestContext;
let ctx: AppContext;
let dataDir: string;
let server: Server;
let base: string;
let org: SessionUser;
let county: SessionUser;
let stranger: SessionUser;
/** A signed-in user whose row is missing, so inserting a file row for them fails (created_by is a foreign key). */
let ghost: SessionUser;
const users = new Map<string, SessionUser>();

beforeAll(async () => {
  t = await createTestContext();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kepu-files-"));
  ctx = { ...t.ctx, config: { ...t.ctx.config, dataDir } };
  org = await createUserRecord(ctx, { role: "org" });
  county = await createUserRecord(ctx, { role: "county" });
  stranger = await createUserRecord(ctx, { role: "org" });
  ghost = { ...org, id: newId(), login: "ghost" };
  for (const u of [org, county, stranger, ghost]) users.set(u.id, u);

  const app = express();
  app.set("trust proxy", false);
  app.use((req, res, next) => {
    res.locals.user = users.get(req.get("x-test-user") ?? "") ?? null;
    next();
  });
  app.use(createFilesRouter(ctx, { limits }));
  server = app.listen(0);
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await t?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A new owner that `org` may write and `county` may read. */
function newOwner(): string {
  const id = newId();
  owners.set(id, {
    regionCode: "330825",
    readers: new Set([county.id]),
    writers: new Set([org.id, ghost.id]),
  });
  return id;
}

async function upload(
  ownerId: string,
  slot: string,
  body: Uint8Array | string,
  name: string,
  opts: { user?: SessionUser | null; type?: string; ownerType?: string } = {},
) {
  const form = new FormData();
  form.append(
    "file",
    new Blob([typeof body === "string" ? body : new Uint8Array(body)], {
      type: opts.type ?? "application/octet-stream",
    }),
    name,
  );
  const user = opts.user === undefined ? org : opts.user;
  return fetch(`${base}/files/${opts.ownerType ?? "test_owner"}/${ownerId}/${slot}`, {
    method: "POST",
    body: form,
    headers: user ? { "x-test-user": user.id } : {},
  });
}

const get = (url: string, user: SessionUser | null = org) =>
  fetch(`${base}${url}`, { headers: user ? { "x-test-user": user.id } : {} });

const photo = (opts: { width?: number; height?: number; marker?: string } = {}) =>
  sharp({
    create: { width: opts.width ?? 200, height: opts.height ?? 100, channels: 3, background: "#3366cc" },
  })
    .withExif({
      IFD0: { ImageDescription: opts.marker ?? "KEPU-EXIF-MARKER", Make: "TestCam" },
      IFD3: {
        GPSLatitudeRef: "N",
        GPSLatitude: "28/1 58/1 1234/100",
        GPSLongitudeRef: "E",
        GPSLongitude: "118/1 52/1 0/1",
      },
    })
    .withMetadata({ orientation: 6 })
    .jpeg()
    .toBuffer();

const png = () =>
  sharp({ create: { width: 50, height: 40, channels: 4, background: { r: 0, g: 128, b: 0, alpha: 0.5 } } })
    .png()
    .toBuffer();

/** A PDF padded with a trailing comment to exactly `size` bytes; file-type knows it by `%PDF-`. */
function pdfOfSize(size: number): Buffer {
  const head = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n%");
  return Buffer.concat([head, Buffer.alloc(size - head.length, 0x20)]);
}

async function rowsOf(ownerId: string) {
  return ctx.db.selectFrom("files").selectAll().where("owner_id", "=", ownerId).execute();
}

/** Every regular file under the storage root and the upload temp dir. */
function storedFiles(): string[] {
  const out: string[] = [];
  for (const dir of [path.join(dataDir, "files"), path.join(dataDir, "tmp")]) {
    if (!fs.existsSync(dir)) continue;
    for (const d of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (d.isFile()) out.push(path.join(d.parentPath, d.name));
    }
  }
  return out.sort();
}

async function auditOf(action: string, targetId?: string) {
  const events = await listAuditEvents(ctx, { action, limit: 500 });
  return targetId ? events.filter((e) => e.target_id === targetId) : events;
}

describe("upload of a photo", () => {
  it("re-encodes it without EXIF/GPS, applies the orientation and makes a thumbnail", async () => {
    const ownerId = newOwner();
    const input = await photo();
    expect((await sharp(input).metadata()).exif).toBeDefined();

    const res = await upload(ownerId, "overview_photos", input, "基地概况.jpg", { type: "image/jpeg" });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({
      name: "基地概况.jpg",
      mime: "image/jpeg",
      kind: "image",
      url: `/files/${body.id}`,
      thumbUrl: `/files/${body.id}/thumb`,
    });

    const [row] = await rowsOf(ownerId);
    expect(row).toMatchObject({
      id: body.id,
      owner_type: "test_owner",
      slot: "overview_photos",
      region_code: "330825",
      created_by: org.id,
      width: 100,
      height: 200,
    });
    const storage = openStorage(ctx.config);
    const stored = fs.readFileSync(path.join(dataDir, "files", ...row.storage_key.split("/")));
    expect(Number(row.size)).toBe(stored.length);
    expect(body.size).toBe(stored.length);
    const meta = await sharp(stored).metadata();
    expect(meta.format).toBe("jpeg");
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect([meta.width, meta.height]).toEqual([100, 200]);
    expect(stored.includes("KEPU-EXIF-MARKER")).toBe(false);
    expect(stored.includes("TestCam")).toBe(false);

    expect(row.thumb_key).toBe(`${row.storage_key}-thumb`);
    expect(await storage.stat(row.thumb_key!)).not.toBeNull();
    const thumb = await get(body.thumbUrl);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("content-type")).toBe("image/jpeg");
    const thumbMeta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect(thumbMeta.width).toBeLessThanOrEqual(320);
    expect(thumbMeta.exif).toBeUndefined();
  });

  it("keeps a PNG as PNG, scales large images down to 4096 px, and renames a mislabelled extension", async () => {
    const ownerId = newOwner();
    const res = await upload(ownerId, "activity_photos", await png(), "截图.gif");
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ mime: "image/png", name: "截图.png" });

    const big = await sharp({ create: { width: 5000, height: 1000, channels: 3, background: "#ffffff" } })
      .jpeg()
      .toBuffer();
    const res2 = await upload(ownerId, "activity_photos", big, "wide.jpg");
    expect(res2.status).toBe(201);
    const row = (await rowsOf(ownerId)).find((r) => r.original_name === "wide.jpg")!;
    expect([row.width, row.height]).toEqual([4096, 819]);
  });

  it("refuses a broken image that merely starts like a JPEG", async () => {
    const ownerId = newOwner();
    const before = storedFiles();
    const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 0x41)]);
    const res = await upload(ownerId, "overview_photos", fake, "bad.jpg");
    expect(res.status).toBe(415);
    expect((await res.json()).error).toContain("图片已损坏");
    expect(await rowsOf(ownerId)).toEqual([]);
    expect(storedFiles()).toEqual(before);
  });
});

describe("type checks by magic bytes", () => {
  it("refuses HTML renamed .jpg with 415 and stores nothing", async () => {
    const ownerId = newOwner();
    const before = storedFiles();
    const res = await upload(
      ownerId,
      "overview_photos",
      "<html><script>alert(1)</script></html>",
      "photo.jpg",
      {
        type: "image/jpeg",
      },
    );
    expect(res.status).toBe(415);
    expect((await res.json()).error).toBe(
      "「基地概况照片」只接受 图片（jpg、jpeg、png、webp、avif） 文件，所选文件的实际格式不符",
    );
    expect(await rowsOf(ownerId)).toEqual([]);
    expect(storedFiles()).toEqual(before);
    const [failure] = await auditOf("file.upload", ownerId);
    expect(failure).toMatchObject({ outcome: "failure", target_type: "test_owner", actor_id: org.id });
    expect(JSON.parse(failure.detail!)).toMatchObject({
      reason: "type_not_allowed",
      slot: "overview_photos",
    });
  });

  it("refuses a PNG in the PDF slot with 415", async () => {
    const ownerId = newOwner();
    const res = await upload(ownerId, "stamped_form", await png(), "申报表.pdf", { type: "application/pdf" });
    expect(res.status).toBe(415);
    expect((await res.json()).error).toContain("「盖章的申报表」只接受 PDF（pdf） 文件");
    expect(await rowsOf(ownerId)).toEqual([]);
  });

  it("accepts a PDF in the mixed slot whatever MIME type the browser claimed", async () => {
    const ownerId = newOwner();
    const res = await upload(ownerId, "volunteer_proof", pdfOfSize(1000), "注册证明", { type: "image/png" });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ mime: "application/pdf", kind: "pdf", name: "注册证明.pdf" });
  });
});

describe("size limits", () => {
  it("accepts a file of exactly the limit and refuses limit + 1 byte with 413, storing nothing", async () => {
    const ownerId = newOwner();
    const ok = await upload(ownerId, "stamped_form", pdfOfSize(PDF_LIMIT), "申报表.pdf");
    expect(ok.status).toBe(201);
    expect((await ok.json()).size).toBe(PDF_LIMIT);

    const other = newOwner();
    const before = storedFiles();
    const res = await upload(other, "stamped_form", pdfOfSize(PDF_LIMIT + 1), "申报表.pdf");
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: "文件超过 4 KB 的上限" });
    expect(await rowsOf(other)).toEqual([]);
    expect(storedFiles()).toEqual(before);
    const [failure] = await auditOf("file.upload", other);
    expect(JSON.parse(failure.detail!)).toMatchObject({ reason: "too_large" });
  });

  it("refuses a body whose Content-Length is far over the limit before reading it", async () => {
    const ownerId = newOwner();
    const before = storedFiles();
    const res = await upload(ownerId, "stamped_form", pdfOfSize(200_000), "big.pdf");
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: "文件超过 4 KB 的上限" });
    expect(storedFiles()).toEqual(before);
    const [failure] = await auditOf("file.upload", ownerId);
    expect(JSON.parse(failure.detail!)).toMatchObject({
      reason: "too_large",
      contentLength: expect.any(Number),
    });
  });

  it("stops a chunked upload (no Content-Length) at the limit while it streams", async () => {
    const ownerId = newOwner();
    const before = storedFiles();
    const boundary = "----kepu-test-boundary";
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n`;
    const chunk = pdfOfSize(64 * 1024);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode(head));
      },
      pull(c) {
        // Up to 8 MB, far more than the limit; the server answers long before the end.
        if (sent >= 8 * 1024 * 1024) {
          c.enqueue(new TextEncoder().encode(`\r\n--${boundary}--\r\n`));
          c.close();
          return;
        }
        sent += chunk.length;
        c.enqueue(chunk);
      },
    });
    const res = await fetch(`${base}/files/test_owner/${ownerId}/stamped_form`, {
      method: "POST",
      body,
      duplex: "half",
      headers: { "x-test-user": org.id, "content-type": `multipart/form-data; boundary=${boundary}` },
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: "文件超过 4 KB 的上限" });
    expect(await rowsOf(ownerId)).toEqual([]);
    expect(storedFiles()).toEqual(before);
  });

  it("refuses an empty file and a request without a file", async () => {
    const ownerId = newOwner();
    const empty = await upload(ownerId, "stamped_form", new Uint8Array(0), "空.pdf");
    expect(empty.status).toBe(422);
    expect((await empty.json()).error).toBe("文件为空，请重新选择");

    const form = new FormData();
    form.append("note", "no file here");
    const none = await fetch(`${base}/files/test_owner/${ownerId}/stamped_form`, {
      method: "POST",
      body: form,
      headers: { "x-test-user": org.id },
    });
    expect(none.status).toBe(422);
    expect((await none.json()).error).toBe("请选择要上传的文件");

    const notMultipart = await fetch(`${base}/files/test_owner/${ownerId}/stamped_form`, {
      method: "POST",
      body: "x",
      headers: { "x-test-user": org.id, "content-type": "text/plain" },
    });
    expect(notMultipart.status).toBe(400);
  });
});

describe("count limits", () => {
  it("refuses a second stamped form with 422", async () => {
    const ownerId = newOwner();
    expect((await upload(ownerId, "stamped_form", pdfOfSize(500), "a.pdf")).status).toBe(201);
    const res = await upload(ownerId, "stamped_form", pdfOfSize(500), "b.pdf");
    expect(res.status).toBe(422);
    expect((await res.json()).error).toBe("「盖章的申报表」最多上传 1 个文件，请先删除后再上传");
    expect(await rowsOf(ownerId)).toHaveLength(1);
  });

  it("lets only one of several simultaneous uploads take the last place", async () => {
    const ownerId = newOwner();
    const results = await Promise.all(
      [1, 2, 3, 4].map((i) => upload(ownerId, "stamped_form", pdfOfSize(600 + i), `${i}.pdf`)),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 422, 422, 422]);
    expect(await rowsOf(ownerId)).toHaveLength(1);
    // Every place taken by a loser was cleaned up: one object for the one row.
    const keys = storedFiles().filter((f) => f.includes(`${path.sep}files${path.sep}`));
    const allRows = await ctx.db.selectFrom("files").select(["storage_key", "thumb_key"]).execute();
    expect(keys.length).toBe(allRows.reduce((n, r) => n + (r.thumb_key ? 2 : 1), 0));
  });

  it("counts files by slot for submit-time checks", async () => {
    const ownerId = newOwner();
    await upload(ownerId, "stamped_form", pdfOfSize(500), "a.pdf");
    await upload(ownerId, "honors", pdfOfSize(500), "h1.pdf");
    await upload(ownerId, "honors", await png(), "h2.png");
    expect(await countFilesBySlot(ctx, "test_owner", ownerId)).toEqual({ stamped_form: 1, honors: 2 });
  });
});

describe("authorization", () => {
  it("answers 401 to anonymous uploads and downloads", async () => {
    const ownerId = newOwner();
    expect((await upload(ownerId, "stamped_form", pdfOfSize(500), "a.pdf", { user: null })).status).toBe(401);
    const res = await upload(ownerId, "stamped_form", pdfOfSize(500), "a.pdf");
    const { id } = await res.json();
    const anon = await get(`/files/${id}`, null);
    expect(anon.status).toBe(401);
    // The same answer for an id that does not exist: nothing is revealed.
    expect((await get(`/files/${newId()}`, null)).status).toBe(401);
  });

  it("answers 404 to a stranger and 403 to a reader who may not write", async () => {
    const ownerId = newOwner();
    const byStranger = await upload(ownerId, "stamped_form", pdfOfSize(500), "a.pdf", { user: stranger });
    expect(byStranger.status).toBe(404);
    const byReader = await upload(ownerId, "stamped_form", pdfOfSize(500), "a.pdf", { user: county });
    expect(byReader.status).toBe(403);
    expect(await rowsOf(ownerId)).toEqual([]);
    const denials = (await auditOf("access.denied", ownerId)).map((e) => JSON.parse(e.detail!).reason);
    expect(denials).toEqual(["file_write", "file_write"]);
  });

  it("answers 404 for an unknown owner type or a slot the owner does not use", async () => {
    const ownerId = newOwner();
    expect(
      (await upload(ownerId, "stamped_form", pdfOfSize(500), "a.pdf", { ownerType: "nothing" })).status,
    ).toBe(404);
    expect((await upload(ownerId, "no_such_slot", pdfOfSize(500), "a.pdf")).status).toBe(404);
    registerFileOwner("narrow_owner", {
      slots: ["honors"],
      canRead: async () => ({ regionCode: "330825" }),
      canWrite: async () => ({ regionCode: "330825" }),
    });
    const res = await upload(ownerId, "stamped_form", pdfOfSize(500), "a.pdf", { ownerType: "narrow_owner" });
    expect(res.status).toBe(404);
    expect((await res.json()).error).toBe("未找到该上传位置");
  });

  it("lets only readers download: others get the same 404 as a missing file, and the denial is audited", async () => {
    const ownerId = newOwner();
    const { id } = await (await upload(ownerId, "stamped_form", pdfOfSize(500), "a.pdf")).json();
    expect((await get(`/files/${id}`, stranger)).status).toBe(404);
    expect((await get(`/files/${id}/thumb`, stranger)).status).toBe(404);
    expect((await get(`/files/${newId()}`, stranger)).status).toBe(404);
    expect((await get(`/files/not-an-id`, stranger)).status).toBe(404);
    expect((await get(`/files/${id}`, county)).status).toBe(200);
    const denied = await auditOf("access.denied", id);
    expect(denied[0]).toMatchObject({ actor_id: stranger.id, target_type: "file", outcome: "denied" });
    await expect(listFiles(ctx, actorOf(stranger), "test_owner", ownerId)).rejects.toMatchObject({
      status: 404,
    });
  });

  it("refuses every file action to a user who must still change the password", async () => {
    const ownerId = newOwner();
    const pending = { ...org, mustChangePassword: true };
    users.set("pending", pending);
    const res = await fetch(`${base}/files/test_owner/${ownerId}/stamped_form`, {
      method: "POST",
      body: (() => {
        const f = new FormData();
        f.append("file", new Blob([new Uint8Array(pdfOfSize(500))]), "a.pdf");
        return f;
      })(),
      headers: { "x-test-user": "pending" },
    });
    expect(res.status).toBe(403);
    expect((await res.json()).error).toBe("请先修改初始密码");
    await expect(listFiles(ctx, actorOf(pending), "test_owner", ownerId)).rejects.toMatchObject({
      status: 403,
    });
  });
});

describe("download", () => {
  it("sends the bytes as an attachment with the UTF-8 file name and safe headers, and audits it", async () => {
    const ownerId = newOwner();
    const pdf = pdfOfSize(1500);
    const { id } = await (
      await upload(ownerId, "stamped_form", pdf, "衢州市科普基地申报表（盖章）.pdf")
    ).json();
    const res = await get(`/files/${id}`, county);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(pdf)).toBe(true);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="file.pdf"; filename*=UTF-8''${encodeURIComponent("衢州市科普基地申报表（盖章）.pdf")}`,
    );
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(res.headers.get("content-security-policy")).toContain("sandbox");

    const [event] = await auditOf("file.download", id);
    expect(event).toMatchObject({ actor_id: county.id, target_type: "file", outcome: "success" });
    expect(JSON.parse(event.detail!)).toMatchObject({ ownerId, slot: "stamped_form", inline: false });
    const [uploaded] = await auditOf("file.upload", id);
    expect(uploaded).toMatchObject({ actor_id: org.id, outcome: "success" });
    expect(JSON.parse(uploaded.detail!)).toMatchObject({ ownerId, slot: "stamped_form", size: 1500 });
  });

  it("shows images and PDFs inline on request, but never other kinds", async () => {
    const ownerId = newOwner();
    const pdf = await (await upload(ownerId, "others", pdfOfSize(700), "说明.pdf")).json();
    const inlinePdf = await get(`/files/${pdf.id}?inline=1`);
    expect(inlinePdf.headers.get("content-disposition")).toMatch(/^inline; /);
    expect(inlinePdf.headers.get("content-security-policy")).toBe("frame-ancestors 'self'");

    const img = await (await upload(ownerId, "others", await png(), "图.png")).json();
    const inlineImg = await get(`/files/${img.id}?inline=1`);
    expect(inlineImg.headers.get("content-type")).toBe("image/png");
    expect(inlineImg.headers.get("content-disposition")).toMatch(/^inline; /);

    // A .docx is a zip that file-type recognizes; documents are always attachments.
    const docx = await minimalDocx();
    const doc = await (await upload(ownerId, "others", docx, "报告.docx")).json();
    expect(doc).toMatchObject({ kind: "document" });
    const inlineDoc = await get(`/files/${doc.id}?inline=1`);
    expect(inlineDoc.status).toBe(200);
    expect(inlineDoc.headers.get("content-disposition")).toMatch(/^attachment; /);
  });

  it("lists an owner's files for a reader", async () => {
    const ownerId = newOwner();
    await upload(ownerId, "stamped_form", pdfOfSize(500), "a.pdf");
    await upload(ownerId, "overview_photos", await photo(), "b.jpg");
    const list = await listFiles(ctx, actorOf(county), "test_owner", ownerId);
    expect(list.map((f) => [f.slot, f.name, f.kind, !!f.thumbUrl])).toEqual([
      ["stamped_form", "a.pdf", "pdf", false],
      ["overview_photos", "b.jpg", "image", true],
    ]);
  });
});

describe("delete", () => {
  it("lets a writer delete: the row, the bytes and the thumbnail go, and it is audited", async () => {
    const ownerId = newOwner();
    const { id } = await (await upload(ownerId, "overview_photos", await photo(), "x.jpg")).json();
    const [row] = await rowsOf(ownerId);
    const storage = openStorage(ctx.config);

    const byReader = await fetch(`${base}/files/${id}`, {
      method: "DELETE",
      headers: { "x-test-user": county.id },
    });
    expect(byReader.status).toBe(403);
    const byStranger = await fetch(`${base}/files/${id}/delete`, {
      method: "POST",
      headers: { "x-test-user": stranger.id },
    });
    expect(byStranger.status).toBe(404);
    expect(await rowsOf(ownerId)).toHaveLength(1);

    const res = await fetch(`${base}/files/${id}`, { method: "DELETE", headers: { "x-test-user": org.id } });
    expect(res.status).toBe(204);
    expect(await rowsOf(ownerId)).toEqual([]);
    expect(await storage.stat(row.storage_key)).toBeNull();
    expect(await storage.stat(row.thumb_key!)).toBeNull();
    const [event] = await auditOf("file.delete", id);
    expect(event).toMatchObject({ actor_id: org.id, outcome: "success" });
    expect((await get(`/files/${id}`)).status).toBe(404);
    // Deleting frees the place in the slot.
    const again = await fetch(`${base}/files/${id}`, {
      method: "DELETE",
      headers: { "x-test-user": org.id },
    });
    expect(again.status).toBe(404);
  });
});

describe("atomicity", () => {
  it("removes the stored bytes when the row cannot be inserted", async () => {
    const ownerId = newOwner();
    const before = storedFiles();
    const res = await upload(ownerId, "overview_photos", await photo(), "x.jpg", { user: ghost });
    expect(res.status).toBe(500);
    expect((await res.json()).error).toBe("服务器内部错误，请稍后再试");
    expect(await rowsOf(ownerId)).toEqual([]);
    expect(storedFiles()).toEqual(before);
  });
});

/** The smallest .docx that file-type recognizes: a zip holding [Content_Types].xml and word/document.xml. */
async function minimalDocx(): Promise<Buffer> {
  const { ZipFile } = await import("yazl");
  const zip = new ZipFile();
  zip.addBuffer(
    Buffer.from(
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ),
    "[Content_Types].xml",
  );
  zip.addBuffer(Buffer.from("<w:document/>"), "word/document.xml");
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
