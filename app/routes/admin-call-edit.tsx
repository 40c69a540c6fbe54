import { Alert, Card, Typography } from "antd";
import { Link, useSearchParams } from "react-router";
import { deadlineDay } from "#src/modules/calls/calls.rules.ts";
import { getManagedCall, updateCall } from "#src/modules/calls/calls.server.ts";
import { listFiles } from "#src/modules/files/files.server.ts";
import { AttachmentUpload } from "~/components/attachment-upload";
import { CallForm } from "~/components/call-form";
import { PageTitle, SectionTitle } from "~/components/plain";
import { callFormOptions, parseCallForm, toShanghaiInput } from "~/lib/call-form.server";
import { actorOf, failWith, orFail, readForm, requireUser, versionOf } from "~/lib/route.server";
import type { Route } from "./+types/admin-call-edit";

export const meta: Route.MetaFunction = () => [{ title: "编辑申报项目 - 科普基地服务平台" }];

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const me = await requireUser(context, request, "calls:manage");
  const call = await orFail(getManagedCall(context.app, actorOf(context), params.callId));
  const files = await listFiles(context.app, actorOf(context), "call", call.id);
  return {
    ...(await callFormOptions(context, me)),
    id: call.id,
    version: call.version,
    files: files.map((f) => ({ id: f.id, name: f.name, url: f.url })),
    defaults: {
      kind: call.kind,
      batchNo: call.batch_no === null ? "" : String(call.batch_no),
      title: call.title,
      level: call.level,
      regionCode: call.region_code,
      opensAt: toShanghaiInput(call.opens_at),
      closesAt: deadlineDay(call.closes_at),
      categoryCodes: call.categoryCodes,
      targets: call.targets,
      notice: call.notice,
      issuers: call.issuers ? (JSON.parse(call.issuers) as string[]).join("\n") : "",
      documentNo: call.document_no,
    },
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  await requireUser(context, request, "calls:manage");
  const fd = await readForm(request);
  const parsed = await parseCallForm(context, fd);
  if (!parsed.ok) return { ok: false as const, message: "请按提示修改", fieldErrors: parsed.fieldErrors };
  try {
    await updateCall(context.app, actorOf(context), params.callId, parsed.data, versionOf(fd));
    return { ok: true as const, message: undefined, fieldErrors: {} };
  } catch (e) {
    return failWith(e, fd);
  }
}

export default function AdminCallEdit({ loaderData, actionData }: Route.ComponentProps) {
  const [sp] = useSearchParams();
  return (
    <Card style={{ maxWidth: 880, margin: "16px auto" }}>
      <Typography.Text>
        <Link to="/admin/calls">申报项目管理</Link> / 编辑
      </Typography.Text>
      <PageTitle>{loaderData.defaults.title}</PageTitle>
      {(sp.get("created") || actionData?.ok) && (
        <Alert type="success" showIcon title="已保存" style={{ marginBottom: 16 }} role="status" />
      )}
      <CallForm
        {...loaderData}
        errors={actionData && !actionData.ok ? actionData.fieldErrors : {}}
        message={actionData && !actionData.ok ? actionData.message : undefined}
        submitLabel="保存"
      />
      <SectionTitle style={{ marginTop: 24 }}>通知附件（附件1–4 等，公开下载）</SectionTitle>
      <AttachmentUpload
        id="call_documents"
        action={`/files/call/${loaderData.id}/call_documents`}
        accept=".pdf,.doc,.docx,.xls,.xlsx,.wps,.jpg,.png"
        max={10}
        image={false}
        files={loaderData.files}
      />
    </Card>
  );
}
