import { Button, Card, Descriptions, Input, Typography } from "antd";
import { Form, Link, useNavigation } from "react-router";
import { OBJECTION_STATUS_LABELS } from "#src/modules/notices/notices.rules.ts";
import { objectionStatusSchema } from "#src/modules/notices/notices.schema.ts";
import { findObjectionStatus } from "#src/modules/notices/notices.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle } from "~/components/plain";
import { actorOf, failWith, invalid, parseForm, readForm } from "~/lib/route.server";
import type { Route } from "./+types/objection-status";

export const meta: Route.MetaFunction = () => [{ title: "异议查询 - 公示栏 - 科普基地服务平台" }];

// A POST, so the phone number stays out of addresses and logs.
export async function action({ request, context }: Route.ActionArgs) {
  const fd = await readForm(request);
  const parsed = parseForm(objectionStatusSchema, fd);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    const o = await findObjectionStatus(context.app, actorOf(context), parsed.data);
    return {
      ok: true as const,
      found: {
        refNo: o.ref_no,
        status: OBJECTION_STATUS_LABELS[o.status],
        reply: o.reply ?? "",
        filedAt: formatShanghai(o.created_at),
        handledAt: formatShanghai(o.handled_at),
        noticeId: o.notice_id,
        noticeTitle: o.notice_title,
      },
    };
  } catch (e) {
    return failWith(e, fd);
  }
}

export default function ObjectionStatus({ actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const failed = actionData && !actionData.ok ? actionData : null;
  const err = failed?.fieldErrors ?? {};
  const v = failed?.values ?? {};
  const found = actionData?.ok ? actionData.found : null;
  return (
    <Card style={{ maxWidth: 640, margin: "16px auto" }}>
      <Typography.Text>
        <Link to="/notices">公示栏</Link> / 异议查询
      </Typography.Text>
      <PageTitle>异议查询</PageTitle>
      <FormAlert failure={failed} />
      <Form method="post" noValidate>
        <FieldLayout>
          <Field label="受理编号" htmlFor="ref" error={err.ref} required>
            <Input id="ref" name="ref" defaultValue={v.ref} maxLength={20} placeholder="YY20231009-K3F9QX" />
          </Field>
          <Field label="提交时填写的电话" htmlFor="phone" error={err.phone} required>
            <Input id="phone" name="phone" defaultValue={v.phone} maxLength={20} inputMode="tel" />
          </Field>
          <Button type="primary" htmlType="submit" loading={busy}>
            查询
          </Button>
        </FieldLayout>
      </Form>
      {found && (
        <Descriptions bordered size="small" column={1} style={{ marginTop: 24 }} title="处理情况">
          <Descriptions.Item label="受理编号">{found.refNo}</Descriptions.Item>
          <Descriptions.Item label="公示">
            <Link to={`/notices/${found.noticeId}`}>{found.noticeTitle}</Link>
          </Descriptions.Item>
          <Descriptions.Item label="提交时间">{found.filedAt}</Descriptions.Item>
          <Descriptions.Item label="状态">{found.status}</Descriptions.Item>
          {found.reply && <Descriptions.Item label="答复">{found.reply}</Descriptions.Item>}
          {found.handledAt && <Descriptions.Item label="答复时间">{found.handledAt}</Descriptions.Item>}
        </Descriptions>
      )}
    </Card>
  );
}
