import { Alert, Button, Input, Typography } from "antd";
import { Form, useNavigation } from "react-router";
import { Field, FieldLayout } from "./form-field";
import { ButtonLink } from "./plain";

/** The QR code and the key to type by hand, for setting up an authenticator app. */
export function EnrolmentSecret({ qrSvg, secret }: { qrSvg: string; secret: string }) {
  return (
    <>
      <Typography.Paragraph>
        1. 在手机上打开验证器应用（如 Microsoft Authenticator、Google
        身份验证器、FreeOTP），扫描下面的二维码：
      </Typography.Paragraph>
      <img
        src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(qrSvg)}`}
        alt="双因素认证二维码"
        width={180}
        height={180}
        style={{ display: "block", margin: "0 auto 12px" }}
      />
      <Typography.Paragraph>
        无法扫码时，在应用中选择“手动输入密钥”，账户填写您的用户名，密钥为：
        <br />
        <Typography.Text code copyable={{ text: secret.replace(/\s/g, "") }}>
          <span id="totp-secret">{secret}</span>
        </Typography.Text>
        <br />
        <Typography.Text type="secondary">类型选择“基于时间”，6位数字，30秒。</Typography.Text>
      </Typography.Paragraph>
      <Typography.Paragraph>2. 输入验证器应用显示的6位验证码，确认设置：</Typography.Paragraph>
    </>
  );
}

/** The one-time display of fresh recovery codes. */
export function RecoveryCodes({ codes, next }: { codes: string[]; next?: string }) {
  return (
    <div>
      <Alert
        type="warning"
        showIcon
        title="请立即保存以下恢复码"
        description="手机丢失或无法使用验证器时，可以用一个恢复码代替验证码登录，每个恢复码只能使用一次。恢复码只显示这一次，请抄写或打印后妥善保管。"
        style={{ marginBottom: 16 }}
      />
      <ol aria-label="恢复码" style={{ fontFamily: "monospace", fontSize: 16, columns: 2 }}>
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ol>
      {next && (
        <ButtonLink to={next} type="primary" block>
          我已保存恢复码，继续
        </ButtonLink>
      )}
    </div>
  );
}

/** One code field and a submit button, with the server's message beside the field. */
export function CodeForm(props: {
  intent?: string;
  label: string;
  extra?: string;
  submitLabel: string;
  error?: string;
  hidden?: Record<string, string>;
  danger?: boolean;
  id?: string;
}) {
  const busy = useNavigation().state === "submitting";
  const id = props.id ?? "code";
  return (
    <Form method="post" noValidate>
      {props.intent && <input type="hidden" name="intent" value={props.intent} />}
      {Object.entries(props.hidden ?? {}).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <FieldLayout>
        <Field label={props.label} htmlFor={id} error={props.error} required extra={props.extra}>
          <Input
            id={id}
            name="code"
            autoComplete="one-time-code"
            maxLength={20}
            aria-invalid={!!props.error}
            style={{ maxWidth: 240 }}
          />
        </Field>
        <Button type="primary" danger={props.danger} htmlType="submit" loading={busy}>
          {props.submitLabel}
        </Button>
      </FieldLayout>
    </Form>
  );
}
