import type { Kysely } from "kysely";
import { can } from "#src/modules/accounts/accounts.policy.ts";
import { authorize, deniedAsNotFound } from "#src/modules/accounts/authorize.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { findOwnBase } from "#src/modules/bases/bases.server.ts";
import { notify, reviewersFor } from "#src/modules/notifications/notifications.server.ts";
import { regionName, regionSubtree } from "#src/modules/regions/regions.server.ts";
import { bumpGeneration } from "#src/platform/cache/generations.server.ts";
import type { Actor, AppContext, SessionUser } from "#src/platform/context.ts";
import type { Article, ArticleColumn, ArticleStatus, DB } from "#src/platform/db/schema.ts";
import { AppError } from "#src/platform/errors.ts";
import { newId } from "#src/platform/ids.ts";
import {
  type ArticleActor,
  type ArticleFacts,
  canEditArticle,
  canModerate,
  canReadArticle,
  canRecallArticle,
  canReviewArticle,
  canUnpublishArticle,
  isOwnArticle,
} from "./articles.policy.ts";
import { ARTICLE_PAGE_SIZE, COLUMN_LABELS, canSubmit, FEED_SIZE } from "./articles.rules.ts";
import { articleText, sanitizeArticleHtml, summaryOf } from "./articles.sanitize.ts";
import type { ArticleDraftInput } from "./articles.schema.ts";

/**
 * 第十四条: articles in four columns. Bases (every account of the base) and staff write them; county
 * staff approve their county's, city staff and the office the whole city's. Bodies are sanitized on
 * every save and again when read, so nothing stored or shown can run a script. Public pages are
 * cached under the `articles` generation, bumped in each transaction that publishes.
 */

const CONFLICT = "该文章刚刚已被他人修改或审核，请刷新页面查看最新状态。";
const NOT_EDITABLE = "该文章已提交审核或已发布，不能再修改。";

export interface ArticleView {
  id: string;
  column: ArticleColumn;
  columnLabel: string;
  title: string;
  summary: string;
  /** Sanitized HTML, safe to render. */
  bodyHtml: string;
  baseId: string | null;
  regionCode: string;
  authorName: string;
  status: ArticleStatus;
  returnReason: string | null;
  submittedAt: string | null;
  publishedAt: string | null;
  updatedAt: string;
  version: number;
}

/** A list row: no body. */
export type ArticleSummary = Omit<ArticleView, "bodyHtml">;

const factsOf = (a: Article): ArticleFacts => ({
  authorId: a.author_id,
  baseId: a.base_id,
  regionCode: a.region_code,
  status: a.status,
});

function summaryView(a: Article): ArticleSummary {
  return {
    id: a.id,
    column: a.column_key,
    columnLabel: COLUMN_LABELS[a.column_key],
    title: a.title || "（无标题）",
    summary: a.summary,
    baseId: a.base_id,
    regionCode: a.region_code,
    authorName: a.author_name,
    status: a.status,
    returnReason: a.return_reason,
    submittedAt: a.submitted_at,
    publishedAt: a.published_at,
    updatedAt: a.updated_at,
    version: a.version,
  };
}

/** The full view; the body goes through the allowlist once more on the way out. */
const fullView = (a: Article): ArticleView => ({
  ...summaryView(a),
  bodyHtml: sanitizeArticleHtml(a.body_html),
});

// ---- who is acting ----

/** The actor's facts for the policy: its base (an organization) and the regions it moderates. */
export async function articleActorOf(
  ctx: AppContext,
  user: SessionUser | null,
): Promise<ArticleActor | null> {
  if (!user || user.mustChangePassword) return null;
  const ownBaseId = user.role === "org" ? ((await findOwnBase(ctx, user))?.id ?? null) : null;
  const scope = can(user, "articles:review") ? await regionSubtree(ctx, user.regionCode) : [];
  return { user, ownBaseId, scope };
}

