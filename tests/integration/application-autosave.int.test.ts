import fs from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { ServerBuild } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logIn } from "#src/modules/accounts/accounts.server.ts";
import { getApplication, startApplication } from "#src/modules/applications/applications.server.ts";
import { fixedClock } from "#src/platform/clock.ts";
import { createApp } from "#src/server/app.server.ts";
import { createEighthBatchCall, validApplicationForm } from "../support/application-fixtures.ts";
import { actorOf, createUserRecord, type MadeUser, TEST_PASSWORD } from "../support/factories.ts";
import { createTestContext, type TestContext } from "../support/test-db.ts";

// The 附件2 form's autosave endpoint through the real server build: run `npm run build` first.
const buildPath = path.resolve("build/server/index.js");
if (!fs.existsSync(buildPath)) throw new Error("build/server/index.js is missing: run `npm run build` first");

const clock = fixedClock("2023-02-20T10:00:00+08:00");
let t: TestContext;
let server: Server;
let base: string;
let callId: string;

beforeAll(async () => {
  t = await createTestContext({ clock });
  callId = await createEighthBatchCall(t.ctx);
  const build = (await import(buildPath)) as ServerBuild;
  server = createApp({ ctx: t.ctx, build, demo: () => false }).listen(0);
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await t?.close();
});

async function cookieFor(user: MadeUser) {
  const { token } = await logIn(t.ctx, actorOf(null), {
    kind: user.role === "org" ? "org" : "staff",
    login: user.login,
    password: TEST_PASSWORD,
  });
  return `kepu_session=${token}`;
}

async function autosave(cookie: string, id: string, fields: Record<string, string>) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  return fetch(`${base}/applications/${id}/autosave`, {
    method: "POST",
    body: fd,
    redirect: "manual",
    headers: { cookie, origin: base, accept: "application/json" },
  });
}

describe("POST /applications/:id/autosave", () => {
  it("stores what was typed, valid or not, and answers with the new version", async () => {
    const org = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
    const id = await startApplication(t.ctx, actorOf(org), callId);
    const cookie = await cookieFor(org);
    const res = await autosave(cookie, id, { ...validApplicationForm(), openDays: "0", version: "1" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    const body = await res.json();
    expect(body).toMatchObject({ ok: true, version: 2 });
    expect(body.savedAt).toMatch(/^2023-02-20 10:00/);
    const { app } = await getApplication(t.ctx, actorOf(org), id);
    expect(app.version).toBe(2);
    expect(app.open_days).toBe(0);
  });

  it("refuses a stale version as a conflict, with a message, and stores nothing", async () => {
    const org = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
    const id = await startApplication(t.ctx, actorOf(org), callId);
    const cookie = await cookieFor(org);
    expect((await autosave(cookie, id, { ...validApplicationForm(), version: "1" })).status).toBe(200);
    const stale = await autosave(cookie, id, { ...validApplicationForm(), address: "别处", version: "1" });
    expect(stale.status).toBe(409);
    const body = await stale.json();
    expect(body.ok).toBe(false);
    expect(body.message).toMatch(/[\u4e00-\u9fa5]/);
    const { app } = await getApplication(t.ctx, actorOf(org), id);
    expect(app.version).toBe(2);
    expect(app.address).not.toBe("别处");
  });

  it("answers 404 for another organization's application and 403 for staff", async () => {
    const owner = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
    const id = await startApplication(t.ctx, actorOf(owner), callId);
    const other = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
    const stranger = await autosave(await cookieFor(other), id, { ...validApplicationForm(), version: "1" });
    expect(stranger.status).toBe(404);
    const county = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
    const staff = await autosave(await cookieFor(county), id, { ...validApplicationForm(), version: "1" });
    expect(staff.status).toBe(403);
    const { app } = await getApplication(t.ctx, actorOf(owner), id);
    expect(app.version).toBe(1);
  });

  it("sends a signed-out request to the login page and stores nothing", async () => {
    const owner = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
    const id = await startApplication(t.ctx, actorOf(owner), callId);
    const res = await autosave("", id, { ...validApplicationForm(), version: "1" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
    const { app } = await getApplication(t.ctx, actorOf(owner), id);
    expect(app.version).toBe(1);
  });
});
