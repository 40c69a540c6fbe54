import { Table, Typography } from "antd";
import { Link } from "react-router";
import { AUTO_KEY_LABELS } from "#src/modules/evaluation/evaluation.rules.ts";
import { listEntryEvidence } from "#src/modules/evaluation/evaluation-entries.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { PageTitle } from "~/components/plain";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/evaluation-evidence";

export const meta: Route.MetaFunction = () => [{ title: "评价数据明细 - 科普基地服务平台" }];

/** The records an automatic figure counts; the base, staff in scope and its evaluators may open it. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  await requireUser(context, request);
  const key = new URL(request.url).searchParams.get("key") ?? "";
  const r = await orFail(listEntryEvidence(context.app, actorOf(context), params.id, key));
  return {
    baseName: r.entry.base_name,
    year: r.round.year,
    label: AUTO_KEY_LABELS[r.key],
    rows: r.rows.map((x) => ({ ...x, date: x.date.length > 10 ? formatShanghai(x.date) : x.date })),
  };
}

export default function EvaluationEvidence({ loaderData }: Route.ComponentProps) {
  const { baseName, year, label, rows } = loaderData;
  return (
    <>
      <PageTitle>
        {baseName}：{year}年度{label.name}（{rows.length}条）
      </PageTitle>
      <Typography.Paragraph type="secondary">以下为平台计算该项数据时计入的全部记录。</Typography.Paragraph>
      <Table
        size="small"
        rowKey="id"
        dataSource={rows}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 560 }}
        columns={[
          { title: "时间", dataIndex: "date", width: 170 },
          {
            title: "名称",
            dataIndex: "title",
            render: (t: string, r) => (r.link ? <Link to={r.link}>{t}</Link> : t),
          },
          { title: "说明", dataIndex: "detail" },
        ]}
      />
    </>
  );
}
