import { Feed } from "feed";
import type { AppContext } from "#src/platform/context.ts";
import { feedArticles } from "./articles.server.ts";

/** The Atom feed of the published articles (all columns), newest first, with absolute links. */
export async function articlesAtom(ctx: AppContext): Promise<string> {
  const base = ctx.config.publicUrl.replace(/\/+$/, "");
  const items = await feedArticles(ctx);
  const updated = items[0]?.publishedAt ? new Date(items[0].publishedAt) : new Date(0);
  const feed = new Feed({
    title: "衢州市科普教育基地服务平台 · 新闻与经验交流",
    description: "新闻动态、经验交流、理论研讨、基地联合会",
    id: `${base}/articles`,
    link: `${base}/articles`,
    language: "zh-CN",
    updated,
    feedLinks: { atom: `${base}/articles/feed.xml` },
    copyright: "衢州市科学技术协会",
    generator: "kepu",
  });
  for (const a of items) {
    feed.addItem({
      title: a.title,
      id: `${base}/articles/${a.id}`,
      link: `${base}/articles/${a.id}`,
      description: a.summary,
      // Already sanitized; image paths made absolute so a reader outside the site can load them.
      content: a.bodyHtml.replace(/src="\/files\//g, `src="${base}/files/`),
      author: [{ name: a.authorName }],
      category: [{ term: a.column, name: a.columnLabel }],
      date: new Date(a.publishedAt ?? a.updatedAt),
    });
  }
  return feed.atom1();
}
