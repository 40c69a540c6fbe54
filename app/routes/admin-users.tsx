import { Button, Input, Space, Tag } from "antd";
import { Form, Link, useSearchParams } from "react-router";
import { can, ROLE_LABELS } from "#src/modules/accounts/accounts.policy.ts";
import { listUsers } from "#src/modules/accounts/accounts.server.ts";
import { userFilterOf } from "#src/modules/accounts/users-export.server.ts";
import { listRegions, regionSubtree } from "#src/modules/regions/regions.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import type { Role } from "#src/platform/db/schema.ts";
import { pageParam } from "#src/platform/paging.rules.ts";
import { ButtonLink, PageTitle } from "~/components/plain";
import { SelectInput } from "~/components/select-input";
import { StackedTable } from "~/components/stacked-table";
import { useUrlPagination } from "~/components/url-pagination";
import { exportQuery } from "~/lib/export-query";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-users";

export const meta: Route.MetaFunction = () => [{ title: "用户管理 - 科普基地服务平台" }];

const PAGE_SIZE = 20;
const ROLES = Object.keys(ROLE_LABELS) as Role[];

export async function loader({ request, context }: Route.LoaderArgs) {
  const me = await requireUser(context, request, "users:read");
  const sp = new URL(request.url).searchParams;
  const page = pageParam(sp.get("page"));
  const { rows, total } = await orFail(
    listUsers(context.app, actorOf(context), {
      ...userFilterOf(sp),
      offset: (page - 1) * PAGE_SIZE,
      limit: PAGE_SIZE,
    }),
  );
  const regions = await listRegions(context.app);
  const scope = await regionSubtree(context.app, me.regionCode);
  const name = (code: string) => regions.find((r) => r.code === code)?.name ?? code;
  return {
    canManage: can(me, "users:manage"),
    page,
    total,
    regions: regions.filter((r) => scope.includes(r.code)).map((r) => ({ value: r.code, label: r.name })),
    rows: rows.map((u) => ({
      id: u.id,
      login: u.username ?? u.uscc ?? "",
      displayName: u.display_name,
      role: ROLE_LABELS[u.role],
      region: name(u.region_code),
      disabled: !!u.disabled_at,
      lastLogin: formatShanghai(u.last_login_at),
    })),
  };
}

export default function AdminUsers({ loaderData }: Route.ComponentProps) {
  const [sp] = useSearchParams();
  const pagination = useUrlPagination({
    page: loaderData.page,
    pageSize: PAGE_SIZE,
    total: loaderData.total,
    unit: "个账号",
  });
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between" }} wrap>
        <PageTitle style={{ margin: 0 }}>{loaderData.canManage ? "用户管理" : "账号查询"}</PageTitle>
        <Space wrap>
          <ButtonLink to={`/admin/users/export.xlsx${exportQuery(sp)}`} reloadDocument>
            导出
          </ButtonLink>
          {loaderData.canManage && (
            <ButtonLink to="/admin/users/new" type="primary">
              新建用户
            </ButtonLink>
          )}
        </Space>
      </Space>
      <Form method="get" style={{ margin: "16px 0" }}>
        <Space wrap>
          <label htmlFor="q" className="sr-only">
            关键词
          </label>
          <Input
            id="q"
            name="q"
            placeholder="名称、用户名或统一社会信用代码"
            defaultValue={sp.get("q") ?? ""}
            style={{ width: 260 }}
          />
          <SelectInput
            id="role"
            name="role"
            placeholder="角色"
            allowClear
            defaultValue={sp.get("role") ?? undefined}
            style={{ width: 170 }}
            options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
          />
          <SelectInput
            id="region"
            name="region"
            placeholder="区域"
            allowClear
            defaultValue={sp.get("region") ?? undefined}
            style={{ width: 130 }}
            options={loaderData.regions}
          />
          <SelectInput
            id="status"
            name="status"
            placeholder="状态"
            allowClear
            defaultValue={sp.get("status") ?? undefined}
            style={{ width: 110 }}
            options={[
              { value: "active", label: "正常" },
              { value: "disabled", label: "已停用" },
            ]}
          />
          <Button htmlType="submit">查询</Button>
        </Space>
      </Form>
      <StackedTable
        rowKey="id"
        dataSource={loaderData.rows}
        scroll={{ x: 800 }}
        locale={{ emptyText: "没有符合条件的账号" }}
        pagination={pagination}
        columns={[
          {
            title: "名称",
            dataIndex: "displayName",
            render: (v, u) => <Link to={`/admin/users/${u.id}`}>{v}</Link>,
          },
          { title: "登录名", dataIndex: "login" },
          { title: "角色", dataIndex: "role" },
          { title: "区域", dataIndex: "region" },
          {
            title: "状态",
            dataIndex: "disabled",
            render: (d) => (d ? <Tag color="red">已停用</Tag> : <Tag color="green">正常</Tag>),
          },
          { title: "最近登录", dataIndex: "lastLogin" },
        ]}
      />
    </>
  );
}