/** An author: an organization with a base that is not revoked, or staff; with the byline and region. */
async function authorOf(
  ctx: AppContext,
  actor: Actor,
): Promise<{ me: SessionUser; baseId: string | null; regionCode: string; byline: string }> {
  const me = await authorize(ctx, actor, "articles:write");
  if (me.role === "org") {
    const base = await findOwnBase(ctx, me);
    if (!base || base.status === "revoked") throw new AppError("NOT_FOUND", "贵单位尚无已认定的科普教育基地");
    return { me, baseId: base.id, regionCode: base.region_code, byline: base.name };
  }
  const region = await regionName(ctx, me.regionCode);
  const byline = me.role === "office" ? "市基地认定办公室" : `${region}科协`;
  return { me, baseId: null, regionCode: me.regionCode, byline };
}

/** Throws unless the actor may write articles (an organization: only with a base of its own). */
export async function checkArticleAuthor(ctx: AppContext, actor: Actor): Promise<void> {
  await authorOf(ctx, actor);
}

async function loadArticle(db: Kysely<DB>, id: string): Promise<Article | undefined> {
  return db.selectFrom("articles").selectAll().where("id", "=", id).executeTakeFirst();
}

async function missing(ctx: AppContext, actor: Actor, id: string, exists: boolean): Promise<never> {
  return deniedAsNotFound(ctx, actor, { type: "article", id, exists });
}

// ---- the author's side ----

/** The actor's own articles (for a base: every article of the base), newest first. */
export async function listOwnArticles(ctx: AppContext, actor: Actor): Promise<ArticleSummary[]> {
  const { me, baseId } = await authorOf(ctx, actor);
  let q = ctx.db.selectFrom("articles").selectAll();
  q = baseId
    ? q.where("base_id", "=", baseId)
    : q.where("author_id", "=", me.id).where("base_id", "is", null);
  const rows = await q.orderBy("updated_at", "desc").limit(200).execute();
  return rows.map(summaryView);
}

/** One of the actor's own articles, for the editor; another's answers 404. */
export async function getOwnArticle(ctx: AppContext, actor: Actor, id: string): Promise<ArticleView> {
  await authorOf(ctx, actor);
  const who = await articleActorOf(ctx, actor.user);
  const row = await loadArticle(ctx.db, id);
  if (!row || !who || !isOwnArticle(who, factsOf(row))) return missing(ctx, actor, id, !!row);
  return fullView(row);
}

/** 新建文章: a draft in a column, with its title. */
export async function createArticle(
  ctx: AppContext,
  actor: Actor,
  input: { column: ArticleColumn; title: string },
): Promise<string> {
  const { me, baseId, regionCode, byline } = await authorOf(ctx, actor);
  const id = newId();
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("articles")
      .values({
        id,
        column_key: input.column,
        title: input.title,
        summary: "",
        body_html: "",
        base_id: baseId,
        region_code: regionCode,
        author_id: me.id,
        author_name: byline,
        status: "draft",
        return_reason: null,
        reviewed_by: null,
        reviewed_at: null,
        submitted_at: null,
        published_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await recordAudit(ctx, trx, actor, {
      action: "article.create",
      targetType: "article",
      targetId: id,
      detail: { after: { title: input.title, column: input.column, status: "draft" } },
    });
  });
  return id;
}

/** The row the author may edit now, checked before the write (a miss is audited on its own connection). */
async function editableRow(ctx: AppContext, actor: Actor, id: string, version: number): Promise<Article> {
  await authorOf(ctx, actor);
  const who = await articleActorOf(ctx, actor.user);
  const row = await loadArticle(ctx.db, id);
  if (!row || !who || !isOwnArticle(who, factsOf(row))) return missing(ctx, actor, id, !!row);
  if (!canEditArticle(who, factsOf(row))) throw new AppError("CONFLICT", NOT_EDITABLE);
  if (row.version !== version) throw new AppError("CONFLICT", CONFLICT);
  return row;
}

function contentColumns(input: ArticleDraftInput) {
  const body = sanitizeArticleHtml(input.body);
  return { column_key: input.column, title: input.title, body_html: body, summary: summaryOf(body) };
}

/**
 * 保存草稿 (and the autosave): the author's edit of a draft or a returned article, sanitized,
 * under the version the editor holds. Returns the new version.
 */
