import { Alert, Button, Card, Descriptions, Input, Radio, Space, Table, Tag, Typography } from "antd";
import { Form, Link, useNavigation } from "react-router";
import { can } from "#src/modules/accounts/accounts.policy.ts";
import {
  canCountyReview,
  ENTRY_STATUS_LABELS,
  GRADE_LABELS,
  ROUND_STATUS_LABELS,
} from "#src/modules/evaluation/evaluation.rules.ts";
import { countyReviewSchema } from "#src/modules/evaluation/evaluation.schema.ts";
import { figureRows } from "#src/modules/evaluation/evaluation.view.server.ts";
import { getEntry, listBaseGrades, reviewEntry } from "#src/modules/evaluation/evaluation-entries.server.ts";
import { EvaluationFigures, EvaluationReportLink, EvidenceFiles } from "~/components/evaluation-figures";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle } from "~/components/plain";
import { actorOf, failWith, invalid, orFail, parseForm, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-evaluation-entry";

export const meta: Route.MetaFunction = () => [{ title: "基地年度评价 - 科普基地服务平台" }];

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = await requireUser(context, request, "evaluation:read");
  const actor = actorOf(context);
  const v = await orFail(getEntry(context.app, actor, params.id));
  const history = await orFail(listBaseGrades(context.app, actor, v.entry.base_id));
  return {
    history: history.map((h) => ({
      year: h.year,
      title: h.title,
      finalScore: h.final_score,
      grade: h.grade,
    })),
    canReview: can(user, "evaluation:review") && canCountyReview(v.round.status, v.entry.status),
    round: { id: v.round.id, title: v.round.title, status: v.round.status },
    entry: {
      id: v.entry.id,
      baseId: v.entry.base_id,
      baseName: v.entry.base_name,
      status: v.entry.status,
      late: !!v.entry.late,
      version: v.entry.version,
      countyOpinion: v.entry.county_opinion,
      autoScore: v.entry.auto_score,
      manualScore: v.entry.manual_score,
      finalScore: v.entry.final_score,
      grade: v.entry.grade,
      flagged: !!v.entry.spread_flag,
    },
    rows: figureRows(v.rubric, v),
    files: v.files.map((f) => ({ id: f.id, name: f.name, url: f.url, slot: f.slot })),
    scores: v.scores.map((s) => ({
      evaluator: s.evaluatorName,
      total: s.total,
      submitted: !!s.submitted_at,
      comment: s.comment,
    })),
    progress: `${v.evaluatorsSubmitted}/${v.evaluatorsTotal}`,
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  await requireUser(context, request, "evaluation:review");
  const fd = await readForm(request);
  const parsed = parseForm(countyReviewSchema, fd);
  if (!parsed.ok) return invalid({ ...parsed.failure, message: "请填写初审结论和意见" });
  try {
    await reviewEntry(context.app, actorOf(context), params.id, parsed.data);
    return { ok: true as const, done: parsed.data.decision === "pass" ? "初审通过" : "已退回基地补充材料" };
  } catch (e) {
    return failWith(e, fd);
  }
}

export default function AdminEvaluationEntry({ loaderData, actionData }: Route.ComponentProps) {
  const d = loaderData;
  const busy = useNavigation().state === "submitting";
  const failure = actionData && !actionData.ok ? actionData : undefined;
  const errors = failure?.fieldErrors ?? {};
  return (
    <>
      <Typography.Text>
        <Link to={`/admin/evaluation/${d.round.id}`}>{d.round.title}</Link> / {d.entry.baseName}
      </Typography.Text>
      <PageTitle>{d.entry.baseName}</PageTitle>
      <Typography.Paragraph>
        <EvaluationReportLink entryId={d.entry.id} />
      </Typography.Paragraph>
      {actionData?.ok && (
        <Alert type="success" showIcon role="status" title={actionData.done} style={{ marginBottom: 16 }} />
      )}
      {failure?.message && (
        <Alert type="error" showIcon role="alert" title={failure.message} style={{ marginBottom: 16 }} />
      )}
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
          <Descriptions.Item label="评价阶段">{ROUND_STATUS_LABELS[d.round.status]}</Descriptions.Item>
          <Descriptions.Item label="自评">
            <Space>
              {ENTRY_STATUS_LABELS[d.entry.status]}
              {d.entry.late && <Tag color="orange">逾期提交</Tag>}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label="县级初审意见">{d.entry.countyOpinion || "—"}</Descriptions.Item>
          <Descriptions.Item label="自动得分">{d.entry.autoScore}</Descriptions.Item>
          <Descriptions.Item label="评分均分">{d.entry.manualScore ?? "—"}</Descriptions.Item>
          <Descriptions.Item label="总分 / 等次">
            {d.entry.finalScore ?? "—"} {d.entry.grade ? GRADE_LABELS[d.entry.grade] : ""}
            {d.entry.flagged && <Tag color="red">评分差异大</Tag>}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title="评价指标与数据" style={{ marginBottom: 16 }}>
        <EvaluationFigures entryId={d.entry.id} rows={d.rows} showSelf />
        <EvidenceFiles files={d.files} />
      </Card>
      <Card size="small" title={`评价小组评分（已提交 ${d.progress}）`} style={{ marginBottom: 16 }}>
        <Table
          size="small"
          rowKey="evaluator"
          pagination={false}
          dataSource={d.scores}
          locale={{ emptyText: "尚无评分" }}
          columns={[
            { title: "评价人员", dataIndex: "evaluator" },
            { title: "人工指标合计", dataIndex: "total" },
            { title: "状态", dataIndex: "submitted", render: (s: boolean) => (s ? "已提交" : "草稿") },
            { title: "评分意见", dataIndex: "comment" },
          ]}
        />
      </Card>
      <Card size="small" title="历年评价结果" style={{ marginBottom: 16 }}>
        <Table
          size="small"
          rowKey="year"
          pagination={false}
          dataSource={d.history}
          locale={{ emptyText: "暂无已公示的评价结果" }}
          columns={[
            { title: "年度", dataIndex: "year" },
            { title: "评价", dataIndex: "title" },
            { title: "总分", dataIndex: "finalScore" },
            {
              title: "等次",
              dataIndex: "grade",
              render: (g: keyof typeof GRADE_LABELS | null) => (g ? GRADE_LABELS[g] : ""),
            },
          ]}
        />
      </Card>
      {d.canReview && (
        <Card size="small" title="县级初审">
          <Form method="post" noValidate>
            <input type="hidden" name="version" value={d.entry.version} />
            <FieldLayout>
              <Field label="初审结论" htmlFor="decision" error={errors.decision} required>
                <Radio.Group id="decision" name="decision" defaultValue={failure?.values.decision ?? "pass"}>
                  <Radio value="pass">通过，报送评价小组</Radio>
                  <Radio value="return">退回补充材料</Radio>
                </Radio.Group>
              </Field>
              <Field label="初审意见" htmlFor="opinion" error={errors.opinion} required>
                <Input.TextArea
                  id="opinion"
                  name="opinion"
                  rows={3}
                  maxLength={1000}
                  defaultValue={failure?.values.opinion ?? ""}
                  aria-invalid={!!errors.opinion}
                />
              </Field>
              <Button type="primary" htmlType="submit" loading={busy}>
                提交初审意见
              </Button>
            </FieldLayout>
          </Form>
        </Card>
      )}
    </>
  );
}
