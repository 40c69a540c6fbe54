import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import sharp from "sharp";
import {
  content,
  DEMO_PASSWORD,
  descriptionValue,
  login,
  logout,
  mainButton,
  newPassword,
  newPhone,
  newUscc,
  open,
  submit,
  uniqueId,
} from "./fixtures.ts";
import { verifyOrgByCounty } from "./http-journey.ts";

/**
 * 附件3 一: an organization applies through 【项目大厅】→【项目申报】→【查看】→【我要申报】, fills in
 * 附件2, uploads its materials and presses 【提交】; the county recommends, the city passes, the
 * office confirms, and the applicant follows each step. Bad input is answered beside its field.
 */

const jpeg = (color: string) =>
  sharp({ create: { width: 320, height: 240, channels: 3, background: color } })
    .jpeg()
    .toBuffer();
const png = () =>
  sharp({ create: { width: 16, height: 16, channels: 3, background: "#000" } })
    .png()
    .toBuffer();
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

async function registerOrg(page: Page, unitName: string) {
  const uscc = newUscc("330825");
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
  return { uscc, password };
}

/** Uploads files into one slot of the form and waits until the server has answered each. */
async function upload(page: Page, slot: string, files: { name: string; mimeType: string; buffer: Buffer }[]) {
  const statuses: number[] = [];
  const onResponse = (r: import("@playwright/test").Response) => {
    if (r.request().method() === "POST" && new URL(r.url()).pathname.endsWith(`/${slot}`))
      statuses.push(r.status());
  };
  page.on("response", onResponse);
  try {
    await page.locator(`#file_${slot} input[type=file]`).setInputFiles(files);
    await expect.poll(() => statuses.length, { timeout: 60_000 }).toBe(files.length);
  } finally {
    page.off("response", onResponse);
  }
  return statuses.sort();
}

async function fillForm(page: Page, unitName: string) {
  await page.getByLabel("基地名称").fill(`${unitName}科普教育基地`);
  await page.getByLabel("通信地址").fill("浙江省衢州市龙游县测试路1号");
  await page.getByLabel("负责人", { exact: true }).fill("王负责");
  await page.getByLabel("负责人电话", { exact: true }).fill("13812345678");
  await page.getByLabel("联系人", { exact: true }).fill("李联系");
  await page.getByLabel("联系人电话").fill("0570-7012345");
  await page.getByLabel("预约参观电话").fill("0570-7012346");
  await page.getByLabel("科技志愿名称").fill(`${unitName}科技志愿服务队`);
  await page.getByLabel("科技志愿者人数").fill("20");
  await page.getByLabel("志愿者负责人", { exact: true }).fill("赵志愿");
  await page.getByLabel("志愿者负责人电话").fill("13900001111");
  await page.getByLabel("免费", { exact: true }).check();
  await page.getByLabel("科技场馆").check();
  await page.getByLabel("科普场所面积").fill("1500");
  await page.getByLabel("年开放天数").fill("300");
  await page.getByLabel(/科普教育基地简介/).fill("科".repeat(1000));
  for (let i = 0; i < 8; i++) await page.locator(`#cond_${i}`).check();
}

async function review(
  page: Page,
  user: string,
  baseName: string,
  decision: string,
  extra?: (p: Page) => Promise<void>,
) {
  await login(page, "staff", user, DEMO_PASSWORD);
  await open(page, "/review");
  await content(page).getByRole("link", { name: baseName }).click();
  await expect(page.getByRole("heading", { name: baseName })).toBeVisible();
  await page.getByLabel(decision, { exact: true }).check();
  await page.getByLabel("意见", { exact: true }).fill(`${decision}（测试）`);
  if (extra) await extra(page);
  await submit(page, "确定");
  await expect(content(page).getByRole("status")).toContainText(`已${decision}`);
  await open(page, "/");
  await logout(page);
}

