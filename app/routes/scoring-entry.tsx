import { Alert, Button, Input, Space } from "antd";
import { Form, useNavigation } from "react-router";
import { rubricIndicators } from "#src/modules/evaluation/evaluation.rules.ts";
import { scoreSchema } from "#src/modules/evaluation/evaluation.schema.ts";
import { figureRows } from "#src/modules/evaluation/evaluation.view.server.ts";
import { getEntry } from "#src/modules/evaluation/evaluation-entries.server.ts";
import { saveScore } from "#src/modules/evaluation/evaluation-scoring.server.ts";
import { EvaluationFigures, EvaluationReportLink, EvidenceFiles } from "~/components/evaluation-figures";
import { Field, FieldLayout } from "~/components/form-field";
import {
  PageTitle,
  PlainCard,
  PlainDescriptions,
  PlainInput,
  PlainLink,
  PlainTable,
  PlainText,
} from "~/components/plain";
import { actorOf, failWith, invalid, orFail, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/scoring-entry";

export const meta: Route.MetaFunction = () => [{ title: "基地评分 - 科普基地服务平台" }];

/** An assigned base's scoring page: its figures with evidence, its self-assessment, and the score form. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  await requireUser(context, request);
  const actor = actorOf(context);
  const v = await orFail(getEntry(context.app, actor, params.id));
  if (v.viewer !== "evaluator") throw new Response("未找到该基地", { status: 404 });
  const mine = v.scores.find((s) => s.mine);
  const myScores = mine ? (JSON.parse(mine.scores) as Record<string, number | null>) : {};
  return {
    round: { title: v.round.title, status: v.round.status },
    entry: {
      id: v.entry.id,
      baseName: v.entry.base_name,
      autoScore: v.entry.auto_score,
      countyOpinion: v.entry.county_opinion,
    },
    rows: figureRows(v.rubric, v),
    manual: rubricIndicators(v.rubric)
      .filter((i) => i.source === "manual")
      .map((i) => ({
        key: i.key,
        name: i.name,
        max: i.max,
        guide: i.guide ?? "",
        mine: myScores[i.key] ?? null,
      })),
    mine: mine
      ? { version: mine.version, submitted: !!mine.submitted_at, comment: mine.comment, total: mine.total }
      : null,
    editable: v.round.status === "scoring" && !mine?.submitted_at,
    others: v.scores.filter((s) => !s.mine).map((s) => ({ evaluator: s.evaluatorName, total: s.total })),
    progress: `${v.evaluatorsSubmitted}/${v.evaluatorsTotal}`,
    files: v.files.map((f) => ({ id: f.id, name: f.name, url: f.url })),
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  await requireUser(context, request);
  const fd = await readForm(request);
  const scores: Record<string, string> = {};
  for (const [k, v] of fd.entries()) {
    const m = /^score\.([a-z_]+)$/.exec(k);
    if (m && typeof v === "string") scores[m[1]] = v;
  }
  const parsed = scoreSchema.safeParse({
    scores,
    comment: String(fd.get("comment") ?? ""),
    submit: fd.get("intent") === "submit" ? "1" : "",
    version: fd.get("version"),
  });
  const values = Object.fromEntries([...fd.entries()].map(([k, v]) => [k, String(v)]));
  if (!parsed.success) return invalid({ ok: false, message: "请检查评分", fieldErrors: {}, values });
  try {
    await saveScore(context.app, actorOf(context), params.id, parsed.data);
    return { ok: true as const, done: parsed.data.submit ? "评分已提交" : "评分草稿已保存" };
  } catch (e) {
    return failWith(e, fd);
  }
}

export default function ScoringEntry({ loaderData, actionData }: Route.ComponentProps) {
  const d = loaderData;
  const busy = useNavigation().state === "submitting";
  const failure = actionData && !actionData.ok ? actionData : undefined;
  const errors = failure?.fieldErrors ?? {};
  return (
    <>
      <PlainText>
        <PlainLink to="/scoring">评价评分</PlainLink> / {d.entry.baseName}
      </PlainText>
      <PageTitle>{d.entry.baseName}</PageTitle>
      <PlainText block style={{ marginBottom: 16 }}>
        <EvaluationReportLink entryId={d.entry.id} />
      </PlainText>
      {actionData?.ok && (
        <Alert type="success" showIcon role="status" title={actionData.done} style={{ marginBottom: 16 }} />
      )}
      {failure?.message && (
        <Alert type="error" showIcon role="alert" title={failure.message} style={{ marginBottom: 16 }} />
      )}
      {/* Display parts in plain markup (ADR 0012): an evaluator opens this page for every base. */}
      <PlainCard style={{ marginBottom: 16 }}>
        <PlainDescriptions
          items={[
            { key: "round", label: "评价", children: d.round.title },
            { key: "auto", label: "自动得分", children: d.entry.autoScore },
            { key: "opinion", label: "县级初审意见", children: d.entry.countyOpinion || "—" },
            { key: "progress", label: "评分进度", children: d.progress },
          ]}
        />
      </PlainCard>
      <PlainCard title="指标数据与基地自评" style={{ marginBottom: 16 }}>
        <EvaluationFigures entryId={d.entry.id} rows={d.rows} showSelf />
        <EvidenceFiles files={d.files} />
      </PlainCard>
      <PlainCard
        title={d.mine?.submitted ? `我的评分（已提交，合计 ${d.mine.total} 分）` : "我的评分"}
        style={{ marginBottom: 16 }}
      >
        <Form method="post" noValidate>
          <input type="hidden" name="version" value={d.mine?.version ?? 0} />
          <FieldLayout>
            <Space wrap align="start">
              {d.manual.map((m) => (
                <Field
                  key={m.key}
                  label={`${m.name}（0–${m.max}分）`}
                  htmlFor={`score.${m.key}`}
                  error={errors[m.key]}
                  required
                  extra={m.guide}
                >
                  <PlainInput
                    type="number"
                    style={{ width: 120 }}
                    id={`score.${m.key}`}
                    name={`score.${m.key}`}
                    min={0}
                    max={m.max}
                    step={0.5}
                    defaultValue={
                      failure?.values[`score.${m.key}`] ?? (m.mine === null ? undefined : String(m.mine))
                    }
                    disabled={!d.editable}
                    aria-invalid={!!errors[m.key]}
                  />
                </Field>
              ))}
            </Space>
            <Field label="评分意见" htmlFor="comment" error={errors.comment}>
              <Input.TextArea
                id="comment"
                name="comment"
                rows={2}
                maxLength={1000}
                defaultValue={failure?.values.comment ?? d.mine?.comment ?? ""}
                disabled={!d.editable}
              />
            </Field>
            {d.editable && (
              <Space wrap>
                <Button htmlType="submit" name="intent" value="save" loading={busy}>
                  保存草稿
                </Button>
                <Button type="primary" htmlType="submit" name="intent" value="submit" loading={busy}>
                  提交评分
                </Button>
              </Space>
            )}
          </FieldLayout>
        </Form>
      </PlainCard>
      <PlainCard title="其他评价人员的评分">
        {d.others.length === 0 ? (
          <PlainText secondary>其他评价人员的评分在全部提交后显示。</PlainText>
        ) : (
          <PlainTable
            rows={d.others}
            rowKey={(o) => o.evaluator}
            emptyText="暂无"
            columns={[
              { title: "评价人员", key: "evaluator", render: (o) => o.evaluator },
              { title: "人工指标合计", key: "total", render: (o) => o.total },
            ]}
          />
        )}
      </PlainCard>
    </>
  );
}
