import { Select } from "antd";
import { useState } from "react";

/** antd Select that also posts its value with a plain form, through a hidden input. */
export function SelectInput(props: {
  id: string;
  name: string;
  options: { value: string; label: string }[];
  defaultValue?: string;
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  invalid?: boolean;
}) {
  const [value, setValue] = useState<string | undefined>(props.defaultValue || undefined);
  return (
    <>
      <Select
        id={props.id}
        value={value}
        onChange={(v) => setValue(v ?? undefined)}
        options={props.options}
        placeholder={props.placeholder ?? "请选择"}
        allowClear={props.allowClear}
        style={props.style ?? { width: "100%" }}
        status={props.invalid ? "error" : undefined}
        aria-invalid={props.invalid}
      />
      <input type="hidden" name={props.name} value={value ?? ""} />
    </>
  );
}
