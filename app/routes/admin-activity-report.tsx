import { Button, Card, Descriptions, Image, Input, Radio, Space, Tag, Typography } from "antd";
import { Form, Link, redirect, useNavigation } from "react-router";
import {
  ACTIVITY_TYPE_LABELS,
  REPORT_STATUS_COLORS,
  REPORT_STATUS_LABELS,
} from "#src/modules/activities/activities.rules.ts";
import { reviewReportSchema } from "#src/modules/activities/activities.schema.ts";
import { getReportForReview, reviewReport } from "#src/modules/activities/activities.server.ts";
import { formatSpan } from "#src/modules/activities/activities.view.server.ts";
import { listFiles } from "#src/modules/files/files.server.ts";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle } from "~/components/plain";
import { actorOf, failWith, invalid, orFail, parseForm, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-activity-report";

export const meta: Route.MetaFunction = () => [{ title: "审核活动小结 - 科普基地服务平台" }];

export async function loader({ params, request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "activities:review");
  const actor = actorOf(context);
  const a = await orFail(getReportForReview(context.app, actor, params.id));
  const files = await listFiles(context.app, actor, "activity", a.id);
  return {
    a: {
      id: a.id,
      name: a.name,
      baseId: a.base_id,
      baseName: a.base_name,
      type: ACTIVITY_TYPE_LABELS[a.type],
      when: formatSpan(a.starts_at, a.ends_at),
      expected: a.expected_participants,
      participants: a.actual_participants,
      summary: a.report_summary,
      links: JSON.parse(a.report_links) as string[],
      status: a.report_status,
      returnReason: a.report_return_reason,
      version: a.version,
    },
    photos: files
      .filter((f) => f.kind === "image")
      .map((f) => ({ id: f.id, url: f.url, thumbUrl: f.thumbUrl })),
    videos: files.filter((f) => f.kind === "video").map((f) => ({ id: f.id, url: f.url, name: f.name })),
  };
}

export async function action({ params, request, context }: Route.ActionArgs) {
  await requireUser(context, request, "activities:review");
  const fd = await readForm(request);
  const parsed = parseForm(reviewReportSchema, fd);
  if (!parsed.ok) return invalid({ ...parsed.failure, message: "请选择审核结果；退回时请填写原因" });
  try {
    await reviewReport(context.app, actorOf(context), params.id, parsed.data);
  } catch (e) {
    return failWith(e, fd);
  }
  throw redirect("/admin/activity-reports");
}

export default function AdminActivityReport({ loaderData, actionData }: Route.ComponentProps) {
  const { a, photos, videos } = loaderData;
  const busy = useNavigation().state === "submitting";
  const failure = actionData && !actionData.ok ? actionData : undefined;
  return (
    <>
      <PageTitle>审核活动小结</PageTitle>
      <p>
        <Link to="/admin/activity-reports">返回活动小结审核</Link>
      </p>
      <FormAlert failure={failure} />
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, md: 2 }}
        style={{ marginBottom: 16 }}
        items={[
          { key: "name", label: "活动名称", children: <Link to={`/activities/${a.id}`}>{a.name}</Link> },
          { key: "base", label: "基地", children: <Link to={`/bases/${a.baseId}`}>{a.baseName}</Link> },
          { key: "type", label: "活动类型", children: a.type },
          { key: "when", label: "活动时间", children: a.when },
          { key: "expected", label: "预计参与人数", children: a.expected ?? "—" },
          { key: "participants", label: "活动参与人数", children: a.participants ?? "—" },
          {
            key: "status",
            label: "状态",
            children: <Tag color={REPORT_STATUS_COLORS[a.status]}>{REPORT_STATUS_LABELS[a.status]}</Tag>,
          },
          ...(a.returnReason ? [{ key: "reason", label: "退回原因", children: a.returnReason }] : []),
        ]}
      />
      <Card size="small" title="活动情况简介" style={{ marginBottom: 16 }}>
        <Typography.Paragraph style={{ whiteSpace: "pre-wrap" }}>{a.summary}</Typography.Paragraph>
        {a.links.map((l) => (
          <div key={l}>
            <a href={l} target="_blank" rel="noreferrer nofollow">
              {l}
            </a>
          </div>
        ))}
      </Card>
      <Card
        size="small"
        title={`活动图片（${photos.length}）与视频（${videos.length}）`}
        style={{ marginBottom: 16 }}
      >
        <div style={{ display: "flex", flexWrap: "wrap", gap: 8 }}>
          {photos.map((p, i) => (
            <Image
              key={p.id}
              width={140}
              src={`${p.thumbUrl ?? p.url}?inline=1`}
              preview={{ src: `${p.url}?inline=1` }}
              alt={`活动图片${i + 1}`}
            />
          ))}
        </div>
        {videos.map((v) => (
          <div key={v.id}>
            <a href={v.url}>{v.name}</a>
          </div>
        ))}
      </Card>
      {a.status === "submitted" && (
        <Card size="small" title="审核意见">
          <Form method="post" noValidate>
            <input type="hidden" name="version" value={a.version} />
            <FieldLayout>
              <Field label="审核结果" htmlFor="decision" error={failure?.fieldErrors.decision} required>
                <div id="decision" role="radiogroup" aria-label="审核结果">
                  <Radio.Group name="decision" defaultValue={failure?.values.decision}>
                    <Radio value="accept">通过</Radio>
                    <Radio value="return">退回修改</Radio>
                  </Radio.Group>
                </div>
              </Field>
              <Field label="退回原因" htmlFor="reason" error={failure?.fieldErrors.reason}>
                <Input.TextArea
                  id="reason"
                  name="reason"
                  rows={3}
                  maxLength={500}
                  defaultValue={failure?.values.reason}
                />
              </Field>
              <Space>
                <Button type="primary" htmlType="submit" loading={busy}>
                  提交审核意见
                </Button>
              </Space>
            </FieldLayout>
          </Form>
        </Card>
      )}
    </>
  );
}
