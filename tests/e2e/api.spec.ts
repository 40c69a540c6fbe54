import { fullMobileIn } from "../support/personal-data.ts";
import { content, DEMO_PASSWORD, expect, login, open, submit, test, uniqueId } from "./fixtures";

test("an admin issues an API token, shown once; it reads private fields; revoked, it is refused at once", async ({
  page,
  request,
}) => {
  await login(page, "staff", "admin", DEMO_PASSWORD);
  await content(page)
    .getByRole("link", { name: /^API令牌/ })
    .click();
  await expect(page).toHaveURL(/\/admin\/api-tokens$/);
  const name = uniqueId("省平台");
  // Nothing chosen: the server says so beside the field and keeps the name.
  await page.getByLabel("令牌名称").fill(name);
  await page.getByLabel(/读取基地/).uncheck();
  await submit(page, "签发令牌");
  await expect(content(page).getByText("请至少选择一项权限范围").first()).toBeVisible();
  await expect(page.getByLabel("令牌名称")).toHaveValue(name);

  await page.getByLabel(/读取基地/).check();
  await submit(page, "签发令牌");
  const shown = page.getByLabel("新令牌");
  await expect(shown).toHaveValue(/^kepu_[A-Za-z0-9_-]{43}$/);
  const token = await shown.inputValue();
  const row = content(page).locator("tr", { hasText: name });
  await expect(row).toContainText("有效");
  // Shown once: a reload lists the token by its first characters only.
  await open(page, "/admin/api-tokens");
  await expect(page.getByLabel("新令牌")).toHaveCount(0);
  await expect(content(page).locator("tr", { hasText: name })).toContainText(token.slice(0, 11));
  expect(await page.content()).not.toContain(token);

  const list = await (await request.get("/api/v1/bases?limit=1")).json();
  const id = list.data[0].id as string;
  const anonymous = await (await request.get(`/api/v1/bases/${id}`)).json();
  expect(anonymous.private).toBeUndefined();
  const auth = { Authorization: `Bearer ${token}` };
  const withToken = await request.get(`/api/v1/bases/${id}`, { headers: auth });
  expect(withToken.status()).toBe(200);
  expect((await withToken.json()).private.uscc).toMatch(/^[0-9A-Z]{18}$/);

  await content(page)
    .getByRole("button", { name: `吊销令牌“${name}”` })
    .click();
  await expect(content(page).getByText("令牌已吊销，立即失效。")).toBeVisible();
  await expect(content(page).locator("tr", { hasText: name })).toContainText("已吊销");
  const refused = await request.get(`/api/v1/bases/${id}`, { headers: auth });
  expect(refused.status()).toBe(401);
  expect(refused.headers()["content-type"]).toContain("application/problem+json");
  expect((await refused.json()).title).toBe("未授权");
});

test("the directory links the open data downloads and the API documentation renders without a CDN or CSP violation", async ({
  page,
  request,
}) => {
  await open(page, "/bases");
  const openData = page.getByRole("list", { name: "开放数据下载" });
  const csvLink = openData.getByRole("link", { name: "CSV" }).first();
  const href = await csvLink.getAttribute("href");
  expect(href).toBe("/api/v1/open-data/bases.csv");
  const csv = await request.get(href!);
  expect(csv.status()).toBe(200);
  const text = await csv.text();
  expect(text).toContain("CC BY 4.0");
  expect(text).toMatch(/# 生成时间：\d{4}-\d{2}-\d{2}T/);
  expect(fullMobileIn(text)).toBeNull();

  const violations: string[] = [];
  const foreign: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  page.on("pageerror", (e) => violations.push(String(e)));
  page.on("request", (r) => {
    if (!r.url().startsWith(new URL(page.url() || "http://127.0.0.1").origin) && !r.url().startsWith("data:"))
      foreign.push(r.url());
  });
  await page.getByRole("link", { name: "开放接口" }).first().click();
  await expect(page).toHaveURL(/\/api\/docs$/);
  await expect(page.getByText("科普基地服务平台开放接口").first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText("科普基地名录").first()).toBeVisible();
  expect(violations).toEqual([]);
  expect(foreign).toEqual([]);
});
