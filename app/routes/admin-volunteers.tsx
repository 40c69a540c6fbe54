import { useSearchParams } from "react-router";
import { listRegions } from "#src/modules/regions/regions.server.ts";
import { hoursText, STVS_STATUS_LABELS } from "#src/modules/volunteers/volunteers.rules.ts";
import { teamStats } from "#src/modules/volunteers/volunteers.server.ts";
import { BarChart } from "~/components/bar-chart";
import { FigureTable } from "~/components/figure-table";
import { FilterBar } from "~/components/filter-bar";
import { FilterSelect } from "~/components/filter-select";
import { ButtonLink, PageTitle, PlainCard, PlainStatistic } from "~/components/plain";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-volunteers";

export const meta: Route.MetaFunction = () => [{ title: "科技志愿服务统计 - 科普基地服务平台" }];

const STATUS_TEXT = { ...STVS_STATUS_LABELS, none: "未填写" } as const;

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "volunteers:read");
  const thisYear = new Date(context.app.clock.now().getTime() + 8 * 3600_000).getUTCFullYear();
  const asked = Number(new URL(request.url).searchParams.get("year"));
  const year = Number.isInteger(asked) && asked >= thisYear - 10 && asked <= thisYear ? asked : thisYear;
  const rows = await orFail(teamStats(context.app, actorOf(context), year));
  const names = new Map((await listRegions(context.app)).map((r) => [r.code, r.name]));
  const byCounty = new Map<
    string,
    {
      code: string;
      name: string;
      bases: number;
      registered: number;
      unregistered: number;
      volunteers: number;
      minutes: number;
    }
  >();
  for (const r of rows) {
    const c = byCounty.get(r.regionCode) ?? {
      code: r.regionCode,
      name: names.get(r.regionCode) ?? r.regionCode,
      bases: 0,
      registered: 0,
      unregistered: 0,
      volunteers: 0,
      minutes: 0,
    };
    c.bases += 1;
    if (r.status === "registered") c.registered += 1;
    else c.unregistered += 1;
    c.volunteers += r.volunteers;
    c.minutes += r.minutes;
    byCounty.set(r.regionCode, c);
  }
  return {
    year,
    years: Array.from({ length: 6 }, (_, i) => String(thisYear - i)),
    counties: [...byCounty.values()].map((c) => ({ ...c, hours: Number(hoursText(c.minutes)) })),
    teams: rows.map((r) => ({
      ...r,
      county: names.get(r.regionCode) ?? r.regionCode,
      hours: hoursText(r.minutes),
    })),
  };
}

export default function AdminVolunteers({ loaderData }: Route.ComponentProps) {
  const { counties, teams, year, years } = loaderData;
  const [sp] = useSearchParams();
  const total = (k: "bases" | "registered" | "unregistered" | "volunteers") =>
    counties.reduce((s, c) => s + c[k], 0);
  return (
    <>
      <PageTitle>科技志愿服务统计</PageTitle>
      <div className="kepu-toolbar">
        <FilterBar label="统计年度" style={{ marginBottom: 0 }}>
          <FilterSelect
            id="year"
            name="year"
            placeholder="年度"
            allowEmpty={false}
            defaultValue={sp.get("year") ?? String(year)}
            options={years.map((y) => ({ value: y, label: `${y}年` }))}
            style={{ width: 120 }}
          />
        </FilterBar>
        <ButtonLink to={`/admin/volunteers/hours.xlsx?year=${year}`} reloadDocument>
          导出服务时长
        </ButtonLink>
      </div>
      <div className="kepu-figures">
        <PlainStatistic title="基地数" value={total("bases")} />
        <PlainStatistic title="服务队已注册" value={total("registered")} />
        <PlainStatistic title="未注册（含审核中、未填写）" value={total("unregistered")} />
        <PlainStatistic title="在队志愿者" value={total("volunteers")} />
      </div>
      <div className="kepu-card-grid">
        <PlainCard title="按县（市、区）" style={{ height: "100%" }}>
          <BarChart
            label="各县（市、区）科技志愿服务柱状图"
            categories={counties.map((c) => c.name)}
            series={[
              { name: "已注册服务队", data: counties.map((c) => c.registered) },
              { name: "未注册服务队", data: counties.map((c) => c.unregistered) },
              { name: "志愿者", data: counties.map((c) => c.volunteers) },
              { name: `${year}年服务时长（小时）`, data: counties.map((c) => c.hours) },
            ]}
            height={280}
          />
          <FigureTable
            caption="各县（市、区）科技志愿服务"
            rows={counties}
            rowKey={(c) => c.code}
            empty="暂无基地"
            columns={[
              { title: "县（市、区）", value: (c) => c.name },
              { title: "基地数", value: (c) => c.bases, numeric: true },
              { title: "已注册", value: (c) => c.registered, numeric: true },
              { title: "未注册", value: (c) => c.unregistered, numeric: true },
              { title: "志愿者", value: (c) => c.volunteers, numeric: true },
              { title: "服务时长（小时）", value: (c) => c.hours, numeric: true },
            ]}
          />
        </PlainCard>
      </div>
      <PlainCard title="各基地服务队" style={{ marginTop: 16 }}>
        <FigureTable
          caption="各基地服务队"
          rows={teams}
          rowKey={(t) => t.baseId}
          empty="暂无基地"
          columns={[
            { title: "县（市、区）", value: (t) => t.county },
            { title: "基地", value: (t) => t.baseName },
            { title: "服务队名称", value: (t) => t.teamName ?? "" },
            {
              title: "注册状态",
              value: (t) => (t.status === "registered" ? "已注册" : `${STATUS_TEXT[t.status]}（未注册）`),
            },
            { title: "志愿者", value: (t) => t.volunteers, numeric: true },
            { title: `${year}年服务时长（小时）`, value: (t) => t.hours, numeric: true },
          ]}
        />
      </PlainCard>
    </>
  );
}
