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

/**
 * 动态管理 (issue 16 item 7) as its users would do it: the office puts two bases on 警示 with
 * 限期整改; each base files its 整改报告 (the draft saves itself); the city re-checks: one passes and
 * is lifted, the other fails, which proposes a revocation under 第十八条（四）, and the office carries it
 * out on the base's page. The bases are demo bases no other journey uses, claimed by new accounts.
 */

const PDF = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
const PASSING = "龙游石窟景区科普教育基地";
const FAILING = "龙游县红木小镇科普教育基地";

const dateIn = (days: number) =>
  new Date(Date.now() + days * 86400_000 + 8 * 3600_000).toISOString().slice(0, 10);

/** The office finds a demo base, and prints a claim code for it: the base's id and the code. */
async function claimCodeOf(page: Page, name: string): Promise<{ id: string; code: string }> {
  await open(page, `/admin/bases?q=${encodeURIComponent(name)}`);
  await content(page).getByRole("link", { name }).first().click();
  await expect(page).toHaveURL(/\/admin\/bases\/[0-9a-f-]{36}$/);
  const id = page.url().split("/").pop()!;
  await content(page).getByRole("link", { name: "账号认领码" }).click();
  await content(page)
    .getByRole("button", { name: /开具认领码/ })
    .click();
  const code = (await content(page).getByTestId("claim-code").textContent())!.trim();
  return { id, code };
}

/** A new 龙游 organization registers, claims the base with the code, and stays signed in. */
async function claimBase(
  page: Page,
  code: string,
  name: string,
): Promise<{ uscc: string; password: string }> {
  const uscc = newUscc("330825");
  const password = newPassword();
  await open(page, "/register");
  await page.getByLabel("统一社会信用代码").fill(uscc);
  await page.getByLabel("单位名称").fill(`动态管理测试单位${uniqueId("")}`);
  await page.getByLabel("龙游").check();
  await page.getByLabel("联系人").fill("张测试");
  await page.getByLabel("联系电话").fill(newPhone());
  await page.getByLabel("密码", { exact: true }).fill(password);
  await page.getByLabel("确认密码").fill(password);
  await submit(page, "注册");
  await expect(page).toHaveURL(/\/login\/org\?registered=1/);
  await login(page, "org", uscc, password);
  await open(page, "/verification");
  await page.getByLabel("认领码").fill(code);
  await submit(page, "认领");
  await expect(content(page).getByRole("status")).toContainText(`已关联“${name}”`);
  return { uscc, password };
}

/** The office puts the base on 警示 with 限期整改 from the base's page; the warning's path. */
async function issueRectification(page: Page, baseId: string, reason: string): Promise<string> {
  await open(page, `/admin/bases/${baseId}`);
  await content(page).getByRole("link", { name: "列入警示" }).click();
  await expect(page).toHaveURL(/\/admin\/warnings\/new\?base=/);
  // Nothing typed is lost when the server refuses: measures without a deadline.
  await page.getByLabel("警示理由").fill(reason);
  await page.getByLabel("整改要求").fill("每季度至少开展1场科普活动，并按时上传活动小结");
  await submit(page, "列入警示");
  await expect(page.locator("#deadline-error")).toContainText("请选择整改期限");
  await expect(page.getByLabel("警示理由")).toHaveValue(reason);
  await page.getByLabel("整改期限").fill(dateIn(10));
  await submit(page, "列入警示");
  await expect(page).toHaveURL(/\/admin\/warnings\/[0-9a-f-]{36}\?done=issued$/);
  await expect(content(page).getByRole("status")).toContainText("已列入警示");
  await expect(content(page)).toContainText("限期整改中");
  return new URL(page.url()).pathname;
}

/** The base opens its 整改 from 【我的基地】 and files the report (with evidence). */
async function fileReport(page: Page, text: string, checkAutosave: boolean) {
  await open(page, "/my-base");
  await content(page)
    .getByRole("link", { name: /限期整改中/ })
    .click();
  await expect(page).toHaveURL(/\/my-base\/rectification\/[0-9a-f-]{36}$/);
  await page.getByLabel("整改报告").fill(text);
  if (checkAutosave) {
    // The draft saves itself; a reload shows it.
    await expect(content(page)).toContainText("草稿已自动保存", { timeout: 15_000 });
    await page.reload();
    await expect(page.getByLabel("整改报告")).toHaveValue(text);
  }
  const uploaded = page.waitForResponse(
    (r) => r.request().method() === "POST" && new URL(r.url()).pathname.endsWith("/report_evidence"),
  );
  await page.locator("#file_report_evidence input[type=file]").setInputFiles({
    name: "整改佐证.pdf",
    mimeType: "application/pdf",
    buffer: PDF,
  });
  expect((await uploaded).status()).toBe(201);
  await submit(page, "提交整改报告");
  await expect(content(page).getByRole("status")).toContainText("整改报告已提交");
  await expect(content(page)).toContainText("整改报告待复查");
}

