import { Empty } from "antd";
import { useSearchParams } from "react-router";
import { OPENING_FORMS } from "#src/modules/applications/applications.rules.ts";
import {
  DIRECTORY_PAGE_SIZE,
  DIRECTORY_SORTS,
  PUBLIC_STATUS_LABELS,
  SORT_LABELS,
} from "#src/modules/bases/bases-directory.labels.ts";
import { listPublicBases } from "#src/modules/bases/bases-directory.server.ts";
import { listCounties } from "#src/modules/regions/regions.server.ts";
import { CATEGORIES } from "#src/platform/db/reference-data.ts";
import { batchLabel } from "#src/platform/numbering.rules.ts";
import { pageParam } from "#src/platform/paging.rules.ts";
import { FilterBar, FilterCheckbox, FilterInput } from "~/components/filter-bar";
import { FilterSelect } from "~/components/filter-select";
import { PagerLinks, PageTitle, PlainLink, PlainTag, SectionTitle } from "~/components/plain";
import type { Route } from "./+types/bases";

export const meta: Route.MetaFunction = () => [
  { title: "科普基地 - 科普基地服务平台" },
  { name: "description", content: "衢州市已认定的科普教育基地名录：开放形式、预约电话、地址与简介" },
];

export async function loader({ request, context }: Route.LoaderArgs) {
  const sp = new URL(request.url).searchParams;
  const counties = await listCounties(context.app);
  const county = counties.find((c) => c.code === sp.get("county"))?.code;
  const category = CATEGORIES.find((c) => c.code === sp.get("category"))?.code;
  const level = sp.get("level") === "city" || sp.get("level") === "county" ? sp.get("level")! : undefined;
  const openingForm = OPENING_FORMS.find((f) => f === sp.get("form"));
  const sort = DIRECTORY_SORTS.find((s) => s === sp.get("sort")) ?? "name";
  const page = pageParam(sp.get("page"), 10_000);
  const result = await listPublicBases(context.app, {
    county,
    level,
    category,
    openingForm,
    youthFree: sp.get("youth") === "on" || sp.get("youth") === "1",
    q: sp.get("q") ?? undefined,
    sort,
    page,
    pageSize: DIRECTORY_PAGE_SIZE,
  });
  return {
    counties: counties.map((c) => ({ value: c.code, label: c.name })),
    sort,
    ...result,
  };
}

const categoryOptions = CATEGORIES.map((c) => ({ value: c.code, label: c.name }));
const formOptions = OPENING_FORMS.map((f) => ({ value: f, label: f }));
const levelOptions = [
  { value: "city", label: "市级基地" },
  { value: "county", label: "县级基地" },
];
const OPEN_DATA = [
  { file: "bases", label: "基地名录" },
  { file: "activities", label: "今年的基地活动" },
] as const;

const sortOptions = DIRECTORY_SORTS.map((s) => ({ value: s, label: SORT_LABELS[s] }));

export default function Bases({ loaderData }: Route.ComponentProps) {
  const d = loaderData;
  const [sp] = useSearchParams();
  return (
    <>
      <PageTitle>科普基地</PageTitle>
      <FilterBar label="筛选科普基地">
        <FilterSelect
          id="county"
          name="county"
          placeholder="县（市、区）"
          defaultValue={sp.get("county")}
          options={d.counties}
          style={{ width: 160 }}
        />
        <FilterSelect
          id="category"
          name="category"
          placeholder="基地类别"
          defaultValue={sp.get("category")}
          options={categoryOptions}
          style={{ width: 190 }}
        />
        <FilterSelect
          id="level"
          name="level"
          placeholder="认定级别"
          defaultValue={sp.get("level")}
          options={levelOptions}
          style={{ width: 130 }}
        />
        <FilterSelect
          id="form"
          name="form"
          placeholder="开放形式"
          defaultValue={sp.get("form")}
          options={formOptions}
          style={{ width: 190 }}
        />
        <FilterSelect
          id="sort"
          name="sort"
          placeholder="排序"
          allowEmpty={false}
          defaultValue={d.sort}
          options={sortOptions}
          style={{ width: 150 }}
        />
        <FilterInput
          id="q"
          name="q"
          label="关键词"
          placeholder="基地、单位名称或地址"
          maxLength={50}
          defaultValue={sp.get("q")}
          width={200}
        />
        <FilterCheckbox
          name="youth"
          label="青少年免费"
          defaultChecked={sp.get("youth") === "on" || sp.get("youth") === "1"}
        />
      </FilterBar>
      {d.rows.length === 0 ? (
        <Empty description={d.total === 0 ? "没有符合条件的科普教育基地" : "此页没有更多基地"} />
      ) : (
        <ul aria-label="科普教育基地列表" className="kepu-card-list">
          {d.rows.map((b) => (
            <li key={b.id} className="kepu-list-card">
              <h2 className="kepu-list-card-title">
                <PlainLink to={`/bases/${b.id}`}>{b.name}</PlainLink>
                {b.level === "county" && (
                  <PlainTag color="blue" style={{ marginLeft: 8 }}>
                    县级
                  </PlainTag>
                )}
                {b.status === "warning" && (
                  <PlainTag color="orange" style={{ marginLeft: 8 }}>
                    {PUBLIC_STATUS_LABELS.warning}
                  </PlainTag>
                )}
              </h2>
              <div className="kepu-muted">
                {b.regionName} · {b.categoryName}
                {b.openingForm ? ` · ${b.openingForm}` : ""}
              </div>
              {b.address && <div className="kepu-muted">地址：{b.address}</div>}
              <div className="kepu-muted kepu-small">
                {b.batchNo ? `${batchLabel(b.batchNo)} · ` : ""}
                {b.recognizedYear}年认定 · {b.unitName}
              </div>
              <PlainLink to={`/bases/${b.id}/activities`} className="kepu-small">
                活动列表
              </PlainLink>
            </li>
          ))}
        </ul>
      )}
      {d.total > 0 && (
        <div style={{ marginTop: 8 }}>
          <PagerLinks page={d.page} pageSize={d.pageSize} total={d.total} unit="个基地" small />
        </div>
      )}
      <section aria-labelledby="open-data-title" className="kepu-small" style={{ marginTop: 24 }}>
        <SectionTitle id="open-data-title" level={2}>
          开放数据
        </SectionTitle>
        <p className="kepu-muted">
          基地名录和今年的基地活动可整份下载，数据变化后自动重新生成，按 CC BY 4.0
          许可开放，使用时请注明来源。也可通过
          <a href="/api/docs">开放接口</a>按条件查询。
        </p>
        <ul aria-label="开放数据下载">
          {OPEN_DATA.map((d) => (
            <li key={d.file}>
              {d.label}：
              {(["csv", "xlsx", "json"] as const).map((format, i) => (
                <span key={format}>
                  {i > 0 && " · "}
                  <a href={`/api/v1/open-data/${d.file}.${format}`} download>
                    {format.toUpperCase()}
                  </a>
                </span>
              ))}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
