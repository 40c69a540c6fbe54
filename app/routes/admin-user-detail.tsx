import { Alert, Button, Card, Descriptions, Input, Space, Tag, Typography } from "antd";
import { Form, Link, useNavigation, useSearchParams } from "react-router";
import { z } from "zod";
import { can, ROLE_LABELS } from "#src/modules/accounts/accounts.policy.ts";
import { resetPasswordSchema } from "#src/modules/accounts/accounts.schema.ts";
import {
  endUserSessions,
  getUser,
  resetUserPassword,
  setUserDisabled,
} from "#src/modules/accounts/accounts.server.ts";
import { regionName } from "#src/modules/regions/regions.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle } from "~/components/plain";
import { actorOf, failWith, invalid, orFail, parseForm, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-user-detail";

export const meta: Route.MetaFunction = () => [{ title: "用户详情 - 科普基地服务平台" }];

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const me = await requireUser(context, request, "users:read");
  const u = await orFail(getUser(context.app, actorOf(context), params.userId));
  return {
    canManage: can(me, "users:manage"),
    canReset: can(me, "users:manage") || (u.role === "org" && can(me, "users:reset-org-password")),
    isSelf: me.id === u.id,
    user: {
      id: u.id,
      version: u.version,
      login: u.username ?? u.uscc ?? "",
      loginLabel: u.role === "org" ? "统一社会信用代码" : "用户名",
      displayName: u.display_name,
      role: ROLE_LABELS[u.role],
      region: await regionName(context.app, u.region_code),
      phone: u.phone ?? "",
      email: u.email ?? "",
      disabled: !!u.disabled_at,
      locked: u.locked,
      mustChange: u.must_change_password === 1,
      lastLogin: formatShanghai(u.last_login_at),
      createdAt: formatShanghai(u.created_at),
    },
  };
}

const toggleSchema = z.object({ version: z.coerce.number().int() });

export async function action({ request, params, context }: Route.ActionArgs) {
  const me = await requireUser(context, request, "users:read");
  const fd = await readForm(request);
  const intent = fd.get("intent");
  // Resetting an org's password is open to county staff too; the use case checks the account's kind.
  if (intent !== "reset" && !can(me, "users:manage")) {
    return invalid({ ok: false, message: "您没有执行此操作的权限", fieldErrors: {}, values: {} }, 403);
  }
  try {
    if (intent === "disable" || intent === "enable") {
      const parsed = parseForm(toggleSchema, fd);
      if (!parsed.ok) return invalid(parsed.failure);
      await setUserDisabled(
        context.app,
        actorOf(context),
        params.userId,
        intent === "disable",
        parsed.data.version,
      );
      return { ok: true as const, done: intent === "disable" ? "账号已停用" : "账号已启用" };
    }
    if (intent === "end-sessions") {
      const ended = await endUserSessions(context.app, actorOf(context), params.userId);
      return { ok: true as const, done: `已强制下线该用户的 ${ended} 个登录设备` };
    }
    if (intent === "reset") {
      const parsed = parseForm(resetPasswordSchema, fd);
      if (!parsed.ok) return invalid(parsed.failure);
      await resetUserPassword(
        context.app,
        actorOf(context),
        params.userId,
        parsed.data.password,
        parsed.data.version,
      );
      return { ok: true as const, done: "密码已重置，该用户下次登录时须修改密码" };
    }
  } catch (e) {
    return failWith(e, fd);
  }
  return invalid({ ok: false, message: "未知操作", fieldErrors: {}, values: {} }, 400);
}

export default function AdminUserDetail({ loaderData, actionData }: Route.ComponentProps) {
  const [sp] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const { user, canManage, canReset, isSelf } = loaderData;
  const failure = actionData && !actionData.ok ? actionData : undefined;
  return (
    <>
      <Typography.Text>
        <Link to="/admin/users">用户管理</Link> / {user.displayName}
      </Typography.Text>
      <PageTitle>{user.displayName}</PageTitle>
      {sp.get("created") && !actionData && (
        <Alert type="success" showIcon title="账号已创建" style={{ marginBottom: 16 }} />
      )}
      {actionData?.ok && (
        <Alert type="success" showIcon title={actionData.done} style={{ marginBottom: 16 }} role="status" />
      )}
      <FormAlert failure={failure} />
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={user.loginLabel}>{user.login}</Descriptions.Item>
        <Descriptions.Item label="角色">{user.role}</Descriptions.Item>
        <Descriptions.Item label="所属区域">{user.region}</Descriptions.Item>
        <Descriptions.Item label="手机号">{user.phone}</Descriptions.Item>
        <Descriptions.Item label="电子邮箱">{user.email}</Descriptions.Item>
        <Descriptions.Item label="状态">
          <Space>
            {user.disabled ? <Tag color="red">已停用</Tag> : <Tag color="green">正常</Tag>}
            {user.locked && <Tag color="orange">登录已锁定</Tag>}
            {user.mustChange && <Tag>待修改初始密码</Tag>}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label="最近登录">{user.lastLogin || "从未登录"}</Descriptions.Item>
        <Descriptions.Item label="创建时间">{user.createdAt}</Descriptions.Item>
      </Descriptions>
      {(canManage || canReset) && (
        <Space orientation="vertical" style={{ width: "100%", marginTop: 16 }} size="middle">
          {canManage && !isSelf && (
            <Form method="post">
              <input type="hidden" name="version" value={user.version} />
              <input type="hidden" name="intent" value={user.disabled ? "enable" : "disable"} />
              <Button danger={!user.disabled} htmlType="submit" loading={busy}>
                {user.disabled ? "启用账号" : "停用账号"}
              </Button>
            </Form>
          )}
          {canManage && !isSelf && (
            <Form method="post">
              <input type="hidden" name="intent" value="end-sessions" />
              <Button htmlType="submit" loading={busy}>
                强制下线
              </Button>
              <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                结束该用户在所有设备上的登录；停用账号或重置密码时也会自动下线。
              </Typography.Text>
            </Form>
          )}
          {canReset && (
            <Card size="small" title="重置密码" style={{ maxWidth: 480 }}>
              <Form method="post" noValidate>
                <input type="hidden" name="version" value={user.version} />
                <input type="hidden" name="intent" value="reset" />
                {/* Lets password managers file the new password under the right account. */}
                <input
                  type="text"
                  name="username"
                  autoComplete="username"
                  value={user.login}
                  readOnly
                  hidden
                />
                <FieldLayout>
                  <Field
                    label="新的初始密码"
                    htmlFor="password"
                    error={failure?.fieldErrors.password}
                    required
                    extra="重置后该用户须在下次登录时修改密码；登录锁定同时解除。"
                  >
                    <Input.Password id="password" name="password" autoComplete="new-password" />
                  </Field>
                  <Button htmlType="submit" loading={busy}>
                    重置密码
                  </Button>
                </FieldLayout>
              </Form>
            </Card>
          )}
        </Space>
      )}
    </>
  );
}
