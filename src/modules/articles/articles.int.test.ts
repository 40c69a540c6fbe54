import { parseFeed } from "feedsmith";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertCall, listCallNotices } from "#src/modules/calls/calls.server.ts";
import { readGenerations } from "#src/platform/cache/generations.server.ts";
import { fixedClock } from "#src/platform/clock.ts";
import type { AppContext } from "#src/platform/context.ts";
import { newId } from "#src/platform/ids.ts";
import {
  actorOf,
  createUserRecord,
  errorOf,
  linkBase,
  type MadeUser,
} from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { baseWithOrg } from "../schools/schools.fixtures.ts";
import {
  articleImageReadRegion,
  articleImageWriteRegion,
  createArticle,
  getArticle,
  getArticleForReview,
  getOwnArticle,
  latestArticles,
  listArticleReviews,
  listOwnArticles,
  listPublishedArticles,
  recallArticle,
  reviewArticle,
  saveArticleDraft,
  submitArticle,
  unpublishArticle,
} from "./articles.server.ts";
import { articlesAtom } from "./articles-feed.server.ts";

const clock = fixedClock("2026-03-02T10:00:00+08:00");
let t: TestContext;
let ctx: AppContext;
let longyou: MadeUser;
let jiangshan: MadeUser;
let city: MadeUser;
let office: MadeUser;
let org: MadeUser;
let colleague: MadeUser;
let otherOrg: MadeUser;
let baseId: string;

const XSS =
  '<p>开馆啦</p><img src=x onerror=alert(1)><script>alert("x")</script><p onclick="alert(2)">欢迎</p>';
const body = (html: string, over: Partial<{ title: string; column: "news" | "experience" }> = {}) => ({
  column: over.column ?? ("news" as const),
  title: over.title ?? "龙游天文馆开馆",
  body: html,
});

beforeAll(async () => {
  t = await createTestContext({ clock });
  ctx = t.ctx;
  longyou = await createUserRecord(ctx, { role: "county", regionCode: "330825" });
  jiangshan = await createUserRecord(ctx, { role: "county", regionCode: "330881" });
  city = await createUserRecord(ctx, { role: "city" });
  office = await createUserRecord(ctx, { role: "office" });
  ({ org, baseId } = await baseWithOrg(ctx, "330825", "龙游天文科普教育基地"));
  colleague = await createUserRecord(ctx, { role: "org", regionCode: "330825" });
  await linkBase(ctx, baseId, colleague.id);
  ({ org: otherOrg } = await baseWithOrg(ctx, "330881"));
});
afterAll(async () => {
  await t?.close();
});

/** A base's article, submitted: its id and version. */
async function submitted(title: string, html = "<p>正文</p>"): Promise<{ id: string; version: number }> {
  const id = await createArticle(ctx, actorOf(org), { column: "experience", title });
  await submitArticle(ctx, actorOf(org), id, body(html, { title, column: "experience" }), 1);
  return { id, version: 2 };
}

