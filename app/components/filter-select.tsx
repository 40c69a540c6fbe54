import type { CSSProperties } from "react";

/**
 * A native <select> for the filter bar of a list page (a GET form). It costs the server a
 * fraction of antd's Select on pages that many people reload (bench: the review queue), works
 * before the scripts load, and phones show their own picker. Data-entry forms use SelectInput.
 */
export function FilterSelect(props: {
  id: string;
  name: string;
  /** Shown as the empty choice, and the control's accessible name. */
  placeholder: string;
  options: readonly { value: string; label: string }[];
  defaultValue?: string | null;
  /** Whether the empty choice ("all") may be picked; otherwise it only shows until one is. */
  allowEmpty?: boolean;
  style?: CSSProperties;
}) {
  return (
    <select
      id={props.id}
      name={props.name}
      aria-label={props.placeholder}
      defaultValue={props.defaultValue ?? ""}
      className="kepu-select"
      style={props.style}
    >
      <option value="" disabled={props.allowEmpty === false}>
        {props.allowEmpty === false ? props.placeholder : `${props.placeholder}：全部`}
      </option>
      {props.options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
