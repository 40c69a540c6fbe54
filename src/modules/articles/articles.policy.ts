import { can } from "#src/modules/accounts/accounts.policy.ts";
import type { SessionUser } from "#src/platform/context.ts";
import type { ArticleStatus } from "#src/platform/db/schema.ts";
import { canRecall, canUnpublish, isEditable, isReviewable } from "./articles.rules.ts";

/**
 * Who may do what with one article. A base's article belongs to the base: every account of the base
 * edits it. A staff member's article belongs to its author. County staff moderate the articles of
 * their county (its bases' and its staff's); city staff and the office moderate the whole city.
 * Nobody approves an article of their own.
 */
export interface ArticleFacts {
  authorId: string;
  baseId: string | null;
  regionCode: string;
  status: ArticleStatus;
}

export interface ArticleActor {
  user: SessionUser;
  /** The user's own base, for an organization; null otherwise. */
  ownBaseId: string | null;
  /** The region codes the user moderates (its region and below). */
  scope: readonly string[];
}

export function isOwnArticle(actor: ArticleActor, a: ArticleFacts): boolean {
  if (!can(actor.user, "articles:write")) return false;
  if (a.baseId) return actor.user.role === "org" && actor.ownBaseId === a.baseId;
  return actor.user.role !== "org" && a.authorId === actor.user.id;
}

export function canEditArticle(actor: ArticleActor, a: ArticleFacts): boolean {
  return isOwnArticle(actor, a) && isEditable(a.status);
}

/** May see the article under moderation (any state but draft), in scope. */
export function canModerate(actor: ArticleActor, a: ArticleFacts): boolean {
  return can(actor.user, "articles:review") && actor.scope.includes(a.regionCode);
}

export function canReviewArticle(actor: ArticleActor, a: ArticleFacts): boolean {
  return canModerate(actor, a) && a.authorId !== actor.user.id && isReviewable(a.status);
}

/** Anyone reads a published article; before that its authors and the moderators in scope (not a draft). */
export function canReadArticle(actor: ArticleActor | null, a: ArticleFacts): boolean {
  if (a.status === "published") return true;
  if (!actor) return false;
  if (isOwnArticle(actor, a)) return true;
  return a.status !== "draft" && canModerate(actor, a);
}

/** 撤回 is the author's alone, while the article waits for review. */
export function canRecallArticle(actor: ArticleActor, a: ArticleFacts): boolean {
  return isOwnArticle(actor, a) && canRecall(a.status);
}

/** 下线: its author, or a moderator in scope (including one who approved it). */
export function canUnpublishArticle(actor: ArticleActor, a: ArticleFacts): boolean {
  return canUnpublish(a.status) && (isOwnArticle(actor, a) || canModerate(actor, a));
}
