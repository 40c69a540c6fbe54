import { Badge, Button, Empty, List, Space } from "antd";
import { Form, Link } from "react-router";
import { listNotifications, markNotificationsRead } from "#src/modules/notifications/notifications.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { PageTitle } from "~/components/plain";
import { requireUser } from "~/lib/route.server";
import type { Route } from "./+types/notifications";

export const meta: Route.MetaFunction = () => [{ title: "消息 - 科普基地服务平台" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await requireUser(context, request);
  const rows = await listNotifications(context.app, user.id, { limit: 100 });
  return {
    rows: rows.map((n) => ({
      id: n.id,
      title: n.title,
      body: n.body,
      link: n.link,
      unread: !n.read_at,
      at: formatShanghai(n.created_at),
    })),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = await requireUser(context, request);
  await markNotificationsRead(context.app, user.id, "all");
  return { ok: true };
}

export default function Notifications({ loaderData }: Route.ComponentProps) {
  const unread = loaderData.rows.filter((r) => r.unread).length;
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between" }} wrap>
        <PageTitle style={{ margin: 0 }}>
          消息 <Badge count={unread} />
        </PageTitle>
        {unread > 0 && (
          <Form method="post">
            <Button htmlType="submit">全部标为已读</Button>
          </Form>
        )}
      </Space>
      {loaderData.rows.length === 0 ? (
        <Empty description="暂无消息" />
      ) : (
        <List
          dataSource={loaderData.rows}
          renderItem={(n) => (
            <List.Item extra={<span className="kepu-muted kepu-small">{n.at}</span>}>
              <List.Item.Meta
                title={
                  <Space>
                    {n.unread && <Badge status="processing" />}
                    {n.link ? <Link to={n.link}>{n.title}</Link> : n.title}
                  </Space>
                }
                description={n.body}
              />
            </List.Item>
          )}
        />
      )}
    </>
  );
}