export async function saveArticleDraft(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: ArticleDraftInput,
  version: number,
): Promise<{ version: number; savedAt: string }> {
  const row = await editableRow(ctx, actor, id, version);
  const now = ctx.clock.now().toISOString();
  const moved = await ctx.db
    .updateTable("articles")
    .set({ ...contentColumns(input), updated_at: now, version: row.version + 1 })
    .where("id", "=", id)
    .where("version", "=", version)
    .where("status", "in", ["draft", "returned"])
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) throw new AppError("CONFLICT", CONFLICT);
  return { version: row.version + 1, savedAt: now };
}

/** 提交审核: saves the edit and sends the article to the moderators of its region. */
export async function submitArticle(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: ArticleDraftInput,
  version: number,
): Promise<void> {
  const row = await editableRow(ctx, actor, id, version);
  const content = contentColumns(input);
  const fieldErrors: Record<string, string> = {};
  if (!content.title) fieldErrors.title = "请填写标题";
  if (!articleText(content.body_html) && !content.body_html.includes("<img")) fieldErrors.body = "请填写正文";
  if (Object.keys(fieldErrors).length) throw new AppError("VALIDATION", "请检查标记的项目", fieldErrors);
  if (!canSubmit(row.status)) throw new AppError("CONFLICT", NOT_EDITABLE);
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable("articles")
      .set({
        ...content,
        status: "submitted",
        submitted_at: now,
        updated_at: now,
        version: row.version + 1,
      })
      .where("id", "=", id)
      .where("version", "=", version)
      .where("status", "in", ["draft", "returned"])
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw new AppError("CONFLICT", CONFLICT);
    await recordAudit(ctx, trx, actor, {
      action: "article.submit",
      targetType: "article",
      targetId: id,
      detail: { before: { status: row.status }, after: { status: "submitted", title: content.title } },
    });
    await notify(ctx, trx, {
      userIds: await moderatorsOf(trx, row.region_code, row.author_id),
      kind: "article.submitted",
      title: "文章待审核",
      body: `“${row.author_name}”提交了${COLUMN_LABELS[content.column_key]}文章“${content.title}”，请审核后发布。`,
      link: `/admin/articles/${id}`,
    });
  });
}

/** Who is told that an article waits: the county's staff for a county's article, else the office. */
async function moderatorsOf(db: Kysely<DB>, regionCode: string, authorId: string): Promise<string[]> {
  const county = await reviewersFor(db, "county", [regionCode]);
  const ids = county.length ? county : await reviewersFor(db, "office", [regionCode]);
  return ids.filter((u) => u !== authorId);
}

// ---- moderation ----

async function moderator(ctx: AppContext, actor: Actor): Promise<ArticleActor> {
  const me = await authorize(ctx, actor, "articles:review");
  return { user: me, ownBaseId: null, scope: await regionSubtree(ctx, me.regionCode) };
}

/** The review queue in scope (待审核 by default, oldest first), or the published/returned ones. */
export async function listArticleReviews(
  ctx: AppContext,
  actor: Actor,
  status: Exclude<ArticleStatus, "draft"> = "submitted",
): Promise<ArticleSummary[]> {
  const who = await moderator(ctx, actor);
  const scope = who.scope.length ? who.scope : [""];
  const rows = await ctx.db
    .selectFrom("articles")
    .selectAll()
    .where("status", "=", status)
    .where("region_code", "in", scope)
    .orderBy(status === "submitted" ? "submitted_at" : "updated_at", status === "submitted" ? "asc" : "desc")
    .limit(200)
    .execute();
  return rows.map(summaryView);
}

