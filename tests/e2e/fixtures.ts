import { randomBytes, randomInt } from "node:crypto";
import {
  type APIRequestContext,
  type BrowserContextOptions,
  test as base,
  expect,
  type Locator,
  type Page,
  type Response,
} from "@playwright/test";
import { Secret, TOTP } from "otpauth";
import { USCC_ALPHABET, usccCheckChar } from "../../src/modules/accounts/uscc.rules.ts";

/**
 * Shared helpers for the journeys.
 *
 * Isolation: every test that changes state (registers, locks, creates, disables) uses accounts
 * it makes itself, with names from `uniqueId`, so the demo accounts never get locked and tests
 * can run in any order and in parallel.
 *
 * Budget: the server allows 50 failed login attempts per IP per 15 minutes, and every browser
 * here comes from 127.0.0.1. Each run starts a fresh database, so the whole suite shares those
 * 50; it spends about 17 (the lockout journey alone takes 13). Keep new failing attempts few.
 */

export const DEMO_PASSWORD = "Kepu-demo-2026";
export const DEMO_ORG_USCC = "12330825MB00000012";
/** The demo admin and office must use a second factor; their secret is public (src/modules/demo). */
export const DEMO_TOTP_SECRET = "KEPUDEMOKEPUDEMOKEPUDEMOKEPUDEMO";
export const DEMO_TOTP_LOGINS = ["admin", "office"];

/** Exact answers of the server (src/modules/accounts/accounts.server.ts). */
export const LOGIN_FAILED = "账号或密码错误";
export const LOCKED_FRAGMENT = "锁定30分钟";

export interface DemoAccount {
  kind: "org" | "staff";
  login: string;
  name: string;
  roleLabel: string;
  region: string;
  /** Workbench tiles this role must see (more may be added as features land). */
  tiles: string[];
  /** Workbench tiles this role must not see. */
  hiddenTiles: string[];
}

const COMMON_TILES = ["公示栏", "科普基地", "修改密码"];

export const DEMO_ACCOUNTS: DemoAccount[] = [
  {
    kind: "staff",
    login: "admin",
    name: "系统管理员（演示）",
    roleLabel: "系统管理员",
    region: "衢州市",
    tiles: ["申报项目", "用户管理", "审计日志", ...COMMON_TILES],
    hiddenTiles: ["项目申报", "账号查询"],
  },
  {
    kind: "staff",
    login: "office",
    name: "市基地认定办公室（演示）",
    roleLabel: "市基地认定办公室",
    region: "衢州市",
    tiles: ["申报项目", "账号查询", ...COMMON_TILES],
    hiddenTiles: ["项目申报", "用户管理", "审计日志"],
  },
  {
    kind: "staff",
    login: "city",
    name: "市科协综合业务部（演示）",
    roleLabel: "市科协评审",
    region: "衢州市",
    tiles: ["申报项目", "账号查询", ...COMMON_TILES],
    hiddenTiles: ["项目申报", "用户管理", "审计日志"],
  },
  {
    kind: "staff",
    login: "evaluator",
    name: "评价小组（演示）",
    roleLabel: "评价小组",
    region: "衢州市",
    tiles: ["申报项目", ...COMMON_TILES],
    hiddenTiles: ["项目申报", "用户管理", "账号查询", "审计日志", "基地管理", "申报审核"],
  },
  {
    kind: "staff",
    login: "longyou",
    name: "龙游县科协（演示）",
    roleLabel: "县（市、区）科协",
    region: "龙游县",
    tiles: ["申报项目", "账号查询", ...COMMON_TILES],
    hiddenTiles: ["项目申报", "用户管理", "审计日志"],
  },
  {
    kind: "staff",
    login: "jiangshan",
    name: "江山市科协（演示）",
    roleLabel: "县（市、区）科协",
    region: "江山市",
    tiles: ["申报项目", "账号查询", ...COMMON_TILES],
    hiddenTiles: ["项目申报", "用户管理", "审计日志"],
  },
  {
    kind: "org",
    login: DEMO_ORG_USCC,
    name: "龙游县演示科技馆（演示）",
    roleLabel: "申报单位/基地",
    region: "龙游县",
    tiles: ["项目申报", ...COMMON_TILES],
    hiddenTiles: ["申报项目", "用户管理", "账号查询", "审计日志"],
  },
];

