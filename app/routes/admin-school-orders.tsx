import { Typography } from "antd";
import { listOrders } from "#src/modules/schools/school-orders.server.ts";
import { PageTitle, PlainLink, PlainText } from "~/components/plain";
import {
  OrderPager,
  type OrderTab,
  OrderTabs,
  olderCursor,
  orderRowOf,
  readOrderListQuery,
  SchoolOrderList,
} from "~/components/school-order-list";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-school-orders";

export const meta: Route.MetaFunction = () => [{ title: "派单 - 科普基地服务平台" }];

const TABS: readonly OrderTab[] = ["dispatch", "ordered", "accepted", "delivered", "all"];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "school-orders:dispatch");
  const { tab, before } = readOrderListQuery(request.url, TABS);
  const { rows, more } = await orFail(
    listOrders(context.app, actorOf(context), { ...(tab === "all" ? {} : { status: tab }), before }),
  );
  const shown = rows.map(orderRowOf);
  return { tab, paged: !!before, older: olderCursor(shown, more), rows: shown };
}

export default function AdminSchoolOrders({ loaderData }: Route.ComponentProps) {
  const { tab, rows, paged, older } = loaderData;
  return (
    <>
      <PageTitle>科普助力双减 · 派单</PageTitle>
      <Typography.Paragraph type="secondary">
        基地3个工作日内未答复的点单进入“待派单”：改派给其他基地的相似项目，或填写理由关闭。
      </Typography.Paragraph>
      <PlainText block style={{ marginBottom: 12 }}>
        <PlainLink to="/admin/school-items">项目审核</PlainLink>
      </PlainText>
      <OrderTabs tabs={TABS} tab={tab} />
      <SchoolOrderList rows={rows} show="both" />
      <OrderPager tab={tab} paged={paged} older={older} />
    </>
  );
}
