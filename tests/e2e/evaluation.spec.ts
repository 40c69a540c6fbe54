import { usccCheckChar } from "../../src/modules/accounts/uscc.rules.ts";
import {
  chooseOption,
  content,
  DEMO_PASSWORD,
  expect,
  login,
  logout,
  open,
  submit,
  test,
} from "./fixtures.ts";
import { advanceServerClock } from "./http-journey.ts";

/**
 * Issue 16 as its users would do it: the office opens a round (and adds a city colleague as an
 * evaluator for this round only), the base sees its figures with their evidence and self-assesses,
 * 柯城区's county staff pass it, two evaluators score it (each sees the other's score only once both
 * submitted), the office publishes the results in 【公示栏】, the period ends, and the exports download.
 */

const code = (body: string) => body + usccCheckChar(body);
const MUSEUM_USCC = code("12330802MA0000001");
const BASE = "衢州市科技馆科普教育基地";
const TITLE = "2024年度科普教育基地绩效评价（E2E）";

const dateIn = (days: number) =>
  new Date(Date.now() + days * 86400_000 + 8 * 3600_000).toISOString().slice(0, 10);

test("open a round, self-assess, review, score, publish, finish the 公示 and export", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(300_000);

  // The office opens the round.
  await login(page, "staff", "office", DEMO_PASSWORD);
  await open(page, "/admin/evaluation");
  await page.getByLabel("评价年度").fill("2024");
  await page.getByLabel("评价名称").fill(TITLE);
  await page.getByLabel("自评截止日期").fill(dateIn(10));
  await page.getByLabel("评分截止日期").fill(dateIn(20));
  await submit(page, "新建评价");
  await expect(page).toHaveURL(/\/admin\/evaluation\/[0-9a-f-]{36}$/);
  const roundUrl = new URL(page.url()).pathname;
  await expect(content(page)).toContainText("评价小组（演示）");
  // A city colleague scores 柯城区's bases in this round only.
  await chooseOption(page, "userId", "市科协综合业务部（演示）（city）");
  await page.getByRole("checkbox", { name: "柯城区" }).check();
  await submit(page, "保存评价人员");
  await expect(content(page).getByRole("status")).toContainText("评价人员已保存");
  await submit(page, "发布评价，开始自评");
  await expect(content(page).getByRole("status")).toContainText("已发布评价");
  await logout(page);

  // The base: figures with evidence, then its self-assessment.
  await login(page, "org", MUSEUM_USCC, DEMO_PASSWORD);
  await open(page, "/my-base/evaluation?year=2024");
  await expect(content(page)).toContainText(TITLE);
  await content(page)
    .getByRole("link", { name: /^举办科普活动：/ })
    .click();
  await expect(page).toHaveURL(/\/evaluation\/entries\/.+\/evidence\?key=activities_held/);
  await expect(content(page).getByRole("heading")).toContainText("2024年度举办科普活动");
  await page.goBack();
  // The draft saves itself a few seconds after typing, and is there after a reload.
  await page.getByLabel("制度建设自评说明").fill("制度建设情况说明（草稿）");
  await expect(content(page)).toContainText("草稿已自动保存", { timeout: 15_000 });
  await page.reload();
  await expect(page.getByLabel("制度建设自评说明")).toHaveValue("制度建设情况说明（草稿）");
  await submit(page, "提交自评");
  await expect(
    page.locator("#institutions\\.score-error, [id='score.institutions-error']").first(),
  ).toContainText("请打分");
  for (const [name, score] of [
    ["制度建设", "6"],
    ["经费投入", "6"],
    ["场所条件", "5"],
    ["特色与创新", "4"],
  ] as const) {
    await page.getByLabel(`${name}自评分`).fill(score);
    await page.getByLabel(`${name}自评说明`).fill(`${name}情况说明（E2E）`);
  }
  await submit(page, "提交自评");
  await expect(content(page).getByRole("status")).toContainText("自评已提交");
  await logout(page);

  // The office closes the self-assessment; 柯城区 passes the base.
  await login(page, "staff", "office", DEMO_PASSWORD);
  await open(page, roundUrl);
  await submit(page, "结束自评，进入县级初审");
  await expect(content(page).getByRole("status")).toContainText("已结束自评");
  await logout(page);
  await login(page, "staff", "kecheng", DEMO_PASSWORD);
  await open(page, roundUrl);
  await content(page).getByRole("link", { name: BASE }).click();
  await expect(content(page)).toContainText("制度建设情况说明（E2E）");
  await submit(page, "提交初审意见");
  await expect(page.locator("[id='opinion-error']")).toContainText("请填写初审意见");
  await page.getByLabel("初审意见").fill("材料齐全，同意报送（E2E）");
  await submit(page, "提交初审意见");
  await expect(content(page).getByRole("status")).toContainText("初审通过");
  await logout(page);

  await login(page, "staff", "office", DEMO_PASSWORD);
  await open(page, roundUrl);
  await submit(page, "进入评价小组评分");
  await expect(content(page).getByRole("status")).toContainText("已进入评价小组评分");
  await logout(page);

  // Two evaluators score; each sees the other's score only once both submitted.
  for (const [login_, scores, other] of [
    ["evaluator", ["6", "6", "5", "4"], null],
    ["city", ["7", "5", "5", "3"], "评价小组（演示）"],
  ] as const) {
    await login(page, "staff", login_, DEMO_PASSWORD);
    await open(page, "/scoring");
    await content(page).locator(".ant-card", { hasText: TITLE }).getByRole("link", { name: BASE }).click();
    await expect(page).toHaveURL(/\/scoring\/[0-9a-f-]{36}$/);
    await expect(content(page)).toContainText("材料齐全，同意报送（E2E）");
    await expect(content(page)).toContainText("其他评价人员的评分在全部提交后显示");
    await page.getByLabel(/^制度建设（/).fill("9");
    await submit(page, "提交评分");
    await expect(page.locator("[id='score.institutions-error']")).toContainText("分值须在0到7之间");
    const labels = ["制度建设", "经费投入", "场所条件", "特色与创新"];
    for (const [i, s] of scores.entries()) await page.getByLabel(new RegExp(`^${labels[i]}（`)).fill(s);
    await submit(page, "提交评分");
    await expect(content(page).getByRole("status")).toContainText("评分已提交");
    if (other) await expect(content(page)).toContainText(other);
    await logout(page);
  }

  // The office calculates and publishes the results; after the period they are final.
  await login(page, "staff", "office", DEMO_PASSWORD);
  await open(page, roundUrl);
  await submit(page, "计算结果");
  await expect(content(page).getByRole("status")).toContainText("已计算");
  await page.getByLabel("异议受理联系方式").fill("0570-3021234");
  await submit(page, "确认结果并公示");
  await expect(content(page).getByRole("status")).toContainText("结果已确认");
  await expect(content(page)).toContainText("结果公示中");
  await content(page).getByRole("link", { name: "查看公示" }).click();
  await expect(page).toHaveURL(/\/notices\//);
  await expect(content(page)).toContainText(BASE);

  // 15 days later the session has long expired: sign in again.
  await advanceServerClock(baseURL!, 15);
  await login(page, "staff", "office", DEMO_PASSWORD);
  await expect(async () => {
    await open(page, roundUrl);
    await expect(content(page)).toContainText("已结束", { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });

  const scores = page.waitForEvent("download");
  await content(page).getByRole("link", { name: "导出全部评分" }).click();
  expect((await scores).suggestedFilename()).toMatch(/^2024年度评价评分-.*\.xlsx$/);
  const subsidies = page.waitForEvent("download");
  await content(page).getByRole("link", { name: "导出补助名单" }).click();
  expect((await subsidies).suggestedFilename()).toMatch(/^2024年度基地补助名单-.*\.xlsx$/);

  // The base sees its grade in its history.
  await logout(page);
  await login(page, "org", MUSEUM_USCC, DEMO_PASSWORD);
  await open(page, "/my-base/evaluation");
  await expect(content(page).locator(".ant-card", { hasText: "历年评价结果" })).toContainText(TITLE);
  await expect(content(page).getByRole("link", { name: "2024年度评价报告（PDF）" })).toBeVisible();
});
