import AxeBuilder from "@axe-core/playwright";
import { expect, type Locator, type Page, test } from "@playwright/test";
import sharp from "sharp";
import {
  content,
  DEMO_ACCOUNTS,
  DEMO_ORG_USCC,
  DEMO_PASSWORD,
  login,
  newPassword,
  newPhone,
  newUscc,
  open,
  passDemoSecondFactor,
  registerOrgViaForm,
  uniqueId,
} from "./fixtures.ts";
import { verifyOrgByCounty } from "./http-journey.ts";

/**
 * Issue 20: accessibility (WCAG 2.1 AA through axe-core, GB/T 37668), keyboard-only work, the phone
 * menu at 375 and 390 px, and 长辈模式.
 */

/** axe with the WCAG A/AA rule sets; the test fails on any serious or critical violation. */
async function expectNoSeriousViolations(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21aa"]).analyze();
  const serious = result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}) ×${v.nodes.length}: ${v.nodes
          .slice(0, 3)
          .map(
            (n) => `${n.target.join(" ")} — ${(n.failureSummary ?? "").replace(/\s+/g, " ").slice(0, 160)}`,
          )
          .join(" | ")}`,
    );
  expect(serious, `axe on ${what}`).toEqual([]);
}

async function expectNoHorizontalOverflow(page: Page, what: string) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `horizontal overflow on ${what}`).toBeLessThanOrEqual(innerWidth);
}

/** A base of the public directory, for its page and its activity list. */
async function firstBasePath(page: Page): Promise<string> {
  await open(page, "/bases");
  const href = await content(page)
    .locator("ul[aria-label='科普教育基地列表'] h2 a")
    .first()
    .getAttribute("href");
  expect(href).toMatch(/^\/bases\/[0-9a-f-]{36}$/);
  return href!;
}

// One test per page: an axe scan takes seconds on a busy machine, and each page gets its own time.
for (const [path, what] of [
  ["/", "首页"],
  ["/projects", "项目大厅"],
  ["/projects/calls", "项目申报"],
  ["/notices", "公示栏"],
  ["/bases", "科普基地"],
  ["base", "基地页"],
  ["base/activities", "活动列表"],
  ["/activities", "基地活动（日历）"],
  ["/special", "特色专区"],
  ["/login", "登录"],
  ["/login/org", "法人登录"],
  ["/register", "法人注册"],
] as const) {
  test(`public page ${what} has one h1, a title and no serious or critical axe violations`, async ({
    page,
  }) => {
    const url = path.startsWith("base") ? path.replace("base", await firstBasePath(page)) : path;
    await open(page, url);
    await expect(page.locator("h1"), `${what}: one h1`).toHaveCount(1);
    expect(await page.title(), `${what}: title`).not.toBe("");
    await expectNoSeriousViolations(page, what);
  });
}

for (const a of [
  { kind: "org" as const, login: DEMO_ORG_USCC },
  ...DEMO_ACCOUNTS.filter((a) => a.kind === "staff").map((a) => ({ kind: "staff" as const, login: a.login })),
]) {
  test(`the workbench of ${a.login} has no serious or critical axe violations`, async ({ page }) => {
    await login(page, a.kind, a.login, DEMO_PASSWORD);
    await expect(page.locator("h1")).toHaveText("我的工作台");
    await expectNoSeriousViolations(page, `工作台（${a.login}）`);
  });
}

test("a skip link leads past the header to the page's content", async ({ page }) => {
  await open(page, "/bases");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "跳到主要内容" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
  // The next Tab lands in the content, not in the header.
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => !!document.activeElement?.closest("main"))).toBe(true);
  // The focused control is outlined.
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
  expect(outline).not.toBe("none");
});

const NAV_ENTRIES: [string, RegExp, string | null][] = [
  ["首页", /\/$/, null],
  ["项目大厅", /\/projects$/, "项目大厅"],
  ["特色专区", /\/special$/, "特色专区"],
  ["公示栏", /\/notices$/, "公示栏"],
  ["科普基地", /\/bases$/, "科普基地"],
];

for (const viewport of [
  { width: 375, height: 812 },
  { width: 390, height: 844 },
]) {
  test(`at ${viewport.width}×${viewport.height} the header menu reaches every entry, and no journey page overflows`, async ({
    page,
  }) => {
    test.setTimeout(180_000);
    await page.setViewportSize(viewport);
    await open(page, "/");
    const menuButton = page.getByRole("banner").locator("summary", { hasText: "菜单" });
    // The wide navigation is folded away; the menu button is there instead.
    await expect(menuButton).toBeVisible();
    await expect(page.getByRole("banner").locator(".kepu-nav")).toBeHidden();
    await expectNoHorizontalOverflow(page, "首页");
    for (const [entry, url, heading] of NAV_ENTRIES) {
      await menuButton.click();
      const nav = page.getByRole("navigation", { name: "主导航" });
      await expect(nav.getByRole("link")).toHaveCount(NAV_ENTRIES.length);
      // The open menu fits the screen too (it once ran past a 375 px screen from the button's left edge).
      await expectNoHorizontalOverflow(page, `菜单 on ${entry}`);
      await nav.getByRole("link", { name: entry, exact: true }).click();
      await expect(page).toHaveURL(url);
      if (heading) await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
      // The menu closes once the page is open.
      await expect(nav).toBeHidden();
      await expectNoHorizontalOverflow(page, entry);
    }
    // Escape closes the menu and gives the focus back to its button.
    await menuButton.click();
    await expect(page.getByRole("navigation", { name: "主导航" })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(page.getByRole("navigation", { name: "主导航" })).toBeHidden();
    await expect(menuButton).toBeFocused();

    const base = await firstBasePath(page);
    for (const path of [
      "/projects/calls",
      base,
      `${base}/activities`,
      "/activities",
      "/login",
      "/login/org",
      "/login/staff",
      "/register",
      "/notices/objection-status",
    ]) {
      await open(page, path);
      await expectNoHorizontalOverflow(page, path);
      if (path === "/projects/calls") {
        // The list table is a stack of cards, each value with its column's title.
        const state = content(page).locator("td[data-label='状态']").first();
        await expect(state).toBeVisible();
        expect(await state.evaluate((td) => getComputedStyle(td.parentElement!).display)).toBe("block");
        expect(await state.evaluate((td) => getComputedStyle(td, "::before").content)).toBe('"状态"');
      }
    }
    // Signed in, with the account button in the header.
    await login(page, "org", DEMO_ORG_USCC, DEMO_PASSWORD);
    for (const path of ["/workbench", "/applications", "/my-base", "/notifications", "/account/profile"]) {
      await open(page, path);
      await expectNoHorizontalOverflow(page, path);
    }
    await page.context().clearCookies();
    await login(page, "staff", "longyou", DEMO_PASSWORD);
    for (const path of ["/workbench", "/review", "/admin/bases", "/admin/activity-stats"]) {
      await open(page, path);
      await expectNoHorizontalOverflow(page, path);
    }
  });
}

test("长辈模式 is drawn large from the server's first answer, and remembered", async ({ page, request }) => {
  await open(page, "/bases");
  const bodySize = () =>
    page.evaluate(() => Number.parseFloat(getComputedStyle(document.querySelector(".ant-app")!).fontSize));
  expect(await bodySize()).toBe(14);
  const elderSwitch = page.getByRole("banner").getByRole("button", { name: "长辈模式" });
  await expect(elderSwitch).toHaveAttribute("aria-pressed", "false");
  await elderSwitch.click();
  await expect(page).toHaveURL(/\/bases$/);
  await expect(page.locator("html")).toHaveClass(/kepu-elder/);
  expect(await bodySize()).toBeGreaterThanOrEqual(18);
  await expect(page.getByRole("banner").getByRole("button", { name: "长辈模式" })).toHaveAttribute(
    "aria-pressed",
    "true",
  );
  // The class is in the server's HTML: the first paint is large, with no flash of the small layout.
  const cookies = await page.context().cookies();
  const elder = cookies.find((c) => c.name === "kepu_elder");
  expect(elder?.value).toBe("1");
  for (const path of ["/bases", "/"]) {
    const withCookie = await (await request.get(path, { headers: { Cookie: "kepu_elder=1" } })).text();
    expect(withCookie).toMatch(/<html lang="zh-CN" class="kepu-elder"/);
    // The cached page of a normal browser is not served in 长辈模式, nor the reverse.
    const without = await (await request.get(path)).text();
    expect(without).toMatch(/<html lang="zh-CN">/);
  }
  // Remembered on the next page; switched off again.
  await open(page, "/notices");
  expect(await bodySize()).toBeGreaterThanOrEqual(18);
  await page.getByRole("banner").getByRole("button", { name: "长辈模式" }).click();
  await expect(page.locator("html")).not.toHaveClass(/kepu-elder/);
  expect(await bodySize()).toBe(14);
  await expectNoSeriousViolations(page, "公示栏");
});

// ---------------------------------------------------------------- keyboard only

/** Presses Tab (or Shift+Tab) until `target` has the focus: proof that the keyboard reaches it. */
async function tabTo(page: Page, target: Locator, backwards = false) {
  for (let i = 0; i < 150; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press(backwards ? "Shift+Tab" : "Tab");
  }
  throw new Error(`Tab never reached ${target}`);
}

/** Types into a field reached by Tab. */
async function typeInto(page: Page, field: Locator, text: string) {
  await tabTo(page, field);
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.insertText(text);
}

/** Tabs into a radio group and moves its choice with the arrow keys to `option`. */
async function chooseRadio(page: Page, option: Locator) {
  const name = await option.getAttribute("name");
  const group = page.locator(`input[type=radio][name="${name}"]`);
  for (let i = 0; i < 80; i++) {
    const inGroup = await page.evaluate(
      (n) => (document.activeElement as HTMLInputElement | null)?.name === n,
      name,
    );
    if (inGroup) break;
    await page.keyboard.press("Tab");
  }
  const count = await group.count();
  for (let i = 0; i <= count; i++) {
    if (await option.isChecked()) return;
    await page.keyboard.press("ArrowRight");
  }
  await expect(option).toBeChecked();
}

const jpeg = (background: string) =>
  sharp({ create: { width: 320, height: 240, channels: 3, background } })
    .jpeg()
    .toBuffer();
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

/**
 * Presses `key` on the focused control until the file chooser opens: on a loaded machine the
 * first press can land while the page is still busy, and a person would press again.
 */
async function openChooser(page: Page, control: Locator, key: "Enter" | " ") {
  let chooser: import("@playwright/test").FileChooser | undefined;
  await expect(async () => {
    // A press that landed while the page was busy can leave focus elsewhere: Tab back, as a person would.
    if (!(await control.evaluate((el) => el === document.activeElement))) await tabTo(page, control);
    await expect(control).toBeFocused({ timeout: 1_000 });
    [chooser] = await Promise.all([
      page.waitForEvent("filechooser", { timeout: 5_000 }),
      page.keyboard.press(key),
    ]);
  }).toPass({ timeout: 60_000 });
  return chooser!;
}

/**
 * An upload slot's control reached by Tab (a photo slot's tile, role=button, or a document slot's
 * 【选择文件】); Enter (or Space) opens the file chooser.
 */
async function uploadByKeyboard(
  page: Page,
  slot: string,
  files: { name: string; mimeType: string; buffer: Buffer }[],
  key: "Enter" | " " = "Enter",
) {
  const tile = page.locator(`#file_${slot}`).locator('.ant-upload[role="button"], button').first();
  await tabTo(page, tile);
  const answers: number[] = [];
  const onResponse = (r: import("@playwright/test").Response) => {
    if (r.request().method() === "POST" && new URL(r.url()).pathname.endsWith(`/${slot}`))
      answers.push(r.status());
  };
  page.on("response", onResponse);
  try {
    const chooser = await openChooser(page, tile, key);
    await chooser.setFiles(files);
    await expect.poll(() => answers.length, { timeout: 60_000 }).toBe(files.length);
  } finally {
    page.off("response", onResponse);
  }
  return answers;
}

