import { Space, Tag } from "antd";
import { Link, useSearchParams } from "react-router";
import {
  CHANGE_KIND_LABELS,
  CHANGE_KINDS,
  CHANGE_STATUS_COLORS,
  CHANGE_STATUS_LABELS,
} from "#src/modules/bases/bases.rules.ts";
import { listChangeReports } from "#src/modules/bases/bases.server.ts";
import { type ChangeReportView, changeReportView } from "#src/modules/bases/bases.view.server.ts";
import { changeFilterOf } from "#src/modules/bases/changes-export.server.ts";
import { listRegions } from "#src/modules/regions/regions.server.ts";
import { pageParam } from "#src/platform/paging.rules.ts";
import { FilterBar } from "~/components/filter-bar";
import { FilterSelect } from "~/components/filter-select";
import { ButtonLink, PageTitle } from "~/components/plain";
import { StackedTable } from "~/components/stacked-table";
import { useUrlPagination } from "~/components/url-pagination";
import { exportQuery } from "~/lib/export-query";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-changes";

export const meta: Route.MetaFunction = () => [{ title: "变更审核 - 科普基地服务平台" }];

const PAGE = 20;
const STATUSES = Object.keys(CHANGE_STATUS_LABELS) as (keyof typeof CHANGE_STATUS_LABELS)[];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "bases:manage");
  const sp = new URL(request.url).searchParams;
  const page = pageParam(sp.get("page"));
  const { status, kind } = changeFilterOf(sp);
  const result = await orFail(
    listChangeReports(context.app, actorOf(context), {
      status,
      kind,
      offset: (page - 1) * PAGE,
      limit: PAGE,
    }),
  );
  const names = new Map((await listRegions(context.app)).map((r) => [r.code, r.name]));
  return {
    page,
    status: status ?? "",
    total: result.total,
    rows: result.rows.map((r) => ({
      ...changeReportView(r),
      county: names.get(r.region_code) ?? r.region_code,
    })),
  };
}

export default function AdminChanges({ loaderData }: Route.ComponentProps) {
  const [sp] = useSearchParams();
  const d = loaderData;
  const pagination = useUrlPagination({ page: d.page, pageSize: PAGE, total: d.total, unit: "份" });
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between" }} wrap>
        <PageTitle style={{ margin: 0 }}>变更审核</PageTitle>
        <ButtonLink to={`/admin/changes/export.xlsx${exportQuery(sp)}`} reloadDocument>
          导出
        </ButtonLink>
      </Space>
      <FilterBar label="筛选变更申报">
        <FilterSelect
          id="status"
          name="status"
          placeholder="状态"
          defaultValue={d.status}
          options={STATUSES.map((s) => ({ value: s, label: CHANGE_STATUS_LABELS[s] }))}
          style={{ width: 140 }}
        />
        <FilterSelect
          id="kind"
          name="kind"
          placeholder="变更类型"
          defaultValue={sp.get("kind")}
          options={CHANGE_KINDS.map((k) => ({ value: k, label: CHANGE_KIND_LABELS[k] }))}
          style={{ width: 160 }}
        />
      </FilterBar>
      <StackedTable
        rowKey="id"
        dataSource={d.rows}
        scroll={{ x: 900 }}
        locale={{ emptyText: "没有符合条件的变更申报" }}
        pagination={pagination}
        columns={[
          {
            title: "基地名称",
            dataIndex: "baseName",
            render: (v, r) => <Link to={`/admin/changes/${r.id}`}>{v}</Link>,
          },
          { title: "县（市、区）", dataIndex: "county" },
          { title: "变更类型", dataIndex: "kindLabel" },
          { title: "变更发生日期", dataIndex: "happenedOn" },
          { title: "提交时间", dataIndex: "filedAt" },
          {
            title: "状态",
            dataIndex: "status",
            render: (s: ChangeReportView["status"], r) => (
              <Space size={4}>
                <Tag color={CHANGE_STATUS_COLORS[s]}>{r.statusLabel}</Tag>
                {r.late && <Tag color="red">逾期报告</Tag>}
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}
