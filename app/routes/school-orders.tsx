import { listOrders } from "#src/modules/schools/school-orders.server.ts";
import { ButtonLink, PageTitle } from "~/components/plain";
import { orderRowOf, SchoolOrderList } from "~/components/school-order-list";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/school-orders";

export const meta: Route.MetaFunction = () => [{ title: "我的点单 - 科普基地服务平台" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "schools:order");
  const { rows } = await orFail(listOrders(context.app, actorOf(context)));
  return { rows: rows.map(orderRowOf) };
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
      <SchoolOrderList rows={loaderData.rows} show="base" />
    </>
  );
}
