import { Alert, Button, Card, Input } from "antd";
import { Form, redirect, useNavigation } from "react-router";
import { changePasswordSchema } from "#src/modules/accounts/accounts.schema.ts";
import { changePassword } from "#src/modules/accounts/accounts.server.ts";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle } from "~/components/plain";
import { actorOf, failWith, invalid, parseForm, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/account-password";

export const meta: Route.MetaFunction = () => [{ title: "修改密码 - 科普基地服务平台" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await requireUser(context, request);
  return { forced: user.mustChangePassword };
}

export async function action({ request, context }: Route.ActionArgs) {
  await requireUser(context, request);
  const fd = await readForm(request);
  const parsed = parseForm(changePasswordSchema, fd);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    await changePassword(context.app, actorOf(context), parsed.data, {
      currentToken: context.sessionToken,
    });
  } catch (e) {
    return failWith(e, fd);
  }
  return redirect("/workbench?passwordChanged=1");
}

export default function AccountPassword({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const err = actionData?.fieldErrors ?? {};
  return (
    <Card style={{ maxWidth: 480, margin: "16px auto" }}>
      <PageTitle style={{ marginTop: 0 }}>修改密码</PageTitle>
      {loaderData.forced && (
        <Alert
          type="info"
          showIcon
          title="首次登录请先修改管理员为您设置的初始密码。"
          style={{ marginBottom: 16 }}
        />
      )}
      <FormAlert failure={actionData} />
      <Form method="post" noValidate>
        <FieldLayout>
          <Field label="当前密码" htmlFor="currentPassword" error={err.currentPassword} required>
            <Input.Password id="currentPassword" name="currentPassword" autoComplete="current-password" />
          </Field>
          <Field
            label="新密码"
            htmlFor="newPassword"
            error={err.newPassword}
            required
            extra="至少8位，包含大写字母、小写字母、数字、符号中的至少三类"
          >
            <Input.Password id="newPassword" name="newPassword" autoComplete="new-password" />
          </Field>
          <Field label="确认新密码" htmlFor="confirmPassword" error={err.confirmPassword} required>
            <Input.Password id="confirmPassword" name="confirmPassword" autoComplete="new-password" />
          </Field>
          <Button type="primary" htmlType="submit" block loading={busy}>
            保存新密码
          </Button>
        </FieldLayout>
      </Form>
    </Card>
  );
}
