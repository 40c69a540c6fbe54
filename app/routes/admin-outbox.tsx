import { Alert, Button, Space, Table, Tag, Typography } from "antd";
import { Form, Link, useNavigation, useSearchParams } from "react-router";
import { z } from "zod";
import { listUndelivered, resendOutboxMessage } from "#src/modules/notifications/outbox.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { PageTitle } from "~/components/plain";
import { actorOf, failWith, invalid, orFail, parseForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-outbox";

export const meta: Route.MetaFunction = () => [{ title: "消息发送记录 - 科普基地服务平台" }];

const STATUS = {
  failed: { label: "发送失败", color: "red" },
  pending: { label: "等待发送", color: "blue" },
  sending: { label: "发送中", color: "processing" },
  sent: { label: "已发送", color: "green" },
} as const;

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "outbox:manage");
  const s = new URL(request.url).searchParams.get("status");
  const status = s === "failed" || s === "pending" ? s : undefined;
  const rows = await orFail(listUndelivered(context.app, actorOf(context), { status }));
  return {
    rows: rows.map((m) => ({
      ...m,
      channel: m.channel === "sms" ? "短信" : "邮件",
      createdAt: formatShanghai(m.createdAt),
      nextAttemptAt: m.status === "pending" ? formatShanghai(m.nextAttemptAt) : "",
    })),
  };
}

const resendSchema = z.object({ id: z.string().min(1, "消息无效").max(64) });

export async function action({ request, context }: Route.ActionArgs) {
  await requireUser(context, request, "outbox:manage");
  const fd = await request.formData();
  const parsed = parseForm(resendSchema, fd);
  if (!parsed.ok) return invalid(parsed.failure, 400);
  try {
    await resendOutboxMessage(context.app, actorOf(context), parsed.data.id);
  } catch (e) {
    return failWith(e, fd);
  }
  return { ok: true as const };
}

export default function AdminOutbox({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const [sp] = useSearchParams();
  const current = sp.get("status") ?? "";
  return (
    <>
      <PageTitle>消息发送记录</PageTitle>
      <Typography.Paragraph type="secondary">
        尚未送达的短信和邮件。发送失败的消息会在 1 分钟、5 分钟、30 分钟、2 小时后自动重试，5
        次仍失败则停止，可在核实号码或邮箱后【重新发送】。
      </Typography.Paragraph>
      <Space style={{ marginBottom: 12 }}>
        {[
          ["", "全部"],
          ["failed", "发送失败"],
          ["pending", "等待发送"],
        ].map(([v, label]) => (
          <Link key={v} to={v ? `?status=${v}` : "?"} aria-current={current === v ? "page" : undefined}>
            <Tag color={current === v ? "blue" : undefined}>{label}</Tag>
          </Link>
        ))}
      </Space>
      {actionData?.ok && (
        <Alert
          type="success"
          showIcon
          title="已重新排入发送队列"
          role="status"
          style={{ marginBottom: 12 }}
        />
      )}
      {actionData && !actionData.ok && actionData.message && (
        <Alert type="error" showIcon title={actionData.message} role="alert" style={{ marginBottom: 12 }} />
      )}
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={loaderData.rows}
        locale={{ emptyText: "没有未送达的消息" }}
        columns={[
          { title: "时间", dataIndex: "createdAt", width: 160 },
          { title: "渠道", dataIndex: "channel", width: 60 },
          { title: "接收人", dataIndex: "recipient", width: 170 },
          { title: "标题", dataIndex: "subject" },
          {
            title: "状态",
            dataIndex: "status",
            width: 100,
            render: (s: keyof typeof STATUS) => <Tag color={STATUS[s].color}>{STATUS[s].label}</Tag>,
          },
          { title: "尝试次数", dataIndex: "attempts", width: 80 },
          { title: "错误", dataIndex: "lastError", render: (e: string | null) => e ?? "" },
          { title: "下次尝试", dataIndex: "nextAttemptAt", width: 160 },
          {
            title: "操作",
            key: "op",
            width: 100,
            render: (_: unknown, m: { id: string; status: string }) =>
              m.status === "failed" ? (
                <Form method="post">
                  <input type="hidden" name="id" value={m.id} />
                  <Button size="small" htmlType="submit" loading={busy}>
                    重新发送
                  </Button>
                </Form>
              ) : null,
          },
        ]}
      />
    </>
  );
}