test("an organization applies and the county, the city and the office act on it", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(300_000);
  const unit = `龙游测试馆${uniqueId("")}`;
  const baseName = `${unit}科普教育基地`;
  const { uscc, password } = await registerOrg(page, unit);
  // 提交 needs a verified account: 龙游县 approves its documents first.
  await verifyOrgByCounty(baseURL!, { uscc, password });

  // 【登录】→【法人登录】
  await open(page, "/");
  await page.getByRole("banner").getByRole("link", { name: "登录", exact: true }).click();
  await content(page).getByText("法人登录", { exact: true }).click();
  await page.getByLabel("统一社会信用代码").fill(uscc);
  await page.getByLabel("密码", { exact: true }).fill(password);
  await submit(page, "登录");
  await expect(page).toHaveURL(/\/workbench/);

  // 【项目大厅】→【项目申报】→ 科普教育基地项目认定【查看】→【我要申报】
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "项目大厅" }).click();
  await content(page).getByText("项目申报", { exact: true }).click();
  const row = content(page).getByRole("row", { name: /科普教育基地项目认定/ });
  await expect(row).toContainText("申报中");
  await row.getByRole("link", { name: "查看" }).click();
  await mainButton(page, "我要申报").click();
  await expect(page).toHaveURL(/\/applications\/[^/]+\/edit/);
  await expect(page.getByLabel("申报单位名称")).toHaveValue(unit);

  // Bad input first: each answer beside its field, nothing typed is lost.
  await fillForm(page, unit);
  await page.getByLabel("基地名称").fill(unit);
  await page.getByLabel(/科普教育基地简介/).fill("科".repeat(1001));
  await page.getByLabel("年开放天数").fill("0");
  await page.getByLabel("负责人电话", { exact: true }).fill("1381234567");
  await submit(page, "提交");
  const errorOf = (id: string) =>
    page
      .locator(".ant-form-item")
      .filter({ has: page.locator(`#${id}`) })
      .locator(".ant-form-item-explain");
  await expect(errorOf("baseName")).toContainText("单位名称+科普教育基地");
  await expect(errorOf("intro")).toContainText("简介不能超过1000字，当前1001字");
  await expect(errorOf("openDays")).toContainText("年开放天数须在1至366天之间");
  await expect(errorOf("leaderPhone")).toContainText("11位手机号");
  await expect(errorOf("file_overview_photos")).toContainText("基地概况照片");
  await expect(page.getByLabel("通信地址")).toHaveValue("浙江省衢州市龙游县测试路1号");

  // Uploads: wrong types and sizes are refused by the server.
  expect(
    await upload(page, "stamped_form", [
      { name: "申报表.pdf", mimeType: "application/pdf", buffer: await png() },
    ]),
  ).toEqual([415]);
  expect(
    await upload(page, "honors", [
      { name: "伪装.jpg", mimeType: "image/jpeg", buffer: Buffer.from("<html><body>x</body></html>") },
    ]),
  ).toEqual([415]);
  // One byte over the 10 MB photo limit (from a file: large buffers are slow to hand to the browser).
  const big = Buffer.alloc(10 * 1024 * 1024 + 1);
  (await jpeg("#888")).copy(big);
  const bigPath = path.join(os.tmpdir(), `${uniqueId("big")}.jpg`);
  fs.writeFileSync(bigPath, big);
  const tooBig = page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/honors"));
  await page.locator("#file_honors input[type=file]").setInputFiles(bigPath);
  expect((await tooBig).status()).toBe(413);
  fs.rmSync(bigPath);
  expect(
    await upload(page, "overview_photos", [
      { name: "概况1.jpg", mimeType: "image/jpeg", buffer: await jpeg("#36c") },
      { name: "概况2.jpg", mimeType: "image/jpeg", buffer: await jpeg("#3c6") },
    ]),
  ).toEqual([201, 201]);

  // Two photos are not enough.
  await fillForm(page, unit);
  await submit(page, "提交");
  await expect(errorOf("file_overview_photos")).toContainText("至少 3 个文件，当前 2 个");

  // Complete the materials; a sixth overview photo is refused.
  const photos = async (n: number, prefix: string) =>
    Promise.all(
      Array.from({ length: n }, async (_, i) => ({
        name: `${prefix}${i}.jpg`,
        mimeType: "image/jpeg",
        buffer: await jpeg(["#c63", "#6c3", "#36c", "#c36"][i % 4]),
      })),
    );
  expect(await upload(page, "overview_photos", await photos(3, "概况b"))).toEqual([201, 201, 201]);
  expect(await upload(page, "overview_photos", await photos(1, "概况c"))).toEqual([422]);
  expect(await upload(page, "activity_photos", await photos(3, "活动"))).toEqual([201, 201, 201]);
  expect(await upload(page, "volunteer_proof", await photos(1, "志愿"))).toEqual([201]);
  expect(
    await upload(page, "stamped_form", [
      { name: "盖章申报表.pdf", mimeType: "application/pdf", buffer: PDF },
    ]),
  ).toEqual([201]);

  // 【提交】
  await submit(page, "提交");
  await expect(page).toHaveURL(/\/applications\/[^/]+\?submitted=1/);
  await expect(content(page)).toContainText("待县级推荐");
  // The readable 申报编号 is given at 【提交】 (2026-第八批-龙游-007).
  const numberCell = descriptionValue(page, "申报编号");
  await expect(numberCell).toHaveText(/^\d{4}-第八批-龙游-\d{3}$/);
  const applicationNo = (await numberCell.textContent())!;
  const appUrl = new URL(page.url()).pathname;
  await logout(page);

  await review(page, "longyou", baseName, "推荐", async (p) => p.getByLabel("推荐日期").fill("2023-03-02"));
  await review(page, "city", baseName, "评审通过", async (p) => p.getByLabel(/评分/).fill("88"));
  await review(page, "office", baseName, "确认列入拟认定名单");

  // The applicant sees every step and the opinions.
  await login(page, "org", uscc, password);
  await open(page, "/applications");
  await expect(content(page)).toContainText("拟认定");
  await expect(content(page)).toContainText(applicationNo);
  await open(page, appUrl);
  const timeline = content(page).locator(".ant-timeline");
  for (const step of ["提交申报", "推荐", "评审通过", "确认列入拟认定名单"])
    await expect(timeline).toContainText(step);
  await expect(timeline).toContainText("推荐（测试）");
  await expect(timeline).not.toContainText("内部备注");
});

