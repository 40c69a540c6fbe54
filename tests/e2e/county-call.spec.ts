import { expect } from "@playwright/test";
import {
  content,
  DEMO_PASSWORD,
  login,
  logout,
  open,
  publishNoticeToday,
  submit,
  test,
  uniqueId,
} from "./fixtures.ts";
import { advanceServerClock, proposedApplication } from "./http-journey.ts";

/**
 * 第十九条: 龙游县科协 runs its own county-level call. An org of 龙游县 applies; the county recommends
 * and confirms it itself; the county publishes the 公示 and names the base, which the directory lists
 * as a county-level base with its certificate.
 *
 * Runs with the clock-moving specs (playwright.config.ts): it moves the server's clock past the period.
 */
test("a county-level call, run by 龙游县科协 from the call to the named base", async ({
  page,
  otherPage: visitor,
  baseURL,
}) => {
  test.setTimeout(300_000);
  const tag = uniqueId("");
  const app = await proposedApplication(baseURL!, `龙游县级馆${tag}`, {
    callTitle: "第一批龙游县科普教育基地认定",
    steps: [
      ["longyou", "recommend"],
      ["longyou", "confirm"],
    ],
  });

  // 我的工作台 → 申报项目管理: the county's own calls, and a new one can only be county-level.
  await login(page, "staff", "longyou", DEMO_PASSWORD);
  await content(page).getByRole("link", { name: "申报项目管理" }).first().click();
  await expect(page).toHaveURL(/\/admin\/calls$/);
  await expect(content(page)).toContainText("第一批龙游县科普教育基地认定");
  await expect(content(page)).not.toContainText("第八批衢州市科普教育基地创建");
  await content(page).getByRole("link", { name: "新建申报项目" }).click();
  await expect(page).toHaveURL(/\/admin\/calls\/new$/);
  await expect(page.getByRole("radio", { name: "县级" })).toBeChecked();
  await expect(page.getByRole("radio", { name: "市级" })).toHaveCount(0);
  await expect(page.getByRole("radio", { name: "龙游县" })).toBeChecked();

  // 公示管理 → 发布公示: the county's proposed application, starting today.
  await open(page, "/workbench");
  await content(page).getByRole("link", { name: "公示管理" }).first().click();
  await expect(page).toHaveURL(/\/admin\/notices$/);
  await content(page).getByRole("link", { name: "发布公示" }).click();
  await expect(content(page).getByLabel(app.baseName, { exact: false })).toBeChecked();
  await expect(page.getByLabel("公示标题")).toHaveValue(/龙游县科普教育基地拟认定名单公示/);
  const title = `第一批龙游县科普教育基地拟认定名单公示${tag}`;
  const adminNoticeUrl = await publishNoticeToday(page, title);

  // After the period the county names the base, in its own name.
  await advanceServerClock(baseURL!, 15);
  await login(page, "staff", "longyou", DEMO_PASSWORD);
  await open(page, adminNoticeUrl);
  await submit(page, "认定命名");
  await expect(content(page).getByRole("status")).toContainText("已命名");
  await content(page).getByRole("link", { name: "查看认定公告" }).click();
  await expect(content(page)).toContainText("关于命名第一批龙游县科普教育基地的公告");
  await expect(content(page)).toContainText(app.baseName);

  // The directory lists it among the county-level bases.
  await open(visitor, `/bases?level=county&q=${encodeURIComponent(`龙游县级馆${tag}`)}`);
  await content(visitor).getByRole("link", { name: app.baseName }).click();
  await expect(visitor).toHaveURL(/\/bases\/[0-9a-f-]{36}$/);
  await expect(content(visitor)).toContainText("县级科普教育基地");
  const baseUrl = new URL(visitor.url()).pathname;
  const cert = await page.request.get(`${baseUrl}/certificate.pdf`);
  expect(cert.status()).toBe(200);
  expect(cert.headers()["content-type"]).toBe("application/pdf");
  await open(visitor, `/bases?level=city&q=${encodeURIComponent(`龙游县级馆${tag}`)}`);
  await expect(content(visitor).getByRole("link", { name: app.baseName })).toHaveCount(0);
  await logout(page);
});
