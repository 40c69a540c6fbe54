import { Alert, Button, Descriptions, Space, Tag, Typography } from "antd";
import { Form, Link, redirect, useNavigation } from "react-router";
import { startApplication } from "#src/modules/applications/applications.server.ts";
import { CALL_STATE_LABELS, formatDeadline } from "#src/modules/calls/calls.rules.ts";
import { getCall } from "#src/modules/calls/calls.server.ts";
import { listFiles } from "#src/modules/files/files.server.ts";
import { listCounties } from "#src/modules/regions/regions.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { CATEGORIES } from "#src/platform/db/reference-data.ts";
import { ButtonLink, PageTitle, SectionTitle } from "~/components/plain";
import { actorOf, failWith, orFail, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/call-detail";

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `${data?.call.title ?? "申报项目"} - 科普基地服务平台` },
];

export async function loader({ params, context }: Route.LoaderArgs) {
  const call = await orFail(getCall(context.app, params.callId));
  const role = context.user?.role ?? null;
  const documents = await listFiles(context.app, actorOf(context), "call", call.id);
  const counties = await listCounties(context.app);
  return {
    // 【我要申报】 shows while the call is open, to organizations and to visitors (who log in first).
    canApply: call.state === "open" && (role === null || role === "org"),
    documents: documents.map((f) => ({ id: f.id, name: f.name, url: f.url })),
    signedIn: role !== null,
    call: {
      kind: call.kind,
      title: call.title,
      state: call.state,
      opensAt: formatShanghai(call.opens_at),
      closesAt: formatDeadline(call.closes_at),
      notice: call.notice,
      categories: CATEGORIES.filter((c) => call.categoryCodes.includes(c.code)).map((c) => c.name),
      targets: counties.map((c) => ({ name: c.name, target: call.targets[c.code] ?? 0 })),
    },
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  await requireUser(context, request, "applications:apply");
  const fd = await readForm(request);
  try {
    const id = await startApplication(context.app, actorOf(context), params.callId);
    return redirect(`/applications/${id}/edit`);
  } catch (e) {
    return failWith(e, fd);
  }
}

export default function CallDetail({ loaderData, actionData, params }: Route.ComponentProps) {
  const { call } = loaderData;
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <Typography.Text>
        <Link to="/projects">项目大厅</Link> / <Link to="/projects/calls">项目申报</Link>
      </Typography.Text>
      <PageTitle>{call.kind}</PageTitle>
      <Descriptions bordered column={1} size="small">
        <Descriptions.Item label="项目">{call.title}</Descriptions.Item>
        <Descriptions.Item label="状态">
          <Tag color={call.state === "open" ? "green" : call.state === "closed" ? "red" : "default"}>
            {CALL_STATE_LABELS[call.state]}
          </Tag>
        </Descriptions.Item>
        <Descriptions.Item label="申报时间">
          {call.opensAt}（北京时间）起，{call.closesAt}
        </Descriptions.Item>
        <Descriptions.Item label="申报类别">{call.categories.join("、")}</Descriptions.Item>
        <Descriptions.Item label="各县（市、区）新申报数目标">
          {call.targets.map((t) => `${t.name} ${t.target}家`).join("；")}
        </Descriptions.Item>
      </Descriptions>
      {actionData?.message && (
        <Alert type="warning" showIcon title={actionData.message} style={{ marginTop: 16 }} role="alert" />
      )}
      {loaderData.canApply && (
        <Space style={{ marginTop: 16 }}>
          {loaderData.signedIn ? (
            <Form method="post">
              <Button type="primary" size="large" htmlType="submit" loading={busy}>
                我要申报
              </Button>
            </Form>
          ) : (
            <ButtonLink
              to={`/login/org?redirectTo=${encodeURIComponent(`/projects/calls/${params.callId}`)}`}
              type="primary"
              size="large"
            >
              我要申报
            </ButtonLink>
          )}
        </Space>
      )}
      <SectionTitle>申报通知</SectionTitle>
      <Typography.Paragraph style={{ whiteSpace: "pre-wrap" }}>{call.notice}</Typography.Paragraph>
      {loaderData.documents.length > 0 && (
        <>
          <SectionTitle level={3}>附件下载</SectionTitle>
          <ul>
            {loaderData.documents.map((d) => (
              <li key={d.id}>
                <a href={d.url}>{d.name}</a>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
