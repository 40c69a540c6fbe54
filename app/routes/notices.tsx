import { Empty, Typography } from "antd";
import type { Route } from "./+types/notices";

export const meta: Route.MetaFunction = () => [{ title: "公示栏 - 科普基地服务平台" }];

export default function Notices() {
  return (
    <>
      <Typography.Title level={3}>公示栏</Typography.Title>
      <Empty description="暂无公示" />
    </>
  );
}
