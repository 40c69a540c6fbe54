import fs from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logIn } from "#src/modules/accounts/accounts.server.ts";
import { draftFromForm } from "#src/modules/applications/applications.schema.ts";
import {
  saveDraft,
  startApplication,
  submitApplication,
} from "#src/modules/applications/applications.server.ts";
import { fixedClock } from "#src/platform/clock.ts";
import { createApp } from "#src/server/app.server.ts";
import { createEighthBatchCall, validApplicationForm } from "../support/application-fixtures.ts";
import { actorOf, createUserRecord, type MadeUser, TEST_PASSWORD } from "../support/factories.ts";
import { createTestContext, type TestContext } from "../support/test-db.ts";

// Uploads and downloads of application files through the HTTP boundary, with the application's
// own access rules. The UI is not needed here, so the React Router build is never loaded.
const clock = fixedClock("2023-02-20T10:00:00+08:00");
let t: TestContext;
let server: Server;
let base: string;
let callId: string;
let org: MadeUser;
let appId: string;
let version: number;
const cookies = new Map<string, string>();

const cookieFor = async (user: MadeUser) => {
  if (!cookies.has(user.id)) {
    const { token } = await logIn(t.ctx, actorOf(null), {
      kind: user.role === "org" ? "org" : "staff",
      login: user.login,
      password: TEST_PASSWORD,
    });
    cookies.set(user.id, `kepu_session=${token}`);
  }
  return cookies.get(user.id)!;
};

async function upload(user: MadeUser, slot: string, name: string, bytes: Buffer, id = appId) {
  const fd = new FormData();
  fd.append("file", new Blob([new Uint8Array(bytes)]), name);
  return fetch(`${base}/files/application/${id}/${slot}`, {
    method: "POST",
    body: fd,
    headers: { cookie: await cookieFor(user), origin: base },
  });
}

const jpeg = () =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: "#3366cc" } })
    .jpeg()
    .toBuffer();
const png = () =>
  sharp({ create: { width: 8, height: 8, channels: 3, background: "#000" } })
    .png()
    .toBuffer();
const pdf = () => Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
const countFiles = async () =>
  (await t.ctx.db.selectFrom("files").select("id").where("owner_id", "=", appId).execute()).length;

beforeAll(async () => {
  t = await createTestContext({ clock });
  t.ctx.config = { ...t.ctx.config, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "kepu-appfiles-")) };
  const app = createApp({
    ctx: t.ctx,
    build: async () => {
      throw new Error("the UI is not part of this test");
    },
    demo: () => false,
  });
  server = app.listen(0);
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  callId = await createEighthBatchCall(t.ctx);
  org = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
  appId = await startApplication(t.ctx, actorOf(org), callId);
  ({ version } = await saveDraft(t.ctx, actorOf(org), appId, draftFromForm(validApplicationForm()), 1));
});
afterAll(async () => {
  server?.close();
  await t?.close();
});

