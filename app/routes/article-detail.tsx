import { Alert } from "antd";
import { Link } from "react-router";
import { ARTICLE_STATUS_LABELS } from "#src/modules/articles/articles.rules.ts";
import { getArticle } from "#src/modules/articles/articles.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { PageTitle, PlainTag } from "~/components/plain";
import { actorOf, orFail } from "~/lib/route.server";
import type { Route } from "./+types/article-detail";

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `${data?.article.title ?? "文章"} - 科普基地服务平台` },
  ...(data?.article.summary ? [{ name: "description", content: data.article.summary }] : []),
];

export async function loader({ params, context }: Route.LoaderArgs) {
  const a = await orFail(getArticle(context.app, actorOf(context), params.id));
  return {
    article: {
      id: a.id,
      title: a.title,
      summary: a.summary,
      column: a.column,
      columnLabel: a.columnLabel,
      authorName: a.authorName,
      baseId: a.baseId,
      status: a.status,
      date: a.publishedAt ? formatShanghai(a.publishedAt).slice(0, 10) : null,
      // Sanitized by the module when read (articles.sanitize.ts), never the stored text as is.
      bodyHtml: a.bodyHtml,
    },
  };
}

export default function ArticleDetail({ loaderData }: Route.ComponentProps) {
  const a = loaderData.article;
  return (
    <article>
      <p style={{ margin: 0 }}>
        <Link to="/articles">新闻与交流</Link> /{" "}
        <Link to={`/articles?column=${a.column}`}>{a.columnLabel}</Link>
      </p>
      <PageTitle>{a.title}</PageTitle>
      <p className="kepu-muted kepu-small">
        <PlainTag color="blue">{a.columnLabel}</PlainTag>
        {a.baseId ? <Link to={`/bases/${a.baseId}`}>{a.authorName}</Link> : a.authorName}
        {a.date && (
          <>
            {" · "}
            <time dateTime={a.date}>{a.date}</time>
          </>
        )}
      </p>
      {a.status !== "published" && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={`预览：该文章${ARTICLE_STATUS_LABELS[a.status]}，尚未公开`}
        />
      )}
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: the body passed the sanitize-html allowlist on the server when it was read */}
      <div className="kepu-article-body" dangerouslySetInnerHTML={{ __html: a.bodyHtml }} />
    </article>
  );
}
