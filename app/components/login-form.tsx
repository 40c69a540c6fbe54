import { Alert, Button, Card, Input, Space } from "antd";
import { Form, Link, useNavigation, useSearchParams } from "react-router";
import { FormAlert } from "~/components/form-alert";
import { PageTitle } from "~/components/plain";
import type { FormFailure } from "~/lib/route.server";
import { Field, FieldLayout } from "./form-field";

export function LoginForm({ kind, failure }: { kind: "org" | "staff"; failure?: FormFailure }) {
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const org = kind === "org";
  const loginName = org ? "uscc" : "username";
  const err = failure?.fieldErrors ?? {};
  return (
    <Card style={{ maxWidth: 440, margin: "24px auto" }}>
      <PageTitle style={{ marginTop: 0 }}>{org ? "法人登录" : "工作人员登录"}</PageTitle>
      {params.get("registered") && !failure && (
        <Alert
          type="success"
          showIcon
          title="注册成功，请使用统一社会信用代码和密码登录。"
          style={{ marginBottom: 16 }}
        />
      )}
      <FormAlert failure={failure} />
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <FieldLayout>
          <Field
            label={org ? "统一社会信用代码" : "用户名"}
            htmlFor={loginName}
            error={err[loginName]}
            required
          >
            <Input
              id={loginName}
              name={loginName}
              defaultValue={failure?.values[loginName]}
              autoComplete="username"
              maxLength={org ? 24 : 64}
              placeholder={org ? "18位统一社会信用代码" : undefined}
              aria-invalid={!!err[loginName]}
            />
          </Field>
          <Field label="密码" htmlFor="password" error={err.password} required>
            <Input.Password
              id="password"
              name="password"
              autoComplete="current-password"
              aria-invalid={!!err.password}
            />
          </Field>
          <Button type="primary" htmlType="submit" block loading={busy}>
            登录
          </Button>
        </FieldLayout>
      </Form>
      <Space style={{ marginTop: 16 }} wrap>
        {org ? (
          <>
            <span>还没有账号？</span>
            <Link to="/register">法人注册</Link>
            <Link to="/register/school">学校注册</Link>
            <Link to="/login/staff">工作人员登录</Link>
          </>
        ) : (
          <Link to="/login/org">法人登录</Link>
        )}
      </Space>
    </Card>
  );
}
