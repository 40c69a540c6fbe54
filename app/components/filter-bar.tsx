import type { CSSProperties, ReactNode } from "react";
import { Form } from "react-router";
import { buttonClass } from "~/components/plain";
import { THEME_CLASS } from "~/components/theme";

/**
 * The filter bar of a list page: a GET form (the filters live in the URL, so a reload or a shared
 * link keeps them) with its controls in a wrapping row and 【查询】 last. Plain markup with antd's
 * class names (components/plain.tsx): list pages are the ones many people reload.
 */
export function FilterBar(props: { label: string; children: ReactNode; style?: CSSProperties }) {
  return (
    <Form method="get" role="search" aria-label={props.label} className="kepu-filter-bar" style={props.style}>
      {props.children}
      <button type="submit" className={buttonClass("primary")}>
        <span>查询</span>
      </button>
    </Form>
  );
}

/** A text (or month) field of a filter bar, drawn as antd's Input; `label` is for screen readers. */
export function FilterInput(props: {
  id: string;
  name: string;
  label: string;
  placeholder?: string;
  defaultValue?: string | null;
  maxLength?: number;
  type?: "text" | "month" | "date";
  width: number;
}) {
  return (
    <>
      <label htmlFor={props.id} className="sr-only">
        {props.label}
      </label>
      <input
        id={props.id}
        name={props.name}
        type={props.type ?? "text"}
        placeholder={props.placeholder}
        maxLength={props.maxLength}
        defaultValue={props.defaultValue ?? ""}
        className={`ant-input ant-input-outlined ${THEME_CLASS} ant-input-css-var`}
        style={{ width: props.width }}
      />
    </>
  );
}

/** A checkbox of a filter bar: a native input in its label, in the theme's colour (no antd state to render). */
export function FilterCheckbox(props: { name: string; label: string; defaultChecked: boolean }) {
  return (
    <label className="kepu-check">
      <input type="checkbox" name={props.name} defaultChecked={props.defaultChecked} />
      {props.label}
    </label>
  );
}
