import { Card, Progress, Typography } from "antd";
import { useMemo } from "react";
import { Link } from "react-router";
import { countyTargets } from "#src/modules/applications/applications.server.ts";
import { getCall, listCalls } from "#src/modules/calls/calls.server.ts";
import { BarChart } from "~/components/bar-chart";
import { PageTitle } from "~/components/plain";
import { StackedTable } from "~/components/stacked-table";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/review-targets";

export const meta: Route.MetaFunction = () => [{ title: "各县（市、区）申报目标 - 科普基地服务平台" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "applications:review");
  const sp = new URL(request.url).searchParams;
  const callId = sp.get("call") || (await listCalls(context.app))[0]?.id;
  if (!callId) return { call: null, rows: [] };
  const call = await orFail(getCall(context.app, callId));
  const rows = await orFail(countyTargets(context.app, actorOf(context), callId));
  return { call: { id: call.id, title: call.title }, rows };
}

export default function ReviewTargets({ loaderData }: Route.ComponentProps) {
  const { call, rows } = loaderData;
  const categories = useMemo(() => rows.map((r) => r.name), [rows]);
  const series = useMemo(
    () => [
      { name: "已提交", data: rows.map((r) => r.submitted) },
      { name: "已推荐", data: rows.map((r) => r.recommended) },
    ],
    [rows],
  );
  const target = rows[0]?.target;
  return (
    <>
      <Typography.Text>
        <Link to="/review">申报审核</Link> / 各县（市、区）申报目标
      </Typography.Text>
      <PageTitle>{call?.title ?? "暂无申报项目"}</PageTitle>
      <Typography.Paragraph type="secondary">
        各县（市、区）基地新申报创建数不少于目标数（通知第三条第（三）项）。
      </Typography.Paragraph>
      <Card size="small" style={{ marginBottom: 16 }}>
        <BarChart
          categories={categories}
          series={series}
          markLine={rows.every((r) => r.target === target) ? target : undefined}
          label="各县（市、区）已提交与已推荐数量对比目标"
        />
      </Card>
      <StackedTable
        rowKey="regionCode"
        dataSource={rows}
        pagination={false}
        scroll={{ x: 560 }}
        columns={[
          { title: "县（市、区）", dataIndex: "name" },
          { title: "目标", dataIndex: "target" },
          { title: "已提交", dataIndex: "submitted" },
          { title: "已推荐", dataIndex: "recommended" },
          {
            title: "完成情况",
            key: "p",
            render: (_, r) => (
              <Progress
                percent={r.target ? Math.min(100, Math.round((r.submitted / r.target) * 100)) : 0}
                size="small"
                format={() => `${r.submitted}/${r.target}`}
                status={r.submitted >= r.target ? "success" : "active"}
              />
            ),
          },
        ]}
      />
    </>
  );
}