test("a 【提交】 pressed while an autosave is on its way waits for it, then is answered beside each field", async ({
  page,
}) => {
  const unit = `龙游自动保存馆${uniqueId("")}`;
  const { uscc, password } = await registerOrg(page, unit);
  await login(page, "org", uscc, password);
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "项目大厅" }).click();
  await content(page).getByText("项目申报", { exact: true }).click();
  await content(page)
    .getByRole("row", { name: /科普教育基地项目认定/ })
    .getByRole("link", { name: "查看" })
    .click();
  await mainButton(page, "我要申报").click();
  await expect(page).toHaveURL(/\/applications\/[^/]+\/edit/);

  // Hold the autosave's answer until 【提交】 has been pressed.
  let release = () => {};
  const answered = new Promise<void>((r) => {
    release = r;
  });
  let autosaves = 0;
  await page.route("**/autosave", async (route) => {
    autosaves++;
    await answered;
    await route.continue();
  });
  await page.getByLabel("通信地址").fill("浙江省衢州市龙游县自动保存路1号");
  await page.getByLabel("年开放天数").fill("0");
  await expect.poll(() => autosaves, { timeout: 20_000 }).toBe(1);
  await expect(content(page).getByText("正在自动保存…")).toBeVisible();
  await mainButton(page, "提交").click();
  await expect(mainButton(page, "提交")).toHaveClass(/ant-btn-loading/);
  release();

  const openDaysError = page
    .locator(".ant-form-item")
    .filter({ has: page.locator("#openDays") })
    .locator(".ant-form-item-explain");
  await expect(openDaysError).toContainText("年开放天数须在1至366天之间");
  await expect(content(page).getByRole("alert").filter({ hasText: "已被他人处理或修改" })).toHaveCount(0);
  // Both saves reached the server, one after the other: a reload shows what was typed.
  await page.unroute("**/autosave");
  await page.reload();
  await expect(page.getByLabel("通信地址")).toHaveValue("浙江省衢州市龙游县自动保存路1号");
  await expect(page.getByLabel("年开放天数")).toHaveValue("0");

  // A conflict is shown, and not tried again every few seconds with the same version.
  let conflicts = 0;
  await page.route("**/autosave", async (route) => {
    conflicts++;
    await route.fulfill({
      status: 409,
      contentType: "application/json",
      body: JSON.stringify({ ok: false, message: "该申报刚刚已被他人处理或修改，请刷新页面查看最新状态。" }),
    });
  });
  await page.getByLabel("通信地址").fill("浙江省衢州市龙游县冲突路1号");
  await expect(content(page).getByRole("alert").filter({ hasText: "已被他人处理或修改" })).toBeVisible({
    timeout: 20_000,
  });
  await page.waitForTimeout(7_000);
  expect(conflicts).toBe(1);
  await page.unroute("**/autosave");
  await logout(page);
});
