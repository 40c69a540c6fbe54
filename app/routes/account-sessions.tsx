import { Alert, Button, Card, Space, Tag, Typography } from "antd";
import { Form, useNavigation } from "react-router";
import { z } from "zod";
import { endMySession, listMySessions } from "#src/modules/accounts/accounts.server.ts";
import { describeUserAgent } from "#src/modules/accounts/user-agent.rules.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { PageTitle } from "~/components/plain";
import { actorOf, failWith, invalid, orFail, parseForm, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/account-sessions";

export const meta: Route.MetaFunction = () => [{ title: "登录设备 - 科普基地服务平台" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request);
  const sessions = await orFail(listMySessions(context.app, actorOf(context), context.sessionToken));
  return {
    max: context.app.config.maxSessionsPerUser,
    sessions: sessions.map((s) => ({
      ref: s.ref,
      device: describeUserAgent(s.userAgent),
      ip: s.ip ?? "未知",
      createdAt: formatShanghai(s.createdAt),
      lastSeenAt: formatShanghai(s.lastSeenAt),
      current: s.current,
    })),
  };
}

const endSchema = z.object({ ref: z.string().regex(/^(others|[0-9a-f]{24})$/, "登录设备无效") });

export async function action({ request, context }: Route.ActionArgs) {
  await requireUser(context, request);
  const fd = await readForm(request);
  const parsed = parseForm(endSchema, fd);
  if (!parsed.ok) return invalid(parsed.failure, 400);
  try {
    await endMySession(context.app, actorOf(context), parsed.data.ref, context.sessionToken);
  } catch (e) {
    return failWith(e, fd);
  }
  return { ok: true as const, done: parsed.data.ref === "others" ? "已退出其他所有设备" : "已退出该设备" };
}

export default function AccountSessions({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const others = loaderData.sessions.filter((s) => !s.current).length;
  return (
    <Card style={{ maxWidth: 720, margin: "16px auto" }}>
      <Space style={{ width: "100%", justifyContent: "space-between" }} wrap>
        <PageTitle style={{ margin: 0 }}>登录设备</PageTitle>
        {others > 0 && (
          <Form method="post">
            <input type="hidden" name="ref" value="others" />
            <Button danger htmlType="submit" loading={busy}>
              退出其他所有设备
            </Button>
          </Form>
        )}
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        以下是您的账号当前登录的设备。同一账号最多同时在 {loaderData.max}{" "}
        个设备上登录，超出时最早的登录自动退出；修改密码后其他设备会自动退出。发现不认识的设备，请退出它并立即修改密码。
      </Typography.Paragraph>
      {actionData && "done" in actionData && (
        <Alert type="success" showIcon title={actionData.done} role="status" style={{ marginBottom: 12 }} />
      )}
      {actionData && !actionData.ok && actionData.message && (
        <Alert type="error" showIcon title={actionData.message} role="alert" style={{ marginBottom: 12 }} />
      )}
      <Space orientation="vertical" size={8} style={{ width: "100%" }}>
        {loaderData.sessions.map((s) => (
          <Card key={s.ref} size="small" className="session-device">
            <div className="session-device-row">
              <div>
                <Space>
                  <Typography.Text strong>{s.device}</Typography.Text>
                  {s.current && <Tag color="blue">本设备</Tag>}
                </Space>
                <div>
                  <Typography.Text type="secondary">
                    IP {s.ip} · 登录于 {s.createdAt} · 最近活动 {s.lastSeenAt}
                  </Typography.Text>
                </div>
              </div>
              {!s.current && (
                <Form method="post">
                  <input type="hidden" name="ref" value={s.ref} />
                  <Button size="small" htmlType="submit" loading={busy} aria-label={`退出 ${s.device}`}>
                    退出
                  </Button>
                </Form>
              )}
            </div>
          </Card>
        ))}
      </Space>
    </Card>
  );
}
