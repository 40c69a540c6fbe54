import { Table, type TableProps } from "antd";
import type { TdHTMLAttributes } from "react";

type Columns<T> = NonNullable<TableProps<T>["columns"]>;

/** Each cell carries its column's title (data-label), which the phone layout writes before the value. */
export function stackedColumns<T>(columns: Columns<T> | undefined): Columns<T> | undefined {
  return columns?.map((c) => {
    const label = typeof c.title === "string" ? c.title : undefined;
    if (!label) return c;
    return {
      ...c,
      onCell: (row: T, index?: number) =>
        ({ ...(c.onCell?.(row, index) ?? {}), "data-label": label }) as TdHTMLAttributes<HTMLElement>,
    };
  });
}

/**
 * antd's Table that, below 576 px, shows each row as a card of "title: value" lines instead of a
 * table to scroll sideways (app.css `.kepu-stack`). The same table from 576 px.
 */
export function StackedTable<T extends object>(props: TableProps<T>) {
  return (
    <Table<T>
      {...props}
      className={`kepu-stack${props.className ? ` ${props.className}` : ""}`}
      columns={stackedColumns(props.columns)}
    />
  );
}