test("the office issues 整改, the bases report, the city re-checks (pass; fail → revocation), the office revokes", async ({
  page,
  otherPage,
}) => {
  test.setTimeout(300_000);

  await login(page, "staff", "office", DEMO_PASSWORD);
  const passing = await claimCodeOf(page, PASSING);
  const failing = await claimCodeOf(page, FAILING);

  const orgA = await claimBase(otherPage, passing.code, PASSING);
  await logout(otherPage);
  const orgB = await claimBase(otherPage, failing.code, FAILING);
  await logout(otherPage);

  const warningA = await issueRectification(page, passing.id, "全年科普活动不足，未按时上传活动小结");
  const warningB = await issueRectification(page, failing.id, "多次未接受业务指导");

  // Each base files its report.
  await login(otherPage, "org", orgA.uscc, orgA.password);
  await fileReport(otherPage, "已制定年度活动计划，第一季度已开展2场活动并上传小结。", true);
  await logout(otherPage);
  await login(otherPage, "org", orgB.uscc, orgB.password);
  await fileReport(otherPage, "已安排专人对接。", false);
  await logout(otherPage);

  // The city re-checks: A passes, B fails under 第十八条（四）.
  await login(otherPage, "staff", "city", DEMO_PASSWORD);
  await open(otherPage, warningA);
  await otherPage.getByLabel("通过，解除警示").check();
  await otherPage.getByLabel("复查意见").fill("整改到位，解除警示。");
  await otherPage.getByLabel("实地核查记录（可选）").fill("实地查看活动记录与现场。");
  await submit(otherPage, "提交复查结论");
  await expect(content(otherPage).getByRole("status")).toContainText("已提交复查结论");
  await expect(content(otherPage)).toContainText("已解除");
  await open(otherPage, warningB);
  await otherPage.getByLabel("不通过，建议撤销命名").check();
  await otherPage.getByLabel("复查意见").fill("整改不到位。");
  // Without the 第十八条 reason the server refuses, and keeps what was typed.
  await submit(otherPage, "提交复查结论");
  await expect(otherPage.locator("#recheck-revocationReason-error")).toContainText("第十八条");
  await expect(otherPage.getByLabel("复查意见")).toHaveValue("整改不到位。");
  await otherPage.getByLabel(/^第十八条（四）/).check();
  await submit(otherPage, "提交复查结论");
  await expect(content(otherPage)).toContainText("复查未通过，建议撤销命名");
  await logout(otherPage);

  // The office: A's base is active again; B goes to revocation through the base's page.
  await open(page, `/admin/bases/${passing.id}`);
  await expect(content(page)).toContainText("动态管理记录");
  await expect(content(page)).toContainText("复查通过，解除警示");
  await expect(content(page).locator(".ant-tag").first()).not.toContainText("警示");
  await open(page, warningB);
  await content(page).getByRole("link", { name: "前往基地详情，撤销命名" }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/bases/${failing.id}\\?revocation=4`));
  await expect(page.getByLabel(/^（四）/)).toBeChecked();
  await page.getByLabel("撤销说明").fill("整改复查未通过，依第十八条（四）撤销。");
  page.once("dialog", (d) => d.accept());
  await submit(page, "撤销命名");
  await expect(content(page).getByRole("status")).toContainText("已撤销该基地的命名");

  // The list shows both; filters and the export work.
  await open(page, "/admin/warnings?status=lifted");
  await expect(content(page).getByRole("link", { name: PASSING })).toBeVisible();
  await open(page, "/admin/warnings?status=revocation_proposed");
  await expect(content(page).getByRole("link", { name: FAILING })).toBeVisible();
  const download = page.waitForEvent("download");
  await content(page).getByRole("link", { name: "导出" }).click();
  expect((await download).suggestedFilename()).toContain("动态管理");
});