test("keyboard only: a new organization registers, fills in 附件2, uploads every file and submits", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(300_000);
  const unit = `键盘测试馆${uniqueId("")}`;
  const uscc = newUscc("330825");
  const password = newPassword();

  // 法人注册, by keyboard.
  await open(page, "/register");
  await typeInto(page, page.getByLabel("统一社会信用代码"), uscc);
  await typeInto(page, page.getByLabel("单位名称"), unit);
  await chooseRadio(page, page.getByLabel("龙游"));
  await typeInto(page, page.getByLabel("联系人"), "张键盘");
  await typeInto(page, page.getByLabel("联系电话"), newPhone());
  await typeInto(page, page.getByLabel("密码", { exact: true }), password);
  await typeInto(page, page.getByLabel("确认密码"), password);
  await tabTo(page, content(page).getByRole("button", { name: /注\s*册/ }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/login\/org\?registered=1/);
  await verifyOrgByCounty(baseURL!, { uscc, password });

  // 法人登录, by keyboard.
  await open(page, "/login/org");
  await typeInto(page, page.getByLabel("统一社会信用代码"), uscc);
  await typeInto(page, page.getByLabel("密码", { exact: true }), password);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/workbench/);
  await passDemoSecondFactor(page, "org", uscc);

  // 【项目大厅】→【项目申报】→【查看】→【我要申报】, by keyboard.
  await tabTo(page, page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "项目大厅" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/projects$/);
  await tabTo(
    page,
    content(page)
      .getByRole("link", { name: /项目申报/ })
      .first(),
  );
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/projects\/calls$/);
  const row = content(page).getByRole("row", { name: /科普教育基地项目认定/ });
  await tabTo(page, row.getByRole("link", { name: "查看" }));
  await page.keyboard.press("Enter");
  await tabTo(page, content(page).getByRole("button", { name: "我要申报" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/applications\/[^/]+\/edit/);
  await expect(page.getByLabel("申报单位名称")).toHaveValue(unit);
  await expectNoSeriousViolations(page, "附件2 申报表");

  // 【提交】 with nothing filled in: the summary links to the fields; following a link focuses its field.
  await tabTo(page, content(page).getByRole("button", { name: "提交" }));
  await page.keyboard.press("Enter");
  const summary = content(page)
    .getByRole("alert")
    .filter({ has: page.locator(".kepu-form-alert-list") });
  await expect(summary).toBeVisible();
  const addressLink = summary.getByRole("link", { name: /通信地址/ });
  await expect(addressLink).toBeVisible();
  await addressLink.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("通信地址")).toBeFocused();
  await expectNoSeriousViolations(page, "附件2 申报表（有错误时）");

  // The form, top to bottom.
  await tabTo(page, page.getByLabel("基地名称"), true);
  await typeInto(page, page.getByLabel("基地名称"), `${unit}科普教育基地`);
  await typeInto(page, page.getByLabel("通信地址"), "浙江省衢州市龙游县键盘路1号");
  await typeInto(page, page.getByLabel("负责人", { exact: true }), "王负责");
  await typeInto(page, page.getByLabel("负责人电话", { exact: true }), "13812345678");
  await typeInto(page, page.getByLabel("联系人", { exact: true }), "李联系");
  await typeInto(page, page.getByLabel("联系人电话"), "0570-7012345");
  await typeInto(page, page.getByLabel("预约参观电话"), "0570-7012346");
  await typeInto(page, page.getByLabel("科技志愿名称"), `${unit}科技志愿服务队`);
  await typeInto(page, page.getByLabel("科技志愿者人数"), "20");
  await typeInto(page, page.getByLabel("志愿者负责人", { exact: true }), "赵志愿");
  await typeInto(page, page.getByLabel("志愿者负责人电话"), "13900001111");
  await chooseRadio(page, page.getByLabel("免费", { exact: true }));
  await chooseRadio(page, page.getByLabel("科技场馆"));
  await typeInto(page, page.getByLabel("科普场所面积"), "1500");
  await typeInto(page, page.getByLabel("年开放天数"), "300");
  await typeInto(page, page.getByLabel(/科普教育基地简介/), "科".repeat(300));
  for (let i = 0; i < 8; i++) {
    await tabTo(page, page.locator(`#cond_${i}`));
    await page.keyboard.press("Space");
    await expect(page.locator(`#cond_${i}`)).toBeChecked();
  }

  // Uploads: each tile is reached by Tab and opened by Enter, or by Space.
  const photos = async (n: number, prefix: string) =>
    Promise.all(
      Array.from({ length: n }, async (_, i) => ({
        name: `${prefix}${i}.jpg`,
        mimeType: "image/jpeg",
        buffer: await jpeg(["#c63", "#6c3", "#36c", "#c36"][i % 4]),
      })),
    );
  expect(await uploadByKeyboard(page, "overview_photos", await photos(3, "概况")), "概况照片").toEqual([
    201, 201, 201,
  ]);
  expect(await uploadByKeyboard(page, "activity_photos", await photos(3, "活动"), " "), "活动照片").toEqual([
    201, 201, 201,
  ]);
  expect(await uploadByKeyboard(page, "volunteer_proof", await photos(1, "志愿")), "志愿证明").toEqual([201]);
  // A refused file says why, in text under its slot (not only on hover).
  const wrong = await uploadByKeyboard(page, "honors", [
    { name: "伪装.jpg", mimeType: "image/jpeg", buffer: Buffer.from("<html>x</html>") },
  ]);
  expect(wrong).toEqual([415]);
  await expect(page.locator("#file_honors .kepu-upload-refusals")).toContainText("伪装.jpg：");
  // The stamped form is a PDF: its slot has a 【选择文件】 button, also opened by Enter.
  const stamped = page.locator("#file_stamped_form").getByRole("button", { name: /选择文件/ });
  // Its slot is the form's first: back up to it rather than around the whole page.
  await tabTo(page, stamped, true);
  const chooser = await openChooser(page, stamped, "Enter");
  const pdfAnswer = page.waitForResponse(
    (r) => r.request().method() === "POST" && r.url().endsWith("/stamped_form"),
  );
  await chooser.setFiles({ name: "盖章申报表.pdf", mimeType: "application/pdf", buffer: PDF });
  expect((await pdfAnswer).status()).toBe(201);

  // 【提交】
  await tabTo(page, content(page).getByRole("button", { name: "提交" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/applications\/[^/]+\?submitted=1/, { timeout: 30_000 });
  await expect(content(page)).toContainText("待县级推荐");
});

test("the objection form preselects the base of a 公示 that names only one", async ({ page, baseURL }) => {
  // The demo data's open 公示 is used when it names one base; otherwise this checks the choice stays open.
  await open(page, "/notices");
  const links = content(page).locator("a[href^='/notices/']").filter({ hasNotText: "异议查询" });
  const count = await links.count();
  let checked = false;
  for (let i = 0; i < count && !checked; i++) {
    const href = await links.nth(i).getAttribute("href");
    if (!href || !/^\/notices\/[0-9a-f-]{36}$/.test(href)) continue;
    await open(page, `${href}/objection`);
    const radios = page.locator("input[name=applicationId]");
    const n = await radios.count();
    if (n === 0) continue;
    if (n === 1) await expect(radios.first()).toBeChecked();
    else for (let j = 0; j < n; j++) await expect(radios.nth(j)).not.toBeChecked();
    await expectNoSeriousViolations(page, "提出异议");
    checked = true;
  }
  expect(baseURL).toBeTruthy();
});

test("a refused form announces its errors once, in a summary whose links focus the fields", async ({
  page,
  request,
  baseURL,
}) => {
  const org = await registerOrgViaForm(request, baseURL!);
  await login(page, "org", org.uscc, org.password);
  await open(page, "/account/password");
  await page.getByLabel("当前密码").fill(org.password);
  await page.getByLabel("新密码", { exact: true }).fill("short");
  await page.getByLabel("确认新密码").fill("other");
  await content(page).getByRole("button", { name: "保存新密码" }).click();
  const alerts = content(page).getByRole("alert");
  // One live region: the summary; the messages beside the fields are not announced again.
  await expect(alerts).toHaveCount(1);
  const links = alerts.getByRole("link");
  expect(await links.count()).toBeGreaterThan(0);
  await links.first().click();
  expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("INPUT");
  await expectNoSeriousViolations(page, "修改密码（有错误时）");
});
