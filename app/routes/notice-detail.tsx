import { Alert, Descriptions, List, Space, Tag, Typography } from "antd";
import { Link } from "react-router";
import { issuanceOfCall } from "#src/modules/calls/calls.server.ts";
import { OBJECTION_STATUS_LABELS } from "#src/modules/notices/notices.rules.ts";
import { getPublicNotice } from "#src/modules/notices/notices.server.ts";
import { regionName } from "#src/modules/regions/regions.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { CATEGORIES } from "#src/platform/db/reference-data.ts";
import { NoticePhaseTag } from "~/components/notice-phase-tag";
import { ButtonLink, PageTitle, SectionTitle } from "~/components/plain";
import { StackedTable } from "~/components/stacked-table";
import { orFail } from "~/lib/route.server";
import type { Route } from "./+types/notice-detail";

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `${data?.notice.title ?? "公示"} - 公示栏 - 科普基地服务平台` },
];

const OUTCOME_LABELS: Record<string, string> = {
  listed: "",
  named: "已命名",
  removed: "异议成立，已移出名单",
};

export async function loader({ params, context }: Route.LoaderArgs) {
  const v = await orFail(getPublicNotice(context.app, params.id));
  const issuance = v.notice.kind === "naming" ? await issuanceOfCall(context.app, v.notice.call_id) : null;
  const entries = await Promise.all(
    v.entries.map(async (e) => ({
      seq: e.seq,
      applicationNo: e.application_no ?? "",
      baseName: e.base_name,
      unitName: e.unit_name,
      county: await regionName(context.app, e.region_code),
      category: CATEGORIES.find((c) => c.code === e.category_code)?.name ?? "",
      outcome: e.outcome,
      baseId: e.base_id,
    })),
  );
  return {
    notice: {
      id: v.notice.id,
      kind: v.notice.kind,
      title: v.notice.title,
      body: v.notice.body,
      contact: v.notice.contact,
      workingDays: v.notice.working_days,
      issuers: issuance?.issuers.join("、") ?? "",
      documentNo: issuance?.documentNo ?? "",
      start: formatShanghai(v.notice.starts_at).slice(0, 10),
      end: formatShanghai(new Date(new Date(v.notice.ends_at).getTime() - 1)).slice(0, 10),
    },
    phase: v.phase,
    acceptsObjections: v.acceptsObjections,
    entries,
    replies: v.replies.map((r) => ({ ...r, handledAt: formatShanghai(r.handledAt).slice(0, 10) })),
  };
}

export default function NoticeDetail({ loaderData: d }: Route.ComponentProps) {
  const naming = d.notice.kind === "naming";
  return (
    <>
      <Typography.Text>
        <Link to="/notices">公示栏</Link> / {naming ? "认定公告" : "公示"}
      </Typography.Text>
      <PageTitle>{d.notice.title}</PageTitle>
      <Space wrap style={{ marginBottom: 12 }}>
        <NoticePhaseTag phase={d.phase} />
        {naming && (
          <ButtonLink to={`/notices/${d.notice.id}/naming.pdf`} reloadDocument size="small">
            下载命名文件（PDF）
          </ButtonLink>
        )}
      </Space>
      <Typography.Paragraph style={{ whiteSpace: "pre-wrap" }}>{d.notice.body}</Typography.Paragraph>
      <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }}>
        {naming && d.notice.documentNo && (
          <Descriptions.Item label="文号">{d.notice.documentNo}</Descriptions.Item>
        )}
        {naming && <Descriptions.Item label="认定单位">{d.notice.issuers}</Descriptions.Item>}
        {naming ? (
          <Descriptions.Item label="发布日期">{d.notice.start}</Descriptions.Item>
        ) : (
          <Descriptions.Item label="公示期">
            {d.notice.start} 至 {d.notice.end}（{d.notice.workingDays} 个工作日）
          </Descriptions.Item>
        )}
        <Descriptions.Item label="联系方式">{d.notice.contact}</Descriptions.Item>
      </Descriptions>
      {d.acceptsObjections && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title="公示期内，对名单中的单位有异议的，请实名提出，并提供必要的证明材料。"
          action={
            <ButtonLink to={`/notices/${d.notice.id}/objection`} type="primary">
              提出异议
            </ButtonLink>
          }
        />
      )}
      <StackedTable
        rowKey="seq"
        dataSource={d.entries}
        pagination={false}
        scroll={{ x: 640 }}
        columns={[
          { title: "序号", dataIndex: "seq", width: 64 },
          ...(d.entries.some((e) => e.applicationNo)
            ? [{ title: "申报编号", dataIndex: "applicationNo" as const }]
            : []),
          {
            title: "基地名称",
            dataIndex: "baseName",
            render: (v: string, e: (typeof d.entries)[number]) =>
              e.outcome === "named" && e.baseId ? <Link to={`/bases/${e.baseId}`}>{v}</Link> : v,
          },
          { title: "申报单位", dataIndex: "unitName" },
          { title: "县（市、区）", dataIndex: "county" },
          { title: "类别", dataIndex: "category" },
          ...(naming
            ? []
            : [
                {
                  title: "结果",
                  dataIndex: "outcome",
                  render: (o: string) =>
                    o === "removed" ? <Tag color="red">{OUTCOME_LABELS[o]}</Tag> : OUTCOME_LABELS[o],
                },
              ]),
        ]}
      />
      {!naming && (
        <>
          <SectionTitle style={{ marginTop: 24 }}>异议处理情况</SectionTitle>
          <List
            dataSource={d.replies}
            locale={{ emptyText: "暂无已处理的异议" }}
            renderItem={(r) => (
              <List.Item>
                <List.Item.Meta
                  title={
                    <Space wrap>
                      <span>受理编号 {r.refNo}</span>
                      {r.baseName && <span>涉及：{r.baseName}</span>}
                      <Tag color={r.status === "upheld" ? "red" : "default"}>
                        {OBJECTION_STATUS_LABELS[r.status]}
                      </Tag>
                    </Space>
                  }
                  description={`${r.handledAt} 答复：${r.reply}`}
                />
              </List.Item>
            )}
          />
          <Typography.Paragraph style={{ marginTop: 12 }}>
            已提出异议？<Link to="/notices/objection-status">查询异议处理情况</Link>
          </Typography.Paragraph>
        </>
      )}
    </>
  );
}
