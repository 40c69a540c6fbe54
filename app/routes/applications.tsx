import { Empty } from "antd";
import { redirect } from "react-router";
import { listMyApplications } from "#src/modules/applications/applications.server.ts";
import { formatDeadline } from "#src/modules/calls/calls.rules.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import type { ApplicationStatus } from "#src/platform/db/schema.ts";
import { ButtonLink, PageTitle } from "~/components/plain";
import { StackedTable } from "~/components/stacked-table";
import { StatusTag } from "~/components/status-tag";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/applications";

export const meta: Route.MetaFunction = () => [{ title: "我的申报 - 科普基地服务平台" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await requireUser(context, request);
  if (user.role !== "org") throw redirect("/review");
  const rows = await orFail(listMyApplications(context.app, actorOf(context)));
  return {
    rows: rows.map((r) => ({
      id: r.id,
      applicationNo: r.application_no ?? "",
      callTitle: r.call_title,
      baseName: r.base_name || "（未填写基地名称）",
      status: r.status,
      editable: r.status === "draft" || r.status === "returned",
      updatedAt: formatShanghai(r.updated_at),
      returnDeadline: formatDeadline(r.return_deadline),
    })),
  };
}

export default function Applications({ loaderData }: Route.ComponentProps) {
  return (
    <>
      <PageTitle>我的申报</PageTitle>
      {loaderData.rows.length === 0 ? (
        <Empty description="还没有申报。请在【项目大厅】→【项目申报】中找到项目，点击【查看】→【我要申报】。">
          <ButtonLink to="/projects/calls" type="primary">
            去项目申报
          </ButtonLink>
        </Empty>
      ) : (
        <StackedTable
          rowKey="id"
          dataSource={loaderData.rows}
          pagination={false}
          scroll={{ x: 640 }}
          columns={[
            { title: "申报编号", dataIndex: "applicationNo", render: (v: string) => v || "提交后生成" },
            { title: "申报项目", dataIndex: "callTitle" },
            { title: "基地名称", dataIndex: "baseName" },
            {
              title: "状态",
              dataIndex: "status",
              render: (s: ApplicationStatus, r) => (
                <>
                  <StatusTag status={s} />
                  {s === "returned" && r.returnDeadline && (
                    <div style={{ fontSize: 12 }}>重新提交{r.returnDeadline}</div>
                  )}
                </>
              ),
            },
            { title: "更新时间", dataIndex: "updatedAt" },
            {
              title: "操作",
              key: "op",
              render: (_, r) => (
                <ButtonLink
                  to={r.editable ? `/applications/${r.id}/edit` : `/applications/${r.id}`}
                  size="small"
                >
                  {r.editable ? "继续填写" : "查看"}
                </ButtonLink>
              ),
            },
          ]}
        />
      )}
    </>
  );
}
