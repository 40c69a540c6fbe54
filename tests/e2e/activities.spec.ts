import { expect, type Page, request as playwrightRequest } from "@playwright/test";
import sharp from "sharp";
import { usccCheckChar } from "../../src/modules/accounts/uscc.rules.ts";
import {
  content,
  DEMO_PASSWORD,
  formAlert,
  formItemOf,
  login,
  logout,
  open,
  submit,
  test,
  uniqueId,
  withWrongCheckChar,
} from "./fixtures.ts";
import { advanceServerClock } from "./http-journey.ts";

/**
 * 附件3 二: 【特色专区】→【科普助力双减】→【科普基地】→ the base's 【活动列表】→【新增基地活动】. The base's
 * org login has its USCC filled in; a staff user types it (a wrong code and another base's code are
 * refused) and confirms with 【确定】. After the activity ends, 【编辑】 uploads the 活动小结 with
 * photos and a video; the city accepts it; the calendar, the base page and the ICS feed show it.
 *
 * Runs in the chromium-clock project: it moves the server's clock (by minutes, past the end).
 */

// The demo bases' codes (src/modules/demo/seed-demo-bases.server.ts): 衢州市科技馆 and 衢州市图书馆.
const code = (body: string) => body + usccCheckChar(body);
const MUSEUM_USCC = code("12330802MA0000001");
const LIBRARY_USCC = code("12330802MA0000002");
const MUSEUM = "衢州市科技馆科普教育基地";

const jpeg = (color: string) =>
  sharp({ create: { width: 320, height: 240, channels: 3, background: color } })
    .jpeg()
    .toBuffer();
/** The smallest MP4 the files module takes: an ftyp box (isom) and an empty mdat. */
const MP4 = Buffer.concat([
  Buffer.from([0, 0, 0, 0x18]),
  Buffer.from("ftypisom"),
  Buffer.from([0, 0, 2, 0]),
  Buffer.from("isomiso2"),
  Buffer.from([0, 0, 0, 8]),
  Buffer.from("mdat"),
]);

/** The server's clock (it may run ahead of this machine's after earlier journeys), as a Date. */
async function serverNow(baseURL: string): Promise<Date> {
  const ctx = await playwrightRequest.newContext({ baseURL });
  const r = await ctx.post("/__test/advance-clock?days=0.00001");
  expect(r.status()).toBe(200);
  const now = new Date((await r.json()).now);
  await ctx.dispose();
  return now;
}

/** A datetime-local value on the Shanghai wall clock, whole minutes. */
const local = (t: Date) => new Date(t.getTime() + 8 * 3600_000).toISOString().slice(0, 16);

async function fillAnnouncement(page: Page, name: string, start: Date, end: Date) {
  await page.getByLabel("活动名称").fill(name);
  await page.getByLabel("讲座", { exact: true }).check();
  await page.getByLabel("线下", { exact: true }).check();
  await page.getByLabel("开始时间").fill(local(start));
  await page.getByLabel("结束时间").fill(local(end));
  await page.getByLabel("活动地点").fill("衢州市科技馆二楼报告厅");
  await page.getByLabel("面向对象").fill("中小学生");
  await page.getByLabel("预计参与人数").fill("80");
  await page.getByLabel("免费", { exact: true }).check();
  await page.getByLabel("请进来", { exact: true }).check();
  await page.getByLabel("联系人").fill("林老师");
  await page.getByLabel("联系电话").fill("0570-3021234");
  await page.getByLabel("活动简介").fill("带领学生认识太阳系八大行星。");
}

async function upload(page: Page, slot: string, files: { name: string; mimeType: string; buffer: Buffer }[]) {
  const statuses: number[] = [];
  const onResponse = (r: import("@playwright/test").Response) => {
    if (r.request().method() === "POST" && new URL(r.url()).pathname.endsWith(`/${slot}`))
      statuses.push(r.status());
  };
  page.on("response", onResponse);
  try {
    await page.locator(`#file_${slot} input[type=file]`).setInputFiles(files);
    await expect.poll(() => statuses.length, { timeout: 60_000 }).toBe(files.length);
  } finally {
    page.off("response", onResponse);
  }
  return statuses;
}