describe("application attachments over HTTP", () => {
  it("takes the applicant's photos and the stamped PDF", async () => {
    for (let i = 0; i < 3; i++) {
      expect((await upload(org, "overview_photos", `概况${i}.jpg`, await jpeg())).status).toBe(201);
      expect((await upload(org, "activity_photos", `活动${i}.jpg`, await jpeg())).status).toBe(201);
    }
    expect((await upload(org, "volunteer_proof", "志愿队.jpg", await jpeg())).status).toBe(201);
    const wrongType = await upload(org, "stamped_form", "申报表.pdf", await png());
    expect(wrongType.status).toBe(415);
    expect(await countFiles()).toBe(7);
    const res = await upload(org, "stamped_form", "申报表.pdf", pdf());
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      name: "申报表.pdf",
      mime: "application/pdf",
      slot: "stamped_form",
    });
  });

  it("refuses an HTML file renamed .jpg, storing nothing", async () => {
    const before = await countFiles();
    const res = await upload(
      org,
      "honors",
      "伪装.jpg",
      Buffer.from("<!doctype html><html><script>alert(1)</script></html>"),
    );
    expect(res.status).toBe(415);
    expect(await countFiles()).toBe(before);
  });

  it("answers a photo one byte over 10 MB with 413 and stores nothing", async () => {
    const before = await countFiles();
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0);
    (await jpeg()).copy(big);
    const res = await upload(org, "honors", "太大.jpg", big);
    expect(res.status).toBe(413);
    expect((await res.json()).error).toContain("10 MB");
    expect(await countFiles()).toBe(before);
  });

  it("hides the files from another organization and another county", async () => {
    const other = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
    expect((await upload(other, "honors", "a.jpg", await jpeg())).status).toBe(404);
    await submitApplication(t.ctx, actorOf(org), appId, version);

    const file = await t.ctx.db
      .selectFrom("files")
      .select("id")
      .where("owner_id", "=", appId)
      .where("slot", "=", "stamped_form")
      .executeTakeFirstOrThrow();
    const longyou = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
    const jiangshan = await createUserRecord(t.ctx, { role: "county", regionCode: "330881" });
    const ok = await fetch(`${base}/files/${file.id}`, { headers: { cookie: await cookieFor(longyou) } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-disposition")).toContain("attachment");
    expect(ok.headers.get("content-disposition")).toContain(encodeURIComponent("申报表.pdf"));
    const denied = await fetch(`${base}/files/${file.id}`, {
      headers: { cookie: await cookieFor(jiangshan) },
    });
    expect(denied.status).toBe(404);
    const other2 = await fetch(`${base}/files/${file.id}`, { headers: { cookie: await cookieFor(other) } });
    expect(other2.status).toBe(404);

    // Submitted: the applicant can still read but no longer change its files.
    expect((await upload(org, "honors", "晚了.jpg", await jpeg())).status).toBe(403);
  });
});

describe("科普活动照片 (3～5个) with the activity module registered in the same app", () => {
  it("refuses a 6th activity photo at upload and 2 photos at submit", async () => {
    const org2 = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
    const id = await startApplication(t.ctx, actorOf(org2), callId);
    const saved = await saveDraft(t.ctx, actorOf(org2), id, draftFromForm(validApplicationForm()), 1);
    for (let i = 0; i < 3; i++) {
      expect((await upload(org2, "overview_photos", `概况${i}.jpg`, await jpeg(), id)).status).toBe(201);
    }
    expect((await upload(org2, "volunteer_proof", "志愿队.jpg", await jpeg(), id)).status).toBe(201);
    expect((await upload(org2, "stamped_form", "申报表.pdf", pdf(), id)).status).toBe(201);
    for (let i = 0; i < 2; i++) {
      expect((await upload(org2, "activity_photos", `活动${i}.jpg`, await jpeg(), id)).status).toBe(201);
    }
    await expect(submitApplication(t.ctx, actorOf(org2), id, saved.version)).rejects.toMatchObject({
      fieldErrors: { file_activity_photos: "「科普活动照片」需上传 至少 3 个文件，当前 2 个" },
    });
    for (let i = 2; i < 5; i++) {
      expect((await upload(org2, "activity_photos", `活动${i}.jpg`, await jpeg(), id)).status).toBe(201);
    }
    const sixth = await upload(org2, "activity_photos", "活动6.jpg", await jpeg(), id);
    expect(sixth.status).toBe(422);
    expect((await sixth.json()).error).toBe("「科普活动照片」最多上传 5 个文件，请先删除后再上传");
    const photos = await t.ctx.db
      .selectFrom("files")
      .select("id")
      .where("owner_id", "=", id)
      .where("slot", "=", "activity_photos")
      .execute();
    expect(photos).toHaveLength(5);
    await submitApplication(t.ctx, actorOf(org2), id, saved.version);
  });
});
