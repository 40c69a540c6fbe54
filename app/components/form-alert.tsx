import { Alert } from "antd";
import type { MouseEvent, ReactNode } from "react";

/** What a refused form post answers (FormFailure of lib/route.server): a message, the fields' messages. */
export interface FormAlertFailure {
  message?: string;
  fieldErrors?: Record<string, string>;
}

const FOCUSABLE =
  'input:not([type="hidden"]):not([disabled]), select, textarea, button, [tabindex]:not([tabindex="-1"])';

/** The field behind a summary link: the element with the id, or the first control inside it. */
export function focusField(id: string): boolean {
  const el = document.getElementById(id);
  if (!el) return false;
  const target = el.matches(FOCUSABLE) ? el : el.querySelector<HTMLElement>(FOCUSABLE);
  (target ?? el).scrollIntoView({ block: "center" });
  (target ?? el).focus({ preventScroll: true });
  return true;
}

/**
 * The error summary at the top of a form (WCAG 3.3.1): the server's message and, for each field it
 * refused, a link that moves the focus to the field, whose own message stays beside it. It is the
 * form's one live region (role=alert): the errors are announced once, when the answer arrives, and
 * not again by each field. `labels` names the fields in the links (field name → label); `ids` maps a
 * field name to its control's id where they differ. `linkFields={false}` for a form of one field,
 * whose message beside it is enough (and is announced there: Field's `live`): the summary then
 * carries only a message of the server's that the field's does not already say.
 */
export function FormAlert(props: {
  failure?: FormAlertFailure | null;
  labels?: Record<string, ReactNode>;
  ids?: Record<string, string>;
  linkFields?: boolean;
  /** Heading of the list when there is no message of the server's. */
  title?: string;
  style?: React.CSSProperties;
}) {
  const failure = props.failure;
  if (!failure) return null;
  const fields = Object.entries(failure.fieldErrors ?? {}).filter(([, m]) => !!m);
  if (!failure.message && fields.length === 0) return null;
  const linkFields = props.linkFields ?? true;
  // A form of one field announces its message beside the field (Field's `live`).
  if (!linkFields && !failure.message) return null;
  const title = failure.message ?? props.title ?? `提交未成功，请修改以下 ${fields.length} 处：`;
  const onClick = (id: string) => (e: MouseEvent<HTMLAnchorElement>) => {
    if (focusField(id)) e.preventDefault();
  };
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      className="kepu-form-alert"
      style={{ marginBottom: 16, ...props.style }}
      title={title}
      description={
        linkFields && fields.length > 0 ? (
          <ul className="kepu-form-alert-list">
            {fields.map(([name, message]) => {
              const id = props.ids?.[name] ?? name;
              const label = props.labels?.[name];
              return (
                <li key={name}>
                  <a href={`#${id}`} onClick={onClick(id)}>
                    {label ? (
                      <>
                        {label}：{message}
                      </>
                    ) : (
                      message
                    )}
                  </a>
                </li>
              );
            })}
          </ul>
        ) : undefined
      }
    />
  );
}
