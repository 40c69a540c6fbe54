import { Form } from "antd";
import type { ReactNode } from "react";
import { THEME_CLASS } from "~/components/theme";

/**
 * A labelled field for forms that post to a route action: the label is tied to the input
 * by id, and the server's message shows beside the field.
 *
 * antd's vertical Form.Item markup written out (ADR 0012): Form.Item's grid, motion and context
 * machinery cost the server (and the browser, hydrating) about 0.3 ms per field, and a form page has
 * dozens. The control inside takes antd's error colours from `.ant-form-item-has-error` (app.css), as
 * Form.Item's status context would give them; the message is in the server's HTML too.
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
  const { error, extra } = props;
  const hasExtra = extra !== undefined && extra !== null && extra !== false && extra !== "";
  return (
    <div
      className={`ant-form-item ${THEME_CLASS} ant-form-css-var${error ? " ant-form-item-with-help ant-form-item-has-error" : ""} ant-form-item-vertical`}
    >
      <div className={`ant-row ant-form-item-row ${THEME_CLASS}`}>
        <div className={`ant-col ant-form-item-label ${THEME_CLASS}`}>
          <label
            htmlFor={props.htmlFor}
            className={props.required ? "ant-form-item-required" : ""}
            title={typeof props.label === "string" ? props.label : undefined}
          >
            {props.label}
          </label>
        </div>
        <div className={`ant-col ant-form-item-control ${THEME_CLASS}`}>
          <div className="ant-form-item-control-input">
            <div className="ant-form-item-control-input-content">{props.children}</div>
          </div>
          {(error || hasExtra) && (
            <div className="ant-form-item-additional">
              {error && (
                <div
                  className={`ant-form-item-explain ant-form-item-explain-connected ant-form-css-var ${THEME_CLASS}`}
                >
                  <div className="ant-form-item-explain-error">
                    <span id={`${props.htmlFor}-error`} role={props.live ? "alert" : undefined}>
                      {error}
                    </span>
                  </div>
                </div>
              )}
              {hasExtra && <div className="ant-form-item-extra">{extra}</div>}
            </div>
          )}
        </div>
      </div>
    </div>
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
