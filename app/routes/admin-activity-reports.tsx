import { Space, Tabs } from "antd";
import { Link } from "react-router";
import { ACTIVITY_TYPE_LABELS } from "#src/modules/activities/activities.rules.ts";
import { listReportQueue } from "#src/modules/activities/activities.server.ts";
import { formatSpan } from "#src/modules/activities/activities.view.server.ts";
import { reportTabOf } from "#src/modules/activities/activity-reports-export.server.ts";
import { listRegions } from "#src/modules/regions/regions.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { ButtonLink, PageTitle } from "~/components/plain";
import { StackedTable } from "~/components/stacked-table";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-activity-reports";

export const meta: Route.MetaFunction = () => [{ title: "活动小结审核 - 科普基地服务平台" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "activities:review");
  const status = reportTabOf(new URL(request.url).searchParams);
  const rows = await orFail(listReportQueue(context.app, actorOf(context), { status }));
  const names = new Map((await listRegions(context.app)).map((r) => [r.code, r.name]));
  return {
    status,
    rows: rows.map((r) => ({
      id: r.id,
      name: r.name,
      baseName: r.base_name,
      county: names.get(r.region_code) ?? r.region_code,
      type: ACTIVITY_TYPE_LABELS[r.type],
      when: formatSpan(r.starts_at, r.ends_at),
      participants: r.actual_participants,
      submittedAt: formatShanghai(r.report_submitted_at).slice(0, 16),
    })),
  };
}

export default function AdminActivityReports({ loaderData }: Route.ComponentProps) {
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between" }} wrap>
        <PageTitle style={{ margin: 0 }}>活动小结审核</PageTitle>
        <ButtonLink to={`/admin/activity-reports/export.xlsx?status=${loaderData.status}`} reloadDocument>
          导出
        </ButtonLink>
      </Space>
      <Tabs
        activeKey={loaderData.status}
        items={[
          { key: "submitted", label: <Link to="?status=submitted">待审核</Link> },
          { key: "returned", label: <Link to="?status=returned">已退回</Link> },
          { key: "accepted", label: <Link to="?status=accepted">已通过</Link> },
        ]}
      />
      <StackedTable
        rowKey="id"
        size="small"
        dataSource={loaderData.rows}
        pagination={false}
        scroll={{ x: 800 }}
        locale={{ emptyText: "暂无活动小结" }}
        columns={[
          {
            title: "活动名称",
            dataIndex: "name",
            render: (n: string, r) => <Link to={`/admin/activity-reports/${r.id}`}>{n}</Link>,
          },
          { title: "基地", dataIndex: "baseName" },
          { title: "区域", dataIndex: "county" },
          { title: "类型", dataIndex: "type" },
          { title: "活动时间", dataIndex: "when" },
          { title: "参与人数", dataIndex: "participants" },
          { title: "提交时间", dataIndex: "submittedAt" },
        ]}
      />
    </>
  );
}
