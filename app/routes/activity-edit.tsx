import { Alert, Button, Card, Input, Space, Tag, Typography } from "antd";
import { Form, Link, redirect, useNavigation } from "react-router";
import {
  ACTIVITY_SLOTS,
  isoToShanghaiLocal,
  REPORT_STATUS_COLORS,
  REPORT_STATUS_LABELS,
} from "#src/modules/activities/activities.rules.ts";
import { editAnnouncementSchema, reportSchema } from "#src/modules/activities/activities.schema.ts";
import {
  fileReport,
  getEditableActivity,
  listCampaigns,
  updateAnnouncement,
} from "#src/modules/activities/activities.server.ts";
import { formatSpan } from "#src/modules/activities/activities.view.server.ts";
import { listFiles } from "#src/modules/files/files.server.ts";
import { KIND_EXTENSIONS } from "#src/modules/files/slots.ts";
import { ActivityFields, joinCampaignIds } from "~/components/activity-fields";
import { AttachmentUpload } from "~/components/attachment-upload";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle } from "~/components/plain";
import { actorOf, failWith, invalid, orFail, parseForm, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/activity-edit";

export const meta: Route.MetaFunction = () => [{ title: "编辑活动 - 科普基地服务平台" }];

const slotView = (
  slot: (typeof ACTIVITY_SLOTS)[keyof typeof ACTIVITY_SLOTS],
  files: { id: string; name: string; url: string; thumbUrl?: string; slot: string }[],
) => ({
  id: slot.id,
  label: slot.label,
  max: slot.max,
  accept: slot.kinds.flatMap((k) => KIND_EXTENSIONS[k].map((e) => `.${e}`)).join(","),
  files: files
    .filter((f) => f.slot === slot.id)
    .map((f) => ({ id: f.id, name: f.name, url: f.url, thumbUrl: f.thumbUrl })),
});

/** 【编辑】: the announcement, and once the activity has ended the 活动小结 with photos and videos. */
export async function loader({ params, request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "activities:announce");
  const actor = actorOf(context);
  const e = await orFail(getEditableActivity(context.app, actor, params.id));
  const a = e.activity;
  const today = new Date(context.app.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const campaigns = (await listCampaigns(context.app)).filter(
    (c) => c.ends_on >= today || e.campaignIds.includes(c.id),
  );
  const cover = await listFiles(context.app, actor, "activity_cover", a.id);
  const reportFiles = await listFiles(context.app, actor, "activity", a.id);
  return {
    activity: {
      id: a.id,
      name: a.name,
      baseId: e.base.id,
      baseName: e.base.name,
      version: a.version,
      when: formatSpan(a.starts_at, a.ends_at),
      reportStatus: a.report_status,
      returnReason: a.report_return_reason,
      reportLinks: (JSON.parse(a.report_links) as string[]).join("\n"),
      actualParticipants: a.actual_participants === null ? "" : String(a.actual_participants),
      reportSummary: a.report_summary,
    },
    values: {
      name: a.name,
      type: a.type,
      form: a.form,
      startsAt: isoToShanghaiLocal(a.starts_at),
      endsAt: isoToShanghaiLocal(a.ends_at),
      place: a.place,
      link: a.link,
      audience: a.audience,
      expectedParticipants: a.expected_participants === null ? "" : String(a.expected_participants),
      fee: a.fee,
      direction: a.direction,
      contactName: a.contact_name,
      contactPhone: a.contact_phone,
      description: a.description,
    } as Record<string, string>,
    campaignIds: e.campaignIds,
    campaigns: campaigns.map((c) => ({ id: c.id, title: c.title, expectations: c.expectations })),
    canReport: e.canReport,
    cover: slotView(ACTIVITY_SLOTS.cover, cover),
    photos: slotView(ACTIVITY_SLOTS.photos, reportFiles),
    videos: slotView(ACTIVITY_SLOTS.videos, reportFiles),
  };
}

export async function action({ params, request, context }: Route.ActionArgs) {
  await requireUser(context, request, "activities:announce");
  const actor = actorOf(context);
  const fd = await readForm(request);
  if (fd.get("intent") === "report") {
    const parsed = parseForm(reportSchema, fd);
    if (!parsed.ok)
      return invalid({ ...parsed.failure, message: "活动小结有填写不正确的内容，请按提示修改" });
    let baseId: string;
    try {
      await fileReport(context.app, actor, params.id, parsed.data);
      baseId = (await getEditableActivity(context.app, actor, params.id)).base.id;
    } catch (e) {
      return failWith(e, fd);
    }
    throw redirect(`/bases/${baseId}/activities?reported=1`);
  }
  joinCampaignIds(fd);
  const parsed = parseForm(editAnnouncementSchema, fd);
  if (!parsed.ok) return invalid({ ...parsed.failure, message: "活动预告有填写不正确的内容，请按提示修改" });
  try {
    await updateAnnouncement(context.app, actor, params.id, parsed.data);
    return { ok: true as const };
  } catch (e) {
    return failWith(e, fd);
  }
}

export default function ActivityEdit({ loaderData, actionData }: Route.ComponentProps) {
  const d = loaderData;
  const a = d.activity;
  const busy = useNavigation().state === "submitting";
  const failure = actionData && !actionData.ok ? actionData : undefined;
  const reportFailure = failure?.values.intent === "report" ? failure : undefined;
  const editFailure = failure && !reportFailure ? failure : undefined;
  const accepted = a.reportStatus === "accepted";
  const rv = (k: string, fallback: string) => reportFailure?.values[k] ?? fallback;
  return (
    <>
      <PageTitle style={{ marginBottom: 4 }}>编辑活动</PageTitle>
      <p style={{ margin: "0 0 16px" }}>
        <Link to={`/bases/${a.baseId}/activities`}>{a.baseName} · 活动列表</Link>
        <span style={{ marginLeft: 8 }}>{a.when}</span>
        {d.canReport && (
          <Tag color={REPORT_STATUS_COLORS[a.reportStatus]} style={{ marginLeft: 8 }}>
            {REPORT_STATUS_LABELS[a.reportStatus]}
          </Tag>
        )}
      </p>
      {actionData?.ok && (
        <Alert type="success" showIcon role="status" title="活动信息已保存" style={{ marginBottom: 16 }} />
      )}
      <FormAlert failure={failure} />
      {a.reportStatus === "returned" && a.returnReason && (
        <Alert
          type="warning"
          showIcon
          title="活动小结被退回"
          description={`退回原因：${a.returnReason}。请修改后重新提交。`}
          style={{ marginBottom: 16 }}
        />
      )}
      <Card size="small" title="活动小结" style={{ marginBottom: 16 }}>
        {!d.canReport ? (
          <Typography.Paragraph style={{ margin: 0 }}>活动结束后，可在此上传活动小结。</Typography.Paragraph>
        ) : (
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="report" />
            <input type="hidden" name="version" value={a.version} />
            <FieldLayout>
              <Field
                label="信息报道链接"
                htmlFor="links"
                error={reportFailure?.fieldErrors.links}
                extra="每行一个网址，以 http:// 或 https:// 开头"
              >
                <Input.TextArea
                  id="links"
                  name="links"
                  rows={3}
                  defaultValue={rv("links", a.reportLinks)}
                  disabled={accepted}
                />
              </Field>
              <Field
                label="活动参与人数"
                htmlFor="actualParticipants"
                error={reportFailure?.fieldErrors.actualParticipants}
                required
              >
                <Input
                  id="actualParticipants"
                  name="actualParticipants"
                  inputMode="numeric"
                  defaultValue={rv("actualParticipants", a.actualParticipants)}
                  style={{ maxWidth: 160 }}
                  disabled={accepted}
                />
              </Field>
              <Field
                label="活动情况简介"
                htmlFor="summary"
                error={reportFailure?.fieldErrors.summary}
                required
              >
                <Input.TextArea
                  id="summary"
                  name="summary"
                  rows={5}
                  maxLength={2000}
                  defaultValue={rv("summary", a.reportSummary)}
                  disabled={accepted}
                />
              </Field>
              <Field
                label={`${d.photos.label}（至少1张，最多${d.photos.max}张）`}
                htmlFor={`file_${d.photos.id}`}
                error={reportFailure?.fieldErrors[d.photos.id]}
                required
              >
                <AttachmentUpload
                  id={`file_${d.photos.id}`}
                  action={`/files/activity/${a.id}/${d.photos.id}`}
                  accept={d.photos.accept}
                  max={d.photos.max}
                  image
                  files={d.photos.files}
                  disabled={accepted}
                />
              </Field>
              <Field
                label={`${d.videos.label}（选填，最多${d.videos.max}个）`}
                htmlFor={`file_${d.videos.id}`}
              >
                <AttachmentUpload
                  id={`file_${d.videos.id}`}
                  action={`/files/activity/${a.id}/${d.videos.id}`}
                  accept={d.videos.accept}
                  max={d.videos.max}
                  image={false}
                  files={d.videos.files}
                  disabled={accepted}
                />
              </Field>
              {!accepted && (
                <Button type="primary" htmlType="submit" loading={busy}>
                  提交活动小结
                </Button>
              )}
            </FieldLayout>
          </Form>
        )}
      </Card>
      <Card size="small" title="活动预告" style={{ marginBottom: 16 }}>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="update" />
          <input type="hidden" name="version" value={a.version} />
          <FieldLayout>
            <ActivityFields
              values={editFailure?.values ?? d.values}
              campaignIds={editFailure ? (editFailure.values.campaignIds ?? "").split(",") : d.campaignIds}
              campaigns={d.campaigns}
              errors={editFailure?.fieldErrors ?? {}}
              disabled={accepted}
            />
            {!accepted && (
              <Space>
                <Button htmlType="submit" loading={busy}>
                  保存活动信息
                </Button>
              </Space>
            )}
          </FieldLayout>
        </Form>
      </Card>
      <Card size="small" title={`${d.cover.label}（选填，公开展示）`}>
        <AttachmentUpload
          id={`file_${d.cover.id}`}
          action={`/files/activity_cover/${a.id}/${d.cover.id}`}
          accept={d.cover.accept}
          max={d.cover.max}
          image
          files={d.cover.files}
          disabled={accepted}
        />
      </Card>
    </>
  );
}