describe("a base's article", () => {
  it("is stored without script, approved by its own county, then public in the list, the home page, the base page and the feed", async () => {
    const id = await createArticle(ctx, actorOf(org), { column: "news", title: "龙游天文馆开馆" });
    const saved = await saveArticleDraft(ctx, actorOf(org), id, body(XSS), 1);
    expect(saved.version).toBe(2);
    const stored = await ctx.db
      .selectFrom("articles")
      .select("body_html")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(stored.body_html).toBe("<p>开馆啦</p><p>欢迎</p>");
    await submitArticle(ctx, actorOf(org), id, body(XSS), saved.version);

    // Not public yet; another county neither lists nor reviews it.
    expect((await errorOf(getArticle(ctx, actorOf(null), id))).code).toBe("NOT_FOUND");
    expect((await listPublishedArticles(ctx, {})).items.map((a) => a.id)).not.toContain(id);
    expect((await listArticleReviews(ctx, actorOf(jiangshan))).map((a) => a.id)).not.toContain(id);
    const foreign = await errorOf(
      reviewArticle(ctx, actorOf(jiangshan), id, { decision: "approve", reason: "", version: 3 }),
    );
    expect(foreign.code).toBe("NOT_FOUND");
    expect((await listArticleReviews(ctx, actorOf(city))).map((a) => a.id)).toContain(id);
    const queued = (await listArticleReviews(ctx, actorOf(longyou))).find((a) => a.id === id)!;
    expect(queued).toMatchObject({
      status: "submitted",
      authorName: "龙游天文科普教育基地",
      columnLabel: "新闻动态",
    });
    const inbox = await ctx.db
      .selectFrom("notifications")
      .select("kind")
      .where("user_id", "=", longyou.id)
      .execute();
    expect(inbox.map((n) => n.kind)).toContain("article.submitted");

    const before = await readGenerations(ctx, ["articles"]);
    await reviewArticle(ctx, actorOf(longyou), id, {
      decision: "approve",
      reason: "",
      version: queued.version,
    });
    expect(await readGenerations(ctx, ["articles"])).not.toBe(before);

    const pub = await getArticle(ctx, actorOf(null), id);
    expect(pub).toMatchObject({ status: "published", bodyHtml: "<p>开馆啦</p><p>欢迎</p>" });
    expect((await listPublishedArticles(ctx, { column: "news" })).items.map((a) => a.id)).toContain(id);
    expect((await listPublishedArticles(ctx, { column: "research" })).items.map((a) => a.id)).not.toContain(
      id,
    );
    expect((await latestArticles(ctx, { limit: 5 })).map((a) => a.id)).toContain(id);
    expect((await latestArticles(ctx, { limit: 5, baseId })).map((a) => a.id)).toContain(id);
    const orgInbox = await ctx.db
      .selectFrom("notifications")
      .select("kind")
      .where("user_id", "in", [org.id, colleague.id])
      .execute();
    expect(orgInbox.filter((n) => n.kind === "article.published")).toHaveLength(2);

    const audit = await ctx.db
      .selectFrom("audit_events")
      .select("action")
      .where("target_id", "=", id)
      .execute();
    // The state changes, and the two refusals above (the anonymous read, 江山市's review).
    expect(audit.map((a) => a.action).sort()).toEqual([
      "access.denied",
      "access.denied",
      "article.create",
      "article.publish",
      "article.submit",
    ]);

    // Approving again at the version seen: a conflict.
    const again = await errorOf(
      reviewArticle(ctx, actorOf(longyou), id, { decision: "approve", reason: "", version: queued.version }),
    );
    expect(again.code).toBe("CONFLICT");

    const feed = parseFeed(await articlesAtom(ctx));
    expect(feed.format).toBe("atom");
    const entry = (
      feed.feed as { entries?: { title?: { value?: string }; content?: { value?: string } }[] }
    ).entries?.find((e) => e.title?.value === "龙游天文馆开馆");
    expect(entry).toBeDefined();
    expect(entry?.content?.value).toContain("开馆啦");
    expect(entry?.content?.value ?? "").not.toMatch(/script|onerror|onclick/);
  });

  it("is returned with a reason, edited and submitted again; a stale or a fixed article is not edited", async () => {
    const { id, version } = await submitted("馆校合作经验");
    expect((await errorOf(saveArticleDraft(ctx, actorOf(org), id, body("<p>改</p>"), version))).code).toBe(
      "CONFLICT",
    );
    await reviewArticle(ctx, actorOf(longyou), id, { decision: "return", reason: "请补充图片", version });
    const own = await getOwnArticle(ctx, actorOf(org), id);
    expect(own).toMatchObject({ status: "returned", returnReason: "请补充图片" });
    const stale = await errorOf(saveArticleDraft(ctx, actorOf(colleague), id, body("<p>改</p>"), version));
    expect(stale.code).toBe("CONFLICT");
    // Every account of the base edits the base's article.
    const saved = await saveArticleDraft(ctx, actorOf(colleague), id, body("<p>补充了图片</p>"), own.version);
    await submitArticle(ctx, actorOf(org), id, body("<p>补充了图片</p>"), saved.version);
    expect((await getArticleForReview(ctx, actorOf(longyou), id)).status).toBe("submitted");
  });

  it("is recalled by its authors while it waits (back to a draft they edit), and by nobody else", async () => {
    const { id, version } = await submitted("撤回的文章");
    expect((await errorOf(recallArticle(ctx, actorOf(otherOrg), id, version))).code).toBe("NOT_FOUND");
    expect((await errorOf(recallArticle(ctx, actorOf(longyou), id, version))).code).toBe("NOT_FOUND");
    expect((await errorOf(recallArticle(ctx, actorOf(org), id, version - 1))).code).toBe("CONFLICT");
    await recallArticle(ctx, actorOf(colleague), id, version);
    expect(await getOwnArticle(ctx, actorOf(org), id)).toMatchObject({
      status: "draft",
      version: version + 1,
    });
    expect((await listArticleReviews(ctx, actorOf(longyou))).map((a) => a.id)).not.toContain(id);
    // A draft is not recalled again, and it is edited as before.
    expect((await errorOf(recallArticle(ctx, actorOf(org), id, version + 1))).code).toBe("CONFLICT");
    await saveArticleDraft(ctx, actorOf(org), id, body("<p>改好了</p>"), version + 1);
    const audit = await ctx.db
      .selectFrom("audit_events")
      .select("action")
      .where("target_id", "=", id)
      .where("action", "=", "article.recall")
      .execute();
    expect(audit).toHaveLength(1);
  });

  it("is taken offline by a moderator in scope with a reason: gone from every public list, back to its authors", async () => {
    const { id, version } = await submitted("将被下线的文章");
    await reviewArticle(ctx, actorOf(longyou), id, { decision: "approve", reason: "", version });
    const published = version + 1;
    expect((await listPublishedArticles(ctx, {})).items.map((a) => a.id)).toContain(id);
    const before = await readGenerations(ctx, ["articles"]);

    // Another county's staff does not see it under moderation; anyone else is refused the same way.
    for (const who of [jiangshan, otherOrg]) {
      const e = await errorOf(
        unpublishArticle(ctx, actorOf(who), id, { reason: "不妥", version: published }),
      );
      expect(e.code).toBe("NOT_FOUND");
    }
    expect(
      (await errorOf(unpublishArticle(ctx, actorOf(longyou), id, { reason: "不妥", version: version }))).code,
    ).toBe("CONFLICT");
    expect((await getArticleForReview(ctx, actorOf(longyou), id)).unpublishable).toBe(true);
    expect((await getArticleForReview(ctx, actorOf(city), id)).unpublishable).toBe(true);

    await unpublishArticle(ctx, actorOf(city), id, { reason: "图片未获授权", version: published });
    expect(await readGenerations(ctx, ["articles"])).not.toBe(before);
    expect((await listPublishedArticles(ctx, {})).items.map((a) => a.id)).not.toContain(id);
    expect((await latestArticles(ctx, { limit: 50, baseId })).map((a) => a.id)).not.toContain(id);
    expect(await articlesAtom(ctx)).not.toContain("将被下线的文章");
    expect((await errorOf(getArticle(ctx, actorOf(null), id))).code).toBe("NOT_FOUND");
    expect(await getOwnArticle(ctx, actorOf(org), id)).toMatchObject({
      status: "returned",
      returnReason: "图片未获授权",
      publishedAt: null,
    });
    const inbox = await ctx.db
      .selectFrom("notifications")
      .select("user_id")
      .where("kind", "=", "article.unpublished")
      .where("link", "=", `/my-articles/${id}`)
      .execute();
    expect(inbox.map((n) => n.user_id).sort()).toEqual([org.id, colleague.id].sort());
    // Returned, it is corrected and submitted again like any returned article.
    await submitArticle(ctx, actorOf(org), id, body("<p>换了图片</p>"), published + 1);
    expect((await getArticleForReview(ctx, actorOf(longyou), id)).status).toBe("submitted");
  });

  it("is taken offline by its own authors too, without telling them", async () => {
    const { id, version } = await submitted("自己下线的文章");
    await reviewArticle(ctx, actorOf(longyou), id, { decision: "approve", reason: "", version });
    await unpublishArticle(ctx, actorOf(org), id, { reason: "信息已过时", version: version + 1 });
    expect((await getOwnArticle(ctx, actorOf(colleague), id)).status).toBe("returned");
    const told = await ctx.db
      .selectFrom("notifications")
      .select("id")
      .where("kind", "=", "article.unpublished")
      .where("link", "=", `/my-articles/${id}`)
      .execute();
    expect(told).toHaveLength(0);
  });

  it("refuses to submit without a title or a body, each with a message beside its field", async () => {
    const id = await createArticle(ctx, actorOf(org), { column: "news", title: "空文章" });
    const e = await errorOf(
      submitArticle(ctx, actorOf(org), id, { column: "news", title: "", body: "<script>x</script>" }, 1),
    );
    expect(e.code).toBe("VALIDATION");
    expect(e.fieldErrors).toEqual({ title: "请填写标题", body: "请填写正文" });
    expect((await getOwnArticle(ctx, actorOf(org), id)).status).toBe("draft");
  });

  it("is not another base's, and a moderator does not see a draft", async () => {
    const id = await createArticle(ctx, actorOf(org), { column: "news", title: "草稿" });
    expect((await errorOf(getOwnArticle(ctx, actorOf(otherOrg), id))).code).toBe("NOT_FOUND");
    expect((await errorOf(saveArticleDraft(ctx, actorOf(otherOrg), id, body("<p>x</p>"), 1))).code).toBe(
      "NOT_FOUND",
    );
    expect((await errorOf(getArticle(ctx, actorOf(otherOrg), id))).code).toBe("NOT_FOUND");
    expect((await errorOf(getArticleForReview(ctx, actorOf(longyou), id))).code).toBe("NOT_FOUND");
    expect((await listOwnArticles(ctx, actorOf(otherOrg))).map((a) => a.id)).not.toContain(id);
    expect((await listOwnArticles(ctx, actorOf(colleague))).map((a) => a.id)).toContain(id);
    const denied = await ctx.db
      .selectFrom("audit_events")
      .select("action")
      .where("target_id", "=", id)
      .where("action", "=", "access.denied")
      .execute();
    expect(denied.length).toBeGreaterThan(0);
  });

  it("takes images from its authors while it is edited, and shows them to anyone once published", async () => {
    const id = await createArticle(ctx, actorOf(org), { column: "news", title: "图片" });
    expect(await articleImageWriteRegion(ctx, actorOf(org), id)).toBe("330825");
    expect(await articleImageWriteRegion(ctx, actorOf(otherOrg), id)).toBeNull();
    expect(await articleImageWriteRegion(ctx, actorOf(longyou), id)).toBeNull();
    expect(await articleImageReadRegion(ctx, actorOf(null), id)).toBeNull();
    await submitArticle(ctx, actorOf(org), id, body("<p>图</p>", { title: "图片" }), 1);
    expect(await articleImageWriteRegion(ctx, actorOf(org), id)).toBeNull();
    expect(await articleImageReadRegion(ctx, actorOf(longyou), id)).toBe("330825");
    expect(await articleImageReadRegion(ctx, actorOf(jiangshan), id)).toBeNull();
    await reviewArticle(ctx, actorOf(longyou), id, { decision: "approve", reason: "", version: 2 });
    expect(await articleImageReadRegion(ctx, actorOf(null), id)).toBe("330825");
  });
});

