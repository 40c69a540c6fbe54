import { Button, Input, Space } from "antd";
import { Form } from "react-router";
import { FormAlert, type FormAlertFailure } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { SectionTitle } from "~/components/plain";

/** 下线: the article leaves the public pages and goes back to its author with the reason. */
export function UnpublishForm({
  version,
  failure,
  busy,
}: {
  version: number;
  failure: (FormAlertFailure & { values?: Record<string, string> }) | undefined;
  busy: boolean;
}) {
  const err = failure?.fieldErrors ?? {};
  return (
    <section aria-labelledby="unpublish-h" style={{ maxWidth: 640 }}>
      <SectionTitle id="unpublish-h">下线文章</SectionTitle>
      <p className="kepu-muted kepu-small">
        下线后文章不再公开显示，退回作者修改；作者可修改后重新提交审核。
      </p>
      <FormAlert failure={failure} labels={{ reason: "下线理由" }} ids={{ reason: "unpublish-reason" }} />
      <Form method="post" noValidate>
        <input type="hidden" name="version" value={version} />
        <FieldLayout>
          <Field label="下线理由" htmlFor="unpublish-reason" error={err.reason} required>
            <Input.TextArea
              id="unpublish-reason"
              name="reason"
              rows={3}
              maxLength={500}
              defaultValue={failure?.values?.reason}
              aria-invalid={!!err.reason}
            />
          </Field>
          <Space>
            <Button danger htmlType="submit" name="intent" value="unpublish" loading={busy}>
              下线
            </Button>
          </Space>
        </FieldLayout>
      </Form>
    </section>
  );
}
