import { Alert, Button, Card, Descriptions, Image, Input, Radio, Space, Table, Tag, Typography } from "antd";
import { Form, Link, useNavigation } from "react-router";
import { can } from "#src/modules/accounts/accounts.policy.ts";
import {
  BASE_STATUS_COLORS,
  CHANGE_STATUS_COLORS,
  RECOMMENDATION_LABELS,
  REVOCATION_REASONS,
} from "#src/modules/bases/bases.rules.ts";
import { recommendationSchema, revocationSchema } from "#src/modules/bases/bases.schema.ts";
import { getStaffBase, recommendBase, revokeBase } from "#src/modules/bases/bases.server.ts";
import {
  baseView,
  type ChangeReportView,
  changeReportView,
  slotView,
} from "#src/modules/bases/bases.view.server.ts";
import { listBaseWarningEvents } from "#src/modules/dynamic-management/dynamic-management.server.ts";
import { eventView } from "#src/modules/dynamic-management/dynamic-management.view.server.ts";
import { GRADE_LABELS, recommendationCandidate } from "#src/modules/evaluation/evaluation.rules.ts";
import { listBaseGrades } from "#src/modules/evaluation/evaluation-entries.server.ts";
import { listFiles } from "#src/modules/files/files.server.ts";
import { listRegions } from "#src/modules/regions/regions.server.ts";
import { batchLabel } from "#src/platform/numbering.rules.ts";
import { AttachmentUpload } from "~/components/attachment-upload";
import { EvaluationReportLink } from "~/components/evaluation-figures";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle } from "~/components/plain";
import { StackedTable } from "~/components/stacked-table";
import { WarningTimeline } from "~/components/warning-timeline";
import { actorOf, failWith, invalid, orFail, parseForm, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-base-detail";

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `${data?.base.name ?? "基地详情"} - 科普基地服务平台` },
];

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const me = await requireUser(context, request, "bases:read");
  const actor = actorOf(context);
  const { base, reports } = await orFail(getStaffBase(context.app, actor, params.id));
  const names = new Map((await listRegions(context.app)).map((r) => [r.code, r.name]));
  const photos = await listFiles(context.app, actor, "base", base.id);
  const evidence = await listFiles(context.app, actor, "base_revocation", base.id);
  const warningEvents = can(me, "warnings:read")
    ? (await listBaseWarningEvents(context.app, actor, base.id)).map(eventView)
    : null;
  const grades = can(me, "evaluation:read") ? await listBaseGrades(context.app, actor, base.id) : null;
  const candidate = grades && recommendationCandidate(grades);
  // 动态管理: a re-check that failed links here with the 第十八条 reason it proposed.
  const proposedReason = Number(new URL(request.url).searchParams.get("revocation")) || null;
  return {
    warningEvents,
    grades: grades?.map((g) => ({
      entryId: g.id,
      year: g.year,
      title: g.title,
      score: g.final_score,
      grade: g.grade ? GRADE_LABELS[g.grade] : "",
      inEffect: g.status === "closed",
    })),
    excellentIn: candidate ? candidate.title : null,
    proposedReason,
    canWarn: can(me, "warnings:issue") || can(me, "warnings:propose"),
    canManage: can(me, "bases:manage"),
    canClaimCodes: can(me, "bases:claim_codes"),
    base: baseView(base, names),
    reports: reports.map(changeReportView),
    photos: photos.map((f) => ({ id: f.id, name: f.name, url: f.url, thumbUrl: f.thumbUrl })),
    evidence: slotView("revocation_evidence", evidence),
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  await requireUser(context, request, "bases:manage");
  const fd = await readForm(request);
  const intent = fd.get("intent");
  try {
    if (intent === "revoke") {
      const parsed = parseForm(revocationSchema, fd);
      if (!parsed.ok) return invalid({ ...parsed.failure, message: "请完整填写撤销信息" });
      await revokeBase(context.app, actorOf(context), params.id, parsed.data);
      return { ok: true as const, done: "已撤销该基地的命名，并已通知基地单位" };
    }
    if (intent === "recommend") {
      const parsed = parseForm(recommendationSchema, fd);
      if (!parsed.ok) return invalid(parsed.failure);
      await recommendBase(context.app, actorOf(context), params.id, parsed.data);
      return { ok: true as const, done: parsed.data.level ? "已保存推荐" : "已取消推荐" };
    }
  } catch (e) {
    return failWith(e, fd);
  }
  return invalid({ ok: false, message: "未知操作", fieldErrors: {}, values: {} }, 400);
}

