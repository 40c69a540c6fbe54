import { Button, Input, Space, Tag } from "antd";
import { Form, Link, useSearchParams } from "react-router";
import { ROLE_LABELS } from "#src/modules/accounts/accounts.policy.ts";
import { AUDIT_ACTION_LABELS, auditTargetText, OUTCOME_LABELS } from "#src/modules/audit/audit.labels.ts";
import { listAuditActions, listAuditEvents } from "#src/modules/audit/audit.server.ts";
import { auditFilterOf } from "#src/modules/audit/audit-export.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import type { Role } from "#src/platform/db/schema.ts";
import { ButtonLink, PageTitle } from "~/components/plain";
import { SelectInput } from "~/components/select-input";
import { StackedTable } from "~/components/stacked-table";
import { requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-audit";

export const meta: Route.MetaFunction = () => [{ title: "审计日志 - 科普基地服务平台" }];

const PAGE = 50;
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "audit:read");
  const sp = new URL(request.url).searchParams;
  const rows = await listAuditEvents(context.app, { ...auditFilterOf(sp), limit: PAGE + 1 });
  const actions = await listAuditActions(context.app);
  return {
    actions: actions.map((a) => ({ value: a, label: AUDIT_ACTION_LABELS[a] ?? a })),
    next: rows.length > PAGE ? rows[PAGE - 1].id : null,
    rows: rows.slice(0, PAGE).map((e) => ({
      id: e.id,
      at: formatShanghai(e.at),
      actor: e.actor_label ?? "匿名",
      role: e.actor_role ? (ROLE_LABELS[e.actor_role as Role] ?? e.actor_role) : "",
      ip: e.ip ?? "",
      action: AUDIT_ACTION_LABELS[e.action] ?? e.action,
      target: auditTargetText(e),
      outcome: e.outcome,
      detail: e.detail ?? "",
    })),
  };
}

export default function AdminAudit({ loaderData }: Route.ComponentProps) {
  const [sp] = useSearchParams();
  const nextParams = new URLSearchParams(sp);
  if (loaderData.next) nextParams.set("before", loaderData.next);
  // Every page of the current filters, not just this one.
  const exportParams = new URLSearchParams(sp);
  exportParams.delete("before");
  return (
    <>
      <PageTitle>审计日志</PageTitle>
      <Form method="get" style={{ marginBottom: 16 }}>
        <Space wrap>
          <label htmlFor="actor">操作人</label>
          <Input
            id="actor"
            name="actor"
            defaultValue={sp.get("actor") ?? ""}
            placeholder="用户名或统一社会信用代码"
            style={{ width: 220 }}
          />
          <label htmlFor="action">操作类型</label>
          <SelectInput
            id="action"
            name="action"
            allowClear
            defaultValue={sp.get("action") ?? undefined}
            options={loaderData.actions}
            style={{ width: 150 }}
          />
          <label htmlFor="from">从</label>
          <Input
            id="from"
            name="from"
            type="date"
            defaultValue={sp.get("from") ?? ""}
            style={{ width: 150 }}
          />
          <label htmlFor="to">至</label>
          <Input id="to" name="to" type="date" defaultValue={sp.get("to") ?? ""} style={{ width: 150 }} />
          <Button htmlType="submit" type="primary">
            查询
          </Button>
          <ButtonLink to={`/admin/audit/export.xlsx?${exportParams}`} reloadDocument>
            导出 Excel
          </ButtonLink>
        </Space>
      </Form>
      <StackedTable
        rowKey="id"
        size="small"
        dataSource={loaderData.rows}
        pagination={false}
        scroll={{ x: 1000 }}
        locale={{ emptyText: "没有符合条件的记录" }}
        columns={[
          { title: "时间", dataIndex: "at", width: 170 },
          { title: "操作人", dataIndex: "actor" },
          { title: "角色", dataIndex: "role" },
          { title: "IP", dataIndex: "ip" },
          { title: "操作", dataIndex: "action" },
          { title: "对象", dataIndex: "target", ellipsis: true },
          {
            title: "结果",
            dataIndex: "outcome",
            render: (o: string) => (
              <Tag color={o === "success" ? "green" : o === "denied" ? "orange" : "red"}>
                {OUTCOME_LABELS[o] ?? o}
              </Tag>
            ),
          },
          { title: "详情", dataIndex: "detail", ellipsis: true },
        ]}
      />
      {loaderData.next && (
        <div style={{ marginTop: 16 }}>
          <Link to={`?${nextParams}`}>下一页</Link>
        </div>
      )}
    </>
  );
}
