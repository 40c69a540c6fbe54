import { Form } from "antd";
import type { ReactNode } from "react";

/**
 * A labelled field for forms that post to a route action: the label is tied to the input
 * by id, and the server's message shows beside the field.
 */
export function Field(props: {
  label: ReactNode;
  htmlFor: string;
  error?: string;
  required?: boolean;
  extra?: ReactNode;
  /**
   * The message is announced from here (role=alert): for a form of one field, which has no error
   * summary (FormAlert) to announce it.
   */
  live?: boolean;
  children: ReactNode;
}) {
  return (
    <Form.Item
      label={props.label}
      htmlFor={props.htmlFor}
      required={props.required}
      validateStatus={props.error ? "error" : undefined}
      help={
        props.error ? (
          <span id={`${props.htmlFor}-error`} role={props.live ? "alert" : undefined}>
            {props.error}
          </span>
        ) : undefined
      }
      extra={props.extra}
    >
      {props.children}
    </Form.Item>
  );
}

/** antd's vertical layout around a plain <form>, without antd's own form store. */
export function FieldLayout({ children }: { children: ReactNode }) {
  return (
    <Form layout="vertical" component={false} requiredMark>
      {children}
    </Form>
  );
}
