import { Empty } from "antd";
import { useSearchParams } from "react-router";
import { listCounties } from "#src/modules/regions/regions.server.ts";
import { listCatalogue } from "#src/modules/schools/school-items.server.ts";
import {
  GRADE_HINTS,
  GRADES,
  ITEM_KIND_LABELS,
  ITEM_KINDS,
  SUBJECTS,
} from "#src/modules/schools/schools.rules.ts";
import { catalogueFilterSchema } from "#src/modules/schools/schools.schema.ts";
import { FilterBar, FilterInput } from "~/components/filter-bar";
import { FilterSelect } from "~/components/filter-select";
import { PagerLinks, PageTitle, PlainLink, PlainTag } from "~/components/plain";
import type { Route } from "./+types/school-catalogue";

export const meta: Route.MetaFunction = () => [
  { title: "科普助力双减 - 科普基地服务平台" },
  {
    name: "description",
    content: "科普教育基地面向中小学校的精品科普课程与服务：送课进校园、研学参观、线上课程，学校在线点单",
  },
];

export async function loader({ request, context }: Route.LoaderArgs) {
  const sp = Object.fromEntries(new URL(request.url).searchParams);
  const filter = catalogueFilterSchema.parse(sp);
  const counties = await listCounties(context.app);
  const result = await listCatalogue(context.app, filter);
  return { counties: counties.map((c) => ({ value: c.code, label: c.name })), ...result };
}

const gradeOptions = GRADES.map((g) => ({ value: g, label: `${g}（${GRADE_HINTS[g]}）` }));
const kindOptions = ITEM_KINDS.map((k) => ({ value: k, label: ITEM_KIND_LABELS[k] }));
const subjectOptions = SUBJECTS.map((s) => ({ value: s, label: s }));

export default function SchoolCatalogue({ loaderData }: Route.ComponentProps) {
  const d = loaderData;
  const [sp] = useSearchParams();
  return (
    <>
      <PageTitle>科普助力双减 · 你点我来</PageTitle>
      <p style={{ color: "rgba(0,0,0,0.65)" }}>
        科普教育基地为中小学校提供的精品科普课程与服务。学校注册并经所在县（市、区）科协认证后，可在项目页【我要点单】。
      </p>
      <FilterBar label="筛选课程与服务">
        <FilterSelect
          id="county"
          name="county"
          placeholder="服务区域"
          defaultValue={sp.get("county")}
          options={d.counties}
          style={{ width: 150 }}
        />
        <FilterSelect
          id="grade"
          name="grade"
          placeholder="适合学段"
          defaultValue={sp.get("grade")}
          options={gradeOptions}
          style={{ width: 190 }}
        />
        <FilterSelect
          id="kind"
          name="kind"
          placeholder="服务方式"
          defaultValue={sp.get("kind")}
          options={kindOptions}
          style={{ width: 150 }}
        />
        <FilterSelect
          id="subject"
          name="subject"
          placeholder="学科"
          defaultValue={sp.get("subject")}
          options={subjectOptions}
          style={{ width: 140 }}
        />
        <FilterInput
          id="date"
          name="date"
          label="日期"
          type="date"
          defaultValue={sp.get("date")}
          width={160}
        />
      </FilterBar>
      {d.items.length === 0 ? (
        <Empty description="没有符合条件的课程与服务" />
      ) : (
        <ul aria-label="课程与服务列表" style={{ listStyle: "none", margin: 0, padding: 0 }}>
          {d.items.map((i) => (
            <li
              key={i.id}
              style={{
                border: "1px solid #f0f0f0",
                borderRadius: 8,
                padding: "12px 16px",
                marginBottom: 12,
                background: "#fff",
                overflowWrap: "anywhere",
              }}
            >
              <h2 style={{ fontSize: 16, margin: "0 0 4px", fontWeight: 600 }}>
                <PlainLink to={`/special/schools/${i.id}`}>{i.title}</PlainLink>
                <PlainTag color="blue" style={{ marginLeft: 8 }}>
                  {i.kindLabel}（{i.mode}）
                </PlainTag>
                <PlainTag color={i.fee === "free" ? "green" : "gold"}>{i.feeLabel}</PlainTag>
              </h2>
              <div style={{ color: "rgba(0,0,0,0.65)" }}>
                {i.baseName} · 适合：{i.grades.join("、")} · 学科：{i.subjects.join("、")}
              </div>
              <div style={{ color: "rgba(0,0,0,0.55)", fontSize: 13 }}>
                服务区域：{i.countyNames.join("、")} · {i.availableFrom} 至 {i.availableTo}（
                {i.weekdays.join("、")}）{" · "}
                {i.rating === null ? "暂无评价" : `评分 ${i.rating}（${i.ratingCount}条评价）`}
              </div>
            </li>
          ))}
        </ul>
      )}
      {d.total > 0 && (
        <div style={{ marginTop: 8 }}>
          <PagerLinks
            page={d.page}
            pageSize={d.pageSize}
            total={d.total}
            more={d.totalCapped}
            unit="个项目"
            small
          />
        </div>
      )}
    </>
  );
}
