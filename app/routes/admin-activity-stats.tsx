import { useSearchParams } from "react-router";
import { activityStats } from "#src/modules/activities/activity-stats.server.ts";
import { BarChart } from "~/components/bar-chart";
import { FigureTable } from "~/components/figure-table";
import { FilterBar } from "~/components/filter-bar";
import { FilterSelect } from "~/components/filter-select";
import { ButtonLink, PageTitle, PlainCard, PlainStatistic } from "~/components/plain";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-activity-stats";

export const meta: Route.MetaFunction = () => [{ title: "活动统计 - 科普基地服务平台" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "activities:stats");
  const thisYear = Number(
    new Date(context.app.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 4),
  );
  const asked = Number(new URL(request.url).searchParams.get("year"));
  const year = Number.isInteger(asked) && asked >= thisYear - 10 && asked <= thisYear + 1 ? asked : thisYear;
  const stats = await orFail(activityStats(context.app, actorOf(context), year));
  return { stats, years: Array.from({ length: 6 }, (_, i) => String(thisYear + 1 - i)) };
}

/** Figures always in a table beside the chart, so the chart is never the only way to read them. */
function ChartCard(props: {
  title: string;
  rows: { label: string; activities: number; participants: number }[];
}) {
  return (
    <PlainCard title={props.title} style={{ height: "100%" }}>
      <BarChart
        label={`${props.title}柱状图`}
        categories={props.rows.map((r) => r.label)}
        series={[
          { name: "活动数", data: props.rows.map((r) => r.activities) },
          { name: "参与人数", data: props.rows.map((r) => r.participants) },
        ]}
        height={260}
      />
      <FigureTable
        caption={props.title}
        rows={props.rows}
        rowKey={(r) => r.label}
        columns={[
          { title: "", value: (r) => r.label },
          { title: "活动数", value: (r) => r.activities, numeric: true },
          { title: "参与人数", value: (r) => r.participants, numeric: true },
        ]}
      />
    </PlainCard>
  );
}

export default function AdminActivityStats({ loaderData }: Route.ComponentProps) {
  const { stats: s, years } = loaderData;
  const [sp] = useSearchParams();
  // Plain markup with antd's class names (ADR 0012): the page is read often and never cached.
  return (
    <>
      <PageTitle>活动统计</PageTitle>
      <div className="kepu-toolbar">
        <FilterBar label="统计年度" style={{ marginBottom: 0 }}>
          <FilterSelect
            id="year"
            name="year"
            placeholder="年度"
            allowEmpty={false}
            defaultValue={sp.get("year") ?? String(s.year)}
            options={years.map((y) => ({ value: y, label: `${y}年` }))}
            style={{ width: 120 }}
          />
        </FilterBar>
        <ButtonLink to={`/admin/activity-stats/export.xlsx?year=${s.year}`} reloadDocument>
          导出 Excel
        </ButtonLink>
      </div>
      <div className="kepu-figures">
        <PlainStatistic title="活动数" value={s.total.activities} />
        <PlainStatistic title="参与人数" value={s.total.participants} />
        <PlainStatistic title="已提交小结" value={s.total.reported} />
        <PlainStatistic title="小结已通过" value={s.total.accepted} />
      </div>
      <div className="kepu-card-grid">
        <ChartCard title="按县（市、区）" rows={s.byCounty.map((c) => ({ ...c, label: c.name }))} />
        <ChartCard title="按活动类型" rows={s.byType.map((c) => ({ ...c, label: c.label }))} />
        <ChartCard
          title="按月份"
          rows={s.byMonth.map((c) => ({ ...c, label: `${Number(c.month.slice(5))}月` }))}
        />
        <ChartCard title="按主题活动" rows={s.byCampaign.map((c) => ({ ...c, label: c.title }))} />
        <PlainCard title="各县（市、区）主题活动参与率" style={{ height: "100%" }}>
          <BarChart
            label="主题活动参与率柱状图"
            categories={s.participation.map((p) => p.name)}
            series={[{ name: "参与率（%）", data: s.participation.map((p) => p.rate) }]}
            height={260}
          />
          <FigureTable
            caption="各县（市、区）主题活动参与率"
            rows={s.participation}
            rowKey={(p) => p.code}
            columns={[
              { title: "县（市、区）", value: (p) => p.name },
              { title: "基地数", value: (p) => p.bases, numeric: true },
              { title: "参与基地", value: (p) => p.participating, numeric: true },
              { title: "参与率", value: (p) => `${p.rate}%`, numeric: true },
            ]}
          />
        </PlainCard>
        <PlainCard title="活动最多的基地（前20）" style={{ height: "100%" }}>
          <FigureTable
            caption="活动最多的基地"
            rows={s.byBase}
            rowKey={(b) => b.baseId}
            empty="暂无活动"
            columns={[
              { title: "基地", value: (b) => b.name },
              { title: "活动数", value: (b) => b.activities, numeric: true },
              { title: "参与人数", value: (b) => b.participants, numeric: true },
            ]}
          />
        </PlainCard>
      </div>
    </>
  );
}
