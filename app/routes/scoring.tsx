import { Card, Empty, Tag } from "antd";
import { Link } from "react-router";
import { ROUND_STATUS_LABELS, SCORING_PAGE_SIZE } from "#src/modules/evaluation/evaluation.rules.ts";
import { listMyAssignments } from "#src/modules/evaluation/evaluation-scoring.server.ts";
import { listRegions } from "#src/modules/regions/regions.server.ts";
import { PageTitle } from "~/components/plain";
import { StackedTable } from "~/components/stacked-table";
import { useUrlPagination } from "~/components/url-pagination";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/scoring";

export const meta: Route.MetaFunction = () => [{ title: "评价评分 - 科普基地服务平台" }];

/**
 * 【评分】: the rounds the signed-in user evaluates (none for anyone else), and one page of the bases
 * assigned to it in one round (?round=, by default the one in scoring; ?page=).
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request);
  const sp = new URL(request.url).searchParams;
  const page = Number.parseInt(sp.get("page") ?? "1", 10);
  const a = await orFail(
    listMyAssignments(context.app, actorOf(context), {
      roundId: sp.get("round"),
      page: Number.isFinite(page) ? page : 1,
    }),
  );
  const names = new Map((await listRegions(context.app)).map((r) => [r.code, r.name]));
  return {
    rounds: a.rounds.map(({ round, total, done }) => ({
      id: round.id,
      title: round.title,
      status: round.status,
      total,
      done,
    })),
    current: a.current,
    page: a.page,
    entries: a.entries.map((e) => ({ ...e, county: names.get(e.region_code) ?? e.region_code })),
  };
}

export default function Scoring({ loaderData }: Route.ComponentProps) {
  const { rounds, current, entries } = loaderData;
  const round = rounds.find((r) => r.id === current);
  const pagination = useUrlPagination({
    page: loaderData.page,
    pageSize: SCORING_PAGE_SIZE,
    total: round?.total ?? 0,
    unit: "个基地",
  });
  return (
    <>
      <PageTitle>评价评分</PageTitle>
      {!round && (
        <Card size="small">
          <Empty description="暂无分配给您的评价任务" />
        </Card>
      )}
      {rounds.length > 1 && (
        <nav aria-label="评价轮次" className="kepu-column-nav">
          {rounds.map((r) => (
            <Link key={r.id} to={`?round=${r.id}`} aria-current={r.id === current ? "page" : undefined}>
              {r.title}（{ROUND_STATUS_LABELS[r.status]}）
            </Link>
          ))}
        </nav>
      )}
      {round && (
        <Card
          size="small"
          title={`${round.title}（${ROUND_STATUS_LABELS[round.status]}，已评 ${round.done}/${round.total}）`}
          style={{ marginBottom: 16 }}
        >
          <StackedTable
            size="small"
            rowKey="id"
            dataSource={entries}
            pagination={round.total > SCORING_PAGE_SIZE ? pagination : false}
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
      )}
    </>
  );
}
