import { BankOutlined, IdcardOutlined } from "@ant-design/icons";
import { Card, Col, Row } from "antd";
import { Link, redirect, useSearchParams } from "react-router";
import { PageTitle } from "~/components/plain";
import type { Route } from "./+types/login";

export const meta: Route.MetaFunction = () => [{ title: "登录 - 科普基地服务平台" }];

export function loader({ context }: Route.LoaderArgs) {
  if (context.user) throw redirect("/workbench");
  return null;
}

export default function Login() {
  const [params] = useSearchParams();
  const q = params.toString() ? `?${params}` : "";
  return (
    <>
      <PageTitle>登录</PageTitle>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12}>
          <Link to={`/login/org${q}`}>
            <Card hoverable>
              <Card.Meta
                avatar={<BankOutlined style={{ fontSize: 32 }} />}
                title="法人登录"
                description="申报单位、科普教育基地使用统一社会信用代码登录"
              />
            </Card>
          </Link>
        </Col>
        <Col xs={24} md={12}>
          <Link to={`/login/staff${q}`}>
            <Card hoverable>
              <Card.Meta
                avatar={<IdcardOutlined style={{ fontSize: 32 }} />}
                title="工作人员登录"
                description="各级科协、市基地认定办公室、评价小组与系统管理员"
              />
            </Card>
          </Link>
        </Col>
      </Row>
    </>
  );
}