/** One article under moderation, in scope; a draft or another region's article answers 404. */
export async function getArticleForReview(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<ArticleView & { reviewable: boolean; unpublishable: boolean }> {
  const who = await moderator(ctx, actor);
  const row = await loadArticle(ctx.db, id);
  if (!row || row.status === "draft" || !canModerate(who, factsOf(row)))
    return missing(ctx, actor, id, !!row);
  return {
    ...fullView(row),
    reviewable: canReviewArticle(who, factsOf(row)),
    unpublishable: canUnpublishArticle(who, factsOf(row)),
  };
}

/** 通过 (the article is published at once) or 退回 with a reason the author sees. */
export async function reviewArticle(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { decision: "approve" | "return"; reason: string; version: number },
): Promise<void> {
  const who = await moderator(ctx, actor);
  const row = await loadArticle(ctx.db, id);
  if (!row || row.status === "draft" || !canModerate(who, factsOf(row)))
    return missing(ctx, actor, id, !!row);
  if (row.author_id === who.user.id) throw new AppError("FORBIDDEN", "不能审核自己撰写的文章");
  if (!canReviewArticle(who, factsOf(row)) || row.version !== input.version)
    throw new AppError("CONFLICT", CONFLICT);
  const approve = input.decision === "approve";
  const now = ctx.clock.now().toISOString();
  const status: ArticleStatus = approve ? "published" : "returned";
  await ctx.db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable("articles")
      .set({
        status,
        return_reason: approve ? null : input.reason,
        reviewed_by: who.user.id,
        reviewed_at: now,
        published_at: approve ? now : null,
        updated_at: now,
        version: row.version + 1,
      })
      .where("id", "=", id)
      .where("status", "=", "submitted")
      .where("version", "=", input.version)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw new AppError("CONFLICT", CONFLICT);
    if (approve) await bumpGeneration(trx, "articles");
    await recordAudit(ctx, trx, actor, {
      action: approve ? "article.publish" : "article.return",
      targetType: "article",
      targetId: id,
      detail: { before: { status: "submitted" }, after: { status }, reason: input.reason || undefined },
    });
    await notify(ctx, trx, {
      userIds: await authorAccounts(trx, row),
      kind: approve ? "article.published" : "article.returned",
      title: approve ? "文章已发布" : "文章被退回",
      body: approve ? `文章“${row.title}”已通过审核并发布。` : `文章“${row.title}”被退回：${input.reason}`,
      link: approve ? `/articles/${id}` : `/my-articles/${id}`,
    });
  });
}

/** 撤回: the author takes a submitted article back to a draft, before a moderator decides. */
export async function recallArticle(
  ctx: AppContext,
  actor: Actor,
  id: string,
  version: number,
): Promise<void> {
  const who = await articleActorOf(ctx, actor.user);
  const row = await loadArticle(ctx.db, id);
  if (!row || !who || !isOwnArticle(who, factsOf(row))) return missing(ctx, actor, id, !!row);
  if (!canRecallArticle(who, factsOf(row)) || row.version !== version)
    throw new AppError("CONFLICT", CONFLICT);
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable("articles")
      .set({ status: "draft", submitted_at: null, updated_at: now, version: row.version + 1 })
      .where("id", "=", id)
      .where("status", "=", "submitted")
      .where("version", "=", version)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw new AppError("CONFLICT", CONFLICT);
    await recordAudit(ctx, trx, actor, {
      action: "article.recall",
      targetType: "article",
      targetId: id,
      detail: { before: { status: "submitted" }, after: { status: "draft" } },
    });
  });
}

/**
 * 下线: a published article leaves the public pages (lists, feed, the base's page) at once and goes
 * back to its author as 已退回 with the reason. Its author or a moderator in scope may do it.
 */
export async function unpublishArticle(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { reason: string; version: number },
): Promise<void> {
  const who = await articleActorOf(ctx, actor.user);
  const row = await loadArticle(ctx.db, id);
  const facts = row && factsOf(row);
  if (!row || !facts || !who || !(isOwnArticle(who, facts) || canModerate(who, facts)))
    return missing(ctx, actor, id, !!row);
  if (!canUnpublishArticle(who, facts) || row.version !== input.version)
    throw new AppError("CONFLICT", CONFLICT);
  const byAuthor = isOwnArticle(who, facts);
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable("articles")
      .set({
        status: "returned",
        return_reason: input.reason,
        published_at: null,
        updated_at: now,
        version: row.version + 1,
      })
      .where("id", "=", id)
      .where("status", "=", "published")
      .where("version", "=", input.version)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw new AppError("CONFLICT", CONFLICT);
    await bumpGeneration(trx, "articles");
    await recordAudit(ctx, trx, actor, {
      action: "article.unpublish",
      targetType: "article",
      targetId: id,
      detail: { before: { status: "published" }, after: { status: "returned" }, reason: input.reason },
    });
    if (!byAuthor)
      await notify(ctx, trx, {
        userIds: await authorAccounts(trx, row),
        kind: "article.unpublished",
        title: "文章已下线",
        body: `文章“${row.title}”已下线：${input.reason}`,
        link: `/my-articles/${id}`,
      });
  });
}

