import { Alert, Button, Card, Descriptions, Input, Space, Tag, Typography } from "antd";
import { Form, Link, useActionData, useNavigation } from "react-router";
import { WARNING_STATUS_COLORS } from "#src/modules/dynamic-management/dynamic-management.rules.ts";
import { reportSchema } from "#src/modules/dynamic-management/dynamic-management.schema.ts";
import { getWarning, saveReport } from "#src/modules/dynamic-management/dynamic-management.server.ts";
import {
  eventView,
  WARNING_ACCEPT,
  warningView,
} from "#src/modules/dynamic-management/dynamic-management.view.server.ts";
import { listFiles } from "#src/modules/files/files.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { AttachmentUpload } from "~/components/attachment-upload";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle } from "~/components/plain";
import { WarningTimeline } from "~/components/warning-timeline";
import { actorOf, failWith, invalid, orFail, parseForm, readForm, requireUser } from "~/lib/route.server";
import { useDraftAutosave } from "~/lib/use-draft-autosave";
import type { Route } from "./+types/my-base-rectification";

export const meta: Route.MetaFunction = () => [{ title: "整改报告 - 我的基地 - 科普基地服务平台" }];

export async function loader({ request, params, context }: Route.LoaderArgs) {
  await requireUser(context, request, "bases:own");
  const actor = actorOf(context);
  const v = await orFail(getWarning(context.app, actor, params.id));
  const files = await listFiles(context.app, actor, "base_warning", params.id);
  const now = context.app.clock.now().toISOString();
  return {
    warning: warningView(v.warning, now),
    accept: WARNING_ACCEPT,
    baseName: v.baseName,
    editable: v.actions.includes("report"),
    savedAt: v.warning.report_text && !v.warning.report_at ? formatShanghai(v.warning.updated_at) : "",
    // The base sees what was done and when; not which staff member did it.
    events: v.events.map((e) => ({ ...eventView(e), who: "" })),
    files: files
      .filter((f) => f.slot === "report_evidence")
      .map((f) => ({ id: f.id, name: f.name, url: f.url, thumbUrl: f.thumbUrl })),
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  await requireUser(context, request, "bases:own");
  const fd = await readForm(request);
  const parsed = parseForm(reportSchema, fd);
  if (!parsed.ok) return invalid(parsed.failure);
  const file = fd.get("intent") === "file";
  try {
    const saved = await saveReport(context.app, actorOf(context), params.id, parsed.data, file);
    return {
      ok: true as const,
      version: saved.version,
      done: file ? "整改报告已提交，等待市科协复查" : "草稿已保存",
      savedAt: formatShanghai(saved.updated_at),
    };
  } catch (e) {
    return failWith(e, fd);
  }
}

export default function MyBaseRectification({ loaderData }: Route.ComponentProps) {
  const actionData = useActionData<typeof action>();
  const nav = useNavigation();
  const { warning: w, editable, events, files } = loaderData;
  const failure = actionData && !actionData.ok ? actionData : undefined;
  const errors = failure?.fieldErrors ?? {};
  const draft = useDraftAutosave({
    url: `/my-base/rectification/${w.id}/autosave`,
    enabled: editable,
    versions: [w.version, actionData && "version" in actionData ? actionData.version : 0],
    savedAt: loaderData.savedAt,
    actionSavedAt: actionData?.ok ? actionData.savedAt : undefined,
  });

  const busy = nav.state === "submitting";
  const typed = failure?.values.reportText;
  return (
    <>
      <Typography.Text>
        <Link to="/my-base">我的基地</Link> / 警示与整改
      </Typography.Text>
      <div style={{ margin: "8px 0 16px" }}>
        <PageTitle style={{ display: "inline", marginRight: 8 }}>警示与整改</PageTitle>
        <Tag color={WARNING_STATUS_COLORS[w.status]}>{w.statusLabel}</Tag>
        {w.overdue && <Tag color="red">已逾期</Tag>}
      </div>
      {actionData?.ok && (
        <Alert type="success" showIcon role="status" title={actionData.done} style={{ marginBottom: 16 }} />
      )}
      <FormAlert failure={failure} labels={{ reportText: "整改报告" }} />
      {draft.failed && (
        <Alert type="error" showIcon role="alert" title={draft.failed} style={{ marginBottom: 16 }} />
      )}
      <Descriptions bordered size="small" column={1} style={{ marginBottom: 16 }}>
        <Descriptions.Item label="基地">{loaderData.baseName}</Descriptions.Item>
        <Descriptions.Item label="警示理由">
          <span style={{ whiteSpace: "pre-wrap" }}>{w.reason}</span>
        </Descriptions.Item>
        <Descriptions.Item label="整改要求">
          <span style={{ whiteSpace: "pre-wrap" }}>{w.measures || "—"}</span>
        </Descriptions.Item>
        <Descriptions.Item label="整改期限">
          {w.deadline ? `${w.deadline} 24:00（北京时间）` : "—"}
        </Descriptions.Item>
        {w.reportAt && <Descriptions.Item label="整改报告提交时间">{w.reportAt}</Descriptions.Item>}
        {w.recheckNote && <Descriptions.Item label="复查意见">{w.recheckNote}</Descriptions.Item>}
      </Descriptions>
      {(editable || w.reportAt) && (
        <Card size="small" title="整改报告" style={{ marginBottom: 16 }}>
          <Form
            method="post"
            ref={draft.formRef}
            noValidate
            onChange={draft.onChange}
            onSubmit={draft.onSubmit}
          >
            <input type="hidden" name="version" value={draft.version} />
            <FieldLayout>
              <Field
                label="整改报告"
                htmlFor="reportText"
                error={errors.reportText}
                required
                extra={
                  editable
                    ? draft.savedAt
                      ? `草稿已自动保存（${draft.savedAt}）`
                      : "输入后将自动保存草稿"
                    : undefined
                }
              >
                <Input.TextArea
                  id="reportText"
                  name="reportText"
                  rows={8}
                  maxLength={5000}
                  defaultValue={typed ?? w.reportText}
                  disabled={!editable}
                  aria-invalid={!!errors.reportText}
                />
              </Field>
              <Field label="整改佐证材料" htmlFor="file_report_evidence">
                <AttachmentUpload
                  id="file_report_evidence"
                  label="整改佐证材料"
                  action={`/files/base_warning/${w.id}/report_evidence`}
                  accept={loaderData.accept}
                  max={10}
                  image={false}
                  files={files}
                  disabled={!editable}
                />
              </Field>
              {editable && (
                <Space wrap>
                  <Button htmlType="submit" name="intent" value="save" loading={busy}>
                    保存草稿
                  </Button>
                  <Button type="primary" htmlType="submit" name="intent" value="file" loading={busy}>
                    提交整改报告
                  </Button>
                </Space>
              )}
            </FieldLayout>
          </Form>
        </Card>
      )}
      <Card size="small" title="处理记录">
        <WarningTimeline events={events} />
      </Card>
    </>
  );
}
