import { Alert, Button, Card, Input, Radio, Result, Typography } from "antd";
import { useState } from "react";
import { Form, Link, useNavigation } from "react-router";
import { KIND_EXTENSIONS } from "#src/modules/files/slots.ts";
import { objectionSchema } from "#src/modules/notices/notices.schema.ts";
import { fileObjection, getPublicNotice } from "#src/modules/notices/notices.server.ts";
import { AttachmentUpload } from "~/components/attachment-upload";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { ButtonLink, PageTitle, SectionTitle } from "~/components/plain";
import { actorOf, failWith, invalid, orFail, parseForm, readForm } from "~/lib/route.server";
import type { Route } from "./+types/notice-objection";

export const meta: Route.MetaFunction = () => [{ title: "提出异议 - 公示栏 - 科普基地服务平台" }];

export async function loader({ params, context }: Route.LoaderArgs) {
  const v = await orFail(getPublicNotice(context.app, params.id));
  return {
    id: v.notice.id,
    title: v.notice.title,
    contact: v.notice.contact,
    open: v.acceptsObjections,
    entries: v.entries
      .filter((e) => e.outcome === "listed" && e.application_id)
      .map((e) => ({ value: e.application_id!, label: `${e.base_name}（${e.unit_name}）` })),
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const fd = await readForm(request);
  const parsed = parseForm(objectionSchema, fd);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    const filed = await fileObjection(context.app, actorOf(context), params.id, parsed.data);
    return { ok: true as const, ...filed };
  } catch (e) {
    return failWith(e, fd);
  }
}

export default function NoticeObjection({ loaderData: d, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const failed = actionData && !actionData.ok ? actionData : null;
  const err = failed?.fieldErrors ?? {};
  const v = failed?.values ?? {};
  const [kind, setKind] = useState(v.objectorKind ?? "individual");

  if (actionData?.ok) {
    return (
      <Card style={{ maxWidth: 720, margin: "16px auto" }}>
        <Result
          status="success"
          title="异议已提交"
          subTitle={
            <>
              受理编号：
              <Typography.Text strong copyable>
                {actionData.refNo}
              </Typography.Text>
              <br />
              请记下受理编号，凭编号和您填写的电话查询处理情况。
            </>
          }
          extra={[
            <ButtonLink key="status" to="/notices/objection-status">
              查询处理情况
            </ButtonLink>,
            <ButtonLink key="back" to={`/notices/${d.id}`} type="primary">
              返回公示
            </ButtonLink>,
          ]}
        />
        <SectionTitle>补充证明材料（可选，提交后2小时内可上传）</SectionTitle>
        <AttachmentUpload
          id="file_objection_evidence"
          action={`/files/objection/${actionData.id}/objection_evidence`}
          accept={[...KIND_EXTENSIONS.pdf, ...KIND_EXTENSIONS.image].map((e) => `.${e}`).join(",")}
          max={5}
          image={false}
          files={[]}
        />
      </Card>
    );
  }

  return (
    <Card style={{ maxWidth: 720, margin: "16px auto" }}>
      <Typography.Text>
        <Link to="/notices">公示栏</Link> / <Link to={`/notices/${d.id}`}>{d.title}</Link> / 提出异议
      </Typography.Text>
      <PageTitle>提出异议</PageTitle>
      {!d.open ? (
        <Alert type="warning" showIcon title="该公示不在公示期内，不能再提出异议。" />
      ) : (
        <>
          <Typography.Paragraph type="secondary">
            请实名提出异议，如实说明事实和理由。您的姓名和电话只用于核实和答复，不会公开；处理结果将在公示页面公开答复。
            也可按公示中的联系方式反映：{d.contact}
          </Typography.Paragraph>
          <FormAlert failure={failed} />
          <Form method="post" noValidate>
            <FieldLayout>
              <Field label="异议对象" htmlFor="applicationId" error={err.applicationId} required>
                <Radio.Group
                  id="applicationId"
                  name="applicationId"
                  // A 公示 of one base: that base is the only choice, so it is chosen already.
                  defaultValue={v.applicationId ?? (d.entries.length === 1 ? d.entries[0].value : undefined)}
                  options={d.entries}
                  style={{ display: "flex", flexDirection: "column", gap: 4 }}
                />
              </Field>
              <Field label="提出方式" htmlFor="objectorKind" error={err.objectorKind} required>
                <Radio.Group
                  id="objectorKind"
                  name="objectorKind"
                  value={kind}
                  onChange={(e) => setKind(e.target.value)}
                  options={[
                    { value: "individual", label: "个人" },
                    { value: "unit", label: "单位" },
                  ]}
                />
              </Field>
              <Field label="真实姓名" htmlFor="objectorName" error={err.objectorName} required>
                <Input id="objectorName" name="objectorName" defaultValue={v.objectorName} maxLength={30} />
              </Field>
              {kind === "unit" && (
                <Field label="单位名称" htmlFor="objectorUnit" error={err.objectorUnit} required>
                  <Input
                    id="objectorUnit"
                    name="objectorUnit"
                    defaultValue={v.objectorUnit}
                    maxLength={100}
                  />
                </Field>
              )}
              <Field label="联系电话" htmlFor="objectorPhone" error={err.objectorPhone} required>
                <Input
                  id="objectorPhone"
                  name="objectorPhone"
                  defaultValue={v.objectorPhone}
                  maxLength={20}
                  inputMode="tel"
                />
              </Field>
              <Field label="异议内容" htmlFor="content" error={err.content} required>
                <Input.TextArea
                  id="content"
                  name="content"
                  defaultValue={v.content}
                  autoSize={{ minRows: 5, maxRows: 14 }}
                  maxLength={3000}
                  showCount
                />
              </Field>
              <Button type="primary" htmlType="submit" loading={busy}>
                提交异议
              </Button>
            </FieldLayout>
          </Form>
        </>
      )}
    </Card>
  );
}
