import { Empty, Space } from "antd";
import { Link, useSearchParams } from "react-router";
import {
  ACTIVITY_TYPE_LABELS,
  ACTIVITY_TYPES,
  monthRange,
} from "#src/modules/activities/activities.rules.ts";
import { listCampaigns, listPublicActivities } from "#src/modules/activities/activities.server.ts";
import { listItemOf } from "#src/modules/activities/activities.view.server.ts";
import { isIsoDate } from "#src/modules/bases/bases.rules.ts";
import { listCounties } from "#src/modules/regions/regions.server.ts";
import { pageParam } from "#src/platform/paging.rules.ts";
import { ActivityList } from "~/components/activity-list";
import { FilterBar } from "~/components/filter-bar";
import { FilterSelect } from "~/components/filter-select";
import { PageTitle } from "~/components/plain";
import { THEME_CLASS } from "~/components/theme";
import type { Route } from "./+types/activities";

export const meta: Route.MetaFunction = () => [
  { title: "基地活动 - 科普基地服务平台" },
  {
    name: "description",
    content: "衢州市科普教育基地的活动预告与往期活动：讲座、展览、研学等，可按区域、类型、主题日筛选",
  },
];

const WHEN = ["upcoming", "past"] as const;

export async function loader({ request, context }: Route.LoaderArgs) {
  const sp = new URL(request.url).searchParams;
  const counties = await listCounties(context.app);
  const year = Number(new Date(context.app.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 4));
  const campaigns = [
    ...(await listCampaigns(context.app, { year })),
    ...(await listCampaigns(context.app, { year: year - 1 })),
  ];
  const county = counties.find((c) => c.code === sp.get("county"))?.code;
  const type = ACTIVITY_TYPES.find((t) => t === sp.get("type"));
  const campaignId = campaigns.find((c) => c.id === sp.get("campaign"))?.id;
  const baseId = /^[0-9a-f-]{36}$/i.test(sp.get("base") ?? "") ? (sp.get("base") as string) : undefined;
  const month = monthRange(sp.get("month") ?? "") ? (sp.get("month") as string) : "";
  const from = isIsoDate(sp.get("from") ?? "") ? (sp.get("from") as string) : undefined;
  const to = isIsoDate(sp.get("to") ?? "") ? (sp.get("to") as string) : undefined;
  const when = WHEN.find((w) => w === sp.get("when")) ?? "upcoming";
  const page = pageParam(sp.get("page"), 500);
  let range: { from?: string; to?: string } = { from, to };
  if (month) {
    const [y, m] = month.split("-").map(Number);
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    range = { from: `${month}-01`, to: `${month}-${String(last).padStart(2, "0")}` };
  }
  const ranged = !!(range.from || range.to);
  const result = await listPublicActivities(context.app, {
    county,
    type,
    campaignId,
    baseId,
    ...range,
    when: ranged ? "all" : when,
    page,
  });
  const now = context.app.clock.now();
  return {
    counties: counties.map((c) => ({ value: c.code, label: c.name })),
    campaigns: campaigns.map((c) => ({ value: c.id, label: c.title })),
    when,
    ranged,
    page: result.page,
    hasMore: result.hasMore,
    baseName: baseId ? (result.items[0]?.baseName ?? null) : null,
    items: result.items.map((a) => listItemOf(a, now)),
  };
}

const typeOptions = ACTIVITY_TYPES.map((t) => ({ value: t, label: ACTIVITY_TYPE_LABELS[t] }));

export default function Activities({ loaderData }: Route.ComponentProps) {
  const d = loaderData;
  const [sp] = useSearchParams();
  const link = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    next.delete("page");
    for (const [k, v] of Object.entries(changes)) if (k === "page" && v) next.set("page", v);
    return `?${next}`;
  };
  return (
    <>
      <PageTitle>基地活动</PageTitle>
      <FilterBar label="筛选基地活动" style={{ marginBottom: 12 }}>
        {sp.get("base") && <input type="hidden" name="base" value={sp.get("base") ?? ""} />}
        <input type="hidden" name="when" value={d.when} />
        <FilterSelect
          id="county"
          name="county"
          placeholder="县（市、区）"
          defaultValue={sp.get("county")}
          options={d.counties}
          style={{ width: 160 }}
        />
        <FilterSelect
          id="type"
          name="type"
          placeholder="活动类型"
          defaultValue={sp.get("type")}
          options={typeOptions}
          style={{ width: 170 }}
        />
        <FilterSelect
          id="campaign"
          name="campaign"
          placeholder="主题活动"
          defaultValue={sp.get("campaign")}
          options={d.campaigns}
          style={{ width: 200 }}
        />
        <label htmlFor="month">月份</label>
        <input
          id="month"
          name="month"
          type="month"
          defaultValue={sp.get("month") ?? ""}
          className={`ant-input ant-input-outlined ${THEME_CLASS} ant-input-css-var`}
          style={{ width: 160 }}
        />
      </FilterBar>
      <p>
        <a href="/activities.ics">订阅活动日历（ICS）</a>
      </p>
      {d.baseName && (
        <p>
          仅显示：{d.baseName} <Link to={link({ base: null })}>显示全部基地</Link>
        </p>
      )}
      {!d.ranged && (
        <nav aria-label="近期与往期" className="kepu-nav kepu-tabs">
          <Link to={link({ when: "upcoming" })} aria-current={d.when === "upcoming" ? "page" : undefined}>
            近期活动
          </Link>
          <Link to={link({ when: "past" })} aria-current={d.when === "past" ? "page" : undefined}>
            往期活动
          </Link>
        </nav>
      )}
      {d.items.length === 0 ? (
        <Empty description="没有符合条件的活动" />
      ) : (
        <ActivityList label="活动列表" items={d.items} />
      )}
      <Space>
        {d.page > 1 && <Link to={link({ page: String(d.page - 1) })}>上一页</Link>}
        {d.hasMore && <Link to={link({ page: String(d.page + 1) })}>下一页</Link>}
      </Space>
    </>
  );
}
