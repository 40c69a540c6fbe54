import { parseFeed } from "feedsmith";
import { usccCheckChar } from "../../src/modules/accounts/uscc.rules.ts";
import {
  chooseAccountMenuItem,
  chooseOption,
  content,
  DEMO_PASSWORD,
  expect,
  login,
  logout,
  open,
  submit,
  test,
  uniqueId,
} from "./fixtures.ts";

/**
 * Issue 19 item 5, as its users do it: the demo's 衢州市科技馆 (柯城区) writes an article in the rich-text
 * editor whose body also carries `<img src=x onerror=alert(1)>` and a `<script>` (as a crafted client
 * would post them); 柯城区科协 approves it; the public article page shows the text without either, with
 * no dialog and no CSP violation; the home page, the column and the base's page list it; the Atom
 * feed parses with a real feed parser.
 */

const MUSEUM_USCC = ((body: string) => body + usccCheckChar(body))("12330802MA0000001");
const PAYLOAD = '<img src=x onerror=alert(1)><script>alert("xss")</script>';

test("a base writes an article with a script in it; the county approves; the public sees it inert", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const dialogs: string[] = [];
  const cspViolations: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on("console", (m) => {
    if (/Content[- ]Security[- ]Policy|Refused to (execute|load|apply)/i.test(m.text()))
      cspViolations.push(m.text());
  });
  const title = `馆校合作经验${uniqueId("").slice(-6)}`;

  // The base: 我的文章 → 新建文章 (栏目, 标题) → the editor.
  await login(page, "org", MUSEUM_USCC, DEMO_PASSWORD);
  await open(page, "/workbench");
  await content(page)
    .getByRole("link", { name: /我的文章/ })
    .first()
    .click();
  await expect(page).toHaveURL(/\/my-articles$/);
  await submit(page, "新建并编辑正文");
  await expect(page.locator("#title")).toHaveAttribute("aria-invalid", "true");
  await expect(content(page)).toContainText("请选择栏目");
  await chooseOption(page, "column", "经验交流");
  await page.getByLabel("标题").fill(title);
  await submit(page, "新建并编辑正文");
  await expect(page).toHaveURL(/\/my-articles\/[0-9a-f-]{36}$/);

  // The editor loads in the browser only; type the text, then post the payload beside it.
  const editor = page.getByRole("textbox", { name: "正文" });
  await expect(editor).toBeVisible();
  await editor.click();
  await page.keyboard.type("我馆与周边学校开展馆校合作。");
  // Autosave keeps the draft (its answer carries the new version).
  await expect(content(page)).toContainText("已自动保存", { timeout: 15_000 });
  await page.evaluate((payload) => {
    const input = document.querySelector<HTMLInputElement>('input[name="body"]');
    if (input)
      input.value = `<p>我馆与周边学校开展馆校合作。</p>${payload}<p onclick="alert(2)">欢迎交流。</p>`;
  }, PAYLOAD);
  await submit(page, "提交审核");
  await expect(page).toHaveURL(/\/my-articles\?submitted=1$/);
  await expect(content(page).getByRole("row", { name: new RegExp(title) })).toContainText("待审核");
  await logout(page);

  // 柯城区科协 reviews it from its workbench.
  await login(page, "staff", "kecheng", DEMO_PASSWORD);
  await content(page)
    .getByRole("link", { name: /文章审核/ })
    .first()
    .click();
  await expect(page).toHaveURL(/\/admin\/articles$/);
  await content(page).getByRole("link", { name: title }).click();
  await expect(content(page)).toContainText("我馆与周边学校开展馆校合作。");
  await submit(page, "提交审核意见");
  await expect(content(page)).toContainText("请选择审核结果");
  await page.getByRole("radio", { name: "通过并发布" }).check();
  await submit(page, "提交审核意见");
  await expect(page).toHaveURL(/\/admin\/articles\?decided=approve$/);
  await logout(page);

  // The public: the home page, the column, the article.
  await open(page, "/");
  await content(page).getByRole("link", { name: title }).click();
  await expect(page).toHaveURL(/\/articles\/[0-9a-f-]{36}$/);
  const articleUrl = new URL(page.url()).pathname;
  const bodyEl = content(page).locator(".kepu-article-body");
  await expect(bodyEl).toContainText("我馆与周边学校开展馆校合作。");
  await expect(bodyEl).toContainText("欢迎交流。");
  await expect(bodyEl.locator("img")).toHaveCount(0);
  await expect(bodyEl.locator("script")).toHaveCount(0);
  await expect(bodyEl.locator("[onclick]")).toHaveCount(0);
  // A full load of the page itself, as a visitor arriving from a link elsewhere.
  const res = await open(page, articleUrl);
  expect(res?.status()).toBe(200);
  const html = (await res?.text()) ?? "";
  expect(html).not.toContain("onerror");
  expect(html).not.toContain('alert("xss")');
  await open(page, "/articles?column=experience");
  await expect(content(page).getByRole("link", { name: title })).toBeVisible();

  // The base's public page lists it.
  await open(page, articleUrl);
  await content(page)
    .getByRole("link", { name: /衢州市科技馆/ })
    .first()
    .click();
  await expect(page).toHaveURL(/\/bases\/[0-9a-f-]{36}$/);
  await expect(content(page).getByRole("region", { name: "基地文章" })).toContainText(title);

  // The feed parses with a real parser and carries the article, inert.
  const feedRes = await page.request.get("/articles/feed.xml");
  expect(feedRes.status()).toBe(200);
  expect(feedRes.headers()["content-type"]).toContain("application/atom+xml");
  const feed = parseFeed(await feedRes.text());
  expect(feed.format).toBe("atom");
  const entries =
    (feed.feed as { entries?: { title?: { value?: string }; content?: { value?: string } }[] }).entries ?? [];
  const entry = entries.find((e) => e.title?.value === title);
  expect(entry).toBeDefined();
  expect(entry?.content?.value ?? "").not.toMatch(/onerror|<script|onclick/);

  expect(dialogs).toEqual([]);
  expect(cspViolations).toEqual([]);

  // The base takes it offline (下线) with a reason; the public no longer finds it.
  await login(page, "org", MUSEUM_USCC, DEMO_PASSWORD);
  await open(page, "/my-articles");
  await content(page).getByRole("link", { name: title }).click();
  await submit(page, "下线");
  await expect(page.locator("#unpublish-reason")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("下线理由").fill("活动信息已过时");
  await submit(page, "下线");
  await expect(content(page)).toContainText("退回理由：活动信息已过时");
  await logout(page);
  expect((await open(page, articleUrl))?.status()).toBe(404);
});

