import { Space, Tag } from "antd";
import { Link } from "react-router";
import { CALL_STATE_LABELS, type CallState, formatDeadline } from "#src/modules/calls/calls.rules.ts";
import { listManagedCalls } from "#src/modules/calls/calls.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { ButtonLink, PageTitle } from "~/components/plain";
import { StackedTable } from "~/components/stacked-table";
import { actorOf, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-calls";

export const meta: Route.MetaFunction = () => [{ title: "申报项目管理 - 科普基地服务平台" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "calls:manage");
  const calls = await listManagedCalls(context.app, actorOf(context));
  return {
    rows: calls.map((c) => ({
      id: c.id,
      title: c.title,
      kind: c.kind,
      state: c.state,
      period: `${formatShanghai(c.opens_at)} 起，${formatDeadline(c.closes_at)}`,
    })),
  };
}

export default function AdminCalls({ loaderData }: Route.ComponentProps) {
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between" }} wrap>
        <PageTitle style={{ margin: 0 }}>申报项目管理</PageTitle>
        <Space wrap>
          <ButtonLink to="/admin/calls/export.xlsx" reloadDocument>
            导出
          </ButtonLink>
          <ButtonLink to="/admin/calls/new" type="primary">
            新建申报项目
          </ButtonLink>
        </Space>
      </Space>
      <StackedTable
        style={{ marginTop: 16 }}
        rowKey="id"
        dataSource={loaderData.rows}
        pagination={false}
        scroll={{ x: 700 }}
        columns={[
          {
            title: "项目名称",
            dataIndex: "title",
            render: (v, r) => <Link to={`/admin/calls/${r.id}`}>{v}</Link>,
          },
          { title: "类型", dataIndex: "kind" },
          { title: "申报时间", dataIndex: "period" },
          {
            title: "状态",
            dataIndex: "state",
            render: (s: CallState) => (
              <Tag color={s === "open" ? "green" : s === "closed" ? "red" : "default"}>
                {CALL_STATE_LABELS[s]}
              </Tag>
            ),
          },
        ]}
      />
    </>
  );
}
