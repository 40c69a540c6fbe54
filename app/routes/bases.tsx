import { Empty, Typography } from "antd";
import type { Route } from "./+types/bases";

export const meta: Route.MetaFunction = () => [{ title: "科普基地 - 科普基地服务平台" }];

export default function Bases() {
  return (
    <>
      <Typography.Title level={3}>科普基地</Typography.Title>
      <Empty description="暂无已认定的科普教育基地" />
    </>
  );
}
