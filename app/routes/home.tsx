import { Card, Col, Row, Typography } from "antd";
import { Link } from "react-router";
import { latestArticles } from "#src/modules/articles/articles.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { ArticleList } from "~/components/article-list";
import { ButtonLink, PageTitle, SectionTitle } from "~/components/plain";
import type { Route } from "./+types/home";

export const meta: Route.MetaFunction = () => [{ title: "首页 - 科普基地服务平台" }];

const ENTRIES = [
  {
    to: "/projects/calls",
    title: "项目申报",
    text: "在【项目大厅】查看科普教育基地项目认定，在线填报申报表、上传材料。",
  },
  { to: "/notices", title: "公示栏", text: "拟认定名单公示、异议受理与认定命名公告。" },
  { to: "/bases", title: "科普基地", text: "已认定的衢州市科普教育基地名录，开放信息与预约电话。" },
  { to: "/special", title: "科普助力双减", text: "“你点我来”：学校点单，基地送课进校园或请学生走进基地。" },
];

/** The latest published articles (新闻动态 …), under the entries. */
export async function loader({ context }: Route.LoaderArgs) {
  const items = await latestArticles(context.app, { limit: 6 });
  return {
    articles: items.map((a) => ({
      id: a.id,
      title: a.title,
      columnLabel: a.columnLabel,
      authorName: a.authorName,
      summary: a.summary,
      date: formatShanghai(a.publishedAt).slice(0, 10),
    })),
  };
}

export default function Home({ loaderData }: Route.ComponentProps) {
  return (
    <>
      <PageTitle style={{ marginTop: 8 }}>衢州市科普教育基地服务平台</PageTitle>
      <Typography.Paragraph>
        科普教育基地是开展社会性、群众性、经常性科普活动的重要阵地。本平台服务基地创建申报、县（市、区）推荐、市级评审与认定、
        公示、活动发布与动态管理。申报单位请点击右上角【登录】→【法人登录】。
      </Typography.Paragraph>
      <Row gutter={[16, 16]}>
        {ENTRIES.map((e) => (
          <Col xs={24} sm={12} lg={6} key={e.to}>
            <Link to={e.to}>
              <Card hoverable title={e.title} style={{ height: "100%" }}>
                {e.text}
              </Card>
            </Link>
          </Col>
        ))}
      </Row>
      <section aria-labelledby="news-h" style={{ marginTop: 24 }}>
        <SectionTitle id="news-h">新闻与交流</SectionTitle>
        <ArticleList
          items={loaderData.articles}
          label="最新文章"
          headingLevel={3}
          compact
          empty="暂无文章。"
        />
        <ButtonLink to="/articles">更多文章</ButtonLink> <ButtonLink to="/announcements">通知公告</ButtonLink>
      </section>
    </>
  );
}
