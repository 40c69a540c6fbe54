import { Card, Col, Row } from "antd";
import { Link } from "react-router";
import { PageTitle, SectionTitle } from "~/components/plain";
import type { Route } from "./+types/special";

export const meta: Route.MetaFunction = () => [{ title: "特色专区 - 科普基地服务平台" }];

export default function Special() {
  return (
    <>
      <PageTitle>特色专区</PageTitle>
      <SectionTitle>科普助力双减</SectionTitle>
      <Row gutter={[16, 16]}>
        <Col xs={24} sm={12} lg={8}>
          <Link to="/bases">
            <Card hoverable title="科普基地">
              已认定的科普教育基地；基地在此查看【活动列表】并发布活动。
            </Card>
          </Link>
        </Col>
        <Col xs={24} sm={12} lg={8}>
          <Link to="/special/schools">
            <Card hoverable title="你点我来 · 课程与服务">
              基地面向中小学校的送课进校园、研学参观和线上课程；学校在线点单，基地接单。
            </Card>
          </Link>
        </Col>
        <Col xs={24} sm={12} lg={8}>
          <Link to="/activities">
            <Card hoverable title="基地活动">
              各基地的活动预告与往期活动，可订阅活动日历。
            </Card>
          </Link>
        </Col>
      </Row>
    </>
  );
}