describe("staff articles and roles", () => {
  it("a county's own article is reviewed by someone else: the office", async () => {
    const id = await createArticle(ctx, actorOf(longyou), { column: "research", title: "县域科普研讨" });
    await submitArticle(ctx, actorOf(longyou), id, body("<p>研讨</p>", { title: "县域科普研讨" }), 1);
    const own = await errorOf(
      reviewArticle(ctx, actorOf(longyou), id, { decision: "approve", reason: "", version: 2 }),
    );
    expect(own.code).toBe("FORBIDDEN");
    expect((await getArticleForReview(ctx, actorOf(longyou), id)).reviewable).toBe(false);
    await reviewArticle(ctx, actorOf(office), id, { decision: "approve", reason: "", version: 2 });
    expect(await getArticle(ctx, actorOf(null), id)).toMatchObject({
      authorName: "龙游县科协",
      baseId: null,
    });
  });

  it("roles without the permissions neither write nor review", async () => {
    const { id } = await submitted("权限测试");
    for (const role of ["evaluator", "school", "admin"] as const) {
      const who = await createUserRecord(ctx, { role });
      expect((await errorOf(createArticle(ctx, actorOf(who), { column: "news", title: "x" }))).code).toBe(
        "FORBIDDEN",
      );
      expect((await errorOf(listArticleReviews(ctx, actorOf(who)))).code).toBe("FORBIDDEN");
      expect(
        (await errorOf(reviewArticle(ctx, actorOf(who), id, { decision: "approve", reason: "", version: 2 })))
          .code,
      ).toBe("FORBIDDEN");
    }
    expect((await errorOf(listArticleReviews(ctx, actorOf(org)))).code).toBe("FORBIDDEN");
    expect((await errorOf(createArticle(ctx, actorOf(null), { column: "news", title: "x" }))).code).toBe(
      "UNAUTHENTICATED",
    );
  });

  it("an organization without a base writes nothing", async () => {
    const lone = await createUserRecord(ctx, { role: "org" });
    expect((await errorOf(createArticle(ctx, actorOf(lone), { column: "news", title: "x" }))).code).toBe(
      "NOT_FOUND",
    );
  });
});

