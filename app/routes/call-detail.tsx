import { Descriptions, Tag, Typography } from "antd";
import { Link } from "react-router";
import { CALL_STATE_LABELS } from "#src/modules/calls/calls.rules.ts";
import { getCall } from "#src/modules/calls/calls.server.ts";
import { listCounties } from "#src/modules/regions/regions.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { CATEGORIES } from "#src/platform/db/reference-data.ts";
import { orFail } from "~/lib/route.server";
import type { Route } from "./+types/call-detail";

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `${data?.call.title ?? "申报项目"} - 科普基地服务平台` },
];

export async function loader({ params, context }: Route.LoaderArgs) {
  const call = await orFail(getCall(context.app, params.callId));
  const counties = await listCounties(context.app);
  return {
    call: {
      kind: call.kind,
      title: call.title,
      state: call.state,
      opensAt: formatShanghai(call.opens_at),
      closesAt: formatShanghai(call.closes_at),
      notice: call.notice,
      categories: CATEGORIES.filter((c) => call.categoryCodes.includes(c.code)).map((c) => c.name),
      targets: counties.map((c) => ({ name: c.name, target: call.targets[c.code] ?? 0 })),
    },
  };
}

export default function CallDetail({ loaderData }: Route.ComponentProps) {
  const { call } = loaderData;
  return (
    <>
      <Typography.Text>
        <Link to="/projects">项目大厅</Link> / <Link to="/projects/calls">项目申报</Link>
      </Typography.Text>
      <Typography.Title level={3}>{call.kind}</Typography.Title>
      <Descriptions bordered column={1} size="small">
        <Descriptions.Item label="项目">{call.title}</Descriptions.Item>
        <Descriptions.Item label="状态">
          <Tag color={call.state === "open" ? "green" : call.state === "closed" ? "red" : "default"}>
            {CALL_STATE_LABELS[call.state]}
          </Tag>
        </Descriptions.Item>
        <Descriptions.Item label="申报时间">
          {call.opensAt} 至 {call.closesAt}（北京时间）
        </Descriptions.Item>
        <Descriptions.Item label="申报类别">{call.categories.join("、")}</Descriptions.Item>
        <Descriptions.Item label="各县（市、区）新申报数目标">
          {call.targets.map((t) => `${t.name} ${t.target}家`).join("；")}
        </Descriptions.Item>
      </Descriptions>
      <Typography.Title level={4}>申报通知</Typography.Title>
      <Typography.Paragraph style={{ whiteSpace: "pre-wrap" }}>{call.notice}</Typography.Paragraph>
    </>
  );
}
