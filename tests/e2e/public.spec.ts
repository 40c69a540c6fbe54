import { content, descriptionValue, expect, header, headerLoginButton, label, open, test } from "./fixtures";

const NAV = ["首页", "项目大厅", "特色专区", "公示栏", "科普基地"];
const PUBLIC_PAGES = ["/", "/projects", "/projects/calls", "/special", "/notices", "/bases", "/login"];

test("public pages show the 演示数据 banner and the manual's header with 【登录】", async ({ page }) => {
  for (const path of PUBLIC_PAGES) {
    await test.step(path, async () => {
      const res = await open(page, path);
      expect(res?.status()).toBe(200);
      await expect(page.getByRole("status").filter({ hasText: "演示数据" })).toBeVisible();
      const nav = page.getByRole("navigation", { name: "主导航" });
      for (const item of NAV) await expect(nav.getByRole("link", { name: item, exact: true })).toBeVisible();
      await expect(header(page).getByRole("link", { name: "科普基地服务平台" })).toBeVisible();
      await expect(headerLoginButton(page)).toBeVisible();
    });
  }
});

test("the header navigation reaches each section, without reloading the page", async ({ page }) => {
  await open(page, "/");
  // Gone if any click below loaded a new document instead of navigating in the page (PlainLink).
  await page.evaluate(() => Object.assign(window, { kepuSamePage: true }));
  const nav = page.getByRole("navigation", { name: "主导航" });
  const targets: [string, RegExp][] = [
    ["项目大厅", /\/projects$/],
    ["特色专区", /\/special$/],
    ["公示栏", /\/notices$/],
    ["科普基地", /\/bases$/],
    ["首页", /\/$/],
  ];
  for (const [item, url] of targets) {
    await nav.getByRole("link", { name: item, exact: true }).click();
    await expect(page).toHaveURL(url);
    if (item !== "首页") await expect(page.getByRole("heading", { name: item, level: 1 })).toBeVisible();
  }
  await expect(page.getByRole("heading", { name: "衢州市科普教育基地服务平台" })).toBeVisible();
  expect(await page.evaluate(() => (window as { kepuSamePage?: boolean }).kepuSamePage)).toBe(true);
});

test("项目大厅 → 项目申报 lists 科普教育基地项目认定 (申报中) and 【查看】 opens the call", async ({
  page,
}) => {
  await open(page, "/");
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "项目大厅" }).click();
  await expect(page).toHaveURL(/\/projects$/);
  await content(page)
    .getByRole("link", { name: /^项目申报/ })
    .click();
  await expect(page).toHaveURL(/\/projects\/calls$/);
  await expect(page.getByRole("heading", { name: "项目申报", level: 1 })).toBeVisible();

  const row = content(page).locator(".ant-table-row", { hasText: "科普教育基地项目认定" });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("第八批衢州市科普教育基地创建");
  await expect(row.locator(".ant-tag")).toHaveText("申报中");
  await row.getByRole("link", { name: label("查看") }).click();

  await expect(page).toHaveURL(/\/projects\/calls\/[^/?#]+$/);
  await expect(page.getByRole("heading", { name: "科普教育基地项目认定", level: 1 })).toBeVisible();
  await expect(descriptionValue(page, "项目")).toHaveText("第八批衢州市科普教育基地创建");
  await expect(descriptionValue(page, "状态")).toHaveText("申报中");
  await expect(descriptionValue(page, "申报时间")).toContainText("北京时间");
  await expect(descriptionValue(page, "各县（市、区）新申报数目标")).toContainText("龙游县 6家");
  await expect(page.getByRole("heading", { name: "申报通知" })).toBeVisible();
  await expect(content(page)).toContainText("无需再填报");
  // The breadcrumb leads back to the list.
  await content(page).getByRole("link", { name: "项目申报" }).click();
  await expect(page).toHaveURL(/\/projects\/calls$/);
});

test("an unknown address answers with the 404 page", async ({ page }) => {
  const res = await open(page, "/no-such-page");
  expect(res?.status()).toBe(404);
  await expect(page.getByText("页面不存在", { exact: true })).toBeVisible();
  await expect(page.getByText("您访问的页面不存在", { exact: true })).toBeVisible();
  await expect(headerLoginButton(page)).toBeVisible();
});

test.describe("on a phone, 375 px wide", () => {
  test.use({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });

  test("the home page has no horizontal scroll and 【登录】 is visible and works", async ({ page }) => {
    await open(page, "/");
    await expect(page.getByRole("heading", { name: "衢州市科普教育基地服务平台" })).toBeVisible();
    const scrollWidth = () => page.evaluate(() => document.scrollingElement?.scrollWidth ?? 0);
    // antd's horizontal menu folds the items it cannot fit into "…" once it has measured them.
    await expect.poll(scrollWidth).toBeLessThanOrEqual(375 + 1);

    const loginButton = headerLoginButton(page);
    await expect(loginButton).toBeVisible();
    await expect(loginButton).toBeInViewport({ ratio: 1 });
    await loginButton.tap();
    await expect(page).toHaveURL(/\/login$/);
    await expect(content(page).getByText("法人登录", { exact: true })).toBeVisible();
    await expect.poll(scrollWidth).toBeLessThanOrEqual(375 + 1);

    await content(page).getByText("法人登录", { exact: true }).tap();
    await expect(page).toHaveURL(/\/login\/org$/);
    await expect(page.getByLabel("统一社会信用代码")).toBeVisible();
    await expect.poll(scrollWidth).toBeLessThanOrEqual(375 + 1);
  });
});

test.describe("on a phone, 375 px wide, before the scripts run", () => {
  test.use({
    viewport: { width: 375, height: 812 },
    isMobile: true,
    hasTouch: true,
    javaScriptEnabled: false,
  });

  // Before the scripts run (slow phone, or JS off), the server-rendered menu shows all five items
  // in one row; the header must still not make the page scroll sideways.
  test("the server-rendered home page already fits 375 px", async ({ page }) => {
    await page.goto("/");
    await expect(headerLoginButton(page)).toBeVisible();
    expect(await page.evaluate(() => document.scrollingElement?.scrollWidth ?? 0)).toBeLessThanOrEqual(
      375 + 1,
    );
  });
});
