import { expect } from "@playwright/test";
import {
  content,
  DEMO_PASSWORD,
  formItemOf,
  login,
  logout,
  open,
  publishNoticeToday,
  submit,
  test,
  uniqueId,
} from "./fixtures.ts";
import { advanceServerClock, proposedApplication } from "./http-journey.ts";

/**
 * 附件1 第八条 and 附件3 (公示栏, 科普基地): the office publishes the proposed list; the public
 * sees it and objects; one objection is upheld, another dismissed; at the end of the period the
 * rest are named, with certificates; the named base is in the directory, the other is not.
 *
 * Runs alone after the other specs (playwright.config.ts): it moves the server's clock.
 */
test("公示, objections and naming, through to the directory and the certificate", async ({
  page,
  otherPage: visitor,
  baseURL,
}) => {
  test.setTimeout(300_000);
  const tag = uniqueId("");
  const a = await proposedApplication(baseURL!, `龙游异议馆${tag}`);
  const b = await proposedApplication(baseURL!, `龙游命名馆${tag}`);

  // The office: 我的工作台 → 公示管理 → 发布公示, starting today.
  await login(page, "staff", "office", DEMO_PASSWORD);
  await content(page).getByRole("link", { name: "公示管理" }).first().click();
  await expect(page).toHaveURL(/\/admin\/notices$/);
  await content(page).getByRole("link", { name: "发布公示" }).click();
  await expect(page).toHaveURL(/\/admin\/notices\/new/);
  await expect(content(page).getByLabel(a.baseName, { exact: false })).toBeChecked();
  await expect(content(page).getByLabel(b.baseName, { exact: false })).toBeChecked();
  const title = `第八批拟认定名单公示${tag}`;
  const adminNoticeUrl = await publishNoticeToday(page, title);

  // The public: 【公示栏】 → the notice → 【提出异议】, once against each.
  await open(visitor, "/");
  await visitor.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "公示栏" }).click();
  await content(visitor).getByRole("link", { name: title }).click();
  await expect(content(visitor)).toContainText(a.baseName);
  await expect(content(visitor)).toContainText(b.baseName);
  await expect(content(visitor)).toContainText("公示中");
  const refs: string[] = [];
  for (const target of [a, b]) {
    await content(visitor).getByRole("link", { name: "提出异议" }).click();
    await expect(visitor).toHaveURL(/\/objection$/);
    // Bad input is answered beside the field, and what was typed stays.
    await visitor.getByLabel(new RegExp(target.baseName)).check();
    await visitor.getByLabel("真实姓名").fill("赵公众");
    await visitor.getByLabel("联系电话").fill("1380000");
    await visitor.getByLabel("异议内容").fill("该单位开放天数与申报材料不符，请核实。");
    await submit(visitor, "提交异议");
    await expect(formItemOf(visitor, "objectorPhone")).toContainText("11位手机号");
    await expect(visitor.getByLabel("异议内容")).toHaveValue("该单位开放天数与申报材料不符，请核实。");
    await visitor.getByLabel("联系电话").fill("13800009999");
    await submit(visitor, "提交异议");
    await expect(content(visitor)).toContainText("异议已提交");
    const ref = (await content(visitor)
      .getByText(/^YY\d{8}-[0-9A-Z]{6}$/)
      .textContent())!.trim();
    refs.push(ref);
    await content(visitor).getByRole("link", { name: "返回公示" }).click();
  }

  // The office verifies both: the first is upheld (不予认定), the second dismissed.
  await open(page, adminNoticeUrl);
  const card = (ref: string) => content(page).locator(".ant-card", { hasText: ref });
  await card(refs[0]).getByLabel("异议成立", { exact: true }).check();
  await card(refs[0]).getByLabel("不予认定").check();
  await card(refs[0]).getByLabel(/答复/).fill("经核实，该单位年开放天数不符合条件，不予认定。");
  await card(refs[0]).getByRole("button", { name: "确定" }).click();
  await expect(content(page).getByRole("status")).toContainText("异议核实结果已保存");
  await card(refs[1]).getByLabel("异议不成立").check();
  await card(refs[1]).getByLabel(/答复/).fill("经核实，该单位开放情况属实，异议不成立。");
  await card(refs[1]).getByRole("button", { name: "确定" }).click();
  await expect(card(refs[1]).getByRole("button", { name: "确定" })).toHaveCount(0);
  await expect(card(refs[1])).toContainText("经核实，该单位开放情况属实");

  // The replies are public, without the objector's name or phone; the objector can look it up.
  await open(visitor, "/notices");
  await content(visitor).getByRole("link", { name: title }).click();
  await expect(content(visitor)).toContainText("经核实，该单位年开放天数不符合条件");
  await expect(content(visitor)).not.toContainText("赵公众");
  await expect(content(visitor)).not.toContainText("13800009999");
  await content(visitor).getByRole("link", { name: "查询异议处理情况" }).click();
  await visitor.getByLabel("受理编号").fill(refs[1]);
  await visitor.getByLabel("提交时填写的电话").fill("13800009999");
  await submit(visitor, "查询");
  await expect(content(visitor)).toContainText("异议不成立");

  // The period ends (the job closes the notice); the office names the rest.
  await advanceServerClock(baseURL!, 15);
  await login(page, "staff", "office", DEMO_PASSWORD);
  await open(page, adminNoticeUrl);
  await submit(page, "认定命名");
  await expect(content(page).getByRole("status")).toContainText("已命名");
  await content(page).getByRole("link", { name: "查看认定公告" }).click();
  await expect(content(page)).toContainText(b.baseName);
  await expect(content(page)).not.toContainText(a.baseName);
  const pdf = await page.request.get(`${new URL(page.url()).pathname}/naming.pdf`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");

  // The directory has the named base, not the one with the upheld objection.
  await open(visitor, `/bases?q=${encodeURIComponent(`龙游命名馆${tag}`)}`);
  await content(visitor).getByRole("link", { name: b.baseName }).click();
  // The directory's cards carry the name as a heading too: wait for the detail page's address.
  await expect(visitor).toHaveURL(/\/bases\/[0-9a-f-]{36}$/);
  await expect(content(visitor).getByRole("heading", { name: b.baseName, level: 1 })).toBeVisible();
  const baseUrl = new URL(visitor.url()).pathname;
  const qr = await visitor.request.get(`${baseUrl}/qr.svg`);
  expect(qr.status()).toBe(200);
  expect(qr.headers()["content-type"]).toContain("image/svg+xml");
  // The certificate is for the base and staff, not for the public.
  expect((await visitor.request.get(`${baseUrl}/certificate.pdf`)).status()).toBe(404);
  const cert = await page.request.get(`${baseUrl}/certificate.pdf`);
  expect(cert.status()).toBe(200);
  expect(cert.headers()["content-type"]).toBe("application/pdf");
  await open(visitor, `/bases?q=${encodeURIComponent(`龙游异议馆${tag}`)}`);
  await expect(content(visitor).getByRole("link", { name: a.baseName })).toHaveCount(0);
  await logout(page);
});
