import { Button, Card, Input, Radio, Typography } from "antd";
import { useState } from "react";
import { Form, redirect, useNavigation } from "react-router";
import { assignableRoles, ROLE_LABELS } from "#src/modules/accounts/accounts.policy.ts";
import { createUserSchema } from "#src/modules/accounts/accounts.schema.ts";
import { createUser } from "#src/modules/accounts/accounts.server.ts";
import { listRegions, regionSubtree } from "#src/modules/regions/regions.server.ts";
import type { Role } from "#src/platform/db/schema.ts";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle } from "~/components/plain";
import { SelectInput } from "~/components/select-input";
import { actorOf, failWith, invalid, parseForm, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-user-new";

export const meta: Route.MetaFunction = () => [{ title: "新建用户 - 科普基地服务平台" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const me = await requireUser(context, request, "users:manage");
  const scope = await regionSubtree(context.app, me.regionCode);
  const regions = (await listRegions(context.app)).filter((r) => scope.includes(r.code));
  return {
    roles: assignableRoles(me).map((r) => ({ value: r, label: ROLE_LABELS[r] })),
    regions: regions.map((r) => ({ value: r.code, label: r.name, level: r.level })),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  await requireUser(context, request, "users:manage");
  const fd = await readForm(request);
  const parsed = parseForm(createUserSchema, fd);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    const user = await createUser(context.app, actorOf(context), parsed.data);
    return redirect(`/admin/users/${user.id}?created=1`);
  } catch (e) {
    return failWith(e, fd);
  }
}

export default function AdminUserNew({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const err = actionData?.fieldErrors ?? {};
  const v = actionData?.values ?? {};
  const [role, setRole] = useState<Role | undefined>((v.role as Role) || undefined);
  const level = role === "org" || role === "county" ? "county" : "city";
  return (
    <Card style={{ maxWidth: 640, margin: "16px auto" }}>
      <PageTitle style={{ marginTop: 0 }}>新建用户</PageTitle>
      <Typography.Paragraph type="secondary">新账号首次登录时须修改初始密码。</Typography.Paragraph>
      <FormAlert failure={actionData} />
      <Form method="post" noValidate>
        <FieldLayout>
          <Field label="角色" htmlFor="role" error={err.role} required>
            <Radio.Group
              id="role"
              name="role"
              defaultValue={v.role}
              onChange={(e) => setRole(e.target.value)}
              options={loaderData.roles}
            />
          </Field>
          {role === "org" ? (
            <Field label="统一社会信用代码" htmlFor="uscc" error={err.uscc} required>
              <Input id="uscc" name="uscc" defaultValue={v.uscc} maxLength={24} />
            </Field>
          ) : (
            <Field label="用户名" htmlFor="username" error={err.username} required>
              <Input
                id="username"
                name="username"
                defaultValue={v.username}
                maxLength={32}
                autoComplete="off"
              />
            </Field>
          )}
          <Field
            label={role === "org" ? "单位名称" : "姓名"}
            htmlFor="displayName"
            error={err.displayName}
            required
          >
            <Input id="displayName" name="displayName" defaultValue={v.displayName} maxLength={100} />
          </Field>
          <Field label="所属区域" htmlFor="regionCode" error={err.regionCode} required>
            <SelectInput
              key={level}
              id="regionCode"
              name="regionCode"
              defaultValue={v.regionCode}
              invalid={!!err.regionCode}
              options={loaderData.regions.filter((r) => r.level === level)}
            />
          </Field>
          <Field label="手机号" htmlFor="phone" error={err.phone}>
            <Input id="phone" name="phone" defaultValue={v.phone} maxLength={20} inputMode="tel" />
          </Field>
          <Field label="电子邮箱" htmlFor="email" error={err.email}>
            <Input id="email" name="email" type="email" defaultValue={v.email} maxLength={254} />
          </Field>
          <Field
            label="初始密码"
            htmlFor="password"
            error={err.password}
            required
            extra="至少8位，包含大写字母、小写字母、数字、符号中的至少三类"
          >
            <Input.Password id="password" name="password" autoComplete="new-password" />
          </Field>
          <Button type="primary" htmlType="submit" loading={busy}>
            创建
          </Button>
        </FieldLayout>
      </Form>
    </Card>
  );
}
