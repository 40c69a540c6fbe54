import type { Page } from "@playwright/test";
import {
  content,
  DEMO_PASSWORD,
  expect,
  login,
  logout,
  newPassword,
  newPhone,
  newUscc,
  open,
  submit,
  test,
  uniqueId,
} from "./fixtures.ts";

const PDF = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

/** The staff page of a demo base found by name: its id and USCC. */
async function demoBase(page: Page, name: string): Promise<{ id: string; uscc: string }> {
  await open(page, `/admin/bases?q=${encodeURIComponent(name)}`);
  await content(page).getByRole("link", { name }).first().click();
  await expect(page).toHaveURL(/\/admin\/bases\/[0-9a-f-]{36}$/);
  const id = page.url().split("/").pop()!;
  // 【账号认领码】 shows the base's USCC to staff in scope.
  await content(page).getByRole("link", { name: "账号认领码" }).click();
  await expect(page).toHaveURL(/\/claim-code$/);
  const uscc = (await content(page).textContent())?.match(/12330825MA[0-9A-Z]{8}/)?.[0];
  expect(uscc, "the base's USCC on its claim-code page").toBeTruthy();
  return { id, uscc: uscc! };
}

async function registerOrg(page: Page, uscc: string, unitName: string): Promise<string> {
  const password = newPassword();
  await open(page, "/register");
  await page.getByLabel("统一社会信用代码").fill(uscc);
  await page.getByLabel("单位名称").fill(unitName);
  await page.getByLabel("龙游").check();
  await page.getByLabel("联系人").fill("张测试");
  await page.getByLabel("联系电话").fill(newPhone());
  await page.getByLabel("密码", { exact: true }).fill(password);
  await page.getByLabel("确认密码").fill(password);
  await submit(page, "注册");
  await expect(page).toHaveURL(/\/login\/org\?registered=1/);
  return password;
}

async function upload(page: Page, slot: string) {
  const done = page.waitForResponse(
    (r) => r.request().method() === "POST" && new URL(r.url()).pathname.endsWith(`/${slot}`),
  );
  await page.locator(`#file_${slot} input[type=file]`).setInputFiles({
    name: `${slot}.pdf`,
    mimeType: "application/pdf",
    buffer: PDF,
  });
  expect((await done).status()).toBe(201);
}

test("registering an imported base's USCC gives no access until 龙游县 approves the documents", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const baseName = "龙游县青少年宫科普教育基地";
  await login(page, "staff", "longyou", DEMO_PASSWORD);
  const base = await demoBase(page, baseName);
  await logout(page);

  const unit = `龙游县青少年宫${uniqueId("")}`;
  const password = await registerOrg(page, base.uscc, unit);
  await login(page, "org", base.uscc, password);
  await expect(content(page)).toContainText("单位认证：未认证");

  // No access: 我的基地 is empty and the certificate answers 404.
  await open(page, "/my-base");
  await expect(content(page)).toContainText("尚未关联已认定的科普教育基地");
  await expect(content(page)).not.toContainText(baseName);
  expect((await page.request.get(`/bases/${base.id}/certificate.pdf`)).status()).toBe(404);

  // 【我的工作台】→【单位认证】: upload the documents and submit them.
  await open(page, "/workbench");
  await content(page)
    .getByRole("link", { name: /^单位认证\s*上传/ })
    .click();
  await expect(page).toHaveURL(/\/verification$/);
  await upload(page, "org_license");
  await upload(page, "org_authorization");
  await submit(page, "提交认证");
  await expect(content(page).getByRole("status")).toContainText("认证材料已提交");
  await open(page, "/");
  await logout(page);

  // 龙游县 approves from its queue; the base with the account's USCC is linked.
  await login(page, "staff", "longyou", DEMO_PASSWORD);
  await open(page, "/admin/verifications");
  const card = content(page).locator(".ant-card", { hasText: unit });
  await expect(card).toContainText(`通过后关联基地：${baseName}`);
  await card.getByLabel("通过", { exact: true }).check();
  await card.getByRole("button", { name: /确\s*定/ }).click();
  await expect(content(page).getByRole("status")).toContainText(`已通过认证，并关联基地：${baseName}`);
  await open(page, "/");
  await logout(page);

  await login(page, "org", base.uscc, password);
  await open(page, "/my-base");
  await expect(content(page)).toContainText(baseName);
  expect((await page.request.get(`/bases/${base.id}/certificate.pdf`)).status()).toBe(200);
});

test("a claim code printed by 龙游县 verifies a new account and links the base", async ({ page }) => {
  test.setTimeout(180_000);
  const baseName = "龙游县博物馆科普教育基地";
  await login(page, "staff", "longyou", DEMO_PASSWORD);
  const base = await demoBase(page, baseName);
  await content(page)
    .getByRole("button", { name: /开具认领码/ })
    .click();
  const code = (await content(page).getByTestId("claim-code").textContent())!.trim();
  expect(code).toMatch(/^[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}$/);
  const letter = page.waitForEvent("download");
  await content(page).getByRole("button", { name: "打印认领函（PDF）" }).click();
  expect((await letter).suggestedFilename()).toContain("认领函");
  await open(page, "/");
  await logout(page);

  const uscc = newUscc("330825");
  const password = await registerOrg(page, uscc, `认领测试单位${uniqueId("")}`);
  await login(page, "org", uscc, password);
  await open(page, "/verification");
  await page.getByLabel("认领码").fill(code.toLowerCase());
  await submit(page, "认领");
  await expect(content(page).getByRole("status")).toContainText(`已关联“${baseName}”`);
  await open(page, "/my-base");
  await expect(content(page)).toContainText(baseName);
  expect((await page.request.get(`/bases/${base.id}/certificate.pdf`)).status()).toBe(200);
});