/** The accounts that hear about an article: every account of its base, or its staff author. */
async function authorAccounts(db: Kysely<DB>, row: Article): Promise<string[]> {
  if (!row.base_id) return [row.author_id];
  const rows = await db
    .selectFrom("base_accounts")
    .select("user_id")
    .where("base_id", "=", row.base_id)
    .execute();
  return rows.map((r) => r.user_id);
}

// ---- public ----

export interface ArticlePage {
  items: ArticleSummary[];
  total: number;
  page: number;
  pageSize: number;
}

/** 新闻动态 … 基地联合会: published articles, newest first, one column or all. */
export async function listPublishedArticles(
  ctx: AppContext,
  filter: { column?: ArticleColumn; page?: number },
): Promise<ArticlePage> {
  let q = ctx.db.selectFrom("articles").where("status", "=", "published");
  if (filter.column) q = q.where("column_key", "=", filter.column);
  const page = filter.page ?? 1;
  const [count, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    q
      .selectAll()
      .orderBy("published_at", "desc")
      .orderBy("id", "desc")
      .limit(ARTICLE_PAGE_SIZE)
      .offset((page - 1) * ARTICLE_PAGE_SIZE)
      .execute(),
  ]);
  return { items: rows.map(summaryView), total: Number(count.n), page, pageSize: ARTICLE_PAGE_SIZE };
}

/** The latest published articles: the home page, a base's page (`baseId`), the feed. */
export async function latestArticles(
  ctx: AppContext,
  opts: { limit: number; baseId?: string },
): Promise<ArticleSummary[]> {
  let q = ctx.db.selectFrom("articles").selectAll().where("status", "=", "published");
  if (opts.baseId) q = q.where("base_id", "=", opts.baseId);
  const rows = await q.orderBy("published_at", "desc").orderBy("id", "desc").limit(opts.limit).execute();
  return rows.map(summaryView);
}

/** The feed's entries, with their bodies. */
export async function feedArticles(ctx: AppContext): Promise<ArticleView[]> {
  const rows = await ctx.db
    .selectFrom("articles")
    .selectAll()
    .where("status", "=", "published")
    .orderBy("published_at", "desc")
    .orderBy("id", "desc")
    .limit(FEED_SIZE)
    .execute();
  return rows.map(fullView);
}

/** An article's page: public once published; before that its authors and the moderators in scope. */
export async function getArticle(ctx: AppContext, actor: Actor, id: string): Promise<ArticleView> {
  const row = await loadArticle(ctx.db, id);
  if (row?.status === "published") return fullView(row);
  const who = await articleActorOf(ctx, actor.user);
  if (!row || !canReadArticle(who, factsOf(row))) return missing(ctx, actor, id, !!row);
  return fullView(row);
}

// ---- files: the images of an article's body ----

/** Read: anyone once published; before that as `canReadArticle`. Returns the region. */
export async function articleImageReadRegion(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<string | null> {
  const row = await loadArticle(ctx.db, id);
  if (!row) return null;
  if (row.status === "published") return row.region_code;
  const who = await articleActorOf(ctx, actor.user);
  return canReadArticle(who, factsOf(row)) ? row.region_code : null;
}

/** Write: the authors, while the article is a draft or returned. */
export async function articleImageWriteRegion(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<string | null> {
  const row = await loadArticle(ctx.db, id);
  const who = await articleActorOf(ctx, actor.user);
  if (!row || !who) return null;
  if (row.base_id) {
    const base = await ctx.db
      .selectFrom("bases")
      .select("status")
      .where("id", "=", row.base_id)
      .executeTakeFirst();
    if (base?.status === "revoked") return null;
  }
  return canEditArticle(who, factsOf(row)) ? row.region_code : null;
}
