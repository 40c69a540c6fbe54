import { Alert, Button, Card, Input, Radio, Typography } from "antd";
import { Form, Link, redirect, useNavigation } from "react-router";
import { listCounties } from "#src/modules/regions/regions.server.ts";
import { registerSchool } from "#src/modules/schools/school-accounts.server.ts";
import { SCHOOL_STAGES } from "#src/modules/schools/schools.rules.ts";
import { registerSchoolSchema } from "#src/modules/schools/schools.schema.ts";
import { ChoiceGroup } from "~/components/choice-group";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle } from "~/components/plain";
import { joinChoices } from "~/lib/form-choices";
import { actorOf, failWith, invalid, parseForm, readForm } from "~/lib/route.server";
import type { Route } from "./+types/register-school";

export const meta: Route.MetaFunction = () => [{ title: "学校注册 - 科普基地服务平台" }];

export async function loader({ context }: Route.LoaderArgs) {
  if (context.user) throw redirect("/workbench");
  const counties = await listCounties(context.app);
  return { counties: counties.map((c) => ({ value: c.code, label: c.name })) };
}

export async function action({ request, context }: Route.ActionArgs) {
  const fd = joinChoices(await readForm(request), ["stages"]);
  const parsed = parseForm(registerSchoolSchema, fd);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    await registerSchool(context.app, actorOf(context), parsed.data);
  } catch (e) {
    return failWith(e, fd);
  }
  return redirect("/login/org?registered=1");
}

export default function RegisterSchool({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const err = actionData?.fieldErrors ?? {};
  const v = actionData?.values ?? {};
  const text = (name: string, label: string, props: Record<string, unknown> = {}) => (
    <Field label={label} htmlFor={name} error={err[name]} required>
      <Input id={name} name={name} defaultValue={v[name]} aria-invalid={!!err[name]} {...props} />
    </Field>
  );
  return (
    <Card style={{ maxWidth: 560, margin: "16px auto" }}>
      <PageTitle style={{ marginTop: 0 }}>学校注册</PageTitle>
      <Typography.Paragraph type="secondary">
        中小学校使用统一社会信用代码（事业单位，以12开头）注册，经所在县（市、区）科协认证后即可在【科普助力双减】点单。
      </Typography.Paragraph>
      {actionData?.message && (
        <Alert type="error" showIcon title={actionData.message} style={{ marginBottom: 16 }} role="alert" />
      )}
      <Form method="post" noValidate>
        <FieldLayout>
          {text("uscc", "统一社会信用代码", { maxLength: 24, placeholder: "18位，如 12330800XXXXXXXXXX" })}
          {text("unitName", "学校名称", { maxLength: 100 })}
          <Field label="所在区域" htmlFor="regionCode" error={err.regionCode} required>
            <Radio.Group
              id="regionCode"
              name="regionCode"
              defaultValue={v.regionCode}
              options={loaderData.counties}
            />
          </Field>
          <Field label="学段" htmlFor="stages" error={err.stages} required>
            <ChoiceGroup
              id="stages"
              name="stages"
              legend="学段"
              options={SCHOOL_STAGES}
              defaultValue={v.stages}
            />
          </Field>
          {text("address", "学校地址", { maxLength: 200 })}
          {text("contactName", "联系人", { maxLength: 50, autoComplete: "name" })}
          {text("phone", "联系电话", { maxLength: 20, autoComplete: "tel", inputMode: "tel" })}
          <Field label="电子邮箱" htmlFor="email" error={err.email} extra="选填：点单进展也会发送到此邮箱">
            <Input
              id="email"
              name="email"
              type="email"
              defaultValue={v.email}
              maxLength={254}
              autoComplete="email"
              aria-invalid={!!err.email}
            />
          </Field>
          <Field
            label="密码"
            htmlFor="password"
            error={err.password}
            required
            extra="至少8位，包含大写字母、小写字母、数字、符号中的至少三类"
          >
            <Input.Password
              id="password"
              name="password"
              autoComplete="new-password"
              aria-invalid={!!err.password}
            />
          </Field>
          <Field label="确认密码" htmlFor="confirmPassword" error={err.confirmPassword} required>
            <Input.Password id="confirmPassword" name="confirmPassword" autoComplete="new-password" />
          </Field>
          <Button type="primary" htmlType="submit" block loading={busy}>
            注册
          </Button>
        </FieldLayout>
      </Form>
      <div style={{ marginTop: 16 }}>
        已有账号？<Link to="/login/org">法人登录</Link>（学校也在此登录）
      </div>
    </Card>
  );
}
