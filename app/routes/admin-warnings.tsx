import { Alert, Button, Space, Tag } from "antd";
import { Form, Link, useNavigation, useSearchParams } from "react-router";
import { can } from "#src/modules/accounts/accounts.policy.ts";
import {
  WARNING_STATUS_COLORS,
  WARNING_STATUS_LABELS,
  WARNING_STATUSES,
} from "#src/modules/dynamic-management/dynamic-management.rules.ts";
import { warningFilterOf } from "#src/modules/dynamic-management/dynamic-management.schema.ts";
import {
  getPublicWarningSetting,
  listWarnings,
  setPublicWarningSetting,
} from "#src/modules/dynamic-management/dynamic-management.server.ts";
import {
  type WarningViewModel,
  warningView,
} from "#src/modules/dynamic-management/dynamic-management.view.server.ts";
import { listRegions, regionSubtree } from "#src/modules/regions/regions.server.ts";
import { FilterBar, FilterCheckbox } from "~/components/filter-bar";
import { FilterSelect } from "~/components/filter-select";
import { ButtonLink, PageTitle } from "~/components/plain";
import { StackedTable } from "~/components/stacked-table";
import { useUrlPagination } from "~/components/url-pagination";
import { exportQuery } from "~/lib/export-query";
import { actorOf, failWith, orFail, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-warnings";

export const meta: Route.MetaFunction = () => [{ title: "动态管理 - 科普基地服务平台" }];

const PAGE = 20;

export async function loader({ request, context }: Route.LoaderArgs) {
  const me = await requireUser(context, request, "warnings:read");
  const actor = actorOf(context);
  const { page, ...filter } = warningFilterOf(new URL(request.url).searchParams);
  const result = await orFail(
    listWarnings(context.app, actor, filter, { offset: (page - 1) * PAGE, limit: PAGE }),
  );
  const regions = await listRegions(context.app);
  const scope = new Set(await regionSubtree(context.app, me.regionCode));
  const names = new Map(regions.map((r) => [r.code, r.name]));
  const now = context.app.clock.now().toISOString();
  return {
    page,
    total: result.total,
    filter,
    counties: regions
      .filter((r) => r.level === "county" && scope.has(r.code))
      .map((r) => ({ value: r.code, label: r.name })),
    rows: result.rows.map((r) => ({
      ...warningView(r, now),
      baseName: r.base_name,
      county: names.get(r.region_code) ?? r.region_code,
    })),
    canSetPublic: can(me, "bases:manage"),
    publicShown: await orFail(getPublicWarningSetting(context.app, actor)),
  };
}

/** The office's setting: whether the public directory and base pages show 警示. */
export async function action({ request, context }: Route.ActionArgs) {
  await requireUser(context, request, "bases:manage");
  const fd = await readForm(request);
  try {
    const show = fd.get("show") === "1";
    await setPublicWarningSetting(context.app, actorOf(context), show);
    return { ok: true as const, done: show ? "公开页面将显示基地的警示状态" : "公开页面不再显示警示状态" };
  } catch (e) {
    return failWith(e, fd);
  }
}

export default function AdminWarnings({ loaderData, actionData }: Route.ComponentProps) {
  const [sp] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const d = loaderData;
  const pagination = useUrlPagination({ page: d.page, pageSize: PAGE, total: d.total, unit: "条" });
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between" }} wrap>
        <PageTitle style={{ margin: 0 }}>动态管理</PageTitle>
        <ButtonLink to={`/admin/warnings/export.xlsx${exportQuery(sp)}`} reloadDocument>
          导出
        </ButtonLink>
      </Space>
      <p className="kepu-muted">
        警示、限期整改、整改报告与复查。对某一基地提出警示：在【基地管理】中打开该基地，点【列入警示】。
      </p>
      {actionData?.ok && (
        <Alert type="success" showIcon role="status" title={actionData.done} style={{ marginBottom: 16 }} />
      )}
      {d.canSetPublic && (
        <Form method="post" style={{ marginBottom: 16 }}>
          <input type="hidden" name="show" value={d.publicShown ? "0" : "1"} />
          <Space wrap>
            <span>
              公开页面（科普基地名录、基地详情）
              {d.publicShown ? "目前显示基地的警示状态。" : "目前不显示基地的警示状态。"}
            </span>
            <Button htmlType="submit" loading={busy}>
              {d.publicShown ? "不再公开显示警示" : "公开显示警示"}
            </Button>
          </Space>
        </Form>
      )}
      <FilterBar label="筛选警示记录">
        <FilterSelect
          id="status"
          name="status"
          placeholder="状态"
          defaultValue={d.filter.status}
          options={WARNING_STATUSES.map((s) => ({ value: s, label: WARNING_STATUS_LABELS[s] }))}
          style={{ width: 170 }}
        />
        {d.counties.length > 1 && (
          <FilterSelect
            id="county"
            name="county"
            placeholder="县（市、区）"
            defaultValue={d.filter.county}
            options={d.counties}
            style={{ width: 150 }}
          />
        )}
        <FilterCheckbox name="overdue" label="仅看整改逾期" defaultChecked={d.filter.overdue} />
      </FilterBar>
      <StackedTable
        rowKey="id"
        dataSource={d.rows}
        scroll={{ x: 900 }}
        locale={{ emptyText: "没有符合条件的警示记录" }}
        pagination={pagination}
        columns={[
          {
            title: "基地名称",
            dataIndex: "baseName",
            render: (v, r) => <Link to={`/admin/warnings/${r.id}`}>{v}</Link>,
          },
          { title: "县（市、区）", dataIndex: "county" },
          { title: "来源", dataIndex: "source" },
          {
            title: "状态",
            dataIndex: "status",
            render: (s: WarningViewModel["status"], r) => (
              <Space size={4}>
                <Tag color={WARNING_STATUS_COLORS[s]}>{r.statusLabel}</Tag>
                {r.overdue && <Tag color="red">逾期</Tag>}
              </Space>
            ),
          },
          { title: "整改期限", dataIndex: "deadline" },
          { title: "列入时间", dataIndex: "createdAt" },
        ]}
      />
    </>
  );
}
