import ExcelJS from "exceljs";
import {
  content,
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

test("审计日志 downloads as Excel with the page's filters, and the download is itself audited", async ({
  page,
  otherPage,
}) => {
  const ghost = uniqueId("ghost");
  await open(otherPage, "/login/staff");
  for (let i = 0; i < 3; i++) {
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
  await page.getByLabel("操作人").fill(ghost);
  await submit(page, "查询");
  await expect(page).toHaveURL(new RegExp(`[?&]actor=${ghost}(&|$)`));
  await expect(content(page).locator(".ant-table-tbody tr.ant-table-row")).toHaveCount(3);

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    content(page).getByRole("link", { name: "导出 Excel" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^审计日志-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile((await download.path())!);
  const sheet = wb.getWorksheet("审计日志")!;
  expect(sheet.rowCount).toBe(4);
  for (let r = 2; r <= 4; r++) {
    expect(sheet.getRow(r).getCell(2).value).toBe(ghost);
    expect(sheet.getRow(r).getCell(1).type).toBe(ExcelJS.ValueType.Date);
  }

  // The download shows up in the log under 导出审计日志.
  await open(page, "/admin/audit?actor=admin&action=audit.export");
  await expect(content(page).locator(".ant-table-tbody tr.ant-table-row").first()).toContainText(ghost);
});
