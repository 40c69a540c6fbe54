import { Space, Table } from "antd";
import { Link } from "react-router";
import { getSchoolStats } from "#src/modules/schools/school-stats.server.ts";
import { STATS_BY_LABELS, type StatsBy } from "#src/modules/schools/schools.rules.ts";
import { BarChart } from "~/components/bar-chart";
import { ButtonLink, PageTitle } from "~/components/plain";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-school-stats";

export const meta: Route.MetaFunction = () => [{ title: "双减统计 - 科普基地服务平台" }];

const BY: StatsBy[] = ["county", "base", "school"];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "school-stats:read");
  const sp = new URL(request.url).searchParams;
  const by = BY.find((b) => b === sp.get("by")) ?? "county";
  return { by, rows: await orFail(getSchoolStats(context.app, actorOf(context), by)) };
}

const num = (v: number | null, suffix = "") => (v === null ? "—" : `${v}${suffix}`);

export default function AdminSchoolStats({ loaderData }: Route.ComponentProps) {
  const { by, rows } = loaderData;
  const top = rows.slice(0, 20);
  return (
    <>
      <PageTitle>科普助力双减 · 统计</PageTitle>
      <Space style={{ marginBottom: 12 }} wrap>
        {BY.map((b) => (
          <Link key={b} to={`?by=${b}`} aria-current={b === by ? "page" : undefined}>
            按{STATS_BY_LABELS[b]}
          </Link>
        ))}
        <ButtonLink to={`/admin/school-stats/export.xlsx?by=${by}`} reloadDocument>
          导出
        </ButtonLink>
      </Space>
      {top.length > 0 && (
        <BarChart
          label={`按${STATS_BY_LABELS[by]}的点单数与接单数`}
          categories={top.map((r) => r.name)}
          series={[
            { name: "点单数", data: top.map((r) => r.orders) },
            { name: "接单数", data: top.map((r) => r.accepted) },
          ]}
        />
      )}
      <Table
        rowKey="key"
        size="small"
        scroll={{ x: true }}
        pagination={{ pageSize: 50 }}
        dataSource={rows}
        columns={[
          { title: STATS_BY_LABELS[by], dataIndex: "name", key: "name" },
          { title: "点单数", dataIndex: "orders", key: "orders" },
          { title: "接单率", key: "rate", render: (_, r) => num(r.acceptanceRate, "%") },
          { title: "答复时长中位数", key: "median", render: (_, r) => num(r.medianAnswerHours, "小时") },
          { title: "服务学生人次", dataIndex: "studentsReached", key: "students" },
          { title: "满意度", key: "sat", render: (_, r) => `${num(r.satisfaction)}（${r.ratings}条）` },
          { title: "临期取消", dataIndex: "lateCancels", key: "late" },
          { title: "未开展", dataIndex: "noShows", key: "noshow" },
        ]}
      />
    </>
  );
}
