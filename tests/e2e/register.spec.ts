import {
  content,
  descriptionValue,
  expect,
  expectTiles,
  expectWorkbench,
  formAlert,
  formItemOf,
  label,
  newPassword,
  newPhone,
  newUscc,
  open,
  openLoginFromHeader,
  registerOrgViaForm,
  submit,
  submitLogin,
  test,
  uniqueId,
  withWrongCheckChar,
} from "./fixtures";

test("an org registers (法人注册) with its USCC and logs in; a wrong check character is refused beside the field", async ({
  page,
}) => {
  const uscc = newUscc();
  const unitName = `衢州测试科技馆${uniqueId("")}`;
  const contactName = "张测试";
  const phone = newPhone();
  const password = newPassword();

  await open(page, "/");
  await openLoginFromHeader(page, "org");
  await content(page).getByRole("link", { name: "法人注册" }).click();
  await expect(page).toHaveURL(/\/register$/);
  await expect(page.getByRole("heading", { name: "法人注册" })).toBeVisible();

  // First try: the 18th character (check character) is wrong.
  await page.getByLabel("统一社会信用代码").fill(withWrongCheckChar(uscc));
  await page.getByLabel("单位名称").fill(unitName);
  await page.getByRole("radio", { name: "龙游县" }).check();
  await page.getByLabel("联系人").fill(contactName);
  await page.getByLabel("联系电话").fill(phone);
  await page.getByLabel("密码", { exact: true }).fill(password);
  await page.getByLabel("确认密码").fill(password);
  await submit(page, "注册");

  const usccItem = formItemOf(page, "uscc");
  await expect(usccItem).toContainText("校验位");
  await expect(page.locator("#uscc-error")).toContainText("校验位");
  await expect(page.getByLabel("统一社会信用代码")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/register$/);
  // Nothing else the user typed is lost.
  await expect(page.getByLabel("单位名称")).toHaveValue(unitName);
  await expect(page.getByLabel("联系人")).toHaveValue(contactName);
  await expect(page.getByLabel("联系电话")).toHaveValue(phone);
  await expect(page.getByRole("radio", { name: "龙游县" })).toBeChecked();
  // Only the USCC is marked wrong.
  await expect(formItemOf(page, "unitName").locator(".ant-form-item-explain-error")).toHaveCount(0);

  // Second try with the right code.
  await page.getByLabel("统一社会信用代码").fill(uscc);
  await page.getByLabel("密码", { exact: true }).fill(password);
  await page.getByLabel("确认密码").fill(password);
  await submit(page, "注册");

  await expect(page).toHaveURL(/\/login\/org\?registered=1$/);
  await expect(content(page)).toContainText("注册成功");
  expect(await submitLogin(page, "org", uscc, password)).toBeLessThan(400);
  await expectWorkbench(page);
  await expect(descriptionValue(page, "名称")).toHaveText(unitName);
  await expect(descriptionValue(page, "角色")).toHaveText("申报单位/基地");
  await expect(descriptionValue(page, "所属区域")).toHaveText("龙游县");
  await expectTiles(page, ["项目申报", "修改密码"], ["用户管理", "账号查询", "审计日志"]);
});

test("registering the same USCC twice is refused beside the field, with an answer that does not confirm the account", async ({
  page,
  request,
  baseURL,
}) => {
  const existing = await registerOrgViaForm(request, baseURL!);
  const password = newPassword();

  await open(page, "/register");
  await page.getByLabel("统一社会信用代码").fill(existing.uscc.toLowerCase());
  await page.getByLabel("单位名称").fill("重复注册测试单位");
  await page.getByRole("radio", { name: "江山市" }).check();
  await page.getByLabel("联系人").fill("李测试");
  await page.getByLabel("联系电话").fill("0570-3027351");
  await page.getByLabel("密码", { exact: true }).fill(password);
  await page.getByLabel("确认密码").fill(password);
  await content(page)
    .getByRole("button", { name: label("注册") })
    .click();

  const neutral = "如已注册，请直接登录或找回密码；如有疑问请联系所在县（市、区）科协";
  await expect(formItemOf(page, "uscc")).toContainText(neutral);
  await expect(formAlert(page)).toContainText(neutral);
  await expect(formAlert(page)).not.toContainText("该统一社会信用代码已注册");
  await expect(page.getByLabel("单位名称")).toHaveValue("重复注册测试单位");
});