test("附件3 二: announce as the org and as staff, report after the end, the city accepts, the public sees it", async ({
  page,
  otherPage: staff,
  browser,
  baseURL,
}) => {
  test.setTimeout(300_000);
  const tag = uniqueId("");
  const orgActivity = `天文讲座${tag}`;
  const staffActivity = `代发讲座${tag}`;
  const now = await serverNow(baseURL!);
  const start = new Date(Math.ceil((now.getTime() + 4 * 60_000) / 60_000) * 60_000);
  const end = new Date(start.getTime() + 15 * 60_000);

  // The org: 【特色专区】→【科普基地】→ its 活动列表 →【新增基地活动】; the USCC is filled in.
  await login(page, "org", MUSEUM_USCC, DEMO_PASSWORD);
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "特色专区" }).click();
  await expect(content(page).getByRole("heading", { name: "科普助力双减" })).toBeVisible();
  await content(page).getByText("科普基地", { exact: true }).click();
  await expect(page).toHaveURL(/\/bases$/);
  await page.getByLabel("关键词").fill("衢州市科技馆");
  await submit(page, "查询");
  await content(page)
    .locator("li", { hasText: MUSEUM })
    .getByRole("link", { name: "活动列表", exact: true })
    .click();
  await expect(page).toHaveURL(/\/bases\/[^/]+\/activities$/);
  const listPath = new URL(page.url()).pathname;
  const basePath = listPath.replace(/\/activities$/, "");
  await content(page).getByRole("link", { name: "新增基地活动" }).click();
  await expect(page.getByLabel("统一社会信用代码")).toHaveValue(MUSEUM_USCC);
  await expect(content(page)).toContainText("已按法人登录自动填写");
  // The end before the start is answered beside the field.
  await fillAnnouncement(page, orgActivity, start, new Date(start.getTime() - 60_000));
  await submit(page, "提交");
  await expect(content(page)).toContainText("结束时间须晚于开始时间");
  await page.getByLabel("结束时间").fill(local(end));
  await submit(page, "提交");
  await expect(page).toHaveURL(new RegExp(`${listPath}\\?added=1`));
  await expect(content(page).getByRole("status")).toContainText("活动预告已提交");
  await expect(content(page).getByRole("link", { name: orgActivity, exact: true })).toBeVisible();
  // Before the end, 【编辑】 has no report form yet.
  await content(page)
    .getByRole("link", { name: `编辑：${orgActivity}` })
    .click();
  await expect(content(page)).toContainText("活动结束后，可在此上传活动小结。");
  const editPath = new URL(page.url()).pathname;

  // A staff user types the USCC: a wrong code and another base's code are refused, each clearly.
  await login(staff, "staff", "kecheng", DEMO_PASSWORD);
  await open(staff, listPath);
  await content(staff).getByRole("link", { name: "新增基地活动" }).click();
  await staff.getByLabel("统一社会信用代码").fill(withWrongCheckChar(MUSEUM_USCC));
  await submit(staff, "确定");
  // The box's message shows once, beside it (and is announced once, not repeated above it).
  await expect(formItemOf(staff, "uscc")).toContainText("校验位（第18位）不正确");
  await expect(staff.getByText("校验位（第18位）不正确")).toHaveCount(1);
  await staff.getByLabel("统一社会信用代码").fill(LIBRARY_USCC);
  await submit(staff, "确定");
  // Another base's code gets the same answer as a code of no base: the step names no organization.
  await expect(formItemOf(staff, "uscc")).toContainText("无法确认：该统一社会信用代码与本基地不符");
  await expect(staff.getByText("无法确认：该统一社会信用代码与本基地不符")).toHaveCount(1);
  await expect(formAlert(staff)).not.toContainText("衢州市图书馆");
  await staff.getByLabel("统一社会信用代码").fill(MUSEUM_USCC.toLowerCase());
  await submit(staff, "确定");
  await expect(staff.getByLabel("统一社会信用代码")).toHaveValue(MUSEUM_USCC);
  await fillAnnouncement(staff, staffActivity, start, end);
  await submit(staff, "提交");
  await expect(staff).toHaveURL(new RegExp(`${listPath}\\?added=1`));
  await expect(content(staff).getByRole("link", { name: staffActivity, exact: true })).toBeVisible();
  await logout(staff);
  await logout(page);

  // Past the end (minutes, not days: other journeys share this server's clock).
  await advanceServerClock(baseURL!, 0.02);

  // 【编辑】 → the 活动小结 with photos and a video.
  await login(page, "org", MUSEUM_USCC, DEMO_PASSWORD);
  await open(page, listPath);
  await content(page)
    .getByRole("link", { name: `编辑：${orgActivity}` })
    .click();
  await expect(page).toHaveURL(new RegExp(editPath));
  await page.getByLabel("信息报道链接").fill("见公众号");
  await page.getByLabel("活动参与人数").fill("76");
  await page.getByLabel("活动情况简介").fill("76名学生参加，现场观测太阳黑子。");
  await submit(page, "提交活动小结");
  await expect(content(page)).toContainText("不是有效网址");
  await page.getByLabel("信息报道链接").fill("https://news.example.cn/kepu/1");
  await submit(page, "提交活动小结");
  await expect(content(page)).toContainText("请至少上传1张活动图片");
  expect(
    await upload(page, "activity_photos", [
      { name: "现场1.jpg", mimeType: "image/jpeg", buffer: await jpeg("#36c") },
      { name: "现场2.jpg", mimeType: "image/jpeg", buffer: await jpeg("#c63") },
    ]),
  ).toEqual([201, 201]);
  expect(
    await upload(page, "activity_videos", [{ name: "现场.mp4", mimeType: "video/mp4", buffer: MP4 }]),
  ).toEqual([201]);
  await submit(page, "提交活动小结");
  await expect(page).toHaveURL(new RegExp(`${listPath}\\?reported=1`));
  await expect(content(page).getByRole("status")).toContainText("活动小结已提交");

  // The city accepts it.
  await login(staff, "staff", "city", DEMO_PASSWORD);
  await content(staff).getByRole("link", { name: "活动小结审核" }).first().click();
  await content(staff).getByRole("link", { name: orgActivity, exact: true }).click();
  await expect(content(staff)).toContainText("76名学生参加");
  await expect(content(staff)).toContainText("活动图片（2）与视频（1）");
  await staff.getByLabel("通过", { exact: true }).check();
  await submit(staff, "提交审核意见");
  await expect(staff).toHaveURL(/\/admin\/activity-reports$/);
  await expect(content(staff).getByRole("link", { name: orgActivity, exact: true })).toHaveCount(0);

  // The public: the calendar's past activities, the detail with its report, the base page, the ICS feed.
  const visitorContext = await browser.newContext({ baseURL, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const visitor = await visitorContext.newPage();
  await open(visitor, "/activities");
  await content(visitor).getByRole("link", { name: "往期活动" }).click();
  await content(visitor).getByRole("link", { name: orgActivity, exact: true }).click();
  await expect(content(visitor).getByRole("heading", { name: orgActivity })).toBeVisible();
  await expect(content(visitor)).toContainText("活动参与人数：76 人");
  await expect(content(visitor).getByRole("img", { name: "活动图片1" })).toBeVisible();
  await open(visitor, basePath);
  await expect(content(visitor).getByRole("region", { name: "基地活动" })).toContainText(orgActivity);
  const ics = await visitor.request.get(`${listPath}.ics`);
  expect(ics.status()).toBe(200);
  expect(ics.headers()["content-type"]).toContain("text/calendar");
  const body = await ics.text();
  expect(body.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
  expect(body.endsWith("END:VCALENDAR\r\n")).toBe(true);
  expect(body.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  for (const line of body.slice(0, -2).split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  const unfolded = body.replace(/\r\n /g, "");
  const event = unfolded.split("BEGIN:VEVENT").find((e) => e.includes(orgActivity))!;
  expect(event).toBeTruthy();
  expect(event).toMatch(/\r\nUID:[0-9a-f-]{36}@/);
  expect(event).toMatch(/\r\nDTSTART:\d{8}T\d{6}Z\r\n/);
  expect(event).toMatch(/\r\nDTEND:\d{8}T\d{6}Z\r\n/);
  expect(event).toContain(`SUMMARY:【讲座】${orgActivity}`);
  expect(event).toContain("END:VEVENT");
  await visitorContext.close();
});
