import type { Insertable } from "kysely";
import type { AppContext } from "#src/platform/context.ts";
import type { ArticleColumn, ArticleStatus, ArticlesTable } from "#src/platform/db/schema.ts";
import { newId } from "#src/platform/ids.ts";
import { sanitizeArticleHtml, summaryOf } from "../articles/articles.sanitize.ts";

interface DemoArticle {
  column: ArticleColumn;
  title: string;
  body: string;
  /** Written by the demo base's account (衢州市科技馆), else by the office. */
  byBase: boolean;
  status: ArticleStatus;
  daysAgo: number;
}

const ARTICLES: DemoArticle[] = [
  {
    column: "news",
    title: "衢州市科技馆开展全国科普日主题活动（演示数据）",
    body: "<p>全国科普日期间，衢州市科技馆推出“科学点亮生活”主题展览和互动实验，免费向公众开放。</p><h2>活动亮点</h2><ul><li>机器人编程体验</li><li>天文望远镜观测</li><li>应急安全知识问答</li></ul>",
    byBase: true,
    status: "published",
    daysAgo: 2,
  },
  {
    column: "news",
    title: "市基地认定办公室部署第八批基地创建工作（演示数据）",
    body: "<p>市基地认定办公室召开专题会议，部署第八批衢州市科普教育基地创建工作，要求各县（市、区）科协做好推荐把关。</p>",
    byBase: false,
    status: "published",
    daysAgo: 5,
  },
  {
    column: "experience",
    title: "用“馆校合作”把科学课搬进展厅（演示数据）",
    body: "<p>我馆与周边中小学签订馆校合作协议，按学段设计研学单，由科技辅导员带队讲解。</p><blockquote><p>让孩子们在展品前动手，比在课堂上听讲印象更深。</p></blockquote><p>一年来累计接待学生研学 120 批次。</p>",
    byBase: true,
    status: "published",
    daysAgo: 9,
  },
  {
    column: "research",
    title: "基层科普教育基地可持续运营的几点思考（演示数据）",
    body: "<p>基地运营需要稳定的经费、专业的队伍和持续更新的内容。本文结合衢州实践，提出“以活动带开放、以评价促提升”的思路。</p><ol><li>建立科普志愿者队伍</li><li>用好年度评价结果</li><li>推动基地间资源共享</li></ol>",
    byBase: false,
    status: "published",
    daysAgo: 14,
  },
  {
    column: "federation",
    title: "衢州市科普教育基地联合会召开年度会员大会（演示数据）",
    body: "<p>联合会总结全年工作，交流各基地开放服务经验，并商议下一年度联合巡展计划。</p>",
    byBase: false,
    status: "published",
    daysAgo: 20,
  },
  {
    column: "experience",
    title: "科技志愿服务队如何常态化开展活动（演示数据）",
    body: "<p>我馆科技志愿服务队每月固定两次进社区、进校园，志愿者按专长编组，服务时长在平台登记确认。</p>",
    byBase: true,
    status: "submitted",
    daysAgo: 1,
  },
];

/** 演示数据: a few articles in each column, one waiting for 柯城区科协's approval. */
export async function seedDemoArticles(ctx: AppContext): Promise<void> {
  const office = await ctx.db
    .selectFrom("users")
    .select(["id", "region_code"])
    .where("username", "=", "office")
    .executeTakeFirst();
  const base = await ctx.db
    .selectFrom("base_accounts")
    .innerJoin("bases", "bases.id", "base_accounts.base_id")
    .select(["bases.id", "bases.name", "bases.region_code", "base_accounts.user_id"])
    // The demo base with an account of its own (seed-demo-activities).
    .where("bases.unit_name", "like", "衢州市科技馆%")
    .orderBy("base_accounts.created_at")
    .executeTakeFirst();
  if (!office) return;
  const now = ctx.clock.now().getTime();
  const rows: Insertable<ArticlesTable>[] = [];
  for (const a of ARTICLES) {
    if (a.byBase && !base) continue;
    const at = new Date(now - a.daysAgo * 86400_000).toISOString();
    const body = sanitizeArticleHtml(a.body);
    rows.push({
      id: newId(),
      column_key: a.column,
      title: a.title,
      summary: summaryOf(body),
      body_html: body,
      base_id: a.byBase ? base!.id : null,
      region_code: a.byBase ? base!.region_code : office.region_code,
      author_id: a.byBase ? base!.user_id : office.id,
      author_name: a.byBase ? base!.name : "市基地认定办公室",
      status: a.status,
      return_reason: null,
      reviewed_by: a.status === "published" ? office.id : null,
      reviewed_at: a.status === "published" ? at : null,
      submitted_at: at,
      published_at: a.status === "published" ? at : null,
      created_at: at,
      updated_at: at,
    });
  }
  if (rows.length) await ctx.db.insertInto("articles").values(rows).execute();
}