let seq = 0;
/** A short, lower-case, run-unique token, usable inside user names (letters, digits). */
export function uniqueId(prefix = "e2e"): string {
  seq += 1;
  return `${prefix}${Date.now().toString(36)}${process.pid.toString(36)}${seq.toString(36)}${randomBytes(2).toString("hex")}`;
}

/** A valid, random 统一社会信用代码 (GB 32100-2015): 企业 (91), 龙游县 (330825), 9 random, check. */
export function newUscc(region = "330825"): string {
  let body = `91${region}`;
  for (let i = 0; i < 9; i++) body += USCC_ALPHABET[randomInt(USCC_ALPHABET.length)];
  return body + usccCheckChar(body);
}

/** The same code with a wrong 18th (check) character. */
export function withWrongCheckChar(uscc: string): string {
  const right = uscc[17];
  const wrong = USCC_ALPHABET[(USCC_ALPHABET.indexOf(right) + 1) % USCC_ALPHABET.length];
  return uscc.slice(0, 17) + wrong;
}

/** A password that meets the policy (≥ 8 characters, ≥ 3 classes) and contains no login name. */
export function newPassword(): string {
  return `Kp-${randomBytes(4).toString("hex")}-Z9`;
}

/** A mainland mobile number. */
export function newPhone(): string {
  return `139${String(randomInt(10_000_000, 99_999_999))}`;
}

// ---------------------------------------------------------------- page helpers

/**
 * Accessible-name matcher for a button label. antd puts a space between the two characters
 * of a two-character Chinese button (登录 shows as "登 录"), so spaces are allowed between characters.
 */
