import { Alert, Button, Card, Checkbox, Descriptions, Input } from "antd";
import { Form, useNavigation } from "react-router";
import { ROLE_LABELS } from "#src/modules/accounts/accounts.policy.ts";
import { profileSchema } from "#src/modules/accounts/profile.schema.ts";
import { getMyProfile, updateMyProfile } from "#src/modules/accounts/profile.server.ts";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle } from "~/components/plain";
import { actorOf, failWith, invalid, orFail, parseForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/account-profile";

export const meta: Route.MetaFunction = () => [{ title: "账号信息 - 科普基地服务平台" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request);
  const p = await orFail(getMyProfile(context.app, actorOf(context)));
  return { ...p, roleLabel: ROLE_LABELS[p.role] };
}

export async function action({ request, context }: Route.ActionArgs) {
  await requireUser(context, request);
  const fd = await request.formData();
  const parsed = parseForm(profileSchema, fd);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    await updateMyProfile(context.app, actorOf(context), parsed.data);
  } catch (e) {
    return failWith(e, fd);
  }
  return { ok: true as const };
}

export default function AccountProfile({ loaderData: p, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const failed = actionData && !actionData.ok ? actionData : null;
  const err = failed?.fieldErrors ?? {};
  // After a failed save the form shows what was typed, not what is stored.
  const v = failed?.values;
  const value = (name: "phone" | "email") => (v ? (v[name] ?? "") : (p[name] ?? ""));
  return (
    <Card style={{ maxWidth: 560, margin: "16px auto" }}>
      <PageTitle style={{ marginTop: 0 }}>账号信息</PageTitle>
      <Descriptions column={1} size="small" style={{ marginBottom: 16 }}>
        <Descriptions.Item label={p.role === "org" ? "统一社会信用代码" : "用户名"}>
          {p.login}
        </Descriptions.Item>
        <Descriptions.Item label={p.role === "org" ? "单位名称" : "姓名"}>{p.displayName}</Descriptions.Item>
        <Descriptions.Item label="角色">{p.roleLabel}</Descriptions.Item>
      </Descriptions>
      {actionData?.ok && (
        <Alert type="success" showIcon title="已保存" role="status" style={{ marginBottom: 16 }} />
      )}
      <FormAlert failure={failed} />
      <Form method="post" noValidate key={actionData?.ok ? p.version : "form"}>
        <input type="hidden" name="version" value={p.version} />
        <FieldLayout>
          <Field
            label="手机号"
            htmlFor="phone"
            error={err.phone}
            required={p.role === "org"}
            extra="审核状态变化和提醒会以短信发送到此号码"
          >
            <Input
              id="phone"
              name="phone"
              defaultValue={value("phone")}
              maxLength={20}
              inputMode="tel"
              autoComplete="tel"
              aria-invalid={!!err.phone}
            />
          </Field>
          <Field
            label="电子邮箱"
            htmlFor="email"
            error={err.email}
            extra="填写后，消息也会发送到此邮箱；不填则不发邮件"
          >
            <Input
              id="email"
              name="email"
              type="email"
              defaultValue={value("email")}
              maxLength={254}
              autoComplete="email"
              aria-invalid={!!err.email}
            />
          </Field>
          {p.reminders.length > 0 && (
            <Field label="提醒" htmlFor={`reminder_${p.reminders[0].kind}`}>
              {p.reminders.map((r) => (
                <div key={r.kind}>
                  <Checkbox
                    id={`reminder_${r.kind}`}
                    name={`reminder_${r.kind}`}
                    value="on"
                    defaultChecked={v ? v[`reminder_${r.kind}`] === "on" : r.on}
                  >
                    {r.label}
                  </Checkbox>
                </div>
              ))}
            </Field>
          )}
          <Button type="primary" htmlType="submit" loading={busy}>
            保存
          </Button>
        </FieldLayout>
      </Form>
    </Card>
  );
}
