import { ConfigProvider, Form, Input } from "antd";
import type { ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Field, FieldLayout } from "./form-field";
import { theme } from "./theme";

const render = (node: ReactNode) =>
  renderToString(
    <ConfigProvider theme={theme}>
      <FieldLayout>{node}</FieldLayout>
    </ConfigProvider>,
  );

/** antd's own vertical Form.Item, as Field was before it wrote the markup out. */
const antdItem = (props: { label: string; required?: boolean; extra?: string; error?: string }) =>
  render(
    <Form.Item
      label={props.label}
      htmlFor="x"
      required={props.required}
      extra={props.extra}
      validateStatus={props.error ? "error" : undefined}
      help={props.error}
    >
      <Input id="x" name="x" />
    </Form.Item>,
  );

const classesOf = (html: string, marker: string) =>
  [...html.matchAll(/class="([^"]*)"/g)]
    .map((m) => m[1].split(/\s+/).filter(Boolean).sort().join(" "))
    .filter((c) => c.split(" ").includes(marker));

describe("Field writes antd's Form.Item markup", () => {
  it("is the same markup as Form.Item for a field without a message", () => {
    for (const p of [{ label: "名称" }, { label: "名称", required: true }, { label: "名称", extra: "提示" }])
      expect(
        render(
          <Field label={p.label} htmlFor="x" required={p.required} extra={p.extra}>
            <Input id="x" name="x" />
          </Field>,
        ),
      ).toEqual(antdItem(p));
  });

  it("has Form.Item's error classes and shows the message, tied to the field, in the server's HTML", () => {
    const ours = render(
      <Field label="名称" htmlFor="x" required error="请填写名称" extra="提示">
        <Input id="x" name="x" />
      </Field>,
    );
    const theirs = antdItem({ label: "名称", required: true, extra: "提示", error: "请填写名称" });
    expect(classesOf(ours, "ant-form-item")).toEqual(classesOf(theirs, "ant-form-item"));
    expect(ours).toContain(
      '<div class="ant-form-item-explain-error"><span id="x-error">请填写名称</span></div>',
    );
    expect(ours).toContain('<div class="ant-form-item-extra">提示</div>');
  });

  it("announces the message itself when asked (a form of one field)", () => {
    expect(
      render(
        <Field label="验证码" htmlFor="code" error="验证码不正确" live>
          <Input id="code" name="code" />
        </Field>,
      ),
    ).toContain('<span id="code-error" role="alert">验证码不正确</span>');
  });
});
