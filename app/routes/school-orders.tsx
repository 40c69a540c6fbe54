import { listOrders } from "#src/modules/schools/school-orders.server.ts";
import { ButtonLink, PageTitle } from "~/components/plain";
import {
  OrderPager,
  OrderTabs,
  OWN_ORDER_TABS,
  olderCursor,
  orderRowOf,
  readOrderListQuery,
  SchoolOrderList,
} from "~/components/school-order-list";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/school-orders";

export const meta: Route.MetaFunction = () => [{ title: "我的点单 - 科普基地服务平台" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "schools:order");
  const { tab, before } = readOrderListQuery(request.url, OWN_ORDER_TABS);
  const { rows, more } = await orFail(
    listOrders(context.app, actorOf(context), { ...(tab === "all" ? {} : { status: tab }), before }),
  );
  const shown = rows.map(orderRowOf);
  return { tab, paged: !!before, older: olderCursor(shown, more), rows: shown };
}

export default function SchoolOrders({ loaderData }: Route.ComponentProps) {
  return (
    <>
      <PageTitle>我的点单</PageTitle>
      <div style={{ marginBottom: 12 }}>
        <ButtonLink to="/special/schools" type="primary">
          去点单
        </ButtonLink>
      </div>
      <OrderTabs tabs={OWN_ORDER_TABS} tab={loaderData.tab} />
      <SchoolOrderList rows={loaderData.rows} show="base" />
      <OrderPager tab={loaderData.tab} paged={loaderData.paged} older={loaderData.older} />
    </>
  );
}