export function label(text: string): RegExp {
  const chars = [...text].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^\\s*${chars.join("\\s*")}\\s*$`);
}

/**
 * The page body, below the header: the innermost <main>. (The layout once nested two <main>
 * elements, antd's Layout.Content and one inside it; the innermost is the page's own content.)
 */
export const content = (page: Page): Locator => page.locator("main").last();

/**
 * A button in the page body (not the header), by its label. Matched on the element and its text
 * rather than the accessibility tree, so a spinning (loading) button is still found.
 */
/** A button of the page's content, or a link drawn as one (ButtonLink: navigation is a link). */
export const mainButton = (page: Page, text: string): Locator =>
  content(page).locator("button, a.ant-btn", { hasText: label(text) });

export const header = (page: Page): Locator => page.getByRole("banner");
export const headerLoginButton = (page: Page): Locator =>
  header(page).getByRole("link", { name: label("登录") });
export const accountMenuButton = (page: Page): Locator =>
  header(page).getByRole("button", { name: "账号菜单" });

/**
 * Waits until React has hydrated the server-rendered page. A click that lands in the gap between
 * the HTML arriving and React taking over can be lost (seen on slow machines), so every full
 * page load goes through `open`. The signal: the layout (app/components/app-layout.tsx) sets
 * <html data-hydrated> once it has re-rendered in the browser with the header's dropdowns.
 */
export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "1", undefined, {
    timeout: 30_000,
  });
}

/** Loads a page (full document load) and waits until it is interactive. */
export async function open(page: Page, path: string): Promise<Response | null> {
  const response = await page.goto(path);
  await waitForHydration(page);
  return response;
}

/**
 * Presses a form's submit button. antd shows a busy button while the previous submission is
 * still in flight and ignores clicks on it, so wait until it is idle first.
 */
export async function submit(page: Page, text: string): Promise<void> {
  await expect(content(page).locator(".ant-btn-loading")).toHaveCount(0);
  await mainButton(page, text).click();
}

/** The manual's path: top-right 【登录】 → 【法人登录】 or 工作人员登录. Starts from any page. */
export async function openLoginFromHeader(page: Page, kind: "org" | "staff"): Promise<void> {
  await headerLoginButton(page).click();
  await expect(page).toHaveURL(/\/login(\?|$)/);
  await expect(page.getByRole("heading", { name: "登录", exact: true })).toBeVisible();
  // The page's own card; hovering 【登录】 also opens a menu with the same two entries.
  await content(page)
    .getByText(kind === "org" ? "法人登录" : "工作人员登录", { exact: true })
    .click();
  await expect(page).toHaveURL(kind === "org" ? /\/login\/org/ : /\/login\/staff/);
  await expect(
    page.getByRole("heading", { name: kind === "org" ? "法人登录" : "工作人员登录", exact: true }),
  ).toBeVisible();
}

const isLoginPost = (kind: "org" | "staff") => (r: Response) =>
  r.request().method() === "POST" && new URL(r.url()).pathname.startsWith(`/login/${kind}`);

/**
 * Fills the open login form and presses 登录. Resolves with the HTTP status of the answer
 * once it has arrived (a failure then shows in the page's alert).
 */
export async function submitLogin(
  page: Page,
  kind: "org" | "staff",
  login: string,
  password: string,
): Promise<number> {
  await page.getByLabel(kind === "org" ? "统一社会信用代码" : "用户名").fill(login);
  await page.getByLabel("密码", { exact: true }).fill(password);
  const [response] = await Promise.all([page.waitForResponse(isLoginPost(kind)), submit(page, "登录")]);
  // Let the page take in the answer before anyone reads it: no button is spinning any more
  // (after a failure the form is idle again; after a success the next page has none).
  await expect(content(page).locator(".ant-btn-loading")).toHaveCount(0);
  return response.status();
}

/** The error alert of a form page (the 演示数据 banner is role=status, not alert). */
export const formAlert = (page: Page): Locator => content(page).getByRole("alert");

/**
 * The login form's own post (and the demo second factor where the account has one) in the cookies of
 * `ctx`; answers where the server sends the signed-in user.
 */
export async function postLogin(
  ctx: APIRequestContext,
  kind: "org" | "staff",
  loginName: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<string> {
  const res = await ctx.post(kind === "org" ? "/login/org" : "/login/staff", {
    form: kind === "org" ? { uscc: loginName, password } : { username: loginName, password },
    headers,
    maxRedirects: 0,
  });
  expect(res.status(), `login ${loginName}`).toBe(302);
  const location = res.headers().location ?? "/workbench";
  if (!location.startsWith("/login/two-factor")) return location;
  expect(DEMO_TOTP_LOGINS, `second factor for ${loginName}`).toContain(loginName);
  return (await completeTwoFactorHttp(ctx, DEMO_TOTP_SECRET, headers)) || "/workbench";
}

/**
 * Signs in with the login form's own post (and the demo second factor where the account has one),
 * in the page's cookies, then opens the page the server sends the user to; expects it to be
 * `landing` (default 我的工作台). The login pages themselves are driven in the browser by the specs
 * about signing in (login-roles, register, lockout, two-factor, sessions); for every other journey
 * this saves rendering and hydrating them, most of a login's cost in the browser suite.
 */
export async function login(
  page: Page,
  kind: "org" | "staff",
  loginName: string,
  password: string,
  landing: RegExp = /\/workbench/,
): Promise<void> {
  const baseURL = test.info().project.use.baseURL;
  const headers: Record<string, string> = baseURL ? { Origin: new URL(baseURL).origin } : {};
  const location = await postLogin(page.request, kind, loginName, password, headers);
  await open(page, location);
  await expect(page).toHaveURL(landing);
}

// ---------------------------------------------------------------- second factor

const TOTP_PERIOD_MS = 30_000;
/** The code an authenticator app would show, `ahead` steps from now (the server takes ±1). */
export function totpCode(secret: string, ahead = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 }).generate({
    timestamp: Date.now() + ahead * TOTP_PERIOD_MS,
  });
}

/** The server's answer to a code that was already used (two-factor.server.ts). */
export const CODE_REPLAYED_FRAGMENT = "已使用过";

/**
 * Candidate codes for one sign-in: now, then the next step (inside the server's window). Each
 * accepted code is used up, and journeys sign in as the same demo account at the same time, so a
 * code may come back 已使用过; after both, the next step of the clock brings new ones.
 */
async function withFreshCode(send: (code: string) => Promise<"ok" | "replayed">, secret: string) {
  for (let round = 0; round < 3; round++) {
    for (const ahead of [0, 1]) if ((await send(totpCode(secret, ahead))) === "ok") return;
    const step = Math.floor(Date.now() / TOTP_PERIOD_MS);
    await expect
      .poll(() => Math.floor(Date.now() / TOTP_PERIOD_MS), { timeout: 35_000, intervals: [250] })
      .toBeGreaterThan(step);
  }
  throw new Error("no unused TOTP code was accepted");
}

/** On /login/two-factor: enters the current code from `secret` and waits to leave the page. */
export async function completeTwoFactor(page: Page, secret: string): Promise<void> {
  await expect(page).toHaveURL(/\/login\/two-factor/);
  await withFreshCode(async (code) => {
    await page.getByLabel("验证码").fill(code);
    const [response] = await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith("/login/two-factor"),
      ),
      submit(page, "验证"),
    ]);
    if (response.status() < 400) {
      await expect(page).not.toHaveURL(/\/login\/two-factor/);
      return "ok";
    }
    const error = page.locator("#code-error");
    await expect(error).toBeVisible();
    const text = await error.innerText();
    if (!text.includes(CODE_REPLAYED_FRAGMENT)) throw new Error(`second factor refused: ${text}`);
    return "replayed";
  }, secret);
}

/**
 * The same over plain HTTP (the cookies of `ctx` hold the pending session); answers where the
 * server sends the signed-in user.
 */
export async function completeTwoFactorHttp(
  ctx: APIRequestContext,
  secret: string,
  headers: Record<string, string> = {},
): Promise<string> {
  let location = "";
  await withFreshCode(async (code) => {
    const res = await ctx.post("/login/two-factor", { form: { code }, headers, maxRedirects: 0 });
    if (res.status() === 302) {
      location = res.headers().location ?? "";
      return "ok";
    }
    const body = await res.text();
    if (!body.includes(CODE_REPLAYED_FRAGMENT)) throw new Error(`second factor refused: ${res.status()}`);
    return "replayed";
  }, secret);
  return location;
}

/** After a correct password: a demo admin or office completes the second factor with the public secret. */
export async function passDemoSecondFactor(page: Page, kind: "org" | "staff", loginName: string) {
  if (kind === "staff" && DEMO_TOTP_LOGINS.includes(loginName))
    await completeTwoFactor(page, DEMO_TOTP_SECRET);
}

export async function expectWorkbench(page: Page): Promise<void> {
  await expect(page).toHaveURL(/\/workbench/);
  await expect(page.getByRole("heading", { name: "我的工作台", level: 1 })).toBeVisible();
}

/** The titles of the workbench tiles, in order. */
export async function workbenchTiles(page: Page): Promise<string[]> {
  await expect(content(page).locator(".ant-card-head-title").first()).toBeVisible();
  return (await content(page).locator(".ant-card-head-title").allTextContents()).map((t) => t.trim());
}

/** The workbench shows every tile in `shown` and none in `hidden`. */
export async function expectTiles(page: Page, shown: string[], hidden: string[] = []): Promise<void> {
  const tiles = await workbenchTiles(page);
  for (const t of shown) expect(tiles, `tile ${t}`).toContain(t);
  for (const t of hidden) expect(tiles, `tile ${t}`).not.toContain(t);
}

/** A value of an antd Descriptions item by its label. */
export function descriptionValue(page: Page, name: string): Locator {
  return content(page)
    .locator(".ant-descriptions-item-label", { hasText: new RegExp(`^${name}$`) })
    .locator("xpath=following-sibling::*[1]");
}

/**
 * Account menu (top right) → the item `name`, until `arrived` holds. The menu opens with an
 * animation; a click that lands before it settles can be lost (seen in CI: the menu stayed open and
 * nothing happened), and a person would then click again.
 */
export async function chooseAccountMenuItem(
  page: Page,
  name: string,
  arrived: () => Promise<void>,
): Promise<void> {
  await expect(async () => {
    const item = page.getByRole("menuitem", { name });
    if (!(await item.isVisible())) await accountMenuButton(page).click({ timeout: 5_000 });
    await item.click({ timeout: 5_000 });
    await arrived();
  }).toPass({ timeout: 30_000 });
}

/** Account menu (top right) → 退出登录; back on the home page, signed out. */
export async function logout(page: Page): Promise<void> {
  if (!(await headerLoginButton(page).isVisible())) {
    await chooseAccountMenuItem(page, "退出登录", () =>
      expect(headerLoginButton(page)).toBeVisible({ timeout: 5_000 }),
    );
  }
  await expect(page).toHaveURL(/\/$/);
  await expect(accountMenuButton(page)).toHaveCount(0);
}

/**
 * Picks an option of an antd Select (our SelectInput) by the select's id and the option text, and
 * waits until the select shows it: on a busy machine a click that lands while the dropdown is still
 * opening can be lost (seen in CI: the form was then posted without the value), and a person would
 * pick again.
 */
export async function chooseOption(page: Page, selectId: string, option: string): Promise<void> {
  const select = page.locator(".ant-select", { has: page.locator(`#${selectId}`) });
  const dropdown = page.locator(".ant-select-dropdown:visible");
  await expect(async () => {
    if (!(await dropdown.isVisible())) await page.locator(`#${selectId}`).click({ timeout: 5_000 });
    await dropdown.getByTitle(option, { exact: true }).click({ timeout: 5_000 });
    await expect(select).toContainText(option, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
}

/** The form item (label, control and the message beside it) that holds the control with this id. */
export function formItemOf(page: Page, controlId: string): Locator {
  return page.locator(".ant-form-item", { has: page.locator(`#${controlId}`) });
}

// ---------------------------------------------------------------- API helpers

export interface OrgAccount {
  uscc: string;
  password: string;
  unitName: string;
}

/**
 * 法人注册 through the form's endpoint, for tests whose subject is not registration itself.
 * A browser always sends Origin on a POST; the CSRF check requires it, so it is sent here too.
 */
export async function registerOrgViaForm(
  request: APIRequestContext,
  baseURL: string,
  overrides: Partial<OrgAccount> = {},
): Promise<OrgAccount> {
  const account: OrgAccount = {
    uscc: overrides.uscc ?? newUscc(),
    password: overrides.password ?? newPassword(),
    unitName: overrides.unitName ?? `测试单位${uniqueId("")}`,
  };
  const res = await request.post("/register", {
    headers: { Origin: baseURL },
    form: {
      uscc: account.uscc,
      unitName: account.unitName,
      regionCode: "330825",
      contactName: "测试联系人",
      phone: newPhone(),
      password: account.password,
      confirmPassword: account.password,
    },
    maxRedirects: 0,
  });
  expect(res.status(), await res.text()).toBe(302);
  expect(res.headers().location).toContain("/login/org?registered=1");
  return account;
}

// ---------------------------------------------------------------- fixtures

export interface Fixtures {
  /** A second, separate browser (its own cookies), for journeys with two people at once. */
  otherPage: Page;
}

export const test = base.extend<Fixtures & { failureDump: undefined }>({
  // On failure, attach the page's text and HTML: the screenshot alone rarely says why.
  failureDump: [
    async ({ page }, use, testInfo) => {
      await use(undefined);
      if (testInfo.status !== testInfo.expectedStatus && !page.isClosed()) {
        const html = await page.content().catch(() => "");
        await testInfo.attach("page.html", { body: html, contentType: "text/html" });
        await testInfo.attach("page-url.txt", { body: page.url(), contentType: "text/plain" });
      }
    },
    { auto: true },
  ],
  otherPage: async ({ browser, contextOptions, baseURL, locale, timezoneId, viewport }, use) => {
    const options: BrowserContextOptions = { ...contextOptions, baseURL, locale, timezoneId, viewport };
    const context = await browser.newContext(options);
    const page = await context.newPage();
    await use(page);
    await context.close();
  },
});

export { expect };

/**
 * On 【发布公示】: titles the notice and publishes it starting today by the server's clock (the form
 * offers tomorrow; a retry runs after a journey has moved the clock). Returns the staff notice's path.
 */
export async function publishNoticeToday(page: Page, title: string): Promise<string> {
  await page.getByLabel("公示标题").fill(title);
  const tomorrow = await page.getByLabel("公示开始日期").inputValue();
  const today = new Date(new Date(`${tomorrow}T00:00:00Z`).getTime() - 86400_000).toISOString().slice(0, 10);
  await page.getByLabel("公示开始日期").fill(today);
  // Once the journeys before have moved the clock into a year the holiday data does not cover, the
  // form asks to confirm that working days are counted Monday to Friday.
  const calendar = page.getByLabel(/我已知悉，该年份暂按周一至周五计算工作日/);
  if (await calendar.count()) await calendar.check();
  await submit(page, "发布公示");
  await expect(page).toHaveURL(/\/admin\/notices\/[^/?]+\?published=1/);
  return new URL(page.url()).pathname;
}
