import {
  content,
  DEMO_ORG_USCC,
  DEMO_PASSWORD,
  expect,
  formAlert,
  LOGIN_FAILED,
  login,
  open,
  submit,
  test,
  uniqueId,
} from "./fixtures";

test("the server under test answers /healthz on the engine asked for", async ({ request }) => {
  const res = await request.get("/healthz");
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.status).toBe("ok");
  // run.sh postgres sets E2E_DATABASE_URL; without it the server runs on SQLite.
  expect(body.engine).toBe(process.env.E2E_DATABASE_URL ? "postgres" : "sqlite");
});

test("a POST from another origin is refused with 403 and signs nobody in", async ({ request }) => {
  const res = await request.post("/login/staff", {
    headers: { Origin: "http://evil.example" },
    form: { username: "admin", password: DEMO_PASSWORD },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(403);
  expect(await res.text()).toContain("请求来源校验失败");
  expect(res.headers()["set-cookie"]).toBeUndefined();

  // Without Origin and Referer, a state-changing request is refused too.
  const bare = await request.post("/logout", { maxRedirects: 0 });
  expect(bare.status()).toBe(403);
});

test("responses carry a Content-Security-Policy and the baseline security headers", async ({ request }) => {
  for (const path of ["/", "/login/org", "/projects/calls", "/no-such-page"]) {
    const res = await request.get(path);
    const h = res.headers();
    const csp = h["content-security-policy"];
    expect(csp, path).toBeTruthy();
    expect(csp).toContain("default-src 'self'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["x-frame-options"]).toBe("DENY");
  }
});

test("signed-in pages are sent with Cache-Control: no-store; the cookie is HttpOnly", async ({
  playwright,
  baseURL,
}) => {
  const api = await playwright.request.newContext({ baseURL });
  try {
    const res = await api.post("/login/org", {
      headers: { Origin: baseURL! },
      form: { uscc: DEMO_ORG_USCC, password: DEMO_PASSWORD },
      maxRedirects: 0,
    });
    expect(res.status()).toBe(302);
    expect(res.headers().location).toBe("/workbench");
    const cookie = res.headers()["set-cookie"];
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);

    for (const path of ["/workbench", "/account/password", "/"]) {
      const page = await api.get(path, { maxRedirects: 0 });
      expect(page.status(), path).toBe(200);
      expect(page.headers()["cache-control"], path).toContain("no-store");
    }
    // The page is really the signed-in one.
    expect(await (await api.get("/workbench")).text()).toContain("我的工作台");
  } finally {
    await api.dispose();
  }
});

test("the audit log (审计日志) shows failed logins, filtered by 操作人", async ({ page, otherPage }) => {
  const ghost = uniqueId("ghost");

  // Someone tries an account that does not exist, twice.
  await open(otherPage, "/login/staff");
  for (let i = 0; i < 2; i++) {
    await otherPage.getByLabel("用户名").fill(ghost);
    await otherPage.getByLabel("密码", { exact: true }).fill(`Wrong-Pass-${i}!`);
    await submit(otherPage, "登录");
    await expect(formAlert(otherPage)).toHaveText(LOGIN_FAILED);
  }

  await login(page, "staff", "admin", DEMO_PASSWORD);
  await content(page)
    .getByRole("link", { name: /^审计日志/ })
    .click();
  await expect(page).toHaveURL(/\/admin\/audit$/);
  await expect(page.getByRole("heading", { name: "审计日志" })).toBeVisible();

  await page.getByLabel("操作人").fill(ghost);
  await submit(page, "查询");
  await expect(page).toHaveURL(new RegExp(`[?&]actor=${ghost}(&|$)`));

  // The address changes a moment before the table does: assert on the table itself.
  const rows = content(page).locator(".ant-table-tbody tr.ant-table-row");
  await expect(rows.filter({ hasNotText: ghost })).toHaveCount(0);
  await expect(rows).toHaveCount(2);
  const cells = (col: number) => rows.locator(`td:nth-child(${col})`).allTextContents();
  // Columns: 时间, 操作人, 角色, IP, 操作, 对象, 结果, 详情
  expect(await cells(2)).toEqual([ghost, ghost]);
  expect(await cells(5)).toEqual(["登录", "登录"]);
  expect(await cells(7)).toEqual(["失败", "失败"]);
  for (const detail of await cells(8)) expect(detail).toContain("unknown_account");

  // Another 操作人 does not show these rows.
  await page.getByLabel("操作人").fill("admin");
  await submit(page, "查询");
  await expect(page).toHaveURL(/[?&]actor=admin(&|$)/);
  await expect(rows.filter({ hasText: ghost })).toHaveCount(0);
  await expect(rows.first()).toBeVisible();
  expect(await cells(2)).not.toContain(ghost);
  expect(await cells(5)).toContain("登录");
});
