import { ORDER_STATUS_COLORS } from "#src/modules/schools/schools.rules.ts";
import type { SchoolOrderStatus } from "#src/platform/db/schema.ts";
import { type PlainColumn, PlainLink, PlainTable, PlainTag, type TagColor } from "./plain";

export interface OrderRowView {
  id: string;
  itemTitle: string;
  baseName: string;
  schoolName: string;
  preferredDates: string[];
  scheduledDate: string | null;
  students: number;
  status: SchoolOrderStatus;
  statusLabel: string;
  createdAt: string;
}

/** Only what the list shows: the page's data carries these fields and no more. */
export const orderRowOf = (o: OrderRowView): OrderRowView => ({
  id: o.id,
  itemTitle: o.itemTitle,
  baseName: o.baseName,
  schoolName: o.schoolName,
  preferredDates: o.preferredDates,
  scheduledDate: o.scheduledDate,
  students: o.students,
  status: o.status,
  statusLabel: o.statusLabel,
  createdAt: o.createdAt,
});

/**
 * A list of 双减 orders, each linking to its page where the next step is taken. Display only, on
 * pages schools and bases open often: antd's table markup without the component (ADR 0012).
 */
export function SchoolOrderList(props: { rows: OrderRowView[]; show: "school" | "base" | "both" }) {
  const columns: PlainColumn<OrderRowView>[] = [
    {
      title: "项目",
      key: "item",
      render: (r) => <PlainLink to={`/school-orders/${r.id}`}>{r.itemTitle}</PlainLink>,
    },
    ...(props.show !== "school"
      ? [{ title: "学校", key: "school", render: (r: OrderRowView) => r.schoolName }]
      : []),
    ...(props.show !== "base"
      ? [{ title: "基地", key: "base", render: (r: OrderRowView) => r.baseName }]
      : []),
    {
      title: "日期",
      key: "date",
      render: (r) => r.scheduledDate ?? `意向：${r.preferredDates.join("、")}`,
    },
    { title: "学生", key: "students", render: (r) => `${r.students}人` },
    {
      title: "状态",
      key: "status",
      render: (r) => <PlainTag color={ORDER_STATUS_COLORS[r.status] as TagColor}>{r.statusLabel}</PlainTag>,
    },
  ];
  return <PlainTable rows={props.rows} rowKey={(r) => r.id} columns={columns} emptyText="暂无点单" />;
}
