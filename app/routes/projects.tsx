import { Card, Col, Row } from "antd";
import { Link } from "react-router";
import { PageTitle } from "~/components/plain";
import type { Route } from "./+types/projects";

export const meta: Route.MetaFunction = () => [{ title: "项目大厅 - 科普基地服务平台" }];

export default function Projects() {
  return (
    <>
      <PageTitle>项目大厅</PageTitle>
      <Row gutter={[16, 16]}>
        <Col xs={24} sm={12} lg={8}>
          <Link to="/projects/calls">
            <Card hoverable title="项目申报">
              科普教育基地项目认定等申报项目，查看申报通知并在线申报。
            </Card>
          </Link>
        </Col>
      </Row>
    </>
  );
}
