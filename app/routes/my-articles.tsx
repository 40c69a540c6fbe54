import { Button } from "antd";
import { Form, Link, redirect, useNavigation } from "react-router";
import { ARTICLE_STATUS_LABELS } from "#src/modules/articles/articles.rules.ts";
import { newArticleSchema } from "#src/modules/articles/articles.schema.ts";
import { createArticle, listOwnArticles } from "#src/modules/articles/articles.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { ArticleHeadFields } from "~/components/article-head-fields";
import { FormAlert } from "~/components/form-alert";
import { FieldLayout } from "~/components/form-field";
import { PageTitle, PlainTag, SectionTitle } from "~/components/plain";
import { StackedTable } from "~/components/stacked-table";
import { toMyBaseWhenMissing } from "~/lib/own-base.server";
import { actorOf, failWith, invalid, orFail, parseForm, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/my-articles";

export const meta: Route.MetaFunction = () => [{ title: "我的文章 - 科普基地服务平台" }];

const STATUS_COLORS = { draft: null, submitted: "gold", published: "green", returned: "red" } as const;

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "articles:write");
  const items = await orFail(listOwnArticles(context.app, actorOf(context)).catch(toMyBaseWhenMissing));
  return {
    items: items.map((a) => ({
      id: a.id,
      title: a.title,
      columnLabel: a.columnLabel,
      status: a.status,
      returnReason: a.returnReason,
      updatedAt: formatShanghai(a.updatedAt),
    })),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  await requireUser(context, request, "articles:write");
  const fd = await readForm(request);
  const parsed = parseForm(newArticleSchema, fd);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    const id = await createArticle(context.app, actorOf(context), parsed.data);
    return redirect(`/my-articles/${id}`);
  } catch (e) {
    return failWith(e, fd);
  }
}

export default function MyArticles({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const err = actionData?.fieldErrors ?? {};
  const v = actionData?.values ?? {};
  return (
    <>
      <PageTitle>我的文章</PageTitle>
      <p className="kepu-muted">
        撰写新闻动态、经验交流、理论研讨和基地联合会文章，提交后经科协审核发布在【
        <Link to="/articles">新闻与交流</Link>】。
      </p>
      <section aria-labelledby="new-h" style={{ maxWidth: 640, marginBottom: 24 }}>
        <SectionTitle id="new-h">新建文章</SectionTitle>
        <FormAlert failure={actionData} labels={{ column: "栏目", title: "标题" }} />
        <Form method="post" noValidate>
          <FieldLayout>
            <ArticleHeadFields errors={err} values={v} />
            <Button type="primary" htmlType="submit" loading={busy}>
              新建并编辑正文
            </Button>
          </FieldLayout>
        </Form>
      </section>
      <SectionTitle>文章列表</SectionTitle>
      <StackedTable
        rowKey="id"
        dataSource={loaderData.items}
        pagination={false}
        locale={{ emptyText: "暂无文章" }}
        columns={[
          {
            title: "标题",
            dataIndex: "title",
            // The article's own page: editing, 撤回 while it waits, 下线 once published.
            render: (t: string, a) => <Link to={`/my-articles/${a.id}`}>{t}</Link>,
          },
          { title: "栏目", dataIndex: "columnLabel" },
          {
            title: "状态",
            dataIndex: "status",
            render: (s: keyof typeof STATUS_COLORS, a) => (
              <>
                <PlainTag color={STATUS_COLORS[s]}>{ARTICLE_STATUS_LABELS[s]}</PlainTag>
                {a.returnReason && <div className="kepu-small">退回理由：{a.returnReason}</div>}
              </>
            ),
          },
          { title: "更新时间", dataIndex: "updatedAt" },
        ]}
      />
    </>
  );
}
