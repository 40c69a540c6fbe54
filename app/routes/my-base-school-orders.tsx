import { listOrders } from "#src/modules/schools/school-orders.server.ts";
import { ButtonLink, PageTitle, PlainText } from "~/components/plain";
import {
  OrderPager,
  OrderTabs,
  OWN_ORDER_TABS,
  olderCursor,
  orderRowOf,
  readOrderListQuery,
  SchoolOrderList,
} from "~/components/school-order-list";
import { toMyBaseWhenMissing } from "~/lib/own-base.server";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/my-base-school-orders";

export const meta: Route.MetaFunction = () => [{ title: "学校点单 - 科普基地服务平台" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "bases:own");
  const { tab, before } = readOrderListQuery(request.url, OWN_ORDER_TABS);
  const { rows, more } = await orFail(
    listOrders(context.app, actorOf(context), { ...(tab === "all" ? {} : { status: tab }), before }).catch(
      toMyBaseWhenMissing,
    ),
  );
  const shown = rows.map(orderRowOf);
  return { tab, paged: !!before, older: olderCursor(shown, more), rows: shown };
}

export default function MyBaseSchoolOrders({ loaderData }: Route.ComponentProps) {
  return (
    <>
      <PageTitle>学校点单</PageTitle>
      <PlainText block secondary style={{ marginBottom: 16 }}>
        请在3个工作日内接单、婉拒或建议改期；逾期未答复的点单将转县级科协派单。
      </PlainText>
      <div style={{ marginBottom: 12 }}>
        <ButtonLink to="/my-base/school-items">课程与服务</ButtonLink>
      </div>
      <OrderTabs tabs={OWN_ORDER_TABS} tab={loaderData.tab} />
      <SchoolOrderList rows={loaderData.rows} show="school" />
      <OrderPager tab={loaderData.tab} paged={loaderData.paged} older={loaderData.older} />
    </>
  );
}
