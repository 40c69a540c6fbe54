import { Empty, Tag } from "antd";
import { Link } from "react-router";
import { ORDER_STATUS_COLORS } from "#src/modules/schools/schools.rules.ts";
import type { SchoolOrderStatus } from "#src/platform/db/schema.ts";
import { StackedTable } from "./stacked-table";

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

/** A list of 双减 orders, each linking to its page where the next step is taken. */
export function SchoolOrderList(props: { rows: OrderRowView[]; show: "school" | "base" | "both" }) {
  if (!props.rows.length) return <Empty description="暂无点单" />;
  return (
    <StackedTable
      rowKey="id"
      size="small"
      pagination={false}
      scroll={{ x: true }}
      dataSource={props.rows}
      columns={[
        {
          title: "项目",
          key: "item",
          render: (_, r) => <Link to={`/school-orders/${r.id}`}>{r.itemTitle}</Link>,
        },
        ...(props.show !== "school"
          ? [{ title: "学校", key: "school", render: (_: unknown, r: OrderRowView) => r.schoolName }]
          : []),
        ...(props.show !== "base"
          ? [{ title: "基地", key: "base", render: (_: unknown, r: OrderRowView) => r.baseName }]
          : []),
        {
          title: "日期",
          key: "date",
          render: (_, r) => r.scheduledDate ?? `意向：${r.preferredDates.join("、")}`,
        },
        { title: "学生", key: "students", render: (_, r) => `${r.students}人` },
        {
          title: "状态",
          key: "status",
          render: (_, r) => <Tag color={ORDER_STATUS_COLORS[r.status]}>{r.statusLabel}</Tag>,
        },
      ]}
    />
  );
}
