import { expect, type Page } from "@playwright/test";
import sharp from "sharp";
import { usccCheckChar } from "../../src/modules/accounts/uscc.rules.ts";
import {
  content,
  DEMO_PASSWORD,
  formItemOf,
  login,
  mainButton,
  open,
  registerOrgViaForm,
  submit,
  test,
} from "./fixtures.ts";

/**
 * The 2023 notice's rules: 科普活动照片 3～5个 (6 refused at upload, 2 at submit); an organization
 * whose base was recognized in an earlier batch does not apply again; the notice's own contact
 * line “3027351” is a phone, stored and shown as 0570-3027351.
 */

// 衢州市科技馆, batch 1 in the demo data, with an org login (src/modules/demo/seed-demo-activities.server.ts).
const MUSEUM_USCC = (() => {
  const body = "12330802MA0000001";
  return body + usccCheckChar(body);
})();

const jpeg = (color: string) =>
  sharp({ create: { width: 320, height: 240, channels: 3, background: color } })
    .jpeg()
    .toBuffer();
const photos = async (n: number, prefix: string) =>
  Promise.all(
    Array.from({ length: n }, async (_, i) => ({
      name: `${prefix}${i}.jpg`,
      mimeType: "image/jpeg",
      buffer: await jpeg(["#c63", "#6c3", "#36c", "#c36"][i % 4]),
    })),
  );

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

async function startOnTheCall(page: Page) {
  await open(page, "/projects/calls");
  const row = content(page).getByRole("row", { name: /科普教育基地项目认定/ });
  await row.getByRole("link", { name: "查看" }).click();
  await mainButton(page, "我要申报").click();
}

test("科普活动照片: 2 refused at submit, a 6th refused at upload; 3027351 is shown as 0570-3027351", async ({
  page,
  request,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const org = await registerOrgViaForm(request, baseURL!);
  await login(page, "org", org.uscc, org.password);
  await startOnTheCall(page);
  await expect(page).toHaveURL(/\/applications\/[^/]+\/edit/);

  await page.getByLabel("预约参观电话").fill("3027351");
  await page.getByLabel("联系人电话").fill("+86 139 0570 1234");
  await submit(page, "保存草稿");
  await expect(content(page)).toContainText("已保存");
  await page.reload();
  await expect(page.getByLabel("预约参观电话")).toHaveValue("0570-3027351");
  await expect(page.getByLabel("联系人电话")).toHaveValue("13905701234");

  expect(await upload(page, "activity_photos", await photos(2, "活动"))).toEqual([201, 201]);
  await submit(page, "提交");
  await expect(formItemOf(page, "file_activity_photos")).toContainText("至少 3 个文件，当前 2 个");

  expect(await upload(page, "activity_photos", await photos(3, "活动b"))).toEqual([201, 201, 201]);
  expect(await upload(page, "activity_photos", await photos(1, "活动c"))).toEqual([422]);
});

test("衢州市科技馆 (recognized in batch 1) cannot start an application on the city call", async ({
  page,
}) => {
  await login(page, "org", MUSEUM_USCC, DEMO_PASSWORD);
  await startOnTheCall(page);
  await expect(content(page).getByRole("alert")).toContainText("已被认定为衢州市科普教育基地，无需再填报");
  await expect(page).not.toHaveURL(/\/applications\//);
});
