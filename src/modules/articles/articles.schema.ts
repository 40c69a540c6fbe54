import { z } from "zod";
import type { ArticleColumn } from "#src/platform/db/schema.ts";
import { line, multiline } from "#src/platform/text.schema.ts";
import { ARTICLE_COLUMNS } from "./articles.rules.ts";

const COLUMNS = ARTICLE_COLUMNS as unknown as [ArticleColumn, ...ArticleColumn[]];

export const TITLE_MAX = 80;
/** The body's HTML, as posted by the editor (before sanitizing). */
export const BODY_MAX = 200_000;

const column = z.enum(COLUMNS, { error: "请选择栏目" });

const body = z.string().max(BODY_MAX, "正文过长，请删减后再保存").default("");

/** 保存草稿 and the autosave: everything may still be empty. */
export const articleDraftSchema = z.object({
  column,
  title: line().trim().max(TITLE_MAX, `标题不能超过${TITLE_MAX}个字`).default(""),
  body,
});
export type ArticleDraftInput = z.infer<typeof articleDraftSchema>;

/** 新建文章: the column and the title start the draft. */
export const newArticleSchema = z.object({
  column,
  title: line({ error: "请填写标题" })
    .trim()
    .min(1, "请填写标题")
    .max(TITLE_MAX, `标题不能超过${TITLE_MAX}个字`),
});

export const reviewArticleSchema = z
  .object({
    decision: z.enum(["approve", "return"], { error: "请选择审核结果" }),
    reason: multiline().trim().max(500, "退回理由不能超过500个字").default(""),
    version: z.coerce.number().int(),
  })
  .refine((v) => v.decision === "approve" || v.reason.length > 0, {
    path: ["reason"],
    message: "退回时请填写退回理由",
  });

/** 下线 needs a reason: the author reads it, as with 退回. */
export const unpublishArticleSchema = z.object({
  reason: multiline().trim().min(1, "请填写下线理由").max(500, "下线理由不能超过500个字"),
  version: z.coerce.number().int(),
});

export const articleListSchema = z.object({
  column: z.enum(COLUMNS).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});