export default function AdminBaseDetail({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const {
    base: b,
    canManage,
    canClaimCodes,
    reports,
    photos,
    evidence,
    warningEvents,
    grades,
    excellentIn,
  } = loaderData;
  const failure = actionData && !actionData.ok ? actionData : undefined;
  const errors = failure?.fieldErrors ?? {};
  const values = failure?.values ?? {};
  const revoked = b.status === "revoked";
  return (
    <>
      <Typography.Text>
        <Link to="/admin/bases">基地管理</Link> / {b.name}
      </Typography.Text>
      <div style={{ margin: "8px 0 16px" }}>
        <PageTitle style={{ display: "inline", marginRight: 8 }}>{b.name}</PageTitle>
        <Tag color={BASE_STATUS_COLORS[b.status]}>{b.statusLabel}</Tag>
        {b.recommendedLabel && <Tag color="gold">已推荐{b.recommendedLabel}</Tag>}
        {canClaimCodes && <Link to={`/admin/bases/${b.id}/claim-code`}>账号认领码</Link>}
        {loaderData.canWarn && !revoked && (
          <Link to={`/admin/warnings/new?base=${b.id}`} style={{ marginLeft: 12 }}>
            列入警示
          </Link>
        )}
      </div>
      {actionData?.ok && (
        <Alert type="success" showIcon role="status" title={actionData.done} style={{ marginBottom: 16 }} />
      )}
      <FormAlert failure={failure} />
      {b.status === "warning" && (
        <Alert
          type="warning"
          showIcon
          title="警示"
          description={b.warningNote}
          style={{ marginBottom: 16 }}
        />
      )}
      {revoked && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={`已于 ${b.revokedAt} 撤销命名`}
          description={`理由：${b.revocationReasonLabel}。说明：${b.revocationNote}`}
        />
      )}
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label="基地名称">{b.name}</Descriptions.Item>
        <Descriptions.Item label="单位名称">{b.unitName}</Descriptions.Item>
        <Descriptions.Item label="统一社会信用代码">{b.uscc}</Descriptions.Item>
        <Descriptions.Item label="所在区域">{b.county}</Descriptions.Item>
        <Descriptions.Item label="类别">{b.category}</Descriptions.Item>
        <Descriptions.Item label="批次">{batchLabel(b.batchNo)}</Descriptions.Item>
        <Descriptions.Item label="认定年份">{b.recognizedYear}</Descriptions.Item>
        <Descriptions.Item label="证书编号">{b.certificateNo}</Descriptions.Item>
        <Descriptions.Item label="通信地址">{b.address}</Descriptions.Item>
        <Descriptions.Item label="开放形式">{b.openingForm}</Descriptions.Item>
        <Descriptions.Item label="开放时间">{b.openingHours}</Descriptions.Item>
        <Descriptions.Item label="年开放天数">{b.openDays}</Descriptions.Item>
        <Descriptions.Item label="科普场所面积（平方米）">{b.areaSqm}</Descriptions.Item>
        <Descriptions.Item label="预约参观电话">{b.bookingPhone}</Descriptions.Item>
        <Descriptions.Item label="负责人">
          {b.leaderName} {b.leaderPhone}
        </Descriptions.Item>
        <Descriptions.Item label="联系人">
          {b.contactName} {b.contactPhone}
        </Descriptions.Item>
        <Descriptions.Item label="科技志愿服务队">{b.volunteerTeamName}</Descriptions.Item>
        <Descriptions.Item label="科技志愿者人数">{b.volunteerCount}</Descriptions.Item>
        <Descriptions.Item label="推荐">
          {b.recommendedLabel ? `${b.recommendedLabel}（${b.recommendedAt}）${b.recommendedNote}` : "未推荐"}
        </Descriptions.Item>
        <Descriptions.Item label="最近更新">{b.updatedAt}</Descriptions.Item>
        <Descriptions.Item label="简介" span={2}>
          <Typography.Paragraph style={{ whiteSpace: "pre-wrap", margin: 0 }}>{b.intro}</Typography.Paragraph>
        </Descriptions.Item>
      </Descriptions>
      {photos.length > 0 && (
        <Card size="small" title="基地照片" style={{ marginBottom: 16 }}>
          <Image.PreviewGroup>
            <Space wrap>
              {photos.map((p) => (
                <Image
                  key={p.id}
                  width={160}
                  src={p.thumbUrl ?? `${p.url}?inline=1`}
                  preview={{ src: `${p.url}?inline=1` }}
                  alt={p.name}
                />
              ))}
            </Space>
          </Image.PreviewGroup>
        </Card>
      )}
      <Card size="small" title="变更记录" style={{ marginBottom: 16 }}>
        <Table
          rowKey="id"
          size="small"
          dataSource={reports}
          pagination={false}
          scroll={{ x: 700 }}
          locale={{ emptyText: "暂无变更申报" }}
          columns={[
            {
              title: "变更类型",
              dataIndex: "kindLabel",
              render: (v, r: ChangeReportView) =>
                canManage ? <Link to={`/admin/changes/${r.id}`}>{v}</Link> : v,
            },
            { title: "变更发生日期", dataIndex: "happenedOn" },
            { title: "提交时间", dataIndex: "filedAt" },
            {
              title: "状态",
              dataIndex: "status",
              render: (s: ChangeReportView["status"], r: ChangeReportView) => (
                <Space size={4}>
                  <Tag color={CHANGE_STATUS_COLORS[s]}>{r.statusLabel}</Tag>
                  {r.late && <Tag color="red">逾期报告</Tag>}
                </Space>
              ),
            },
            {
              title: "变更内容",
              dataIndex: "changes",
              render: (c: ChangeReportView["changes"]) =>
                c.map((x) => `${x.label}：${x.before} → ${x.after}`).join("；"),
            },
          ]}
        />
      </Card>
      {warningEvents && (
        <Card size="small" title="动态管理记录" style={{ marginBottom: 16 }}>
          <WarningTimeline
            events={warningEvents.map((e) => ({ ...e, href: `/admin/warnings/${e.warningId}` }))}
            empty="暂无警示或整改记录"
          />
        </Card>
      )}
      {grades && (
        <Card size="small" title="年度绩效评价" style={{ marginBottom: 16 }}>
          <StackedTable
            size="small"
            rowKey="entryId"
            dataSource={grades}
            pagination={false}
            locale={{ emptyText: "暂无已公布的评价结果" }}
            columns={[
              { title: "年度", dataIndex: "year", width: 80 },
              {
                title: "评价",
                dataIndex: "title",
                render: (t: string, g) => <Link to={`/admin/evaluation/entries/${g.entryId}`}>{t}</Link>,
              },
              { title: "总分", dataIndex: "score", width: 80 },
              { title: "等次", dataIndex: "grade", width: 80 },
              {
                title: "状态",
                dataIndex: "inEffect",
                width: 90,
                render: (e: boolean) => (e ? "已生效" : "公示中"),
              },
              {
                title: "评价报告",
                dataIndex: "entryId",
                width: 100,
                render: (id: string) => <EvaluationReportLink entryId={id} label="评价报告（PDF）" />,
              },
            ]}
          />
        </Card>
      )}
      {revoked && evidence.files.length > 0 && (
        <Card size="small" title={evidence.label} style={{ marginBottom: 16 }}>
          <ul>
            {evidence.files.map((f) => (
              <li key={f.id}>
                <a href={f.url}>{f.name}</a>
              </li>
            ))}
          </ul>
        </Card>
      )}
      {canManage && !revoked && (
        <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
          <Card size="small" title="推荐" id="recommend">
            {excellentIn && !b.recommendedLabel && (
              <Alert
                type="info"
                showIcon
                title={`该基地在“${excellentIn}”中评为优秀，可推荐为省级或国家级科普教育基地。`}
                style={{ marginBottom: 12 }}
              />
            )}
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="recommend" />
              <input type="hidden" name="version" value={b.version} />
              <FieldLayout>
                <Field label="推荐级别" htmlFor="level" error={errors.level}>
                  <Radio.Group
                    id="level"
                    name="level"
                    defaultValue={values.level ?? b.recommendedLevel}
                    options={[
                      { value: "province", label: `推荐${RECOMMENDATION_LABELS.province}` },
                      { value: "nation", label: `推荐${RECOMMENDATION_LABELS.nation}` },
                      { value: "", label: "不推荐 / 取消推荐" },
                    ]}
                  />
                </Field>
                <Field label="推荐说明" htmlFor="note" error={errors.note}>
                  <Input.TextArea
                    id="note"
                    name="note"
                    rows={2}
                    defaultValue={values.note ?? b.recommendedNote}
                  />
                </Field>
                <Button htmlType="submit" loading={busy}>
                  保存推荐
                </Button>
              </FieldLayout>
            </Form>
          </Card>
          <Card size="small" title="撤销命名（第十八条）" id="revoke">
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="revoke" />
              <input type="hidden" name="version" value={b.version} />
              <FieldLayout>
                <Field label="撤销理由" htmlFor="reason" error={errors.reason} required>
                  <Radio.Group
                    id="reason"
                    name="reason"
                    defaultValue={
                      values.reason ? Number(values.reason) : (loaderData.proposedReason ?? undefined)
                    }
                    style={{ display: "flex", flexDirection: "column", gap: 8 }}
                    options={REVOCATION_REASONS.map((r) => ({
                      value: r.code,
                      label: `（${"一二三四五"[r.code - 1]}）${r.label}`,
                    }))}
                  />
                </Field>
                <Field label="撤销说明" htmlFor="explanation" error={errors.explanation} required>
                  <Input.TextArea
                    id="explanation"
                    name="explanation"
                    rows={3}
                    defaultValue={values.explanation ?? ""}
                    aria-invalid={!!errors.explanation}
                  />
                </Field>
                <Field
                  label={evidence.label}
                  htmlFor="file_revocation_evidence"
                  extra="可上传调查材料、通报文件等"
                >
                  <AttachmentUpload
                    id="file_revocation_evidence"
                    action={`/files/base_revocation/${b.id}/revocation_evidence`}
                    accept={evidence.accept}
                    max={evidence.max}
                    image={false}
                    files={evidence.files}
                  />
                </Field>
                <Button
                  danger
                  htmlType="submit"
                  loading={busy}
                  onClick={(e) => {
                    if (!window.confirm(`确定撤销“${b.name}”的科普教育基地命名吗？`)) e.preventDefault();
                  }}
                >
                  撤销命名
                </Button>
              </FieldLayout>
            </Form>
          </Card>
        </Space>
      )}
    </>
  );
}
