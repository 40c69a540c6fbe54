import { Space, Typography } from "antd";
import { Link } from "react-router";
import { listOrders } from "#src/modules/schools/school-orders.server.ts";
import { ORDER_STATUS_LABELS } from "#src/modules/schools/schools.rules.ts";
import type { SchoolOrderStatus } from "#src/platform/db/schema.ts";
import { PageTitle } from "~/components/plain";
import { orderRowOf, SchoolOrderList } from "~/components/school-order-list";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-school-orders";

export const meta: Route.MetaFunction = () => [{ title: "派单 - 科普基地服务平台" }];

const TABS: (SchoolOrderStatus | "all")[] = ["dispatch", "ordered", "accepted", "delivered", "all"];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "school-orders:dispatch");
  const sp = new URL(request.url).searchParams;
  const tab = TABS.find((s) => s === sp.get("status")) ?? "dispatch";
  const { rows } = await orFail(
    listOrders(context.app, actorOf(context), tab === "all" ? {} : { status: tab }),
  );
  return { tab, rows: rows.map(orderRowOf) };
}

export default function AdminSchoolOrders({ loaderData }: Route.ComponentProps) {
  const { tab, rows } = loaderData;
  return (
    <>
      <PageTitle>科普助力双减 · 派单</PageTitle>
      <Typography.Paragraph type="secondary">
        基地3个工作日内未答复的点单进入“待派单”：改派给其他基地的相似项目，或填写理由关闭。
      </Typography.Paragraph>
      <Space style={{ marginBottom: 12 }} wrap>
        {TABS.map((s) => (
          <Link key={s} to={`?status=${s}`} aria-current={s === tab ? "page" : undefined}>
            {s === "all" ? "全部" : ORDER_STATUS_LABELS[s]}
          </Link>
        ))}
        <Link to="/admin/school-items">项目审核</Link>
      </Space>
      <SchoolOrderList rows={rows} show="both" />
    </>
  );
}
