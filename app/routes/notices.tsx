import { List, Typography } from "antd";
import { Link } from "react-router";
import { listPublicNotices } from "#src/modules/notices/notices.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { NoticePhaseTag } from "~/components/notice-phase-tag";
import { PageTitle } from "~/components/plain";
import type { Route } from "./+types/notices";

export const meta: Route.MetaFunction = () => [{ title: "公示栏 - 科普基地服务平台" }];

export async function loader({ context }: Route.LoaderArgs) {
  const notices = await listPublicNotices(context.app);
  return {
    notices: notices.map((n) => ({
      id: n.id,
      kind: n.kind,
      title: n.title,
      phase: n.phase,
      entries: n.entries,
      start: formatShanghai(n.starts_at).slice(0, 10),
      // The period ends at 24:00 of its last day: show that day.
      end: formatShanghai(new Date(new Date(n.ends_at).getTime() - 1)).slice(0, 10),
    })),
  };
}

export default function Notices({ loaderData }: Route.ComponentProps) {
  return (
    <>
      <PageTitle>公示栏</PageTitle>
      <Typography.Paragraph type="secondary">
        科普教育基地拟认定名单公示与认定命名公告。公示期内，任何单位和个人均可实名提出异议。
      </Typography.Paragraph>
      <List
        bordered
        dataSource={loaderData.notices}
        locale={{ emptyText: "暂无公示" }}
        renderItem={(n) => (
          <List.Item actions={[<NoticePhaseTag key="phase" phase={n.phase} />]}>
            <List.Item.Meta
              title={<Link to={`/notices/${n.id}`}>{n.title}</Link>}
              description={
                n.kind === "naming"
                  ? `发布日期：${n.start}　命名 ${n.entries} 家`
                  : `公示期：${n.start} 至 ${n.end}　共 ${n.entries} 家`
              }
            />
          </List.Item>
        )}
      />
    </>
  );
}
