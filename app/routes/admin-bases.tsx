import { Space, Tag } from "antd";
import { Link, useSearchParams } from "react-router";
import { can } from "#src/modules/accounts/accounts.policy.ts";
import {
  BASE_STATUS_COLORS,
  BASE_STATUS_LABELS,
  BASE_STATUSES,
  RECOMMENDATION_LABELS,
} from "#src/modules/bases/bases.rules.ts";
import { listStaffBases } from "#src/modules/bases/bases.server.ts";
import { baseFilterOf, categoryName } from "#src/modules/bases/bases.view.server.ts";
import { listRegions, regionSubtree } from "#src/modules/regions/regions.server.ts";
import { CATEGORIES } from "#src/platform/db/reference-data.ts";
import type { BaseStatus } from "#src/platform/db/schema.ts";
import { batchLabel } from "#src/platform/numbering.rules.ts";
import { pageParam } from "#src/platform/paging.rules.ts";
import { FilterBar, FilterInput } from "~/components/filter-bar";
import { FilterSelect } from "~/components/filter-select";
import { ButtonLink, PageTitle } from "~/components/plain";
import { StackedTable } from "~/components/stacked-table";
import { useUrlPagination } from "~/components/url-pagination";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-bases";

export const meta: Route.MetaFunction = () => [{ title: "基地管理 - 科普基地服务平台" }];

const PAGE = 20;
const RECOMMENDED = [
  { value: "yes", label: "已推荐" },
  { value: "province", label: "已推荐省级" },
  { value: "nation", label: "已推荐国家级" },
  { value: "no", label: "未推荐" },
] as const;

export async function loader({ request, context }: Route.LoaderArgs) {
  const me = await requireUser(context, request, "bases:read");
  const sp = new URL(request.url).searchParams;
  const page = pageParam(sp.get("page"));
  const result = await orFail(
    listStaffBases(context.app, actorOf(context), {
      ...baseFilterOf(sp),
      offset: (page - 1) * PAGE,
      limit: PAGE,
    }),
  );
  const scope = await regionSubtree(context.app, me.regionCode);
  const regions = await listRegions(context.app);
  const nameOf = (code: string) => regions.find((r) => r.code === code)?.name ?? code;
  return {
    page,
    total: result.total,
    canImport: can(me, "bases:import"),
    counties: regions
      .filter((r) => r.level === "county" && scope.includes(r.code))
      .map((r) => ({ value: r.code, label: r.name })),
    rows: result.rows.map((b) => ({
      id: b.id,
      name: b.name,
      unitName: b.unit_name,
      county: nameOf(b.region_code),
      category: categoryName(b.category_code),
      batch: b.batch_no ? `${batchLabel(b.batch_no)}（${b.recognized_year}）` : String(b.recognized_year),
      certificateNo: b.certificate_no ?? "",
      status: b.status,
      recommended: b.recommended_level ? RECOMMENDATION_LABELS[b.recommended_level] : "",
    })),
  };
}

export default function AdminBases({ loaderData }: Route.ComponentProps) {
  const [sp] = useSearchParams();
  const d = loaderData;
  const pagination = useUrlPagination({ page: d.page, pageSize: PAGE, total: d.total, unit: "个基地" });
  const exportQuery = new URLSearchParams(sp);
  exportQuery.delete("page");
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between" }} wrap>
        <PageTitle style={{ margin: 0 }}>基地管理</PageTitle>
        <Space wrap>
          {d.canImport && <ButtonLink to="/admin/bases/import">导入</ButtonLink>}
          <ButtonLink to={`/admin/bases/export.xlsx?${exportQuery}`} reloadDocument>
            导出 Excel
          </ButtonLink>
        </Space>
      </Space>
      <FilterBar label="筛选基地" style={{ margin: "16px 0" }}>
        <FilterSelect
          id="status"
          name="status"
          placeholder="状态"
          defaultValue={sp.get("status")}
          options={BASE_STATUSES.map((s) => ({ value: s, label: BASE_STATUS_LABELS[s] }))}
          style={{ width: 130 }}
        />
        <FilterSelect
          id="county"
          name="county"
          placeholder="县（市、区）"
          defaultValue={sp.get("county")}
          options={d.counties}
          style={{ width: 170 }}
        />
        <FilterSelect
          id="category"
          name="category"
          placeholder="类别"
          defaultValue={sp.get("category")}
          options={CATEGORIES.map((c) => ({ value: c.code, label: c.name }))}
          style={{ width: 190 }}
        />
        <FilterSelect
          id="recommended"
          name="recommended"
          placeholder="推荐"
          defaultValue={sp.get("recommended")}
          options={RECOMMENDED.map((r) => ({ value: r.value, label: r.label }))}
          style={{ width: 150 }}
        />
        <FilterInput
          id="q"
          name="q"
          label="关键词"
          placeholder="基地、单位名称或地址"
          defaultValue={sp.get("q")}
          width={200}
        />
      </FilterBar>
      <StackedTable
        rowKey="id"
        dataSource={d.rows}
        scroll={{ x: 1000 }}
        locale={{ emptyText: "没有符合条件的基地" }}
        pagination={pagination}
        columns={[
          {
            title: "基地名称",
            dataIndex: "name",
            render: (v, r) => <Link to={`/admin/bases/${r.id}`}>{v}</Link>,
          },
          { title: "单位名称", dataIndex: "unitName" },
          { title: "县（市、区）", dataIndex: "county" },
          { title: "类别", dataIndex: "category" },
          { title: "批次", dataIndex: "batch" },
          { title: "证书编号", dataIndex: "certificateNo" },
          {
            title: "状态",
            dataIndex: "status",
            render: (s: BaseStatus) => <Tag color={BASE_STATUS_COLORS[s]}>{BASE_STATUS_LABELS[s]}</Tag>,
          },
          {
            title: "推荐",
            dataIndex: "recommended",
            render: (v: string) => (v ? <Tag color="gold">{v}</Tag> : ""),
          },
        ]}
      />
    </>
  );
}
