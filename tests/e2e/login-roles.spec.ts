import {
  accountMenuButton,
  DEMO_ACCOUNTS,
  DEMO_PASSWORD,
  descriptionValue,
  expect,
  expectTiles,
  expectWorkbench,
  headerLoginButton,
  logout,
  open,
  openLoginFromHeader,
  passDemoSecondFactor,
  submitLogin,
  test,
} from "./fixtures";

// Every demo role signs in the way the manual says: top-right 【登录】 → 【法人登录】 or
// 工作人员登录, lands on 我的工作台 with its own tiles, and signs out from the account menu.
for (const account of DEMO_ACCOUNTS) {
  test(`${account.roleLabel} ${account.login} logs in, sees its workbench and logs out`, async ({ page }) => {
    await open(page, "/");
    await expect(headerLoginButton(page)).toBeVisible();
    await openLoginFromHeader(page, account.kind);

    expect(await submitLogin(page, account.kind, account.login, DEMO_PASSWORD)).toBeLessThan(400);
    await passDemoSecondFactor(page, account.kind, account.login);
    await expectWorkbench(page);
    await expect(descriptionValue(page, "名称")).toHaveText(account.name);
    await expect(descriptionValue(page, "角色")).toHaveText(account.roleLabel);
    await expect(descriptionValue(page, "所属区域")).toHaveText(account.region);
    await expectTiles(page, account.tiles, account.hiddenTiles);

    // Signed in: the header shows the account menu instead of 【登录】.
    await expect(headerLoginButton(page)).toHaveCount(0);
    await expect(accountMenuButton(page)).toContainText(account.name);
    // The login pages send a signed-in user to the workbench.
    await open(page, "/login");
    await expectWorkbench(page);

    await logout(page);
    // The session is gone on the server: the workbench asks for a login again.
    await open(page, "/workbench");
    await expect(page).toHaveURL(/\/login\?redirectTo=%2Fworkbench$/);
  });
}