describe("通知公告", () => {
  it("lists the calls' notices, each with its documents", async () => {
    const call = (batchNo: number, title: string) =>
      insertCall(ctx, {
        kind: "科普教育基地项目认定",
        batchNo,
        title,
        level: "city",
        regionCode: "330800",
        opensAt: "2026-03-01T00:00:00.000Z",
        closesAt: "2026-04-01T00:00:00.000Z",
        categoryCodes: [],
        targets: {},
        notice: "通知",
        createdBy: null,
      });
    const withDocs = await call(9, "第九批基地创建通知");
    const bare = await call(10, "无附件的通知");
    for (const name of ["附件1.管理办法.pdf", "附件2.申报表.docx"]) {
      const id = newId();
      await ctx.db
        .insertInto("files")
        .values({
          id,
          storage_key: `test/${id}`,
          original_name: name,
          mime: "application/pdf",
          size: 1000,
          sha256: "0".repeat(64),
          kind: "pdf",
          width: null,
          height: null,
          thumb_key: null,
          owner_type: "call",
          owner_id: withDocs,
          slot: "call_documents",
          region_code: "330800",
          created_by: null,
          created_at: clock.now().toISOString(),
        })
        .execute();
    }
    const list = await listCallNotices(ctx);
    const ids = list.map((n) => n.id);
    expect(ids).toContain(withDocs);
    expect(list.find((n) => n.id === bare)?.documents).toEqual([]);
    expect(list.find((n) => n.id === withDocs)?.documents.map((d) => d.name)).toEqual([
      "附件1.管理办法.pdf",
      "附件2.申报表.docx",
    ]);
  });
});
