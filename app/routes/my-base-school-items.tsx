import { Alert, Card, Empty, Table, Tag, Typography } from "antd";
import { Link, useSearchParams } from "react-router";
import { listOwnItems } from "#src/modules/schools/school-items.server.ts";
import { ITEM_STATUS_LABELS } from "#src/modules/schools/schools.rules.ts";
import { ButtonLink, PageTitle } from "~/components/plain";
import { toMyBaseWhenMissing } from "~/lib/own-base.server";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/my-base-school-items";

export const meta: Route.MetaFunction = () => [{ title: "科普助力双减项目 - 科普基地服务平台" }];

const STATUS_COLORS = {
  draft: "default",
  pending: "gold",
  approved: "green",
  returned: "red",
  withdrawn: "default",
} as const;

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "bases:own");
  const { base, items } = await orFail(
    listOwnItems(context.app, actorOf(context)).catch(toMyBaseWhenMissing),
  );
  return {
    base: { id: base.id, name: base.name },
    items: items.map((i) => ({
      id: i.id,
      title: i.title,
      kindLabel: i.kindLabel,
      status: i.status,
      reviewReason: i.reviewReason,
      rating: i.rating,
      ratingCount: i.ratingCount,
    })),
  };
}

export default function MyBaseSchoolItems({ loaderData }: Route.ComponentProps) {
  const { base, items } = loaderData;
  const [sp] = useSearchParams();
  return (
    <>
      <PageTitle>科普助力双减 · 课程与服务</PageTitle>
      <Typography.Paragraph type="secondary">
        {base.name}
        面向中小学校的课程与服务。提交后由所在县（市、区）科协审核，通过后在【特色专区】→【科普助力双减】公开，学校即可点单。
      </Typography.Paragraph>
      {sp.get("saved") && <Alert type="success" showIcon title="已提交审核" style={{ marginBottom: 16 }} />}
      <div style={{ marginBottom: 12, display: "flex", gap: 8, flexWrap: "wrap" }}>
        <ButtonLink to="/my-base/school-items/new" type="primary">
          新增项目
        </ButtonLink>
        <ButtonLink to="/my-base/school-orders">学校点单</ButtonLink>
      </div>
      <Card size="small">
        {items.length === 0 ? (
          <Empty description="还没有项目" />
        ) : (
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            scroll={{ x: true }}
            dataSource={items}
            columns={[
              {
                title: "项目名称",
                key: "title",
                render: (_, i) => <Link to={`/my-base/school-items/${i.id}`}>{i.title}</Link>,
              },
              { title: "服务方式", dataIndex: "kindLabel", key: "kind" },
              {
                title: "状态",
                key: "status",
                render: (_, i) => (
                  <>
                    <Tag color={STATUS_COLORS[i.status]}>{ITEM_STATUS_LABELS[i.status]}</Tag>
                    {i.reviewReason && <div style={{ fontSize: 12 }}>退回理由：{i.reviewReason}</div>}
                  </>
                ),
              },
              {
                title: "评分",
                key: "rating",
                render: (_, i) => (i.rating === null ? "暂无" : `${i.rating}（${i.ratingCount}条）`),
              },
            ]}
          />
        )}
      </Card>
    </>
  );
}
