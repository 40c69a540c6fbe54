import {
  ORDER_STATUS_COLORS,
  ORDER_STATUS_LABELS,
  type OrderCursor,
  orderCursorText,
  parseOrderCursor,
} from "#src/modules/schools/schools.rules.ts";
import type { SchoolOrderStatus } from "#src/platform/db/schema.ts";
import { type PlainColumn, PlainLink, PlainTable, PlainTag, type TagColor } from "./plain";

export type OrderTab = SchoolOrderStatus | "all";

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

/** The status tabs of a school's or a base's order list (staff have their 派单 tabs). */
export const OWN_ORDER_TABS: readonly OrderTab[] = ["all", "ordered", "proposed", "accepted", "delivered"];

/** ?status= (one of `tabs`, else the first) and ?before= (where an older page starts). */
export function readOrderListQuery(
  url: string,
  tabs: readonly OrderTab[],
): { tab: OrderTab; before: OrderCursor | null } {
  const sp = new URL(url).searchParams;
  return {
    tab: tabs.find((t) => t === sp.get("status")) ?? tabs[0],
    before: parseOrderCursor(sp.get("before")),
  };
}

/** The cursor of the page after `rows`, when `more` orders follow. */
export const olderCursor = (rows: readonly OrderRowView[], more: boolean): string | null => {
  const last = rows.at(-1);
  return more && last ? orderCursorText({ createdAt: last.createdAt, id: last.id }) : null;
};

const tabHref = (tab: OrderTab, before?: string) =>
  `?${new URLSearchParams({ status: tab, ...(before ? { before } : {}) })}`;

/** The status tabs above an order list. */
export function OrderTabs(props: { tabs: readonly OrderTab[]; tab: OrderTab }) {
  return (
    <nav aria-label="点单状态" className="kepu-column-nav">
      {props.tabs.map((t) => (
        <PlainLink key={t} to={tabHref(t)} aria-current={t === props.tab ? "page" : undefined}>
          {t === "all" ? "全部" : ORDER_STATUS_LABELS[t]}
        </PlainLink>
      ))}
    </nav>
  );
}

/** Newest first, a page at a time: back to the newest, and on to older orders. */
export function OrderPager(props: { tab: OrderTab; paged: boolean; older: string | null }) {
  if (!props.paged && !props.older) return null;
  return (
    <nav aria-label="翻页" style={{ marginTop: 12, display: "flex", gap: 16 }}>
      {props.paged && <PlainLink to={tabHref(props.tab)}>最新的点单</PlainLink>}
      {props.older && (
        <PlainLink to={tabHref(props.tab, props.older)} rel="next">
          更早的点单
        </PlainLink>
      )}
    </nav>
  );
}
