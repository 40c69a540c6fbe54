import { content, expect, login, newPassword, open, registerOrgViaForm, submit, test } from "./fixtures";

test("a password change in one browser signs the account out of the other; 【登录设备】 lists and ends devices", async ({
  page,
  otherPage,
  request,
  baseURL,
}) => {
  const org = await registerOrgViaForm(request, baseURL!);
  await login(page, "org", org.uscc, org.password);
  await login(otherPage, "org", org.uscc, org.password);

  // Both browsers appear on 【登录设备】, this one marked.
  await open(page, "/account/sessions");
  await expect(content(page).getByRole("heading", { name: "登录设备" })).toBeVisible();
  await expect(content(page).locator(".session-device")).toHaveCount(2);
  await expect(content(page).getByText("本设备")).toHaveCount(1);

  const next = newPassword();
  await open(page, "/account/password");
  await page.getByLabel("当前密码").fill(org.password);
  await page.getByLabel("新密码", { exact: true }).fill(next);
  await page.getByLabel("确认新密码").fill(next);
  await submit(page, "保存新密码");
  await expect(page).toHaveURL(/\/workbench\?passwordChanged=1/);

  // The other browser's session is gone: its next page asks it to sign in.
  await open(otherPage, "/workbench");
  await expect(otherPage).toHaveURL(/\/login/);

  // This browser is still signed in and now the only device.
  await open(page, "/account/sessions");
  await expect(content(page).locator(".session-device")).toHaveCount(1);

  // Sign in elsewhere again, then end that device from here.
  await login(otherPage, "org", org.uscc, next);
  await open(page, "/account/sessions");
  await expect(content(page).locator(".session-device")).toHaveCount(2);
  await content(page)
    .getByRole("button", { name: /^退出 / })
    .click();
  await expect(content(page).getByRole("status")).toContainText("已退出该设备");
  await expect(content(page).locator(".session-device")).toHaveCount(1);
  await open(otherPage, "/workbench");
  await expect(otherPage).toHaveURL(/\/login/);
});
