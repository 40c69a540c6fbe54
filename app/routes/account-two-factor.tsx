import { Alert, Card, Divider, Tag, Typography } from "antd";
import { data, redirect, useSearchParams } from "react-router";
import { twoFactorManageSchema } from "#src/modules/accounts/accounts.schema.ts";
import {
  disableTwoFactor,
  enableTwoFactor,
  enrolmentForActor,
  regenerateRecoveryCodes,
  twoFactorStatus,
} from "#src/modules/accounts/two-factor.server.ts";
import { PageTitle } from "~/components/plain";
import { CodeForm, EnrolmentSecret, RecoveryCodes } from "~/components/two-factor";
import { actorOf, failWith, invalid, orFail, parseForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/account-two-factor";

export const meta: Route.MetaFunction = () => [{ title: "双因素认证 - 科普基地服务平台" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request);
  const actor = actorOf(context);
  const status = await orFail(twoFactorStatus(context.app, actor));
  const enrolment = status.enabled ? null : await orFail(enrolmentForActor(context.app, actor));
  return { status, enrolment };
}

export async function action({ request, context }: Route.ActionArgs) {
  await requireUser(context, request);
  const fd = await request.formData();
  const parsed = parseForm(twoFactorManageSchema, fd);
  if (!parsed.ok) return invalid(parsed.failure);
  const { intent, code } = parsed.data;
  const actor = actorOf(context);
  try {
    if (intent === "disable") {
      await disableTwoFactor(context.app, actor, code);
      return redirect("/account/two-factor?disabled=1");
    }
    const codes =
      intent === "enable"
        ? await enableTwoFactor(context.app, actor, code)
        : await regenerateRecoveryCodes(context.app, actor, code);
    return data({ ok: true as const, intent, recoveryCodes: codes });
  } catch (e) {
    return failWith(e, fd);
  }
}

export default function AccountTwoFactor({ loaderData, actionData }: Route.ComponentProps) {
  const [params] = useSearchParams();
  const { status, enrolment } = loaderData;
  const done = actionData && "recoveryCodes" in actionData ? actionData : null;
  const failure = actionData && !("recoveryCodes" in actionData) ? actionData : null;
  const intent = failure?.values.intent;
  const err = (which: string) => (intent === which ? failure?.fieldErrors.code : undefined);
  const alert = failure?.message && !failure.fieldErrors.code && (
    <Alert type="error" showIcon title={failure.message} style={{ marginBottom: 16 }} role="alert" />
  );
  return (
    <Card style={{ maxWidth: 560, margin: "16px auto" }}>
      <PageTitle style={{ marginTop: 0 }}>双因素认证</PageTitle>
      <Typography.Paragraph>
        开启后，登录时除密码外还需输入手机验证器应用生成的6位验证码，密码泄露时账号仍然安全。{" "}
        {status.enabled ? <Tag color="green">已开启</Tag> : <Tag>未开启</Tag>}
        {status.required && <Tag color="blue">您的角色必须开启</Tag>}
      </Typography.Paragraph>
      {params.get("disabled") && !actionData && (
        <Alert type="success" showIcon title="已关闭双因素认证。" style={{ marginBottom: 16 }} />
      )}
      {alert}
      {done ? (
        <>
          <Alert
            type="success"
            showIcon
            title={done.intent === "enable" ? "双因素认证已开启。" : "已生成新的恢复码，原有恢复码全部作废。"}
            style={{ marginBottom: 16 }}
          />
          <RecoveryCodes codes={done.recoveryCodes} />
        </>
      ) : status.enabled ? (
        <>
          <Typography.Paragraph>剩余可用恢复码：{status.recoveryCodesLeft} 个。</Typography.Paragraph>
          <Divider titlePlacement="start">重新生成恢复码</Divider>
          <CodeForm
            id="code-regenerate"
            intent="regenerate"
            label="当前验证码"
            extra="生成10个新的恢复码，原有恢复码全部作废"
            submitLabel="重新生成恢复码"
            error={err("regenerate")}
          />
          {!status.required && (
            <>
              <Divider titlePlacement="start">关闭双因素认证</Divider>
              <CodeForm
                id="code-disable"
                intent="disable"
                label="当前验证码"
                submitLabel="关闭双因素认证"
                danger
                error={err("disable")}
              />
            </>
          )}
        </>
      ) : (
        enrolment && (
          <>
            <EnrolmentSecret qrSvg={enrolment.qrSvg} secret={enrolment.secret} />
            <CodeForm intent="enable" label="验证码" submitLabel="开启双因素认证" error={err("enable")} />
          </>
        )
      )}
    </Card>
  );
}
