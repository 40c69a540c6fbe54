import { Typography } from "antd";
import { listOrders } from "#src/modules/schools/school-orders.server.ts";
import { ButtonLink, PageTitle } from "~/components/plain";
import { orderRowOf, SchoolOrderList } from "~/components/school-order-list";
import { toMyBaseWhenMissing } from "~/lib/own-base.server";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/my-base-school-orders";

export const meta: Route.MetaFunction = () => [{ title: "学校点单 - 科普基地服务平台" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "bases:own");
  const { rows } = await orFail(listOrders(context.app, actorOf(context)).catch(toMyBaseWhenMissing));
  return { rows: rows.map(orderRowOf) };
}

export default function MyBaseSchoolOrders({ loaderData }: Route.ComponentProps) {
  return (
    <>
      <PageTitle>学校点单</PageTitle>
      <Typography.Paragraph type="secondary">
        请在3个工作日内接单、婉拒或建议改期；逾期未答复的点单将转县级科协派单。
      </Typography.Paragraph>
      <div style={{ marginBottom: 12 }}>
        <ButtonLink to="/my-base/school-items">课程与服务</ButtonLink>
      </div>
      <SchoolOrderList rows={loaderData.rows} show="school" />
    </>
  );
}
