import fs from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import type { ServerBuild } from "react-router";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentTotp } from "#src/modules/accounts/two-factor.rules.ts";
import { enableTwoFactorWithSecret } from "#src/modules/accounts/two-factor.server.ts";
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

// The second factor at the HTTP boundary, against the real server build (`npm run build` first):
// a password-only session reaches nothing but /login/two-factor.
const buildPath = path.resolve("build/server/index.js");
if (!fs.existsSync(buildPath)) throw new Error("build/server/index.js is missing: run `npm run build` first");

const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
let t: TestContext;
let server: Server;
let base: string;
let county: MadeUser;
let appId: string;
let fileId: string;

beforeAll(async () => {
  // The 8th batch call's dates (2023); sessions follow this clock, TOTP codes the wall clock.
  t = await createTestContext({ clock: fixedClock("2023-02-20T10:00:00+08:00") });
  t.ctx.config = { ...t.ctx.config, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "kepu-2fa-http-")) };
  const build = (await import(buildPath)) as ServerBuild;
  const app = createApp({ ctx: t.ctx, build, demo: () => false });
  server = app.listen(0);
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // A submitted application in 龙游县 with one file, which the county may read.
  const callId = await createEighthBatchCall(t.ctx);
  const org = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
  appId = await startApplication(t.ctx, actorOf(org), callId);
  const { version } = await saveDraft(t.ctx, actorOf(org), appId, draftFromForm(validApplicationForm()), 1);
  const orgCookie = await fullLogin("/login/org", { uscc: org.login });
  const upload = async (slot: string, name: string, bytes: Buffer) => {
    const fd = new FormData();
    fd.append("file", new Blob([new Uint8Array(bytes)]), name);
    const up = await fetch(`${base}/files/application/${appId}/${slot}`, {
      method: "POST",
      body: fd,
      headers: { cookie: orgCookie, origin: base },
    });
    expect(up.status).toBe(201);
    return ((await up.json()) as { id: string }).id;
  };
  const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#3366cc" } })
    .jpeg()
    .toBuffer();
  for (let i = 0; i < 3; i++) {
    await upload("overview_photos", `概况${i}.jpg`, jpeg);
    await upload("activity_photos", `活动${i}.jpg`, jpeg);
  }
  await upload("volunteer_proof", "志愿队.jpg", jpeg);
  fileId = await upload(
    "stamped_form",
    "申报表.pdf",
    Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
  );
  await submitApplication(t.ctx, actorOf(org), appId, version);

  county = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
  await enableTwoFactorWithSecret(t.ctx, t.ctx.db, county.id, SECRET);
});
afterAll(async () => {
  server?.close();
  await t?.close();
});

const cookieOf = (res: Response) => (res.headers.get("set-cookie") ?? "").split(";")[0];

function post(url: string, fields: Record<string, string>, cookie = "") {
  return fetch(`${base}${url}`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base, cookie },
    body: new URLSearchParams(fields).toString(),
  });
}

async function fullLogin(url: string, fields: Record<string, string>) {
  const res = await post(url, { ...fields, password: TEST_PASSWORD, redirectTo: "" });
  expect(res.status).toBe(302);
  return cookieOf(res);
}

const get = (url: string, cookie: string) =>
  fetch(`${base}${url}`, { redirect: "manual", headers: { cookie } });

/** What a signed-in county user may open: a page, its data, a file, a PDF and an export. */
const PROTECTED = () => [
  "/workbench",
  "/workbench.data",
  `/files/${fileId}`,
  `/applications/${appId}/pdf`,
  "/admin/bases/export.xlsx",
];

describe("a password-only (pending) session", () => {
  it("reaches only /login/two-factor; a right code gives a full session under a new token", async () => {
    const first = await post("/login/staff", {
      username: county.login,
      password: TEST_PASSWORD,
      redirectTo: "/review",
    });
    expect(first.status).toBe(302);
    expect(first.headers.get("location")).toBe("/login/two-factor?redirectTo=%2Freview");
    const pending = cookieOf(first);
    expect(pending).toMatch(/^kepu_session=.{40,}/);

    for (const url of PROTECTED()) {
      const anon = await get(url, "");
      const res = await get(url, pending);
      expect(res.status, url).not.toBe(200);
      expect(res.status, url).toBe(anon.status);
      expect(res.headers.get("location"), url).toBe(anon.headers.get("location"));
      const body = await res.text();
      expect(body, url).not.toContain("我的工作台");
      expect(body, url).not.toContain("%PDF");
    }

    const page = await get("/login/two-factor", pending);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(await page.text()).toContain("双因素认证");

    const wrong = await post("/login/two-factor?redirectTo=%2Freview", { code: "12345" }, pending);
    expect(wrong.status).toBe(422);
    expect(wrong.headers.get("set-cookie")).toBeNull();

    const done = await post(
      "/login/two-factor?redirectTo=%2Freview",
      { code: currentTotp(SECRET, Date.now()), redirectTo: "/review" },
      pending,
    );
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("/review");
    const full = cookieOf(done);
    expect(full).toMatch(/^kepu_session=.{40,}/);
    expect(full).not.toBe(pending);

    for (const url of PROTECTED()) {
      const res = await get(url, full);
      expect(res.status, url).toBe(200);
      await res.arrayBuffer();
    }
    // The pending token is gone, not promoted.
    expect((await get("/workbench", pending)).status).toBe(302);
    expect((await get("/login/two-factor", pending)).status).toBe(200);
  });

  it("is sent to enrol when the role requires a second factor, and enrolment completes the sign-in", async () => {
    const office = await createUserRecord(t.ctx, { role: "office" });
    const first = await post("/login/staff", {
      username: office.login,
      password: TEST_PASSWORD,
      redirectTo: "",
    });
    expect(first.headers.get("location")).toBe("/login/two-factor?redirectTo=%2Fworkbench");
    const pending = cookieOf(first);
    expect((await get("/workbench", pending)).status).toBe(302);
    const html = await (await get("/login/two-factor", pending)).text();
    expect(html).toContain("设置双因素认证");
    const secret = html.match(/id="totp-secret">([A-Z2-7 ]+)</)?.[1]?.replace(/\s/g, "");
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(html).toContain("data:image/svg+xml");

    const done = await post("/login/two-factor", { code: currentTotp(secret!, Date.now()) }, pending);
    expect(done.status).toBe(200);
    const full = cookieOf(done);
    expect(full).not.toBe(pending);
    const text = await done.text();
    expect(text.match(/[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}/g)?.length).toBeGreaterThanOrEqual(10);
    expect((await get("/workbench", full)).status).toBe(200);
  });
});
