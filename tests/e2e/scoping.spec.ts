import {
  chooseOption,
  content,
  DEMO_PASSWORD,
  expect,
  login,
  mainButton,
  open,
  submit,
  test,
} from "./fixtures";

const REGION_COLUMN = 3; // 名称, 登录名, 角色, 区域, 状态, 最近登录

test("a county user cannot see or open another county's accounts (same 404 as a missing one)", async ({
  page: admin,
  otherPage: longyou,
}) => {
  // The admin finds a 江山市 account in 用户管理, filtered by 区域.
  await login(admin, "staff", "admin", DEMO_PASSWORD);
  await open(admin, "/admin/users");
  await chooseOption(admin, "region", "江山市");
  await submit(admin, "查询");
  await expect(admin).toHaveURL(/[?&]region=330881(&|$)/);
  // The address changes a moment before the table does: assert on the table itself.
  const adminRegions = content(admin).locator(
    `.ant-table-tbody tr.ant-table-row td:nth-child(${REGION_COLUMN + 1})`,
  );
  await expect(adminRegions.filter({ hasNotText: /^江山市$/ })).toHaveCount(0);
  await expect(adminRegions.first()).toHaveText("江山市");
  const link = content(admin).getByRole("link", { name: "江山市科协（演示）" });
  const href = await link.getAttribute("href");
  expect(href).toMatch(/^\/admin\/users\/[^/]+$/);
  // The admin (city scope) can open it.
  await link.click();
  await expect(admin.getByRole("heading", { name: "江山市科协（演示）" })).toBeVisible();

  // 龙游县's county user opens that address: the not-found page, as for an id that does not exist.
  await login(longyou, "staff", "longyou", DEMO_PASSWORD);
  const outOfScope = await open(longyou, href!);
  expect(outOfScope?.status()).toBe(404);
  await expect(longyou.getByText("页面不存在", { exact: true })).toBeVisible();
  await expect(longyou.getByText("未找到该记录", { exact: true })).toBeVisible();
  await expect(content(longyou)).not.toContainText("江山市");

  const missing = await open(longyou, "/admin/users/00000000-0000-7000-8000-000000000000");
  expect(missing?.status()).toBe(404);
  await expect(longyou.getByText("页面不存在", { exact: true })).toBeVisible();
  await expect(longyou.getByText("未找到该记录", { exact: true })).toBeVisible();

  // The list (账号查询) shows only 龙游县 rows, and its 区域 filter offers nothing else.
  await open(longyou, "/admin/users");
  await expect(longyou.getByRole("heading", { name: "账号查询" })).toBeVisible();
  const rows = content(longyou).locator(".ant-table-tbody tr.ant-table-row");
  await expect(rows.first()).toBeVisible();
  const regions = await rows.locator(`td:nth-child(${REGION_COLUMN + 1})`).allTextContents();
  expect(regions.length).toBeGreaterThan(0);
  for (const region of regions) expect(region).toBe("龙游县");
  await expect(content(longyou).locator(".ant-table")).not.toContainText("江山市");
  await expect(content(longyou).locator(".ant-table")).not.toContainText("jiangshan");
  await expect(mainButton(longyou, "新建用户")).toHaveCount(0);

  const options = longyou.locator(".ant-select-dropdown:visible .ant-select-item-option");
  // A click while the page settles can be lost; a person would click the select again.
  await expect(async () => {
    if (!(await options.first().isVisible())) await longyou.locator("#region").click({ timeout: 5_000 });
    await expect(options.first()).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 30_000 });
  expect(await options.allTextContents()).toEqual(["龙游县"]);
  await longyou.keyboard.press("Escape");

  // Asking for 江山市 by hand in the address gives no rows either.
  await open(longyou, "/admin/users?region=330881");
  await expect(content(longyou)).toContainText("没有符合条件的账号");

  // An account in its own county opens normally.
  await open(longyou, "/admin/users");
  await content(longyou).getByRole("link", { name: "龙游县演示科技馆（演示）" }).click();
  await expect(longyou.getByRole("heading", { name: "龙游县演示科技馆（演示）" })).toBeVisible();
  // A county user cannot disable the account, but may reset an org's password in its county.
  await expect(mainButton(longyou, "停用账号")).toHaveCount(0);
  await expect(mainButton(longyou, "重置密码")).toHaveCount(1);
});
