import { type APIRequestContext, expect, request as playwrightRequest } from "@playwright/test";
import sharp from "sharp";
import { DEMO_PASSWORD, postLogin, registerOrgViaForm } from "./fixtures.ts";

/**
 * The applicant's and reviewers' steps over plain HTTP (the same form posts the pages make), for
 * journeys whose subject comes after them, such as 公示 and naming. Each role gets its own cookies.
 */

const CONDITIONS = Array.from({ length: 8 }, (_, i) => [`cond_${i}`, "on"]);

export async function signedIn(
  baseURL: string,
  kind: "org" | "staff",
  login: string,
  password: string,
): Promise<APIRequestContext> {
  const ctx = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL } });
  await postLogin(ctx, kind, login, password);
  return ctx;
}

/** The version a page's form carries (hidden input), for the next optimistic write. */
async function versionOn(ctx: APIRequestContext, path: string): Promise<string> {
  const html = await (await ctx.get(path)).text();
  const m = html.match(/name="version" value="(\d+)"/);
  expect(m, `version on ${path}`).not.toBeNull();
  return m![1];
}

const jpeg = (background: string) =>
  sharp({ create: { width: 320, height: 240, channels: 3, background } })
    .jpeg()
    .toBuffer();
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

/**
 * Registers an org in 龙游县, fills in and submits an application, and has the county, the city
 * and the office take it to the 拟认定名单. Returns the application's id and base name.
 */
export async function proposedApplication(
  baseURL: string,
  unitName: string,
  opts: {
    /** The call to apply to, by its title in 项目申报. */
    callTitle?: string;
    /** Who takes which review step, in order (a county-level call: the county twice). */
    steps?: readonly (readonly [string, string])[];
  } = {},
): Promise<{ id: string; baseName: string }> {
  const callTitle = opts.callTitle ?? "第八批衢州市科普教育基地创建";
  const steps = opts.steps ?? [
    ["longyou", "recommend"],
    ["city", "pass"],
    ["office", "confirm"],
  ];
  const anon = await playwrightRequest.newContext({ baseURL });
  const account = await registerOrgViaForm(anon, baseURL, { unitName });
  await anon.dispose();
  await verifyOrgByCounty(baseURL, account);
  const org = await signedIn(baseURL, "org", account.uscc, account.password);
  const calls = await (await org.get("/projects/calls")).text();
  // By title: the demo holds the city's 8th batch and 龙游县's county-level call.
  const row = calls.split("<tr").find((r) => r.includes(callTitle)) ?? "";
  const callId = row.match(/\/projects\/calls\/([0-9a-f-]{36})/)?.[1];
  expect(callId, `the open call ${callTitle}`).toBeTruthy();
  const started = await org.post(`/projects/calls/${callId}`, { form: {}, maxRedirects: 0 });
  const id = started.headers().location?.match(/\/applications\/([^/]+)\/edit/)?.[1];
  expect(id, "a new draft").toBeTruthy();
  const baseName = `${unitName}科普教育基地`;
  const form = {
    regionCode: "330825",
    baseName,
    unitName,
    address: "浙江省衢州市龙游县测试路8号",
    leaderName: "张负责",
    leaderPhone: "13812345678",
    contactName: "李联系",
    contactPhone: "0570-7012345",
    bookingPhone: "0570-7012346",
    volunteerTeamName: `${unitName}科技志愿服务队`,
    volunteerCount: "20",
    volunteerLeader: "王志愿",
    volunteerLeaderPhone: "13900001111",
    openingForm: "免费",
    categoryCode: "science_venue",
    areaSqm: "800",
    openDays: "300",
    intro: "面向青少年开展科普教育活动。",
    honors: "",
    ...Object.fromEntries(CONDITIONS),
  };
  const saved = await org.post(`/applications/${id}/edit`, {
    form: { ...form, intent: "save", version: await versionOn(org, `/applications/${id}/edit`) },
  });
  expect(saved.status()).toBe(200);
  const uploads: [string, string, string, Buffer][] = [
    ["stamped_form", "申报表.pdf", "application/pdf", PDF],
    ["volunteer_proof", "志愿.jpg", "image/jpeg", await jpeg("#c63")],
  ];
  for (const slot of ["overview_photos", "activity_photos"])
    for (let i = 0; i < 3; i++)
      uploads.push([slot, `${slot}${i}.jpg`, "image/jpeg", await jpeg(["#36c", "#3c6", "#c36"][i])]);
  for (const [slot, name, mimeType, buffer] of uploads) {
    const r = await org.post(`/files/application/${id}/${slot}`, {
      multipart: { file: { name, mimeType, buffer } },
    });
    expect(r.status(), `upload ${slot}`).toBe(201);
  }
  const submitted = await org.post(`/applications/${id}/edit`, {
    form: { ...form, intent: "submit", version: await versionOn(org, `/applications/${id}/edit`) },
    maxRedirects: 0,
  });
  expect(submitted.status(), "submitted").toBe(302);
  await org.dispose();

  for (const [user, action] of steps) {
    const staff = await signedIn(baseURL, "staff", user, DEMO_PASSWORD);
    const r = await staff.post(`/applications/${id}`, {
      form: {
        action,
        opinion: "同意",
        internalNote: "",
        opinionDate: "",
        returnDeadline: "",
        score: "",
        version: await versionOn(staff, `/applications/${id}`),
      },
    });
    expect(r.status(), `${user} ${action}`).toBe(200);
    await staff.dispose();
  }
  return { id: id!, baseName };
}

/** Moves the server's clock forward (KEPU_TEST_HOOKS) and runs the jobs that fell due. */
export async function advanceServerClock(baseURL: string, days: number): Promise<void> {
  const ctx = await playwrightRequest.newContext({ baseURL });
  const r = await ctx.post(`/__test/advance-clock?days=${days}`);
  expect(r.status(), await r.text()).toBe(200);
  await ctx.dispose();
}

/**
 * 单位认证 over HTTP: the org uploads its 营业执照 and 授权委托书 and submits them, then 龙游县's demo staff
 * approve. For journeys whose subject comes after verification (an org must be verified to 提交).
 */
export async function verifyOrgByCounty(
  baseURL: string,
  account: { uscc: string; password: string },
  county = "longyou",
): Promise<void> {
  const org = await signedIn(baseURL, "org", account.uscc, account.password);
  const page = await (await org.get("/verification")).text();
  const userId = page.match(/data-upload-owner="([0-9a-f-]{36})"/)?.[1];
  expect(userId, "the org's upload address").toBeTruthy();
  for (const slot of ["org_license", "org_authorization"]) {
    const r = await org.post(`/files/org_verification/${userId}/${slot}`, {
      multipart: { file: { name: `${slot}.pdf`, mimeType: "application/pdf", buffer: PDF } },
    });
    expect(r.status(), `upload ${slot}`).toBe(201);
  }
  const submitted = await org.post("/verification", { form: { intent: "submit" } });
  expect(submitted.status(), "verification submitted").toBe(200);
  await org.dispose();
  const staff = await signedIn(baseURL, "staff", county, DEMO_PASSWORD);
  const queue = await (await staff.get("/admin/verifications")).text();
  const version = queue.match(
    new RegExp(`name="userId" value="${userId}"/><input type="hidden" name="version" value="(\\d+)"`),
  )?.[1];
  expect(version, "the org in the county's queue").toBeTruthy();
  const r = await staff.post("/admin/verifications", {
    form: { userId: userId!, version: version!, decision: "approve", reason: "" },
  });
  expect(r.status(), "approved").toBe(200);
  await staff.dispose();
}
