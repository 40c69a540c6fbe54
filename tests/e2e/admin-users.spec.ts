import {
  chooseOption,
  content,
  DEMO_PASSWORD,
  descriptionValue,
  expect,
  expectTiles,
  expectWorkbench,
  formAlert,
  formItemOf,
  LOGIN_FAILED,
  login,
  mainButton,
  newPassword,
  newPhone,
  open,
  openLoginFromHeader,
  submit,
  submitLogin,
  test,
  uniqueId,
} from "./fixtures";

test("admin creates a county user who must change the password first; disable, enable and reset", async ({
  page: admin,
  otherPage: user,
}) => {
  test.slow(); // two people, a dozen page loads: give it room on a busy machine
  const username = uniqueId("county");
  const displayName = `龙游县测试员${uniqueId("")}`;
  const initialPassword = newPassword();
  const ownPassword = newPassword();
  const resetPassword = newPassword();

  // ---- the admin creates the account (用户管理 → 新建用户)
  await login(admin, "staff", "admin", DEMO_PASSWORD);
  await content(admin)
    .getByRole("link", { name: /^用户管理/ })
    .click();
  await expect(admin).toHaveURL(/\/admin\/users$/);
  await expect(admin.getByRole("heading", { name: "用户管理" })).toBeVisible();
  await submit(admin, "新建用户");
  await expect(admin).toHaveURL(/\/admin\/users\/new$/);
  await expect(admin.getByRole("heading", { name: "新建用户" })).toBeVisible();

  await admin.getByRole("radio", { name: "县（市、区）科协" }).check();
  await admin.getByLabel("用户名").fill(username);
  await admin.getByLabel("姓名").fill(displayName);
  await chooseOption(admin, "regionCode", "龙游县");
  await admin.getByLabel("手机号").fill(newPhone());
  await admin.getByLabel("初始密码").fill(initialPassword);
  await submit(admin, "创建");

  await expect(admin).toHaveURL(/\/admin\/users\/[^/?]+\?created=1$/);
  await expect(content(admin)).toContainText("账号已创建");
  await expect(admin.getByRole("heading", { name: displayName })).toBeVisible();
  await expect(descriptionValue(admin, "用户名")).toHaveText(username);
  await expect(descriptionValue(admin, "角色")).toHaveText("县（市、区）科协");
  await expect(descriptionValue(admin, "所属区域")).toHaveText("龙游县");
  await expect(descriptionValue(admin, "状态")).toContainText("待修改初始密码");
  const userPage = new URL(admin.url()).pathname;

  // ---- the new user logs in and is sent to change the initial password first
  await open(user, "/");
  await openLoginFromHeader(user, "staff");
  await submitLogin(user, "staff", username, initialPassword);
  await expect(user).toHaveURL(/\/account\/password$/);
  await expect(content(user)).toContainText("首次登录请先修改管理员为您设置的初始密码");
  // The workbench cannot be reached before the change.
  await open(user, "/workbench");
  await expect(user).toHaveURL(/\/account\/password$/);

  await user.getByLabel("当前密码").fill(initialPassword);
  await user.getByLabel("新密码", { exact: true }).fill(ownPassword);
  await user.getByLabel("确认新密码").fill(ownPassword);
  await submit(user, "保存新密码");
  await expectWorkbench(user);
  await expect(content(user)).toContainText("密码已修改");
  await expect(descriptionValue(user, "名称")).toHaveText(displayName);
  await expectTiles(user, ["申报项目", "账号查询", "修改密码"], ["用户管理", "审计日志"]);

  // ---- 停用账号: the session ends and the login is refused
  await open(admin, userPage);
  await expect(descriptionValue(admin, "状态")).not.toContainText("待修改初始密码");
  await submit(admin, "停用账号");
  await expect(content(admin)).toContainText("账号已停用");
  await expect(descriptionValue(admin, "状态")).toContainText("已停用");
  await expect(mainButton(admin, "启用账号")).toBeVisible();

  await open(user, "/workbench");
  await expect(user).toHaveURL(/\/login\?redirectTo=/);
  await open(user, "/login/staff");
  await submitLogin(user, "staff", username, ownPassword);
  await expect(formAlert(user)).toContainText("该账号已停用");
  await expect(user).toHaveURL(/\/login\/staff$/);

  // ---- 启用账号: the login works again
  await submit(admin, "启用账号");
  await expect(content(admin)).toContainText("账号已启用");
  await expect(descriptionValue(admin, "状态")).toContainText("正常");
  await submitLogin(user, "staff", username, ownPassword);
  await expectWorkbench(user);

  // ---- 重置密码: sessions end, the old password stops working, the new one forces a change
  await open(admin, userPage);
  await admin.getByLabel("新的初始密码").fill(resetPassword);
  await submit(admin, "重置密码");
  await expect(content(admin)).toContainText("密码已重置，该用户下次登录时须修改密码");
  await expect(descriptionValue(admin, "状态")).toContainText("待修改初始密码");

  await open(user, "/workbench");
  await expect(user).toHaveURL(/\/login\?redirectTo=/);
  await open(user, "/login/staff");
  await submitLogin(user, "staff", username, ownPassword);
  await expect(formAlert(user)).toHaveText(LOGIN_FAILED);
  await submitLogin(user, "staff", username, resetPassword);
  await expect(user).toHaveURL(/\/account\/password$/);
  await expect(content(user)).toContainText("首次登录请先修改");
});

test("a new user's form is checked beside each field and keeps what was typed", async ({ page }) => {
  // Uses the admin session only to read the form: nothing is created.
  await login(page, "staff", "admin", DEMO_PASSWORD);
  await open(page, "/admin/users/new");
  await page.getByRole("radio", { name: "县（市、区）科协" }).check();
  await page.getByLabel("用户名").fill("9bad name");
  await page.getByLabel("姓名").fill("字段校验测试");
  await page.getByLabel("初始密码").fill("short");
  await submit(page, "创建");
  await expect(formItemOf(page, "username")).toContainText("用户名为3至32位");
  await expect(formItemOf(page, "password")).toContainText("密码至少8位");
  await expect(formItemOf(page, "regionCode")).toContainText("请选择所属区域");
  await expect(page.getByLabel("姓名")).toHaveValue("字段校验测试");
  await expect(page).toHaveURL(/\/admin\/users\/new$/);
});
