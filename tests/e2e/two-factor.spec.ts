import { request as playwrightRequest } from "@playwright/test";
import {
  chooseAccountMenuItem,
  completeTwoFactor,
  completeTwoFactorHttp,
  content,
  DEMO_PASSWORD,
  DEMO_TOTP_SECRET,
  expect,
  expectWorkbench,
  logout,
  newPassword,
  newPhone,
  open,
  submit,
  submitLogin,
  test,
  totpCode,
  uniqueId,
} from "./fixtures";

/** The admin creates a county account over HTTP (the form's own endpoint); its subject is elsewhere. */
async function newCountyUser(baseURL: string) {
  const admin = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL } });
  const signIn = await admin.post("/login/staff", {
    form: { username: "admin", password: DEMO_PASSWORD },
    maxRedirects: 0,
  });
  expect(signIn.headers().location).toMatch(/^\/login\/two-factor/);
  await completeTwoFactorHttp(admin, DEMO_TOTP_SECRET);
  const username = uniqueId("tfa");
  const password = newPassword();
  const created = await admin.post("/admin/users/new", {
    form: {
      role: "county",
      username,
      displayName: `双因素测试${username.slice(-4)}`,
      regionCode: "330825",
      phone: newPhone(),
      password,
    },
    maxRedirects: 0,
  });
  expect(created.status(), await created.text()).toBe(302);
  await admin.dispose();
  return { username, password };
}

test("a staff user enrols from the account menu, then signs in with a code, and once with a recovery code", async ({
  page,
  baseURL,
}) => {
  const { username, password: initial } = await newCountyUser(baseURL!);
  const password = newPassword();

  // First login: the initial password must be changed.
  await open(page, "/login/staff");
  await submitLogin(page, "staff", username, initial);
  await expect(page).toHaveURL(/\/account\/password$/);
  await page.getByLabel("当前密码").fill(initial);
  await page.getByLabel("新密码", { exact: true }).fill(password);
  await page.getByLabel("确认新密码").fill(password);
  await submit(page, "保存新密码");
  await expectWorkbench(page);

  // ---- 账号菜单 → 双因素认证: read the key as a person would type it into an app.
  await chooseAccountMenuItem(page, "双因素认证", () =>
    expect(page).toHaveURL(/\/account\/two-factor$/, { timeout: 5_000 }),
  );
  await expect(content(page).getByRole("img", { name: "双因素认证二维码" })).toBeVisible();
  const secret = (await page.locator("#totp-secret").innerText()).replace(/\s/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByLabel("验证码").fill(totpCode(secret));
  await submit(page, "开启双因素认证");
  await expect(content(page)).toContainText("双因素认证已开启");
  const codes = await content(page)
    .getByRole("list", { name: "恢复码" })
    .getByRole("listitem")
    .allInnerTexts();
  expect(codes).toHaveLength(10);
  await open(page, "/account/two-factor");
  await expect(content(page)).toContainText("剩余可用恢复码：10 个");
  await logout(page);

  // ---- sign in: the password leads to the second step, nothing else is reachable yet.
  await open(page, "/login/staff");
  await submitLogin(page, "staff", username, password);
  await expect(page).toHaveURL(/\/login\/two-factor/);
  await open(page, "/workbench");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fworkbench$/);
  await open(page, "/login/two-factor");
  await completeTwoFactor(page, secret);
  await expectWorkbench(page);
  await logout(page);

  // ---- with a recovery code instead of the app.
  await open(page, "/login/staff");
  await submitLogin(page, "staff", username, password);
  await expect(page).toHaveURL(/\/login\/two-factor/);
  await page.getByLabel("验证码").fill(codes[0]);
  await submit(page, "验证");
  await expectWorkbench(page);
  await logout(page);

  // ---- the same recovery code does not work twice.
  await open(page, "/login/staff");
  await submitLogin(page, "staff", username, password);
  await expect(page).toHaveURL(/\/login\/two-factor/);
  await page.getByLabel("验证码").fill(codes[0]);
  await submit(page, "验证");
  await expect(page.locator("#code-error")).toContainText("验证码不正确");
  await expect(page).toHaveURL(/\/login\/two-factor/);
});
