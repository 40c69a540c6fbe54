import { Checkbox } from "antd";

/** Checkboxes posted under one name (the route joins them), labelled as a group for screen readers. */
export function ChoiceGroup(props: {
  id: string;
  name: string;
  legend: string;
  options: readonly string[] | { value: string; label: string }[];
  /** Comma-joined, as the form echoes it back. */
  defaultValue?: string;
}) {
  const options = props.options.map((o) => (typeof o === "string" ? { value: o, label: o } : o));
  return (
    <fieldset id={props.id} style={{ border: 0, margin: 0, padding: 0 }}>
      <legend className="sr-only">{props.legend}</legend>
      <Checkbox.Group
        name={props.name}
        defaultValue={props.defaultValue ? props.defaultValue.split(",") : []}
        options={options}
      />
    </fieldset>
  );
}
