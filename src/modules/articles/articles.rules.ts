import type { ArticleColumn, ArticleStatus } from "#src/platform/db/schema.ts";

/**
 * 第十四条: 经验交流、理论研讨、基地联合会, and the platform's news. Pure rules: the columns, the
 * states an article moves through and who may move it.
 */

export const ARTICLE_COLUMNS: readonly ArticleColumn[] = ["news", "experience", "research", "federation"];

export const COLUMN_LABELS: Record<ArticleColumn, string> = {
  news: "新闻动态",
  experience: "经验交流",
  research: "理论研讨",
  federation: "基地联合会",
};

export const ARTICLE_STATUS_LABELS: Record<ArticleStatus, string> = {
  draft: "草稿",
  submitted: "待审核",
  published: "已发布",
  returned: "已退回",
};

export const isArticleColumn = (v: string | null | undefined): v is ArticleColumn =>
  !!v && (ARTICLE_COLUMNS as readonly string[]).includes(v);

/** The author edits (and autosaves) a draft or a returned article; a submitted or published one is fixed. */
export const isEditable = (status: ArticleStatus): boolean => status === "draft" || status === "returned";

/** 提交审核 from a draft or a returned article. */
export const canSubmit = (status: ArticleStatus): boolean => isEditable(status);

/** 通过 or 退回 only while the article waits for review. */
export const isReviewable = (status: ArticleStatus): boolean => status === "submitted";

/** 撤回: the author takes back an article that waits for review; it becomes a draft again. */
export const canRecall = (status: ArticleStatus): boolean => status === "submitted";

/**
 * 下线: a published article leaves the public pages and goes back to its author as 已退回, with
 * the reason, so it can be corrected and submitted again.
 */
export const canUnpublish = (status: ArticleStatus): boolean => status === "published";

/** The image slot of an article's body: pictures inserted through the editor. */
export const ARTICLE_IMAGE_SLOT = {
  id: "article_images",
  label: "文章图片",
  kinds: ["image"] as const,
  min: 0,
  max: 20,
};

export const ARTICLE_PAGE_SIZE = 20;
export const FEED_SIZE = 30;
