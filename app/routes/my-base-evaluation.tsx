import { Alert, Button, Card, Descriptions, Empty, Input, Space, Table, Tag, Typography } from "antd";
import { Form, Link, useNavigation } from "react-router";
import { EVIDENCE_SLOTS, evidenceSlotFor } from "#src/modules/evaluation/evaluation.files.ts";
import {
  canSelfAssess,
  ENTRY_STATUS_LABELS,
  GRADE_LABELS,
  ROUND_STATUS_LABELS,
  rubricIndicators,
} from "#src/modules/evaluation/evaluation.rules.ts";
import { selfAssessmentFromForm } from "#src/modules/evaluation/evaluation.schema.ts";
import { beijingDateOf } from "#src/modules/evaluation/evaluation.server.ts";
import { figureRows } from "#src/modules/evaluation/evaluation.view.server.ts";
import { getOwnEvaluation, saveSelfAssessment } from "#src/modules/evaluation/evaluation-entries.server.ts";
import { KIND_EXTENSIONS } from "#src/modules/files/slots.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import type { Grade } from "#src/platform/db/schema.ts";
import { AttachmentUpload } from "~/components/attachment-upload";
import { EvaluationFigures, EvaluationReportLink } from "~/components/evaluation-figures";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle } from "~/components/plain";
import { toMyBaseWhenMissing } from "~/lib/own-base.server";
import { actorOf, failWith, invalid, orFail, readForm, requireUser } from "~/lib/route.server";
import { useDraftAutosave } from "~/lib/use-draft-autosave";
import type { Route } from "./+types/my-base-evaluation";