test("通知公告 lists the call notices; the office reaches call and notice management from the menu", async ({
  page,
}) => {
  await open(page, "/");
  // The manual's navigation keeps its five entries; 通知公告 is in every page's footer.
  await expect(page.getByRole("navigation", { name: "主导航" }).first().getByRole("link")).toHaveCount(5);
  await page.getByRole("navigation", { name: "更多栏目" }).getByRole("link", { name: "通知公告" }).click();
  await expect(page).toHaveURL(/\/announcements$/);
  await expect(page.getByRole("heading", { level: 1, name: "通知公告" })).toBeVisible();
  await expect(content(page).getByRole("link", { name: "第八批衢州市科普教育基地创建" })).toBeVisible();
  // 【公示栏】 keeps the manual's name and its own page.
  await expect(content(page).getByRole("link", { name: "【公示栏】" })).toHaveAttribute("href", "/notices");

  await login(page, "staff", "office", DEMO_PASSWORD);
  await chooseAccountMenuItem(page, "公示管理", async () => {
    await expect(page).toHaveURL(/\/admin\/notices$/, { timeout: 5_000 });
  });
  await chooseAccountMenuItem(page, "申报项目管理", () =>
    expect(page).toHaveURL(/\/admin\/calls$/, { timeout: 5_000 }),
  );
  await open(page, "/workbench");
  await content(page)
    .getByRole("link", { name: /申报项目管理/ })
    .first()
    .click();
  await expect(page).toHaveURL(/\/admin\/calls$/);
  await logout(page);
});
