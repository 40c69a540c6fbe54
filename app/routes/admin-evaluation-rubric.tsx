import { Alert, Button, Card, Input, Space, Typography } from "antd";
import { Form, Link, useNavigation } from "react-router";
import { AUTO_KEY_LABELS } from "#src/modules/evaluation/evaluation.rules.ts";
import { getCurrentRubric, saveRubric } from "#src/modules/evaluation/evaluation.server.ts";
import { cleanLine } from "#src/platform/text.rules.ts";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle } from "~/components/plain";
import { actorOf, failWith, orFail, readForm, requireUser, versionOf } from "~/lib/route.server";
import type { Route } from "./+types/admin-evaluation-rubric";

export const meta: Route.MetaFunction = () => [{ title: "评价指标 - 科普基地服务平台" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "evaluation:manage");
  const r = await orFail(getCurrentRubric(context.app, actorOf(context)));
  return { version: r.version, note: r.note, rubric: r.rubric };
}

/** Names, maxima and full-marks counts are edited here; saving makes a new version (rounds keep theirs). */
export async function action({ request, context }: Route.ActionArgs) {
  await requireUser(context, request, "evaluation:manage");
  const fd = await readForm(request);
  const actor = actorOf(context);
  try {
    const current = await getCurrentRubric(context.app, actor);
    const dimensions = current.rubric.map((d, di) => ({
      name: cleanLine(String(fd.get(`dim.${di}`) ?? d.name)),
      indicators: d.indicators.map((i) => {
        const max = Number(fd.get(`max.${i.key}`));
        const fullAt = fd.get(`fullAt.${i.key}`);
        return {
          ...i,
          name: cleanLine(String(fd.get(`name.${i.key}`) ?? i.name)),
          max: Number.isFinite(max) ? max : i.max,
          ...(i.mode === "count" && fullAt !== null ? { fullAt: Number(fullAt) } : {}),
        };
      }),
    }));
    const version = await saveRubric(context.app, actor, {
      dimensions,
      note: cleanLine(String(fd.get("note") ?? "")).slice(0, 200),
      basedOn: versionOf(fd),
    });
    return { ok: true as const, done: `已保存为第${version}版，之后新建的评价使用新版本` };
  } catch (e) {
    return failWith(e, fd);
  }
}

export default function AdminEvaluationRubric({ loaderData, actionData }: Route.ComponentProps) {
  const { rubric, version } = loaderData;
  const busy = useNavigation().state === "submitting";
  const failure = actionData && !actionData.ok ? actionData : undefined;
  const v = (k: string, d: string | number) => failure?.values[k] ?? String(d);
  return (
    <>
      <Typography.Text>
        <Link to="/admin/evaluation">绩效评价</Link> / 评价指标
      </Typography.Text>
      <PageTitle>评价指标（第{version}版）</PageTitle>
      <Typography.Paragraph type="secondary">
        满分合计须为100分。已开始的评价使用其创建时的指标版本，修改只影响之后新建的评价。
      </Typography.Paragraph>
      {actionData?.ok && (
        <Alert type="success" showIcon role="status" title={actionData.done} style={{ marginBottom: 16 }} />
      )}
      {failure?.message && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={failure.fieldErrors.dimensions ?? failure.message}
          style={{ marginBottom: 16 }}
        />
      )}
      <Form method="post" noValidate>
        <input type="hidden" name="version" value={version} />
        <FieldLayout>
          {rubric.map((d, di) => (
            <Card
              key={d.name}
              size="small"
              style={{ marginBottom: 12 }}
              title={
                <Input
                  aria-label="维度名称"
                  name={`dim.${di}`}
                  defaultValue={v(`dim.${di}`, d.name)}
                  style={{ maxWidth: 240 }}
                />
              }
            >
              {d.indicators.map((i) => (
                <Space key={i.key} wrap align="start" style={{ display: "flex" }}>
                  <Field label="指标名称" htmlFor={`name.${i.key}`}>
                    <Input
                      id={`name.${i.key}`}
                      name={`name.${i.key}`}
                      defaultValue={v(`name.${i.key}`, i.name)}
                      style={{ width: 260 }}
                    />
                  </Field>
                  <Field label="满分" htmlFor={`max.${i.key}`}>
                    <Input
                      type="number"
                      style={{ width: 120 }}
                      id={`max.${i.key}`}
                      name={`max.${i.key}`}
                      min={0}
                      max={100}
                      step={0.5}
                      defaultValue={v(`max.${i.key}`, i.max)}
                    />
                  </Field>
                  {i.mode === "count" && (
                    <Field label="满分所需数量" htmlFor={`fullAt.${i.key}`}>
                      <Input
                        type="number"
                        style={{ width: 120 }}
                        id={`fullAt.${i.key}`}
                        name={`fullAt.${i.key}`}
                        min={1}
                        defaultValue={v(`fullAt.${i.key}`, i.fullAt ?? 1)}
                      />
                    </Field>
                  )}
                  <Field label="来源" htmlFor={`src.${i.key}`}>
                    <Input
                      id={`src.${i.key}`}
                      readOnly
                      value={
                        i.source === "auto" && i.autoKey
                          ? `自动：${AUTO_KEY_LABELS[i.autoKey].name}`
                          : "人工评分"
                      }
                      style={{ width: 240 }}
                    />
                  </Field>
                  <Field label="依据" htmlFor={`basis.${i.key}`}>
                    <Input id={`basis.${i.key}`} readOnly value={i.basis} style={{ width: 180 }} />
                  </Field>
                </Space>
              ))}
            </Card>
          ))}
          <Field label="修改说明" htmlFor="note">
            <Input id="note" name="note" maxLength={200} defaultValue={v("note", "")} />
          </Field>
          <Button type="primary" htmlType="submit" loading={busy}>
            保存为新版本
          </Button>
        </FieldLayout>
      </Form>
    </>
  );
}
