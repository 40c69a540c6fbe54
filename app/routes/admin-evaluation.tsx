import { Alert, Button, Card, Input, Space, Table } from "antd";
import { Form, Link, redirect, useNavigation } from "react-router";
import { can } from "#src/modules/accounts/accounts.policy.ts";
import { GRADE_LABELS, GRADES, ROUND_STATUS_LABELS } from "#src/modules/evaluation/evaluation.rules.ts";
import { roundSchema } from "#src/modules/evaluation/evaluation.schema.ts";
import { beijingDateOf, createRound, listRounds } from "#src/modules/evaluation/evaluation.server.ts";
import { evaluationDashboard } from "#src/modules/evaluation/evaluation-entries.server.ts";
import { listRegions } from "#src/modules/regions/regions.server.ts";
import { BarChart } from "~/components/bar-chart";
import { Field, FieldLayout } from "~/components/form-field";
import { ButtonLink, PageTitle } from "~/components/plain";
import { actorOf, failWith, invalid, orFail, parseForm, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-evaluation";

export const meta: Route.MetaFunction = () => [{ title: "绩效评价 - 科普基地服务平台" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await requireUser(context, request, "evaluation:read");
  const actor = actorOf(context);
  const rounds = await orFail(listRounds(context.app, actor));
  // The dashboard shows the newest round with results.
  const shown = rounds.find(
    (r) => r.status === "publicity" || r.status === "closed" || r.status === "scoring",
  );
  const names = new Map((await listRegions(context.app)).map((r) => [r.code, r.name]));
  const dashboard = shown ? await orFail(evaluationDashboard(context.app, actor, shown.id)) : [];
  const thisYear = new Date(context.app.clock.now().getTime() + 8 * 3600_000).getUTCFullYear();
  return {
    canManage: can(user, "evaluation:manage"),
    nextYear: thisYear - 1,
    rounds: rounds.map((r) => ({
      id: r.id,
      year: r.year,
      title: r.title,
      status: r.status,
      rubricVersion: r.rubricVersion,
      selfDeadline: beijingDateOf(r.self_deadline),
      scoringDeadline: beijingDateOf(r.scoring_deadline),
    })),
    shown: shown && { title: shown.title },
    dashboard: dashboard.map((d) => ({ ...d, county: names.get(d.regionCode) ?? d.regionCode })),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  await requireUser(context, request, "evaluation:manage");
  const fd = await readForm(request);
  const parsed = parseForm(roundSchema, fd);
  if (!parsed.ok) return invalid({ ...parsed.failure, message: "评价设置有填写不正确的内容，请按提示修改" });
  try {
    const id = await createRound(context.app, actorOf(context), parsed.data);
    return redirect(`/admin/evaluation/${id}`);
  } catch (e) {
    return failWith(e, fd);
  }
}

export default function AdminEvaluation({ loaderData, actionData }: Route.ComponentProps) {
  const { rounds, canManage, dashboard, shown, nextYear } = loaderData;
  const busy = useNavigation().state === "submitting";
  const errors = actionData?.fieldErrors ?? {};
  const v = (k: string, d: string) => actionData?.values?.[k] ?? d;
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between" }} wrap>
        <PageTitle>绩效评价</PageTitle>
        {canManage && <ButtonLink to="/admin/evaluation/rubric">评价指标</ButtonLink>}
      </Space>
      <Card size="small" title="评价轮次" style={{ marginBottom: 16 }}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={rounds}
          scroll={{ x: 560 }}
          locale={{ emptyText: "尚无年度评价" }}
          columns={[
            { title: "年度", dataIndex: "year", width: 70 },
            {
              title: "名称",
              dataIndex: "title",
              render: (t: string, r) => <Link to={`/admin/evaluation/${r.id}`}>{t}</Link>,
            },
            {
              title: "阶段",
              dataIndex: "status",
              render: (s: keyof typeof ROUND_STATUS_LABELS) => ROUND_STATUS_LABELS[s],
            },
            { title: "自评截止", dataIndex: "selfDeadline" },
            { title: "评分截止", dataIndex: "scoringDeadline" },
            { title: "指标版本", dataIndex: "rubricVersion", render: (n: number) => `第${n}版` },
          ]}
        />
      </Card>
      {shown && (
        <Card size="small" title={`${shown.title}：各县（市、区）等次分布`} style={{ marginBottom: 16 }}>
          <BarChart
            label="各县（市、区）评价等次分布"
            categories={dashboard.map((d) => d.county)}
            series={GRADES.map((g) => ({
              name: GRADE_LABELS[g],
              data: dashboard.map((d) => d.grades[g] ?? 0),
            }))}
          />
          <Table
            size="small"
            rowKey="regionCode"
            pagination={false}
            dataSource={dashboard}
            scroll={{ x: 560 }}
            columns={[
              { title: "县（市、区）", dataIndex: "county" },
              ...GRADES.map((g) => ({
                title: GRADE_LABELS[g],
                key: g,
                render: (_: unknown, d: (typeof dashboard)[number]) => d.grades[g] ?? 0,
              })),
              { title: "参评基地", dataIndex: "entries" },
              { title: "警示中", dataIndex: "openWarnings" },
              { title: "整改逾期", dataIndex: "overdueRectifications" },
            ]}
          />
        </Card>
      )}
      {canManage && (
        <Card size="small" title="新建年度评价">
          {actionData?.message && (
            <Alert
              type="error"
              showIcon
              role="alert"
              title={actionData.message}
              style={{ marginBottom: 12 }}
            />
          )}
          <Form method="post" noValidate>
            <FieldLayout>
              <Field label="评价年度" htmlFor="year" error={errors.year} required>
                <Input
                  type="number"
                  style={{ width: 120 }}
                  id="year"
                  name="year"
                  defaultValue={v("year", String(nextYear))}
                  min={2000}
                  max={2100}
                />
              </Field>
              <Field label="评价名称" htmlFor="title" error={errors.title} required>
                <Input
                  id="title"
                  name="title"
                  defaultValue={v("title", `${nextYear}年度衢州市科普教育基地绩效评价`)}
                />
              </Field>
              <Field label="自评截止日期" htmlFor="selfDeadline" error={errors.selfDeadline} required>
                <Input
                  id="selfDeadline"
                  name="selfDeadline"
                  type="date"
                  defaultValue={v("selfDeadline", "")}
                  style={{ maxWidth: 200 }}
                />
              </Field>
              <Field label="评分截止日期" htmlFor="scoringDeadline" error={errors.scoringDeadline} required>
                <Input
                  id="scoringDeadline"
                  name="scoringDeadline"
                  type="date"
                  defaultValue={v("scoringDeadline", "")}
                  style={{ maxWidth: 200 }}
                />
              </Field>
              <Space wrap>
                <Field label="优秀分数线" htmlFor="excellent" error={errors.excellent}>
                  <Input
                    type="number"
                    style={{ width: 120 }}
                    id="excellent"
                    name="excellent"
                    defaultValue={v("excellent", "90")}
                  />
                </Field>
                <Field label="良好分数线" htmlFor="good" error={errors.good}>
                  <Input
                    type="number"
                    style={{ width: 120 }}
                    id="good"
                    name="good"
                    defaultValue={v("good", "75")}
                  />
                </Field>
                <Field label="合格分数线" htmlFor="pass" error={errors.pass}>
                  <Input
                    type="number"
                    style={{ width: 120 }}
                    id="pass"
                    name="pass"
                    defaultValue={v("pass", "60")}
                  />
                </Field>
                <Field label="评分差异提示阈值" htmlFor="spreadLimit" error={errors.spreadLimit}>
                  <Input
                    type="number"
                    style={{ width: 120 }}
                    id="spreadLimit"
                    name="spreadLimit"
                    defaultValue={v("spreadLimit", "15")}
                  />
                </Field>
              </Space>
              <Space wrap>
                <Field label="优秀补助金额（元）" htmlFor="subsidyExcellent" error={errors.subsidyExcellent}>
                  <Input
                    type="number"
                    style={{ width: 120 }}
                    id="subsidyExcellent"
                    name="subsidyExcellent"
                    defaultValue={v("subsidyExcellent", "0")}
                    min={0}
                  />
                </Field>
                <Field label="良好补助金额（元）" htmlFor="subsidyGood" error={errors.subsidyGood}>
                  <Input
                    type="number"
                    style={{ width: 120 }}
                    id="subsidyGood"
                    name="subsidyGood"
                    defaultValue={v("subsidyGood", "0")}
                    min={0}
                  />
                </Field>
                <Field label="合格补助金额（元）" htmlFor="subsidyPass" error={errors.subsidyPass}>
                  <Input
                    type="number"
                    style={{ width: 120 }}
                    id="subsidyPass"
                    name="subsidyPass"
                    defaultValue={v("subsidyPass", "0")}
                    min={0}
                  />
                </Field>
              </Space>
              <Button type="primary" htmlType="submit" loading={busy}>
                新建评价
              </Button>
            </FieldLayout>
          </Form>
        </Card>
      )}
    </>
  );
}
