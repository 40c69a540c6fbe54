import { Badge, Space } from "antd";
import { Link } from "react-router";
import { listStaffNotices } from "#src/modules/notices/notices.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { NoticePhaseTag } from "~/components/notice-phase-tag";
import { ButtonLink, PageTitle } from "~/components/plain";
import { StackedTable } from "~/components/stacked-table";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-notices";

export const meta: Route.MetaFunction = () => [{ title: "公示管理 - 科普基地服务平台" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "notices:manage");
  const notices = await orFail(listStaffNotices(context.app, actorOf(context)));
  return {
    notices: notices.map((n) => ({
      id: n.id,
      kind: n.kind,
      title: n.title,
      phase: n.phase,
      start: formatShanghai(n.starts_at).slice(0, 10),
      end: formatShanghai(new Date(new Date(n.ends_at).getTime() - 1)).slice(0, 10),
      pendingObjections: n.pendingObjections,
    })),
  };
}

export default function AdminNotices({ loaderData }: Route.ComponentProps) {
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between" }} wrap>
        <PageTitle style={{ margin: 0 }}>公示管理</PageTitle>
        <Space wrap>
          <ButtonLink to="/admin/notices/export.xlsx" reloadDocument>
            导出
          </ButtonLink>
          <ButtonLink to="/admin/notices/objections.xlsx" reloadDocument>
            导出异议
          </ButtonLink>
          <ButtonLink to="/admin/notices/new" type="primary">
            发布公示
          </ButtonLink>
        </Space>
      </Space>
      <StackedTable
        style={{ marginTop: 16 }}
        rowKey="id"
        dataSource={loaderData.notices}
        pagination={false}
        scroll={{ x: 720 }}
        locale={{ emptyText: "尚未发布公示" }}
        columns={[
          {
            title: "标题",
            dataIndex: "title",
            render: (t, n) => <Link to={`/admin/notices/${n.id}`}>{t}</Link>,
          },
          {
            title: "公示期",
            key: "period",
            render: (_, n) => (n.kind === "naming" ? `${n.start} 发布` : `${n.start} 至 ${n.end}`),
          },
          { title: "状态", dataIndex: "phase", render: (p) => <NoticePhaseTag phase={p} /> },
          {
            title: "待核实异议",
            dataIndex: "pendingObjections",
            render: (n: number) => (n ? <Badge count={n} /> : "—"),
          },
        ]}
      />
    </>
  );
}
