import { Card, Empty, Tag } from "antd";
import { Link } from "react-router";
import { ROUND_STATUS_LABELS } from "#src/modules/evaluation/evaluation.rules.ts";
import { listMyAssignments } from "#src/modules/evaluation/evaluation-scoring.server.ts";
import { listRegions } from "#src/modules/regions/regions.server.ts";
import { PageTitle } from "~/components/plain";
import { StackedTable } from "~/components/stacked-table";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/scoring";

export const meta: Route.MetaFunction = () => [{ title: "评价评分 - 科普基地服务平台" }];

/** 【评分】: the bases assigned to the signed-in user in the rounds it evaluates (none for anyone else). */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request);
  const rounds = await orFail(listMyAssignments(context.app, actorOf(context)));
  const names = new Map((await listRegions(context.app)).map((r) => [r.code, r.name]));
  return {
    rounds: rounds.map(({ round, entries }) => ({
      id: round.id,
      title: round.title,
      status: round.status,
      done: entries.filter((e) => e.mySubmitted).length,
      entries: entries.map((e) => ({ ...e, county: names.get(e.region_code) ?? e.region_code })),
    })),
  };
}

export default function Scoring({ loaderData }: Route.ComponentProps) {
  const { rounds } = loaderData;
  return (
    <>
      <PageTitle>评价评分</PageTitle>
      {rounds.length === 0 && (
        <Card size="small">
          <Empty description="暂无分配给您的评价任务" />
        </Card>
      )}
      {rounds.map((r) => (
        <Card
          key={r.id}
          size="small"
          title={`${r.title}（${ROUND_STATUS_LABELS[r.status]}，已评 ${r.done}/${r.entries.length}）`}
          style={{ marginBottom: 16 }}
        >
          <StackedTable
            size="small"
            rowKey="id"
            dataSource={r.entries}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            scroll={{ x: 520 }}
            columns={[
              {
                title: "基地名称",
                dataIndex: "base_name",
                render: (t: string, e) => <Link to={`/scoring/${e.id}`}>{t}</Link>,
              },
              { title: "区域", dataIndex: "county", width: 90 },
              { title: "自动得分", dataIndex: "auto_score", width: 90 },
              { title: "我的评分", dataIndex: "myTotal", width: 90 },
              {
                title: "状态",
                dataIndex: "mySubmitted",
                width: 90,
                render: (s: boolean, e) =>
                  s ? <Tag color="green">已提交</Tag> : e.myTotal === null ? "未评" : "草稿",
              },
            ]}
          />
        </Card>
      ))}
    </>
  );
}
