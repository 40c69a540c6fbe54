import { Link } from "react-router";
import { ARTICLE_STATUS_LABELS } from "#src/modules/articles/articles.rules.ts";
import { listArticleReviews } from "#src/modules/articles/articles.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { PageTitle } from "~/components/plain";
import { StackedTable } from "~/components/stacked-table";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-articles";

export const meta: Route.MetaFunction = () => [{ title: "文章审核 - 科普基地服务平台" }];

const TABS = ["submitted", "published", "returned"] as const;

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "articles:review");
  const sp = new URL(request.url).searchParams;
  const status = TABS.find((s) => s === sp.get("status")) ?? "submitted";
  const items = await orFail(listArticleReviews(context.app, actorOf(context), status));
  return {
    status,
    items: items.map((a) => ({
      id: a.id,
      title: a.title,
      columnLabel: a.columnLabel,
      authorName: a.authorName,
      at: formatShanghai(status === "submitted" ? a.submittedAt : a.updatedAt),
    })),
  };
}

export default function AdminArticles({ loaderData }: Route.ComponentProps) {
  const { status } = loaderData;
  return (
    <>
      <PageTitle>文章审核</PageTitle>
      <nav aria-label="审核状态" className="kepu-column-nav">
        {TABS.map((s) => (
          <Link key={s} to={`?status=${s}`} aria-current={s === status ? "page" : undefined}>
            {ARTICLE_STATUS_LABELS[s]}
          </Link>
        ))}
      </nav>
      <StackedTable
        rowKey="id"
        dataSource={loaderData.items}
        pagination={false}
        locale={{ emptyText: status === "submitted" ? "没有待审核的文章" : "没有文章" }}
        columns={[
          {
            title: "标题",
            dataIndex: "title",
            render: (t: string, a) => <Link to={`/admin/articles/${a.id}`}>{t}</Link>,
          },
          { title: "栏目", dataIndex: "columnLabel" },
          { title: "作者", dataIndex: "authorName" },
          { title: status === "submitted" ? "提交时间" : "更新时间", dataIndex: "at" },
        ]}
      />
    </>
  );
}
