import { request as playwrightRequest } from "@playwright/test";
import { USCC_ALPHABET, usccCheckChar } from "../../src/modules/accounts/uscc.rules.ts";
import {
  content,
  DEMO_PASSWORD,
  expect,
  login,
  logout,
  newPassword,
  open,
  submit,
  test,
  uniqueId,
} from "./fixtures.ts";
import { signedIn, verifyOrgByCounty } from "./http-journey.ts";

/**
 * Issue 17 as its users would do it: a school registers (事业单位 USCC) and is verified by 柯城区,
 * finds a course by county and grade in 【特色专区】→【科普助力双减】 and orders it; the base accepts
 * one of the dates and the activity shows in its 活动列表; after the date (the server's test clock)
 * the school confirms and rates, and the rating shows on the public item.
 * Runs in the chromium-clock project: it moves the server's clock by days.
 */

// The demo's 衢州市科技馆 (柯城区), whose org account owns the base.
const code = (body: string) => body + usccCheckChar(body);
const MUSEUM_USCC = code("12330802MA0000001");

function schoolUscc(): string {
  let body = "12330802";
  for (let i = 0; i < 9; i++) body += USCC_ALPHABET[Math.floor(Math.random() * USCC_ALPHABET.length)];
  return code(body);
}

const addDays = (date: string, n: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

test("a school registers, orders a course, the base accepts, the school confirms and rates", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(240_000);
  const key = uniqueId("").slice(-6);
  const title = `星空课堂${key}`;

  // The server's today (Beijing), which earlier journeys may have moved.
  const anon = await playwrightRequest.newContext({ baseURL });
  const now = (await (await anon.post("/__test/advance-clock?days=0.00001")).json()).now as string;
  await anon.dispose();
  const today = new Date(new Date(now).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const date = addDays(today, 3);

  // The base publishes a course (over HTTP: the subject here is the school's journey) and 柯城区 approves it.
  const museum = await signedIn(baseURL!, "org", MUSEUM_USCC, DEMO_PASSWORD);
  const saved = await museum.post("/my-base/school-items/new", {
    form: {
      version: "0",
      title,
      kind: "visit",
      subjects: "天文",
      grades: "小学高段,初中",
      durationMinutes: "90",
      studentsPerSession: "60",
      sessionsPerWeek: "3",
      availableFrom: today,
      availableTo: addDays(today, 60),
      weekdays: "周一,周二,周三,周四,周五,周六,周日",
      counties: "330802",
      fee: "free",
      safetyNotes: "请学生听从讲解员指挥",
    },
    maxRedirects: 0,
  });
  expect(saved.status(), await saved.text()).toBe(302);
  const itemId = saved.headers().location.match(/school-items\/([0-9a-f-]{36})/)![1];
  await museum.dispose();
  const kecheng = await signedIn(baseURL!, "staff", "kecheng", DEMO_PASSWORD);
  const queue = await (await kecheng.get("/admin/school-items")).text();
  const version = queue.match(
    new RegExp(`name="id" value="${itemId}"/><input type="hidden" name="version" value="(\\d+)"`),
  )?.[1];
  expect(version, "the item in 柯城区's queue").toBeTruthy();
  const approved = await kecheng.post("/admin/school-items", {
    form: { id: itemId, version: version!, decision: "approve", reason: "" },
  });
  expect(approved.status()).toBe(200);
  await kecheng.dispose();

  // 学校注册 in the browser.
  const uscc = schoolUscc();
  const password = newPassword();
  const schoolName = `衢州测试小学${key}`;
  await open(page, "/login/org");
  await content(page).getByRole("link", { name: "学校注册" }).click();
  await expect(page).toHaveURL(/\/register\/school$/);
  // The login page has a field of the same name: wait for the registration form itself.
  await expect(page.getByRole("heading", { name: "学校注册" })).toBeVisible();
  await page.getByLabel("统一社会信用代码").fill(uscc);
  await page.getByLabel("学校名称").fill(schoolName);
  await page.getByRole("radio", { name: "柯城区" }).check();
  await page.getByRole("checkbox", { name: "小学" }).check();
  await page.getByLabel("学校地址").fill("柯城区测试路8号");
  await page.getByLabel("联系人").fill("赵老师");
  await page.getByLabel("联系电话").fill("13905702222");
  await page.getByLabel("密码", { exact: true }).fill(password);
  await page.getByLabel("确认密码").fill(password);
  await submit(page, "注册");
  await expect(page).toHaveURL(/\/login\/org\?registered=1/);
  await verifyOrgByCounty(baseURL!, { uscc, password }, "kecheng");

  // Find it by county and grade, and order.
  await login(page, "org", uscc, password);
  await content(page)
    .getByRole("link", { name: /科普助力双减/ })
    .first()
    .click();
  await expect(page).toHaveURL(/\/special\/schools/);
  await page.getByLabel("服务区域").selectOption({ label: "柯城区" });
  await page.getByLabel("适合学段").selectOption("初中");
  await content(page).getByRole("button", { name: "查询" }).click();
  await expect(page).toHaveURL(/county=330802/);
  await content(page).getByRole("link", { name: title }).click();
  await content(page).getByRole("link", { name: "我要点单" }).click();
  await page.getByLabel("意向日期1").fill(date);
  await page.getByLabel("班级数").fill("2");
  await page.getByLabel("学生人数").fill("80");
  await page.getByLabel("联系人").fill("赵老师");
  await page.getByLabel("联系电话").fill("13905702222");
  await submit(page, "提交点单");
  await expect(page).toHaveURL(/\/school-orders\/[0-9a-f-]{36}$/);
  const orderUrl = new URL(page.url()).pathname;
  await expect(content(page)).toContainText("待接单");
  await logout(page);

  // The base accepts the date; the activity appears in its 活动列表.
  await login(page, "org", MUSEUM_USCC, DEMO_PASSWORD);
  await open(page, "/my-base/school-orders");
  await content(page).getByRole("link", { name: title }).click();
  await expect(page).toHaveURL(new RegExp(`${orderUrl}$`));
  await page.getByRole("radio", { name: date }).check();
  await submit(page, "提交答复");
  await expect(content(page)).toContainText("已接单");
  await open(page, "/my-base");
  await content(page).getByRole("link", { name: "活动列表" }).click();
  await expect(content(page)).toContainText(`${title}（${schoolName}）`);
  await logout(page);

  // After the date (sessions end when the clock moves: sign in again).
  const later = await playwrightRequest.newContext({ baseURL });
  expect((await later.post("/__test/advance-clock?days=4")).status()).toBe(200);
  await later.dispose();
  await login(page, "org", uscc, password);
  await open(page, orderUrl);
  await page.getByLabel("实际参加学生人数").fill("78");
  await submit(page, "确认已完成");
  await expect(content(page)).toContainText("已完成");
  for (const [name, stars] of [
    ["内容", 5],
    ["组织", 4],
    ["安全", 5],
  ] as const) {
    await page
      .getByRole("list", { name })
      .getByRole("radio")
      .nth(stars - 1)
      .click();
  }
  await page.getByLabel("评价内容（选填）").fill("孩子们很喜欢");
  await submit(page, "提交评价");
  await expect(content(page)).toContainText("内容 5 分");
  await logout(page);

  // The public item shows it.
  await open(page, `/special/schools/${itemId}`);
  await expect(content(page)).toContainText("评分 4.7 / 5（1条评价）");
  await expect(content(page)).toContainText("孩子们很喜欢");
});
