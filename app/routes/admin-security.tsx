import { Alert, Button, Card, Checkbox, Space, Typography } from "antd";
import { Form, redirect, useNavigation, useSearchParams } from "react-router";
import { ROLE_LABELS, STAFF_ROLES } from "#src/modules/accounts/accounts.policy.ts";
import { requiredRoles, setRequiredRoles } from "#src/modules/accounts/two-factor.server.ts";
import { FormAlert } from "~/components/form-alert";
import { PageTitle } from "~/components/plain";
import { actorOf, failWith, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-security";

export const meta: Route.MetaFunction = () => [{ title: "安全设置 - 科普基地服务平台" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "settings:manage");
  return {
    required: await requiredRoles(context.app),
    roles: STAFF_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] })),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  await requireUser(context, request, "settings:manage");
  const fd = await request.formData();
  const roles = fd.getAll("roles").filter((v): v is string => typeof v === "string");
  try {
    await setRequiredRoles(context.app, actorOf(context), roles);
  } catch (e) {
    return failWith(e, fd);
  }
  return redirect("/admin/security?saved=1");
}

export default function AdminSecurity({ loaderData, actionData }: Route.ComponentProps) {
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <Card style={{ maxWidth: 560, margin: "16px auto" }}>
      <PageTitle style={{ marginTop: 0 }}>安全设置</PageTitle>
      {params.get("saved") && !actionData && (
        <Alert type="success" showIcon title="已保存。" style={{ marginBottom: 16 }} />
      )}
      <FormAlert failure={actionData} />
      <Form method="post">
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend style={{ fontWeight: 600, marginBottom: 8 }}>必须使用双因素认证的角色</legend>
          <Typography.Paragraph type="secondary">
            勾选的角色登录时必须输入验证器应用的验证码；尚未设置的账号在下次登录时先完成设置。申报单位不使用双因素认证。
          </Typography.Paragraph>
          <Space direction="vertical">
            {loaderData.roles.map((r) => (
              <Checkbox
                key={r.value}
                name="roles"
                value={r.value}
                defaultChecked={loaderData.required.includes(r.value)}
              >
                {r.label}
              </Checkbox>
            ))}
          </Space>
        </fieldset>
        <Button type="primary" htmlType="submit" loading={busy} style={{ marginTop: 16 }}>
          保存
        </Button>
      </Form>
    </Card>
  );
}
