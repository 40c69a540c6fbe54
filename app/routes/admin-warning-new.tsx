import { Alert, Button, Input, Typography } from "antd";
import { Form, Link, redirect, useNavigation } from "react-router";
import { can } from "#src/modules/accounts/accounts.policy.ts";
import { getStaffBase } from "#src/modules/bases/bases.server.ts";
import { issueSchema } from "#src/modules/dynamic-management/dynamic-management.schema.ts";
import { issueWarning } from "#src/modules/dynamic-management/dynamic-management.server.ts";
import { DeadlineDateInput } from "~/components/deadline-date";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle } from "~/components/plain";
import { actorOf, failWith, invalid, orFail, parseForm, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-warning-new";

export const meta: Route.MetaFunction = () => [{ title: "列入警示 - 科普基地服务平台" }];

const LABELS = { reason: "警示理由", evidence: "情况说明", measures: "整改要求", deadline: "整改期限" };

export async function loader({ request, context }: Route.LoaderArgs) {
  const me = await requireUser(context, request, "warnings:read");
  const baseId = new URL(request.url).searchParams.get("base") ?? "";
  const { base } = await orFail(getStaffBase(context.app, actorOf(context), baseId));
  return {
    base: { id: base.id, name: base.name, status: base.status },
    // The office and city issue; a county proposes (the office or city then decides).
    issues: can(me, "warnings:issue"),
    proposes: can(me, "warnings:propose"),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  await requireUser(context, request, "warnings:read");
  const fd = await readForm(request);
  const parsed = parseForm(issueSchema, fd);
  if (!parsed.ok) return invalid({ ...parsed.failure, message: "请检查填写的内容" });
  try {
    const w = await issueWarning(context.app, actorOf(context), parsed.data);
    return redirect(`/admin/warnings/${w.id}?done=${w.status === "proposed" ? "proposed" : "issued"}`);
  } catch (e) {
    return failWith(e, fd);
  }
}

export default function AdminWarningNew({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const { base, issues, proposes } = loaderData;
  const failure = actionData && !actionData.ok ? actionData : undefined;
  const errors = failure?.fieldErrors ?? {};
  const values = failure?.values ?? {};
  return (
    <>
      <Typography.Text>
        <Link to="/admin/warnings">动态管理</Link> / <Link to={`/admin/bases/${base.id}`}>{base.name}</Link>
      </Typography.Text>
      <PageTitle>
        {issues ? "列入警示" : "提出拟警示"}：{base.name}
      </PageTitle>
      {!issues && proposes && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title="由县（市、区）科协提出的警示为“拟警示”，经市科协或市基地认定办公室确认后生效。"
        />
      )}
      <FormAlert failure={failure} labels={LABELS} />
      <Form method="post" noValidate style={{ maxWidth: 720 }}>
        <input type="hidden" name="baseId" value={base.id} />
        <FieldLayout>
          <Field label={LABELS.reason} htmlFor="reason" error={errors.reason} required>
            <Input.TextArea
              id="reason"
              name="reason"
              rows={3}
              maxLength={500}
              defaultValue={values.reason ?? ""}
              aria-invalid={!!errors.reason}
            />
          </Field>
          <Field
            label={LABELS.evidence}
            htmlFor="evidence"
            error={errors.evidence}
            extra="依据材料（照片、通报等）可在保存后上传"
          >
            <Input.TextArea
              id="evidence"
              name="evidence"
              rows={3}
              maxLength={2000}
              defaultValue={values.evidence ?? ""}
              aria-invalid={!!errors.evidence}
            />
          </Field>
          <Field
            label={LABELS.measures}
            htmlFor="measures"
            error={errors.measures}
            extra="限期整改：填写整改要求并选择整改期限；不填写则仅列入警示，可稍后下达整改"
          >
            <Input.TextArea
              id="measures"
              name="measures"
              rows={3}
              maxLength={2000}
              defaultValue={values.measures ?? ""}
              aria-invalid={!!errors.measures}
            />
          </Field>
          <Field label={LABELS.deadline} htmlFor="deadline" error={errors.deadline}>
            <DeadlineDateInput id="deadline" name="deadline" defaultValue={values.deadline} />
          </Field>
          <Button type="primary" htmlType="submit" loading={busy}>
            {issues ? "列入警示" : "提出拟警示"}
          </Button>
        </FieldLayout>
      </Form>
    </>
  );
}
