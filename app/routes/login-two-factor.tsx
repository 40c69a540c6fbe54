import { Alert, Button, Card, Typography } from "antd";
import { data, Form, redirect, type ShouldRevalidateFunctionArgs, useSearchParams } from "react-router";
import { twoFactorCodeSchema } from "#src/modules/accounts/accounts.schema.ts";
import { currentTotp, groupSecret } from "#src/modules/accounts/two-factor.rules.ts";
import {
  completeSecondFactor,
  enrolmentFor,
  hasSecret,
  pendingSignIn,
} from "#src/modules/accounts/two-factor.server.ts";
import { DEMO_TOTP_SECRET } from "#src/modules/demo/seed-demo.server.ts";
import { SESSION_ABSOLUTE_MS, sessionCookieName } from "#src/platform/auth/session.server.ts";
import { serializeCookie } from "#src/platform/http/cookies.ts";
import { ButtonLink, PageTitle } from "~/components/plain";
import { CodeForm, EnrolmentSecret, RecoveryCodes } from "~/components/two-factor";
import { failWith, invalid, parseForm, safeRedirect } from "~/lib/route.server";
import type { Route } from "./+types/login-two-factor";

export const meta: Route.MetaFunction = () => [{ title: "双因素认证 - 科普基地服务平台" }];

/** The page may show a secret being set up: never stored by browsers or proxies. */
export const headers: Route.HeadersFunction = () => ({ "Cache-Control": "no-store" });

/** The one page a pending (password-only) session can reach. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const next = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
  if (context.user) throw redirect(next);
  const pending = await pendingSignIn(context.app, context.sessionToken);
  if (!pending) return { state: "expired" as const };
  const { user, kind } = pending;
  if (kind === "enrol") {
    const enrolment = await enrolmentFor(context.app, user);
    return { state: "enrol" as const, username: user.username, enrolment };
  }
  // The demo accounts' secret is public (README); show its code so a newcomer can click through.
  const demoHint =
    context.demo && (await hasSecret(context.app, user.id, DEMO_TOTP_SECRET))
      ? { secret: groupSecret(DEMO_TOTP_SECRET), code: currentTotp(DEMO_TOTP_SECRET, Date.now()) }
      : null;
  return { state: "verify" as const, username: user.username, demoHint };
}

export async function action({ request, context }: Route.ActionArgs) {
  const fd = await request.formData();
  const parsed = parseForm(twoFactorCodeSchema, fd);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    const { user, token, recoveryCodes } = await completeSecondFactor(context.app, context.ip, {
      token: context.sessionToken,
      code: parsed.data.code,
      userAgent: request.headers.get("user-agent"),
    });
    const production = context.app.config.production;
    const cookie = serializeCookie(sessionCookieName(production), token, {
      secure: production,
      maxAgeSeconds: SESSION_ABSOLUTE_MS / 1000,
    });
    const next = user.mustChangePassword
      ? "/account/password"
      : safeRedirect(fd.get("redirectTo") || new URL(request.url).searchParams.get("redirectTo"));
    if (recoveryCodes) {
      return data({ ok: true as const, recoveryCodes, next }, { headers: { "Set-Cookie": cookie } });
    }
    return redirect(next, { headers: { "Set-Cookie": cookie } });
  } catch (e) {
    return failWith(e, fd);
  }
}

/** Keep the freshly shown recovery codes on screen: the page's own loader would move on. */
export function shouldRevalidate({ actionResult, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  if (actionResult && "recoveryCodes" in actionResult) return false;
  return defaultShouldRevalidate;
}

export default function LoginTwoFactor({ loaderData, actionData }: Route.ComponentProps) {
  const [params] = useSearchParams();
  const done = actionData && "recoveryCodes" in actionData ? actionData : null;
  const failure = actionData && !("recoveryCodes" in actionData) ? actionData : null;
  const err = failure?.fieldErrors ?? {};
  const alert = failure?.message && !err.code && (
    <Alert type="error" showIcon title={failure.message} style={{ marginBottom: 16 }} role="alert" />
  );
  const cancel = (
    <Form method="post" action="/logout" style={{ marginTop: 16 }}>
      <Button htmlType="submit" type="link" style={{ padding: 0 }}>
        取消登录
      </Button>
    </Form>
  );

  if (done) {
    return (
      <Card style={{ maxWidth: 520, margin: "24px auto" }}>
        <PageTitle style={{ marginTop: 0 }}>双因素认证已开启</PageTitle>
        <RecoveryCodes codes={done.recoveryCodes} next={done.next} />
      </Card>
    );
  }
  if (loaderData.state === "expired") {
    return (
      <Card style={{ maxWidth: 440, margin: "24px auto" }}>
        <PageTitle style={{ marginTop: 0 }}>双因素认证</PageTitle>
        {alert || (
          <Alert type="info" showIcon title="验证已超时或已结束，请重新输入账号和密码登录。" role="alert" />
        )}
        <ButtonLink to="/login/staff" type="primary" style={{ marginTop: 16 }}>
          返回工作人员登录
        </ButtonLink>
      </Card>
    );
  }
  if (loaderData.state === "enrol") {
    return (
      <Card style={{ maxWidth: 520, margin: "24px auto" }}>
        <PageTitle style={{ marginTop: 0 }}>设置双因素认证</PageTitle>
        <Alert
          type="info"
          showIcon
          title={`您的账号（${loaderData.username}）所属角色要求使用双因素认证，完成设置后才能进入平台。`}
          style={{ marginBottom: 16 }}
        />
        {alert}
        <EnrolmentSecret qrSvg={loaderData.enrolment.qrSvg} secret={loaderData.enrolment.secret} />
        <CodeForm
          label="验证码"
          submitLabel="开启双因素认证"
          error={err.code}
          hidden={{ redirectTo: params.get("redirectTo") ?? "" }}
        />
        {cancel}
      </Card>
    );
  }
  return (
    <Card style={{ maxWidth: 440, margin: "24px auto" }}>
      <PageTitle style={{ marginTop: 0 }}>双因素认证</PageTitle>
      <Typography.Paragraph>
        请打开手机上的验证器应用，输入“科普基地服务平台”（{loaderData.username}）下显示的6位验证码。
      </Typography.Paragraph>
      {loaderData.demoHint && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title="演示账号"
          description={
            <>
              用验证器应用扫描或输入密钥 <Typography.Text code>{loaderData.demoHint.secret}</Typography.Text>
              ；此刻的验证码是 <Typography.Text strong>{loaderData.demoHint.code}</Typography.Text>
              （演示密钥是公开的，仅供体验）。
            </>
          }
        />
      )}
      {alert}
      <CodeForm
        label="验证码"
        extra="无法使用验证器时，可以输入一个恢复码（如 abcde-fghjk），每个恢复码只能使用一次"
        submitLabel="验证"
        error={err.code}
        hidden={{ redirectTo: params.get("redirectTo") ?? "" }}
      />
      {cancel}
    </Card>
  );
}
