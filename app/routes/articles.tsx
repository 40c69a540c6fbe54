import { Link } from "react-router";
import { ARTICLE_COLUMNS, COLUMN_LABELS } from "#src/modules/articles/articles.rules.ts";
import { articleListSchema } from "#src/modules/articles/articles.schema.ts";
import { listPublishedArticles } from "#src/modules/articles/articles.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { ArticleList } from "~/components/article-list";
import { PagerLinks, PageTitle, PlainText } from "~/components/plain";
import type { Route } from "./+types/articles";

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `${data?.columnLabel ?? "新闻与交流"} - 科普基地服务平台` },
];

export const links: Route.LinksFunction = () => [
  { rel: "alternate", type: "application/atom+xml", title: "新闻与交流", href: "/articles/feed.xml" },
];

export async function loader({ request, context }: Route.LoaderArgs) {
  const sp = new URL(request.url).searchParams;
  const filter = articleListSchema.parse({
    column: sp.get("column") ?? undefined,
    page: sp.get("page") ?? undefined,
  });
  const page = await listPublishedArticles(context.app, filter);
  return {
    column: filter.column ?? null,
    columnLabel: filter.column ? COLUMN_LABELS[filter.column] : null,
    page: page.page,
    pageSize: page.pageSize,
    total: page.total,
    items: page.items.map((a) => ({
      id: a.id,
      title: a.title,
      columnLabel: a.columnLabel,
      authorName: a.authorName,
      summary: a.summary,
      date: formatShanghai(a.publishedAt).slice(0, 10),
    })),
  };
}

export default function Articles({ loaderData }: Route.ComponentProps) {
  const { column } = loaderData;
  return (
    <>
      <PageTitle>{loaderData.columnLabel ?? "新闻与交流"}</PageTitle>
      <PlainText block secondary style={{ marginBottom: 12 }}>
        各基地和科协的新闻动态，基地间的经验交流、理论研讨与基地联合会活动（《管理办法》第十四条）。
        <a href="/articles/feed.xml">订阅（Atom）</a>
      </PlainText>
      <nav aria-label="栏目" className="kepu-column-nav">
        <Link to="/articles" aria-current={column === null ? "page" : undefined}>
          全部
        </Link>
        {ARTICLE_COLUMNS.map((c) => (
          <Link key={c} to={`/articles?column=${c}`} aria-current={column === c ? "page" : undefined}>
            {COLUMN_LABELS[c]}
          </Link>
        ))}
      </nav>
      <ArticleList items={loaderData.items} label="文章列表" empty="该栏目暂无文章。" />
      {loaderData.total > loaderData.pageSize && (
        <PagerLinks
          page={loaderData.page}
          pageSize={loaderData.pageSize}
          total={loaderData.total}
          unit="篇"
        />
      )}
    </>
  );
}