export const meta: Route.MetaFunction = () => [{ title: "年度评价 - 科普基地服务平台" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "bases:own");
  const actor = actorOf(context);
  const year = Number(new URL(request.url).searchParams.get("year")) || undefined;
  const own = await orFail(getOwnEvaluation(context.app, actor, year).catch(toMyBaseWhenMissing));
  const cur = own.current;
  return {
    baseName: own.baseName,
    openYears: own.openYears,
    history: own.history,
    current: cur && {
      entryId: cur.entry.id,
      version: cur.entry.version,
      status: cur.entry.status,
      late: !!cur.entry.late,
      countyOpinion: cur.entry.county_opinion,
      round: {
        title: cur.round.title,
        year: cur.round.year,
        status: cur.round.status,
        selfDeadline: beijingDateOf(cur.round.self_deadline),
      },
      editable: canSelfAssess(cur.round.status, cur.entry.status),
      // A draft was saved once the self-scores hold anything (figures refresh updated_at too).
      savedAt:
        cur.entry.self_scores !== "{}" && canSelfAssess(cur.round.status, cur.entry.status)
          ? formatShanghai(cur.entry.updated_at)
          : "",
      autoScore: cur.entry.auto_score,
      rows: figureRows(cur.rubric, cur),
      manual: rubricIndicators(cur.rubric)
        .filter((i) => i.source === "manual")
        .map((i) => ({
          key: i.key,
          name: i.name,
          max: i.max,
          guide: i.guide ?? "",
          basis: i.basis,
          score: cur.self[i.key]?.score ?? null,
          text: cur.self[i.key]?.text ?? "",
          slot: evidenceSlotFor(i.key),
        })),
      files: cur.files.map((f) => ({ id: f.id, name: f.name, url: f.url, slot: f.slot })),
    },
    accept: EVIDENCE_SLOTS[0].kinds.flatMap((k) => KIND_EXTENSIONS[k].map((e) => `.${e}`)).join(","),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  await requireUser(context, request, "bases:own");
  const fd = await readForm(request);
  const submit = fd.get("intent") === "submit";
  const parsed = selfAssessmentFromForm(fd);
  if (!parsed.success)
    return invalid({
      ok: false,
      message: "请检查自评内容",
      fieldErrors: {},
      values: Object.fromEntries([...fd.entries()].map(([k, v]) => [k, String(v)])),
    });
  try {
    const saved = await saveSelfAssessment(
      context.app,
      actorOf(context),
      String(fd.get("entryId") ?? ""),
      parsed.data,
      submit,
    );
    return {
      ok: true as const,
      done: submit ? "自评已提交，等待县级初审" : "草稿已保存",
      version: saved.version,
      savedAt: formatShanghai(saved.updated_at),
    };
  } catch (e) {
    return failWith(e, fd);
  }
}

export default function MyBaseEvaluation({ loaderData, actionData }: Route.ComponentProps) {
  const { current, history, baseName, accept, openYears } = loaderData;
  const busy = useNavigation().state === "submitting";
  const failure = actionData && !actionData.ok ? actionData : undefined;
  const errors = failure?.fieldErrors ?? {};
  const value = (k: string, fallback: string) => failure?.values[k] ?? fallback;
  const draft = useDraftAutosave({
    url: `/my-base/evaluation/${current?.entryId ?? ""}/autosave`,
    enabled: !!current?.editable,
    versions: [current?.version ?? 0, actionData && "version" in actionData ? actionData.version : 0],
    savedAt: current?.savedAt ?? "",
    actionSavedAt: actionData?.ok ? actionData.savedAt : undefined,
  });
  return (
    <>
      <Typography.Text>
        <Link to="/my-base">我的基地</Link> / 年度评价
      </Typography.Text>
      <PageTitle>年度评价（{baseName}）</PageTitle>
      {openYears.length > 1 && (
        <Space wrap style={{ marginBottom: 12 }}>
          进行中的评价：
          {openYears.map((y) => (
            <Link key={y} to={`?year=${y}`}>
              {y}年度
            </Link>
          ))}
        </Space>
      )}
      {actionData?.ok && (
        <Alert type="success" showIcon role="status" title={actionData.done} style={{ marginBottom: 16 }} />
      )}
      {failure?.message && (
        <Alert type="error" showIcon role="alert" title={failure.message} style={{ marginBottom: 16 }} />
      )}
      {draft.failed && (
        <Alert type="error" showIcon role="alert" title={draft.failed} style={{ marginBottom: 16 }} />
      )}
      {!current ? (
        <Card size="small" style={{ marginBottom: 16 }}>
          <Empty description="目前没有进行中的年度评价" />
        </Card>
      ) : (
        <>
          <Card size="small" style={{ marginBottom: 16 }} title={current.round.title}>
            <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
              <Descriptions.Item label="评价阶段">
                {ROUND_STATUS_LABELS[current.round.status]}
              </Descriptions.Item>
              <Descriptions.Item label="自评截止">{current.round.selfDeadline}</Descriptions.Item>
              <Descriptions.Item label="自评状态">
                <Space>
                  {ENTRY_STATUS_LABELS[current.status]}
                  {current.late && <Tag color="orange">逾期提交</Tag>}
                </Space>
              </Descriptions.Item>
              <Descriptions.Item label="自动计算得分">{current.autoScore} 分</Descriptions.Item>
              {current.countyOpinion && (
                <Descriptions.Item label="县级初审意见">{current.countyOpinion}</Descriptions.Item>
              )}
            </Descriptions>
          </Card>
          <Card
            size="small"
            title={`平台统计（${current.round.year}年度数据，点击数字查看明细）`}
            style={{ marginBottom: 16 }}
          >
            <EvaluationFigures
              entryId={current.entryId}
              rows={current.rows.filter((r) => r.source === "auto")}
            />
          </Card>
          <Card size="small" title="自评（人工评价指标）" style={{ marginBottom: 16 }}>
            <Form
              method="post"
              noValidate
              ref={draft.formRef}
              onChange={draft.onChange}
              onSubmit={draft.onSubmit}
            >
              <input type="hidden" name="entryId" value={current.entryId} />
              <input type="hidden" name="version" value={draft.version} />
              {current.editable && (
                <Typography.Paragraph type="secondary">
                  {draft.savedAt ? `草稿已自动保存（${draft.savedAt}）` : "输入后将自动保存草稿"}
                </Typography.Paragraph>
              )}
              <FieldLayout>
                {current.manual.map((m) => (
                  <Card
                    key={m.key}
                    size="small"
                    type="inner"
                    title={`${m.name}（满分 ${m.max} 分，${m.basis}）`}
                    style={{ marginBottom: 12 }}
                  >
                    {m.guide && <Typography.Paragraph type="secondary">{m.guide}</Typography.Paragraph>}
                    <Field
                      label={`${m.name}自评分`}
                      htmlFor={`score.${m.key}`}
                      error={errors[`${m.key}.score`]}
                      required
                    >
                      <Input
                        type="number"
                        style={{ width: 120 }}
                        id={`score.${m.key}`}
                        name={`score.${m.key}`}
                        min={0}
                        max={m.max}
                        step={0.5}
                        defaultValue={
                          value(`score.${m.key}`, m.score === null ? "" : String(m.score)) || undefined
                        }
                        disabled={!current.editable}
                        aria-invalid={!!errors[`${m.key}.score`]}
                      />
                    </Field>
                    <Field
                      label={`${m.name}自评说明`}
                      htmlFor={`text.${m.key}`}
                      error={errors[`${m.key}.text`]}
                      required
                    >
                      <Input.TextArea
                        id={`text.${m.key}`}
                        name={`text.${m.key}`}
                        rows={3}
                        maxLength={2000}
                        defaultValue={value(`text.${m.key}`, m.text)}
                        disabled={!current.editable}
                        aria-invalid={!!errors[`${m.key}.text`]}
                      />
                    </Field>
                    <AttachmentUpload
                      id={`file_${m.slot}`}
                      action={`/files/evaluation_entry/${current.entryId}/${m.slot}`}
                      accept={accept}
                      max={10}
                      image={false}
                      files={current.files.filter((f) => f.slot === m.slot)}
                      disabled={!current.editable}
                    />
                  </Card>
                ))}
                {current.editable && (
                  <Space wrap>
                    <Button htmlType="submit" name="intent" value="save" loading={busy}>
                      保存草稿
                    </Button>
                    <Button type="primary" htmlType="submit" name="intent" value="submit" loading={busy}>
                      提交自评
                    </Button>
                  </Space>
                )}
              </FieldLayout>
            </Form>
          </Card>
        </>
      )}
      <Card size="small" title="历年评价结果">
        <Table
          size="small"
          rowKey="year"
          pagination={false}
          dataSource={history}
          locale={{ emptyText: "暂无评价结果" }}
          columns={[
            { title: "年度", dataIndex: "year" },
            { title: "评价", dataIndex: "title" },
            { title: "总分", dataIndex: "finalScore" },
            { title: "等次", dataIndex: "grade", render: (g: Grade | null) => (g ? GRADE_LABELS[g] : "") },
            {
              title: "状态",
              dataIndex: "status",
              render: (s: keyof typeof ROUND_STATUS_LABELS) => ROUND_STATUS_LABELS[s],
            },
            {
              title: "评价报告",
              dataIndex: "entryId",
              render: (id: string, h) => (
                <EvaluationReportLink entryId={id} label={`${h.year}年度评价报告（PDF）`} />
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
