import ExcelJS from "exceljs";
import { usccCheckChar } from "../../src/modules/accounts/uscc.rules.ts";
import { content, DEMO_PASSWORD, expect, formAlert, login, logout, open, submit, test } from "./fixtures.ts";

/**
 * Issue 18 as a base would do it: 【我的基地】→【科技志愿服务队】, fill in the team, add one, import 30
 * volunteers from Excel, record their hours on a past activity (a 25-hour day and an overlap are
 * refused beside the field), confirm them, download the hours export and a 志愿服务证明. Another
 * county's staff and another base see none of the names.
 */

// The demo's 衢州市科技馆 (柯城区): its org account has past demo activities and no team yet.
const code = (body: string) => body + usccCheckChar(body);
const MUSEUM_USCC = code("12330802MA0000001");

async function rosterXlsx(n: number, tag: string, key: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const s = wb.addWorksheet("志愿者名册");
  s.addRow(["姓名", "手机号", "志愿者编号", "专业特长", "加入日期"]);
  for (let i = 0; i < n; i++) {
    s.addRow([
      `${tag}${String(i).padStart(2, "0")}`,
      `1390570${String(5000 + i)}`,
      `E2E-${key}-${i}`,
      "科普讲解",
      "2026-01-05",
    ]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

test("a base fills its team, imports volunteers, records and confirms hours, exports and prints", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const key = Date.now().toString(36).slice(-4).toUpperCase();
  const tag = `测${key}`;
  await login(page, "org", MUSEUM_USCC, DEMO_PASSWORD);
  await open(page, "/my-base");
  const baseHref = await content(page).getByRole("link", { name: "活动列表" }).getAttribute("href");
  const basePage = baseHref!.replace(/\/activities$/, "");
  await content(page).getByRole("link", { name: "科技志愿服务队" }).click();
  await expect(page).toHaveURL(/\/my-base\/volunteers$/);
  await expect(content(page)).toContainText("还没有填写服务队信息");

  // The team, on its own page: a wrong name is refused beside the field, the rest kept; the rule's name is saved.
  await content(page).getByRole("link", { name: "填写服务队信息" }).first().click();
  await expect(page).toHaveURL(/\/my-base\/volunteers\/team$/);
  await page.getByLabel("队长（负责人）").fill("林队长");
  await page.getByLabel("负责人电话").fill("13905701234");
  await page.getByLabel("服务队名称").fill("科普志愿队");
  await submit(page, "保存服务队信息");
  await expect(formAlert(page)).toContainText("单位名称+科技志愿服务队");
  await expect(page.locator("#name-error")).toContainText("衢州市科技馆");
  await expect(page.getByLabel("队长（负责人）")).toHaveValue("林队长");
  await page.getByLabel("服务队名称").fill("衢州市科技馆科技志愿服务队");
  await submit(page, "保存服务队信息");
  await expect(content(page).getByRole("status")).toContainText("服务队信息已保存");
  await content(page).getByRole("link", { name: "返回志愿者名册" }).click();
  await expect(page).toHaveURL(/\/my-base\/volunteers$/);
  await expect(content(page)).toContainText("衢州市科技馆科技志愿服务队");
  await expect(content(page)).toContainText("林队长，13905701234");

  // 添加志愿者, several in a row: a wrong phone is refused beside the field, the name kept.
  await content(page).getByRole("link", { name: "添加志愿者" }).click();
  await expect(page).toHaveURL(/\/my-base\/volunteers\/new$/);
  await page.getByLabel("姓名").fill(`${tag}单`);
  await page.getByLabel("手机号").fill("12345");
  await submit(page, "添加");
  await expect(page.locator("#v-phone-error")).toBeVisible();
  await expect(page.getByLabel("姓名")).toHaveValue(`${tag}单`);
  await page.getByLabel("手机号").fill("13905709999");
  await submit(page, "添加");
  await expect(content(page).getByRole("status")).toContainText(`已添加志愿者 ${tag}单`);
  await expect(page.getByLabel("姓名")).toHaveValue("");
  await content(page).getByRole("link", { name: "返回志愿者名册" }).click();
  await expect(content(page).getByRole("link", { name: `${tag}单` })).toBeVisible();

  // Import 30 volunteers.
  await content(page).getByRole("link", { name: "导入志愿者" }).click();
  await expect(page).toHaveURL(/\/my-base\/volunteers\/import$/);
  await page.getByLabel(/Excel 文件/).setInputFiles({
    name: "志愿者.xlsx",
    mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    buffer: await rosterXlsx(30, tag, key),
  });
  await submit(page, "导入");
  await expect(page).toHaveURL(/\/my-base\/volunteers\?imported=30/);
  await expect(content(page).getByRole("status").first()).toContainText("已导入 30 名志愿者");
  await expect(content(page)).toContainText(`${tag}00`);

  // Hours on a past activity of the base.
  await content(page).getByRole("link", { name: "登记时长" }).first().click();
  await expect(page).toHaveURL(/\/my-base\/volunteers\/activities\//);
  await page.getByRole("checkbox", { name: new RegExp(`^${tag}00`) }).check();
  await page.getByRole("checkbox", { name: new RegExp(`^${tag}01`) }).check();
  // A 25-hour day is refused next to the hours.
  await page.getByLabel("服务时长（小时）").fill("25");
  await submit(page, "登记");
  await expect(page.locator("#hours-error")).toContainText("24小时");
  await page.getByRole("checkbox", { name: new RegExp(`^${tag}00`) }).check();
  await page.getByRole("checkbox", { name: new RegExp(`^${tag}01`) }).check();
  await page.getByLabel("服务时长（小时）").fill("2");
  await submit(page, "登记");
  await expect(content(page).getByRole("status")).toContainText("已为 2 名志愿者登记服务时长");
  // The same people at the same time again: an overlap, refused beside the start time.
  await page.getByRole("checkbox", { name: new RegExp(`^${tag}00`) }).check();
  await submit(page, "登记");
  await expect(page.locator("#startsAt-error")).toContainText("重叠");

  await submit(page, "确认全部待确认记录");
  await expect(content(page).getByRole("status")).toContainText("已确认 2 条服务记录");
  await expect(content(page).getByText("已确认").first()).toBeVisible();

  // The hours export holds the volunteers' numbers and hours.
  await open(page, "/my-base/volunteers");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    content(page).getByRole("link", { name: "导出服务时长" }).click(),
  ]);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(await download.path());
  const cells: string[] = [];
  wb.worksheets[0].eachRow((r) => cells.push((r.values as unknown[]).slice(1).join("|")));
  expect(cells[0]).toContain("志愿者编号|姓名|活动名称|服务日期|服务时长（小时）");
  expect(cells.some((c) => c.startsWith(`E2E-${key}-0|${tag}00|`) && c.includes("|2|"))).toBe(true);

  // The volunteer's record and the certificate.
  await content(page)
    .getByRole("link", { name: `${tag}00` })
    .click();
  await expect(page).toHaveURL(/\/my-base\/volunteers\/[0-9a-f-]{36}$/);
  const link = content(page).locator('a[href*="/certificate.pdf?year="]').first();
  const href = await link.getAttribute("href");
  const pdf = await page.request.get(href!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
  const volunteerUrl = page.url();
  await logout(page);

  // Another county's staff: the statistics show none of the names; the base's pages are not theirs.
  await login(page, "staff", "longyou", DEMO_PASSWORD);
  await open(page, "/admin/volunteers");
  await expect(content(page)).toContainText("科技志愿服务统计");
  await expect(content(page)).not.toContainText(`${tag}00`);
  const hours = await page.request.get("/admin/volunteers/hours.xlsx");
  expect(hours.status()).toBe(200);
  const staffWb = new ExcelJS.Workbook();
  await staffWb.xlsx.load((await hours.body()) as unknown as ArrayBuffer);
  const staffCells: string[] = [];
  staffWb.worksheets[0].eachRow((r) => staffCells.push((r.values as unknown[]).slice(1).join("|")));
  expect(staffCells.join()).not.toContain(tag);
  expect((await page.request.get(volunteerUrl)).status()).toBe(403);
  expect((await page.request.get(`${volunteerUrl}.data`)).status()).toBe(403);
  await logout(page);

  // The county's own staff (柯城区) see the base's hours in their export.
  await login(page, "staff", "kecheng", DEMO_PASSWORD);
  const own = await page.request.get("/admin/volunteers/hours.xlsx");
  const ownWb = new ExcelJS.Workbook();
  await ownWb.xlsx.load((await own.body()) as unknown as ArrayBuffer);
  const ownCells: string[] = [];
  ownWb.worksheets[0].eachRow((r) => ownCells.push((r.values as unknown[]).slice(1).join("|")));
  expect(ownCells.join()).toContain(`${tag}00`);
  await logout(page);

  // The public base page: the team and its size, no names.
  await open(page, basePage);
  await expect(content(page)).toContainText("衢州市科技馆科技志愿服务队");
  await expect(content(page)).not.toContainText(`${tag}00`);
});
