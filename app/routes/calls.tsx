import { Tag } from "antd";
import { CALL_STATE_LABELS, type CallState, formatDeadline } from "#src/modules/calls/calls.rules.ts";
import { listCalls } from "#src/modules/calls/calls.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { ButtonLink, PageTitle } from "~/components/plain";
import { StackedTable } from "~/components/stacked-table";
import type { Route } from "./+types/calls";

export const meta: Route.MetaFunction = () => [{ title: "项目申报 - 项目大厅 - 科普基地服务平台" }];

const STATE_COLORS: Record<CallState, string> = { upcoming: "default", open: "green", closed: "red" };

export async function loader({ context }: Route.LoaderArgs) {
  const calls = await listCalls(context.app);
  return {
    calls: calls.map((c) => ({
      id: c.id,
      kind: c.kind,
      title: c.title,
      state: c.state,
      opensAt: formatShanghai(c.opens_at),
      closesAt: formatDeadline(c.closes_at),
    })),
  };
}

export default function Calls({ loaderData }: Route.ComponentProps) {
  return (
    <>
      <PageTitle>项目申报</PageTitle>
      <StackedTable
        rowKey="id"
        dataSource={loaderData.calls}
        pagination={false}
        scroll={{ x: 640 }}
        locale={{ emptyText: "暂无申报项目" }}
        columns={[
          {
            title: "项目名称",
            dataIndex: "kind",
            render: (kind, c) => (
              <>
                <div>{kind}</div>
                <div className="kepu-muted kepu-small">{c.title}</div>
              </>
            ),
          },
          { title: "申报时间", key: "time", render: (_, c) => `${c.opensAt} 起，${c.closesAt}` },
          {
            title: "状态",
            dataIndex: "state",
            render: (s: CallState) => <Tag color={STATE_COLORS[s]}>{CALL_STATE_LABELS[s]}</Tag>,
          },
          {
            title: "操作",
            key: "op",
            render: (_, c) => (
              <ButtonLink to={`/projects/calls/${c.id}`} size="small">
                查看
              </ButtonLink>
            ),
          },
        ]}
      />
    </>
  );
}
